"""Families "refs" and "joins": a param's `ref` and the value it asks for (spec §9, §10, §21.8).

Three steps, as Polyaxon runs them: the *value* syntax (`inputs.x`, `outputs`, `artifacts.a.b`,
`globals.k`, optionally wrapped in `{{ }}`), the *ref* syntax (`ops.NAME`, `runs.<uuid>`, `dag`),
then the resolution of `<ref>.<value>` against what the reference offers. At top level nothing is
offered (so `ops.*`/`dag` refs fail unless the value is `artifacts…` or a template); inside a DAG
the reference table of §12.3 is passed in as a :class:`RefTable` by the DAG family.

Every finding points at the offending token: the `ref` value, or the exact segment inside the
`value` string (see :func:`param_lsp.rules.templates.scalar_sub_span`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from param_lsp.core.context import CheckContext
from param_lsp.core.findings import Finding, Fix, Related, Severity
from param_lsp.core.model import IODef, ParamDef
from param_lsp.core.names import did_you_mean, unambiguous
from param_lsp.core.span import Span
from param_lsp.core.template_scan import has_template, template_span
from param_lsp.core.yaml_tree import YMap, YNode
from param_lsp.rules.registry import MAX_LISTED, rule, shown
from param_lsp.rules.templates import scalar_sub_span

# Python set reprs exactly as Polyaxon prints them under PYTHONHASHSEED=0 (§15.2).
CONTEXTS = ("outputs", "io", "inputs", "artifacts")
CONTEXTS_WITH_NESTING = ("globals", "outputs", "inputs", "artifacts")
ENTITIES = ("runs", "ops")
GLOBALS_CONTEXTS = (
    "owner_name", "project_name", "project_unique_name", "project_uuid", "run_info", "name",
    "uuid", "status", "namespace", "iteration", "context_path", "artifacts_path", "created_at",
    "compiled_at", "schedule_at", "started_at", "finished_at", "duration", "cloning_kind",
    "original_uuid", "is_independent",
)  # fmt: skip
#: Types `are_compatible` treats as one (the float/metric group never matches, §9.3 step 4).
_STR_LIKE = frozenset({"str", "path", "s3", "gcs", "wasb"})


def _set_repr(names: tuple[str, ...]) -> str:
    return "{" + ", ".join(f"'{name}'" for name in names) + "}"


def are_compatible(left: str | None, right: str | None) -> bool:
    """clipped's `are_compatible` on IO type strings (None, an untyped IO, matches nothing)."""
    if left is None or right is None:
        return False
    if left == right:
        return True
    return left in _STR_LIKE and right in _STR_LIKE


# --------------------------------------------------------------------------------------- rules

VALUE_UNPARSABLE = rule(
    "PLX400",
    "ref-value-unparsable",
    family="refs",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="A ref value has more than three dotted parts.",
    doc="""
    With a `ref`, `value` names what to take from the reference: `inputs`, `outputs`, `io`,
    `artifacts`, `inputs.<name>`, `outputs.<name>`, `globals.<key>`, `artifacts.<name>` or
    `artifacts.<a>.<b>` (optionally inside `{{ }}`). More than three parts: "Could not parse value
    `…` for param `…`."
    """,
    bad="""
    params:
      loss: {ref: ops.train, value: outputs.metrics.loss.last}
    """,
    good="""
    params:
      loss: {ref: ops.train, value: outputs.loss}
    """,
)

VALUE_NAMESPACE = rule(
    "PLX401",
    "ref-value-invalid",
    family="refs",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="A ref value does not start with a namespace the reference offers.",
    doc="""
    A single-part value must be one of `inputs`, `outputs`, `io`, `artifacts` (bare `globals` is
    rejected, although the docs list it); a two-part value must start with `inputs`, `outputs`,
    `artifacts` or `globals` (`io.x` is rejected); a three-part value must start with
    `artifacts`. Polyaxon: "Received an invalid value `…` for param `…`. …"
    """,
    bad="""
    params:
      up: {ref: ops.train, value: io.loss}
    """,
    good="""
    params:
      up: {ref: ops.train, value: outputs.loss}
    """,
)

DAG_OUTPUTS_VALUE = rule(
    "PLX402",
    "ref-dag-outputs",
    family="refs",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="`ref: dag` cannot take `outputs` (the DAG has not produced them yet).",
    doc="""
    A DAG's own outputs are not available to its ops: "Received an invalid value `outputs` for
    param `…`. You can not use `outputs` of current dag".
    """,
    bad="""
    params:
      everything: {ref: dag, value: outputs}
    """,
    good="""
    params:
      everything: {ref: dag, value: inputs}
    """,
)

REF_UNPARSABLE = rule(
    "PLX403",
    "ref-unparsable",
    family="refs",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="`ref` is not `ops.<name>`, `runs.<uuid>` or `dag`.",
    doc="""
    Polyaxon accepts three ref forms: `ops.<name>` (an upstream op of the same DAG),
    `runs.<uuid>` (an existing run) and `dag` (the pipeline running this op). Anything else fails
    with "Could not parse ref `…` for param `…`." Templates are not accepted in `ref`.
    """,
    bad="""
    params:
      loss: {ref: job.train, value: outputs.loss}
    """,
    good="""
    params:
      loss: {ref: ops.train, value: outputs.loss}
    """,
)

INVALID_RUN_UUID = rule(
    "PLX404",
    "ref-invalid-run-uuid",
    family="refs",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="`ref: runs.<uuid>` does not name a valid UUID.",
    doc="""
    The part after `runs.` must be a UUID (32 hex digits, dashes optional). Polyaxon: "Param value
    `…` should reference a valid run uuid."
    """,
    bad="""
    params:
      loss: {ref: runs.last-good-run, value: outputs.loss}
    """,
    good="""
    params:
      loss: {ref: runs.fcc462d764104eb698d3cca509f34154, value: outputs.loss}
    """,
)

REF_WITHOUT_CONTEXT = rule(
    "PLX405",
    "ref-needs-dag",
    family="refs",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="An `ops.*`/`dag` ref where no DAG context exists (top level, or an output param).",
    doc="""
    `ops.<name>` and `dag` refs only resolve for the *inputs* of an op inside a DAG. At the top
    level of a polyaxonfile, and for params bound to outputs (even inside a DAG), Polyaxon checks
    them against an empty context and fails with "Param `…` has a ref value `…`, but reference
    with name `…` has no such information, …". Values under `artifacts` and templated values
    are accepted (they are resolved at run time).
    """,
    bad="""
    kind: operation
    params:
      loss: {ref: ops.train, value: outputs.loss}
    """,
    good="""
    kind: operation
    params:
      loss: {ref: runs.fcc462d764104eb698d3cca509f34154, value: outputs.loss}
    """,
)

REF_TARGET_MISSING = rule(
    "PLX406",
    "ref-target-missing",
    family="refs",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="The referenced op or DAG has no such input, output or global.",
    doc="""
    Inside a DAG, `ref: ops.A` + `value: outputs.x` needs an output `x` in A's (composed)
    component, `inputs.x` an input `x`; `ref: dag` + `inputs.x` needs an input of the DAG's
    component; `globals.<key>` must be one of Polyaxon's referenceable globals (`uuid`, `name`,
    `status`, `iteration`, …). `dag` offers no `io` and no `outputs.x`. Polyaxon: "Param `…` has
    a ref value `…`, but reference with name `…` has no such information, …".
    """,
    bad="""
    params:
      loss: {ref: ops.train, value: outputs.los}
    """,
    good="""
    params:
      loss: {ref: ops.train, value: outputs.loss}
    """,
)

REF_TYPE_MISMATCH = rule(
    "PLX407",
    "ref-type-mismatch",
    family="refs",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="The referenced IO's type differs from the receiving input's type.",
    doc="""
    Types must be equal strings, except that `str`, `path`, `s3`, `gcs` and `wasb` are
    interchangeable. `float` vs `metric` and `any` vs anything are incompatible, an untyped
    input accepts no ref, and every `globals.*` value is a `str`. Polyaxon: "Param `…` has a an
    input type `…` and it does not correspond to the type of the value `…` received from `…` with
    type `…`".
    """,
    bad="""
    # ops.train declares: outputs: [{name: loss, type: float}]
    inputs: [{name: loss, type: int}]
    params: {loss: {ref: ops.train, value: outputs.loss}}
    """,
    good="""
    inputs: [{name: loss, type: float}]
    params: {loss: {ref: ops.train, value: outputs.loss}}
    """,
)

REF_LIST_MISMATCH = rule(
    "PLX408",
    "ref-list-mismatch",
    family="refs",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="`isList` of the referenced IO differs from the receiving input's `isList`.",
    doc="""
    Polyaxon compares `isList` with Python `!=`, so an omitted `isList` (None) and an explicit
    `isList: false` do **not** match. Polyaxon: "Param `…` has a an input type List[`…`]and it
    does not correspond to the output value `…` received from `…`".
    """,
    bad="""
    # ops.prepare declares: outputs: [{name: files, type: str, isList: false}]
    inputs: [{name: files, type: str}]
    params: {files: {ref: ops.prepare, value: outputs.files}}
    """,
    good="""
    inputs: [{name: files, type: str, isList: false}]
    params: {files: {ref: ops.prepare, value: outputs.files}}
    """,
)

JOIN_PARAM_REF = rule(
    "PLX650",
    "join-param-ref",
    family="joins",
    severity=Severity.ERROR,
    polyaxon_rejects=False,
    summary="`ref` on a join param is ignored by Polyaxon.",
    doc="""
    A join builds its references from `query`/`sort`/`limit`/`offset`; the docs say join params
    cannot take a `ref`. Polyaxon accepts the key and silently ignores it, which hides a
    misunderstanding. Deliberately stricter than Polyaxon: reported as an error.
    """,
    bad="""
    joins:
      - query: "metrics.loss:<0.5"
        params:
          losses: {value: outputs.loss, ref: ops.train}
    """,
    good="""
    joins:
      - query: "metrics.loss:<0.5"
        params:
          losses: {value: outputs.loss}
    """,
)

JOIN_NOT_LIST = rule(
    "PLX651",
    "join-param-not-list",
    family="joins",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="A join param feeds an input that is not `isList: true` (and not `artifacts`).",
    doc="""
    A join returns one value per matching run, so the receiving input must declare
    `isList: true` (even a `List[...]` type needs it), unless its type is `artifacts`. Polyaxon:
    "Param `…` has a an input type `…`, it does not expect a list of values from the join. You
    should either pass a single value or add `isList` to you IO definition".
    """,
    bad="""
    inputs: [{name: losses, type: float}]
    joins: [{query: "kind:job", params: {losses: {value: outputs.loss}}}]
    """,
    good="""
    inputs: [{name: losses, type: float, isList: true}]
    joins: [{query: "kind:job", params: {losses: {value: outputs.loss}}}]
    """,
)

JOIN_VALUE_CRASH = rule(
    "PLX652",
    "join-value-not-string",
    family="joins",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="A join param value that is neither a string nor a mapping crashes Polyaxon.",
    doc="""
    Join param values are parsed as reference strings (`outputs.loss`, `globals.uuid`, …) or
    taken as an artifacts mapping (`{files: [...]}`); a number or a list makes Polyaxon crash
    with `TypeError: expected string or bytes-like object`.
    """,
    bad="""
    joins: [{query: "kind:job", params: {losses: {value: 1}}}]
    """,
    good="""
    joins: [{query: "kind:job", params: {losses: {value: outputs.loss}}}]
    """,
)


# ------------------------------------------------------------------------------ DAG ref table


@dataclass(slots=True, eq=False, repr=False)
class RefEntry:
    """What `<ref>.<value>` resolves to: a type string and list-ness (§12.3)."""

    io_type: str | None
    is_list: bool | None = None
    io: IODef | None = None


@dataclass(slots=True, eq=False, repr=False)
class RefTable:
    """The DAG reference context (§12.3), built once per DAG."""

    #: `dag.…` entries.
    entries: dict[str, RefEntry] = field(default_factory=dict)
    #: op name → its `ops.<name>.…` entries (kept per op, so that building the table does not
    #: merge thousands of keys on every keystroke); None when its IO is unknown (hub/url).
    op_entries: dict[str, dict[str, RefEntry] | None] = field(default_factory=dict)
    #: op name → (inputs, outputs); None as above.
    ops: dict[str, tuple[list[IODef], list[IODef]] | None] = field(default_factory=dict)
    dag_inputs: list[str] = field(default_factory=list)
    #: The op whose params are being checked (its own ops.<self> refs are cycles, reported there).
    current_op: str | None = None

    def lookup(self, ref: str, inner: str) -> RefEntry | None:
        """What `<ref>.<inner>` resolves to (`ops.train` + `outputs.loss`, say), if anything."""
        if not ref.startswith("ops."):
            return self.entries.get(f"{ref}.{inner}")
        entries = self.op_entries.get(ref[4:])
        if entries is None:
            return None
        # Every op with known IO has the sections: answered here rather than stored per op.
        return entries.get(f"{ref}.{inner}") or _OP_SECTIONS.get(inner)


_DICT = RefEntry("dict")
_STR = RefEntry("str")
#: What every op with known IO resolves, whatever its IO.
_OP_SECTIONS: dict[str, RefEntry] = {
    **{f"globals.{key}": _STR for key in GLOBALS_CONTEXTS},
    "inputs": _DICT,
    "outputs": _DICT,
    "globals": _STR,
    "artifacts": _STR,
    "io": _STR,
}


def build_ref_table(
    dag_inputs: list[IODef],
    ops: Mapping[str, tuple[list[IODef], list[IODef]] | None],
    entries_of: Callable[[str, list[IODef], list[IODef]], dict[str, RefEntry]] | None = None,
) -> RefTable:
    """What each `ops.<name>.…` and `dag.…` reference resolves to; ``entries_of`` can supply
    an op's entries (remembered by the caller) instead of :func:`op_ref_entries`."""
    table = RefTable(ops=dict(ops))
    entries = table.entries
    for key in GLOBALS_CONTEXTS:
        entries[f"dag.globals.{key}"] = _STR
    entries["dag.inputs"] = _DICT
    entries["dag.globals"] = _STR
    entries["dag.artifacts"] = _STR
    for io in dag_inputs:
        entries[f"dag.inputs.{io.name}"] = RefEntry(io.io_type, io.is_list, io)
        table.dag_inputs.append(io.name)
    make = entries_of or op_ref_entries
    table.op_entries = {
        name: None if ios is None else make(name, *ios) for name, ios in ops.items()
    }
    return table


def op_ref_entries(name: str, inputs: list[IODef], outputs: list[IODef]) -> dict[str, RefEntry]:
    """The reference entries one op contributes (`ops.<name>.outputs.<x>`, …)."""
    entries: dict[str, RefEntry] = {}
    for io in outputs:
        entries[f"ops.{name}.outputs.{io.name}"] = RefEntry(io.io_type, io.is_list, io)
        if io.io_type == "artifacts":
            entries[f"ops.{name}.artifacts.{io.name}"] = RefEntry(io.io_type, io.is_list, io)
    for io in inputs:
        entries[f"ops.{name}.inputs.{io.name}"] = RefEntry(io.io_type, io.is_list, io)
        if io.io_type == "artifacts":
            entries[f"ops.{name}.artifacts.{io.name}"] = RefEntry(io.io_type, io.is_list, io)
    return entries


# ------------------------------------------------------------------------------ value syntax


@dataclass(slots=True, frozen=True, eq=False, repr=False)
class ValuePart:
    """One `.`-part of a ref value, stripped, with its offsets in the value."""

    text: str  # stripped, as Polyaxon compares it
    start: int  # offset of the stripped text in the original value string
    end: int


@lru_cache(maxsize=4096)  # the same few values (`outputs.result`) on every op of a DAG
def split_ref_value(value: str) -> tuple[str, tuple[ValuePart, ...]]:
    """§9.1 steps 1–2: the inner text (without `{{ }}`) and its stripped `.`-parts with offsets."""
    match = template_span(value)
    if match is not None:
        raw = value[match[0] : match[1]]
        lead = len(raw) - len(raw.lstrip())
        inner = raw.strip()
        base = match[0] + lead
    else:
        inner, base = value, 0
    parts: list[ValuePart] = []
    offset = 0
    for piece in inner.split("."):
        lead = len(piece) - len(piece.lstrip())
        stripped = piece.strip()
        start = base + offset + lead
        parts.append(ValuePart(stripped, start, start + len(stripped)))
        offset += len(piece) + 1
    return inner, tuple(parts)


def _value_span(param: ParamDef, start: int | None = None, end: int | None = None) -> Span:
    node = param.value_node
    if node is None:
        return param.anchor or Span.of(0, 0, 0, 0)
    if start is None or end is None:
        return node.span
    return scalar_sub_span(node, start, end)


def _ref_span(param: ParamDef) -> Span:
    if param.ref_node is not None:
        return param.ref_node.span
    return param.anchor or Span.of(0, 0, 0, 0)


def check_value_syntax(param: ParamDef, value: str, ctx: CheckContext, *, is_dag_ref: bool) -> bool:
    """§9.1 (M2–M6); True when the value is well-formed."""
    name = param.name
    _inner, parts = split_ref_value(value)
    if len(parts) > 3:
        extra = parts[3]
        ctx.report(
            VALUE_UNPARSABLE.at(
                _value_span(param, extra.start, parts[-1].end),
                f"Ref value `{value}` of param `{name}` has {len(parts)} dotted parts; at most "
                "three are allowed (`artifacts.<a>.<b>`).",
                polyaxon=f"Could not parse value `{value}` for param `{name}`.",
            )
        )
        return False
    first = parts[0]
    if len(parts) == 1:
        if first.text not in CONTEXTS:
            hint = ""
            if first.text == "globals":
                hint = "; bare `globals` is not accepted, name a key such as `globals.uuid`"
            else:
                guess = did_you_mean(first.text, list(CONTEXTS)) if first.text else None
                hint = f"; did you mean `{guess}`?" if guess else ""
            ctx.report(
                VALUE_NAMESPACE.at(
                    _value_span(param, first.start, first.end)
                    if first.text
                    else _value_span(param),
                    f"Ref value `{value}` of param `{name}` must be one of "
                    + ", ".join(f"`{c}`" for c in sorted(CONTEXTS))
                    + (f"{hint}" if hint else "."),
                    polyaxon=f"Received an invalid value `{value}` for param `{name}`. Value must "
                    f"be one of `{_set_repr(CONTEXTS)}`",
                )
            )
            return False
        if first.text == "outputs" and is_dag_ref:
            ctx.report(
                DAG_OUTPUTS_VALUE.at(
                    _value_span(param, first.start, first.end),
                    f"Param `{name}` cannot take `outputs` from `ref: dag` (the DAG has not "
                    "produced them yet); use `inputs` or `globals`.",
                    polyaxon=f"Received an invalid value `{value}` for param `{name}`. You can "
                    "not use `outputs` of current dag",
                )
            )
            return False
        return True
    if len(parts) == 2 and first.text not in CONTEXTS_WITH_NESTING:
        hint = ""
        if first.text == "io":
            hint = "; `io` has no keys, use `inputs.<name>` or `outputs.<name>`"
        else:
            guess = did_you_mean(first.text, list(CONTEXTS_WITH_NESTING))
            hint = f"; did you mean `{guess}`?" if guess else ""
        ctx.report(
            VALUE_NAMESPACE.at(
                _value_span(param, first.start, first.end),
                f"Ref value `{value}` of param `{name}` must start with one of "
                + ", ".join(f"`{c}`" for c in sorted(CONTEXTS_WITH_NESTING))
                + (f"{hint}" if hint else "."),
                polyaxon=f"Received an invalid value `{value}` for param `{name}`. Value "
                f"`{first.text}` must be one of `{_set_repr(CONTEXTS_WITH_NESTING)}`",
            )
        )
        return False
    if len(parts) == 3 and first.text != "artifacts":
        ctx.report(
            VALUE_NAMESPACE.at(
                _value_span(param, first.start, first.end),
                f"Ref value `{value}` of param `{name}` has three parts, which only "
                f"`artifacts.<a>.<b>` may have; use `{first.text}.<name>`.",
                polyaxon=f"Received an invalid value `{value}` for param `{name}`. Value "
                f"`{first.text}` must can only be equal to `artifacts`",
            )
        )
        return False
    return True


# -------------------------------------------------------------------------------- ref syntax


def check_ref_syntax(param: ParamDef, ref: str, ctx: CheckContext) -> bool:
    """§9.2 (M8–M10); True when the ref is well-formed."""
    name = param.name
    parts = ref.split(".")
    if len(parts) > 2:
        ctx.report(
            REF_UNPARSABLE.at(
                _ref_span(param),
                f"`ref: {ref}` of param `{name}` must be `ops.<name>`, `runs.<uuid>` or `dag`.",
                polyaxon=f"Could not parse ref `{ref}` for param `{name}`.",
            )
        )
        return False
    if len(parts) == 1 and parts[0] != "dag":
        hint = "; templates are not accepted in `ref`" if "{{" in ref else ""
        if parts[0] in ENTITIES:
            hint = f"; `{parts[0]}` needs a name: `{parts[0]}.<name>`"
        ctx.report(
            REF_UNPARSABLE.at(
                _ref_span(param),
                f"`ref: {ref}` of param `{name}` must be `ops.<name>`, `runs.<uuid>` or `dag`"
                + (hint or "."),
                polyaxon=f"Could not parse ref `{parts[0]}` for param `{name}`.",
            )
        )
        return False
    if len(parts) == 2 and parts[0] not in ENTITIES:
        guess = did_you_mean(parts[0], list(ENTITIES))
        hint = f"; did you mean `{guess}.{parts[1]}`?" if guess else ""
        ctx.report(
            REF_UNPARSABLE.at(
                _ref_span(param),
                f"`ref: {ref}` of param `{name}` must start with `ops.` or `runs.`" + (hint or "."),
                polyaxon=f"Could not parse ref `{parts[0]}` for param `{name}`. Operation ref "
                f"must be one of `{_set_repr(ENTITIES)}`",
            )
        )
        return False
    if parts[0] == "runs":
        import uuid  # only here (with `platform`, ~4 ms of every start)

        try:
            uuid.UUID(parts[1])
        except ValueError:
            ctx.report(
                INVALID_RUN_UUID.at(
                    _ref_span(param),
                    f"`ref: {ref}` of param `{name}` must name a run by its UUID; got "
                    f"`{parts[1]}`.",
                    polyaxon=f"Param value `{parts[1]}` should reference a valid run uuid.",
                )
            )
            return False
    return True


# --------------------------------------------------------------------------------- resolution


def check_param_ref(param: ParamDef, io: IODef | None, ctx: CheckContext) -> None:
    """Top-level entry point (no DAG context), called by the params family."""
    check_param_ref_in(param, io, ctx, None)


def check_param_ref_in(
    param: ParamDef, io: IODef | None, ctx: CheckContext, table: RefTable | None
) -> None:
    """Check one param with a `ref`, a templated value, or a join param; ``io`` is None for an
    undeclared (context) param, ``table`` the DAG reference context (None outside a DAG)."""
    if param.is_join:
        _check_join_param(param, io, ctx)
        return
    if param.ref is None:
        return  # a templated literal: the templates family looks inside it
    value = param.value
    is_dag_ref = param.ref.split(".")[0] == "dag"
    value_ok = True
    if isinstance(value, str):
        value_ok = check_value_syntax(param, value, ctx, is_dag_ref=is_dag_ref)
    ref_ok = check_ref_syntax(param, param.ref, ctx)
    if io is None or not value_ok or not ref_ok or not isinstance(value, str):
        return  # P11: undeclared params get syntax checks only
    if has_template(value) or param.ref.startswith("runs."):
        return  # §9.3 step 1: resolved at compile time
    _resolve(param, value, io, ctx, None if io.is_output else table)


def _resolve(
    param: ParamDef, value: str, io: IODef, ctx: CheckContext, table: RefTable | None
) -> None:
    ref = param.ref or ""
    inner, parts = split_ref_value(value)
    entry = table.lookup(ref, inner) if table is not None else None
    if entry is None:
        if inner.split(".")[0] == "artifacts":
            return  # artifacts may be logged at run time
        if table is not None and ref.startswith("ops."):
            op_name = ref[4:]
            if op_name not in table.ops or table.ops[op_name] is None:
                return  # orphan (reported by the DAG family) or unknown IO (hub/url component)
        ctx.report(_missing(param, value, parts, io, table))
        return
    target = f"`{ref}`"
    if not are_compatible(io.io_type, entry.io_type):
        ctx.report(
            REF_TYPE_MISMATCH.at(
                _value_span(param, parts[0].start, parts[-1].end),
                (
                    f"Param `{param.name}` has no type, so it cannot take `{value}` from "
                    f"{target}; give input `{param.name}` a type."
                    if io.io_type is None
                    else f"Param `{param.name}` expects type `{io.io_type}`, but `{value}` from "
                    f"{target} has type `{entry.io_type}`; make the types match."
                ),
                polyaxon=f"Param `{param.name}` has a an input type `{io.io_type}` and it does "
                f"not correspond to the type of the value `{value}` received from {target} with "
                f"type `{entry.io_type}`",
                related=(*_related_for(entry), _declared(io)),
            )
        )
        return
    if io.is_list != entry.is_list:
        ctx.report(
            REF_LIST_MISMATCH.at(
                _value_span(param, parts[0].start, parts[-1].end),
                f"Param `{param.name}` and `{value}` from {target} differ in `isList` "
                f"({_list_text(io.is_list)} here, {_list_text(entry.is_list)} there); make them "
                "match.",
                polyaxon=f"Param `{param.name}` has a an input type List[`{io.io_type}`]and it "
                f"does not correspond to the output value `{value}` received from {target}",
                related=(*_related_for(entry), _declared(io)),
            )
        )


def _list_text(flag: bool | None) -> str:
    return "omitted" if flag is None else f"`{str(flag).lower()}`"


def _related_for(entry: RefEntry) -> tuple[Related, ...]:
    if entry.io is None:
        return ()
    io = entry.io
    kind = "output" if io.is_output else "input"
    return (
        Related(
            f"referenced {kind} `{io.name}` is declared here",
            io.node.span,
            str(io.source) if io.source is not None else None,
        ),
    )


def _declared(io: IODef) -> Related:
    return Related(
        f"`{io.name}` is declared here",
        io.node.span,
        str(io.source) if io.source is not None else None,
    )


def _missing(
    param: ParamDef, value: str, parts: tuple[ValuePart, ...], io: IODef, table: RefTable | None
) -> Finding:
    ref = param.ref or ""
    base = (
        f"Param `{param.name}` has a ref value `{value}`, but reference with name `{ref}` has no "
        "such information, please check that your polyaxonfile defines the correct template"
    )
    whole = _value_span(param, parts[0].start, parts[-1].end)
    if table is None:
        where = (
            "output params are checked without the DAG's context"
            if io.is_output
            else "`ops.*` and `dag` refs only resolve inside a DAG"
        )
        return REF_WITHOUT_CONTEXT.at(
            _ref_span(param),
            f"Param `{param.name}` uses `ref: {ref}`, but {where}.",
            polyaxon=base,
        )
    namespace = parts[0].text
    key = parts[1] if len(parts) > 1 else None
    candidates: list[str] = []
    declared: dict[str, IODef] = {}
    if ref == "dag":
        owner = "the DAG"
        if namespace == "inputs":
            candidates = table.dag_inputs
        elif namespace in ("io", "outputs"):
            return REF_TARGET_MISSING.at(
                _value_span(param, parts[0].start, parts[0].end),
                f"Param `{param.name}` refs `{value}`, but `ref: dag` offers no `{namespace}`; "
                "use `inputs`, `artifacts` or `globals`.",
                polyaxon=base,
            )
    else:
        op_name = ref[4:]
        owner = f"`{ref}`"
        ios = table.ops.get(op_name)
        if ios is not None:
            declared = {io.name: io for io in (ios[0] if namespace == "inputs" else ios[1])}
            candidates = list(declared)
    if namespace == "globals":
        candidates = list(GLOBALS_CONTEXTS)
    if key is None:
        return REF_TARGET_MISSING.at(
            whole,
            f"Param `{param.name}` refs `{value}`, but `{ref}` has no such value; name one of "
            "its inputs or outputs.",
            polyaxon=base,
        )
    label = {"inputs": "input", "outputs": "output", "globals": "global"}.get(namespace, namespace)
    guess = did_you_mean(key.text, candidates) if candidates else None
    hint = f"; did you mean `{guess}`?" if guess else ""
    fixes: tuple[Fix, ...] = ()
    span = _value_span(param, key.start, key.end)
    if guess and param.value_node is not None and span != param.value_node.span:
        safe = unambiguous(key.text, guess, candidates)
        fixes = (Fix(f"Replace with `{guess}`", span, guess, safe=safe),)
    if namespace == "globals":
        detail = f"`{key.text}` is not a referenceable global{hint}"
    elif not candidates:
        detail = f"{owner} has no {label}s"
    else:
        if not hint:
            shown = ", ".join(f"`{name}`" for name in candidates[:MAX_LISTED])
            more = " …" if len(candidates) > MAX_LISTED else ""
            hint = f"; use one of its {label}s: {shown}{more}"
        detail = f"{owner} has no {label} `{key.text}`{hint}"
    end = "" if detail.endswith("?") else "."
    close = declared.get(guess) if guess else None
    return REF_TARGET_MISSING.at(
        span,
        f"Param `{param.name}` refs `{value}`, but {detail}{end}",
        fixes=fixes,
        polyaxon=base,
        related=(
            Related(
                f"{label} `{close.name}` of `{ref}` is declared here",
                close.node.span,
                str(close.source) if close.source is not None else None,
            ),
        )
        if close is not None
        else (),
    )


# ------------------------------------------------------------------------------------- joins


def _check_join_param(param: ParamDef, io: IODef | None, ctx: CheckContext) -> None:
    if param.ref_node is not None:
        ctx.report(
            JOIN_PARAM_REF.at(
                _key_span(param.node, "ref") or _ref_span(param),
                f"Join param `{param.name}` has a `ref`; Polyaxon ignores it (a join builds its "
                "references from its query), so remove it",
            )
        )
    if io is None:
        return  # P12: an undeclared join param is a context value and is not checked at all
    value = param.value
    if isinstance(value, str):
        check_value_syntax(param, value, ctx, is_dag_ref=False)
    elif not isinstance(value, Mapping):
        ctx.report(
            JOIN_VALUE_CRASH.at(
                _value_span(param),
                f"Join param `{param.name}` must have a string value (a path in the query's "
                f"runs); got `{shown(value)}`, on which Polyaxon crashes.",
                polyaxon="TypeError: expected string or bytes-like object, got "
                f"'{type(value).__name__}'",
            )
        )
        return
    if io.is_list is not True and io.io_type != "artifacts":
        ctx.report(
            JOIN_NOT_LIST.at(
                _value_span(param),
                f"Param `{param.name}` receives a list from the join, but its input is not "
                f"`isList: true`; add `isList: true` to input `{param.name}`.",
                polyaxon=f"Param `{param.name}` has a an input type `{io.io_type}`, it does not "
                "expect a list of values from the join. You should either pass a single value or "
                "add `isList` to you IO definition",
                related=(_declared(io),),
            )
        )


def _key_span(node: YNode | None, key: str) -> Span | None:
    if isinstance(node, YMap):
        entry = node.entry(key)
        if entry is not None:
            return entry[0].span
    return None
