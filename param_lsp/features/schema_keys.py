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


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


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
        return "a list of " + _describe(t[1]).removeprefix("a ").removeprefix("an ")
    if tag == "k8slist":
        return f"a list of Kubernetes {t[1]}"
    if tag == "dict":
        return "a mapping of names to " + _describe(t[1]).removeprefix("a ").removeprefix("an ")
    if tag == "obj":
        return spec.MODEL_TITLES.get(t[1], f"V1{t[1]}")
    if tag == "disc":
        return f"a {spec.UNIONS[t[1]][1]} (by `kind`)"
    if tag == "k8s":
        return f"a Kubernetes {t[1]}"
    return "a value"


#: Where a path stands in the schema: ("model", name) of schema_spec, ("k8s", class),
#: ("fields", tuple of rule Field objects, title), or ("type", Type) for a leaf.
_Place = tuple[str, Any]


def _matrix_fields(kind: str | None) -> tuple[Any, ...] | None:
    from param_lsp.rules.matrix import MATRIX_KINDS

    return MATRIX_KINDS.get(kind or "")


def _join_fields() -> tuple[Any, ...]:
    from param_lsp.rules.joins import _JOIN_FIELDS

    return _JOIN_FIELDS


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
    return None


def _step(place: _Place, step: PathStep, steps: tuple[PathStep, ...], kind_of: KindOf) -> Any:
    """The type of the value at ``step`` inside ``place`` (None when unknown)."""
    what, data = place
    if what == "model":
        field_name = spec.KEY_LOOKUP.get(data, {}).get(str(step))
        if field_name is None:
            return None
        return spec.MODELS[data][field_name][1]
    return None


def place_at(steps: tuple[PathStep, ...], kind_of: KindOf) -> _Place | None:
    """The mapping place at ``steps`` (the keys a mapping there may hold), or None."""
    place: _Place | None = ("model", "Polyaxonfile")
    t: Any = None
    i = 0
    while i < len(steps):
        step = steps[i]
        here = steps[: i + 1]
        if place is None:
            t = _unwrap(t)
            if t is None:
                return None
            tag = t[0]
            if tag in ("list", "k8slist") and isinstance(step, int):
                t = t[1] if tag == "list" else ("k8s", t[1])
                place = _model_of(t, here, kind_of)
                i += 1
                continue
            if tag == "dict" and isinstance(step, str):
                t = t[1]
                place = _model_of(t, here, kind_of)
                i += 1
                continue
            if tag == "joins" and isinstance(step, int):
                place = ("fields", (_join_fields(), "join"))
                i += 1
                continue
            return None
        if place[0] in ("fields", "k8s", "kinds"):
            return None  # nothing deeper is described key by key
        t = _step(place, step, here, kind_of)
        if t is None:
            return None
        place = _model_of(t, here, kind_of)
        i += 1
    if place is None:
        return None
    return place


def keys_at(steps: tuple[PathStep, ...], kind_of: KindOf) -> list[KeyInfo]:
    """Every key a mapping at ``steps`` may hold, with a one-line doc and enum values."""
    place = place_at(steps, kind_of)
    if place is None:
        return []
    what, data = place
    if what == "kinds":
        return [KeyInfo("kind", "Selects the kind: " + ", ".join(f"`{k}`" for k in data), data)]
    if what == "k8s":
        return [
            KeyInfo(_camel(name), f"Kubernetes `{data}` field `{_camel(name)}`.")
            for name in sorted(spec.K8S_KEYS.get(data, ()))
        ]
    if what == "fields":
        fields, title = data
        return [KeyInfo(f.name, f"`{f.name}` of the {title}.") for f in fields]
    title = spec.MODEL_TITLES.get(data, f"V1{data}")
    docs = _docs_for(data)
    found: list[KeyInfo] = []
    for name, (alias, t, required) in spec.MODELS[data].items():
        key = alias or name
        inner = _unwrap(t)
        values: tuple[str, ...] = (
            tuple(inner[2]) if inner is not None and inner[0] == "enum" else ()
        )
        if key == "kind" and data == "Polyaxonfile":
            values = ("operation", "component")
        doc = docs.get(key) or f"{title} field: {_describe(t)}."
        if required:
            doc += " Required."
        found.append(KeyInfo(key, doc, values))
    return found


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
