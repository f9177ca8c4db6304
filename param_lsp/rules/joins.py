"""Family "joins": the schema of an operation's `joins` section (spec §10, §7.1, §8.2).

`joins` is a list of V1Join mappings (`query` required, `sort`, `limit`/`offset` strict int or
`{{ }}` template, `ref`, `params`) whose `params` hold full-form V1JoinParam mappings only. The
module also holds the small pydantic-like checking kit (lax/strict leaf types through pydantic's
own coercion, mapping models with camelCase/snake_case aliases) that the matrix family reuses,
and :func:`join_params`, which gives the params stage the join params in Polyaxon's merge order.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from param_lsp.core.context import CheckContext
from param_lsp.core.findings import Severity
from param_lsp.core.model import ParamDef, read_param
from param_lsp.core.span import Span
from param_lsp.core.template_scan import has_template
from param_lsp.core.yaml_tree import YMap, YNode, YScalar, YSeq
from param_lsp.rules.registry import Rule, rule

# ---------------------------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------------------------

JOINS_NOT_LIST = rule(
    "PLX600",
    "joins-not-a-list",
    family="joins",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="`joins` must be a list of join mappings.",
    doc="""
    An operation's `joins` is a list of V1Join mappings. A mapping or a scalar is a pydantic
    error (`Input should be a valid list`). A `{{ }}` template passes the schema, but Polyaxon
    then iterates over the characters of the string and crashes while compiling
    (`'str' object has no attribute 'params'`), so it is reported too.
    """,
    bad="""
    joins:
      query: "metrics.loss:<0.1"
    """,
    good="""
    joins:
      - query: "metrics.loss:<0.1"
        params: {losses: {value: outputs.loss}}
    """,
)

JOIN_NOT_MAPPING = rule(
    "PLX601",
    "join-not-a-mapping",
    family="joins",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="Each item of `joins` must be a mapping (a V1Join).",
    doc="""
    Every item of `joins` is a V1Join with at least a `query`. A scalar, a list or `null` item
    is rejected: `Input should be a valid dictionary or instance of V1Join`.
    """,
    bad="""
    joins:
      - "metrics.loss:<0.1"
    """,
    good="""
    joins:
      - query: "metrics.loss:<0.1"
        params: {losses: {value: outputs.loss}}
    """,
)

JOIN_UNKNOWN_FIELD = rule(
    "PLX602",
    "join-unknown-field",
    family="joins",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="A join or join param has a key Polyaxon does not know.",
    doc="""
    V1Join accepts `query`, `sort`, `limit`, `offset`, `ref` and `params`; a join param accepts
    `value`, `ref`, `contextOnly`, `connection`, `toInit`, `toEnv` (camelCase fields also in
    snake_case). Any other key is `Extra inputs are not permitted`. Giving both spellings of the
    same field makes the snake_case one an extra key.
    """,
    bad="""
    joins:
      - query: "metrics.loss:<0.1"
        order: "-metrics.loss"
        params: {losses: {value: outputs.loss}}
    """,
    good="""
    joins:
      - query: "metrics.loss:<0.1"
        sort: "-metrics.loss"
        params: {losses: {value: outputs.loss}}
    """,
)

JOIN_MISSING_QUERY = rule(
    "PLX603",
    "join-missing-query",
    family="joins",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="A join has no `query`.",
    doc="`query` is the only required field of a V1Join (`Field required`).",
    bad="""
    joins:
      - sort: "-metrics.loss"
        params: {losses: {value: outputs.loss}}
    """,
    good="""
    joins:
      - query: "metrics.loss:<0.1"
        sort: "-metrics.loss"
        params: {losses: {value: outputs.loss}}
    """,
)

JOIN_INVALID_VALUE = rule(
    "PLX604",
    "join-invalid-value",
    family="joins",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="A join field or join param field has a value of the wrong type.",
    doc="""
    `query`, `sort` and `ref` are strict strings; `limit` and `offset` are strict integers or a
    `{{ }}` template (`"5"` and `5.0` are rejected); `params` is a mapping from string names to
    join params (or a template). Inside a join param `ref`, `connection` and `toEnv` are strict
    strings and `contextOnly`/`toInit` booleans.
    """,
    bad="""
    joins:
      - query: "metrics.loss:<0.1"
        limit: "5"
        params: {losses: {value: outputs.loss}}
    """,
    good="""
    joins:
      - query: "metrics.loss:<0.1"
        limit: 5
        params: {losses: {value: outputs.loss}}
    """,
)

JOIN_PARAM_SHORT_FORM = rule(
    "PLX605",
    "join-param-short-form",
    family="joins",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="Join params only accept the full form (`{value: ...}`).",
    doc="""
    Unlike an operation's own `params`, `joins[].params` is a plain mapping of V1JoinParam: a
    scalar or list value is not normalised into `{value: ...}` and fails with `Input should be
    a valid dictionary or instance of V1JoinParam`.
    """,
    bad="""
    joins:
      - query: "metrics.loss:<0.1"
        params: {losses: outputs.loss}
    """,
    good="""
    joins:
      - query: "metrics.loss:<0.1"
        params: {losses: {value: outputs.loss}}
    """,
)

JOIN_PARAM_REF_VALUE = rule(
    "PLX606",
    "join-param-ref-needs-string",
    family="joins",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="A join param with `ref` must have a string `value`.",
    doc="""
    As for every V1Param, when `ref` is set the `value` must be a string path: Polyaxon raises
    "Value must be of type string when a ref is provided". (The `ref` itself is otherwise
    ignored for join params.)
    """,
    bad="""
    joins:
      - query: "metrics.loss:<0.1"
        params: {losses: {ref: ops.train, value: 1}}
    """,
    good="""
    joins:
      - query: "metrics.loss:<0.1"
        params: {losses: {value: outputs.loss}}
    """,
)

JOIN_CRASH = rule(
    "PLX607",
    "join-params-crash",
    family="joins",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="A join without usable `params` makes Polyaxon crash.",
    doc="""
    When merging join params into the operation's params Polyaxon calls `join.params.items()`:
    a join without `params` (or with `params: null`) crashes with `AttributeError: 'NoneType'
    object has no attribute 'items'`, and a templated `params` string crashes while compiling
    (`TypeError: string indices must be integers`). Give every join an explicit mapping of
    params (an empty `{}` is fine).
    """,
    bad="""
    joins:
      - query: "metrics.loss:<0.1"
    """,
    good="""
    joins:
      - query: "metrics.loss:<0.1"
        params: {losses: {value: outputs.loss, contextOnly: true}}
    """,
)

# ---------------------------------------------------------------------------------------------
# Shared checking kit (also used by the matrix family)
# ---------------------------------------------------------------------------------------------

#: clipped's RefField: a string containing `{{ … }}` (`.` does not match newlines).

OPTIMIZATIONS = ("maximize", "minimize")


def is_template(value: Any) -> bool:
    return has_template(value)


#: Leaf type name → what a message says the value must be.
LEAVES: dict[str, str] = {
    "str": "a string",
    "int": "an integer",
    "strict_int": "an integer (not a string or a float)",
    "positive_int": "a positive integer",
    "float": "a number",
    "nonneg_float": "a number ≥ 0",
    "bool": "a boolean",
    "int_or_float": "a number",
    "date": "a date (YYYY-MM-DD)",
    "datetime": "a datetime",
    "timedelta": "a duration (seconds or ISO 8601)",
    "float_or_optimization": "a number or `maximize`/`minimize`",
}
_ENUM_VALUES: dict[str, tuple[str, ...]] = {}
_ADAPTERS: dict[str, Any] = {}
_OWN: dict[str, Callable[[Any], tuple[bool, Any]] | None] = {}


def enum_leaf(name: str, values: tuple[str, ...]) -> str:
    """Register (once) a leaf accepting exactly one of ``values``; returns its leaf name."""
    if name not in LEAVES:
        LEAVES[name] = "one of " + ", ".join(f"`{v}`" for v in values)
        _ENUM_VALUES[name] = values
    return name


def _leaf_type(leaf: str) -> Any:
    # pydantic's own validators (the reference of :func:`leaf_value`'s converters; used for
    # the leaves those do not cover).
    from pydantic import NonNegativeFloat, PositiveInt, StrictFloat, StrictInt, StrictStr

    if leaf in _ENUM_VALUES:
        return Literal[_ENUM_VALUES[leaf]]
    return {
        "str": StrictStr,
        "int": int,
        "strict_int": StrictInt,
        "positive_int": PositiveInt,
        "float": float,
        "nonneg_float": NonNegativeFloat,
        "bool": bool,
        "int_or_float": StrictInt | StrictFloat | float,
        "date": date,
        "datetime": datetime,
        "timedelta": timedelta,
        "float_or_optimization": StrictFloat | Literal["maximize", "minimize"],
    }[leaf]


def leaf_value(leaf: str, value: Any) -> tuple[bool, Any]:
    """(valid, converted value) for one leaf type.

    The converters of :mod:`param_lsp.core.types` (pydantic's semantics, no pydantic import:
    importing it cost a check of a folder with a matrix ~150 ms); pydantic itself only for a
    `datetime` leaf."""
    own = _OWN.get(leaf)
    if own is None and leaf not in _OWN:
        from param_lsp.core.types import leaf_converter

        own = _OWN[leaf] = leaf_converter(leaf, _ENUM_VALUES.get(leaf))
    if own is not None:
        return own(value)
    from pydantic import TypeAdapter, ValidationError

    adapter = _ADAPTERS.get(leaf)
    if adapter is None:
        adapter = _ADAPTERS[leaf] = TypeAdapter(_leaf_type(leaf))
    try:
        return True, adapter.validate_python(value)
    except ValidationError:
        return False, None
    except (TypeError, ValueError):  # pragma: no cover - defensive
        return False, None


def show(node: YNode) -> str:
    """A short rendering of a value for messages."""
    if isinstance(node, YScalar):
        if node.value is None:
            return "null"
        text = node.value if isinstance(node.value, str) else node.text
        return f"`{text if len(text) <= 40 else text[:37] + '...'}`"
    if isinstance(node, YSeq):
        return "a list"
    return "a mapping"


def is_null(node: YNode) -> bool:
    return isinstance(node, YScalar) and node.value is None


@dataclass(frozen=True, slots=True)
class RuleSet:
    """The rules one family uses for the generic checks."""

    unknown: Rule
    missing: Rule
    invalid: Rule
    short_form: Rule
    ref_value: Rule


Check = Callable[["Walker", YNode, str], bool]

#: What a value check accepts, for key completion and hover (one source with the checks):
#: ("leaf", leaf name), ("model", fields, what), ("list", item check), ("disc", {kind: check},
#: what), ("same", check) for a wrapper, ("params",) for full-form params by name,
#: ("hp_params",) for matrix hyper-parameters by name.
SHAPES: dict[Check, tuple[Any, ...]] = {}


def shaped(check: Check, *shape: Any) -> Check:
    """Record the shape of ``check`` in :data:`SHAPES`; returns ``check``."""
    SHAPES[check] = shape
    return check


def enum_values(leaf_name: str) -> tuple[str, ...]:
    """The values an enum leaf accepts (empty for other leaves)."""
    return _ENUM_VALUES.get(leaf_name, ())


@dataclass(frozen=True, slots=True)
class Field:
    """One model field: displayed (alias) name, snake_case spelling, value check."""

    name: str
    check: Check
    snake: str | None = None
    required: bool = False
    nullable: bool = True
    #: "before": a `v and v < 1` before-validator (non-numeric truthy values crash Polyaxon);
    #: "after": the same test after validation (templates crash).
    guard: str | None = None


class Walker:
    """Walks one section once, reporting through ``ctx``; ``ok`` is False after any error."""

    def __init__(self, ctx: CheckContext, rules: RuleSet) -> None:
        self.ctx = ctx
        self.rules = rules
        self.ok = True
        self.is_216 = ctx.settings.is_216
        #: The key of the field whose value is being checked (anchor for its missing fields).
        self.current_key: Span | None = None

    def report(self, rule_: Rule, span: Span, message: str, **data: Any) -> None:
        if rule_.severity == Severity.ERROR:
            self.ok = False
        self.ctx.report(rule_.at(span, message, **data))

    def invalid(self, node: YNode, label: str, expected: str) -> bool:
        message = f"`{label}` must be {expected}; got {show(node)}."
        self.report(self.rules.invalid, node.span, message)
        return False

    def model(
        self,
        node: YNode,
        fields: tuple[Field, ...],
        label: str,
        anchor: Span,
        *,
        what: str,
        lookup: dict[str, Field] | None = None,
    ) -> bool:
        """Check a mapping against ``fields`` (extra keys forbidden, aliases by name)."""
        if not isinstance(node, YMap):
            return self.invalid(node, label, f"a mapping ({what})")
        table = lookup if lookup is not None else field_lookup(fields)
        ok = True
        present: dict[str, tuple[YNode, YNode]] = {}
        for key, (key_node, value_node) in node.items():
            spec = table.get(key) if isinstance(key, str) else None
            if spec is None or (key == spec.snake and spec.name in node.index):
                ok = False
                self.unknown_key(key, key_node, label, what, spec, fields)
                continue
            present[spec.name] = (key_node, value_node)
        for spec in fields:
            entry = present.get(spec.name)
            if entry is None:
                if spec.required:
                    ok = False
                    self.report(
                        self.rules.missing,
                        anchor,
                        f"`{spec.name}` is required for {what} (missing in `{label}`); add it.",
                        field=spec.name,
                    )
                continue
            value = entry[1]
            path = f"{label}.{spec.name}"
            if is_null(value):
                if not spec.nullable:
                    ok = False
                    fix = "give it a value" if spec.required else "give it a value or remove it"
                    self.report(self.rules.invalid, value.span, f"`{path}` cannot be null; {fix}.")
                continue
            if spec.guard is not None and not self.guard(value, path, spec.guard):
                ok = False
                continue
            self.current_key = entry[0].span
            if not spec.check(self, value, path):
                ok = False
        return ok

    def unknown_key(
        self,
        key: Hashable,
        key_node: YNode,
        label: str,
        what: str,
        spec: Field | None,
        fields: tuple[Field, ...],
    ) -> None:
        if spec is not None:
            message = (
                f"`{key}` is given together with `{spec.name}`; Polyaxon uses `{spec.name}` "
                f"and rejects `{key}` as an unknown key."
            )
        elif not isinstance(key, str):
            message = f"Keys of `{label}` must be strings; got {show(key_node)}."
        else:
            names = ", ".join(f"`{f.name}`" for f in fields if f.name != "kind")
            message = f"Unknown key `{key}` in `{label}` ({what}); expected one of {names}."
        self.report(self.rules.unknown, key_node.span, message, key=str(key))

    def guard(self, node: YNode, path: str, mode: str) -> bool:
        """Reproduce `if v and v < 1` validators (crash on non-numbers, error below 1)."""
        value = node.to_py()
        if mode == "after":
            if isinstance(value, str) and is_template(value):
                self.crash(node, path, "'<' not supported between instances of 'str' and 'int'")
                return False
            return True
        if not value or value is True:
            return True
        if isinstance(value, int | float) and not isinstance(value, bool):
            if value < 1:
                self.report(
                    self.rules.invalid,
                    node.span,
                    f"`{path}` must be at least 1; got {show(node)}.",
                )
                return False
            return True
        kind = type(value).__name__
        self.crash(node, path, f"'<' not supported between instances of '{kind}' and 'int'")
        return False

    def crash(self, node: YNode, path: str, error: str) -> None:
        raise NotImplementedError  # set per family (see subclasses)

    # -- leaf checks ---------------------------------------------------------------------------

    def leaf(self, node: YNode, path: str, leaf: str, *, ref: bool = False) -> bool:
        value = node.to_py()
        if leaf_value(leaf, value)[0]:
            return True
        if ref and is_template(value):
            return True
        expected = LEAVES[leaf]
        if ref:
            expected += " or a `{{ }}` template"
        return self.invalid(node, path, expected)


def field_lookup(fields: tuple[Field, ...]) -> dict[str, Field]:
    table: dict[str, Field] = {}
    for spec in fields:
        table[spec.name] = spec
        if spec.snake:
            table[spec.snake] = spec
    return table


def leaf(name: str, *, ref: bool = False) -> Check:
    def check(walker: Walker, node: YNode, path: str) -> bool:
        return walker.leaf(node, path, name, ref=ref)

    return shaped(check, "leaf", name)


def any_value(walker: Walker, node: YNode, path: str) -> bool:
    return True


def _v1param_fields() -> tuple[Field, ...]:
    bool_leaf = leaf("bool")
    return (
        Field("value", any_value),
        Field("ref", leaf("str")),
        # Null is accepted in both releases (Polyaxon 2.16.4 checked with the oracle, too).
        Field("contextOnly", bool_leaf, snake="context_only", nullable=True),
        Field("connection", leaf("str")),
        Field("toInit", bool_leaf, snake="to_init"),
        Field("toEnv", leaf("str"), snake="to_env"),
    )


_PARAM_FIELDS = _v1param_fields()
#: The V1Param fields of full-form params (join and tuner params).
PARAM_FIELDS = _PARAM_FIELDS
_PARAM_LOOKUP = field_lookup(_PARAM_FIELDS)


def check_full_form_params(walker: Walker, node: YNode, path: str, *, what: str) -> bool:
    """A `Dict[str, V1Param]` (join params, matrix tuner params): full form only."""
    if not isinstance(node, YMap):
        if is_template(node.to_py()):
            return True
        return walker.invalid(node, path, "a mapping of params or a `{{ }}` template")
    ok = True
    fields = _PARAM_FIELDS
    lookup = _PARAM_LOOKUP
    for name, (key_node, value_node) in node.items():
        if not isinstance(name, str):
            ok = False
            walker.report(
                walker.rules.invalid,
                key_node.span,
                f"Param names in `{path}` must be strings; got {show(key_node)}.",
            )
            continue
        param_path = f"{path}.{name}"
        if not isinstance(value_node, YMap):
            ok = False
            walker.report(
                walker.rules.short_form,
                value_node.span,
                f"`{param_path}` must use the full form (`{{value: ...}}`): {what} do not "
                f"accept the short form; got {show(value_node)}.",
                param=name,
            )
            continue
        if not walker.model(
            value_node, fields, param_path, key_node.span, what="a param", lookup=lookup
        ):
            ok = False
            continue
        ref = value_node.get("ref")
        value = value_node.get("value")
        if ref is not None and ref.to_py() and not isinstance(value and value.to_py(), str):
            ok = False
            shown = show(value) if value is not None else "no value"
            walker.report(
                walker.rules.ref_value,
                (value or ref).span,
                f"`{param_path}` has a `ref`, so its `value` must be a string path "
                f"(e.g. `outputs.loss`); got {shown}.",
                param=name,
            )
    return ok


# ---------------------------------------------------------------------------------------------
# Joins
# ---------------------------------------------------------------------------------------------

_JOIN_RULES = RuleSet(
    unknown=JOIN_UNKNOWN_FIELD,
    missing=JOIN_MISSING_QUERY,
    invalid=JOIN_INVALID_VALUE,
    short_form=JOIN_PARAM_SHORT_FORM,
    ref_value=JOIN_PARAM_REF_VALUE,
)


class _JoinWalker(Walker):
    def crash(self, node: YNode, path: str, error: str) -> None:
        self.report(JOIN_CRASH, node.span, f"Polyaxon crashes on `{path}`: {error}.")


def _join_params_check(walker: Walker, node: YNode, path: str) -> bool:
    return check_full_form_params(walker, node, path, what="join params")


shaped(_join_params_check, "params")


_JOIN_FIELDS: tuple[Field, ...] = (
    Field("query", leaf("str"), required=True, nullable=False),
    Field("sort", leaf("str")),
    Field("limit", leaf("strict_int", ref=True)),
    Field("offset", leaf("strict_int", ref=True)),
    Field("ref", leaf("str")),
    Field("params", _join_params_check),
)
_JOIN_LOOKUP = field_lookup(_JOIN_FIELDS)


def check_joins_schema(
    node: YNode | None, ctx: CheckContext, key_node: YNode | None = None
) -> bool:
    """Validate an operation's `joins` value like Polyaxon's schema; True when it is valid.

    ``key_node`` (the `joins` key) anchors section-level problems; every independent error is
    reported. A join without `params` is reported (Polyaxon crashes on it when merging params)
    but does not make the schema invalid.
    """
    if node is None or is_null(node):
        return True
    walker = _JoinWalker(ctx, _JOIN_RULES)
    if not isinstance(node, YSeq):
        if is_template(node.to_py()):
            walker.report(
                JOINS_NOT_LIST,
                node.span,
                "`joins` must be a list of joins, not a template: Polyaxon crashes on it while "
                "compiling; write the list of joins.",
                polyaxon="'str' object has no attribute 'params'",
            )
            return True
        walker.report(
            JOINS_NOT_LIST, node.span, f"`joins` must be a list of joins; got {show(node)}."
        )
        return False
    crashes: list[tuple[YNode, str, str]] = []
    for index, item in enumerate(node.items):
        label = f"joins[{index}]"
        if not isinstance(item, YMap):
            walker.report(
                JOIN_NOT_MAPPING,
                item.span,
                f"`{label}` must be a mapping with a `query`; got {show(item)}.",
            )
            continue
        walker.model(item, _JOIN_FIELDS, label, item.span, what="a join", lookup=_JOIN_LOOKUP)
        params = item.get("params")
        if params is None or is_null(params):
            anchor = item.key_node("params") or item
            crashes.append(
                (
                    anchor,
                    f"`{label}` has no `params`, on which Polyaxon crashes while merging join "
                    "params; add a `params` mapping.",
                    "'NoneType' object has no attribute 'items'",
                )
            )
        elif isinstance(params, YScalar) and is_template(params.value):
            crashes.append(
                (
                    params,
                    f"`{label}.params` must be a mapping, not a template: Polyaxon crashes on it "
                    "while compiling; write the params.",
                    "string indices must be integers",
                )
            )
    valid = walker.ok
    for anchor_node, message, polyaxon in crashes:
        ctx.report(JOIN_CRASH.at(anchor_node.span, message, polyaxon=polyaxon))
    return valid


def with_join_params(
    params: Mapping[str, ParamDef], joins_node: YNode | None, *, source: Path | None = None
) -> dict[str, ParamDef]:
    """Effective params: ``params``, then join params not already set (last join wins)."""
    merged = dict(params)
    if joins_node is None:
        return merged
    for param in join_params(joins_node, source=source):
        if param.name not in params:
            merged[param.name] = param
    return merged


def join_params(joins_node: YNode | None, *, source: Path | None = None) -> list[ParamDef]:
    """The join params merged into an operation's params (§8.2), in Polyaxon's order.

    Polyaxon builds ``{name: param for join in joins for name, param in join.params.items()}``:
    a name keeps the position of its first appearance and the value of its **last** join ("last
    join wins"). Each :class:`ParamDef` has ``is_join=True``, its ``key_node`` (the name), its
    ``node`` (the param mapping), ``value``/``value_node`` and ``context_only``. Only usable
    entries are returned (string names under a mapping `params`); operation params shadowing
    join params is the caller's business.
    """
    if not isinstance(joins_node, YSeq):
        return []
    merged: dict[str, ParamDef] = {}
    for item in joins_node.items:
        if not isinstance(item, YMap):
            continue
        params = item.get("params")
        if not isinstance(params, YMap):
            continue
        for name, (key_node, value_node) in params.items():
            if isinstance(name, str):
                merged[name] = read_param(name, key_node, value_node, source=source, is_join=True)
    return list(merged.values())
