"""Value hovers (features/value_hover.py): what a template name will be, what a ref points at.

Expected texts follow Polyaxon's resolution (spec §7, §9, §12): an op's param value wins over
the input's default; a `ref: ops.X` param is set by X at run time; a `ref: dag` param takes the
DAG's input, which the pipeline's own params give.
"""

from __future__ import annotations

from pathlib import Path

from param_lsp.core.span import Position
from param_lsp.core.workspace import Workspace
from param_lsp.engine.analyze import analyze
from param_lsp.features.document import DocumentView, make_view
from param_lsp.features.hover import hover
from param_lsp.features.index import build_index
from param_lsp.features.value_hover import value_hover

ROOT = Path(__file__).resolve().parents[1]


def view_of(text: str, path: Path, root: Path) -> DocumentView:
    workspace = Workspace(root=root)
    analysis = analyze(text, path, workspace=workspace)
    return make_view(text, path, analysis, build_index(analysis, workspace), analysis.findings)


def at(text: str, line_marker: str, word: str, offset: int = 1) -> Position:
    lines = text.split("\n")
    line = next(i for i, item in enumerate(lines) if line_marker in item)
    return Position(line, lines[line].index(word) + offset)


def value_at(view: DocumentView, position: Position) -> str | None:
    found = value_hover(view, position)
    return found.markdown if found is not None else None


MATRIX = """\
kind: operation
matrix:
  kind: grid
  params:
    lr: {kind: choice, value: [0.1, 0.01]}
params:
  opt: adam
component:
  inputs:
    - {name: lr, type: float}
    - {name: opt, type: str, value: sgd}
    - {name: seed, type: int, isOptional: true}
    - {name: steps, type: int}
  run:
    kind: job
    container: {image: python, args: ["{{ lr }}", "{{ opt }}", "{{ seed }}", "{{ steps }}"]}
"""


def test_operation_values(tmp_path: Path) -> None:
    view = view_of(MATRIX, tmp_path / "op.yaml", tmp_path)
    assert value_at(view, at(MATRIX, "args:", "lr }}")) == (
        "**lr** (`float`) = each value of the matrix of this operation (one run per value)."
    )
    assert value_at(view, at(MATRIX, "args:", "opt }}")) == (
        "**opt** (`str`) = `adam` (param of this operation, line 7)."
    )
    assert value_at(view, at(MATRIX, "args:", "seed }}")) == (
        "**seed** (`int`) = `None` (optional input without default; no param in this operation)."
    )
    assert value_at(view, at(MATRIX, "args:", "steps }}")) == (
        "**steps** (`int`): required and not set: this operation gives no param for it."
    )


def test_component_file_shows_the_default() -> None:
    path = ROOT / "examples" / "components" / "train.yaml"
    text = path.read_text()
    view = view_of(text, path, ROOT)
    assert value_at(view, at(text, "--lr=", "learning_rate")) == (
        "**learning_rate** (`float`) = `0.001` (the input's default; unless the operation sets it)."
    )
    assert value_at(view, at(text, "--data=", "dataset")) == (
        "**dataset** (`path`): required; set by the operation that runs this component."
    )


def test_value_hover_comes_first_in_the_hover() -> None:
    path = ROOT / "examples" / "pipeline.yaml"
    text = path.read_text()
    view = view_of(text, path, ROOT)
    found = hover(view, at(text, "model: {ref", "outputs.model", 9))
    assert found is not None
    assert found.markdown.startswith("**outputs.model**: output `model` of op `train`")
    # On the ref itself the value hover leaves the answer to the other hovers.
    assert value_hover(view, at(text, "model: {ref", "ops.train", 5)) is None


def _value_hovers(path: Path) -> dict[int, set[str]]:
    """Every position of the file hovered: line → the names the value hovers there speak of.
    Each hover must name the word under the cursor."""
    text = path.read_text()
    view = view_of(text, path, ROOT)
    found: dict[int, set[str]] = {}
    for line, content in enumerate(text.split("\n")):
        for character in range(len(content) + 1):
            hovered = value_hover(view, Position(line, character))
            if hovered is None:
                continue
            name = hovered.markdown.split("**")[1]
            start = content.find(name)
            assert start != -1 and start <= character <= start + len(name), (line, character)
            found.setdefault(line, set()).add(name)
    return found


def test_hover_everywhere_names_the_word_under_the_cursor() -> None:
    found = _value_hovers(ROOT / "examples" / "pipeline.yaml")
    # The two `ref: ops.X` params whose output exists upstream (lines 23 and 29 of the file).
    assert found.get(22) == {"outputs.dataset"}
    assert found.get(28) == {"outputs.model"}


def test_no_value_hover_on_refs_polyaxon_refuses() -> None:
    # `outputs.modle` (train has no such output) and `ops.tune` (no such op): refs Polyaxon
    # refuses (spec §9, §12; Polyaxon 2.18 rejects the file: orphan op `tune`), so there is
    # no run-time value to show.
    found = _value_hovers(ROOT / "examples" / "mistakes" / "bad-refs.yaml")
    assert 14 not in found and 15 not in found
