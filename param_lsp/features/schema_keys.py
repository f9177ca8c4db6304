"""Keys and enum values allowed at a path, read from the schema the schema rules check.

One source: :mod:`param_lsp.core.schema_spec` (the polyaxonfile models), and the field tables
of the matrix and joins rule families for those two sections. A path is walked from the top
of the file the way the schema check walks the tree; `run`, `schedule` and other
discriminated sections are resolved with the `kind` the document gives them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from param_lsp.core import schema_spec as spec
from param_lsp.core.locate import PathStep
from param_lsp.features import knowledge

#: The `kind` written at a path (None when absent or unknown).
KindOf = Callable[[tuple[PathStep, ...]], str | None]


@dataclass(frozen=True, slots=True)
class KeyInfo:
    key: str
    doc: str
    #: Enum values the key accepts (empty when not an enum).
    values: tuple[str, ...] = ()


def _unwrap(t: Any) -> Any:
    while t is not None and t[0] == "ref":
        t = t[1]
    if t is not None and t[0] == "oneof":
        for alternative in t[1:]:
            inner = _unwrap(alternative)
            if inner[0] in ("obj", "list", "k8s", "k8slist", "dict", "disc"):
                return inner
        return _unwrap(t[1])
    return t


#: What a boolean field is offered (YAML 1.1 reads `yes`/`on` too; these are the ones to write).
BOOLEAN_VALUES = ("true", "false")


def _describe(t: Any) -> str:
    t = _unwrap(t)
    if t is None:
        return "any value"
    tag = t[0]
    simple = {
        "any": "any value", "str": "a string", "bool": "a boolean", "int": "an integer",
        "laxint": "an integer", "posint": "a positive integer", "float": "a number",
        "sfloat": "a number", "datetime": "a date/time", "timedelta": "a duration",
        "anydict": "a mapping", "strlist": "a list of strings", "name": "a name",
        "params": "params by name", "io": "an input/output", "run": "the run (by `kind`)",
        "cmd": "a command (string or list)", "env": "environment variables",
        "resources": "resource requests/limits", "poly": "a polyaxonfile",
        "matrix": "a matrix (by `kind`)", "joins": "a list of joins",
    }  # fmt: skip
    if tag in simple:
        return simple[tag]
    if tag == "enum":
        return "one of " + ", ".join(f"`{v}`" for v in t[2])
    if tag == "list":
        return "a list of " + _plural(_describe(t[1]))
    if tag == "k8slist":
        return f"a list of Kubernetes {t[1]}"
    if tag == "dict":
        return "a mapping of names to " + _plural(_describe(t[1]))
    if tag == "obj":
        return spec.MODEL_TITLES.get(t[1], f"V1{t[1]}")
    if tag == "disc":
        return f"a {spec.UNIONS[t[1]][1]} (by `kind`)"
    if tag == "k8s":
        return f"a Kubernetes {t[1]}"
    return "a value"


def _plural(described: str) -> str:
    """`a string` → `strings`; a longer description keeps its words (`Kubernetes V1EnvVar`)."""
    bare = described.removeprefix("a ").removeprefix("an ")
    return bare + "s" if bare.isalpha() else bare


#: Where a path stands in the schema: ("model", name) of schema_spec, ("k8s", client class),
#: ("fields", (rule Field objects, title)) of the matrix/joins checks, ("kinds", kinds) for a
#: mapping whose `kind` is missing or unknown, ("hp", kind) for a matrix hyper-parameter, and
#: ("keys", (names, title)) for the mapping form of a hyper-parameter's `value`.
_Place = tuple[str, Any]


def _matrix_fields(kind: str | None) -> tuple[Any, ...] | None:
    from param_lsp.rules.matrix import MATRIX_KINDS

    return MATRIX_KINDS.get(kind or "")


def _join_fields() -> tuple[Any, ...]:
    from param_lsp.rules.joins import _JOIN_FIELDS

    return _JOIN_FIELDS


def _shape(check: Any) -> tuple[Any, ...]:
    from param_lsp.rules.joins import SHAPES

    shape = SHAPES.get(check, ())
    while shape and shape[0] == "same":
        shape = SHAPES.get(shape[1], ())
    return shape


def _k8s_type(text: str) -> Any:
    """A Kubernetes client type (``V1EnvVar``, ``list[V1EnvVar]``, ``dict[str, str]``, …)."""
    from param_lsp.core.k8s_schema import K8S_FIELDS

    if text.startswith("list[") and text.endswith("]"):
        inner = text[5:-1]
        return ("k8slist", inner, None) if inner in K8S_FIELDS else ("list", _k8s_type(inner))
    if text.startswith("dict[") and text.endswith("]"):
        return ("dict", _k8s_type(text[5:-1].split(",", 1)[1].strip()))
    if text in K8S_FIELDS:
        return ("k8s", text)
    return ("k8sleaf", text)


def _model_of(t: Any, steps: tuple[PathStep, ...], kind_of: KindOf) -> _Place | None:
    """The place a value of type ``t`` at ``steps`` opens (a mapping of keys), if any."""
    t = _unwrap(t)
    if t is None:
        return None
    tag = t[0]
    if tag == "obj":
        return ("model", t[1])
    if tag == "poly":
        return ("model", "Polyaxonfile")
    if tag == "io":
        return ("model", "IO")
    if tag == "fullparam":
        return ("model", "Param")
    if tag == "run":
        kind = kind_of(steps)
        return ("model", kind) if kind in spec.MODELS else ("kinds", spec.RUN_KINDS)
    if tag == "disc":
        kind = kind_of(steps)
        members = spec.UNIONS[t[1]][0]
        return ("model", kind) if kind in members else ("kinds", members)
    if tag == "k8s":
        return ("k8s", t[1])
    if tag == "matrix":
        from param_lsp.rules.matrix import matrix_kinds

        fields = _matrix_fields(kind_of(steps))
        return ("fields", (fields, "matrix")) if fields else ("kinds", matrix_kinds())
    if tag == "fieldset":
        return ("fields", (t[1], t[2]))
    if tag == "hp":
        return ("hp", kind_of(steps))
    if tag == "hpvalue":
        from param_lsp.rules.matrix import HP_KINDS

        hp = HP_KINDS.get(t[1] or "")
        if hp is not None and hp.keys and "mapping" in hp.forms:
            return ("keys", (hp.keys, f"`{hp.name}` value"))
        return None
    if tag == "check":
        shape = _shape(t[1])
        if shape and shape[0] == "model":
            return ("fields", (shape[1], shape[2].removeprefix("a ").removeprefix("an ")))
        if shape and shape[0] == "disc":
            kind = kind_of(steps)
            models = shape[1]
            if kind in models:
                return _model_of(("check", models[kind]), steps, kind_of)
            return ("kinds", tuple(models))
    return None


def _item(t: Any, step: PathStep) -> Any:
    """The type of entry ``step`` of a list or mapping-of-names type (None when not one)."""
    t = _unwrap(t)
    if t is None:
        return None
    tag = t[0]
    if tag in ("list", "k8slist") and isinstance(step, int):
        return t[1] if tag == "list" else ("k8s", t[1])
    if tag == "dict" and isinstance(step, str):
        return t[1]
    if tag == "params" and isinstance(step, str):
        return ("fullparam",)
    if tag == "joins" and isinstance(step, int):
        return ("fieldset", _join_fields(), "join")
    if tag == "check":
        shape = _shape(t[1])
        if shape and shape[0] == "list" and isinstance(step, int):
            return ("check", shape[1])
        if shape and shape[0] == "params" and isinstance(step, str):
            from param_lsp.rules.joins import PARAM_FIELDS

            return ("fieldset", PARAM_FIELDS, "param")
        if shape and shape[0] == "hp_params" and isinstance(step, str):
            return ("hp",)
    return None


def _field(place: _Place, step: PathStep) -> Any:
    """The type of the value at key ``step`` of the mapping ``place`` (None when unknown)."""
    what, data = place
    if what == "model":
        field_name = spec.KEY_LOOKUP.get(data, {}).get(str(step))
        if field_name is None:
            return None
        return spec.MODELS[data][field_name][1]
    if what == "k8s":
        from param_lsp.core.k8s_schema import K8S_FIELDS

        for attr, (key, text) in K8S_FIELDS.get(data, {}).items():
            if step in (attr, key):
                return _k8s_type(text)
        return None
    if what == "fields":
        for f in data[0]:
            if step in (f.name, f.snake):
                return ("check", f.check)
        return None
    if what == "hp" and step == "value":
        return ("hpvalue", data)
    return None


def place_at(steps: tuple[PathStep, ...], kind_of: KindOf) -> _Place | None:
    """The mapping place at ``steps`` (the keys a mapping there may hold), or None."""
    place: _Place | None = ("model", "Polyaxonfile")
    t: Any = None
    for i, step in enumerate(steps):
        here = steps[: i + 1]
        if place is None:
            t = _item(t, step)
        elif place[0] in ("kinds", "keys"):
            return None  # nothing deeper is described key by key
        else:
            t = _field(place, step)
        if t is None:
            return None
        place = _model_of(t, here, kind_of)
    return place


def _check_doc(check: Any) -> tuple[str, tuple[str, ...]]:
    """A short description of what a rule check accepts, and its enum values."""
    from param_lsp.rules.joins import LEAVES, enum_values

    shape = _shape(check)
    if not shape:
        return "any value", ()
    tag = shape[0]
    if tag == "leaf":
        values = BOOLEAN_VALUES if shape[1] == "bool" else enum_values(shape[1])
        return LEAVES.get(shape[1], "a value"), values
    if tag == "model":
        return shape[2], ()
    if tag == "disc":
        return shape[2] + " (by `kind`)", ()
    if tag == "list":
        inner, _values = _check_doc(shape[1])
        return "a list of " + _plural(inner), ()
    if tag == "params":
        return "params by name, in full form (`{value: ...}`)", ()
    if tag == "hp_params":
        return "hyper-parameters by input name (`{kind: ..., value: ...}`)", ()
    return "a value", ()


def keys_at(steps: tuple[PathStep, ...], kind_of: KindOf) -> list[KeyInfo]:
    """Every key a mapping at ``steps`` may hold, with a one-line doc and enum values."""
    place = place_at(steps, kind_of)
    if place is None:
        return []
    what, data = place
    if what == "kinds":
        return [KeyInfo("kind", "Selects the kind: " + ", ".join(f"`{k}`" for k in data), data)]
    if what == "k8s":
        from param_lsp.core.k8s_schema import K8S_FIELDS

        return [
            KeyInfo(key, f"Kubernetes `{data}` field `{key}`: {_k8s_doc(text)}.")
            for _attr, (key, text) in sorted(K8S_FIELDS.get(data, {}).items())
        ]
    if what == "fields":
        fields, title = data
        found_fields: list[KeyInfo] = []
        for f in fields:
            about, enum = _check_doc(f.check)
            doc = f"`{f.name}` of {_article(title)}: {about}."
            if f.name == "kind" and about == "any value":
                doc = f"The kind of {_article(title)}, which decides the fields it takes."
            if f.required:
                doc += " Required."
            found_fields.append(KeyInfo(f.name, doc, enum))
        return found_fields
    if what == "hp":
        from param_lsp.rules.matrix import HP_KINDS

        kind = HP_KINDS.get(data or "")
        value_doc = "Its values"
        if kind is not None and kind.keys:
            value_doc += f" ({kind.shape}, as a list, or as a mapping of these keys)"
        return [
            KeyInfo("kind", "Hyper-parameter kind.", tuple(HP_KINDS)),
            KeyInfo("value", value_doc + "."),
        ]
    if what == "keys":
        names, title = data
        return [KeyInfo(name, f"`{name}` of the {title}.") for name in names]
    title = spec.MODEL_TITLES.get(data, f"V1{data}")
    docs = _docs_for(data)
    found: list[KeyInfo] = []
    for name, (alias, t, required) in spec.MODELS[data].items():
        key = alias or name
        inner = _unwrap(t)
        values: tuple[str, ...] = ()
        if inner is not None and inner[0] == "enum":
            values = tuple(inner[2])
        elif inner is not None and inner[0] == "bool":
            values = BOOLEAN_VALUES
        if key == "kind" and data == "Polyaxonfile":
            values = ("operation", "component")
        doc = docs.get(key) or f"{title} field: {_describe(t)}."
        if key == "kind" and key not in docs:
            # The model of a union chosen by `kind` (a run, a schedule, …) is named by it.
            doc = f"`{data}`: the kind of this {title}, which decides the fields it takes."
        if required:
            doc += " Required."
        found.append(KeyInfo(key, doc, values))
    return found


def _article(title: str) -> str:
    if title.startswith(("a ", "an ", "the ")):
        return title
    return f"the {title}"


def _k8s_doc(text: str) -> str:
    if text.startswith("list["):
        return "a list of " + _plural(_k8s_doc(text[5:-1]))
    if text.startswith("dict["):
        return "a mapping of names to " + _plural(_k8s_doc(text[5:-1].split(",", 1)[1].strip()))
    return {
        "str": "a string",
        "int": "an integer",
        "bool": "a boolean",
        "float": "a number",
        "object": "any value",
    }.get(text, f"`{text}`")


def _docs_for(model: str) -> dict[str, str]:
    if model == "Polyaxonfile":
        return knowledge.SECTIONS
    if model == "IO":
        return knowledge.IO_KEYS
    if model == "Param":
        return knowledge.PARAM_KEYS
    return {}


def key_info(steps: tuple[PathStep, ...], key: str, kind_of: KindOf) -> KeyInfo | None:
    """The doc and enum values of ``key`` in the mapping at ``steps``."""
    return next((info for info in keys_at(steps, kind_of) if info.key == key), None)


def value_kinds(steps: tuple[PathStep, ...], kind_of: KindOf) -> tuple[str, ...]:
    """The `kind` values allowed in the mapping at ``steps`` (run, matrix, schedule, …)."""
    place = place_at(steps, lambda _s: None)
    if place is not None and place[0] == "kinds":
        return tuple(place[1])
    return ()
