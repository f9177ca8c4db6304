"""Positioned Polyaxon model: IO definitions, params and document layers read from the tree.

Reading is lenient: shapes the schema family rejects are skipped here (the schema rules report
them), so later stages only see what they can trust. Every object keeps its nodes for ranges.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from param_lsp.core.memo import map_in_chunks, remembered, remembering
from param_lsp.core.span import Span
from param_lsp.core.yaml_tree import YMap, YNode, YScalar, YSeq

#: Keys whose presence makes a params entry the full V1Param form (§7.1).
PARAM_KEYS = frozenset(
    {"value", "ref", "toInit", "to_init", "toEnv", "to_env", "contextOnly", "context_only",
     "connection"}
)  # fmt: skip

_LAX_TRUE = {"1", "t", "y", "yes", "on", "true"}
_LAX_FALSE = {"0", "f", "n", "no", "off", "false"}


def lax_bool(value: Any) -> bool | None:
    """pydantic's lax bool coercion; None when the value is not a boolean at all."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, float) and value in (0.0, 1.0):
        return bool(value)
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in _LAX_TRUE:
            return True
        if lowered in _LAX_FALSE:
            return False
    return None


def first_of(node: YMap, *keys: str) -> tuple[YNode, YNode] | None:
    """The entry of the first key present (camelCase and snake_case spellings)."""
    index = node.index
    for key in keys:
        entry = index.get(key)
        if entry is not None:
            return entry
    return None


def str_value(node: YNode | None) -> str | None:
    if isinstance(node, YScalar) and isinstance(node.value, str):
        return node.value
    return None


@dataclass(slots=True, eq=False, repr=False)
class IODef:
    """One input or output of a component, as declared."""

    name: str
    node: YMap
    is_output: bool
    io_type: str | None = None
    value: Any = None
    has_value: bool = False
    is_optional: bool = False
    is_list: bool | None = None
    is_flag: bool | None = None
    delay_validation: bool | None = None
    validation: dict[str, Any] | None = None
    description: str | None = None
    source: Path | None = None

    @property
    def name_node(self) -> YNode:
        return self.node.get("name") or self.node

    @property
    def type_node(self) -> YNode | None:
        return self.node.get("type")

    @property
    def required(self) -> bool:
        return not self.is_optional and not self.delay_validation

    def definition(self) -> Any:
        return self.node.to_py()


def read_io(node: YNode, *, is_output: bool, source: Path | None) -> IODef | None:
    if not isinstance(node, YMap):
        return None
    if not remembering():
        return _read_io(node, is_output=is_output, source=source)
    return remembered(
        node, ("io", is_output, source), lambda: _read_io(node, is_output=is_output, source=source)
    )


def _read_io(node: YMap, *, is_output: bool, source: Path | None) -> IODef | None:
    name = str_value(node.get("name"))
    if name is None:
        return None
    io = IODef(name=name, node=node, is_output=is_output, source=source)
    type_value = node.get("type")
    if isinstance(type_value, YScalar) and isinstance(type_value.value, str):
        io.io_type = type_value.value
    value_entry = node.entry("value")
    optional_entry = first_of(node, "isOptional", "is_optional")
    if value_entry is not None:
        io.has_value = True
        io.value = value_entry[1].to_py()
    if optional_entry is not None:
        io.is_optional = bool(lax_bool(optional_entry[1].to_py()))
    elif value_entry is not None:
        io.is_optional = True  # §5.2: a default makes the IO optional
    list_entry = first_of(node, "isList", "is_list")
    if list_entry is not None:
        io.is_list = lax_bool(list_entry[1].to_py())
    flag_entry = first_of(node, "isFlag", "is_flag")
    if flag_entry is not None:
        io.is_flag = lax_bool(flag_entry[1].to_py())
    # §5.4: only the camelCase key is effective; `delay_validation` and `validation.delay` are
    # moved away and never read again.
    delay_entry = node.entry("delayValidation")
    if delay_entry is not None:
        io.delay_validation = lax_bool(delay_entry[1].to_py())
    validation = node.get("validation")
    options = node.get("options")
    if isinstance(validation, YMap):
        io.validation = dict(validation.to_py())
    if options is not None:
        io.validation = dict(io.validation or {})
        io.validation["options"] = options.to_py()
    description = node.get("description")
    io.description = str_value(description)
    return io


def _read_ios(node: YSeq, *, is_output: bool, source: Path | None) -> list[IODef]:
    read = map_in_chunks(
        ("ios", is_output, source),
        node.items,
        lambda item: read_io(item, is_output=is_output, source=source),
    )
    return [io for io in read if io]


def read_ios(node: YNode | None, *, is_output: bool, source: Path | None) -> list[IODef]:
    if not isinstance(node, YSeq):
        return []
    if not remembering():
        return _read_ios(node, is_output=is_output, source=source)
    return list(
        remembered(
            node,
            ("ios", is_output, source),
            lambda: _read_ios(node, is_output=is_output, source=source),
            carry=True,
        )
    )


@dataclass(slots=True, eq=False, repr=False)
class ParamDef:
    """One param of an operation or op (or of `-P`): its value or ref and where it is written."""

    name: str
    key_node: YNode | None
    node: YNode | None
    full_form: bool
    value: Any = None
    has_value: bool = False
    value_node: YNode | None = None
    ref: str | None = None
    ref_node: YNode | None = None
    context_only: bool | None = None
    to_init: bool | None = None
    to_env: str | None = None
    connection: str | None = None
    is_join: bool = False
    source: Path | None = None
    from_cli: bool = False

    @property
    def anchor(self) -> Span | None:
        """Where a problem with the param's value is shown."""
        for candidate in (self.value_node, self.node, self.key_node):
            if candidate is not None:
                return candidate.span
        return None

    @property
    def key_span(self) -> Span | None:
        node = self.key_node or self.node
        return node.span if node is not None else None


def read_param(
    name: str, key_node: YNode | None, node: YNode, *, source: Path | None, is_join: bool = False
) -> ParamDef:
    """Normalise one params entry (§7.1 short form vs full form)."""
    if not remembering():
        return _read_param(name, key_node, node, source=source, is_join=is_join)
    return remembered(
        node,
        ("param", name, id(key_node), source, is_join),
        lambda: _read_param(name, key_node, node, source=source, is_join=is_join),
        pins=(key_node,),
    )


_VALUE_AND_REF = frozenset({"value", "ref"})


def _read_param(
    name: str, key_node: YNode | None, node: YNode, *, source: Path | None, is_join: bool
) -> ParamDef:
    if isinstance(node, YScalar) and node.value is None:
        return ParamDef(name, key_node, node, True, None, True, node, source=source,
                        is_join=is_join)  # fmt: skip
    # PARAM_KEYS holds strings only, so non-string keys never intersect it.
    if isinstance(node, YMap) and (not node.index or not PARAM_KEYS.isdisjoint(node.index)):
        param = ParamDef(name, key_node, node, True, source=source, is_join=is_join)
        value_entry = node.entry("value")
        if value_entry is not None:
            param.has_value = True
            param.value = value_entry[1].to_py()
            param.value_node = value_entry[1]
        ref = node.get("ref")
        if ref is not None and not (isinstance(ref, YScalar) and ref.value is None):
            # `ref: null` is no ref (Polyaxon's optional field); `ref: ""` is one it cannot parse.
            param.ref_node = ref
            param.ref = ref.to_py() if isinstance(ref.to_py(), str) else str(ref.to_py())
        if _VALUE_AND_REF.issuperset(node.index):  # the usual `{value: …}` or `{ref, value}`
            return param
        context_only = first_of(node, "contextOnly", "context_only")
        if context_only is not None:
            param.context_only = lax_bool(context_only[1].to_py())
        to_init = first_of(node, "toInit", "to_init")
        if to_init is not None:
            param.to_init = lax_bool(to_init[1].to_py())
        param.to_env = str_value((first_of(node, "toEnv", "to_env") or (None, None))[1])
        param.connection = str_value(node.get("connection"))
        return param
    return ParamDef(name, key_node, node, False, node.to_py(), True, node, source=source,
                    is_join=is_join)  # fmt: skip


def read_params(node: YNode | None, *, source: Path | None) -> dict[str, ParamDef]:
    if not isinstance(node, YMap):
        return {}
    if not remembering():
        return _read_params(node, source=source)
    # A copy: callers merge into what they get.
    return dict(
        remembered(node, ("params", source), lambda: _read_params(node, source=source), carry=True)
    )


def _read_params(node: YMap, *, source: Path | None) -> dict[str, ParamDef]:
    params: dict[str, ParamDef] = {}
    for key, (key_node, value_node) in node.items():
        if not isinstance(key, str):
            continue
        params[key] = read_param(key, key_node, value_node, source=source)
    return params


REF_KEYS = ("pathRef", "path_ref", "hubRef", "hub_ref", "urlRef", "url_ref", "dagRef", "dag_ref")
_REF_KEY_SET = frozenset(REF_KEYS)
_REF_SPELLINGS = (("pathRef", "path_ref"), ("hubRef", "hub_ref"), ("urlRef", "url_ref"),
                  ("dagRef", "dag_ref"))  # fmt: skip
#: The camelCase spelling of a snake_case layer key (read first, so it hides the other).
_CAMEL_OF = {
    snake: camel
    for camel, snake in (*_REF_SPELLINGS, ("strictParams", "strict_params"),
                         ("patchStrategy", "patch_strategy"))
}  # fmt: skip


@dataclass(slots=True, eq=False, repr=False)
class Layer:
    """One document of a composition chain: a file, an inline component, or a DAG entry."""

    root: YMap
    source: Path | None
    kind: str | None = None
    inputs: list[IODef] | None = None
    outputs: list[IODef] | None = None
    params: dict[str, ParamDef] | None = None
    strict_params: bool | None = None
    patch_strategy: str | None = None
    run: YMap | None = None
    component: YMap | None = None
    refs: dict[str, tuple[YNode, YNode]] = field(default_factory=dict)

    @property
    def run_kind(self) -> str | None:
        return str_value(self.run.get("kind")) if self.run is not None else None

    def ref(self, kind: str) -> tuple[YNode, YNode] | None:
        """The entry of `pathRef`/`hubRef`/`urlRef`/`dagRef` (either spelling)."""
        return self.refs.get(kind)

    def top_key(self, *keys: Hashable) -> YNode | None:
        for key in keys:
            node = self.root.key_node(key)
            if node is not None:
                return node
        return None


def read_layer(root: YMap, source: Path | None, *, drop: frozenset[str] = frozenset()) -> Layer:
    """Read the fields composition needs; keys listed in ``drop`` failed the schema."""
    index = root.index
    kind = index.get("kind")
    layer = Layer(root, source, str_value(kind[1]) if kind is not None else None)
    if drop:
        # A camelCase key that failed the schema also hides its snake_case spelling.
        index = {
            key: entry
            for key, entry in index.items()
            if key not in drop and _CAMEL_OF.get(key) not in drop  # type: ignore[call-overload]
        }
    get = index.get
    entry = get("inputs")
    if entry is not None:
        layer.inputs = read_ios(entry[1], is_output=False, source=source)
    entry = get("outputs")
    if entry is not None:
        layer.outputs = read_ios(entry[1], is_output=True, source=source)
    entry = get("params")
    if entry is not None:
        layer.params = read_params(entry[1], source=source)
    entry = get("strictParams") or get("strict_params")
    if entry is not None:
        layer.strict_params = lax_bool(entry[1].to_py())
    entry = get("patchStrategy") or get("patch_strategy")
    if entry is not None:
        layer.patch_strategy = str_value(entry[1])
    entry = get("run")
    if entry is not None and isinstance(entry[1], YMap):
        layer.run = entry[1]
    entry = get("component")
    if entry is not None and isinstance(entry[1], YMap):
        layer.component = entry[1]
    if not _REF_KEY_SET.isdisjoint(index):
        for camel, snake in _REF_SPELLINGS:
            entry = get(camel) or get(snake)
            # An empty reference is no reference (Polyaxon tests them for truthiness).
            if entry is not None and isinstance(value := entry[1].to_py(), str) and value:
                layer.refs[camel] = entry
    return layer
