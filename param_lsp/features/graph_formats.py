"""The pipeline graph as Mermaid (renders in GitHub Markdown), Graphviz DOT, or JSON.

Errors are drawn in red (nodes and edges) and explained in a legend that lists each error. An
op whose component is a DAG is drawn as a box around that DAG's graph (a Mermaid `subgraph`, a
DOT `cluster_`), which the edges of the op enter and leave.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from param_lsp.core.findings import Severity
from param_lsp.features.graph import (
    DEPENDENCY,
    EVENT,
    INPUT,
    MISSING,
    OMITTED_CYCLE,
    PARAM,
    GraphEdge,
    GraphFinding,
    GraphNode,
    PipelineGraph,
)

FORMATS = ("mermaid", "dot", "json")
RED = "#d73a49"
#: Longest error message shown in a legend (the full text is in the JSON and the editor).
LEGEND_MESSAGE = 280
#: Most errors listed in a legend (the rest are counted).
LEGEND_ERRORS = 20
#: Legend lines are wrapped at this width.
LEGEND_WIDTH = 80


def render(graph: PipelineGraph, fmt: str) -> str:
    if fmt == "mermaid":
        return to_mermaid(graph)
    if fmt == "dot":
        return to_dot(graph)
    if fmt == "json":
        return json.dumps(graph.to_json(), indent=2, ensure_ascii=False) + "\n"
    raise ValueError(f"unknown graph format {fmt!r}; expected one of {', '.join(FORMATS)}")


def _errors(graph: PipelineGraph) -> list[tuple[str, GraphFinding]]:
    """(where, finding) for the first errors of the graph in document order (a last entry
    counts the others)."""
    found: list[tuple[str, GraphFinding]] = []
    names = _qualified(graph)
    for each, owner in graph.graphs():
        for node in each.nodes:
            where = names[node.id]
            found += [(where, f) for f in node.findings if f.severity == Severity.ERROR]
        for edge in each.edges:
            where = f"{names.get(edge.source, edge.source)} → {names.get(edge.target, edge.target)}"
            found += [(where, f) for f in edge.findings if f.severity == Severity.ERROR]
        where = "pipeline" if owner is None else f"nested DAG of {names[owner.id]}"
        found += [(where, f) for f in each.other_findings if f.severity == Severity.ERROR]
    found.sort(key=lambda item: (item[1].span.start, item[1].code))
    if len(found) > LEGEND_ERRORS:
        more = len(found) - LEGEND_ERRORS + 1
        last = found[LEGEND_ERRORS - 1][1]
        found = found[: LEGEND_ERRORS - 1]
        found.append(("…", GraphFinding("", last.severity, f"and {more} more errors", last.span)))
    return found


def no_dag_text(graph: PipelineGraph) -> str:
    """Why there is nothing to draw."""
    where = graph.path.name if graph.path is not None else "this document"
    if graph.dag_file is not None:
        return f"{where} runs the DAG of {graph.dag_file.name}: open that file for its graph"
    return f"{where}: no DAG in this file"


def _qualified(graph: PipelineGraph) -> dict[str, str]:
    """Each node's name, prefixed with the ops whose nested DAGs it is in (`outer / inner`)."""
    names: dict[str, str] = {}
    for each, owner in graph.graphs():
        base = f"{names[owner.id]} / " if owner is not None else ""
        for node in each.nodes:
            names[node.id] = base + node.name
    return names


def _short(text: str) -> str:
    text = " ".join(text[: LEGEND_MESSAGE * 2].split())
    return text if len(text) <= LEGEND_MESSAGE else text[: LEGEND_MESSAGE - 1] + "…"


def _legend_lines(place: str, finding: GraphFinding) -> list[str]:
    import textwrap

    if not finding.code:
        return [finding.message]
    text = f"{finding.code} line {finding.span.start.line + 1} ({place}): {_short(finding.message)}"
    return textwrap.wrap(text, LEGEND_WIDTH) or [text]


def _node_lines(node: GraphNode) -> list[str]:
    if node.kind == INPUT:
        return [f"input {node.name}", node.io_type or "untyped"]
    if node.kind == MISSING:
        return [node.name, "not defined"]
    details = " · ".join(x for x in (node.component, node.run_kind) if x)
    flags = " · ".join(x for x, on in (("matrix", node.matrix), ("join", node.join)) if on)
    omitted = _omitted_text(node)
    return [node.name, *(x for x in (details, flags, omitted) if x)]


def _omitted_text(node: GraphNode) -> str:
    if node.inner_omitted is None:
        return ""
    if node.inner_omitted == OMITTED_CYCLE:
        return "nested DAG contains itself: not drawn again"
    return "nested DAG not drawn (nested too deep)"


def _ids(graph: PipelineGraph) -> Callable[[str], str]:
    table = {node.id: f"n{i}" for i, node in enumerate(graph.all_nodes())}
    return lambda node_id: table.get(node_id, "unknown")


# -------------------------------------------------------------------------------------- mermaid


def _mermaid_text(text: str) -> str:
    """Text inside a quoted Mermaid label: entity codes for what the syntax or HTML reads."""
    return (
        text.replace("&", "#amp;")
        .replace('"', "#quot;")
        .replace("<", "#lt;")
        .replace(">", "#gt;")
        .replace("|", "#124;")
    )


def to_mermaid(graph: PipelineGraph) -> str:
    out = ["flowchart LR"]
    if not graph.is_dag:
        out.append(f'  empty["{_mermaid_text(no_dag_text(graph))}"]')
        return "\n".join(out) + "\n"
    node_id = _ids(graph)
    _mermaid_nodes(graph.nodes, node_id, out, "  ")
    red_links: list[int] = []
    by_id = {node.id: node for node in graph.all_nodes()}
    for index, edge in enumerate(graph.all_edges()):
        arrow = "-.->" if edge.kind in (DEPENDENCY, EVENT) else "-->"
        label = _mermaid_text(edge.label)
        out.append(f'  {node_id(edge.source)} {arrow}|"{label}"| {node_id(edge.target)}')
        if edge.has_error or _touches_missing(by_id, edge):
            red_links.append(index)
    errors = _errors(graph)
    out.append(f"  classDef error fill:#ffeef0,stroke:{RED},stroke-width:2px,color:#86181d")
    out.append("  classDef input fill:#f1f8ff,stroke:#0366d6")
    nodes = graph.all_nodes()
    bad = [node_id(n.id) for n in nodes if n.has_error and n.inner is None]
    inputs = [node_id(n.id) for n in nodes if n.kind == INPUT and not n.has_error]
    if inputs:
        out.append(f"  class {','.join(inputs)} input")
    if bad:
        out.append(f"  class {','.join(bad)} error")
    for node in nodes:
        if node.inner is not None:  # a nested DAG's box: red when its op has an error
            color = RED if node.has_error else "#6a737d"
            out.append(f"  style {node_id(node.id)} fill:#fafbfc,stroke:{color},stroke-width:2px")
    if red_links:
        numbers = ",".join(str(i) for i in red_links)
        out.append(f"  linkStyle {numbers} stroke:{RED},stroke-width:3px,color:{RED}")
    if errors:
        out.append('  subgraph legend["Legend: red = error"]')
        for i, (place, finding) in enumerate(errors):
            text = "<br/>".join(_mermaid_text(line) for line in _legend_lines(place, finding))
            out.append(f'    legend{i}["{text}"]')
        out.append("  end")
        out.append(f"  class {','.join(f'legend{i}' for i in range(len(errors)))} error")
    return "\n".join(out) + "\n"


def _mermaid_nodes(
    nodes: list[GraphNode], node_id: Callable[[str], str], out: list[str], indent: str
) -> None:
    """The nodes of one DAG; an op whose component is a DAG as a `subgraph` around its graph."""
    for node in nodes:
        label = "<br/>".join(_mermaid_text(line) for line in _node_lines(node))
        nid = node_id(node.id)
        if node.inner is not None:
            out.append(f'{indent}subgraph {nid}["{label}"]')
            _mermaid_nodes(node.inner.nodes, node_id, out, indent + "  ")
            out.append(f"{indent}end")
        elif node.kind == INPUT:
            out.append(f'{indent}{nid}[/"{label}"/]')
        elif node.kind == MISSING:
            out.append(f'{indent}{nid}{{{{"{label}"}}}}')
        else:
            out.append(f'{indent}{nid}["{label}"]')


def _touches_missing(by_id: dict[str, GraphNode], edge: GraphEdge) -> bool:
    source = by_id.get(edge.source)
    return source is not None and source.kind == MISSING


# ------------------------------------------------------------------------------------------ dot


def _dot_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(graph: PipelineGraph) -> str:
    out = [
        "digraph pipeline {",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    if not graph.is_dag:
        out.append(f"  empty [label={_dot_string(no_dag_text(graph))}];")
        return "\n".join([*out, "}"]) + "\n"
    node_id = _ids(graph)
    nested = any(node.inner is not None for node in graph.nodes)
    if nested:
        out.insert(2, "  compound=true;")
    _dot_nodes(graph.nodes, node_id, out, "  ")
    by_id = {node.id: node for node in graph.all_nodes()}
    for edge in graph.all_edges():
        attrs = [f"label={_dot_string(edge.label)}"]
        if edge.kind in (DEPENDENCY, EVENT):
            attrs.append("style=dashed")
        if edge.has_error or _touches_missing(by_id, edge):
            attrs += [f'color="{RED}"', f'fontcolor="{RED}"', "penwidth=2"]
        # An edge of an op drawn as a cluster ends at a node inside, clipped at the cluster.
        source, target = by_id.get(edge.source), by_id.get(edge.target)
        tail, head = node_id(edge.source), node_id(edge.target)
        if source is not None and source.inner is not None:
            tail = node_id(_anchor(source).id)
            attrs.append(f"ltail=cluster_{node_id(source.id)}")
        if target is not None and target.inner is not None:
            head = node_id(_anchor(target, edge).id)
            attrs.append(f"lhead=cluster_{node_id(target.id)}")
        out.append(f"  {tail} -> {head} [{', '.join(attrs)}];")
    errors = _errors(graph)
    if errors:
        out.append("  subgraph cluster_legend {")
        out.append('    label="Legend: red = error"; color="#999999";')
        for i, (place, finding) in enumerate(errors):
            text = "\n".join(_legend_lines(place, finding))
            out.append(
                f'    legend{i} [label={_dot_string(text)}, shape=note, color="{RED}", '
                'fillcolor="#ffeef0"];'
            )
        out.append("  }")
    out.append("}")
    return "\n".join(out) + "\n"


def _dot_nodes(
    nodes: list[GraphNode], node_id: Callable[[str], str], out: list[str], indent: str
) -> None:
    """The nodes of one DAG; an op whose component is a DAG as a cluster around its graph."""
    for node in nodes:
        label = _dot_string(chr(10).join(_node_lines(node)))
        if node.inner is not None:
            color = RED if node.has_error else "#6a737d"
            out.append(f"{indent}subgraph cluster_{node_id(node.id)} {{")
            out.append(f'{indent}  label={label}; style="rounded"; color="{color}";')
            _dot_nodes(node.inner.nodes, node_id, out, indent + "  ")
            out.append(f"{indent}}}")
            continue
        attrs = [f"label={label}"]
        if node.kind == INPUT:
            attrs += ["shape=parallelogram", 'fillcolor="#f1f8ff"']
        elif node.kind == MISSING:
            attrs += ["shape=hexagon"]
        if node.has_error:
            attrs += [f'color="{RED}"', 'fillcolor="#ffeef0"', "penwidth=2"]
        out.append(f"{indent}{node_id(node.id)} [{', '.join(attrs)}];")


def _anchor(node: GraphNode, edge: GraphEdge | None = None) -> GraphNode:
    """A node drawn inside the cluster of an op whose component is a DAG (DOT edges end at
    nodes, not clusters): for a param edge into it, the nested DAG input it feeds."""
    while node.inner is not None and node.inner.nodes:
        inner = node.inner.nodes
        name = edge.input.name if edge is not None and edge.kind == PARAM and edge.input else None
        node = next((n for n in inner if n.kind == INPUT and n.name == name), inner[0])
    return node
