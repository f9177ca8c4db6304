"""Refs family (§9, §10): value syntax, ref syntax, top-level resolution, join params.

Verdicts come from Polyaxon 2.18 (tests/data/refs/oracle.json); ranges point at the exact token.
"""

from __future__ import annotations

import pytest

from param_lsp.core.model import ParamDef
from param_lsp.core.yaml_tree import YMap, parse_yaml
from param_lsp.engine.analyze import analyze
from param_lsp.rules.refs import split_ref_value
from param_lsp.rules.templates import scalar_sub_span
from tests.oracle_cases import (
    analyze_case,
    assert_agrees_with_oracle,
    case_names,
    errors,
    find,
    oracle,
)

FAMILY = "refs"

# file, code, range of the offending token, words the message must contain
EXPECTED = [
    ("value_four_parts.yaml", "PLX400", "9:72-9:73", ["Could not parse value `artifacts.x.y.z`"]),
    ("value_bare_globals.yaml", "PLX401", "9:58-9:65", ["Value must be one of", "bare `globals`"]),
    ("value_io_key.yaml", "PLX401", "9:58-9:60", ["Value `io` must be one of", "'globals'"]),
    ("value_three_parts_not_artifacts.yaml", "PLX401", "9:58-9:65",
     ["Value `outputs` must can only be equal to `artifacts`"]),
    ("value_templated_io.yaml", "PLX401", "9:62-9:64", ["`{{ io.loss }}`", "Value `io`"]),
    ("value_dag_outputs.yaml", "PLX402", "9:24-9:31", ["can not use `outputs` of current dag"]),
    ("value_empty.yaml", "PLX401", "9:58-9:60", ["invalid value `` for param `a`"]),
    ("value_block_style.yaml", "PLX401", "11:18-11:24",
     ["`{{   inputs . x . y }}`", "Value `inputs` must can only be equal to `artifacts`"]),
    # An escape sequence breaks the text ↔ source mapping: the whole value is the range.
    ("value_escaped_quotes.yaml", "PLX401", "11:12-11:26", ["Value `io` must be one of"]),
    ("ref_three_parts.yaml", "PLX403", "9:12-9:23", ["Could not parse ref `ops.train.x`"]),
    ("ref_ops_alone.yaml", "PLX403", "9:12-9:15", ["Could not parse ref `ops`", "needs a name"]),
    ("ref_template.yaml", "PLX403", "9:12-9:28", ["`{{ upstream }}`", "templates are not"]),
    ("ref_bad_entity.yaml", "PLX403", "9:12-9:21",
     ["Could not parse ref `job`", "Operation ref must be one of", "'ops'", "'runs'"]),
    ("ref_empty.yaml", "PLX403", "10:18-10:20", ["Could not parse ref `` for param `lr`"]),
    ("ref_bad_uuid.yaml", "PLX404", "9:12-9:21", ["Param value `1234` should reference a valid"]),
    ("ops_ref_top_level.yaml", "PLX405", "9:12-9:21",
     ["reference with name `ops.train` has no such information", "only resolve inside a DAG"]),
    ("dag_ref_top_level.yaml", "PLX405", "9:12-9:15", ["reference with name `dag` has no such"]),
    ("output_ops_ref_top_level.yaml", "PLX405", "10:14-10:23",
     ["Param `out`", "output params are checked without the DAG's context"]),
    ("undeclared_bad_ref.yaml", "PLX403", "10:13-10:22",
     ["Could not parse ref `job` for param `up`"]),
    ("undeclared_bad_value.yaml", "PLX401", "10:31-10:33",
     ["invalid value `io.loss` for param `up`"]),
    ("join_not_list.yaml", "PLX651", "11:23-11:35",
     ["Param `losses` has a an input type `float`", "add `isList`"]),
    ("join_list_type_without_islist.yaml", "PLX651", "9:23-9:35", ["input type `List[float]`"]),
    ("join_param_ref.yaml", "PLX650", "9:34-9:37", ["Join param `all` has a `ref`", "ignores"]),
    ("join_bad_value.yaml", "PLX401", "9:20-9:22", ["invalid value `io.loss` for param `all`"]),
    ("join_int_value.yaml", "PLX652", "9:20-9:21", ["crash", "got 'int'"]),
]  # fmt: skip


@pytest.mark.parametrize("name", case_names(FAMILY))
def test_verdict_matches_polyaxon(name: str) -> None:
    assert_agrees_with_oracle(FAMILY, name)


@pytest.mark.parametrize(("name", "code", "where", "words"), EXPECTED)
def test_finding_code_range_and_message(name: str, code: str, where: str, words: list[str]) -> None:
    finding = find(analyze_case(FAMILY, name), code, where)
    for word in words:
        assert word in finding.full_text


@pytest.mark.parametrize(("name", "code", "where", "words"), EXPECTED)
def test_message_keeps_polyaxon_wording(name: str, code: str, where: str, words: list[str]) -> None:
    """Polyaxon's own text is kept, verbatim, beside our message (`Finding.polyaxon`)."""
    expected = str(oracle(FAMILY)[name]["message"])
    if code == "PLX650" or "crash" in words:
        return  # Polyaxon accepts (PLX650) or crashes with a raw TypeError
    finding = find(analyze_case(FAMILY, name), code, where)
    # Set reprs are hash-ordered in Polyaxon (§15.2); the oracle pins PYTHONHASHSEED=0, as we do.
    assert finding.polyaxon.startswith(expected), (finding.polyaxon, expected)


def test_every_case_with_an_expectation_is_rejected_by_polyaxon_or_stricter() -> None:
    rejected = {name for name, row in oracle(FAMILY).items() if not row["ok"]}
    covered = {name for name, *_ in EXPECTED}
    assert rejected <= covered, f"rejected cases without an expectation: {rejected - covered}"


@pytest.mark.parametrize(
    "name",
    [
        "ref_uuid_forms.yaml",
        "ops_ref_top_level_artifacts.yaml",
        "ops_ref_top_level_template.yaml",
        "undeclared_unresolvable_ok.yaml",
        "join_ok.yaml",
        "join_undeclared_unchecked.yaml",
    ],
)
def test_accepted_forms_have_no_ref_findings(name: str) -> None:
    analysis = analyze_case(FAMILY, name)
    assert not errors(analysis)
    assert not [f for f in analysis.findings if f.code.startswith(("PLX4", "PLX65"))]


def test_undeclared_ref_param_is_still_reported_as_unknown_param_warning() -> None:
    analysis = analyze_case(FAMILY, "undeclared_bad_ref.yaml")
    assert {f.code for f in analysis.findings} == {"PLX303", "PLX403"}


@pytest.mark.parametrize(
    ("value", "texts", "offsets"),
    [
        ("outputs.loss", ["outputs", "loss"], [(0, 7), (8, 12)]),
        ("{{ inputs.x }}", ["inputs", "x"], [(3, 9), (10, 11)]),
        ("{{inputs . x}}", ["inputs", "x"], [(2, 8), (11, 12)]),
        ("pre {{ artifacts.a.b }} post", ["artifacts", "a", "b"], [(7, 16), (17, 18), (19, 20)]),
        ("", [""], [(0, 0)]),
    ],
)
def test_split_ref_value_offsets(
    value: str, texts: list[str], offsets: list[tuple[int, int]]
) -> None:
    _inner, parts = split_ref_value(value)
    assert [p.text for p in parts] == texts
    assert [(p.start, p.end) for p in parts] == offsets
    for part in parts:
        assert value[part.start : part.end] == part.text


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("v: outputs.loss\n", (0, 11, 0, 15)),  # plain
        ("v: 'outputs.loss'\n", (0, 12, 0, 16)),  # single-quoted: shifted by the quote
        ('v: "outputs.loss"\n', (0, 12, 0, 16)),  # double-quoted
        ("v: 'it''s.loss'\n", (0, 3, 0, 15)),  # escaped quote: whole node
        ("v: |\n  outputs.loss\n", (0, 3, 2, 0)),  # block scalar: whole node
    ],
)
def test_scalar_sub_span(source: str, expected: tuple[int, int, int, int]) -> None:
    root = parse_yaml(source).root
    assert isinstance(root, YMap)
    node = root.get("v")
    assert node is not None
    text = node.to_py()
    start = text.index("loss")
    got = scalar_sub_span(node, start, start + 4)
    assert (got.start.line, got.start.character, got.end.line, got.end.character) == expected


def test_param_without_value_node_falls_back_to_its_anchor() -> None:
    from param_lsp.core.context import CheckContext
    from param_lsp.core.settings import Settings
    from param_lsp.rules.refs import check_param_ref

    param = ParamDef("x", None, None, True, "io.x", True, ref="runs.bad")
    ctx = CheckContext(settings=Settings())
    check_param_ref(param, None, ctx)
    assert [f.code for f in ctx.findings] == ["PLX401", "PLX404"]


def test_a_ref_to_an_output_with_no_close_name_lists_the_outputs() -> None:
    # Polyaxon 2.18: "Param `metric` has a ref value `outputs.accuracy`, but reference with name
    # `ops.train` has no such information, ..."
    text = (
        "version: 1.1\nkind: operation\ncomponent:\n  run:\n    kind: dag\n    operations:\n"
        "      - name: train\n        component:\n"
        "          outputs: [{name: loss, type: float}, {name: model, type: str}]\n"
        "          run: {kind: job, container: {image: x}}\n"
        "      - name: report\n        params:\n"
        "          metric: {ref: ops.train, value: outputs.accuracy}\n        component:\n"
        "          inputs: [{name: metric, type: float}]\n"
        "          run: {kind: job, container: {image: x}}\n"
    )
    (finding,) = analyze(text).findings
    assert (finding.code, finding.message) == (
        "PLX406",
        "Param `metric` refs `outputs.accuracy`, but `ops.train` has no output `accuracy`; use "
        "one of its outputs: `loss`, `model`.",
    )
