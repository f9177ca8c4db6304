"""The pipeline graph of a DAG, read from an analysis (no parsing of its own).

Nodes are the DAG's ops (name, component, run kind, matrix/join flags) and the DAG's inputs
(sources); edges are what Polyaxon resolves between them: `ref: ops.X` params (in any value form,
`outputs.y` or `{{ outputs.y }}`), `dependencies` entries, `events[].ref: ops.X`, and
`ref: dag` params from the DAG's inputs. A param edge is labelled `output → input` with both
types. A name that is not an op (or an undeclared DAG input) becomes a *missing* node so that the
broken edge can be drawn. Findings of the analysis are attached to the edge or node whose YAML
they sit in, so renderers can mark them.

An op whose component is itself a DAG (inline, `dagRef`, `pathRef`) carries that DAG's graph
(`GraphNode.inner`, recursively up to `MAX_NESTED_DEPTH` levels, a DAG that contains itself is
not expanded again). Inner node ids are prefixed with the op's id (`ops.outer/ops.inner`); an
inner node written in another file than the graphed document names that file. Findings inside
a nested DAG of the document go to its inner nodes and edges; the findings of a DAG written in
another file come from checking it as a nested DAG (PLX511 warnings), as Polyaxon does not
validate nested ops at check time.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from param_lsp.core.compose import Composed
from param_lsp.core.findings import Finding, Severity
from param_lsp.core.model import IODef, ParamDef, str_value
from param_lsp.core.span import Position, Span
from param_lsp.core.yaml_tree import YMap, YNode, YScalar, YSeq
from param_lsp.engine.analyze import Analysis
from param_lsp.rules.dag import OpNode

#: Node kinds: a DAG op, a DAG input (source), a name that resolves to nothing.
OP, INPUT, MISSING = "op", "input", "missing"
#: Deepest nesting drawn (the DAG of an op of a DAG ... of the document's DAG); deeper DAGs stay
#: single nodes marked `graphOmitted: "depth"`.
MAX_NESTED_DEPTH = 4
#: Why an op whose component is a DAG has no inner graph.
OMITTED_DEPTH, OMITTED_CYCLE = "depth", "cycle"
#: Edge kinds.
PARAM, DEPENDENCY, EVENT = "param", "dependency", "event"


@dataclass(slots=True)
class GraphFinding:
    code: str
    severity: Severity
    message: str
    span: Span

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.label,
            "message": self.message,
            "range": self.span.to_json(),
        }


@dataclass(slots=True)
class GraphNode:
    id: str
    name: str
    kind: str
    #: Where the node's name is written (jump target); None for a missing node.
    span: Span | None = None
    #: The whole op entry (findings inside it belong to the node when no edge claims them).
    extent: Span | None = None
    component: str | None = None
    run_kind: str | None = None
    matrix: bool = False
    join: bool = False
    #: A DAG input's type.
    io_type: str | None = None
    findings: list[GraphFinding] = field(default_factory=list)
    #: The file the node is written in when it is not the graphed document (a pathRef's DAG).
    file: Path | None = None
    #: An op whose component is a DAG: that DAG's graph.
    inner: PipelineGraph | None = None
    #: An op whose component is a DAG not expanded: `depth` (nested too deep) or `cycle`.
    inner_omitted: str | None = None

    @property
    def has_error(self) -> bool:
        return self.kind == MISSING or any(f.severity == Severity.ERROR for f in self.findings)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "name": self.name, "kind": self.kind}
        if self.kind == OP:
            data.update(
                component=self.component, runKind=self.run_kind, matrix=self.matrix, join=self.join
            )
        if self.kind == INPUT:
            data["type"] = self.io_type
        data["range"] = self.span.to_json() if self.span is not None else None
        data["findings"] = [f.to_json() for f in self.findings]
        if self.file is not None:
            data["file"] = str(self.file)
        if self.inner is not None:
            data["graph"] = self.inner.inner_json()
        if self.inner_omitted is not None:
            data["graphOmitted"] = self.inner_omitted
        return data


@dataclass(slots=True)
class Port:
    """One end of a param edge: `outputs.dataset` of type `path`, or the input `dataset`."""

    name: str
    io_type: str | None
    #: `ok`; `missing` (the op declares no such IO); `unknown` (its component is a hub/url
    #: reference, not read offline); `context` (a context-only param that feeds no input).
    status: str = "ok"

    def text(self) -> str:
        if self.status == "ok":
            return f"{self.name} ({self.io_type or 'untyped'})"
        return f"{self.name} ({_PORT_STATUS[self.status]})"


_PORT_STATUS = {"missing": "not found", "unknown": "unknown", "context": "context only"}


@dataclass(slots=True)
class GraphEdge:
    source: str
    target: str
    kind: str
    #: What the upstream gives (`outputs.dataset`) and what the op receives (param `dataset`).
    output: Port | None = None
    input: Port | None = None
    #: The YAML that makes the edge (ref, dependency entry, event ref): the jump target.
    span: Span | None = None
    #: Where findings belong to this edge (the whole param entry, the dependency entry).
    extents: tuple[Span, ...] = ()
    findings: list[GraphFinding] = field(default_factory=list)
    #: The file the edge is written in when it is not the graphed document.
    file: Path | None = None

    @property
    def has_error(self) -> bool:
        return any(f.severity == Severity.ERROR for f in self.findings)

    @property
    def label(self) -> str:
        if self.kind == PARAM and self.output is not None and self.input is not None:
            return f"{self.output.text()} → {self.input.text()}"
        return self.kind

    def to_json(self) -> dict[str, Any]:
        data = {
            "source": self.source,
            "target": self.target,
            "kind": self.kind,
            "output": _port_json(self.output),
            "input": _port_json(self.input),
            "label": self.label,
            "range": self.span.to_json() if self.span is not None else None,
            "findings": [f.to_json() for f in self.findings],
        }
        if self.file is not None:
            data["file"] = str(self.file)
        return data


def _port_json(port: Port | None) -> dict[str, Any] | None:
    if port is None:
        return None
    return {"name": port.name, "type": port.io_type, "status": port.status}


@dataclass(slots=True)
class PipelineGraph:
    path: Path | None
    #: False when the document has no DAG of its own (then nodes and edges are empty).
    is_dag: bool = False
    #: When the document runs a DAG written in another file (a `pathRef`), that file.
    dag_file: Path | None = None
    nodes: list[GraphNode] = field(default_factory=list)
    edges: list[GraphEdge] = field(default_factory=list)
    #: The document's findings inside the DAG that no node or edge claims (e.g. `components`).
    other_findings: list[GraphFinding] = field(default_factory=list)
    #: Where `operations:` is written (code lens anchor).
    operations_span: Span | None = None
    #: The DAG's `run` (where its findings are looked for).
    run_span: Span | None = None
    #: An inner graph written in another file than the graphed document: that file.
    file: Path | None = None
    _by_id: dict[str, GraphNode] = field(default_factory=dict, repr=False, compare=False)

    def node(self, node_id: str) -> GraphNode | None:
        by_id = self._by_id
        if len(by_id) != len(self.nodes):
            by_id.clear()
            by_id.update((node.id, node) for node in self.nodes)
        return by_id.get(node_id)

    def graphs(self) -> list[tuple[PipelineGraph, GraphNode | None]]:
        """This graph and, depth first, every nested DAG's graph with the op that runs it."""
        found: list[tuple[PipelineGraph, GraphNode | None]] = [(self, None)]
        for node in self.nodes:
            if node.inner is not None:
                inner = node.inner.graphs()
                found += [(inner[0][0], node), *inner[1:]]
        return found

    def all_nodes(self) -> list[GraphNode]:
        """The nodes of this graph and of its nested DAGs."""
        return [node for graph, _ in self.graphs() for node in graph.nodes]

    def all_edges(self) -> list[GraphEdge]:
        return [edge for graph, _ in self.graphs() for edge in graph.edges]

    def all_findings(self) -> list[GraphFinding]:
        """The findings of this graph and of its nested DAGs."""
        found: list[GraphFinding] = []
        for graph, _ in self.graphs():
            found += [f for node in graph.nodes for f in node.findings]
            found += [f for edge in graph.edges for f in edge.findings]
            found += graph.other_findings
        return found

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.all_findings() if f.severity == severity)

    @property
    def error_count(self) -> int:
        return self.count(Severity.ERROR)

    def upstream_of(self, node_id: str) -> list[str]:
        return _unique(e.source for e in self.edges if e.target == node_id)

    def downstream_of(self, node_id: str) -> list[str]:
        return _unique(e.target for e in self.edges if e.source == node_id)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": 1,
            "path": str(self.path) if self.path is not None else None,
            "isDag": self.is_dag,
            "dagFile": str(self.dag_file) if self.dag_file is not None else None,
            "nodes": [node.to_json() for node in self.nodes],
            "edges": [edge.to_json() for edge in self.edges],
            "findings": [f.to_json() for f in self.other_findings],
        }

    def inner_json(self) -> dict[str, Any]:
        """A nested DAG's graph, as the `graph` of the op that runs it."""
        data: dict[str, Any] = {
            "path": str(self.path) if self.path is not None else None,
            "nodes": [node.to_json() for node in self.nodes],
            "edges": [edge.to_json() for edge in self.edges],
            "findings": [f.to_json() for f in self.other_findings],
        }
        if self.file is not None:
            data["file"] = str(self.file)
        return data


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def op_id(name: str) -> str:
    return f"ops.{name}"


def input_id(name: str) -> str:
    return f"dag.inputs.{name}"


# ------------------------------------------------------------------------------------ building


@dataclass(slots=True)
class _Nesting:
    """What expanding nested DAGs needs: how the document was analysed, and the DAGs being
    expanded (file, position of their `run`), so that a DAG that contains itself stops."""

    analysis: Analysis
    stack: frozenset[tuple[Path | None, int, int]]
    depth: int = 0


def _dag_key(source: Path | None, run: YMap) -> tuple[Path | None, int, int]:
    return (source, run.span.start.line, run.span.start.character)


def build_graph(
    analysis: Analysis | None, findings: list[Finding] | None = None, *, nested: bool = True
) -> PipelineGraph:
    """The graph of the document's own DAG (empty when it has none, or when it lives elsewhere).

    ``findings`` replaces the analysis' own (an editor passes the current text's findings when
    the graph comes from the last analysis that had a tree). ``nested``: ops whose component is
    a DAG carry that DAG's graph."""
    graph = PipelineGraph(analysis.path if analysis is not None else None)
    if analysis is None:
        return graph
    composed = analysis.composed
    if composed is None:
        return graph
    if not analysis.dag_ops:
        if composed.run_kind == "dag":
            owner = next((x for x in composed.layers if x.run is composed.run), None)
            if owner is not None and owner.source != analysis.path:
                graph.dag_file = owner.source
        return graph
    run = composed.run
    if run is None:
        return graph
    nesting = _Nesting(analysis, frozenset({_dag_key(analysis.path, run)})) if nested else None
    _fill(graph, run, list(composed.inputs), list(analysis.dag_ops.values()), "", nesting)
    _attach(graph, analysis.findings if findings is None else findings, run.span)
    return graph


def _fill(
    graph: PipelineGraph,
    run: YMap,
    dag_inputs: list[IODef],
    ops: list[OpNode],
    prefix: str,
    nesting: _Nesting | None,
) -> None:
    """The nodes and edges of one DAG (ids prefixed with ``prefix``), its nested DAGs too."""
    from param_lsp.rules import refs as ref_rules

    graph.is_dag = True
    graph.operations_span = (run.key_node("operations") or run).span
    graph.run_span = run.span
    names = {op.name for op in ops}
    for io in dag_inputs:
        graph.nodes.append(
            GraphNode(
                prefix + input_id(io.name),
                io.name,
                INPUT,
                span=io.name_node.span,
                extent=io.node.span,
                io_type=io.io_type,
                file=graph.file,
            )
        )
    table = ref_rules.build_ref_table(
        dag_inputs,
        {
            op.name: (op.composed.inputs, op.composed.outputs)
            if op.composed is not None and op.composed.complete and not op.composed.broken
            else None
            for op in ops
        },
    )
    for op in ops:
        node = _op_node(op, prefix, graph.file)
        graph.nodes.append(node)
        if nesting is not None:
            _nest(graph, node, op, nesting)
    missing: dict[str, GraphNode] = {}

    def source_of(kind: str, name: str) -> str:
        if kind == OP and name in names:
            return prefix + op_id(name)
        if kind == INPUT and any(io.name == name for io in dag_inputs):
            return prefix + input_id(name)
        node_id = prefix + (op_id(name) if kind == OP else input_id(name))
        if node_id not in missing:
            missing[node_id] = GraphNode(node_id, name if kind == OP else f"dag.inputs.{name}",
                                         MISSING, file=graph.file)  # fmt: skip
        return node_id

    for op in ops:
        edges = _op_edges(op, source_of, table, graph.path, prefix + op_id(op.name))
        for edge in edges:
            edge.file = graph.file
        graph.edges += edges
    graph.nodes += missing.values()


def _nest(graph: PipelineGraph, node: GraphNode, op: OpNode, nesting: _Nesting) -> None:
    """Gives an op whose component is a DAG that DAG's graph (checked as Polyaxon would check a
    nested DAG, to know its ops' components)."""
    from param_lsp.core.context import CheckContext
    from param_lsp.rules.dag import as_nested_finding, check_dag_run

    composed = op.composed
    if composed is None or composed.run_kind != "dag" or composed.run is None:
        return
    run = composed.run
    owner = next((layer for layer in composed.layers if layer.run is run), None)
    source = owner.source if owner is not None else graph.path
    key = _dag_key(source, run)
    if key in nesting.stack:
        node.inner_omitted = OMITTED_CYCLE
        return
    if nesting.depth >= MAX_NESTED_DEPTH:
        node.inner_omitted = OMITTED_DEPTH
        return
    analysis = nesting.analysis
    ctx = CheckContext(settings=analysis.settings, path=source)
    workspace = analysis.workspace
    if workspace is None:
        from param_lsp.core.workspace import Workspace

        workspace = Workspace(root=source.parent if source is not None else None)
    ops = check_dag_run(run, list(composed.inputs), source, ctx, workspace)
    if not ops:
        return  # no operations: drawn as a single node (the finding is the op's)
    inner = PipelineGraph(source, file=source if source != analysis.path else None)
    deeper = _Nesting(analysis, nesting.stack | {key}, nesting.depth + 1)
    _fill(inner, run, list(composed.inputs), list(ops.values()), node.id + "/", deeper)
    node.inner = inner
    if source != graph.path:
        # Written in another file: the document's analysis did not check it.
        is_216 = analysis.settings.is_216
        nested = [as_nested_finding(f, op.name, is_216=is_216) for f in ctx.findings]
        _attach(inner, nested, run.span)


def _op_node(op: OpNode, prefix: str = "", file: Path | None = None) -> GraphNode:
    composed = op.composed
    item: YMap = op.item
    node = GraphNode(prefix + op_id(op.name), op.name, OP, span=op.name_node.span,
                     extent=item.span, file=file)  # fmt: skip
    node.component = component_label(item, composed)
    node.run_kind = composed.run_kind if composed is not None else None
    node.matrix = _present(item.get("matrix")) or (
        composed is not None and _present(composed.matrix)
    )
    node.join = _present(item.get("joins"))
    return node


def _present(node: YNode | None) -> bool:
    return node is not None and not (isinstance(node, YScalar) and node.value is None)


def component_label(item: YMap, composed: Composed | None) -> str | None:
    for key, prefix in (("dagRef", ""), ("dag_ref", ""), ("pathRef", ""), ("path_ref", ""),
                        ("hubRef", "hub:"), ("hub_ref", "hub:"), ("urlRef", ""),
                        ("url_ref", "")):  # fmt: skip
        value = str_value(item.get(key))
        if value:
            return prefix + value
    component = item.get("component")
    if isinstance(component, YMap):
        return str_value(component.get("name")) or "inline component"
    if composed is not None and composed.run is not None:
        return "inline run"
    return None


def _op_edges(
    op: OpNode, source_of: Any, table: Any, path: Path | None, target: str
) -> list[GraphEdge]:
    from param_lsp.rules import refs as ref_rules

    edges: list[GraphEdge] = []
    dependencies = op.item.get("dependencies")
    if isinstance(dependencies, YSeq):
        for entry in dependencies.items:
            if isinstance(entry, YScalar) and entry.value is not None:
                source = source_of(OP, str(entry.value))
                edges.append(GraphEdge(source, target, DEPENDENCY, span=entry.span,
                                       extents=(entry.span,)))  # fmt: skip
    composed = op.composed
    params: list[ParamDef] = list(composed.params.values()) if composed is not None else []
    ios = {io.name: io for io in (composed.inputs + composed.outputs)} if composed else {}
    own_source = composed.layers[0].source if composed is not None and composed.layers else path
    for param in params:
        ref = param.ref
        if not isinstance(ref, str):
            continue
        parts = ref.split(".")
        if parts[0] == "ops" and len(parts) > 1:
            source = source_of(OP, parts[1])
        elif ref == "dag":
            text = param.value if isinstance(param.value, str) else ""
            pieces = ref_rules.split_ref_value(text)[0].split(".")
            if pieces[0] != "inputs" or len(pieces) != 2:
                continue  # `dag` globals/artifacts: no input to draw from
            source = source_of(INPUT, pieces[1])
        else:
            continue  # `runs.<uuid>`: another run, outside this graph
        own = param.source is own_source or param.source == own_source
        value = param.value if isinstance(param.value, str) else None
        inner = ref_rules.split_ref_value(value)[0] if value is not None else ""
        resolved = table.lookup(ref, inner) if inner else None
        received = ios.get(param.name)
        span = (param.ref_node.span if param.ref_node is not None else None) if own else None
        extents: tuple[Span, ...] = ()
        if own:
            extents = tuple(s for s in (param.key_span, param.node.span if param.node else None)
                            if s is not None)  # fmt: skip
        edges.append(
            GraphEdge(
                source,
                target,
                PARAM,
                output=Port(
                    inner or "?",
                    resolved.io_type if resolved is not None else None,
                    _output_status(resolved, ref, inner, table),
                ),
                input=Port(
                    param.name,
                    received.io_type if received is not None else None,
                    "ok"
                    if received is not None
                    else "unknown"
                    if composed is None or not composed.complete
                    else "context"
                    if param.context_only
                    else "missing",
                ),
                span=span or op.name_node.span,
                extents=extents,
            )
        )
    layers = composed.layers if composed is not None else []
    for layer in layers:
        events = layer.root.get("events")
        if not isinstance(events, YSeq):
            continue
        in_file = layer.source is own_source or layer.source == own_source
        for event in events.items:
            ref_node = event.get("ref") if isinstance(event, YMap) else None
            ref_text = str_value(ref_node)
            if ref_node is None or not ref_text or not ref_text.startswith("ops."):
                continue
            source = source_of(OP, ref_text.split(".")[1] if "." in ref_text else "")
            if in_file:
                edge = GraphEdge(source, target, EVENT, span=ref_node.span, extents=(event.span,))
            else:  # declared by a component in another file: shown at the op's name
                edge = GraphEdge(source, target, EVENT, span=op.name_node.span)
            edges.append(edge)
    return edges


def _output_status(resolved: Any, ref: str, inner: str, table: Any) -> str:
    if resolved is not None:
        return "ok"
    if ref.startswith("ops.") and ref[4:] in table.ops and table.ops[ref[4:]] is None:
        return "unknown"  # the op's IO is not known offline
    return "missing"


def _inside(span: Span, outer: Span) -> bool:
    return outer.start <= span.start and span.end <= outer.end


def _attach(graph: PipelineGraph, findings: list[Finding], run_span: Span) -> None:
    """Each finding inside the DAG goes to the innermost edge, else node, that contains it;
    inside a nested DAG written in the same file, to that DAG's graph.

    Op entries and input declarations do not overlap: the node is found by bisection, then only
    that op's own edges are looked at (a DAG of 500 ops with as many findings stays cheap)."""
    from param_lsp.rules.dag import nested_prefix

    # Nested DAGs of this file: inline (inside their op) or `components[]` entries (dagRef).
    nested = [
        (node.inner, nested_prefix(node.name))
        for node in graph.nodes
        if node.inner is not None and node.inner.path == graph.path
        and node.inner.run_span is not None
    ]  # fmt: skip
    pending: dict[int, tuple[PipelineGraph, list[Finding]]] = {}

    def nested_in(finding: Finding) -> PipelineGraph | None:
        found = [(g, prefix) for g, prefix in nested if _inside(finding.span, g.run_span)]  # type: ignore[arg-type]
        if len(found) > 1:  # ops running the same DAG component: the one the finding names
            return next((g for g, prefix in found if prefix in finding.message), found[0][0])
        return found[0][0] if found else None

    placed = sorted(
        (node for node in graph.nodes if node.extent is not None),
        key=lambda node: node.extent.start,  # type: ignore[union-attr]
    )
    starts = [node.extent.start for node in placed]  # type: ignore[union-attr]
    edges_of: dict[str, list[GraphEdge]] = {}
    for each in graph.edges:
        edges_of.setdefault(each.target, []).append(each)
    for finding in findings:
        item = GraphFinding(finding.code, finding.severity, finding.message, finding.span)
        span = finding.span
        inner = nested_in(finding) if nested else None
        if inner is not None:
            pending.setdefault(id(inner), (inner, []))[1].append(finding)
            continue
        index = bisect.bisect_right(starts, span.start) - 1
        node = placed[index] if index >= 0 else None
        if node is None or node.extent is None or not _inside(span, node.extent):
            if _inside(span, run_span):
                graph.other_findings.append(item)
            continue
        own = edges_of.get(node.id, [])
        edge: GraphEdge | None = _smallest(
            (e for e in own if any(_inside(span, x) for x in e.extents)),
            functools.partial(_edge_size, span),
        )
        at_name = next((e for e in own if e.span == span and not e.extents), None)
        # Else a finding at the op's name made by an edge from its component (no own YAML).
        (edge or at_name or node).findings.append(item)
    for inner, found in pending.values():
        assert inner.run_span is not None
        _attach(inner, found, inner.run_span)


def _edge_size(span: Span, edge: GraphEdge) -> tuple[int, int]:
    return min(_size(x) for x in edge.extents if _inside(span, x))


def _size(span: Span | None) -> tuple[int, int]:
    if span is None:
        return (1 << 30, 0)
    return (span.end.line - span.start.line, span.end.character - span.start.character)


def _smallest(items: Iterable[Any], key: Any) -> Any:
    best = None
    best_key = None
    for item in items:
        value = key(item)
        if best_key is None or value < best_key:
            best, best_key = item, value
    return best


def lens_counts(graph: PipelineGraph) -> list[tuple[GraphNode, int, int]]:
    """(op node, upstream ops, downstream ops) for each op, for code lenses (DAG inputs are
    sources, not ops; a name that is no op counts, as its edge is there)."""
    inputs = {node.id for node in graph.nodes if node.kind == INPUT}
    upstream: dict[str, set[str]] = {}
    downstream: dict[str, set[str]] = {}
    for edge in graph.edges:
        if edge.source not in inputs:
            upstream.setdefault(edge.target, set()).add(edge.source)
        downstream.setdefault(edge.source, set()).add(edge.target)
    return [
        (node, len(upstream.get(node.id, ())), len(downstream.get(node.id, ())))
        for node in graph.nodes
        if node.kind == OP
    ]


def position_in(span: Span | None, pos: Position) -> bool:
    return span is not None and span.contains(pos)
