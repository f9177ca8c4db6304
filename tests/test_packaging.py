"""The distribution's identity and the installed-package smoke test CI runs on the wheel."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

import param_lsp
from param_lsp.cli.main import build_parser

REPO = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]

# Another project owns the name `param-lsp` on the package index (a language server for HoloViz
# Param, with a `param-lsp` command of its own): no document may tell users to install it.
WRONG_INSTALL = re.compile(r"(?:pip|pipx|uv tool|uv pip) install(?: --?[\w-]+)* param-lsp\b")


def test_distribution_name_and_version_are_one() -> None:
    assert PROJECT["name"] == param_lsp.DISTRIBUTION == "polyaxon-param-lsp"
    assert PROJECT["version"] == param_lsp.__version__
    assert PROJECT["scripts"] == {"param-lsp": "param_lsp.cli.main:main"}


def test_version_names_the_distribution() -> None:
    version = next(a for a in build_parser()._actions if "--version" in a.option_strings)
    assert version.version == f"polyaxon-param-lsp {PROJECT['version']}"  # type: ignore[attr-defined]


def test_no_document_installs_the_other_param_lsp() -> None:
    paths = [
        *REPO.glob("*.md"),
        *(REPO / "docs").glob("*.md"),
        *(REPO / "vscode-extension").glob("*.md"),
        *(REPO / "vscode-extension" / "src").glob("*.ts"),
        REPO / ".pre-commit-hooks.yaml",
    ]
    offenders = [
        f"{path.relative_to(REPO)}: {match.group(0)}"
        for path in paths
        for match in WRONG_INSTALL.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_pre_commit_hook_installs_this_project() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "param-lsp")
    # `language: python` installs the hook's repository itself, i.e. this pyproject.toml.
    assert hook["language"] == "python"
    assert hook["entry"].split()[:2] == ["param-lsp", "check"]
    assert "--only-polyaxonfiles" in hook["args"]


def test_installed_smoke_test_passes_on_the_development_venv() -> None:
    venv = Path(sys.executable).parent.parent
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / ".ci" / "smoke_installed.py"),
            str(venv),
            "examples",
            "--editable",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "polyaxon-param-lsp 0.1.0" in done.stdout and done.stdout.rstrip().endswith("ok")
