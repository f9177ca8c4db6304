"""The pipeline graph (`param-lsp graph`): nodes, edges, typed ports and attached findings.

Expected nodes and edges are written by hand from the files (examples/ and real DAGs of the
corpus); the findings they carry are the ones Polyaxon's verdict names (orphan op, cycle).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from param_lsp.cli.main import main
from param_lsp.core.workspace import Workspace
from param_lsp.engine.analyze import analyze
from param_lsp.features.graph import build_graph, lens_counts
from tests.corpus_support import corpus_dir

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def graph_json(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    code = main(["graph", "--format", "json", str(path)])
    return code, json.loads(capsys.readouterr().out)


def edges_of(data: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return sorted((e["source"], e["target"], e["kind"], e["label"]) for e in data["edges"])


def codes_on_edges(data: dict[str, Any]) -> dict[tuple[str, str], list[str]]:
    return {
        (e["source"], e["target"]): [f["code"] for f in e["findings"]]
        for e in data["edges"]
        if e["findings"]
    }


def corpus_file(relative: str) -> Path:
    path = corpus_dir() / relative
    if not path.is_file():
        pytest.skip(f"corpus file {relative} not available")
    return path


# ------------------------------------------------------------------------------ examples/


def test_example_pipeline(capsys: pytest.CaptureFixture[str]) -> None:
    code, data = graph_json(EXAMPLES / "pipeline.yaml", capsys)
    assert code == 0 and data["isDag"] is True
    assert [(n["id"], n["kind"]) for n in data["nodes"]] == [
        ("dag.inputs.source", "input"),
        ("ops.prepare", "op"),
        ("ops.train", "op"),
        ("ops.evaluate", "op"),
    ]
    train = data["nodes"][2]
    assert train["component"] == "components/train.yaml" and train["runKind"] == "job"
    assert train["matrix"] is False and train["join"] is False
    assert edges_of(data) == [
        ("dag.inputs.source", "ops.prepare", "param", "inputs.source (uri) → source (uri)"),
        ("ops.prepare", "ops.train", "param", "outputs.dataset (path) → dataset (path)"),
        ("ops.train", "ops.evaluate", "param", "outputs.model (path) → model (path)"),
    ]
    # The edge points at its `ref` (line 23: `dataset: {ref: ops.prepare, …}`).
    edge = next(e for e in data["edges"] if e["target"] == "ops.train")
    assert edge["range"] == {
        "start": {"line": 22, "character": 25},
        "end": {"line": 22, "character": 36},
    }
    assert edge["output"] == {"name": "outputs.dataset", "type": "path", "status": "ok"}
    assert edge["input"] == {"name": "dataset", "type": "path", "status": "ok"}
    assert not any(n["findings"] for n in data["nodes"]) and not data["findings"]


def test_example_with_broken_refs(capsys: pytest.CaptureFixture[str]) -> None:
    code, data = graph_json(EXAMPLES / "mistakes" / "bad-refs.yaml", capsys)
    assert code == 1  # errors, as `param-lsp check` says
    assert edges_of(data) == [
        ("ops.train", "ops.evaluate", "param", "outputs.modle (not found) → model (path)"),
        ("ops.tune", "ops.evaluate", "param", "outputs.threshold (not found) → threshold (float)"),
    ]
    assert codes_on_edges(data) == {
        ("ops.train", "ops.evaluate"): ["PLX406"],  # train has no output `modle`
        ("ops.tune", "ops.evaluate"): ["PLX509"],  # `tune` is not an op: an orphan
    }
    missing = next(n for n in data["nodes"] if n["id"] == "ops.tune")
    assert missing["kind"] == "missing" and missing["range"] is None


def test_mermaid_marks_errors_in_red_with_a_legend(capsys: pytest.CaptureFixture[str]) -> None:
    main(["graph", str(EXAMPLES / "mistakes" / "bad-refs.yaml")])
    out = capsys.readouterr().out
    assert out.startswith("flowchart LR\n")
    assert '  n2{{"tune<br/>not defined"}}' in out  # the missing op
    assert "  class n2 error" in out
    assert "  linkStyle 0,1 stroke:#d73a49" in out  # both edges red
    assert 'subgraph legend["Legend: red = error"]' in out
    assert "PLX406 line 15" in out and "PLX509 line 16" in out


def test_dot_marks_errors_in_red_with_a_legend(capsys: pytest.CaptureFixture[str]) -> None:
    main(["graph", "--format", "dot", str(EXAMPLES / "mistakes" / "bad-refs.yaml")])
    out = capsys.readouterr().out
    assert out.startswith("digraph pipeline {")
    red_edges = [line for line in out.splitlines() if "->" in line and 'color="#d73a49"' in line]
    assert len(red_edges) == 2
    assert "subgraph cluster_legend" in out


def test_clean_pipeline_has_no_legend(capsys: pytest.CaptureFixture[str]) -> None:
    main(["graph", str(EXAMPLES / "pipeline.yaml")])
    out = capsys.readouterr().out
    assert (
        "legend" not in out.lower()
        and "linkStyle" not in out
        and "class n" not in out.replace("class n0 input", "")
    )


def test_file_without_dag(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["graph", "--format", "json", str(EXAMPLES / "train.yaml")])
    captured = capsys.readouterr()
    assert code == 0
    assert json.loads(captured.out)["isDag"] is False
    assert "defines no DAG" in captured.err


def test_unreadable_file_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", str(EXAMPLES / "nowhere.yaml")]) == 2
    assert "cannot read" in capsys.readouterr().err


def _graph(text: str, tmp_path: Path) -> Any:
    path = tmp_path / "pipeline.yaml"
    path.write_text(text)
    return build_graph(analyze(text, path, workspace=Workspace(root=tmp_path)))


def test_events_matrix_joins_and_types(tmp_path: Path) -> None:
    text = """\
kind: component
run:
  kind: dag
  operations:
    - name: a
      dagRef: producer
    - name: b
      dagRef: consumer
      events: [{ref: ops.a, kinds: [run_status_done]}]
      matrix: {kind: grid, params: {lr: {kind: choice, value: [1, 2]}}}
      params:
        n: {ref: ops.a, value: outputs.count}
    - name: c
      dagRef: consumer
      joins:
        - query: "metrics.loss:<0.1"
          params:
            lr: {value: "globals.uuid"}
  components:
    - name: producer
      outputs: [{name: count, type: str}]
      run: {kind: job, container: {image: python}}
    - name: consumer
      inputs: [{name: n, type: int, isOptional: true}, {name: lr, type: float, isOptional: true}]
      run: {kind: job, container: {image: python}}
"""
    graph = _graph(text, tmp_path)
    nodes = {node.id: node for node in graph.nodes}
    assert nodes["ops.b"].matrix and not nodes["ops.b"].join
    assert nodes["ops.c"].join and not nodes["ops.c"].matrix
    assert nodes["ops.a"].component == "producer"
    edges = sorted((e.source, e.target, e.kind, e.label) for e in graph.edges)
    assert edges == [
        ("ops.a", "ops.b", "event", "event"),
        ("ops.a", "ops.b", "param", "outputs.count (str) → n (int)"),
    ]
    # `str` into `int`; Polyaxon 2.18: "Param `n` has a an input type `int` and it does not
    # correspond to the type of the value `outputs.count` received from `ops.a` with type `str`"
    # (ref-type-mismatch), carried by the param edge.
    param_edge = next(e for e in graph.edges if e.kind == "param")
    assert [f.code for f in param_edge.findings] == ["PLX407"]
    counts = {node.name: (up, down) for node, up, down in lens_counts(graph)}
    assert counts == {"a": (0, 1), "b": (1, 0), "c": (0, 0)}


# ------------------------------------------------------------------------ real corpus DAGs


def test_corpus_dag_with_dependencies(capsys: pytest.CaptureFixture[str]) -> None:
    path = corpus_file("cli-fixtures/pipelines/simple_dag_pipeline.yml")
    code, data = graph_json(path, capsys)
    assert code == 0  # Polyaxon accepts it
    assert [n["id"] for n in data["nodes"]] == [
        "ops.job1", "ops.experiment1", "ops.experiment2", "ops.experiment3", "ops.job2",
    ]  # fmt: skip
    assert {n["component"] for n in data["nodes"]} == {"job-template", "experiment-template"}
    assert edges_of(data) == sorted(
        [("ops.job1", f"ops.experiment{i}", "dependency", "dependency") for i in (1, 2, 3)]
        + [(f"ops.experiment{i}", "ops.job2", "dependency", "dependency") for i in (1, 2, 3)]
    )


def test_corpus_cyclic_dag(capsys: pytest.CaptureFixture[str]) -> None:
    # Polyaxon 2.18: "Pipeline's graph is not acyclic." (A waits for B, B waits for A).
    code, data = graph_json(corpus_file("cli-fixtures/pipelines/cyclic_pipeline.yml"), capsys)
    assert code == 1
    assert edges_of(data) == [
        ("ops.A", "ops.B", "dependency", "dependency"),
        ("ops.B", "ops.A", "dependency", "dependency"),
        ("ops.B", "ops.C", "dependency", "dependency"),
    ]
    assert codes_on_edges(data) == {("ops.A", "ops.B"): ["PLX510"], ("ops.B", "ops.A"): ["PLX510"]}


def test_corpus_dag_with_refs_to_unread_components(capsys: pytest.CaptureFixture[str]) -> None:
    # A pathRef that does not exist, a urlRef and a hubRef: the IO is unknown, the edges stay.
    code, data = graph_json(corpus_file("cli-fixtures/pipelines/ref_pipeline.yml"), capsys)
    assert code == 1  # Polyaxon: the path ref could not be resolved
    assert edges_of(data) == [
        ("ops.ref-path-op", "ops.ref-url-op", "dependency", "dependency"),
        ("ops.ref-path-op", "ops.ref-url-op", "param",
         "inputs.str-input (unknown) → str-input (unknown)"),
    ]  # fmt: skip
    # `events: [{ref: ref-url-op}]` is not an `ops.` ref: Polyaxon draws no edge for it.
    assert not any(e["kind"] == "event" for e in data["edges"])
    components = {n["name"]: n["component"] for n in data["nodes"]}
    assert components == {
        "ref-path-op": "path/to/component",
        "ref-url-op": "https://foo.bar",
        "ref-hub-op": "hub:ref-hub",
    }


def test_corpus_dag_with_inputs_matrix_and_context_params(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = corpus_file("docs/docs/guides/automation/automation-dag/block001-L23.yaml")
    _code, data = graph_json(path, capsys)
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["dag.inputs.max_loss"]["type"] == "float"
    assert nodes["dag.inputs.top"]["type"] == "int"
    assert nodes["ops.tune"]["matrix"] is True
    assert edges_of(data) == [
        (
            "dag.inputs.max_loss",
            "ops.tune",
            "param",
            "inputs.max_loss (float) → max_loss (unknown)",
        ),
        ("dag.inputs.top", "ops.best_model", "param", "inputs.top (int) → top (context only)"),
        ("ops.build", "ops.experiment", "dependency", "dependency"),
        ("ops.experiment", "ops.best_model", "dependency", "dependency"),
        ("ops.experiment", "ops.tune", "param", "outputs.loss (unknown) → upstream_loss (unknown)"),
        ("ops.tune", "ops.best_model", "dependency", "dependency"),
    ]


# ------------------------------------------------------------------------- never crashes


def test_every_corpus_dag_renders_in_every_format(capsys: pytest.CaptureFixture[str]) -> None:
    root = corpus_dir()
    if not root.is_dir():
        pytest.skip("corpus not available")
    dags = [
        path
        for path in sorted(root.rglob("*.y*ml"))
        if "kind: dag" in path.read_text(encoding="utf-8", errors="replace")
    ]
    assert len(dags) >= 20
    drawn = 0
    for path in dags:
        for fmt in ("json", "mermaid", "dot"):
            code = main(["graph", "--format", fmt, str(path)])
            out = capsys.readouterr().out
            assert code in (0, 1), path
            assert out.strip(), path
        drawn += json.loads(_json_of(path, capsys))["isDag"] is True
    assert drawn >= 15  # the rest keep their DAG in another file or have none that parses


def _json_of(path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    main(["graph", "--format", "json", str(path)])
    return capsys.readouterr().out


def test_legend_lists_twenty_errors_then_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    names = ", ".join(f"m{i}" for i in range(25))
    path = tmp_path / "many.yaml"
    path.write_text(
        "kind: component\nrun:\n  kind: dag\n  operations:\n"
        f"    - {{name: a, dependencies: [{names}], component: {{run: {{kind: job, "
        "container: {image: python}}}}\n"
    )
    assert main(["graph", str(path)]) == 1
    out = capsys.readouterr().out
    legend = [line for line in out.splitlines() if line.startswith("    legend")]
    assert len(legend) == 20
    assert legend[-1] == '    legend19["and 6 more errors"]'
    assert out.count("{{") == 25  # every orphan op drawn, red


def test_operation_running_a_dag_of_another_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "dag.yaml").write_text(
        "kind: component\nrun:\n  kind: dag\n  operations:\n"
        "    - {name: a, component: {run: {kind: job, container: {image: python}}}}\n"
    )
    (tmp_path / "run.yaml").write_text("kind: operation\npathRef: dag.yaml\n")
    code, data = graph_json(tmp_path / "run.yaml", capsys)
    assert code == 0 and data["isDag"] is False
    assert data["dagFile"] == str(tmp_path / "dag.yaml")
    main(["graph", str(tmp_path / "run.yaml")])
    assert "run.yaml runs the DAG of dag.yaml" in capsys.readouterr().out


def test_ref_value_in_template_form_is_an_edge(tmp_path: Path) -> None:
    # `value: "{{ outputs.n }}"` with `ref: ops.a` is resolved by Polyaxon like `outputs.n`;
    # a bare `{{ ops.a… }}` elsewhere is not a graph edge (spec §12.1).
    text = """\
kind: component
run:
  kind: dag
  operations:
    - name: a
      component: {outputs: [{name: n, type: int}], run: {kind: job, container: {image: x}}}
    - name: b
      params: {m: {ref: ops.a, value: "{{ outputs.n }}"}}
      component:
        inputs: [{name: m, type: int}]
        run: {kind: job, container: {image: x, args: ["{{ m }}"]}}
"""
    graph = _graph(text, tmp_path)
    assert [(e.source, e.target, e.label) for e in graph.edges] == [
        ("ops.a", "ops.b", "outputs.n (int) → m (int)")
    ]
