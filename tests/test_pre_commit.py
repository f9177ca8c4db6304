"""Real pre-commit runs both hook snippets of docs/ci.md, as written there (slow: pre-commit
builds the remote hook's environment from the package index)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
URL_PLACEHOLDER = "<URL of the param-lsp repository>"
# Polyaxon refuses a float for an int input (the same case as examples/mistakes): PLX302.
BAD = """\
kind: operation
params:
  epochs: {value: 2.5}
component:
  inputs:
  - {name: epochs, type: int}
  run: {kind: job, container: {image: python}}
"""
OTHER_YAML = "on: [push]\njobs: {}\n"  # a CI file: skipped by content


def snippets() -> list[str]:
    doc = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")
    section = doc.split("## pre-commit", 1)[1]
    return re.findall(r"```yaml\n(.*?)```", section, re.DOTALL)


def git(cwd: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
    }
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True
    ).stdout


def project(tmp: Path, config: str) -> Path:
    root = tmp / "project"
    root.mkdir()
    git(root, "init", "-q")
    (root / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    (root / "op.yaml").write_text(BAD, encoding="utf-8")
    (root / "ci.yaml").write_text(OTHER_YAML, encoding="utf-8")
    git(root, "add", ".")
    return root


def run_pre_commit(root: Path, tmp: Path, path: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp / "cache"), "PATH": path}
    pre_commit = Path(sys.executable).with_name("pre-commit")
    return subprocess.run(
        [str(pre_commit), "run", "--all-files"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_remote_snippet_at_a_tag(tmp_path: Path) -> None:
    remote = snippets()[0]
    assert URL_PLACEHOLDER in remote and "rev: v0.1.0" in remote
    # A clone of this checkout's HEAD plus the working tree's tracked changes, tagged v0.1.0.
    origin = tmp_path / "origin"
    shutil.copytree(
        REPO,
        origin,
        ignore=shutil.ignore_patterns(
            ".venv*", ".uv", "node_modules", "dist", ".git", "*cache*", "bundled"
        ),
    )
    git(origin, "init", "-q")
    git(origin, "add", ".")
    git(origin, "commit", "-q", "-m", "release")
    git(origin, "tag", "v0.1.0")
    root = project(tmp_path, remote.replace(URL_PLACEHOLDER, origin.as_uri()))
    done = run_pre_commit(root, tmp_path, os.environ.get("PATH", ""))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "op.yaml:3:" in done.stdout and "PLX302" in done.stdout
    assert "ci.yaml" not in done.stdout


def test_local_snippet_uses_the_installed_command(tmp_path: Path) -> None:
    local = snippets()[1]
    assert "repo: local" in local
    root = project(tmp_path, local)
    # The environment one commits from: the venv with polyaxon-param-lsp installed on PATH.
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    done = run_pre_commit(root, tmp_path, path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "op.yaml:3:" in done.stdout and "PLX302" in done.stdout
    assert "ci.yaml" not in done.stdout
