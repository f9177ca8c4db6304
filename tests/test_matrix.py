"""Matrix family: hand-written cases checked against Polyaxon 2.18's recorded verdicts.

Every YAML under tests/data/matrix/ is a complete operation whose only problem (if any) is its
matrix; `oracle-verdicts.json` holds what `polyaxon_verdict.py` (Polyaxon 2.18.0) said about
each file. Cases named `io_*` exercise §11.3 (matrix vs component inputs).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from param_lsp.core.context import CheckContext
from param_lsp.core.findings import Finding
from param_lsp.core.settings import Settings
from param_lsp.core.yaml_tree import YMap, YSeq, parse_yaml
from param_lsp.engine.analyze import analyze
from param_lsp.rules import matrix as matrix_rules
from param_lsp.rules import matrix_inputs
from param_lsp.rules.registry import RULES

DATA = Path(__file__).parent / "data" / "matrix"
VERDICTS: dict[str, dict[str, Any]] = json.loads((DATA / "oracle-verdicts.json").read_text())[
    "verdicts"
]
CASES = sorted(VERDICTS)


def _root(path: Path) -> YMap:
    root = parse_yaml(path.read_text()).root
    assert isinstance(root, YMap)
    return root


def check(path: Path, version: str = "2.18") -> tuple[bool, list[Finding]]:
    root = _root(path)
    ctx = CheckContext(Settings.from_mapping({"targetVersion": version}))
    ok = matrix_rules.check_matrix_schema(root.get("matrix"), ctx, root.key_node("matrix"))
    return ok, ctx.findings


def input_findings(path: Path) -> list[Finding]:
    """§11.3 for every input without a param, in declared order."""
    root = _root(path)
    component = root.get("component")
    assert isinstance(component, YMap)
    params = root.get("params")
    inputs = component.get("inputs")
    found = []
    for io in inputs.items if isinstance(inputs, YSeq) else []:
        assert isinstance(io, YMap)
        name = io.get("name").to_py()  # type: ignore[union-attr]
        if isinstance(params, YMap) and name in params:
            continue
        io_type = io.get("type")
        finding = matrix_inputs.check_matrix_against_input(
            root.get("matrix"), name, io_type.to_py() if io_type is not None else None
        )
        if finding is not None:
            found.append(finding)
    return found


@pytest.mark.parametrize("case", CASES)
def test_agrees_with_polyaxon(case: str) -> None:
    verdict = VERDICTS[case]
    path = DATA / case
    ok, findings = check(path)
    errors = [f for f in findings if f.severity == 1]
    if case.startswith("io_"):
        assert ok and not errors, findings
        found = input_findings(path)
        message = verdict["message"] or ""
        matrix_caused = "hyper-param type" in message or verdict["error_type"] in (
            "TypeError",
            "AttributeError",
        )
        assert bool(found) == matrix_caused, (found, message)
        return
    if verdict["ok"]:
        assert ok and not errors, findings
    else:
        assert verdict["stage"] == "schema", verdict
        assert errors, verdict["message"]
        assert not ok or all(f.code == "PLX607" for f in errors)


def _span(f: Finding) -> tuple[int, int, int, int]:
    s = f.span
    return (s.start.line, s.start.character, s.end.line, s.end.character)


#: case → [(code, (line, col, end line, end col), words the message must contain)]
EXPECTED: dict[str, list[tuple[str, tuple[int, int, int, int], tuple[str, ...]]]] = {
    "bad_bayes_missing": [
        ("PLX703", (1, 0, 1, 6), ("numInitialRuns", "bayes")),
        ("PLX703", (1, 0, 1, 6), ("maxIterations", "bayes")),
        ("PLX703", (1, 0, 1, 6), ("metric", "bayes")),
    ],
    "bad_bayes_params_empty": [
        ("PLX704", (7, 10, 7, 12), ("matrix.params", "bayes")),
    ],
    "bad_bayes_params_tmpl": [
        ("PLX705", (7, 10, 7, 19), ("matrix.params", "bayes")),
    ],
    "bad_es_policy_nokind": [
        ("PLX703", (5, 86, 5, 92), ("matrix.earlyStopping[0].policy", "kind")),
    ],
    "bad_grid_params_null": [
        ("PLX704", (3, 10, 3, 14), ("matrix.params",)),
    ],
    "bad_hyperband_maxit_zero": [
        ("PLX704", (3, 17, 3, 18), ("matrix.maxIterations", "0")),
    ],
    "bad_iterative_maxit_tmpl": [
        ("PLX705", (3, 17, 3, 26), ("matrix.maxIterations", "{{ m }}")),
    ],
    "bad_iterative_tuner_tmpl": [
        ("PLX704", (4, 9, 4, 18), ("matrix.tuner", "{{ t }}")),
    ],
    "bad_kind_hyperopt": [
        ("PLX701", (2, 8, 2, 16), ("hyperopt", "grid")),
    ],
    "bad_mapping_extra": [
        ("PLX702", (4, 2, 4, 8), ("params", "matrix")),
    ],
    "bad_random_numruns_date": [
        ("PLX705", (3, 11, 3, 21), ("matrix.numRuns", "2020-01-01")),
    ],
    "bad_random_numruns_zero_float": [
        ("PLX704", (3, 11, 3, 14), ("matrix.numRuns", "0.5")),
    ],
    "bad_random_unknown": [
        ("PLX702", (3, 2, 3, 9), ("numruns", "matrix")),
        ("PLX703", (1, 0, 1, 6), ("numRuns", "random")),
    ],
    "bad_bayes_acq_null_kappa": [
        ("PLX706", (6, 2, 6, 17), ("ucb", "matrix.utilityFunction.kappa")),
    ],
    "bayes_nonuniform": [
        ("PLX721", (7, 15, 7, 21), ("lr", "normal")),
        ("PLX721", (8, 14, 8, 21), ("a", "pchoice")),
    ],
    "bayes_uf_ei": [
        ("PLX704", (6, 41, 6, 43), ("matrix.utilityFunction.acquisitionFunction", "ucb")),
        ("PLX704", (6, 71, 6, 74), ("matrix.utilityFunction.gaussianProcess.kernel", "rbf")),
        ("PLX704", (5, 37, 5, 45), ("matrix.metric.optimization", "maximize")),
    ],
    "bayes_uf_empty": [
        ("PLX706", (6, 2, 6, 17), ("ucb", "matrix.utilityFunction.kappa")),
    ],
    "both_alias": [
        ("PLX702", (3, 2, 3, 10), ("num_runs", "numRuns")),
        ("PLX704", (4, 11, 4, 12), ("matrix.numRuns", "{{ }}")),
    ],
    "es_all": [
        ("PLX704", (17, 20, 17, 28), ("matrix.earlyStopping[2].optimization", "maximize")),
        ("PLX704", (18, 49, 18, 53), ("matrix.earlyStopping[2].policy.evaluationInterval",)),
        ("PLX703", (20, 6, 20, 36), ("percent", "matrix.earlyStopping[4]")),
        ("PLX704", (21, 44, 21, 45), ("matrix.earlyStopping[5].metric", "1")),
        ("PLX704", (21, 54, 21, 55), ("matrix.earlyStopping[5].value", "{{ }}")),
        ("PLX703", (21, 81, 21, 87), ("evaluationInterval", "matrix.earlyStopping[5].policy")),
        ("PLX702", (22, 139, 22, 155), ("includeSucceeded", "matrix.earlyStopping[6].policy")),
        (
            "PLX704",
            (22, 134, 22, 137),
            ("matrix.earlyStopping[6].policy.evaluationInterval", "{{ }}"),
        ),
        ("PLX704", (23, 13, 23, 17), ("nope", "matrix.earlyStopping[7]")),
    ],
    "grid_dist": [
        ("PLX720", (4, 15, 4, 22), ("lr", "uniform")),
        ("PLX720", (6, 14, 6, 21), ("c", "qnormal")),
    ],
    "grid_tmpl_numruns": [
        ("PLX705", (3, 11, 3, 20), ("matrix.numRuns", "{{ n }}")),
    ],
    "grid_zero": [
        ("PLX704", (3, 11, 3, 12), ("matrix.numRuns", "{{ }}")),
    ],
    "hb_resource_bad": [
        ("PLX703", (3, 2, 3, 10), ("name", "matrix.resource")),
        ("PLX704", (3, 19, 3, 25), ("matrix.resource.type", "int")),
        ("PLX703", (4, 2, 4, 8), ("name", "matrix.metric")),
    ],
    "hp_a": [
        ("PLX711", (5, 28, 5, 34), ("range", "a")),
    ],
    "hp_b": [
        ("PLX711", (5, 28, 5, 33), ("range", "b")),
    ],
    "hp_c": [
        ("PLX702", (5, 57, 5, 60), ("foo", "range")),
    ],
    "hp_d": [
        ("PLX712", (5, 32, 5, 33), ("range", "d")),
    ],
    "hp_e": [
        ("PLX713", (5, 35, 5, 36), ("range", "e")),
    ],
    "hp_f": [
        ("PLX713", (5, 38, 5, 39), ("linspace", "f")),
    ],
    "hp_g": [
        ("PLX713", (5, 38, 5, 39), ("quniform", "g")),
    ],
    "hp_h": [
        ("PLX711", (5, 32, 5, 57), ("daterange", "h")),
    ],
    "hp_i": [
        ("PLX714", (5, 30, 5, 50), ("pchoice", "i")),
    ],
    "hp_j": [
        ("PLX711", (5, 35, 5, 36), ("pchoice", "j")),
        ("PLX711", (5, 43, 5, 44), ("pchoice", "j")),
    ],
    "hp_k": [
        ("PLX711", (5, 31, 5, 42), ("pchoice", "k")),
    ],
    "hp_l": [
        ("PLX711", (5, 28, 5, 30), ("range", "l")),
    ],
    "hp_m": [
        ("PLX711", (5, 28, 5, 33), ("range", "m")),
    ],
    "hp_q": [
        ("PLX712", (5, 45, 5, 55), ("daterange", "q")),
    ],
    "hp_r": [
        ("PLX713", (5, 61, 5, 62), ("datetimerange", "r")),
    ],
    "hp_ref": [
        ("PLX702", (5, 34, 5, 37), ("a", "ref")),
        ("PLX703", (7, 4, 7, 5), ("value", "choice")),
        ("PLX703", (8, 4, 8, 5), ("value", "datetimerange")),
        ("PLX710", (10, 7, 10, 8), ("f", "{kind: ..., value: ...}")),
        ("PLX710", (11, 7, 11, 11), ("g", "{kind: ..., value: ...}")),
        ("PLX710", (12, 4, 12, 5), ("h", "kind")),
        ("PLX710", (13, 14, 13, 15), ("i", "5")),
    ],
    "hp_t": [
        ("PLX711", (5, 35, 5, 38), ("pchoice", "t")),
    ],
    "hp_u": [
        ("PLX711", (5, 37, 5, 40), ("uniform", "u")),
    ],
    "hp_x": [
        ("PLX712", (5, 28, 5, 35), ("range", "x")),
    ],
    "hp_y": [
        ("PLX711", (5, 45, 5, 49), ("pchoice", "y")),
    ],
    "hp_z": [
        ("PLX711", (5, 31, 5, 35), ("pchoice", "z")),
    ],
    "hp_bad_geomspace_order": [
        ("PLX712", (5, 54, 5, 55), ("geomspace", "bad_geomspace_order")),
    ],
    "hp_bad_logspace_zero": [
        ("PLX713", (5, 47, 5, 54), ("logspace", "bad_logspace_zero")),
    ],
    "hp_bad_qnormal_zero": [
        ("PLX713", (5, 67, 5, 68), ("qnormal", "bad_qnormal_zero")),
    ],
    "hp_bad_qlognormal_short": [
        ("PLX711", (5, 52, 5, 58), ("qlognormal", "bad_qlognormal_short")),
    ],
    "hp_bad_lognormal_map": [
        ("PLX702", (5, 57, 5, 62), ("sigma", "lognormal")),
        ("PLX711", (5, 48, 5, 66), ("lognormal", "bad_lognormal_map")),
    ],
    "hp_bad_datetimerange_str": [
        ("PLX711", (5, 56, 5, 82), ("datetimerange", "bad_datetimerange_str")),
    ],
    "hp_bad_daterange_map_missing": [
        ("PLX711", (5, 56, 5, 93), ("daterange", "bad_daterange_map_missing")),
    ],
    "hp_bad_kind_upper": [
        ("PLX710", (5, 27, 5, 33), ("bad_kind_upper", "Choice")),
    ],
    "hp_bad_list_value": [
        ("PLX710", (5, 20, 5, 26), ("bad_list_value", "{kind: ..., value: ...}")),
    ],
    "kind_missing": [
        ("PLX701", (1, 0, 1, 6), ("matrix", "kind")),
    ],
    "kind_upper": [
        ("PLX701", (2, 8, 2, 12), ("GRID", "grid")),
    ],
    "mapping_bad": [
        ("PLX704", (3, 19, 3, 20), ("matrix.values[1]", "3")),
        ("PLX704", (3, 22, 3, 25), ("matrix.values[2]",)),
    ],
    "mapping_none": [
        ("PLX703", (1, 0, 1, 6), ("values", "mapping")),
    ],
    "mapping_tmpl_conc": [
        ("PLX705", (3, 15, 3, 24), ("matrix.concurrency", "{{ c }}")),
    ],
    "matrix_list": [
        ("PLX700", (1, 8, 1, 11), ("matrix", "kind")),
    ],
    "matrix_tmpl": [
        ("PLX700", (1, 8, 1, 17), ("matrix", "kind")),
    ],
    "tpe_algo": [
        ("PLX702", (3, 2, 3, 11), ("algorithm", "matrix")),
        ("PLX704", (5, 8, 5, 11), ("matrix.seed", "{{ }}")),
    ],
    "tpe_null_numruns": [
        ("PLX704", (3, 11, 3, 15), ("matrix.numRuns",)),
    ],
    "tuner_all": [
        ("PLX704", (8, 9, 8, 10), ("matrix.tuner.params.a", "{value: ...}")),
        ("PLX704", (10, 17, 10, 18), ("matrix.tuner.params.c", "ref")),
        ("PLX702", (11, 66, 11, 69), ("foo", "matrix.tuner.params.d")),
        ("PLX702", (12, 10, 12, 14), ("kind", "matrix.tuner.params.e")),
    ],
    "tuner_nohub": [
        ("PLX703", (4, 2, 4, 7), ("hubRef", "matrix.tuner")),
        ("PLX704", (4, 23, 4, 24), ("matrix.tuner.presets[1]", "1")),
        ("PLX704", (4, 34, 4, 35), ("matrix.tuner.queue", "1")),
    ],
    "hp_key_int": [
        ("PLX704", (5, 4, 5, 5), ("1",)),
    ],
}


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_expected_findings(case: str) -> None:
    _ok, findings = check(DATA / f"{case}.yaml")
    got = [(f.code, _span(f), f.message) for f in findings]
    assert len(got) == len(EXPECTED[case]), got
    for (code, span, message), (want_code, want_span, words) in zip(
        got, EXPECTED[case], strict=True
    ):
        assert (code, span) == (want_code, want_span), got
        for word in words:
            assert word in message, message


def _parse(text: str) -> YMap:
    root = parse_yaml(text).root
    assert isinstance(root, YMap)
    return root


def _check_text(text: str, version: str = "2.18") -> tuple[bool, list[Finding]]:
    root = _parse(text)
    ctx = CheckContext(Settings.from_mapping({"targetVersion": version}))
    ok = matrix_rules.check_matrix_schema(root.get("matrix"), ctx, root.key_node("matrix"))
    return ok, ctx.findings


HYPEROPT = """
matrix:
  kind: hyperopt
  algorithm: anneal
  numRuns: 3
  metric: {name: loss}
  params:
    lr: {kind: uniform, value: [0, 1]}
"""


def test_hyperopt_is_216_only() -> None:
    # 2.16 has no oracle here: the model is polyaxon/cli v2.16.4's V1Hyperopt (spec §11.1, S15).
    assert _check_text(HYPEROPT, "2.16") == (True, [])
    ok, findings = _check_text(HYPEROPT)
    assert not ok and [f.code for f in findings] == ["PLX701"]
    assert "tpe" in findings[0].message
    ok, findings = _check_text(HYPEROPT.replace("hyperopt", "tpe").replace("anneal", "x"), "2.16")
    assert not ok and "`tpe` is new in Polyaxon 2.18" in findings[0].message
    bad = HYPEROPT.replace("anneal", "bayes")
    ok, findings = _check_text(bad, "2.16")
    assert not ok and findings[0].code == "PLX704" and "`anneal`" in findings[0].message


def test_matrix_null_and_absent_are_valid() -> None:
    assert _check_text("matrix: null") == (True, [])
    ctx = CheckContext(Settings.from_mapping({}))
    assert matrix_rules.check_matrix_schema(None, ctx) and not ctx.findings


COVER = """
matrix:
  kind: hyperband
  resource: {name: epochs}
  params:
    lr: {kind: uniform, value: [0, 1]}
    opt: {kind: choice, value: [adam]}
    day: {kind: daterange, value: [2020-01-01, 2020-02-01, 1]}
"""


def test_matrix_covers() -> None:
    node = _parse(COVER).get("matrix")
    lr = matrix_inputs.matrix_covers(node, "lr")
    assert lr.covered and lr.hp_kind == "uniform" and lr.source is not None
    assert matrix_inputs.matrix_covers(node, "epochs").covered
    assert not matrix_inputs.matrix_covers(node, "other").covered
    assert matrix_inputs.check_matrix_against_input(node, "lr", "float") is None
    assert matrix_inputs.check_matrix_against_input(node, "opt", "List[int]") is None
    assert matrix_inputs.check_matrix_against_input(node, "epochs", "str") is None
    assert matrix_inputs.check_matrix_against_input(node, "day", "date") is None
    finding = matrix_inputs.check_matrix_against_input(node, "day", "datetime")
    assert finding is not None and finding.code == "PLX730" and "`date`" in finding.message
    mapping = _parse("matrix: {kind: mapping, values: [{a: 1}, {b: 2}]}").get("matrix")
    assert matrix_inputs.matrix_covers(mapping, "a").covered
    assert not matrix_inputs.matrix_covers(mapping, "b").covered


def test_covers_input_reports_through_context() -> None:
    from param_lsp.core.model import read_io

    root = _parse(COVER + "inputs:\n  - {name: lr, type: str}\n  - {name: x, type: int}\n")
    inputs = root.get("inputs")
    assert isinstance(inputs, YSeq)
    lr, x = (read_io(item, is_output=False, source=None) for item in inputs.items)
    assert lr is not None and x is not None
    ctx = CheckContext(Settings.from_mapping({}))
    assert matrix_inputs.covers_input(root.get("matrix"), lr, ctx)
    assert [f.code for f in ctx.findings] == ["PLX730"]
    assert not matrix_inputs.covers_input(root.get("matrix"), x, ctx)
    assert len(ctx.findings) == 1


def test_rules_are_declared_once_with_examples() -> None:
    codes = [code for code in RULES if code.startswith("PLX7")]
    assert len(codes) >= 14
    for code in codes:
        declared = RULES[code]
        assert declared.family == "matrix" and declared.polyaxon_rejects
        assert declared.bad and declared.good and declared.doc


def test_rule_examples_agree_with_the_checker() -> None:
    for code in (c for c in RULES if c.startswith("PLX7") and c not in ("PLX730", "PLX731")):
        declared = RULES[code]
        _bad_ok, bad_findings = _check_text(declared.bad)
        assert code in {f.code for f in bad_findings}, code
        assert _check_text(declared.good) == (True, []), code


# -- corpus ------------------------------------------------------------------------------------

CORPUS = Path(os.environ.get("PARAM_LSP_CORPUS", "/work/shared/corpus/real"))


def corpus_verdicts() -> list[dict[str, Any]]:
    path = CORPUS / "oracle-verdicts.jsonl"
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def section_nodes(root: YMap, section: str) -> list[tuple[Any, Any]]:
    """`section` of the document and of every DAG operation in it."""
    holders: list[YMap] = [root]
    stack: list[Any] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, YMap):
            for key, (_k, value) in node.items():
                if key == "operations" and isinstance(value, YSeq):
                    holders.extend(i for i in value.items if isinstance(i, YMap))
                stack.append(value)
        elif isinstance(node, YSeq):
            stack.extend(node.items)
    return [(h.key_node(section), h.get(section)) for h in holders if section in h.index]


def concerns(verdict: dict[str, Any], section: str) -> bool:
    message = verdict.get("message") or ""
    if verdict["ok"] or verdict["stage"] != "schema":
        return False
    lines = message.splitlines()
    return any(line == section or line.startswith(f"{section}.") for line in lines)


@pytest.mark.skipif(not corpus_verdicts(), reason=f"no corpus verdicts under {CORPUS}")
def test_corpus_matrix() -> None:
    rejected = accepted = 0
    for verdict in corpus_verdicts():
        root = parse_yaml((CORPUS / verdict["file"]).read_text()).root
        if not isinstance(root, YMap):
            continue
        nodes = section_nodes(root, "matrix")
        if not nodes:
            continue
        ctx = CheckContext(Settings.from_mapping({}))
        for key_node, node in nodes:
            matrix_rules.check_matrix_schema(node, ctx, key_node)
        errors = [f for f in ctx.findings if f.severity == 1]
        if verdict["ok"]:
            accepted += 1
            assert not errors, (verdict["file"], errors)
        elif concerns(verdict, "matrix"):
            rejected += 1
            assert errors, verdict["file"]
    assert rejected >= 10 and accepted >= 10


_SWEPT = (
    "kind: operation\nversion: 1.1\ncomponent:\n  inputs: [{name: lr, type: float}]\n"
    "  run: {kind: job, container: {image: busybox}}\nmatrix:\n"
)


@pytest.mark.parametrize(
    ("matrix", "code", "message"),
    [
        # Each is rejected by Polyaxon 2.18 (pydantic: missing, int_type on null, a union
        # without its tag); the message ends with the fix.
        (
            "  kind: random\n  params:\n    lr: {kind: uniform, value: [0.1, 0.2]}\n",
            "PLX703",
            "`numRuns` is required for a `random` matrix (missing in `matrix`); add it.",
        ),
        (
            "  kind: random\n  numRuns: null\n  params:\n"
            "    lr: {kind: uniform, value: [0.1, 0.2]}\n",
            "PLX704",
            "`matrix.numRuns` cannot be null; give it a value.",
        ),
        (
            "  kind: grid\n  params:\n    lr: {value: [0.1, 0.2]}\n",
            "PLX710",
            "Matrix param `lr` has no `kind`; add one such as `kind: choice`.",
        ),
        (
            "  kind: grid\n  params:\n    lr: {kind: choice}\n",
            "PLX703",
            "`value` is required for the `choice` matrix param `lr`; add it.",
        ),
    ],
)
def test_missing_and_null_matrix_fields_say_the_fix(matrix: str, code: str, message: str) -> None:
    found = analyze(_SWEPT + matrix).findings
    assert [(f.code, f.message) for f in found] == [(code, message)]


@pytest.mark.parametrize(
    ("matrix", "code", "misspelt", "replacement", "safe"),
    [
        # Rejected by Polyaxon 2.18 (a union tag it does not know).
        ("  kind: gird\n  params:\n    lr: {kind: choice, value: [0.1]}\n", "PLX701", "gird",
         "grid", True),
        ("  kind: grid\n  params:\n    lr: {kind: logspce, value: [0.1, 1, 3]}\n", "PLX710",
         "logspce", "logspace", True),
        # `choice` and `pchoice` are both close: offered in the editor, never applied unattended.
        ("  kind: grid\n  params:\n    lr: {kind: choise, value: [0.1]}\n", "PLX710", "choise",
         "choice", False),
    ],
)  # fmt: skip
def test_a_misspelt_matrix_or_hyper_parameter_kind_gets_a_replacement(
    matrix: str, code: str, misspelt: str, replacement: str, safe: bool
) -> None:
    text = _SWEPT + matrix
    (finding,) = [f for f in analyze(text).findings if f.code == code]
    assert f"`{replacement}`" in finding.message
    (fix,) = finding.fixes
    assert (fix.new_text, fix.safe) == (replacement, safe)
    line = text.split("\n")[fix.span.start.line]
    assert line[fix.span.start.character : fix.span.end.character] == misspelt
    assert analyze(text.replace(misspelt, replacement)).findings == []
