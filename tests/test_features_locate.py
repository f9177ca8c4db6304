"""Text-only cursor location and broken-YAML recovery used by the editor features."""

from __future__ import annotations

from param_lsp.core.locate import block_keys, yaml_path_at
from param_lsp.features.document import recover_text, view_of
from param_lsp.features.expressions import open_template_at

DAG = """\
kind: operation
component:
  run:
    operations:
      - name: prepare
        pathRef: x.yaml
      - name: train
        params:
          lr: 1

ops:
- name: a
- name: b
  pa
"""


def test_yaml_path_counts_items_and_follows_indentation() -> None:
    lines = DAG.split("\n")
    assert yaml_path_at(lines, 9, 10).steps == ("component", "run", "operations", 1, "params")
    assert yaml_path_at(lines, 6, 8).steps == ("component", "run", "operations", 1)
    assert yaml_path_at(lines, 13).steps == ("ops", 1)  # sequence at its key's own column


def test_block_keys_stay_inside_one_item() -> None:
    lines = DAG.split("\n")
    assert set(block_keys(lines, 5, 8)) == {"name", "pathRef"}
    assert set(block_keys(lines, 7, 8)) == {"name", "params"}


def test_recovery_blanks_only_the_broken_lines() -> None:
    text = 'kind: operation\ndescription: "open\nparams:\n  lr: 1\n'
    recovered = recover_text(text)
    assert recovered is not None
    assert recovered.split("\n")[1] == "" and recovered.split("\n")[3] == "  lr: 1"
    view = view_of(text)
    assert [f.code for f in view.findings] == ["PLX001"]
    assert view.root is not None and "params" in view.root


def test_open_template_reports_parents_and_partial() -> None:
    found = open_template_at('args: ["{{ params.lr.as', 24)
    assert found is not None
    assert found.parents == ("params", "lr") and found.partial == "as"
    assert open_template_at('args: ["{{ x }}" ', 16) is None


def test_block_keys_reads_plain_quoted_and_dashed_lines_alike() -> None:
    lines = [
        "params:",
        "  lr: 0.1",
        "  'quoted key': 1",
        "  # a comment",
        "  nested:",
        "    deeper: 1",
        "  - not-a-key: 2",
        "  dotted.name/x-y: 3",
        "  a:b",
        "other: 1",
    ]
    assert block_keys(lines, 1, 2) == {
        "lr": 1,
        "quoted key": 2,
        "nested": 4,
        "dotted.name/x-y": 7,
    }
