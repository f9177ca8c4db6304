"""Per-analysis index of the operations a document defines (the file itself and its DAG ops).

Built once per analysed version, off the editor's event loop, so completion and hover only do
look-ups. DAG ops are composed with the same :class:`Composer` the analysis uses; its findings
are discarded here because diagnostics come from :func:`analyze` alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from param_lsp.core.compose import Composed
from param_lsp.core.context import CheckContext
from param_lsp.core.locate import PathStep
from param_lsp.core.memo import remembered
from param_lsp.core.model import IODef, Layer, ParamDef, read_layer, read_params, str_value
from param_lsp.core.workspace import Workspace
from param_lsp.core.yaml_tree import YMap, YNode, YSeq
from param_lsp.engine.analyze import Analysis


@dataclass(slots=True, eq=False)
class CallSite:
    """One operation: the document itself or one op of its DAG."""

    steps: tuple[PathStep, ...]
    node: YMap
    name: str | None
    name_node: YNode | None
    params: dict[str, ParamDef]
    params_node: YNode | None
    inputs: list[IODef]
    outputs: list[IODef]
    #: False when the component could not be read (hub/url refs): IO unknown.
    complete: bool
    is_dag_op: bool = False
    #: The mapping holding the IO declarations when it is in this document (templates scope).
    component_node: YMap | None = None
    #: The component's `run` mapping (connections for templates).
    run: YMap | None = None

    #: name → the first input (else output) of that name, built on first use.
    _by_name: dict[str, IODef] | None = field(default=None, repr=False)

    def io(self, name: str) -> IODef | None:
        by_name = self._by_name
        if by_name is None:
            by_name = {}
            for io in (*self.inputs, *self.outputs):
                by_name.setdefault(io.name, io)
            self._by_name = by_name
        return by_name.get(name)


@dataclass(slots=True, eq=False)
class DocumentIndex:
    path: Path | None
    root: CallSite | None = None
    ops: list[CallSite] = field(default_factory=list)
    #: Path of the DAG's `operations` list in this document, if any.
    operations_steps: tuple[PathStep, ...] | None = None
    dag_inputs: list[IODef] = field(default_factory=list)
    dag_components: dict[str, YMap] = field(default_factory=dict)

    def op(self, name: str) -> CallSite | None:
        for site in self.ops:
            if site.name == name:
                return site
        return None

    def sites(self) -> list[CallSite]:
        return ([self.root] if self.root is not None else []) + self.ops

    def site_at(self, steps: tuple[PathStep, ...]) -> CallSite | None:
        """The innermost operation whose mapping encloses ``steps``."""
        best: CallSite | None = None
        for site in self.sites():
            if steps[: len(site.steps)] == site.steps and (
                best is None or len(site.steps) > len(best.steps)
            ):
                best = site
        return best

    def site_exact(self, steps: tuple[PathStep, ...]) -> CallSite | None:
        for site in self.sites():
            if site.steps == steps:
                return site
        return None


EMPTY_INDEX = DocumentIndex(path=None)


def _own_params(analysis: Analysis, node: YNode | None) -> dict[str, ParamDef]:
    """The document's own params: the analysis already read them unless `-P` params were merged
    in or the schema dropped the section."""
    layer = analysis.layer
    if layer is not None and layer.params is not None and not analysis.settings.params:
        return layer.params
    return read_params(node, source=analysis.path)


def build_index(analysis: Analysis | None, workspace: Workspace | None) -> DocumentIndex:
    if analysis is None or analysis.root is None:
        return DocumentIndex(path=analysis.path if analysis else None)
    root = analysis.root
    index = DocumentIndex(path=analysis.path)
    composed = analysis.composed
    own_params = root.get("params")
    inline = root.get("component")
    component_node = inline if isinstance(inline, YMap) else None
    if component_node is None and ("inputs" in root or "run" in root):
        component_node = root
    run = _own_run(root)
    if composed is not None:
        index.root = CallSite(
            steps=(),
            node=root,
            name=str_value(root.get("name")),
            name_node=root.get("name"),
            params=_own_params(analysis, own_params),
            params_node=own_params,
            inputs=list(composed.inputs),
            outputs=list(composed.outputs),
            complete=bool(composed.complete and not composed.broken),
            component_node=component_node,
            run=composed.run if isinstance(composed.run, YMap) else run[1],
        )
    else:
        index.root = CallSite(
            steps=(),
            node=root,
            name=str_value(root.get("name")),
            name_node=root.get("name"),
            params=_own_params(analysis, own_params),
            params_node=own_params,
            inputs=[],
            outputs=[],
            complete=False,
            component_node=component_node,
            run=run[1],
        )
    run_steps, run_node = run
    if run_node is None or str_value(run_node.get("kind")) != "dag":
        return index
    operations = run_node.get("operations")
    if not isinstance(operations, YSeq):
        return index
    index.operations_steps = (*run_steps, "operations")
    if composed is not None:
        index.dag_inputs = list(composed.inputs)
    components = run_node.get("components")
    if isinstance(components, YSeq):
        for item in components.items:
            if isinstance(item, YMap):
                name = str_value(item.get("name"))
                if name is not None:
                    index.dag_components.setdefault(name, item)
    work = workspace or Workspace(root=analysis.path.parent if analysis.path else None)
    shared: dict[tuple[str, str, str], Any] = {}
    for position, op in enumerate(operations.items):
        if isinstance(op, YMap):
            steps = (*index.operations_steps, position)
            index.ops.append(_op_site(analysis, work, op, steps, index.dag_components, shared))
    return index


def _own_run(root: YMap) -> tuple[tuple[PathStep, ...], YMap | None]:
    run = root.get("run")
    if isinstance(run, YMap):
        return ("run",), run
    component = root.get("component")
    if isinstance(component, YMap):
        inner = component.get("run")
        if isinstance(inner, YMap):
            return ("component", "run"), inner
    return (), None


def _op_site(
    analysis: Analysis,
    workspace: Workspace,
    op: YMap,
    steps: tuple[PathStep, ...],
    components: dict[str, YMap],
    shared: dict[tuple[str, str, str], Any],
) -> CallSite:
    from param_lsp.rules.references import composer

    checked = analysis.dag_ops.get(id(op))
    if checked is not None and checked.item is op and checked.composed is not None:
        # Composed by the DAG check already: its first layer is the op's own.
        done = checked.composed
        own = done.layers[0] if done.layers else None
        params = own.params if own is not None else {}
        # CallSites are never changed once built: the one of an unchanged op is reused.
        return remembered(
            op,
            ("call-site", steps, id(done), id(params)),
            lambda: _site(op, steps, params, done),
            pins=(done, params),
        )
    layer: Layer = read_layer(op, analysis.path)
    # Ops that only point at a component (the usual case) share its composition: a DAG of
    # hundreds of ops calling one component composes it once.
    key: tuple[str, str, str] | None = None
    if not ({"component", "inputs", "outputs"} & set(op.index)) and len(layer.refs) == 1:
        ((kind, (_node, value)),) = layer.refs.items()
        key = (kind, str(value.to_py()), layer.patch_strategy or "")
    composed: Composed | None = shared.get(key) if key is not None else None
    if composed is None:
        scratch = CheckContext(settings=analysis.settings, path=analysis.path)
        try:
            composed = composer(scratch, workspace, dag_components=components).compose(layer)
        except Exception:  # a half-typed op must never break the whole index
            composed = None
        if key is not None and composed is not None:
            shared[key] = composed
    return _site(op, steps, layer.params, composed)


def _site(
    op: YMap,
    steps: tuple[PathStep, ...],
    params: dict[str, ParamDef] | None,
    composed: Composed | None,
) -> CallSite:
    inline = op.get("component")
    return CallSite(
        steps=steps,
        node=op,
        name=str_value(op.get("name")),
        name_node=op.get("name"),
        params=params or {},
        params_node=op.get("params"),
        inputs=list(composed.inputs) if composed is not None else [],
        outputs=list(composed.outputs) if composed is not None else [],
        complete=bool(composed is not None and composed.complete and not composed.broken),
        is_dag_op=True,
        component_node=inline if isinstance(inline, YMap) else None,
        run=composed.run if composed is not None and isinstance(composed.run, YMap) else None,
    )
