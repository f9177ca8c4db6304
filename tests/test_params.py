"""Params against inputs/outputs and component chains; verdicts recorded from Polyaxon 2.18.

Each case file under tests/data/params/ was run through Polyaxon 2.18.0's own `check`
(`oracle.json` holds its verdict and message); the tests assert that param-lsp agrees and that
the diagnostic has the expected rule, range and cause.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from param_lsp.core.findings import Severity
from param_lsp.core.settings import Settings
from param_lsp.engine.analyze import Analysis, analyze
from tests.helpers import span

DATA = Path(__file__).parent / "data" / "params"
ORACLE: dict[str, dict[str, object]] = json.loads((DATA / "oracle.json").read_text())


def check(name: str, **settings: object) -> Analysis:
    path = DATA / f"{name}.yaml"
    return analyze(path.read_text(), path, Settings(root=str(DATA), **settings))  # type: ignore[arg-type]


def errors(analysis: Analysis) -> list[tuple[str, str, str]]:
    out = []
    for f in analysis.findings:
        if f.severity == Severity.ERROR:
            s = f.span
            start, end = s
            where = f"{start.line + 1}:{start.character + 1}-{end.line + 1}:{end.character + 1}"
            out.append((f.code, where, f.full_text))
    return out


@pytest.mark.parametrize("name", sorted(ORACLE))
def test_verdict_matches_polyaxon(name: str) -> None:
    verdict = ORACLE[name]
    found = errors(check(name))
    if verdict["ok"]:
        assert found == [], f"Polyaxon accepts {name}, we report {found}"
    else:
        assert found, f"Polyaxon rejects {name} ({verdict['message']}), we report nothing"


# (case, code, range 'line:col-line:col' 1-based, words the message must contain)
EXPECTED = [
    ("missing_required_input", "PLX301", "2:1-2:7", ["Input epochs is required"]),
    ("misspelt_required_param", "PLX301", "2:1-2:7", ["rename param `epohcs` to `epochs`"]),
    ("matrix_null", "PLX300", "3:1-3:10", ["non optional inputs/outputs"]),
    ("matrix_lacks_required_input", "PLX301", "6:1-6:10", ["Input epochs is required"]),
    ("param_fails_validation_note", "PLX302", "5:12-5:15", ["must be less than `0.1`"]),
    ("strict_params_note", "PLX305", "7:3-7:8", ["Received undeclared param `extra`"]),
    ("no_params_at_all", "PLX300", "2:1-2:10", ["non optional inputs/outputs", "lr"]),
    ("int_given_text", "PLX302", "3:11-3:14", ["Cannot convert value `abc`", "`int`"]),
    (
        "unknown_type_param_passed",
        "PLX302",
        "4:19-4:20",
        ["TypeAdapter[integer]", "type `integer`", "did you mean `int`?"],
    ),
    ("int_given_fraction", "PLX302", "3:11-3:14", ["`1.5`", "to `int`"]),
    ("validation_gt_fails", "PLX302", "3:15-3:16", ["must be greater than `0`"]),
    ("options_fails", "PLX302", "3:8-3:13", ["must be one of the values `['adam', 'sgd']`"]),
    # `null` for a required input stays an error: the placeholder of "add missing params".
    ("required_null_placeholder", "PLX302", "3:7-3:11", ["No value was provided", "`lr`"]),
    ("context_only_false_unmatched", "PLX306", "4:3-4:8", ["`extra` requires a matching"]),
    ("strict_undeclared", "PLX305", "5:3-5:8", ["undeclared param `extra`"]),
    ("snake_delay_validation_still_required", "PLX301", "2:1-2:7", ["Input b is required"]),
    ("validation_delay_still_required", "PLX301", "2:1-2:7", ["Input b is required"]),
    ("output_literal_type_checked", "PLX302", "4:8-4:11", ["`abc`", "to `float`"]),
    ("list_int_given_text_item", "PLX302", "3:8-3:14", ["to `List[int]`"]),
    ("is_list_given_scalar", "PLX302", "3:8-3:9", ["typing.List[ForwardRef('int')]"]),
    ("bool_given_two", "PLX302", "3:9-3:10", ["`2`", "to `bool`"]),
    ("dict_given_python_repr", "PLX302", "3:8-3:18", ["to `dict`"]),
    ("path_given_int", "PLX302", "3:6-3:8", ["<class 'str'>"]),
    ("uri_without_scheme", "PLX302", "3:6-3:9", ["clipped.types.uri.Uri"]),
    ("null_param_for_required_input", "PLX302", "3:6-3:10", ["No value was provided"]),
    ("contextonly_true_bound_still_validated", "PLX302", "3:14-3:17", ["`abc`", "`int`"]),
    ("no_run", "PLX905", "1:1-1:5", ["has no run"]),
    ("kindless_no_run", "PLX905", "1:1-1:7", ["has no run"]),
    ("run_patch_without_run", "PLX905", "3:1-3:9", ["runPatch requires a resolved runtime"]),
    (
        "kindless_run_patch_without_run",
        "PLX905",
        "2:1-2:9",
        ["runPatch requires a resolved runtime", "isPreset: true"],
    ),
    ("dag_ref_top_level", "PLX906", "2:9-2:14", ["inside a DAG"]),
    ("path_ref_missing", "PLX900", "2:10-2:34", ["names no file"]),
    ("path_ref_cycle_a", "PLX901", "2:10-2:31", ["form a cycle", "path_ref_cycle_b.yaml"]),
    ("path_ref_bad_value", "PLX302", "3:7-3:10", ["`abc`", "to `float`"]),
    ("path_ref_broken_target", "PLX902", "2:10-2:31", ["`pathRef: broken_component.yaml` is not"]),
    ("component_strict_not_relaxed", "PLX305", "5:3-5:8", ["undeclared param `extra`"]),
]


@pytest.mark.parametrize(("name", "code", "where", "words"), EXPECTED)
def test_diagnostic_rule_range_and_cause(
    name: str, code: str, where: str, words: list[str]
) -> None:
    assert not ORACLE[name]["ok"], "expectations are only written for files Polyaxon rejects"
    found = [e for e in errors(check(name)) if e[0] == code]
    assert found, f"no {code} in {errors(check(name))}"
    assert any(e[1] == where for e in found), f"{code} not at {where}: {found}"
    message = next(e[2] for e in found if e[1] == where)
    for word in words:
        assert word in message


def test_an_unknown_io_type_without_a_value_is_a_warning_on_the_type() -> None:
    # Polyaxon accepts the file (oracle.json): nothing gives the inputs a value yet.
    assert ORACLE["unknown_type_no_value"]["ok"]
    analysis = check("unknown_type_no_value")
    found = [
        (f.code, f.severity, f"{f.span[0].line + 1}:{f.span[0].character + 1}", f.message)
        for f in analysis.findings
    ]
    assert [item[:3] for item in found] == [
        ("PLX204", Severity.WARNING, "6:13"),
        ("PLX204", Severity.WARNING, "9:27"),
    ]
    assert "Input `epochs` has type `flaot`" in found[0][3] and "`float`?" in found[0][3]
    assert "Output `score` has type `strng`" in found[1][3] and "`str`?" in found[1][3]


def test_every_independent_bad_value_is_reported() -> None:
    # Polyaxon stops at `a`; both values are wrong and both are reported.
    found = errors(check("two_bad_values"))
    assert [(code, where) for code, where, _ in found] == [
        ("PLX302", "3:6-3:9"),
        ("PLX302", "4:6-4:9"),
    ]


def test_undeclared_param_is_a_warning_with_a_suggestion() -> None:
    analysis = check("undeclared_param_accepted")
    (finding,) = analysis.findings
    assert finding.code == "PLX303"
    assert finding.severity == Severity.WARNING
    assert finding.span == span("4:3-4:15")
    assert "did you mean `lr`" not in finding.message  # `learning_rat` is far from `lr`


def test_did_you_mean_for_a_near_miss() -> None:
    text = (
        "kind: operation\nparams:\n  learning_rat: 0.1\ncomponent:\n"
        "  inputs: [{name: learning_rate, type: float, isOptional: true}]\n"
        "  run: {kind: job, container: {image: python}}\n"
    )
    (finding,) = analyze(text).findings
    assert finding.code == "PLX303"
    assert "did you mean `learning_rate`?" in finding.message
    assert finding.fixes[0].new_text == "learning_rate"


def test_unresolved_hub_ref_is_information_only() -> None:
    analysis = check("hub_ref_unresolved")
    assert [(f.code, f.severity) for f in analysis.findings] == [("PLX904", Severity.INFORMATION)]


def test_cli_params_are_validated_like_polyaxon_check_dash_p(tmp_path: Path) -> None:
    # `polyaxon check -P epochs=abc` rejects: -P values are strings converted by the input type.
    analysis = check("missing_required_input", params={"epochs": "abc"})
    assert [e[0] for e in errors(analysis)] == ["PLX302"]
    assert "Cannot convert value `abc`" in errors(analysis)[0][2]
    assert errors(check("missing_required_input", params={"epochs": "12"})) == []


def test_strict_params_flag_like_polyaxon_check() -> None:
    found = errors(check("undeclared_param_accepted", strict_params=True))
    assert [e[0] for e in found] == ["PLX305"]


def test_target_216_rejects_undeclared_params() -> None:
    # Spec §21.1 P1: 2.16.4 reports "Received unexpected params".
    found = errors(check("undeclared_param_accepted", target_version="2.16"))
    unexpected = [e for e in found if e[0] == "PLX304"]
    assert [e[1] for e in unexpected] == ["4:3-4:15"]
    assert "Received unexpected params `{'learning_rat'}`" in unexpected[0][2]
    # 2.16 also requires `version: 1.1` (spec §3), which these 2.18 case files omit.
    assert {e[0] for e in found} == {"PLX304", "PLX103"}


@pytest.mark.parametrize(
    ("name", "candidates", "expected"),
    [
        ("learning_rat", ["learning_rate", "epochs"], "learning_rate"),
        ("modle", ["model", "report"], "model"),  # neighbours swapped: one edit
        ("trian", ["train"], "train"),
        ("lr", ["learning_rate"], None),  # too far to be a typo
        ("EPOCHS", ["epochs"], "epochs"),
    ],
)
def test_did_you_mean(name: str, candidates: list[str], expected: str | None) -> None:
    from param_lsp.core.names import did_you_mean

    assert did_you_mean(name, candidates) == expected


@given(st.text(alphabet="abc_", max_size=8), st.text(alphabet="abc_", max_size=8))
@hypothesis_settings(max_examples=3000, deadline=None)
def test_did_you_mean_distance_skips_common_ends_without_changing_it(a: str, b: str) -> None:
    """Stripping a shared prefix and suffix is only a shortcut: the full distance agrees."""
    from param_lsp.core.names import _edit_distance, _osa

    if abs(len(a) - len(b)) <= 3:
        assert _edit_distance(a, b) == _osa(a, b)


def test_did_you_mean_finds_the_transposed_name_among_many() -> None:
    from param_lsp.core.names import did_you_mean

    names = [f"param_{i}" for i in range(1200)]
    assert did_you_mean("parma_1150", names) == "param_1150"
    assert did_you_mean("param_1105x", names) == "param_1105"
    assert did_you_mean("completely_else", names) is None


def test_a_misspelt_required_param_is_pointed_at() -> None:
    """The missing input's error names the param that looks like it, with a note on that param."""
    [finding] = [f for f in check("misspelt_required_param").findings if f.code == "PLX301"]
    notes = [(r.message, r.span.start.line, r.span.start.character) for r in finding.related]
    assert ("param `epohcs` looks like a misspelt `epochs`", 3, 2) in notes


def test_a_required_input_the_matrix_lacks_is_pointed_at_in_the_matrix() -> None:
    [finding] = [f for f in check("matrix_lacks_required_input").findings if f.code == "PLX301"]
    notes = [(r.message, r.span.start.line) for r in finding.related]
    assert ("the matrix has no param `epochs`", 3) in notes


def test_a_required_input_the_first_mapping_row_lacks_is_pointed_at_in_that_row() -> None:
    """Polyaxon reads a `mapping` matrix's params from its first row only (a later row without
    the input is accepted): the note is on the first row."""
    [finding] = [
        f for f in check("matrix_mapping_first_row_lacks_input").findings if f.code == "PLX301"
    ]
    notes = [(r.message, r.span.start.line) for r in finding.related]
    assert ("the matrix's first `values` row (the one Polyaxon reads) has no `opt`", 7) in notes
    assert ORACLE["matrix_mapping_later_row_lacks_input"]["ok"]


def test_a_param_that_fails_the_validation_of_its_input_points_at_the_validation() -> None:
    [finding] = [f for f in check("param_fails_validation_note").findings if f.code == "PLX302"]
    assert "must be less than `0.1`" in str(ORACLE["param_fails_validation_note"]["message"])
    notes = [(r.message, r.span.start.line) for r in finding.related]
    assert notes == [("`ratio` is declared here", 7), ("the `validation` of `ratio`", 9)]


def test_an_undeclared_param_under_strict_params_points_at_the_switch() -> None:
    [finding] = [f for f in check("strict_params_note").findings if f.code == "PLX305"]
    assert "Received undeclared param `extra`" in str(ORACLE["strict_params_note"]["message"])
    assert finding.span.start.line == 6
    assert [(r.message, r.span.start.line) for r in finding.related] == [
        ("`strictParams` is set here", 2)
    ]


def test_a_null_matrix_provides_no_input_and_says_so() -> None:
    [finding] = [f for f in check("matrix_null").findings if f.code == "PLX300"]
    notes = [(r.message, r.span.start.line) for r in finding.related]
    assert ("`matrix` is empty here, so it provides no input", 1) in notes
