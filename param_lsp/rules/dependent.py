"""What a schema error makes untrustworthy, and nothing more.

Polyaxon stops at its first error; param-lsp reports every independent one. A schema error in one
part of a document only hides the checks that read that part: a broken input definition hides
the check of the param bound to it, a broken matrix the "missing param" check of the inputs it
might provide, a broken DAG component the params of the ops that use it. Everything else (other
params, refs, other ops and components, the DAG's graph) is still checked. Where a check is
skipped, the schema error that caused it gets a related-information note saying what was not
checked, so an editor shows why.

Which parts are broken is read from the positions of the schema errors (not from the walk's
side effects), so results replayed from the document cache give the same answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from param_lsp.core.compose import Composed
from param_lsp.core.context import CheckContext
from param_lsp.core.findings import Finding, Related, Severity
from param_lsp.core.model import IODef, ParamDef
from param_lsp.core.schema_spec import RUN_KINDS
from param_lsp.core.span import Span
from param_lsp.core.yaml_tree import YMap, YNode, YScalar, YSeq

#: Top-level keys whose broken contents can be kept and checked part by part.
_KEEPABLE_SHAPES: dict[str, type] = {
    "component": YMap,
    "params": YMap,
    "inputs": YSeq,
    "outputs": YSeq,
}


@dataclass(slots=True, eq=False, repr=False)
class SchemaBreaks:
    """The schema errors of one document, to tell which of its parts are broken."""

    errors: list[Finding] = field(default_factory=list)
    #: The finding now standing for an error (a note replaces the finding object).
    _current: dict[int, Finding] = field(default_factory=dict)
    _notes: set[tuple[int, str]] = field(default_factory=set)

    @classmethod
    def since(cls, ctx: CheckContext, mark: int) -> SchemaBreaks:
        return cls([f for f in ctx.findings[mark:] if f.severity == Severity.ERROR])

    def __bool__(self) -> bool:
        return bool(self.errors)

    def error_in(self, node: YNode | None) -> Finding | None:
        """The first schema error inside ``node``'s range (None when it is sound)."""
        if node is None or not self.errors:
            return None
        start, end = node.span.start, node.span.end
        for finding in self.errors:
            if start <= finding.span.start and finding.span.end <= end:
                return finding
        return None

    def explain(
        self, ctx: CheckContext, cause: Finding, note: str, span: Span, path: Path | None = None
    ) -> None:
        """Add ``note`` (what was not checked because of ``cause``) to ``cause``'s finding."""
        key = (id(cause), note)
        if key in self._notes:
            return
        self._notes.add(key)
        current = self._current.get(id(cause), cause)
        for index, finding in enumerate(ctx.findings):
            if finding is current:
                updated = replace(
                    finding,
                    related=(*finding.related, Related(note, span, str(path) if path else None)),
                )
                ctx.findings[index] = updated
                self._current[id(cause)] = updated
                return


def kept_keys(root: YMap, broken: set[str], breaks: SchemaBreaks) -> set[str]:
    """Broken top-level keys whose sound parts are still read (the rest stays dropped)."""
    keep = {key for key, shape in _KEEPABLE_SHAPES.items() if isinstance(root.get(key), shape)}
    run = root.get("run")
    if isinstance(run, YMap) and run_kind_sound(run, breaks):
        keep.add("run")
    return keep & broken


def run_kind_sound(run: YMap, breaks: SchemaBreaks) -> bool:
    kind = run.get("kind")
    return (
        isinstance(kind, YScalar)
        and kind.value in RUN_KINDS
        and breaks.error_in(run.key_node("kind")) is None
    )


def _first_error(breaks: SchemaBreaks, nodes: Iterable[YNode | None]) -> Finding | None:
    for node in nodes:
        found = breaks.error_in(node)
        if found is not None:
            return found
    return None


@dataclass(slots=True, eq=False, repr=False)
class ParamsPlan:
    """What the params check may read: None for `params` means "skip the check"."""

    params: dict[str, ParamDef] | None
    inputs: list[IODef]
    outputs: list[IODef]
    matrix: YNode | None


def plan_params(
    root: YMap,
    dropped: set[str],
    composed: Composed,
    params: dict[str, ParamDef],
    breaks: SchemaBreaks,
    ctx: CheckContext,
) -> ParamsPlan:
    """The params check without what a schema error made untrustworthy (notes on the causes)."""
    plan = ParamsPlan(params, composed.inputs, composed.outputs, composed.matrix)
    if not breaks:
        return plan
    here = ctx.path
    # A section that is not even the right shape: nothing of it can be read, so the check of
    # params against the IO would be guesswork.
    for key in ("params", "inputs", "outputs"):
        if key in dropped and root.get(key) is not None:
            cause = breaks.error_in(root.get(key))
            anchor = root.key_node(key)
            if cause is not None and anchor is not None:
                breaks.explain(
                    ctx,
                    cause,
                    f"params are not checked against the inputs and outputs until `{key}` is fixed",
                    anchor.span,
                )
            plan.params = None
            return plan
    params = dict(params)
    waived: set[str] = set()  # IO names whose "missing param" check is skipped
    # Broken input/output definitions of this document: the params bound to them wait.
    for ios in (plan.inputs, plan.outputs):
        for io in ios:
            if not _same_document(io.source, here):
                continue
            cause = breaks.error_in(io.node)
            if cause is None:
                continue
            waived.add(io.name)
            param = params.pop(io.name, None)
            if param is not None and param.key_span is not None:
                breaks.explain(
                    ctx,
                    cause,
                    f"param `{io.name}` is not checked until this definition is fixed",
                    param.key_span,
                )
    # Broken param entries: their values are reported already; the IO they bind stays served.
    for name, param in list(params.items()):
        if not _same_document(param.source, here) or param.from_cli:
            continue
        if _first_error(breaks, (param.node, param.key_node)) is not None:
            del params[name]
            waived.add(name)
    # A broken matrix or joins may provide any input that has no param: those are not checked.
    joins_unread = "joins" in dropped and not readable_joins(root.get("joins"), breaks)
    providers = [key for key in ("matrix", "joins") if key in dropped]
    if not joins_unread and "joins" in providers:
        providers.remove("joins")  # its params are merged like those of sound joins
    # A matrix broken only in fields that do not say which inputs it provides (`concurrency`,
    # `numRuns`, one hyper-parameter's value...) still provides its sound hyper-parameters: only
    # the inputs named by a broken one wait.
    readable = "matrix" in dropped and readable_matrix(root.get("matrix"), breaks)
    if providers:
        plan.matrix = None if "matrix" in dropped and not readable else plan.matrix
        waiting = [
            io
            for io in [*plan.inputs, *plan.outputs]
            if io.name not in params
            and io.name not in waived
            and io.required
            and (
                not readable
                or joins_unread
                or _hp_broken(root.get("matrix"), io.name, breaks) is not None
            )
        ]
        waived.update(io.name for io in waiting)
        key = providers[0]
        cause = breaks.error_in(root.get(key))
        anchor = root.key_node(key)
        if waiting and cause is not None and anchor is not None:
            names = ", ".join(f"`{io.name}`" for io in waiting[:5])
            more = f" and {len(waiting) - 5} more" if len(waiting) > 5 else ""
            what = "required inputs" if len(waiting) > 1 else "required input"
            breaks.explain(
                ctx,
                cause,
                f"{what} {names}{more} without a param: not checked until `{key}` is fixed "
                "(it may provide a value)",
                anchor.span,
            )
    # Waived IO stay declared (a param with a close name still gets its did-you-mean) but are
    # optional for this check: no "required, no param was passed" that the fix could undo.
    plan.inputs = [replace(io, is_optional=True) if io.name in waived else io for io in plan.inputs]
    plan.outputs = [
        replace(io, is_optional=True) if io.name in waived else io for io in plan.outputs
    ]
    plan.params = params
    return plan


#: Matrix kinds whose inputs are named by `params` (and `resource`): Polyaxon's `validate_matrix`.
_PARAMS_MATRIX_KINDS = frozenset({"grid", "random", "hyperband", "bayes", "hyperopt", "iterative"})


def readable_joins(joins: YNode | None, breaks: SchemaBreaks) -> bool:
    """Whether joins with schema errors still tell which params they provide: a list of
    mappings whose `params` (when present) are mappings with sound keys, errors only elsewhere
    (`query`, `limit`, a misspelt key...) or inside single params."""
    if not isinstance(joins, YSeq):
        return False
    for item in joins.items:
        if not isinstance(item, YMap):
            return False
        params = item.get("params")
        if params is None or (isinstance(params, YScalar) and params.value is None):
            continue
        if not isinstance(params, YMap) or breaks.error_in(item.key_node("params")) is not None:
            return False
        if any(breaks.error_in(key_node) is not None for key_node, _value in params.pairs):
            return False
    return True


def readable_matrix(matrix: YNode | None, breaks: SchemaBreaks) -> bool:
    """Whether a matrix with schema errors still tells which inputs it provides: a known kind
    and a `params` mapping (and `resource`) whose own shape is sound, errors only elsewhere or
    inside single hyper-parameters."""
    if not isinstance(matrix, YMap):
        return False
    kind = matrix.get("kind")
    if not (isinstance(kind, YScalar) and kind.value in _PARAMS_MATRIX_KINDS):
        return False
    if _first_error(breaks, (kind, matrix.key_node("kind"), matrix.key_node("params"))):
        return False
    params = matrix.get("params")
    if not isinstance(params, YMap):
        return False
    if any(breaks.error_in(key_node) is not None for key_node, _value in params.pairs):
        return False
    return breaks.error_in(matrix.get("resource")) is None


def _hp_broken(matrix: YNode | None, name: str, breaks: SchemaBreaks) -> Finding | None:
    """The schema error inside the hyper-parameter ``name`` of a readable matrix, if any."""
    assert isinstance(matrix, YMap)
    params = matrix.get("params")
    assert isinstance(params, YMap)
    entry = params.entry(name)
    if entry is None:
        return None
    return _first_error(breaks, (entry[0], entry[1]))


def _same_document(source: Path | None, here: Path | None) -> bool:
    return source is here or source == here


_REFERENCES = ("hubRef", "hub_ref", "pathRef", "path_ref", "urlRef", "url_ref", "component")


def explain_run_patch(
    root: YMap, dropped: set[str], breaks: SchemaBreaks, ctx: CheckContext
) -> None:
    """`runPatch` is checked against the referenced component's run kind: when the reference
    itself failed the schema, say on its error that the patch waits for it."""
    patch = root.key_node("runPatch") or root.key_node("run_patch")
    if patch is None:
        return
    for key in _REFERENCES:
        if key not in dropped:
            continue
        cause = breaks.error_in(root.get(key))
        if cause is not None:
            breaks.explain(
                ctx,
                cause,
                f"`{patch.to_py()}` is not checked until `{key}` is fixed (it patches that "
                "component's run)",
                patch.span,
            )
            return
