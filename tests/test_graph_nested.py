"""Nested DAGs in the pipeline graph: an op whose component is a DAG carries that DAG's graph.

The files are in tests/data/graph/nested/; Polyaxon 2.18 accepts inline.yaml, two_levels.yaml,
shared.yaml and parent.yaml (it does not validate the ops of nested DAGs, where the broken edges
are).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from param_lsp.cli.main import main
from param_lsp.core.workspace import Workspace
from param_lsp.engine.analyze import analyze
from param_lsp.features.graph import (
    MAX_NESTED_DEPTH,
    GraphNode,
    PipelineGraph,
    build_graph,
    lens_counts,
)
from param_lsp.features.graph_formats import to_dot, to_mermaid

DATA = Path(__file__).parent / "data" / "graph" / "nested"


def graph_of(path: Path, **kwargs: Any) -> PipelineGraph:
    path = path.resolve()
    analysis = analyze(path.read_text(), path, workspace=Workspace(root=path.parent))
    return build_graph(analysis, **kwargs)


def node(graph: PipelineGraph, node_id: str) -> GraphNode:
    found = {n.id: n for n in graph.all_nodes()}
    return found[node_id]


def edges(graph: PipelineGraph | None) -> list[tuple[str, str, str]]:
    assert graph is not None
    return [(e.source, e.target, e.label) for e in graph.edges]


def test_inline_nested_dag() -> None:
    graph = graph_of(DATA / "inline.yaml")
    assert [n.id for n in graph.nodes] == ["ops.prepare", "ops.inner"]
    inner = graph.nodes[1].inner
    assert inner is not None and graph.nodes[0].inner is None
    assert [(n.id, n.kind) for n in inner.nodes] == [
        ("ops.inner/dag.inputs.source", "input"),
        ("ops.inner/ops.a", "op"),
        ("ops.inner/ops.b", "op"),
    ]
    assert edges(inner) == [
        ("ops.inner/dag.inputs.source", "ops.inner/ops.a", "inputs.source (str) → x (str)"),
        ("ops.inner/ops.a", "ops.inner/ops.b", "outputs.nope (not found) → z (int)"),
    ]
    # Outer edges still end at the op.
    assert {(e.source, e.target) for e in graph.edges} == {("ops.prepare", "ops.inner")}
    # Each inner node is where its name is written in this file (0-based lines).
    a = node(graph, "ops.inner/ops.a")
    assert a.span is not None and a.span.start.line == 18 and a.file is None
    # The broken inner ref: the nested-DAG warning sits on the inner edge, not on the op.
    broken = inner.edges[1]
    assert [f.code for f in broken.findings] == ["PLX511"]
    assert graph.nodes[1].findings == [] and graph.other_findings == []
    assert graph.count(broken.findings[0].severity) == 1
    # Code lenses count the document's own ops only.
    assert [(n.id, up, down) for n, up, down in lens_counts(graph)] == [
        ("ops.prepare", 0, 1),
        ("ops.inner", 1, 0),
    ]


def test_nested_false_draws_single_nodes() -> None:
    graph = graph_of(DATA / "inline.yaml", nested=False)
    assert all(n.inner is None for n in graph.nodes)
    # Without inner graphs the nested finding stays on the op, as before.
    assert [f.code for f in graph.nodes[1].findings] == ["PLX511"]


def test_path_ref_to_a_dag_component() -> None:
    graph = graph_of(DATA / "parent.yaml")
    child = node(graph, "ops.child")
    assert child.file is None and child.inner is not None
    inner = child.inner
    other = (DATA / "child_dag.yaml").resolve()
    assert inner.path == other and inner.file == other
    assert [n.name for n in inner.nodes] == ["source", "read", "report"]
    assert all(n.file == other for n in inner.nodes)
    read = node(graph, "ops.child/ops.read")
    assert read.span is not None and (read.span.start.line, read.span.start.character) == (6, 12)
    assert edges(inner)[1] == (
        "ops.child/ops.read",
        "ops.child/ops.report",
        "outputs.lines (not found) → count (int)",
    )
    # The other file is checked as a nested DAG: its broken ref is a warning on the inner edge.
    (finding,) = inner.edges[1].findings
    assert finding.code == "PLX511" and "op `child`" in finding.message
    assert finding.span.start.line == 15
    assert graph.error_count == 0
    data = graph.to_json()
    nested = data["nodes"][1]["graph"]
    assert nested["file"] == str(other)
    assert nested["nodes"][1]["file"] == str(other)
    assert nested["edges"][1]["file"] == str(other)
    assert "file" not in data["nodes"][1] and "graphOmitted" not in data["nodes"][1]


def test_two_levels_through_a_dag_ref_with_a_missing_inner_op() -> None:
    graph = graph_of(DATA / "two_levels.yaml")
    outer = graph.nodes[0]
    assert outer.component == "pipeline" and outer.inner is not None
    (mid,) = outer.inner.nodes
    assert mid.id == "ops.outer/ops.mid" and mid.inner is not None
    assert [(n.id, n.kind) for n in mid.inner.nodes] == [
        ("ops.outer/ops.mid/ops.leaf", "op"),
        ("ops.outer/ops.mid/ops.last", "op"),
        ("ops.outer/ops.mid/ops.ghost", "missing"),
    ]
    ghost_edge = next(e for e in mid.inner.edges if e.source.endswith("ghost"))
    assert ghost_edge.target == "ops.outer/ops.mid/ops.last"
    # Written in `components[]` (outside the op), yet attached inside the dagRef's graph.
    assert [f.code for f in ghost_edge.findings] == ["PLX511"]
    assert graph.other_findings == [] and outer.inner.other_findings == []
    assert [g.path for g, _ in graph.graphs()] == [(DATA / "two_levels.yaml").resolve()] * 3


def test_two_ops_running_the_same_dag_component_each_get_their_finding() -> None:
    graph = graph_of(DATA / "shared.yaml")
    found = {}
    for op in graph.nodes:
        assert op.inner is not None
        (edge,) = op.inner.edges
        assert edge.source == f"{op.id}/ops.ghost"
        found[op.name] = [f.message for f in edge.findings]
    assert {name: len(messages) for name, messages in found.items()} == {"first": 1, "second": 1}
    assert "op `first`" in found["first"][0] and "op `second`" in found["second"][0]


def test_error_inside_a_nested_dag_is_on_the_inner_node(tmp_path: Path) -> None:
    path = tmp_path / "err.yaml"
    path.write_text(
        "kind: component\nrun:\n  kind: dag\n  operations:\n    - name: inner\n"
        "      component:\n        run:\n          kind: dag\n          operations:\n"
        "            - name: a\n              trigger: sometimes\n"
        "              component: {run: {kind: job, container: {image: python}}}\n"
    )
    graph = graph_of(path)
    a = node(graph, "ops.inner/ops.a")
    assert [f.code for f in a.findings] == ["PLX113"] and a.has_error
    assert graph.nodes[0].findings == [] and graph.error_count == 1
    mermaid = to_mermaid(graph)
    assert "(inner / a)" in mermaid  # the legend names the inner op with its outer op
    assert "  class n1 error" in mermaid


def test_dag_that_contains_itself_is_not_expanded_again() -> None:
    graph = graph_of(DATA / "loop_a.yaml")
    again = graph.nodes[0]
    assert again.inner is not None
    (back,) = again.inner.nodes
    assert back.inner is None and back.inner_omitted == "cycle"
    assert back.file == (DATA / "loop_b.yaml").resolve()
    assert graph.to_json()["nodes"][0]["graph"]["nodes"][0]["graphOmitted"] == "cycle"
    assert "contains itself" in to_mermaid(graph)


def _nested_text(levels: int) -> str:
    lines = ["kind: component", "run:"]
    indent = "  "
    for level in range(levels):
        lines += [f"{indent}kind: dag", f"{indent}operations:", f"{indent}  - name: op{level}"]
        lines += [f"{indent}    component:", f"{indent}      run:"]
        indent += "        "
    lines += [f"{indent}kind: job", f"{indent}container: {{image: python}}"]
    return "\n".join(lines) + "\n"


def test_depth_limit(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text(_nested_text(MAX_NESTED_DEPTH + 2))
    graph = graph_of(path)
    chain = [graph.nodes[0]]
    while chain[-1].inner is not None:
        chain.append(chain[-1].inner.nodes[0])
    assert [n.name for n in chain] == [f"op{i}" for i in range(MAX_NESTED_DEPTH + 1)]
    assert chain[-1].inner_omitted == "depth"
    assert all(n.inner_omitted is None for n in chain[:-1])


def test_mermaid_draws_a_subgraph_per_nested_dag() -> None:
    out = to_mermaid(graph_of(DATA / "two_levels.yaml"))
    lines = out.splitlines()
    assert '  subgraph n0["outer<br/>pipeline · dag"]' in lines
    assert '    subgraph n1["mid<br/>inline component · dag"]' in lines
    assert '      n2["leaf<br/>inline component · job"]' in lines
    assert sum(1 for x in lines if x.strip().startswith("subgraph")) == sum(
        1 for x in lines if x.strip() == "end"
    )
    assert '  n4 -.->|"dependency"| n3' in lines  # the missing inner op, red
    assert "  class n4 error" in lines
    assert "  linkStyle 1 stroke:#d73a49,stroke-width:3px,color:#d73a49" in lines


def test_dot_draws_a_cluster_per_nested_dag() -> None:
    out = to_dot(graph_of(DATA / "parent.yaml"))
    assert "  compound=true;" in out
    assert "  subgraph cluster_n1 {" in out
    # An edge into the op ends inside its cluster, clipped at the cluster's border.
    assert '  n0 -> n2 [label="outputs.data (str) → source (str)", lhead=cluster_n1];' in out
    assert "    n3 [label=" in out
    assert "compound" not in to_dot(graph_of(DATA / "inline.yaml", nested=False))


def test_cli_json_carries_nested_graphs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", "--format", "json", str(DATA / "two_levels.yaml")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["version"] == 1
    mid = data["nodes"][0]["graph"]["nodes"][0]
    assert mid["id"] == "ops.outer/ops.mid"
    assert [n["id"] for n in mid["graph"]["nodes"]][-1] == "ops.outer/ops.mid/ops.ghost"
    assert "file" not in mid["graph"]


def test_readme_shows_the_nested_example_as_printed() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    after = readme.split("`tests/data/graph/nested/parent.yaml`", 1)[1]
    block = after.split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert block == to_mermaid(graph_of(DATA / "parent.yaml"))


def test_hub_ref_mapped_to_a_local_dag_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "flows.yaml").write_text((DATA / "child_dag.yaml").read_text())
    (tmp_path / ".param-lsp.toml").write_text('[hub-map]\n"acme-flow" = "flows.yaml"\n')
    (tmp_path / "main.yaml").write_text(
        "kind: component\nrun:\n  kind: dag\n  operations:\n"
        "    - {name: flow, hubRef: acme-flow, params: {source: {value: hello}}}\n"
    )
    assert main(["graph", "--format", "json", str(tmp_path / "main.yaml")]) == 0
    (flow,) = json.loads(capsys.readouterr().out)["nodes"]
    assert flow["component"] == "hub:acme-flow"
    assert flow["graph"]["file"] == str((tmp_path / "flows.yaml").resolve())
    assert [n["name"] for n in flow["graph"]["nodes"]] == ["source", "read", "report"]


def test_dot_edge_into_a_nested_dag_ends_at_the_input_it_feeds(tmp_path: Path) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_text(
        "kind: component\nrun:\n  kind: dag\n  operations:\n"
        "    - name: up\n"
        "      component:\n"
        "        outputs: [{name: o, type: int}]\n"
        "        run: {kind: job, container: {image: x}}\n"
        "    - name: sub\n"
        "      params: {second: {ref: ops.up, value: outputs.o}, first: {value: 1}}\n"
        "      component:\n"
        "        inputs: [{name: first, type: int}, {name: second, type: int}]\n"
        "        run:\n"
        "          kind: dag\n"
        "          operations:\n"
        "            - {name: a, component: {run: {kind: job, container: {image: x}}}}\n"
    )
    graph = graph_of(path)
    sub = graph.nodes[1].inner
    assert sub is not None
    assert [n.name for n in sub.nodes] == ["first", "second", "a"]  # n2, n3, n4
    out = to_dot(graph)
    assert '  n0 -> n3 [label="outputs.o (int) → second (int)", lhead=cluster_n1];' in out
