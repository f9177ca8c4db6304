"""DAG family (§12, §21.4): structure, graph (orphans, cycles), typed edges, per-op params.

Verdicts come from Polyaxon 2.18 (tests/data/dag/oracle.json).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from param_lsp.core.findings import Severity
from param_lsp.core.settings import Settings
from param_lsp.core.workspace import Workspace
from param_lsp.engine.analyze import analyze
from param_lsp.rules.dag import _strongly_connected
from tests.oracle_cases import (
    DATA,
    analyze_case,
    assert_agrees_with_oracle,
    case_names,
    errors,
    find,
    oracle,
)

FAMILY = "dag"

EXPECTED = [
    ("no_operations.yaml", "PLX500", "4:5-4:9", ["it has no ops to validate components"]),
    ("empty_operations.yaml", "PLX500", "5:5-5:15", ["it has no ops to validate components"]),
    ("component_without_name.yaml", "PLX501", "9:9-9:12", ["Pipeline component requires a name."]),
    ("duplicate_component.yaml", "PLX502", "9:16-9:17",
     ["multiple components with the same name `a`"]),
    ("op_without_name.yaml", "PLX503", "7:9-7:15", ["Pipeline op requires a name."]),
    ("duplicate_op.yaml", "PLX504", "7:15-7:20", ["multiple ops with the same name `train`"]),
    ("unknown_dag_ref.yaml", "PLX505", "9:17-9:23",
     ["op with name `train` requires a component with name `traner`", "did you mean `trainer`?"]),
    ("template_cycle.yaml", "PLX506", "10:27-10:28",
     ["`a` -> `b` -> `a`"]),
    ("node_schedule.yaml", "PLX507", "8:9-8:17", ["DAG node `train` cannot define a schedule."]),
    ("op_without_definition.yaml", "PLX508", "6:15-6:20", ["no definition field `train`"]),
    ("op_empty_dag_ref.yaml", "PLX508", "7:9-7:15", ["has an empty `dagRef`"]),
    ("op_empty_params.yaml", "PLX300", "8:9-8:15", ["Please check: <op train>"]),
    ("op_component_without_run.yaml", "PLX508", "6:15-6:20",
     ["gets no `run` from component `trainer` (its `dagRef`)"]),
    ("orphan_dependency.yaml", "PLX509", "12:24-12:29",
     ["orphan ops: `{'trian'}`", "Unknown op `trian`"]),
    ("orphan_param_ref.yaml", "PLX509", "13:23-13:34", ["orphan ops: `{'prepare'}`"]),
    ("orphan_event.yaml", "PLX509", "13:50-13:61", ["orphan ops: `{'trainer'}`"]),
    ("orphan_component_param.yaml", "PLX509", "14:25-14:36", ["orphan ops: `{'missing'}`"]),
    ("cycle_1.yaml", "PLX510", "11:21-11:30", ["not acyclic", "`train` depends on itself"]),
    ("cycle_2.yaml", "PLX510", "10:24-10:32", ["`train` waits for `evaluate` waits for `train`"]),
    ("cycle_2.yaml", "PLX510", "14:23-14:32", ["`evaluate` waits for `train` waits for"]),
    ("cycle_3.yaml", "PLX510", "10:24-10:25", ["`a` waits for `c` waits for `b` waits for `a`"]),
    ("cycle_3.yaml", "PLX510", "13:24-13:25", ["`b` waits for `a` waits for `c` waits for `b`"]),
    ("cycle_3.yaml", "PLX510", "17:23-17:28", ["`c` waits for `b` waits for `a` waits for `c`"]),
    ("missing_output.yaml", "PLX406", "13:49-13:52",
     ["reference with name `ops.train` has no such information",
      "`ops.train` has no output `los`; did you mean `loss`?"]),
    ("missing_upstream_input.yaml", "PLX406", "13:48-13:51", ["has no input `lrr`"]),
    ("path_ref_op.yaml", "PLX406", "14:49-14:53", ["has no output `lost`; did you mean `loss`?"]),
    ("dag_outputs_key.yaml", "PLX406", "11:35-11:42", ["`ref: dag` offers no `outputs`"]),
    ("dag_io.yaml", "PLX406", "11:35-11:37", ["`ref: dag` offers no `io`"]),
    ("dag_unknown_input.yaml", "PLX406", "11:42-11:47",
     ["the DAG has no input `epoch`; did you mean `epochs`?"]),
    ("unknown_global.yaml", "PLX406", "13:51-13:67",
     ["`run_outputs_path` is not a referenceable global"]),
    ("type_mismatch.yaml", "PLX407", "13:42-13:54",
     ["input type `int`", "received from `ops.train` with type `float`"]),
    ("globals_typed_str.yaml", "PLX407", "13:42-13:59", ["with type `str`"]),
    ("untyped_input.yaml", "PLX407", "13:44-13:56", ["input type `None`", "has no type"]),
    ("list_mismatch.yaml", "PLX408", "13:41-13:53",
     ["List[`str`]and it does not correspond", "`isList` (omitted here, `false` there)"]),
    ("output_param_ref.yaml", "PLX405", "13:24-13:33", ["output params are checked without"]),
    ("required_input_in_op.yaml", "PLX300", "6:15-6:20", ["Please check: <op train>"]),
    ("strict_op.yaml", "PLX305", "11:11-11:16", ["undeclared param `extra`", "<op train>"]),
    ("path_ref_missing.yaml", "PLX900", "7:18-7:41", ["names no file"]),
    ("nested_dag.yaml", "PLX511", "12:25-12:32",
     ["requires a component with name `missing`", "nested DAG of op `outer`"]),
    ("nested_dag.yaml", "PLX511", "15:32-15:37", ["orphan ops: `{'ghost'}`"]),
    ("op_bad_ref_alone.yaml", "PLX403", "9:19-9:22", ["`ops` needs a name: `ops.<name>`"]),
    ("op_dag_ref_not_a_name.yaml", "PLX111", "7:15-7:16", ["must be a string"]),
    ("op_dag_ref_not_a_name.yaml", "PLX403", "9:19-9:22", ["`ops` needs a name: `ops.<name>`"]),
    # A nested DAG's references are resolved with the file (spec §21.6 step 3, R5): errors there.
    ("nested_ref_missing.yaml", "PLX900", "13:26-13:51",
     ["`pathRef: ./components/missing.yaml` names no file"]),
    ("op_path_ref_to_broken_dag.yaml", "PLX902", "8:18-8:56",
     ["is not a valid component: `pathRef: ./missing.yaml` names no file"]),
    ("path_ref_to_broken_dag.yaml", "PLX902", "3:10-3:48",
     ["is not a valid component: `pathRef: ./missing.yaml` names no file"]),
    ("path_ref_to_dag_with_invalid_leaf.yaml", "PLX902", "3:10-3:49",
     ["`pathRef: ./invalid_leaf.yaml` is not a valid component", "input `a` must be type `int`"]),
    ("path_ref_dag_cycle.yaml", "PLX901", "8:18-8:43",
     ["The references form a cycle", "cycle_b.yaml` -> pathRef `", "cycle_a.yaml`); break it"]),
]  # fmt: skip


@pytest.mark.parametrize("name", case_names(FAMILY))
def test_verdict_matches_polyaxon(name: str) -> None:
    assert_agrees_with_oracle(FAMILY, name)


@pytest.mark.parametrize(("name", "code", "where", "words"), EXPECTED)
def test_finding_code_range_and_message(name: str, code: str, where: str, words: list[str]) -> None:
    finding = find(analyze_case(FAMILY, name), code, where)
    for word in words:
        assert word in finding.full_text, finding.full_text


def test_every_rejected_case_has_an_expectation() -> None:
    rejected = {name for name, row in oracle(FAMILY).items() if not row["ok"]}
    assert rejected <= {name for name, *_ in EXPECTED}


@pytest.mark.parametrize(
    "name", ["valid.yaml", "template_chain_ok.yaml", "hub_ref_op.yaml", "nested_dag.yaml"]
)
def test_accepted_pipelines_have_no_errors(name: str) -> None:
    assert oracle(FAMILY)[name]["ok"]
    assert not errors(analyze_case(FAMILY, name))


def test_an_op_whose_reference_is_no_name_still_has_its_refs_checked() -> None:
    """`dagRef: 3` is a schema error (and nothing else: no "gets no `run`" on top of it); the
    op's params are not checked against a component it has not, but whether each `ref` is well
    formed does not depend on one."""
    analysis = analyze_case(FAMILY, "op_dag_ref_not_a_name.yaml")
    assert [f.code for f in errors(analysis)] == ["PLX111", "PLX403"]


def test_cycle_is_reported_at_every_edge_and_nothing_else() -> None:
    analysis = analyze_case(FAMILY, "cycle_3.yaml")
    assert [f.code for f in errors(analysis)] == ["PLX510"] * 3


def test_unknown_upstream_is_an_orphan_not_a_missing_output() -> None:
    """Polyaxon checks orphans before params: `ops.prepare` is reported once, as an orphan."""
    analysis = analyze_case(FAMILY, "orphan_param_ref.yaml")
    assert [f.code for f in errors(analysis)] == ["PLX509"]


def test_hub_component_outputs_are_not_judged() -> None:
    analysis = analyze_case(FAMILY, "hub_ref_op.yaml")
    assert [f.code for f in analysis.findings] == ["PLX904"]


def test_nested_dag_findings_are_warnings() -> None:
    analysis = analyze_case(FAMILY, "nested_dag.yaml")
    assert {f.code for f in analysis.findings} == {"PLX511"}
    assert all(f.severity.label == "warning" for f in analysis.findings)


def test_path_ref_component_change_rechecks_the_dag() -> None:
    workspace = Workspace(root=DATA / FAMILY)
    analyze_case(FAMILY, "path_ref_op.yaml", workspace)
    component = DATA / FAMILY / "components" / "trainer.yaml"
    assert (DATA / FAMILY / "path_ref_op.yaml") in workspace.users_of(component)
    # An unsaved edit of the component is seen by the DAG: rename the output it refers to.
    text = component.read_text(encoding="utf-8").replace("name: loss", "name: lost")
    workspace.set_override(component, text)
    analysis = analyze_case(FAMILY, "path_ref_op.yaml", workspace)
    messages = [f.message for f in errors(analysis)]
    assert any("has no output `loss`" in m for m in messages), messages
    assert not any("has no output `lost`" in m for m in messages), messages


def test_strongly_connected_components() -> None:
    edges = {"a": ["b"], "b": ["c"], "c": ["a"], "d": ["d"], "e": ["a"]}
    components = sorted(sorted(c) for c in _strongly_connected(edges))
    assert components == [["a", "b", "c"], ["d"], ["e"]]


def _big_dag(ops: int) -> str:
    lines = [
        "kind: operation",
        "component:",
        "  inputs: [{name: seed, type: int, isOptional: true, value: 1}]",
        "  run:",
        "    kind: dag",
        "    operations:",
    ]
    for i in range(ops):
        lines += [f"      - name: op{i}", "        dagRef: step"]
        if i:
            lines += [
                f"        dependencies: [op{i - 1}]",
                "        params:",
                f"          x: {{ref: ops.op{i - 1}, value: outputs.y}}",
                "          seed: {ref: dag, value: inputs.seed}",
                "          note: {value: '{{ globals.uuid }}'}",
            ]
        else:
            lines += ["        params:", "          x: {value: 0.5}"]
    lines += [
        "    components:",
        "      - name: step",
        "        inputs: [{name: x, type: float}, {name: seed, type: int, isOptional: true},",
        "                 {name: note, type: str, isOptional: true}]",
        "        outputs: [{name: y, type: float}]",
        "        run: {kind: job, container: {image: python, args: ['{{ x }}']}}",
    ]
    return "\n".join(lines) + "\n"


def test_large_dag_is_linear(tmp_path: Path) -> None:
    """A 500-op chain (~4,500 lines) analyses without errors and well under a second."""
    from param_lsp.engine.analyze import analyze

    text = _big_dag(500)
    started = time.perf_counter()
    analysis = analyze(text, tmp_path / "big.yaml")
    elapsed = time.perf_counter() - started
    assert not errors(analysis), [f.message for f in errors(analysis)][:3]
    assert elapsed < 5.0


def test_an_op_whose_component_has_no_run_points_at_the_component() -> None:
    finding = find(analyze_case(FAMILY, "op_component_without_run.yaml"), "PLX508", "6:15-6:20")
    assert [(r.message, r.span.start.line) for r in finding.related] == [
        ("component `trainer` (its `dagRef`) is defined here, without a `run`", 8)
    ]


def test_a_misspelt_output_ref_points_at_the_output_it_may_mean() -> None:
    finding = find(analyze_case(FAMILY, "missing_output.yaml"), "PLX406", "13:49-13:52")
    [related] = finding.related
    assert related.message == "output `loss` of `ops.train` is declared here"
    assert (related.span.start.line, related.span.start.character) == (16, 18)  # `{name: loss`


PAIRS = Path(__file__).parent / "data" / "dag" / "pairs"
PAIR_VERDICTS: dict[str, dict[str, object]] = json.loads(
    (PAIRS / "oracle-verdicts.json").read_text(encoding="utf-8")
)["verdicts"]


def _pair_errors(name: str) -> list[tuple[str, int]]:
    path = PAIRS / name
    result = analyze(path.read_text(encoding="utf-8"), path, Settings(), Workspace(root=PAIRS))
    return [(f.code, f.span.start.line) for f in result.findings if f.severity == Severity.ERROR]


def test_a_broken_param_of_an_op_leaves_its_other_params_checked() -> None:
    """A param with a schema error (`ref` without a `value`) waits; the op's other params are
    still checked (a ref to an output the upstream op does not have)."""
    alone = {
        "op_param_broken_alone.yaml": ("PLX120", 12),
        "op_missing_output_alone.yaml": ("PLX406", 10),
    }
    for name, error in alone.items():
        assert not PAIR_VERDICTS[name]["ok"]
        assert _pair_errors(name) == [error]
    assert not PAIR_VERDICTS["op_param_broken_and_missing_output.yaml"]["ok"]
    assert sorted(_pair_errors("op_param_broken_and_missing_output.yaml")) == sorted(alone.values())


def test_an_output_whose_name_is_not_typed_yet_leaves_the_ops_params_checked() -> None:
    """A component output with an empty `name:` (being typed) may become any output: the params
    of the op using that component that are bound to its sound inputs are still checked."""
    assert not PAIR_VERDICTS["unnamed_output_alone.yaml"]["ok"]
    assert _pair_errors("unnamed_output_alone.yaml") == [("PLX111", 21)]
    assert not PAIR_VERDICTS["unnamed_output_and_missing_output.yaml"]["ok"]
    assert sorted(_pair_errors("unnamed_output_and_missing_output.yaml")) == [
        ("PLX111", 21),
        ("PLX406", 10),
    ]


def test_joins_broken_outside_their_params_leave_the_ops_params_checked() -> None:
    """A DAG op whose join has a bad `query` still has its params checked (a ref to an output
    the upstream op does not have), beside the join's error."""
    alone = {
        "op_join_broken_alone.yaml": ("PLX604", 11),
        "op_join_missing_output_alone.yaml": ("PLX406", 15),
    }
    for name, error in alone.items():
        assert not PAIR_VERDICTS[name]["ok"]
        assert _pair_errors(name) == [error]
    assert not PAIR_VERDICTS["op_join_broken_and_missing_output.yaml"]["ok"]
    assert sorted(_pair_errors("op_join_broken_and_missing_output.yaml")) == sorted(alone.values())


def test_an_op_without_a_name_still_has_its_dependencies_checked() -> None:
    """An op whose name is being typed (`- name:`) is not in the graph, but a dependency it
    names that is no op of the DAG is still reported beside the missing name."""
    assert _pair_errors("nameless_op_alone.yaml") == [("PLX503", 7)]
    assert _pair_errors("orphan_dependency_alone.yaml") == [("PLX509", 9)]
    for name in (
        "nameless_op_alone",
        "orphan_dependency_alone",
        "nameless_op_and_orphan_dependency",
    ):
        assert not PAIR_VERDICTS[f"{name}.yaml"]["ok"]
    assert _pair_errors("nameless_op_and_orphan_dependency.yaml") == [
        ("PLX503", 7),
        ("PLX509", 9),
    ]


@pytest.mark.parametrize(
    ("name", "error", "note"),
    [
        ("half_op_name", ("PLX503", 5), "`train` is not checked until this op has a name"),
        (
            "half_component_name",
            ("PLX501", 13),
            "`dagRef: trainer` of op `train` is not checked until this component has a name",
        ),
        ("half_dag_ref", ("PLX508", 6), None),
        ("half_output_name", ("PLX111", 15), None),
    ],
)
def test_a_name_or_reference_being_typed_reports_only_itself(
    name: str, error: tuple[str, int], note: str | None
) -> None:
    """An op or component name, a `dagRef` or an output name left empty while typing: Polyaxon
    stops at it, and so does every check that reads it (the refs to the op, the ops using the
    component, the outputs of the op): one error, with a note on what waits for it."""
    verdict = PAIR_VERDICTS[f"{name}.yaml"]
    assert not verdict["ok"]
    path = PAIRS / f"{name}.yaml"
    result = analyze(path.read_text(encoding="utf-8"), path, Settings(), Workspace(root=PAIRS))
    found = [f for f in result.findings if f.severity == Severity.ERROR]
    assert [(f.code, f.span.start.line) for f in found] == [error]
    if found[0].polyaxon and verdict["stage"] == "dag":
        assert found[0].polyaxon.rstrip(".") == str(verdict["message"]).rstrip(".")
    if note is not None:
        assert any(note in related.message for related in found[0].related)


def test_a_warning_of_a_referenced_file_is_shown_on_the_reference(tmp_path: Path) -> None:
    """A warning met while resolving a referenced DAG (an op's hub name that is misspelt, a
    `pathRef` out of the workspace) belongs to that file: it is reported on the `pathRef` of the
    checked file, pointing at its place in the other file, never at its own line numbers."""
    (tmp_path / ".git").mkdir()
    work = tmp_path / "ws"
    work.mkdir()
    (tmp_path / "outside.yaml").write_text("kind: component\nrun: {kind: job}\n")
    (work / "sub.yaml").write_text(
        "version: 1.1\nkind: component\nrun:\n  kind: dag\n  operations:\n"
        "    - {name: x, hubRef: kanikoo}\n    - {name: z, pathRef: ../outside.yaml}\n"
    )
    text = "version: 1.1\nkind: operation\npathRef: ./sub.yaml\n"
    path = work / "op.yaml"
    found = analyze(text, path, Settings(root=str(work)), Workspace(root=work)).findings
    assert sorted(f.code for f in found) == ["PLX903", "PLX907"]
    for finding in found:
        assert (finding.span.start.line, finding.span.start.character) == (2, 9)
        assert finding.message.startswith("Through `pathRef: ./sub.yaml`: ")
        assert finding.related[0].path == str(work / "sub.yaml")
        assert finding.related[0].span.start.line in (5, 6)
