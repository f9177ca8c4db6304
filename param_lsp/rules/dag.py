"""Family "dag": pipelines (`run.kind: dag`) — structure, graph, per-op params (§12, §21.4).

Polyaxon 2.18 runs, in order: the resolution pass (operations present, component names, op names,
unresolved refs, `dagRef` → `components[]` with template cycles, DAG-node schedule, a run for
every op), then the upstream graph (dependencies, `ops.X` param refs including component-level
params, `events` refs), orphans, cycles, and finally each op's params against its composed
component with the typed DAG reference table. Polyaxon stops at the first error; here each
independent problem is reported at its own range, and a stage only skips ops that an earlier
error made untrustworthy.

Ops of a nested DAG (an op whose component is itself a DAG) are not validated by Polyaxon, except
that their references are resolved (a missing file, a cycle or an invalid referenced component is
an error, as at the top). They are checked here too, but what else is found there is reported as
a warning (rule PLX511).
"""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from param_lsp.core.compose import Composed, Composer
from param_lsp.core.context import CheckContext
from param_lsp.core.findings import Finding, Fix, Related, Severity
from param_lsp.core.memo import canonical, latest, remembered, remembering
from param_lsp.core.model import IODef, Layer, ParamDef, read_layer, read_params, str_value
from param_lsp.core.names import did_you_mean, unambiguous
from param_lsp.core.span import Span
from param_lsp.core.workspace import Workspace
from param_lsp.core.yaml_tree import YMap, YNode, YScalar, YSeq
from param_lsp.rules import refs as ref_rules
from param_lsp.rules import templates
from param_lsp.rules.dependent import SchemaBreaks, readable_joins
from param_lsp.rules.joins import with_join_params
from param_lsp.rules.params import ParamsTarget, validate_params
from param_lsp.rules.references import PATH_REF_MISSING, REFERENCE_CYCLE, REFERENCED_INVALID
from param_lsp.rules.references import composer as new_composer
from param_lsp.rules.registry import MAX_LISTED, Rule, rule
from param_lsp.rules.run_patch import check_run_patch

NO_OPERATIONS = rule(
    "PLX500",
    "dag-no-operations",
    family="dag",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="A DAG has no `operations` (missing or empty).",
    doc="""
    Polyaxon: "Pipeline is not valid, it has no ops to validate components." (2.16 crashed on a
    missing `operations` key.)
    """,
    bad="""
    run:
      kind: dag
      components: [...]
    """,
    good="""
    run:
      kind: dag
      operations:
        - name: train
          dagRef: trainer
    """,
)

COMPONENT_NO_NAME = rule(
    "PLX501",
    "dag-component-without-name",
    family="dag",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="An entry of a DAG's `components` has no `name`.",
    doc="""
    Components of a DAG are referenced by `dagRef: <name>`; Polyaxon 2.18 rejects an entry
    without a name even when nothing uses it: "Pipeline component requires a name." While a
    component has no name (being typed), a `dagRef` naming no component is not reported as
    unknown (the component may become that one): a note on this error lists them.
    """,
    bad="""
    components:
      - run: {kind: job, container: {image: python}}
    """,
    good="""
    components:
      - name: trainer
        run: {kind: job, container: {image: python}}
    """,
)

DUPLICATE_COMPONENT = rule(
    "PLX502",
    "dag-duplicate-component",
    family="dag",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="Two entries of a DAG's `components` have the same name.",
    doc='Polyaxon: "Pipeline has multiple components with the same name `…`".',
    bad="""
    components:
      - {name: trainer, run: {kind: job, container: {image: a}}}
      - {name: trainer, run: {kind: job, container: {image: b}}}
    """,
    good="""
    components:
      - {name: trainer, run: {kind: job, container: {image: a}}}
      - {name: evaluator, run: {kind: job, container: {image: b}}}
    """,
)

OP_NO_NAME = rule(
    "PLX503",
    "dag-op-without-name",
    family="dag",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="A DAG operation has no `name`.",
    doc="""
    Ops are nodes of the graph and are referenced by name (`dependencies`, `ops.<name>`).
    Polyaxon 2.18: "Pipeline op requires a name." (2.16 said "Pipeline's graph is not acyclic.")
    While an op has no name (being typed), the names other ops use that no op has are not
    reported as unknown (the op may become one of them): a note on this error lists them. The
    names the op without a name uses itself are still checked.
    """,
    bad="""
    operations:
      - dagRef: trainer
    """,
    good="""
    operations:
      - name: train
        dagRef: trainer
    """,
)

DUPLICATE_OP = rule(
    "PLX504",
    "dag-duplicate-op",
    family="dag",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="Two DAG operations have the same name.",
    doc='Polyaxon 2.18: "Pipeline has multiple ops with the same name `…`".',
    bad="""
    operations:
      - {name: train, dagRef: trainer}
      - {name: train, dagRef: trainer}
    """,
    good="""
    operations:
      - {name: train-a, dagRef: trainer}
      - {name: train-b, dagRef: trainer}
    """,
)

UNKNOWN_COMPONENT = rule(
    "PLX505",
    "dag-unknown-component",
    family="dag",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="A `dagRef` names no entry of the DAG's `components`.",
    doc="""
    Polyaxon: "Pipeline op with name `…` requires a component with name `…`, which is not
    defined on this pipeline."
    """,
    bad="""
    operations: [{name: train, dagRef: trainr}]
    components: [{name: trainer, run: {kind: job, container: {image: python}}}]
    """,
    good="""
    operations: [{name: train, dagRef: trainer}]
    components: [{name: trainer, run: {kind: job, container: {image: python}}}]
    """,
)

TEMPLATE_CYCLE = rule(
    "PLX506",
    "dag-template-cycle",
    family="dag",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="`dagRef`s between a DAG's components form a cycle.",
    doc="""
    In 2.18 a `components[]` entry may itself use `dagRef` (each link is a layer). A chain that
    comes back to a component already on it fails: "Pipeline op `…` has a template reference
    cycle: a -> b -> a".
    """,
    bad="""
    components:
      - {name: a, dagRef: b}
      - {name: b, dagRef: a}
    """,
    good="""
    components:
      - {name: a, dagRef: b}
      - {name: b, run: {kind: job, container: {image: python}}}
    """,
)

NODE_SCHEDULE = rule(
    "PLX507",
    "dag-node-schedule",
    family="dag",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="An op inside a DAG defines a `schedule`.",
    doc='Only the pipeline itself can be scheduled: "DAG node `…` cannot define a schedule."',
    bad="""
    operations:
      - name: train
        dagRef: trainer
        schedule: {kind: interval, frequency: 600}
    """,
    good="""
    schedule: {kind: interval, frequency: 600}
    run:
      kind: dag
      operations: [{name: train, dagRef: trainer}]
    """,
)

OP_NO_DEFINITION = rule(
    "PLX508",
    "dag-op-without-definition",
    family="dag",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="A DAG op has no component, no reference and no `run`.",
    doc="""
    Polyaxon: "Pipeline op has no definition field `…`". Polyaxon says the same when the op's
    reference resolves to a component without a `run` (a `dagRef` to a `components` entry whose
    `run` was removed): the message then names that component, with a note on it.
    """,
    bad="""
    operations:
      - name: train
        params: {lr: {value: 0.1}}
    """,
    good="""
    operations:
      - name: train
        dagRef: trainer
        params: {lr: {value: 0.1}}
    """,
)

ORPHAN_OP = rule(
    "PLX509",
    "dag-orphan-op",
    family="dag",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="A dependency, `ops.<name>` ref or event ref names an op that is not in the DAG.",
    doc="""
    Upstream ops come from `dependencies`, params with `ref: ops.<name>` (also params declared
    by the op's component) and `events[].ref`. A name that is not an op of the DAG is an
    "orphan": "Pipeline has a non valid dag, the dag contains an orphan ops: `{…}`, check if you
    are referencing this op in a parameter or a condition". Reported at every reference to it.
    """,
    bad="""
    operations:
      - {name: train, dagRef: trainer}
      - {name: evaluate, dagRef: evaluator, dependencies: [trian]}
    """,
    good="""
    operations:
      - {name: train, dagRef: trainer}
      - {name: evaluate, dagRef: evaluator, dependencies: [train]}
    """,
)

GRAPH_CYCLE = rule(
    "PLX510",
    "dag-cycle",
    family="dag",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="The ops' dependencies form a cycle (including an op that references itself).",
    doc="""
    Polyaxon sorts the graph topologically and fails with "Pipeline's graph is not acyclic." The
    diagnostic sits on every dependency entry or ref that is part of a cycle and names the
    cycle path.
    """,
    bad="""
    operations:
      - {name: a, dagRef: c, dependencies: [b]}
      - {name: b, dagRef: c, dependencies: [a]}
    """,
    good="""
    operations:
      - {name: a, dagRef: c}
      - {name: b, dagRef: c, dependencies: [a]}
    """,
)

NESTED_DAG_ISSUE = rule(
    "PLX511",
    "nested-dag-issue",
    family="dag",
    severity=Severity.WARNING,
    polyaxon_rejects=False,
    summary="A problem inside a nested DAG, which Polyaxon does not validate at check time.",
    doc="""
    `polyaxon check` validates the ops of the top-level DAG only; the ops of a DAG used as an op
    of another DAG are first validated when that inner pipeline is compiled on the cluster.
    param-lsp checks them with the same rules and reports what it finds as warnings.
    Deliberately stricter than Polyaxon. Their references are the exception: Polyaxon resolves
    them with the file, so a missing file, a reference cycle or an invalid referenced component
    in a nested DAG (inline, or in a file a `pathRef` names) is an error (PLX900–PLX902).
    """,
    bad="""
    operations:
      - name: inner
        component:
          run:
            kind: dag
            operations: [{name: a, dagRef: missing}]
    """,
    good="""
    operations:
      - name: inner
        component:
          run:
            kind: dag
            operations: [{name: a, dagRef: trainer}]
            components: [{name: trainer, run: {kind: job, container: {image: python}}}]
    """,
)


@dataclass(slots=True, eq=False, repr=False)
class OpNode:
    """One op of a DAG, its component and the ops it depends on."""

    name: str
    item: YMap
    name_node: YNode
    composed: Composed | None = None
    usable: bool = True
    #: Inputs/outputs of the op's component whose definition failed the schema: the params
    #: bound to them are not checked (the other params are).
    waived: frozenset[str] = frozenset()
    #: upstream op name → the nodes that create the edge (dependency entries, refs)
    upstream: dict[str, list[YNode]] = field(default_factory=dict)
    #: The op's component has an input/output whose name is not typed yet: what its outputs
    #: are is not known (refs to them wait).
    unnamed_io: bool = False


def check_dag(
    composed: Composed, breaks: SchemaBreaks | None, ctx: CheckContext, workspace: Workspace
) -> dict[int, OpNode] | None:
    """Check the document's own pipeline; its ops by id of their node (None: not its own)."""
    owner = next((layer for layer in composed.layers if layer.run is composed.run), None)
    if owner is None or composed.run is None or owner.source != ctx.path:
        return None  # the pipeline lives in a referenced file, which is checked on its own
    ops = check_dag_run(
        composed.run, composed.inputs, owner.source, ctx, workspace, breaks, chunked=True
    )
    return {id(op.item): op for op in ops.values()}


def check_dag_run(
    run: YMap,
    dag_inputs: list[IODef],
    source: Path | None,
    ctx: CheckContext,
    workspace: Workspace,
    breaks: SchemaBreaks | None = None,
    *,
    chunked: bool = False,
) -> dict[str, OpNode]:
    """Check one DAG run; returns its ops by name, composed (empty without operations).

    ``breaks``: the document's schema errors; an op or component they touch is still part of
    the graph, but the params of the ops that depend on it are not checked. ``chunked`` (the
    document's own DAG): the ops' params are checked in chunks (see :func:`_check_ops`)."""
    ops_node = run.get("operations")
    if breaks and not isinstance(ops_node, YSeq) and breaks.error_in(ops_node) is not None:
        return {}  # `operations` is not a list: reported by the schema, nothing to walk
    if not isinstance(ops_node, YSeq) or not ops_node.items:
        anchor = run.key_node("operations") or run.key_node("kind") or run
        ctx.report(
            NO_OPERATIONS.at(
                anchor.span,
                "The DAG has no `operations`; add at least one op.",
                polyaxon="Pipeline is not valid, it has no ops to validate components.",
            )
        )
        return {}
    components = _components(run.get("components"), ctx)
    ops = _ops(ops_node, ctx)
    composer = new_composer(ctx, workspace, dag_components=components)
    problems: list[tuple[str, YNode, tuple[str, ...], str]] = []
    memo = ctx.memo
    # An op's composition depends on its own nodes and on the `components[]` entries.
    memo_key = ("dag-op", source, tuple((name, id(item)) for name, item in components.items()))
    component_items = tuple(components.values())
    for op in ops.values():
        if memo is None:
            problems += _compose_op(op, source, composer, ctx)
            continue
        composed, usable, new = memo.run(
            ctx,
            op.item,
            (*memo_key, op.name),
            lambda op=op: _composed_op(op, source, composer, ctx),  # type: ignore[misc]
            keep=lambda _result: not (composer.read_files or composer.used_noisy_component),
            pins=component_items,
        )
        op.composed, op.usable = composed, usable
        problems += new
    _report_dag_ref_problems(problems, components, ctx, ops, _nameless(run.get("components")))
    if breaks:
        _skip_broken(ops, components, breaks, ctx)
    _build_graph(ops)
    _report_orphans(ops, ctx, _nameless_ops(ops_node))
    _report_cycles(ops, ctx)
    table = ref_rules.build_ref_table(
        dag_inputs,
        {
            name: (op.composed.inputs, op.composed.outputs)
            if op.composed is not None
            and op.composed.complete
            and not op.composed.broken
            and not op.unnamed_io
            and not _definition_missing(op)
            else None
            for name, op in ops.items()
        },
        entries_of=lambda name, inputs, outputs: _ref_entries(ops[name], inputs, outputs),
    )
    checked = [op for op in ops.values() if op.usable and op.composed is not None]
    _check_unchecked_refs(ops, source, ctx)
    if chunked and ctx.memo is not None:
        _check_ops(checked, table, source, ctx, workspace, ops, dag_inputs)
    else:
        seen: set[int] = set()
        for op in checked:
            _check_op_params(op, table, source, ctx, workspace, seen, ops, dag_inputs)
    return ops


def _check_unchecked_refs(ops: dict[str, OpNode], source: Path | None, ctx: CheckContext) -> None:
    """The refs of an op whose params are not checked (its component is missing or broken):
    whether each is well formed (`ops.<name>`, `runs.<uuid>`, `dag`) does not depend on the
    component, so it is checked all the same."""
    for op in ops.values():
        if op.usable and op.composed is not None:
            continue
        for param in read_params(op.item.get("params"), source=source).values():
            if isinstance(param.ref, str):
                ref_rules.check_ref_syntax(param, param.ref, ctx)


#: What an op's params check reads of an op its refs name that does not exist.
_NO_OP = object()
#: ... of an op that exists without a composition.
_NOT_COMPOSED = object()


def _check_ops(
    checked: list[OpNode],
    table: ref_rules.RefTable,
    source: Path | None,
    ctx: CheckContext,
    workspace: Workspace,
    ops: dict[str, OpNode],
    dag_inputs: list[IODef],
) -> None:
    """The params (and templates) of the document's own ops, in chunks of ops: a chunk whose
    ops, compositions, upstream ops' compositions and shared state are the very objects of the
    last analysis replays its findings (``DocumentCache.run_in_chunks``).

    What an op's check reads besides its node: its composition; the compositions of the ops
    its refs name (all in its `upstream`, remembered with its composition); the DAG's inputs
    (by value); the inputs and runs of shared components already judged by an earlier op
    (`seen`, replayed as what each op added). An op with `joins` or a nested DAG reads more:
    its chunk is checked again every time."""
    memo = ctx.memo
    assert memo is not None
    by_item = {id(op.item): op for op in checked}
    dag_values = canonical(
        tuple((io.name, io.io_type, io.is_list, io.is_output) for io in dag_inputs)
    )
    seen: set[int] = set()

    def reads(chunk: Sequence[YNode]) -> tuple[object, ...]:
        read: list[object] = [canonical(frozenset(seen)), dag_values]
        for item in chunk:
            op = by_item[id(item)]
            composed = op.composed
            assert composed is not None
            read += (composed, op.upstream, canonical(op.waived))
            if composed.run_kind == "dag" or "joins" in op.item:
                read.append(object())  # never the same: checked every time
            for name in op.upstream:
                upstream = ops.get(name)
                if upstream is None:
                    read.append(_NO_OP)
                else:
                    read.append(upstream.composed or _NOT_COMPOSED)
                    read.append(upstream.unnamed_io)
        return tuple(read)

    def check(_index: int, item: YNode) -> frozenset[int]:
        before = set(seen)
        _check_op_params(by_item[id(item)], table, source, ctx, workspace, seen, ops, dag_inputs)
        return frozenset(seen - before)

    def replayed(added: list[frozenset[int]]) -> None:
        for ids in added:
            seen.update(ids)

    memo.run_in_chunks(
        ctx, ("dag-op-params", source), [op.item for op in checked], check, reads, replayed
    )


def _skip_broken(
    ops: dict[str, OpNode], components: dict[str, YMap], breaks: SchemaBreaks, ctx: CheckContext
) -> None:
    """Ops whose own entry or whose `components[]` entry failed the schema keep their place in
    the graph, but their params are not checked (a note on the schema error says so)."""
    broken_components: dict[int, tuple[str, Finding, frozenset[str] | None]] = {}
    for name, item in components.items():
        found = _component_break(item, breaks)
        if found is not None:
            broken_components[id(item)] = (name, *found)
    for op in ops.values():
        cause = _params_break(op.item, breaks)
        broken_params = _broken_params(op.item, breaks) if cause is not None else None
        if broken_params is not None:
            # Errors only inside single params: those wait, the op's other params are checked.
            op.waived = op.waived | broken_params
        elif cause is not None:
            if op.usable:
                breaks.explain(
                    ctx,
                    cause,
                    f"the params of op `{op.name}` are not checked until this is fixed",
                    op.name_node.span,
                )
            op.usable = False
            continue
        if op.composed is None or not broken_components:
            continue
        for layer in op.composed.layers[1:]:
            broken = broken_components.get(id(layer.root))
            if broken is None:
                continue
            name, cause, waived = broken
            if waived is not None and UNNAMED_IO in waived:
                op.unnamed_io = True
                sound = {io.name for io in (*op.composed.inputs, *op.composed.outputs)}
                waived = (waived - {UNNAMED_IO}) | (set(op.composed.params) - sound)
                waived = frozenset(waived)
            if waived is not None:
                bound = sorted(waived & set(op.composed.params))
                if bound and op.usable:
                    names = ", ".join(f"`{n}`" for n in bound)
                    what = f"params {names} are" if len(bound) > 1 else f"param {names} is"
                    whose = "their definitions are" if len(bound) > 1 else "its definition is"
                    breaks.explain(
                        ctx,
                        cause,
                        f"op `{op.name}` uses component `{name}`; its {what} not checked until "
                        f"{whose} fixed",
                        op.name_node.span,
                    )
                op.waived = op.waived | waived
                continue
            if op.usable:
                breaks.explain(
                    ctx,
                    cause,
                    f"op `{op.name}` uses component `{name}`; its params are not checked until "
                    "the component is fixed",
                    op.name_node.span,
                )
            op.usable = False
            break


#: Keys of a DAG component that its ops' params check reads.
_READ_BY_PARAMS = ("name", "inputs", "outputs")


def _component_break(
    item: YMap, breaks: SchemaBreaks
) -> tuple[Finding, frozenset[str] | None] | None:
    """The first schema error of a DAG component and what it hides from its ops' params: None
    when it has none; the names of the broken inputs/outputs when only those are broken (an
    empty set when only fields the params check does not read are: `run`, `termination`...);
    None in place of the names when the whole component's IO cannot be trusted."""
    cause = breaks.error_in(item)
    if cause is None:
        return None
    if any(finding.span == item.span for finding in breaks.errors):
        return cause, None
    waived: set[str] = set()
    for key in _READ_BY_PARAMS:
        entry = item.entry(key)
        if entry is None:
            continue
        key_node, value = entry
        if breaks.error_in(key_node) is not None:
            return cause, None
        if breaks.error_in(value) is None:
            continue
        if key == "name" or not isinstance(value, YSeq):
            return cause, None
        if any(finding.span == value.span for finding in breaks.errors):
            return cause, None
        for io in value.items:
            if breaks.error_in(io) is None:
                continue
            name = io.entry("name") if isinstance(io, YMap) else None
            if (
                name is not None
                and isinstance(name[1], YScalar)
                and name[1].value is None
                and not any(finding.span == io.span for finding in breaks.errors)
            ):
                # A name not typed yet: the item may become any input/output, so only the
                # params bound to none of the sound ones wait.
                waived.add(UNNAMED_IO)
                continue
            if (
                name is None
                or not isinstance(name[1], YScalar)
                or not isinstance(name[1].value, str)
                or breaks.error_in(name[1]) is not None
                or breaks.error_in(name[0]) is not None
                or any(finding.span == io.span for finding in breaks.errors)
            ):
                return cause, None
            waived.add(name[1].value)
    return cause, frozenset(waived)


#: In the names `_component_break` returns: an input/output whose `name` is still empty.
UNNAMED_IO = "\x00unnamed"


#: Keys of an op whose contents its params check reads (a bad `name` or `trigger` is not one).
_PARAMS_INPUTS = (
    "params", "component", "pathRef", "path_ref", "hubRef", "hub_ref", "urlRef", "url_ref",
    "dagRef", "dag_ref", "matrix", "joins", "inputs", "outputs", "patchStrategy",
    "patch_strategy", "strictParams", "strict_params",
)  # fmt: skip


def _params_break(item: YMap, breaks: SchemaBreaks) -> Finding | None:
    for key in _PARAMS_INPUTS:
        entry = item.entry(key)
        if entry is not None:
            cause = breaks.error_in(entry[1]) or breaks.error_in(entry[0])
            if cause is not None:
                return cause
    return None


def _broken_params(item: YMap, breaks: SchemaBreaks) -> frozenset[str] | None:
    """The names of an op's params with schema errors when every error of what its params check
    reads lies inside single params' values; None when anything else is broken."""
    names: set[str] = set()
    for key in _PARAMS_INPUTS:
        entry = item.entry(key)
        if key == "params" or entry is None:
            continue
        if breaks.error_in(entry[1]) is None and breaks.error_in(entry[0]) is None:
            continue
        if key != "joins" or breaks.error_in(entry[0]) is not None:
            return None
        if not readable_joins(entry[1], breaks):
            return None
        # Joins broken outside their params still provide them (the broken ones wait).
        assert isinstance(entry[1], YSeq)
        for join in entry[1].items:
            join_params = join.get("params") if isinstance(join, YMap) else None
            if isinstance(join_params, YMap):
                broken = _params_in_error(join_params, breaks, inside_only=False)
                assert broken is not None
                names |= broken
    entry = item.entry("params")
    if entry is None:
        return frozenset(names)
    if not isinstance(entry[1], YMap) or breaks.error_in(entry[0]) is not None:
        return None if breaks.error_in(entry[1]) or breaks.error_in(entry[0]) else frozenset(names)
    broken = _params_in_error(entry[1], breaks, inside_only=True)
    return None if broken is None else frozenset(names | broken)


def _params_in_error(params: YMap, breaks: SchemaBreaks, *, inside_only: bool) -> set[str] | None:
    """The names of the params (of a `params` mapping) holding a schema error; None when an
    error is not inside one param's value (and ``inside_only``)."""
    names: set[str] = set()
    for finding in breaks.errors:
        span = finding.span
        if not (params.span.start <= span.start and span.end <= params.span.end):
            continue
        owner = next(
            (
                key.value
                for key, value in params.pairs
                if isinstance(key, YScalar)
                and isinstance(key.value, str)
                and value.span.start <= span.start
                and span.end <= value.span.end
                and value.span.start < value.span.end
            ),
            None,
        )
        if owner is None:
            if inside_only:
                return None
            continue
        names.add(owner)
    return names


def _named_items(
    node: YNode | None, ctx: CheckContext, what: str, no_name: Rule, duplicate: Rule
) -> dict[str, tuple[YMap, YNode]]:
    """Items of a DAG list by name (first wins); a missing or repeated name is reported."""
    found: dict[str, tuple[YMap, YNode]] = {}
    if not isinstance(node, YSeq):
        return found
    for item in node.items:
        if not isinstance(item, YMap):
            continue
        name_node = item.get("name")
        name = str_value(name_node)
        if not name:
            anchor = item.pairs[0][0] if item.pairs else item
            ctx.report(
                no_name.at(
                    anchor.span,
                    f"A DAG {what} has no `name`; add one.",
                    polyaxon=f"Pipeline {what} requires a name.",
                )
            )
            continue
        assert name_node is not None
        if name in found:
            ctx.report(
                duplicate.at(
                    name_node.span,
                    f"Two DAG {what}s are named `{name}`; rename one.",
                    polyaxon=f"Pipeline has multiple {what}s with the same name `{name}`",
                    related=(Related("first defined here", found[name][1].span),),
                )
            )
            continue
        found[name] = (item, name_node)
    return found


def _components(node: YNode | None, ctx: CheckContext) -> dict[str, YMap]:
    named = _named_items(node, ctx, "component", COMPONENT_NO_NAME, DUPLICATE_COMPONENT)
    return {name: item for name, (item, _node) in named.items()}


def _ops(node: YSeq, ctx: CheckContext) -> dict[str, OpNode]:
    named = _named_items(node, ctx, "op", OP_NO_NAME, DUPLICATE_OP)
    return {name: OpNode(name, item, name_node) for name, (item, name_node) in named.items()}


def _composed_op(
    op: OpNode, source: Path | None, composer: Composer, ctx: CheckContext
) -> tuple[Composed | None, bool, list[tuple[str, YNode, tuple[str, ...], str]]]:
    """:func:`_compose_op` as a pure result (for the memo): composition, usability, problems."""
    composer.read_files = composer.used_noisy_component = False
    problems = _compose_op(op, source, composer, ctx)
    return op.composed, op.usable, problems


def _compose_op(
    op: OpNode, source: Path | None, composer: Composer, ctx: CheckContext
) -> list[tuple[str, YNode, tuple[str, ...], str]]:
    """Compose one op; returns the `dagRef` problems met, tagged with the op's name."""
    layer = read_layer(op.item, source)
    before = len(composer.dag_ref_problems)
    composed = composer.compose(layer)
    op.composed = composed
    new = [(*problem, op.name) for problem in composer.dag_ref_problems[before:]]
    if new:
        op.usable = False
    schedule_key = op.item.key_node("schedule")
    schedule = op.item.get("schedule")
    if schedule_key is not None and not (isinstance(schedule, YScalar) and schedule.value is None):
        ctx.report(
            NODE_SCHEDULE.at(
                schedule_key.span,
                f"Op `{op.name}` of a DAG cannot have a `schedule`; remove it.",
                polyaxon=f"DAG node `{op.name}` cannot define a schedule.",
            )
        )
    if composed.complete and not composed.broken and not ctx.settings.is_216:
        # Polyaxon 2.18 validates an op's runPatch against its component's run kind too.
        check_run_patch(op.item, composed.run_kind, ctx)
    if composed.broken:
        op.usable = False
    elif composed.complete and composed.run is None and not _reference_not_a_name(op):
        op.usable = False
        span, message, related = _no_definition(op, composer)
        ctx.report(
            OP_NO_DEFINITION.at(
                span,
                message,
                polyaxon=f"Pipeline op has no definition field `{op.name}`",
                related=related,
            )
        )
    elif composed.complete and composed.run is None:
        op.usable = False  # a reference that is no name: its schema error says so (PLX111)
    return new


def _reference_not_a_name(op: OpNode) -> bool:
    """The op's first reference is a number, a boolean or a list (`dagRef: 3`)."""
    for key in _DEFINITION_KEYS:
        value = op.item.get(key)
        if value is not None and key != "component":
            return not (isinstance(value, YScalar) and isinstance(value.value, str | None))
        if value is not None:
            return False
    return False


def _no_definition(op: OpNode, composer: Composer) -> tuple[Span, str, tuple[Related, ...]]:
    """PLX508's place, message and note: an op without any reference, with an empty one, or
    whose component has no `run` (or one without `kind`)."""
    present = [
        (key, entry) for key in _DEFINITION_KEYS if (entry := op.item.entry(key)) is not None
    ]
    for key, (key_node, value) in present:
        if isinstance(value, YScalar) and value.value in (None, ""):
            return (
                key_node.span,
                f"DAG op `{op.name}` has an empty `{key}`; name the component it uses.",
                (),
            )
    if not present:
        return (
            op.name_node.span,
            f"DAG op `{op.name}` has no component, reference or `run`; add a `dagRef`, "
            "`hubRef`, `pathRef` or inline `component`.",
            (),
        )
    key, (_key, value) = present[0]
    target: YNode | None = None
    if key == "component":
        target, label = value, "its inline `component`"
    elif key == "dagRef":
        name = str_value(value)
        target = composer.dag_components.get(name) if name and composer.dag_components else None
        label = f"component `{name}` (its `dagRef`)"
    else:
        label = f"the component of its `{key}`"
    note: tuple[Related, ...] = ()
    if isinstance(target, YMap):
        run_key, name_key = target.key_node("run"), target.key_node("name")
        if run_key is not None:
            note = (Related(f"the `run` of {label}, without a `kind`", run_key.span),)
        elif name_key is not None:
            note = (Related(f"{label} is defined here, without a `run`", name_key.span),)
    return (
        op.name_node.span,
        f"DAG op `{op.name}` gets no `run` from {label}; give that component a `run` with a "
        "`kind`.",
        note,
    )


#: In the order Polyaxon prefers them: an inline component wins over a reference.
_DEFINITION_KEYS = ("component", "dagRef", "hubRef", "pathRef", "urlRef")


def _definition_missing(op: OpNode) -> bool:
    """An op with no component, reference or `run`, or an empty one (being typed): its inputs
    and outputs are unknown, not empty (PLX508 says what is missing)."""
    composed = op.composed
    if composed is None or composed.run is not None:
        return False
    present = [op.item.get(key) for key in _DEFINITION_KEYS if key in op.item]
    return not present or any(
        isinstance(value, YScalar) and value.value in (None, "") for value in present
    )


def _nameless(node: YNode | None) -> list[YNode]:
    """Where the "has no `name`" findings of a DAG list's nameless items are (their first key)."""
    if not isinstance(node, YSeq):
        return []
    return [
        item.pairs[0][0] if item.pairs else item
        for item in node.items
        if isinstance(item, YMap) and not str_value(item.get("name"))
    ]


def _report_dag_ref_problems(
    problems: list[tuple[str, YNode, tuple[str, ...], str]],
    components: dict[str, YMap],
    ctx: CheckContext,
    ops: dict[str, OpNode],
    nameless_components: Sequence[YNode] = (),
) -> None:
    seen: set[tuple[int, str]] = set()
    for kind, node, names, op_name in problems:
        key = (id(node), kind)
        if key in seen:
            continue  # a component shared by several ops: one finding at its dagRef
        seen.add(key)
        if kind == "unknown" and nameless_components:
            # A component whose name is being typed may be the one this op means.
            _note_on_nameless(
                ctx,
                COMPONENT_NO_NAME.code,
                nameless_components[0],
                f"`dagRef: {names[0]}` of op `{op_name}` is not checked until this component "
                f"has a name (it may be `{names[0]}`)",
                node.span,
            )
        elif kind == "unknown":
            guess = did_you_mean(names[0], list(components))
            fix = f"did you mean `{guess}`?" if guess else "add it to the DAG's `components`."
            op = ops.get(op_name)
            params = op.item.get("params") if op is not None else None
            related = (
                (
                    Related(
                        f"the params of op `{op_name}` are not checked until it uses a component "
                        "of this DAG (their types come from its inputs)",
                        params.span,
                    ),
                )
                if isinstance(params, YMap) and params.pairs
                else ()
            )
            ctx.report(
                UNKNOWN_COMPONENT.at(
                    node.span,
                    f"Op `{op_name}` refs component `{names[0]}`, which the DAG does not "
                    f"define; {fix}",
                    polyaxon=f"Pipeline op with name `{op_name}` requires a component with name "
                    f"`{names[0]}`, which is not defined on this pipeline.",
                    related=related,
                )
            )
        else:
            ctx.report(
                TEMPLATE_CYCLE.at(
                    node.span,
                    f"The `dagRef`s of op `{op_name}` form a cycle ("
                    + " -> ".join(f"`{n}`" for n in names)
                    + "); break it.",
                    polyaxon=f"Pipeline op `{op_name}` has a template reference cycle",
                )
            )


# -------------------------------------------------------------------------------------- graph


def _ref_op(ref: str | None) -> str | None:
    """§12.1: the second segment of a ref whose first segment is `ops`."""
    if not ref:
        return None
    parts = ref.split(".")
    if parts[0] != "ops":
        return None
    return parts[1] if len(parts) > 1 else None


def _event_refs(layers: list[Layer]) -> Iterator[tuple[str, YNode]]:
    for layer in layers:
        events = layer.root.get("events")
        if not isinstance(events, YSeq):
            continue
        for event in events.items:
            if isinstance(event, YMap):
                ref_node = event.get("ref")
                name = _ref_op(str_value(ref_node))
                if name is not None and ref_node is not None:
                    yield name, ref_node


def _ref_entries(
    op: OpNode, inputs: list[IODef], outputs: list[IODef]
) -> dict[str, ref_rules.RefEntry]:
    if not remembering():
        return ref_rules.op_ref_entries(op.name, inputs, outputs)
    # The same composition (kept across versions while the op is unchanged), the same entries.
    return remembered(
        op.item,
        ("ref-entries", op.name, id(op.composed)),
        lambda: ref_rules.op_ref_entries(op.name, inputs, outputs),
        pins=(op.composed,),
    )


def _build_graph(ops: dict[str, OpNode]) -> None:
    if not remembering():
        for op in ops.values():
            op.upstream = _upstream(op)
        return
    for op in ops.values():
        # What an op names upstream depends on its node and its composition only.
        # Shared with the remembered result: read only.
        op.upstream = remembered(
            op.item,
            ("upstream", id(op.composed)),
            functools.partial(_upstream, op),
            pins=(op.composed,),
        )


def _upstream(op: OpNode) -> dict[str, list[YNode]]:
    upstream: dict[str, list[YNode]] = {}
    dependencies = op.item.get("dependencies")
    if isinstance(dependencies, YSeq):
        for entry in dependencies.items:
            if isinstance(entry, YScalar) and entry.value is not None:
                upstream.setdefault(str(entry.value), []).append(entry)
    composed = op.composed
    params = composed.params.values() if composed is not None else _own_params(op)
    source = _source_of(op)
    for param in params:
        name = _ref_op(param.ref)
        if name is not None:
            # `is` first: comparing paths costs half a microsecond even for the same object.
            own = param.source is source or param.source == source
            anchor = param.ref_node if own else None
            upstream.setdefault(name, []).append(anchor or op.name_node)
    layers = composed.layers if composed is not None else []
    for name, node in _event_refs(layers):
        upstream.setdefault(name, []).append(node)
    return upstream


def _own_params(op: OpNode) -> list[ParamDef]:
    return list((read_layer(op.item, None).params or {}).values())


def _source_of(op: OpNode) -> Path | None:
    if op.composed is not None and op.composed.layers:
        return op.composed.layers[0].source
    return None


def _note_on_nameless(ctx: CheckContext, code: str, anchor: YNode, note: str, span: Span) -> None:
    """Add ``note`` to the "has no `name`" finding (``code``) reported at ``anchor``."""
    for index, finding in enumerate(ctx.findings):
        if finding.code == code and finding.span == anchor.span:
            if all(related.message != note for related in finding.related):
                ctx.findings[index] = replace(
                    finding, related=(*finding.related, Related(note, span))
                )
            return


def _nameless_ops(ops_node: YSeq) -> list[OpNode]:
    """The ops with no name (reported as such): not in the graph, but what they name upstream
    is still checked (a name being typed does not hide a misspelt dependency)."""
    found = []
    for item in ops_node.items:
        if isinstance(item, YMap) and not str_value(item.get("name")):
            op = OpNode("", item, item.pairs[0][0] if item.pairs else item)
            op.upstream = _upstream(op)
            found.append(op)
    return found


def _report_orphans(
    ops: dict[str, OpNode], ctx: CheckContext, nameless: Sequence[OpNode] = ()
) -> None:
    every = [*ops.values(), *nameless]
    waiting: set[str] = set()
    if nameless:
        # An op whose name is being typed may be the op these names mean: they wait (a note
        # on the missing name says so); the names the nameless ops use are still checked.
        used_by_nameless = {name for op in nameless for name in op.upstream}
        for op in ops.values():
            for name, nodes in op.upstream.items():
                if name in ops or name in used_by_nameless:
                    continue
                waiting.add(name)
                for node in nodes:
                    _note_on_nameless(
                        ctx,
                        OP_NO_NAME.code,
                        nameless[0].name_node,
                        f"`{name}` is not checked until this op has a name (it may be `{name}`)",
                        node.span,
                    )
    orphans = sorted(
        {name for op in every for name in op.upstream if name not in ops and name not in waiting}
    )
    if not orphans:
        return
    shown = ", ".join(f"'{name}'" for name in orphans[:MAX_LISTED])
    more = len(orphans) - MAX_LISTED
    listed = "{" + shown + (f", … and {more} more" if more > 0 else "") + "}"
    names = tuple(ops)
    for op in every:
        for name, nodes in op.upstream.items():
            if name in ops or name in waiting:
                continue
            guess = did_you_mean(name, names)
            fix = f"did you mean `{guess}`?" if guess else "add the op or fix the name."
            safe = unambiguous(name, guess, names)
            for node in nodes:
                ctx.report(
                    ORPHAN_OP.at(
                        node.span,
                        f"Unknown op `{name}`: it is not an op of this DAG; {fix}",
                        fixes=_op_name_fix(node, name, guess, safe),
                        polyaxon="Pipeline has a non valid dag, the dag contains an orphan ops: "
                        f"`{listed}`, check if you are referencing this op in a parameter or a "
                        "condition",
                    )
                )


def _op_name_fix(node: YNode, name: str, guess: str | None, safe: bool) -> tuple[Fix, ...]:
    """Replace the op name inside `ops.<name>` or a `dependencies` item with ``guess`` (safe for
    `check --fix` when ``guess`` is the one closest name)."""
    if guess is None or not isinstance(node, YScalar) or not isinstance(node.value, str):
        return ()
    span = node.span
    if span.start.line != span.end.line or "\\" in node.value:
        return ()
    text = node.value
    if text.strip() == name:
        offset = text.index(name)
    else:
        head, _, rest = text.partition(".")
        if head.strip() != "ops" or rest.split(".")[0].strip() != name:
            return ()
        offset = len(head) + 1 + rest.index(name)
    start = span.start.character + (1 if node.style in ("'", '"') else 0) + offset
    line = span.start.line
    span = Span.of(line, start, line, start + len(name))
    return (Fix(f"Replace with `{guess}`", span, guess, safe=safe),)


#: Up to this many ops in a cycle, each dependency's message names its shortest cycle.
EXACT_CYCLES_UP_TO = 64


def _report_cycles(ops: dict[str, OpNode], ctx: CheckContext) -> None:
    edges = {name: [up for up in op.upstream if up in ops] for name, op in ops.items()}
    # Most edits leave the graph as it was: its components are those of the last analysis.
    for component in latest("dag-components", edges, lambda: _strongly_connected(edges)):
        members = set(component)
        if len(component) == 1 and component[0] not in edges[component[0]]:
            continue
        # A large cycle: one walk through a hub op per dependency (two searches in all), so
        # that thousands of ops in a ring cost linear time, not one search per dependency.
        hub = (
            _HubPaths(edges, component[0], members) if len(component) > EXACT_CYCLES_UP_TO else None
        )
        for name in component:
            op = ops[name]
            for upstream in edges[name]:
                if upstream not in members:
                    continue
                if upstream == name:
                    message = f"Op `{name}` depends on itself; remove this dependency."
                else:
                    if hub is not None:
                        steps = _steps(*hub.cycle(name, upstream))
                    else:
                        steps = _steps(*_shortened([name, *_path(edges, upstream, name, members)]))
                    message = f"The DAG's dependencies form a cycle ({steps}); remove one of them."
                for node in op.upstream[upstream]:
                    ctx.report(
                        GRAPH_CYCLE.at(
                            node.span, message, polyaxon="Pipeline's graph is not acyclic."
                        )
                    )


def _steps(head: list[str], tail: list[str], length: int) -> str:
    """`a` waits for `b` waits for … for a cycle of ``length`` names (the first one repeated at
    the end): ``head`` alone when it is the whole cycle; else its first and last names around a
    count of the others."""
    joiner = " waits for "
    named = joiner.join(f"`{step}`" for step in head)
    if not tail:
        return named
    hidden = length - len(head) - len(tail)
    return named + f"{joiner}… {hidden} more …{joiner}" + joiner.join(f"`{s}`" for s in tail)


def _shortened(cycle: list[str]) -> tuple[list[str], list[str], int]:
    if len(cycle) <= MAX_LISTED:
        return cycle, [], len(cycle)
    half = MAX_LISTED // 2
    return cycle[:half], cycle[-half:], len(cycle)


class _HubPaths:
    """Paths through one op of a strongly connected component: to it from every member, and
    from it to every member, each found by one breadth-first search."""

    def __init__(self, edges: dict[str, list[str]], hub: str, members: set[str]) -> None:
        self.hub = hub
        # toward[x]: the next step from x toward the hub, following the edges.
        reverse: dict[str, list[str]] = {name: [] for name in members}
        for name in members:
            for up in edges[name]:
                if up in members:
                    reverse[up].append(name)
        self.toward, self.toward_depth = _tree(reverse, hub)
        # came_from[x]: the step before x on the path hub -> … -> x.
        inside = {name: [up for up in edges[name] if up in members] for name in members}
        self.came_from, self.from_depth = _tree(inside, hub)

    def cycle(self, name: str, upstream: str) -> tuple[list[str], list[str], int]:
        """The cycle name -> upstream -> … -> hub -> … -> name for :func:`_steps`: whole when
        it has at most :data:`MAX_LISTED` names, else only its first and last names."""
        length = 2 + self.toward_depth[upstream] + self.from_depth[name]
        limit = length if length <= MAX_LISTED else MAX_LISTED // 2
        head = [name, upstream][:limit]
        step = upstream
        while len(head) < limit and step != self.hub:
            step = self.toward[step]
            head.append(step)
        back = [name]
        step = name
        while len(back) < limit and step != self.hub:
            step = self.came_from[step]
            back.append(step)
        back.reverse()  # hub (or a later op) -> … -> name
        if length <= MAX_LISTED:
            return head + back[1:], [], length
        return head, back, length


def _tree(edges: dict[str, list[str]], root: str) -> tuple[dict[str, str], dict[str, int]]:
    """Breadth-first search from ``root``: each reached node's predecessor and depth."""
    parent: dict[str, str] = {}
    depth = {root: 0}
    queue = deque([root])
    while queue:
        current = queue.popleft()
        for nxt in edges[current]:
            if nxt not in depth:
                depth[nxt] = depth[current] + 1
                parent[nxt] = current
                queue.append(nxt)
    return parent, depth


def _path(edges: dict[str, list[str]], start: str, goal: str, members: set[str]) -> list[str]:
    """Shortest upstream path start → … → goal inside one strongly connected component."""
    previous: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        if current == goal:
            break
        for nxt in edges[current]:
            if nxt in members and nxt not in previous:
                previous[nxt] = current
                queue.append(nxt)
    path = [goal]
    step = previous.get(goal)
    while step is not None:
        path.append(step)
        step = previous[step]
    path.reverse()
    return path


def _strongly_connected(edges: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative (a 500-op chain must not hit the recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    result: list[list[str]] = []
    counter = 0
    for root in edges:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, child_index = work.pop()
            if child_index == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            children = edges[node]
            if child_index < len(children):
                work.append((node, child_index + 1))
                child = children[child_index]
                if child not in index:
                    work.append((child, 0))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                result.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return result


# ----------------------------------------------------------------------------- per-op params


def _effective_params(op: OpNode, composed: Composed) -> dict[str, ParamDef]:
    """Composed params, then the op entry's own join params (D10: joins of the entry only)."""
    joins_node = op.item.get("joins")
    if joins_node is None:
        return dict(composed.params)
    return with_join_params(composed.params, joins_node, source=_source_of(op))


def _check_op_params(
    op: OpNode,
    table: ref_rules.RefTable,
    source: Path | None,
    ctx: CheckContext,
    workspace: Workspace,
    seen: set[int],
    ops: dict[str, OpNode],
    dag_inputs: list[IODef],
) -> None:
    composed = op.composed
    assert composed is not None
    if not composed.complete:
        return  # hub/url component: its IO is unknown (reported as information already)
    params = _effective_params(op, composed)

    memo = ctx.memo
    if memo is None:
        _validate_op_params(op, composed, params, table, ctx)
    else:
        # The params check reads the op, its composition and, for refs, the IO of the ops and
        # DAG inputs they name.
        read, pins = _read_through_refs(params, ops, dag_inputs)
        memo.run(
            ctx,
            op.item,
            ("op-params", id(composed), read, op.waived),
            lambda: _validate_op_params(op, composed, params, table, ctx),
            pins=(composed, *pins),
        )
    templates.check_composed(composed, ctx, params=params.values(), seen=seen)
    if composed.run_kind == "dag" and composed.run is not None:
        _check_nested(op, composed, source, ctx, workspace)


def _validate_op_params(
    op: OpNode,
    composed: Composed,
    params: dict[str, ParamDef],
    table: ref_rules.RefTable,
    ctx: CheckContext,
) -> None:
    def check_ref(param: ParamDef, io: IODef | None, sub: CheckContext) -> None:
        ref_rules.check_param_ref_in(param, io, sub, table)

    inputs, outputs = composed.inputs, composed.outputs
    if op.waived:
        # Broken definitions: their params wait, and they are optional for this check.
        params = {name: param for name, param in params.items() if name not in op.waived}
        inputs = [replace(io, is_optional=True) if io.name in op.waived else io for io in inputs]
        outputs = [replace(io, is_optional=True) if io.name in op.waived else io for io in outputs]
    target = ParamsTarget(
        params=params,
        inputs=inputs,
        outputs=outputs,
        strict=composed.strict,
        matrix=composed.matrix,
        # As at the top level: on the op's `params` key when it has one, else on its name.
        anchor_at=op.item.key_node("params") or op.name_node,
        extra_info=f"<op {op.name}>",
        check_ref=check_ref,
    )
    validate_params(target, ctx)


def _read_through_refs(
    params: dict[str, ParamDef], ops: dict[str, OpNode], dag_inputs: list[IODef]
) -> tuple[tuple[object, ...], tuple[object, ...]]:
    """What a params check reads outside its op: the compositions (kept across versions, named
    by id and returned to be pinned) of the ops its refs name, and the DAG's inputs by value."""
    read: list[object] = []
    pins: list[object] = []
    for param in params.values():
        ref = param.ref
        if not isinstance(ref, str):
            continue
        if ref.startswith("ops."):
            upstream = ops.get(ref[4:])
            if upstream is None:
                read.append((ref, None))
            else:
                read.append((ref, id(upstream.composed)))
                pins.append(upstream.composed)
        elif ref.split(".")[0] == "dag":
            read.append(
                (ref, tuple((io.name, io.io_type, io.is_list, io.is_output) for io in dag_inputs))
            )
    return tuple(read), tuple(pins)


def _check_nested(
    op: OpNode, composed: Composed, source: Path | None, ctx: CheckContext, workspace: Workspace
) -> None:
    owner = next((layer for layer in composed.layers if layer.run is composed.run), None)
    if owner is None or owner.source != source or composed.run is None:
        return
    sub = CheckContext(settings=ctx.settings, path=ctx.path)
    check_dag_run(composed.run, composed.inputs, source, sub, workspace)
    for finding in sub.findings:
        ctx.report(as_nested_finding(finding, op.name, is_216=ctx.settings.is_216))


def nested_prefix(op_name: str) -> str:
    """How a finding inside the nested DAG of op ``op_name`` begins (the pipeline graph reads it
    to tell apart the ops that run the same DAG component)."""
    return f"In the nested DAG of op `{op_name}` (not validated by Polyaxon): "


#: What Polyaxon does check in a nested DAG: its entries' references are resolved with the
#: file (spec §21.6 step 3, R5), so a missing file, a cycle or an invalid component fails it.
_RESOLVED_IN_NESTED = frozenset(
    rule_.code for rule_ in (PATH_REF_MISSING, REFERENCE_CYCLE, REFERENCED_INVALID)
)


def as_nested_finding(finding: Finding, op_name: str, *, is_216: bool = False) -> Finding:
    """How a finding inside the nested DAG of op ``op_name`` is reported: a PLX511 warning,
    except what Polyaxon 2.18 does check there (reference resolution) and notes."""
    if finding.severity > Severity.WARNING:
        return finding
    if finding.code in _RESOLVED_IN_NESTED and not is_216:  # 2.18's resolution pass
        return finding
    return NESTED_DAG_ISSUE.at(
        finding.span,
        nested_prefix(op_name) + finding.message,
        related=finding.related,
        fixes=finding.fixes,
        polyaxon=finding.polyaxon,
    )
