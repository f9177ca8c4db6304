"""The "io" rule family: an input or output declaration as Polyaxon checks it once its fields
are valid (`V1IO.validate_io`, spec §5): reserved names, a default that contradicts
`isOptional`, a default that does not parse as its `type` or fails its `validation`, flags that
are not booleans, and types Polyaxon does not know.

The schema walk (:mod:`param_lsp.rules.schema`) hands each `inputs`/`outputs` item to
:func:`check_io`, which checks the item's fields through the walker it is given.
"""

from __future__ import annotations

from typing import Any, Protocol

from param_lsp.core.context import CheckContext
from param_lsp.core.findings import Related, Severity
from param_lsp.core.model import lax_bool
from param_lsp.core.schema_spec import IO_RESERVED_NAMES, Type, WalkPath
from param_lsp.core.template_scan import has_template
from param_lsp.core.types import closest_type, is_known_type, validate_io_value
from param_lsp.core.yaml_tree import YMap, YNode, YSeq
from param_lsp.rules.registry import plain_values, python_str, rule
from param_lsp.rules.registry import shown as shown_value


class ModelWalker(Protocol):
    """What an IO check needs of the schema walk: its context and its generic checks."""

    ctx: CheckContext
    doc_kind: str | None

    def wrong(self, node: YNode, t: Type, path: WalkPath, extra: str = "") -> bool: ...

    def check_model(
        self,
        node: YMap,
        model: str,
        path: WalkPath,
        owner: YNode,
        kinds: tuple[YNode, tuple[str, ...]] | None = None,
    ) -> bool: ...


# --------------------------------------------------------------------------------------------
# Rules
# --------------------------------------------------------------------------------------------

IO_RESERVED = rule(
    "PLX200",
    "io-reserved-name",
    family="io",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="An input/output named `globals`, `params` or `connections`.",
    doc="""
    These names are taken by the template context. Polyaxon reports `Received an
    input/output with a name in ['globals', 'params', 'connections'], please use a different
    name that does not already taken by the context`.
    """,
    bad="""
    kind: component
    inputs:
      - name: params
        type: dict
    run: {kind: job, container: {image: busybox}}
    """,
    good="""
    kind: component
    inputs:
      - name: config
        type: dict
    run: {kind: job, container: {image: busybox}}
    """,
)
IO_NOT_OPTIONAL = rule(
    "PLX201",
    "io-default-not-optional",
    family="io",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="An input/output with a default `value` and `isOptional: false`.",
    doc="""
    A default value makes an input optional. Declaring `isOptional: false` together with a
    `value` is contradictory: `IO ... is not optional and has default value .... Please either
    make it optional or remove the default value.`.
    """,
    bad="""
    kind: component
    inputs:
      - name: lr
        type: float
        value: 0.1
        isOptional: false
    run: {kind: job, container: {image: busybox}}
    """,
    good="""
    kind: component
    inputs:
      - name: lr
        type: float
        value: 0.1
    run: {kind: job, container: {image: busybox}}
    """,
)
IO_BAD_DEFAULT = rule(
    "PLX202",
    "io-invalid-default",
    family="io",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="An input/output default `value` that does not parse as its `type` or validation.",
    doc="""
    Polyaxon parses an IO's default value exactly like a param value (§6), and checks it
    against `validation`, when the IO is defined. Templates are not exempt for non-string
    types: `type: int` with `value: "{{ x }}"` is rejected. When the `type` itself is one
    Polyaxon does not know (`integer`, `string`, …), the finding is on the `type`, with the
    closest Polyaxon type; without a default such a type is accepted until a param is passed.
    """,
    bad="""
    kind: component
    inputs:
      - name: epochs
        type: int
        value: ten
    run: {kind: job, container: {image: busybox}}
    """,
    good="""
    kind: component
    inputs:
      - name: epochs
        type: int
        value: 10
    run: {kind: job, container: {image: busybox}}
    """,
)
IO_FLAG_NOT_BOOL = rule(
    "PLX203",
    "io-flag-not-bool",
    family="io",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="`isFlag: true` on an input/output whose type is not `bool`.",
    doc="""
    Only boolean inputs can be rendered as command-line flags: `IO type ... cannot be a flag,
    it must be of type `bool``.
    """,
    bad="""
    kind: component
    inputs:
      - name: verbose
        type: str
        isFlag: true
    run: {kind: job, container: {image: busybox}}
    """,
    good="""
    kind: component
    inputs:
      - name: verbose
        type: bool
        isFlag: true
    run: {kind: job, container: {image: busybox}}
    """,
)
IO_UNKNOWN_TYPE = rule(
    "PLX204",
    "io-unknown-type",
    family="io",
    severity=Severity.WARNING,
    polyaxon_rejects=False,
    summary="An input/output `type` Polyaxon does not know, on an IO without a default.",
    doc="""
    Polyaxon accepts an input or output whose `type` it does not know (`integer`, `string`,
    a misspelt `flaot`) as long as nothing gives it a value; the first value passed fails
    (Polyaxon cannot build a parser for the type: `TypeAdapter[...] is not fully defined`),
    so an operation that passes a param to it is rejected. The warning names the closest
    Polyaxon type. With a default `value`, the same mistake is an error (PLX202).
    """,
    bad="""
    kind: component
    inputs:
      - name: epochs
        type: integer
        isOptional: true
    run: {kind: job, container: {image: busybox}}
    """,
    good="""
    kind: component
    inputs:
      - name: epochs
        type: int
        isOptional: true
    run: {kind: job, container: {image: busybox}}
    """,
)


# --------------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------------


def _io_item_crash(w: ModelWalker, node: YNode) -> str:
    """Polyaxon's wording when an input/output item is not a mapping: its IO parser calls
    `.get` on a string or a list, and tests `in` on any other value (a crash it reports as a
    non valid config of the file's kind)."""
    if isinstance(node, YSeq):
        return " (Polyaxon: 'list' object has no attribute 'get')"
    value = node.to_py()
    if isinstance(value, str):
        return " (Polyaxon: 'str' object has no attribute 'get')"
    return (
        f" (Polyaxon: Received a non valid config `{w.doc_kind or 'operation'}`: "
        f"`argument of type '{type(value).__name__}' is not iterable`)"
    )


def check_io(w: ModelWalker, node: YNode, t: Type, path: WalkPath, owner: YNode) -> bool:
    """One item of `inputs`/`outputs`: its fields (the schema walk), then what Polyaxon's
    `validate_io` checks once they are valid."""
    if not isinstance(node, YMap):
        return w.wrong(node, t, path, _io_item_crash(w, node))
    ok = True
    name_node = node.get("name")
    name = name_node.to_py() if name_node is not None else None
    value_entry = node.entry("value")
    optional_entry = node.entry("isOptional") or node.entry("is_optional")
    if (
        value_entry is not None
        and optional_entry is not None
        and optional_entry[1].to_py() is False
    ):
        _report_not_optional(w, name, value_entry)
        ok = False
    ok = w.check_model(node, "IO", path, owner) and ok
    if isinstance(name, str) and name in IO_RESERVED_NAMES and name_node is not None:
        w.ctx.report(
            IO_RESERVED.at(
                name_node.span,
                f"Input/output name `{name}` is reserved for the context (`globals`, `params`, "
                "`connections`); rename it.",
                polyaxon="Received an input/output with a name in ['globals', 'params', "
                "'connections'], please use a different name that does not already taken by the "
                "context",
            )
        )
        ok = False
    if not ok:
        return False
    # `validate_io` (after field validation)
    value = value_entry[1].to_py() if value_entry is not None else None
    flag_node = node.get("isFlag") or node.get("is_flag")
    is_flag = bool(lax_bool(flag_node.to_py())) if flag_node is not None else False
    if value is None and not is_flag:
        _warn_unknown_type(w, name, node, path)
        return True
    if optional_entry is not None:
        is_optional = bool(lax_bool(optional_entry[1].to_py()))
    else:
        is_optional = value_entry is not None
    type_node = node.get("type")
    io_type = type_node.to_py() if type_node is not None else None
    if io_type and value is not None and value_entry is not None:
        list_node = node.get("isList") or node.get("is_list")
        is_list = bool(lax_bool(list_node.to_py())) if list_node is not None else False
        messages = _validate_default(name, io_type, value, is_optional, is_list, node)
        if messages is not None:
            ours, polyaxon, by_validation = messages
            span = value_entry[1].span
            validation_key = node.key_node("validation") if by_validation else None
            notes = (
                (Related("the `validation` it fails", validation_key.span),)
                if validation_key is not None
                else ()
            )
            if isinstance(io_type, str) and not is_known_type(io_type) and type_node is not None:
                # The cause is the type, not the value: Polyaxon cannot build a parser for it.
                span = type_node.span
                ours = (
                    f"Input `{python_str(name)}` has type `{io_type}`, which Polyaxon does not "
                    f"know, so its default `value` cannot be parsed; use a Polyaxon type such "
                    f"as `int`, `float`, `str` or `bool`.{_suggest_type(io_type)}"
                )
            w.ctx.report(IO_BAD_DEFAULT.at(span, ours, polyaxon=polyaxon, related=notes))
            return False
    if not is_optional and value is not None and value_entry is not None:
        _report_not_optional(w, name, value_entry)
        return False
    if is_flag and io_type != "bool" and flag_node is not None:
        w.ctx.report(
            IO_FLAG_NOT_BOOL.at(
                flag_node.span,
                f"`isFlag: true` needs type `bool`; input `{python_str(name)}` has type "
                f"`{python_str(io_type)}`; remove `isFlag` or make it a `bool`.",
                polyaxon=f"IO type `{python_str(io_type)}` cannot be a flag, it must be of type "
                "`bool`",
            )
        )
        return False
    return True


def _warn_unknown_type(w: ModelWalker, name: Any, node: YMap, path: WalkPath) -> None:
    """PLX204: a type Polyaxon cannot parse values of, on an IO nothing gives a value yet."""
    type_node = node.get("type")
    io_type = type_node.to_py() if type_node is not None else None
    if not isinstance(io_type, str) or not io_type or has_template(io_type):
        return
    if is_known_type(io_type):
        return
    assert type_node is not None
    close = closest_type(io_type)
    fix = f"did you mean `{close}`?" if close else "use `int`, `float`, `str`, `bool`, …"
    w.ctx.report(
        IO_UNKNOWN_TYPE.at(
            type_node.span,
            f"{_io_kind(path)} `{python_str(name)}` has type `{io_type}`, which Polyaxon does not "
            "know: any value "
            f"passed to it fails; {fix}",
        )
    )


def _io_kind(path: WalkPath) -> str:
    """ "Input" or "Output", from the walk path `(..., "inputs"|"outputs"), index`."""
    parent = path[0] if isinstance(path, tuple) and path else ()
    section = parent[1] if isinstance(parent, tuple) and len(parent) == 2 else None
    return "Output" if section == "outputs" else "Input"


def _report_not_optional(w: ModelWalker, name: Any, value_entry: tuple[YNode, YNode]) -> None:
    w.ctx.report(
        IO_NOT_OPTIONAL.at(
            value_entry[0].span,
            f"Input `{python_str(name)}` has a default `value` but `isOptional: false`; set "
            "`isOptional: true` or remove the default.",
            polyaxon=f"IO `{python_str(name)}` is not optional and has default value "
            f"`{python_str(value_entry[1].to_py())}`. Please either make it optional or remove the "
            "default value.",
        )
    )


def _validation_of(node: YMap) -> dict[str, Any] | None:
    validation = node.get("validation")
    result: dict[str, Any] = {}
    if isinstance(validation, YMap):
        result.update(validation.to_py())
    options = node.get("options")
    if options is not None and options.to_py() is not None:
        result["options"] = options.to_py()
    delay = node.get("delay_validation")
    if delay is not None and delay.to_py() is not None:
        result["delay"] = delay.to_py()
    return result or None


def _suggest_type(io_type: str) -> str:
    close = closest_type(io_type)
    return f" Did you mean `{close}`?" if close else ""


def _validate_default(
    name: Any, io_type: str, value: Any, is_optional: bool, is_list: bool, node: YMap
) -> tuple[str, str, bool] | None:
    """(our message, Polyaxon's, whether the `validation` is the cause) when the default value
    does not parse or validate."""
    try:
        result = validate_io_value(
            name=name,
            io_type=io_type,
            value=value,
            is_optional=is_optional,
            is_list=is_list,
            default=None,
            validation=_validation_of(node),
        )
    except Exception:
        return None
    if getattr(result, "ok", True):
        return None
    message = str(getattr(result, "message", "") or "")
    if getattr(result, "crash", False):
        validation = _validation_of(node)
        converts = (
            validation
            and validate_io_value(
                name=name,
                io_type=io_type,
                value=value,
                is_optional=is_optional,
                is_list=is_list,
                default=None,
            ).ok
        )
        cause = "its `validation` cannot be applied to it" if converts else "it cannot be read"
        return (
            f"Default `value` `{shown_value(value)}` of input `{python_str(name)}` makes Polyaxon "
            f"crash: {cause}; change the value" + (" or the validation." if converts else "."),
            message,
            bool(converts),
        )
    if not message.startswith("Could not parse value"):
        message = (
            f"Could not parse value `{python_str(value)}` for `{python_str(name)}`, an error was "
            f"encountered: {message}"
        )
    problem = getattr(result, "problem", "")
    expected = f"a list of `{io_type}`" if is_list else f"type `{io_type}`"
    if problem == "validation":
        detail = plain_values(str(getattr(result, "detail", "")).removeprefix("Value "))
        ours = f"Default `value` of input `{python_str(name)}` fails its validation: {detail}."
    else:
        ours = (
            f"Default `value` of input `{python_str(name)}` must be {expected}; got "
            f"`{shown_value(value)}`."
        )
    return ours, message, problem == "validation"
