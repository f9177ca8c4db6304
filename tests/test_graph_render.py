"""Slow suite: the Mermaid and DOT that `param-lsp graph` prints parse with the real tools.

- DOT: Graphviz's `dot` (Debian: `apt-get install graphviz`) renders each graph to SVG, with no
  warning on stderr.
- Mermaid: Mermaid's own parser from npm, 12.x and 10.x (tests/mermaid: `mermaid`, `mermaid-10`
  and `jsdom` pinned in its package-lock.json; `npm ci` runs there on first use).

Run with `make slow` or `pytest -m slow tests/test_graph_render.py`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from param_lsp.cli.main import main
from tests.corpus_support import corpus_dir

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
MERMAID_DIR = ROOT / "tests" / "mermaid"
GRAPHS = [
    ROOT / "examples" / "pipeline.yaml",
    ROOT / "examples" / "mistakes" / "bad-refs.yaml",
    *(
        ROOT / "tests" / "data" / "graph" / "nested" / name
        for name in ("inline.yaml", "two_levels.yaml", "parent.yaml", "loop_a.yaml")
    ),
    *(
        corpus_dir() / name
        for name in (
            "cli-fixtures/pipelines/simple_dag_pipeline.yml",
            "cli-fixtures/pipelines/cyclic_pipeline.yml",
            "cli-fixtures/pipelines/ref_pipeline.yml",
            "cli-fixtures/pipelines/simple_joins_pipeline.yml",
            "docs/docs/guides/automation/automation-dag/block001-L23.yaml",
            "docs/docs/orchestration/flow-engine/specification/block003-L99.yaml",
        )
    ),
]


def _render(path: Path, fmt: str, out: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    main(["graph", "--format", fmt, str(path)])
    target = out / f"{path.stem}.{'mmd' if fmt == 'mermaid' else fmt}"
    target.write_text(capsys.readouterr().out)
    return target


def _existing() -> list[Path]:
    return [path for path in GRAPHS if path.is_file()]


def test_dot_output_renders_with_graphviz(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dot = shutil.which("dot")
    if dot is None:
        pytest.skip("Graphviz `dot` not installed (apt-get install graphviz)")
    for path in _existing():
        source = _render(path, "dot", tmp_path, capsys)
        result = subprocess.run(
            [dot, "-Tsvg", str(source)], capture_output=True, text=True, timeout=60, check=False
        )
        assert result.returncode == 0, (path, result.stderr)
        assert result.stderr == "", (path, result.stderr)
        assert "<svg" in result.stdout
    # The check can fail: a broken file is refused.
    broken = tmp_path / "broken.dot"
    broken.write_text("digraph { a -> }\n")
    result = subprocess.run([dot, "-Tsvg", str(broken)], capture_output=True, check=False)
    assert result.returncode != 0


def _mermaid_parser() -> list[str]:
    node = shutil.which("node")
    npm = shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("node and npm are needed for Mermaid's parser")
    if not (MERMAID_DIR / "node_modules" / "mermaid").is_dir():
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"], cwd=MERMAID_DIR, check=True, timeout=600
        )
    return [node, str(MERMAID_DIR / "parse.mjs")]


def test_mermaid_output_parses_with_mermaid(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = _mermaid_parser()
    files = [_render(path, "mermaid", tmp_path, capsys) for path in _existing()]
    broken = tmp_path / "broken.mmd"
    broken.write_text('flowchart LR\n  a -->|"x| b\n')  # an unclosed label: must be refused
    result = subprocess.run(
        [*parser, *map(str, files), str(broken)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    verdicts = {
        (Path(v["file"]).name, v["mermaid"]): v for v in map(json.loads, result.stdout.splitlines())
    }
    for source in files:
        for version in ("10", "12"):
            verdict = verdicts[(source.name, version)]
            assert verdict["ok"], verdict
            assert verdict["diagramType"].startswith("flowchart"), verdict
    assert verdicts[("broken.mmd", "10")]["ok"] is False
    assert verdicts[("broken.mmd", "12")]["ok"] is False
