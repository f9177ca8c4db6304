"""The position lookup (`core/cursor.py`) in block and flow style, typing and broken."""

from __future__ import annotations

import pytest

from param_lsp.core.cursor import Cursor, cursor_at
from param_lsp.core.span import Position
from param_lsp.core.yaml_tree import parse_yaml


def at(marked: str, *, tree: bool = False) -> Cursor:
    offset = marked.index("|")
    text = marked[:offset] + marked[offset + 1 :]
    before = text[:offset]
    line = before.count("\n")
    column = offset - (before.rfind("\n") + 1)
    root = parse_yaml(text).root if tree else None
    found = cursor_at(text.split("\n"), Position(line, column), root)
    assert found is not None
    return found


DAG = "run:\n  operations:\n    - name: b\n      params:\n"


@pytest.mark.parametrize(
    ("marked", "role", "steps", "key", "text"),
    [
        (DAG + "        x: {ref: ops.|}\n", "value", ("run", "operations", 0, "params", "x", "ref"),
         "ref", "ops."),
        (DAG + "        x:\n          ref: ops.|\n", "value",
         ("run", "operations", 0, "params", "x", "ref"), "ref", "ops."),
        ("params:\n  x: {ref: ops.train, value: outputs.|}\n", "value", ("params", "x", "value"),
         "value", "outputs."),
        ("params:\n  x: {ref: ops.train, value: outputs.|", "value", ("params", "x", "value"),
         "value", "outputs."),  # unclosed: closed before composing
        ('params:\n  x: {value: "{{ inputs.|', "value", ("params", "x", "value"), "value",
         "{{ inputs."),
        ("params: {epochs: |}\n", "value", ("params", "epochs"), "epochs", ""),
        ("params:\n  epochs: |\n", "value", ("params", "epochs"), "epochs", ""),
        ("inputs:\n  - {name: threshold, type: fl|}\n", "value", ("inputs", 0, "type"), "type",
         "fl"),
        ("inputs:\n  - name: threshold\n    type: fl|\n", "value", ("inputs", 0, "type"), "type",
         "fl"),
        ("dependencies: [a, |]\n", "slot", ("dependencies",), None, ""),
        ("dependencies:\n  - a\n  - |\n", "item", ("dependencies", 1), None, ""),
        ("dependencies: [a, tr|]\n", "item", ("dependencies", 1), None, "tr"),
        ("matrix:\n  params:\n    lr: {kind: ch|}\n", "value", ("matrix", "params", "lr", "kind"),
         "kind", "ch"),
        ("params:\n  lr: {|}\n", "slot", ("params", "lr"), None, ""),
        ("params:\n  lr: {va|}\n", "key", ("params", "lr", "va"), "va", "va"),
        ("params:\n  lr:\n    value: 1\n    re|\n", "slot", ("params", "lr"), None, "re"),
        ("ki|nd: op\n", "key", ("kind",), "kind", "kind"),
        ('description: "unterminated\nparams:\n  epochs: |\n', "value", ("params", "epochs"),
         "epochs", ""),  # below a syntax error
    ],
)  # fmt: skip
def test_cursor(marked: str, role: str, steps: tuple, key: str | None, text: str) -> None:
    found = at(marked)
    assert (found.role, found.steps, found.key, found.text) == (role, steps, key, text)


def test_siblings_in_both_styles() -> None:
    flow = at("params:\n  x: {value: outputs.|, ref: ops.train}\n")
    block = at("params:\n  x:\n    value: outputs.|\n    ref: ops.train\n")
    assert flow.siblings["ref"] == block.siblings["ref"] == "ops.train"


def test_token_under_the_cursor() -> None:
    found = at("params:\n  x: {ref: ops.tr|ain, value: outputs.loss}\n")
    token = found.token()
    assert token is not None and (token.name, token.index) == ("train", 1)
    assert token.span.start == Position(1, 15) and token.span.end == Position(1, 20)


def test_quoted_value_span_excludes_the_quotes() -> None:
    found = at("params:\n  x: {ref: 'ops.tr|ain'}\n")
    assert found.span is not None and found.span.start == Position(1, 12)
    assert found.text == "ops.train"


def test_flow_collection_over_several_lines_uses_the_tree() -> None:
    marked = "params: {\n  epochs: 3,\n  learning_ra|te: 0.1\n}\n"
    found = at(marked, tree=True)
    assert (found.role, found.steps, found.key) == (
        "key",
        ("params", "learning_rate"),
        "learning_rate",
    )
    assert found.siblings == {"epochs": "3", "learning_rate": "0.1"}


def typed(before: str, marked: str) -> Cursor:
    """The cursor in ``marked`` (being typed) with the last good tree of ``before``."""
    offset = marked.index("|")
    text = marked[:offset] + marked[offset + 1 :]
    line = text[:offset].count("\n")
    column = offset - (text[:offset].rfind("\n") + 1)
    root = parse_yaml(before).root
    lines = text.split("\n")
    old = before.split("\n")
    found = cursor_at(
        lines,
        Position(line, column),
        root,
        analysed_lines=lambda: old,
        inserted=len(lines) - len(old),
    )
    assert found is not None
    return found


def test_line_typed_inside_a_flow_mapping_over_several_lines() -> None:
    before = "params: {\n  epochs: 3,\n  learning_rate: 0.1\n}\n"
    found = typed(before, "params: {\n  epochs: 3,\n  learning_rate: 0.1,\n  data|\n}\n")
    assert (found.role, found.steps, found.key) == ("key", ("params", "data"), "data")
    assert set(found.siblings) == {"epochs", "learning_rate", "data"}
    found = typed(before, "params: {\n  epochs: |,\n  learning_rate: 0.1\n}\n")
    assert (found.role, found.steps, found.text) == ("value", ("params", "epochs"), "")
    assert found.siblings["learning_rate"] == "0.1"


def test_item_typed_inside_a_flow_sequence_over_several_lines() -> None:
    before = "dependencies: [\n  a,\n  b\n]\n"
    found = typed(before, "dependencies: [\n  a,\n  b,\n  c|\n]\n")
    assert (found.role, found.steps, found.text) == ("item", ("dependencies", 2), "c")
    assert set(found.siblings) == {"a", "b"}


def test_changed_lines_above_make_the_last_good_tree_unusable() -> None:
    before = "params: {\n  epochs: 3,\n  learning_rate: 0.1\n}\n"
    # The collection's first line changed: the text path answers (a block key here).
    found = typed(before, "params:\n  epochs: 3,\n  learning_ra|te: 0.1\n}\n")
    assert found.flow is False
