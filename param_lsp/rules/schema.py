"""The "schema" rule family: what pydantic rejects when Polyaxon 2.18 validates a
polyaxonfile (`V1Polyaxonfile`/`V1Operation`/`V1Component`, spec §4, §5, §7.1–7.2, §21.2).

The schema itself is data (:mod:`param_lsp.core.schema_spec`); this module walks the YAML tree
once against it. Matrix and joins internals belong to :mod:`param_lsp.rules.matrix` and
:mod:`param_lsp.rules.joins` (called lazily).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Any, Literal

from param_lsp.core.context import CheckContext
from param_lsp.core.findings import Fix, Related, Severity
from param_lsp.core.lazy_regex import LazyPattern
from param_lsp.core.model import lax_bool
from param_lsp.core.names import (
    camel_case,
    closest_word,
    did_you_mean,
    replacement_fix,
    snake_case,
)
from param_lsp.core.schema_spec import (
    COMPONENT_ONLY_216,
    K8S_KEYS,
    K8S_REQUIRED,
    KEY_LOOKUP,
    MODEL_TITLES,
    MODELS,
    NEW_IN_218,
    OPERATION_ONLY_216,
    PARAM_KEYS,
    RUN_KINDS,
    SECTIONS_216,
    SECTIONS_218,
    SHOWN_KEYS,
    UNIONS,
    Type,
    WalkPath,
)
from param_lsp.core.template_scan import has_template
from param_lsp.core.yaml_tree import YMap, YNode, YScalar, YSeq
from param_lsp.rules import schema_values
from param_lsp.rules.inputs_outputs import check_io
from param_lsp.rules.joins import check_joins_schema
from param_lsp.rules.matrix import check_matrix_schema
from param_lsp.rules.registry import python_str, rule
from param_lsp.rules.registry import shown as shown_value

if TYPE_CHECKING:
    from decimal import Decimal

Where = Literal["file", "inline", "dag-op", "dag-component", "referenced"]

# --------------------------------------------------------------------------------------------
# Rules
# --------------------------------------------------------------------------------------------

UNKNOWN_KEY = rule(
    "PLX110",
    "unknown-key",
    family="schema",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="A key that the Polyaxon object does not define (pydantic `extra_forbidden`).",
    doc="""
    Every Polyaxon object forbids unknown keys: pydantic reports `Extra inputs are not
    permitted` and `polyaxon check` fails. Nested objects accept both the camelCase alias and
    the snake_case field name (`toInit`/`to_init`), but not both at once: next to the alias, the
    snake_case key is rejected as extra. Kubernetes objects (`container`,
    `volumes`, `sidecars`, a termination probe's `exec` and `http`, `podFailurePolicy`) accept
    the attributes of the Kubernetes client class. Typical causes
    are typos, keys from older Polyaxon versions (`secretResources`), or keys placed one level
    too high or too low.
    """,
    bad="""
    kind: component
    run:
      kind: job
      container:
        image: python:3.11
        comand: [python, train.py]
    """,
    good="""
    kind: component
    run:
      kind: job
      container:
        image: python:3.11
        command: [python, train.py]
    """,
)
WRONG_TYPE = rule(
    "PLX111",
    "wrong-type",
    family="schema",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="A value of the wrong type (string for an integer, scalar for a list, ...).",
    doc="""
    Polyaxon validates each field with pydantic. Many fields are strict (`StrictStr`,
    `StrictInt`): a quoted `'5'` is not an integer and `5` is not a string. Fields that also
    accept a reference (`RefField`) take a string only when it contains a `{{ ... }}`
    template; any other string fails with `Value must be a reference, received ... instead.`.
    """,
    bad="""
    kind: operation
    hubRef: tensorboard
    termination:
      maxRetries: '3'
    """,
    good="""
    kind: operation
    hubRef: tensorboard
    termination:
      maxRetries: 3
    """,
)
MISSING_FIELD = rule(
    "PLX112",
    "missing-required-field",
    family="schema",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="A required field is missing (pydantic `Field required`).",
    doc="""
    Some objects have required fields: `build.hubRef`, `hooks[].hubRef`, an input/output's
    `name`, a cron schedule's `cron`, an event trigger's `kinds` and `ref`, a discriminated
    object's `kind`. Without them pydantic reports `Field required`.
    """,
    bad="""
    kind: operation
    hubRef: my-component
    build:
      params:
        context: {value: '.'}
    """,
    good="""
    kind: operation
    hubRef: my-component
    build:
      hubRef: kaniko
      params:
        context: {value: '.'}
    """,
)
INVALID_ENUM = rule(
    "PLX113",
    "invalid-enum-value",
    family="schema",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="A value outside the allowed set (trigger, patchStrategy, schedule kind, ...).",
    doc="""
    Enumerated fields accept only their listed values: `trigger` (`all_succeeded`,
    `all_failed`, `all_done`, `one_succeeded`, `one_failed`, `one_done`), `patchStrategy`
    (`replace`, `isnull`, `post_merge`, `pre_merge`), `schedule.kind` (`cron`, `interval`,
    `datetime`), hook triggers (run statuses), cache sections, and so on.
    """,
    bad="""
    kind: operation
    hubRef: notifier
    trigger: all_success
    """,
    good="""
    kind: operation
    hubRef: notifier
    trigger: all_succeeded
    """,
)
UNKNOWN_RUN_KIND = rule(
    "PLX114",
    "unknown-run-kind",
    family="schema",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="`run.kind` is not a Polyaxon runtime.",
    doc="""
    `run.kind` must be one of `job`, `service`, `dag`, `mpijob`, `pytorchjob`, `tfjob`,
    `daskcluster`, `raycluster`, `notifier`, `cleaner`, `tuner`. Polyaxon 2.18 reports
    `Unsupported run.kind: '...'.`.
    """,
    bad="""
    kind: component
    run:
      kind: jobs
      container: {image: busybox}
    """,
    good="""
    kind: component
    run:
      kind: job
      container: {image: busybox}
    """,
)
INVALID_NAME = rule(
    "PLX115",
    "invalid-name",
    family="schema",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="`name` is not a slug (letters, digits, `-`, `_`) nor a `{{ }}` template.",
    doc="""
    A polyaxonfile's `name` must match `^[-a-zA-Z0-9_]+$` or be a `{{ ... }}` template.
    Spaces, dots, colons and slashes are rejected although some docs show them.
    """,
    bad="""
    kind: operation
    name: every monday check
    hubRef: notifier
    """,
    good="""
    kind: operation
    name: every-monday-check
    hubRef: notifier
    """,
)
REFERENCE_CONFLICT = rule(
    "PLX116",
    "reference-conflict",
    family="schema",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="More than one of `hubRef`, `dagRef`, `urlRef`, `pathRef` is set.",
    doc="""
    An operation may point to at most one component reference. Polyaxon 2.18 reports
    `At most one reference may be specified: hub_ref, dag_ref, url_ref, path_ref.` (an inline
    `component` may accompany a reference; it wins). Polyaxon 2.16 requires exactly one of the
    four references or `component`.
    """,
    bad="""
    kind: operation
    hubRef: tensorboard
    pathRef: ./component.yaml
    """,
    good="""
    kind: operation
    pathRef: ./component.yaml
    """,
)
RUN_KIND_MISSING = rule(
    "PLX117",
    "run-kind-missing",
    family="schema",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="`run` has no `kind` and there is no component or reference to take it from.",
    doc="""
    A `run` without `kind` is a partial run that patches the runtime of a referenced or inline
    component. With no `component`, `hubRef`, `pathRef`, `urlRef` or `dagRef`, Polyaxon
    reports `run.kind must be provided locally or by a referenced base.`. When a key of the
    run is a misspelt `kind` (`knid: job`), the error sits on that key, with a fix that renames
    it.
    """,
    bad="""
    kind: component
    run:
      container: {image: busybox}
    """,
    good="""
    kind: component
    run:
      kind: job
      container: {image: busybox}
    """,
)
INVALID_SHORTCUT = rule(
    "PLX118",
    "invalid-shortcut",
    family="schema",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="An invalid root shortcut (`cmd`, `env`, `resources`), or one the run kind has no "
    "field for.",
    doc="""
    Polyaxon 2.18 root shortcuts are validated eagerly: `cmd` is a non-blank string or a
    non-empty list of non-blank strings; `env` maps names to *string* values (quote numbers
    and booleans); `resources` keys are `cpu`, `memory`, `gpu` or an extended resource
    `vendor/name`, and each value is a number or a `request..limit` range. When the operation
    is compiled, each shortcut patches the run as a `runPatch` of its kind does: `ports` only
    exists on a `service` run, and a `dag` run has no main container (`container`, `cmd`,
    `env`, `resources`), `init` or `sidecars` (a distributed run takes the patch on each
    replica).
    """,
    bad="""
    kind: component
    container: {image: python:3.11}
    env:
      DEBUG: true
    resources:
      nvidia.com/gpu: 1
    """,
    good="""
    kind: component
    container: {image: python:3.11}
    env:
      DEBUG: "true"
    resources:
      gpu: 1
    """,
)
INVALID_OBJECT = rule(
    "PLX119",
    "invalid-object",
    family="schema",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="An object-level rule fails (init with several sources, git init without url).",
    doc="""
    Some objects validate combinations of fields: an `init` entry may set only one of
    `artifacts`, `paths`, `git`, `dockerfile`, `file`, `tensorboard`, `lineageRef`, `modelRef`,
    `artifactRef`; a `git` init without `url` needs a `connection`. When the operation is
    compiled, `plugins.sandbox: true` and `plugins.ssh: true` are only accepted on a `service`
    run (Polyaxon 2.18: "plugins.sandbox is only supported on kind: service in this version",
    and the same for `plugins.ssh`; `sandbox` is checked first).
    """,
    bad="""
    kind: component
    run:
      kind: job
      init:
        - git: {revision: main}
      container: {image: busybox}
    """,
    good="""
    kind: component
    run:
      kind: job
      init:
        - git: {revision: main}
          connection: my-repo
      container: {image: busybox}
    """,
)
PARAM_REF_VALUE = rule(
    "PLX120",
    "param-ref-needs-string-value",
    family="schema",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="A param with `ref` must have a string `value` (the path in the referenced entity).",
    doc="""
    When a param sets `ref`, its `value` names what to take from the referenced entity
    (`outputs.loss`, `inputs.lr`, `artifacts.model`, ...), so it must be a string. Polyaxon
    reports `Value must be of type string when a ref is provided, received ... instead.`,
    also when `value` is missing.
    """,
    bad="""
    kind: operation
    hubRef: trainer
    params:
      lr:
        ref: ops.tuner
    """,
    good="""
    kind: operation
    hubRef: trainer
    params:
      lr:
        ref: ops.tuner
        value: outputs.lr
    """,
)

# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------

NAME_RE = re.compile(r"^[-a-zA-Z0-9_]+\Z")
_NUMBER = r"(\d+(\.\d*)?|\.\d+)"
_CPU_VALUE = LazyPattern(_NUMBER + r"[mun]?", re.ASCII)
_MEMORY_VALUE = LazyPattern(_NUMBER + r"([KMGTPE]i|[kMGTPE])?", re.ASCII)
_MAX_INT = 2**63
#: Quantity suffix → factor (exact decimals as text: `decimal` is imported for a range only).
_SUFFIXES: dict[str, str | int] = {
    "": 1, "m": "0.001", "u": "0.000001", "n": "0.000000001",
    "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12, "P": 10**15, "E": 10**18,
    "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60,
}  # fmt: skip


def _segments(path: WalkPath) -> list[str | int]:
    segments: list[str | int] = []
    while path:
        path, segment = path
        segments.append(segment)
    segments.reverse()
    return segments


def _fmt_path(path: WalkPath) -> str:
    out = ""
    for seg in _segments(path):
        if isinstance(seg, int):
            out += f"[{seg}]"
        else:
            out += f".{seg}" if out else str(seg)
    return out or "the top level"


def _where(path: WalkPath) -> str:
    return f"`{_fmt_path(path)}`" if path else "the top level"


def _describe(node: YNode) -> str:
    if isinstance(node, YMap):
        return "a mapping"
    if isinstance(node, YSeq):
        return "a list"
    assert isinstance(node, YScalar)
    value = node.value
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {node.text}"
    if isinstance(value, int):
        return f"the integer {node.text}"
    if isinstance(value, float):
        return f"the number {node.text}"
    if isinstance(value, str):
        shown = shown_value(value) if len(value) <= 60 else value[:57] + "..."
        return f"the string `{shown}`"
    return f"the {type(value).__name__} {node.text}"


_MAPPINGS = frozenset(
    ("anydict", "obj", "disc", "k8s", "dict", "params", "fullparam", "io", "run", "poly")
)
_LISTS = frozenset(("list", "k8slist"))
_STRINGS = frozenset(("str", "name", "strlist"))
_INTEGERS = frozenset(("int", "laxint", "posint"))


def _fix(node: YNode, t: Type) -> tuple[str, Fix | None]:
    """How to write the value the type wants, as `; <fix>` (empty when there is no simple one),
    and the edit that does it when it is mechanical (quoting, unquoting)."""
    while t[0] == "ref":  # a template is always accepted too: the fix is for the literal
        t = t[1]
    tags = {x[0] for x in t[1:]} if t[0] == "oneof" else {t[0]}
    if isinstance(node, YScalar) and node.value is None:
        return "; give it a value or remove the key", None
    if tags & _STRINGS and isinstance(node, YScalar) and "\n" not in node.text:
        quoted = f'"{node.text}"'
        return (
            f"; quote it to keep it as text: `{quoted}`",
            Fix(f"Quote the value: {quoted}", node.span, quoted, safe=True),
        )
    if tags & _MAPPINGS:
        return "; write it as a mapping (`key: value` lines or `{key: value}`)", None
    if tags & _LISTS:
        return "; write it as a list (`- item` lines or `[a, b]`)", None
    if tags & {"bool"}:
        return "; use `true` or `false`", None
    if tags & _INTEGERS and isinstance(node, YScalar):
        text = node.value.strip() if isinstance(node.value, str) else ""
        if text.lstrip("+-").isdigit() and node.style in ("'", '"'):
            return (
                f"; remove the quotes: `{text}`",
                Fix(f"Remove the quotes: {text}", node.span, text, safe=True),
            )
        return "; use a whole number", None
    if tags & _STRINGS:
        return "; write it as one string", None
    return "", None


def _expected(t: Type) -> str:
    tag = t[0]
    simple = {
        "str": "a string",
        "bool": "a boolean",
        "int": "an integer",
        "laxint": "an integer",
        "posint": "a positive integer",
        "float": "a number",
        "sfloat": "a number",
        "datetime": "an ISO 8601 date-time such as `2024-05-01T10:00:00Z` or a Unix timestamp",
        "timedelta": "a number of seconds, `HH:MM:SS`, `2 days` or an ISO 8601 duration such "
        "as `PT1H`",
        "anydict": "a mapping",
        "obj": "a mapping",
        "disc": "a mapping with a `kind`",
        "k8s": "a mapping",
        "list": "a list",
        "k8slist": "a list",
        "dict": "a mapping",
        "strlist": "a list of strings (or a comma-separated string)",
        "uuid": "a run UUID (32 hexadecimal digits)",
        "uuidlist": "a list of run UUIDs, a comma-separated string of them or a `{{ ... }}` "
        "template",
        "name": "a string",
        "params": "a mapping",
        "fullparam": "a mapping (full-form param)",
        "io": "a mapping",
        "run": "a mapping",
        "poly": "a mapping (a polyaxonfile)",
        "notnull": "a value other than null",
    }
    if tag in simple:
        if tag == "list" and t[1][0] in ("str", "int"):
            return f"a list of {_expected(t[1]).split(' ', 1)[1]}s"
        return simple[tag]
    if tag == "enum":
        return "one of " + ", ".join(f"`{v}`" for v in t[2])
    if tag == "ref":
        return f"{_expected(t[1])} or a `{{{{ ... }}}}` template"
    if tag == "oneof":
        return " or ".join(_expected(x) for x in t[1:])
    return "a valid value"


def is_number(value: Any) -> bool:
    """A float in pydantic's lax sense (numbers, booleans, numeric strings)."""
    if isinstance(value, (bool, int, float)):
        return True
    if isinstance(value, str):
        try:
            float(value.strip())
        except ValueError:
            return False
        return True
    return False


def _is_laxint(value: Any) -> bool:
    if isinstance(value, bool):
        return True
    if isinstance(value, int):
        return True
    if isinstance(value, float):
        return math.isfinite(value) and value == int(value)
    if isinstance(value, str):
        # pydantic reads an integer from a string of digits (a sign, `_` between digits), with
        # a fraction of zeros at most: `3`, `1_000`, `3.00`, not `1e3`, `3.` or `.5`.
        whole, dot, fraction = value.strip().partition(".")
        if dot and (not fraction or fraction.strip("0")):
            return False
        try:
            int(whole)
        except ValueError:
            return False
        return True
    return False


def _is_uuid(text: str) -> bool:
    from uuid import UUID  # as in core.types: `uuid` (and `platform`) only for a UUID field

    try:
        UUID(text)
    except ValueError:
        return False
    return True


def _scalar_ok(tag: str, value: Any) -> bool | None:
    """Check a scalar against a scalar type; None when the tag is not a scalar type."""
    if tag == "any":
        return True
    if tag == "notnull":
        return value is not None
    if tag == "str" or tag == "name":
        return isinstance(value, str)
    if tag == "bool":
        return lax_bool(value) is not None
    if tag == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if tag == "laxint":
        return _is_laxint(value)
    if tag == "posint":
        if not _is_laxint(value):
            return False
        try:
            return float(value) > 0
        except (TypeError, ValueError):
            return False
    if tag == "float":
        return is_number(value)
    if tag == "sfloat":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if tag == "uuid":
        return isinstance(value, str) and _is_uuid(value)
    if tag == "datetime":
        return schema_values.datetime_error(value) is None
    if tag == "timedelta":
        return schema_values.timedelta_error(value) is None
    return None


def _guess(key: object, options: tuple[str, ...] | list[str]) -> tuple[str, bool] | None:
    """The option ``key`` most likely means (also `run_patch` for `runPatch`), and whether it is
    the only close one."""
    guess = closest_word(key, options)
    if guess is None and isinstance(key, str):
        snake = snake_case(key)
        same = [o for o in options if snake_case(o) == snake and o != key]
        guess = (same[0], len(same) == 1) if same else None
    return guess


def _polyaxon_extra(extra: str) -> tuple[str, str]:
    """(our extra text, Polyaxon's wording) from an extra that may be `" (Polyaxon: ...)"`."""
    if extra.startswith(" (Polyaxon: ") and extra.endswith(")"):
        return "", extra[len(" (Polyaxon: ") : -1]
    return extra, ""


# --------------------------------------------------------------------------------------------
# Walker
# --------------------------------------------------------------------------------------------


class Walker:
    __slots__ = ("ctx", "doc_kind", "is_216")

    def __init__(self, ctx: CheckContext) -> None:
        self.ctx = ctx
        self.is_216 = ctx.settings.is_216
        #: The file's top-level `kind` (Polyaxon names it in some of its messages).
        self.doc_kind: str | None = None

    # -- reporting --
    def wrong(self, node: YNode, t: Type, path: WalkPath, extra: str = "") -> bool:
        reason = schema_values.value_reason(t, node)
        if reason is not None:
            self.ctx.report(
                schema_values.INVALID_VALUE.at(
                    node.span,
                    f"{_where(path)} must be {_expected(t)}; got {_describe(node)}.",
                    polyaxon=reason,
                )
            )
            return False
        extra, polyaxon = _polyaxon_extra(extra)
        # An extra sentence says what to write instead; otherwise the fix for this mismatch.
        fix, edit = ("", None) if extra else _fix(node, t)
        self.ctx.report(
            WRONG_TYPE.at(
                node.span,
                f"{_where(path)} must be {_expected(t)}; got {_describe(node)}{fix}.{extra}",
                polyaxon=polyaxon,
                fixes=(edit,) if edit is not None else (),
            )
        )
        return False

    def unknown(
        self,
        key: YNode,
        model_title: str,
        path: WalkPath,
        shown: tuple[str, ...],
        related: tuple[Related, ...] = (),
        present: Collection[object] = (),
    ) -> None:
        """``present``: the mapping's keys (a rename onto one of them is not offered)."""
        name = key.to_py() if isinstance(key, YScalar) else "?"
        guess = _guess(name, shown)
        if guess:
            fix = f"did you mean `{guess[0]}`?"
        elif len(shown) <= 20:
            fix = "expected one of " + ", ".join(f"`{k}`" for k in shown) + "."
        else:
            fix = "remove it or move it where it belongs."
        self.ctx.report(
            UNKNOWN_KEY.at(
                key.span,
                f"Unknown key `{name}` in {_where(path)} ({model_title}); {fix}",
                polyaxon="Extra inputs are not permitted",
                related=related,
                fixes=replacement_fix(key, guess, present),
            )
        )

    def both_spellings(self, key: YNode, alias_key: YNode, alias: str, path: WalkPath) -> None:
        """A field given both as `alias` and by its snake_case name: pydantic reads the alias
        and rejects the other spelling as an extra key."""
        name = key.to_py() if isinstance(key, YScalar) else "?"
        related = (Related(f"`{alias}` is set here", alias_key.span),)
        self.ctx.report(
            UNKNOWN_KEY.at(
                key.span,
                f"`{name}` repeats `{alias}` in {_where(path)}: Polyaxon reads `{alias}` and "
                f"rejects `{name}` as an unknown key; keep one of them.",
                polyaxon="Extra inputs are not permitted",
                related=related,
            )
        )

    def missing(self, owner: YNode, field: str, path: WalkPath) -> None:
        self.ctx.report(
            MISSING_FIELD.at(
                owner.span,
                f"{_where(path)} requires the field `{field}`; add it.",
                polyaxon="Field required",
            )
        )

    # -- generic --
    def check(self, node: YNode, t: Type, path: WalkPath, owner: YNode) -> bool:
        tag = t[0]
        if isinstance(node, YScalar):
            if node.tag.endswith(":timestamp") and isinstance(node.value, str):
                return True  # PyYAML could not build it: reported as invalid YAML (PLX001)
            ok = _scalar_ok(tag, node.value)
            if ok is not None:
                if not ok:
                    return self.wrong(node, t, path)
                if tag == "name":
                    return self.check_name(node, path)
                return True
            if tag == "enum":
                value = node.value
                try:
                    if value in t[1]:
                        return True
                except TypeError:
                    pass
                guess = closest_word(value, [str(v) for v in t[2]])
                self.ctx.report(
                    INVALID_ENUM.at(
                        node.span,
                        f"{_where(path)} must be {_expected(t)}; got {_describe(node)}"
                        + (f"; did you mean `{guess[0]}`?" if guess else "."),
                        fixes=replacement_fix(node, guess),
                    )
                )
                return False
            if tag == "ref":
                if isinstance(node.value, str):
                    if has_template(node.value):
                        return True
                    inner = t[1]
                    if inner[0] in ("enum", "oneof") or _scalar_ok(inner[0], node.value):
                        return self.check(node, inner, path, owner)
                    if inner[0] in ("datetime", "timedelta"):
                        return self.wrong(node, t, path)
                    return self.wrong(
                        node,
                        t,
                        path,
                        f" (Polyaxon: Value must be a reference, received `{node.value}` instead.)",
                    )
                return self.check(node, t[1], path, owner)
        elif tag == "ref":
            return self.check(node, t[1], path, owner)
        elif tag == "any":
            return True
        handler = _HANDLERS.get(tag)
        if handler is None:
            return self.wrong(node, t, path)
        return handler(self, node, t, path, owner)

    def check_model(
        self,
        node: YMap,
        model: str,
        path: WalkPath,
        owner: YNode,
        kinds: tuple[YNode, tuple[str, ...]] | None = None,
    ) -> bool:
        """`kinds`: for a member of a union chosen by `kind`, that `kind`'s value node and the
        other members; a key that belongs to another member gets a note on the `kind`."""
        fields = MODELS[model]
        lookup = KEY_LOOKUP[model]
        required_fields = _REQUIRED[model]
        check = self.check
        ok = True
        for key, (key_node, value) in node.index.items():
            name = lookup.get(key) if isinstance(key, str) else None
            if name is None:
                self.unknown(
                    key_node,
                    MODEL_TITLES.get(model, "V1" + model),
                    path,
                    SHOWN_KEYS[model],
                    _other_kinds(key, model, kinds),
                    present=node.index,
                )
                ok = False
                continue
            alias, t, required = fields[name]
            if alias is not None and key == name and alias in node.index:
                self.both_spellings(key_node, node.index[alias][0], alias, path)
                ok = False
                continue
            if not required and value.__class__ is YScalar and value.value is None:
                continue
            ok = check(value, t, (path, str(key)), key_node) and ok
        for name, shown in required_fields:
            if not any(lookup.get(key) == name for key in node.index if isinstance(key, str)):
                self.missing(owner, shown, path)
                ok = False
        post = _POST.get(model)
        if post is not None and ok:
            ok = post(self, node, path, owner)
        return ok

    # -- special scalars --
    def check_name(self, node: YScalar, path: WalkPath) -> bool:
        value = node.value
        if NAME_RE.match(value) or has_template(value):
            return True
        self.ctx.report(
            INVALID_NAME.at(
                node.span,
                f"{_where(path)} `{value}` is not a valid name: use letters, digits, `-` and `_` "
                "only (pattern `^[-a-zA-Z0-9_]+$`), or a `{{ }}` template.",
            )
        )
        return False


# -- handlers for non-scalar and special tags --------------------------------------------------


def _h_list(w: Walker, node: YNode, t: Type, path: WalkPath, owner: YNode) -> bool:
    if not isinstance(node, YSeq):
        return w.wrong(node, t, path)
    memo = w.ctx.memo
    if memo is not None and len(node.items) > 1:
        # A whole list an edit did not touch (the incremental parse keeps it as it was).
        return memo.run(
            w.ctx,
            node,
            ("schema-list", id(t), path),
            lambda: _list_items(w, node, t, path),
            carry=True,
        )
    return _list_items(w, node, t, path)


def _list_items(w: Walker, node: YSeq, t: Type, path: WalkPath) -> bool:
    item_t = t[1]
    memo = w.ctx.memo
    if memo is None:
        ok = True
        for i, item in enumerate(node.items):
            ok = w.check(item, item_t, (path, i), item) and ok
        return ok

    def check(i: int, item: YNode) -> bool:
        if item.__class__ is YMap:
            # Items of long lists (DAG ops, inputs) are the unit an edit usually changes.
            assert memo is not None
            return memo.run(
                w.ctx,
                item,
                ("schema", id(item_t), (path, i)),
                lambda: w.check(item, item_t, (path, i), item),
            )
        return w.check(item, item_t, (path, i), item)

    # A long list's chunks of items an edit did not touch are taken at once.
    return all(memo.run_in_chunks(w.ctx, ("schema-items", id(item_t), path), node.items, check))


def _h_dict(w: Walker, node: YNode, t: Type, path: WalkPath, owner: YNode) -> bool:
    if not isinstance(node, YMap):
        return w.wrong(node, t, path)
    ok = True
    value_t = t[1]
    for key, (key_node, value) in node.index.items():
        if not isinstance(key, str):
            w.ctx.report(
                WRONG_TYPE.at(
                    key_node.span,
                    f"Keys of {_where(path)} must be strings, got {_describe(key_node)}; quote it.",
                )
            )
            ok = False
            continue
        ok = w.check(value, value_t, (path, key), key_node) and ok
    return ok


def _h_anydict(w: Walker, node: YNode, t: Type, path: WalkPath, owner: YNode) -> bool:
    return True if isinstance(node, YMap) else w.wrong(node, t, path)


def _other_kinds(
    key: object, model: str, kinds: tuple[YNode, tuple[str, ...]] | None
) -> tuple[Related, ...]:
    """A note on `kind` when the unknown key is a field of other kinds of the same union."""
    if kinds is None or not isinstance(key, str):
        return ()
    kind_node, members = kinds
    owners = [m for m in members if m != model and key in KEY_LOOKUP[m]]
    if not owners:
        return ()
    shown = ", ".join(f"`{m}`" for m in owners[:3]) + (", …" if len(owners) > 3 else "")
    return (
        Related(
            f"`kind` is `{model}` here; `{key}` is a field of the "
            f"{'kind' if len(owners) == 1 else 'kinds'} {shown}",
            kind_node.span,
        ),
    )


def _h_obj(w: Walker, node: YNode, t: Type, path: WalkPath, owner: YNode) -> bool:
    if not isinstance(node, YMap):
        return w.wrong(node, t, path)
    return w.check_model(node, t[1], path, owner)


def _h_disc(w: Walker, node: YNode, t: Type, path: WalkPath, owner: YNode) -> bool:
    if not isinstance(node, YMap):
        return w.wrong(node, t, path)
    members, title = UNIONS[t[1]]
    kind_entry = node.entry("kind")
    if kind_entry is None:
        w.ctx.report(
            MISSING_FIELD.at(
                owner.span,
                f"{_where(path)} requires a `kind` ({title} kind: "
                + ", ".join(f"`{m}`" for m in members)
                + "); add one.",
                polyaxon="Unable to extract tag using discriminator 'kind'",
            )
        )
        return False
    kind_node = kind_entry[1]
    kind = kind_node.to_py()
    if not isinstance(kind, str) or kind not in members:
        guess = closest_word(kind, members)
        w.ctx.report(
            INVALID_ENUM.at(
                kind_node.span,
                f"`{_fmt_path((path, 'kind'))}` must be one of "
                + ", ".join(f"`{m}`" for m in members)
                + f"; got {_describe(kind_node)}"
                + (f"; did you mean `{guess[0]}`?" if guess else "."),
                fixes=replacement_fix(kind_node, guess),
            )
        )
        return False
    return w.check_model(node, kind, path, owner, (kind_node, members))


def _h_k8s(w: Walker, node: YNode, t: Type, path: WalkPath, owner: YNode) -> bool:
    cls = t[1]
    if not isinstance(node, YMap):
        w.ctx.report(
            WRONG_TYPE.at(
                node.span,
                f"{_where(path)} must be a mapping (a Kubernetes {cls[2:]}); got "
                f"{_describe(node)}.",
                polyaxon=f"This field expects a dict or an instance of {cls}.",
            )
        )
        return False
    known = K8S_KEYS[cls]
    ok = True
    for key, (key_node, _value) in node.index.items():
        if isinstance(key, str) and snake_case(key) in known:
            continue
        shown = sorted(known)
        name = key if isinstance(key, str) else str(key)
        guess = _guess(snake_case(name), shown)
        if guess is not None and "_" not in name:  # written camelCase: suggest camelCase
            guess = (camel_case(guess[0]), guess[1])
        w.ctx.report(
            UNKNOWN_KEY.at(
                key_node.span,
                f"Unknown key `{name}` in {_where(path)} (Kubernetes {cls}); expected one of "
                + ", ".join(f"`{k}`" for k in shown)
                + (f". Did you mean `{guess[0]}`?" if guess else "."),
                fixes=replacement_fix(key_node, guess, node.index),
            )
        )
        ok = False
    for field in K8S_REQUIRED.get(cls, ()):
        value = node.get(field)
        if value is None or value.to_py() is None:
            w.ctx.report(
                MISSING_FIELD.at(
                    owner.span,
                    f"{_where(path)} requires the field `{field}` (Kubernetes {cls}: Invalid "
                    f"value for `{field}`, must not be `None`).",
                )
            )
            ok = False
    return ok


def _h_k8slist(w: Walker, node: YNode, t: Type, path: WalkPath, owner: YNode) -> bool:
    if not isinstance(node, YSeq):
        message = t[2]
        if message is None:
            return w.wrong(node, t, path)
        w.ctx.report(
            WRONG_TYPE.at(
                node.span,
                f"{_where(path)} must be a list; got {_describe(node)}.",
                polyaxon=message,
            )
        )
        return False
    ok = True
    item_t = ("k8s", t[1])
    for i, item in enumerate(node.items):
        ok = _h_k8s(w, item, item_t, (path, i), item) and ok
    return ok


def _shape_ok(node: YNode, t: Type) -> bool:
    """Silent check for union alternatives (scalars and lists of scalars)."""
    tag = t[0]
    if isinstance(node, YScalar):
        ok = _scalar_ok(tag, node.value)
        if ok is not None:
            return ok
        if tag == "enum":
            try:
                return node.value in t[1]
            except TypeError:
                return False
        if tag == "oneof":
            return any(_shape_ok(node, x) for x in t[1:])
        return False
    if isinstance(node, YSeq):
        return tag == "list" and all(_shape_ok(item, t[1]) for item in node.items)
    return tag in ("obj", "anydict")


def _h_oneof(w: Walker, node: YNode, t: Type, path: WalkPath, owner: YNode) -> bool:
    alternatives = t[1:]
    if isinstance(node, YMap):
        for alt in alternatives:
            if alt[0] == "obj":
                return w.check_model(node, alt[1], path, owner)
    elif isinstance(node, YSeq):
        for alt in alternatives:
            if alt[0] == "list":
                return _h_list(w, node, alt, path, owner)
    if any(_shape_ok(node, alt) for alt in alternatives):
        return True
    return w.wrong(node, t, path)


def _h_strlist(w: Walker, node: YNode, t: Type, path: WalkPath, owner: YNode) -> bool:
    if isinstance(node, YScalar) and isinstance(node.value, str):
        return True
    return _h_list(w, node, ("list", ("str",)), path, owner)


def _h_uuidlist(w: Walker, node: YNode, t: Type, path: WalkPath, owner: YNode) -> bool:
    """Run UUIDs: a list, or a comma-separated string that Polyaxon splits (a template is
    left as it is)."""
    if isinstance(node, YScalar) and isinstance(node.value, str):
        if has_template(node.value) or all(_is_uuid(p.strip()) for p in node.value.split(",")):
            return True
        return w.wrong(node, t, path)
    return _h_list(w, node, ("list", ("uuid",)), path, owner)


def _h_params(w: Walker, node: YNode, t: Type, path: WalkPath, owner: YNode) -> bool:
    if not isinstance(node, YMap):
        return w.wrong(node, t, path, " (Polyaxon: Input should be a valid dictionary)")
    memo = w.ctx.memo
    if memo is not None and len(node.pairs) > 1:
        return memo.run(
            w.ctx, node, ("schema-params", path), lambda: _param_entries(w, node, path), carry=True
        )
    return _param_entries(w, node, path)


def _param_entries(w: Walker, node: YMap, path: WalkPath) -> bool:
    ok = True
    memo = w.ctx.memo
    for key, (key_node, value) in node.index.items():
        if not isinstance(key, str):
            w.ctx.report(
                WRONG_TYPE.at(
                    key_node.span,
                    f"Param names must be strings, got {_describe(key_node)}; quote it.",
                )
            )
            ok = False
            continue
        if isinstance(value, YMap) and (not value.index or not PARAM_KEYS.isdisjoint(value.index)):
            if memo is not None:
                ok = (
                    memo.run(
                        w.ctx,
                        value,
                        ("schema-param", (path, key), id(key_node)),
                        lambda value=value, key=key, key_node=key_node: w.check_model(  # type: ignore[misc]
                            value, "Param", (path, key), key_node
                        ),
                        pins=(key_node,),
                    )
                    and ok
                )
            else:
                ok = w.check_model(value, "Param", (path, key), key_node) and ok
    return ok


def _h_fullparam(w: Walker, node: YNode, t: Type, path: WalkPath, owner: YNode) -> bool:
    if not isinstance(node, YMap):
        return w.wrong(
            node,
            t,
            path,
            " Only operation `params` accept the short form; here write `{value: ...}`.",
        )
    return w.check_model(node, "Param", path, owner)


def _post_param(w: Walker, node: YMap, path: WalkPath, owner: YNode) -> bool:
    ref_entry = node.entry("ref")
    if ref_entry is None or not ref_entry[1].to_py():
        return True
    value = node.get("value")
    py = value.to_py() if value is not None else None
    if isinstance(py, str):
        return True
    w.ctx.report(
        PARAM_REF_VALUE.at(
            ref_entry[1].span,
            f"`{_fmt_path(path)}` has a `ref`, so its `value` must be a string; got "
            f"`{python_str(py)}`; set `value` to what to take from the reference, e.g. "
            "`outputs.name`.",
            polyaxon=f"Value must be of type string when a ref is provided, received "
            f"`{python_str(py)}` instead.",
        )
    )
    return False


_INIT_SOURCES = (
    "artifacts", "paths", "git", "dockerfile", "file", "tensorboard", "lineageRef", "lineage_ref",
    "modelRef", "model_ref", "artifactRef", "artifact_ref",
)  # fmt: skip


def _post_init(w: Walker, node: YMap, path: WalkPath, owner: YNode) -> bool:
    sources = _INIT_SOURCES
    count = sum(1 for s in sources if (v := node.get(s)) is not None and v.to_py())
    if count > 1:
        w.ctx.report(
            INVALID_OBJECT.at(
                owner.span,
                f"{_where(path)} sets {count} init sources; keep one of `artifacts`, `paths`, "
                "`git`, `file` or `dockerfile`.",
                polyaxon="Only one of artifacts, paths, git, file, or dockerfile can be set",
            )
        )
        return False
    git = node.get("git")
    connection = node.get("connection")
    if isinstance(git, YMap) and (connection is None or not connection.to_py()):
        url = git.get("url")
        if url is None or not url.to_py():
            w.ctx.report(
                INVALID_OBJECT.at(
                    owner.span,
                    f"{_where(path)} has a `git` init without `url` or `connection`; add one of "
                    "them.",
                    polyaxon="git field without a valid url requires a connection to be passed.",
                )
            )
            return False
    return True


def _h_run(w: Walker, node: YNode, t: Type, path: WalkPath, owner: YNode) -> bool:
    if not isinstance(node, YMap):
        return w.wrong(node, t, path, " (Polyaxon: Input should be a valid dictionary)")
    kind_entry = node.entry("kind")
    if kind_entry is None:
        return True  # a partial run (Dict), checked against the referenced base at compile time
    kind = kind_entry[1].to_py()
    if not isinstance(kind, str) or kind not in RUN_KINDS:
        run_guess = _guess(kind, RUN_KINDS)
        w.ctx.report(
            UNKNOWN_RUN_KIND.at(
                kind_entry[1].span,
                f"`run.kind` must be a Polyaxon runtime; got `{shown_value(kind)}`; "
                + (
                    f"did you mean `{run_guess[0]}`?"
                    if run_guess
                    else "use one of " + ", ".join(f"`{k}`" for k in RUN_KINDS) + "."
                ),
                fixes=replacement_fix(kind_entry[1], run_guess),
                polyaxon=f"Unsupported run.kind: {kind!r}.",
                related=(
                    Related(
                        "the run's other fields are not checked until `kind` is fixed (it "
                        "says which fields a run has)",
                        kind_entry[0].span,
                    ),
                ),
            )
        )
        return False
    return w.check_model(node, kind, path, owner, (kind_entry[1], RUN_KINDS))


def _h_cmd(w: Walker, node: YNode, t: Type, path: WalkPath, owner: YNode) -> bool:
    if isinstance(node, YScalar):
        if not isinstance(node.value, str):
            return w.wrong(node, ("oneof", ("str",), ("list", ("str",))), path)
        if not node.value.strip():
            w.ctx.report(INVALID_SHORTCUT.at(node.span, "`cmd` must not be blank; give a command."))
            return False
        return True
    if isinstance(node, YSeq):
        if not node.items:
            w.ctx.report(INVALID_SHORTCUT.at(node.span, "`cmd` must not be empty; give a command."))
            return False
        ok = True
        for i, item in enumerate(node.items):
            if not (isinstance(item, YScalar) and isinstance(item.value, str)):
                ok = w.wrong(item, ("str",), (path, i))
            elif not item.value.strip():
                w.ctx.report(
                    INVALID_SHORTCUT.at(item.span, f"`cmd[{i}]` must not be blank; remove it.")
                )
                ok = False
        return ok
    return w.wrong(node, ("oneof", ("str",), ("list", ("str",))), path)


def _h_env(w: Walker, node: YNode, t: Type, path: WalkPath, owner: YNode) -> bool:
    if not isinstance(node, YMap):
        w.ctx.report(
            INVALID_SHORTCUT.at(node.span, "`env` must be a mapping of names to string values.")
        )
        return False
    ok = True
    for key, (key_node, value) in node.index.items():
        py = value.to_py()
        if isinstance(py, (bool, int, float)):
            literal = str(py).lower() if isinstance(py, bool) else py
            w.ctx.report(
                INVALID_SHORTCUT.at(
                    value.span, f'`env.{key}` must be a string; quote it: "{literal}".'
                )
            )
            return False  # Polyaxon stops at the first one
        if not isinstance(key, str):
            ok = w.wrong(key_node, ("str",), (path, str(key)))
        elif not isinstance(py, str):
            ok = w.wrong(value, ("str",), (path, key))
    return ok


def _quantity(text: str) -> Decimal | None:
    from decimal import Decimal, InvalidOperation

    match = re.fullmatch(r"(\d+(?:\.\d*)?|\.\d+)([a-zA-Z]*)", text)
    if not match or match.group(2) not in _SUFFIXES:
        return None
    try:
        return Decimal(match.group(1)) * Decimal(_SUFFIXES[match.group(2)])
    except InvalidOperation:
        return None


def _resource_error(key: str, value: Any) -> str | None:
    is_count = key not in ("cpu", "memory")

    def valid(part: str) -> bool:
        if key == "cpu":
            return bool(_CPU_VALUE.fullmatch(part))
        if key == "memory":
            return bool(_MEMORY_VALUE.fullmatch(part))
        return part.isascii() and part.isdigit() and int(part) < _MAX_INT

    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return f"resources.{key} must be a number or a range such as 1..2."
    if not isinstance(value, str):
        if (isinstance(value, float) and not math.isfinite(value)) or value < 0:
            return f"resources.{key} must be a finite non-negative number."
        if value >= _MAX_INT:
            return f"resources.{key} is too large."
        if is_count and not isinstance(value, int):
            return f"resources.{key} must be an integer count."
        return None
    text = value.strip()
    is_range = ".." in text
    low, high = (p.strip() for p in text.split("..", 1)) if is_range else (text, "")
    if not low and not high:
        return f"resources.{key} needs a request, a limit, or both."
    for part in (low, high):
        if part and not valid(part):
            return (
                f"resources.{key} has an unsupported value `{part}`; use container.resources "
                "for other quantities or templates."
            )
    if low and high:
        lo, hi = _quantity(low), _quantity(high)
        if lo is not None and hi is not None and lo > hi:
            return f"resources.{key} has a request greater than its limit."
    return None


def _h_resources(w: Walker, node: YNode, t: Type, path: WalkPath, owner: YNode) -> bool:
    if not isinstance(node, YMap):
        w.ctx.report(
            INVALID_SHORTCUT.at(
                node.span, "resources must be a mapping of resource names to values."
            )
        )
        return False
    gpu = node.entry("nvidia.com/gpu")
    if gpu is not None:
        w.ctx.report(
            INVALID_SHORTCUT.at(
                gpu[0].span, "`resources.nvidia.com/gpu` is spelled `gpu`; rename it."
            )
        )
        return False
    for key, (key_node, value) in node.index.items():
        if key not in ("cpu", "memory", "gpu") and not (isinstance(key, str) and "/" in key):
            w.ctx.report(
                INVALID_SHORTCUT.at(
                    key_node.span,
                    f"Unknown resource `{key}`; use cpu, memory, gpu, or an extended resource "
                    "such as google.com/tpu.",
                )
            )
            return False
        message = _resource_error(str(key), value.to_py())
        if message is not None:
            w.ctx.report(INVALID_SHORTCUT.at(value.span, message))
            return False
    return True


def _h_poly(w: Walker, node: YNode, t: Type, path: WalkPath, owner: YNode) -> bool:
    if not isinstance(node, YMap):
        return w.wrong(node, t, path)
    return not _check_document(w, node, t[1], path)


def _h_matrix(w: Walker, node: YNode, t: Type, path: WalkPath, owner: YNode) -> bool:
    return bool(check_matrix_schema(node, w.ctx))


def _h_image(w: Walker, node: YNode, t: Type, path: WalkPath, owner: YNode) -> bool:
    """A StrictStr that clipped accepts as a docker image."""
    if not (isinstance(node, YScalar) and isinstance(node.value, str)):
        return bool(w.wrong(node, ("str",), path))
    reason = schema_values.docker_image_error(node.value)
    if reason is None:
        return True
    w.ctx.report(
        schema_values.INVALID_VALUE.at(
            node.span,
            f"`{_fmt_path(path)}` must be a docker image such as `python:3.11` or "
            f"`registry:5000/org/image:tag`; got `{node.value}`.",
            polyaxon=reason,
        )
    )
    return False


def _h_joins(w: Walker, node: YNode, t: Type, path: WalkPath, owner: YNode) -> bool:
    return bool(check_joins_schema(node, w.ctx))


#: model → its required fields, as (field name, key shown in messages).
_REQUIRED: dict[str, tuple[tuple[str, str], ...]] = {
    model: tuple(
        (name, alias or name) for name, (alias, _t, required) in fields.items() if required
    )
    for model, fields in MODELS.items()
}

_Handler = Callable[[Walker, YNode, Type, WalkPath, YNode], bool]
_HANDLERS: dict[str, _Handler] = {
    "notnull": lambda _w, _node, _t, _path, _owner: True,  # a collection: not null
    "list": _h_list,
    "dict": _h_dict,
    "anydict": _h_anydict,
    "obj": _h_obj,
    "disc": _h_disc,
    "k8s": _h_k8s,
    "k8slist": _h_k8slist,
    "oneof": _h_oneof,
    "strlist": _h_strlist,
    "uuidlist": _h_uuidlist,
    "params": _h_params,
    "fullparam": _h_fullparam,
    "io": check_io,
    "run": _h_run,
    "cmd": _h_cmd,
    "env": _h_env,
    "resources": _h_resources,
    "poly": _h_poly,
    "matrix": _h_matrix,
    "joins": _h_joins,
    "image": _h_image,
}
_POST: dict[str, Callable[[Walker, YMap, WalkPath, YNode], bool]] = {
    "Param": _post_param,
    "Init": _post_init,
}

_REF_KEYS = (
    ("hubRef", "hub_ref"),
    ("dagRef", "dag_ref"),
    ("urlRef", "url_ref"),
    ("pathRef", "path_ref"),
)


_DOCUMENT_TITLES = {"component": "V1Component", "operation": "V1Operation"}


def _check_document(w: Walker, root: YMap, where: Where, path: WalkPath) -> set[str]:
    """Validate one polyaxonfile mapping; returns the top-level keys with invalid contents."""
    invalid: set[str] = set()
    lookup = KEY_LOOKUP["Polyaxonfile"]
    fields = MODELS["Polyaxonfile"]
    kind_node = root.get("kind")
    kind = kind_node.to_py() if kind_node is not None else None
    header_owned = where == "file" and kind is not None
    sections = SECTIONS_216 if w.is_216 else SECTIONS_218
    title = _DOCUMENT_TITLES.get(kind if isinstance(kind, str) else "", "V1Polyaxonfile")
    if path == () and isinstance(kind, str):
        w.doc_kind = kind
    for key, (key_node, value) in root.index.items():
        if header_owned and (key in ("kind", "version") or key not in sections):
            if key not in sections:
                invalid.add(str(key))
            continue  # reported by the document header check
        name = lookup.get(key) if isinstance(key, str) else None
        if name is not None and w.is_216 and _forbidden_216(str(key), kind, where):
            name = None
        if name is None:
            w.unknown(key_node, title, path, SHOWN_KEYS["Polyaxonfile"], present=root.index)
            invalid.add(str(key))
            continue
        _alias, t, _required = fields[name]
        if isinstance(value, YScalar) and value.value is None:
            continue
        mark = len(w.ctx.findings)
        ok = w.check(value, t, (path, str(key)), key_node)
        if not ok or (len(w.ctx.findings) > mark and w.ctx.has_errors_since(mark)):
            invalid.add(str(key))
    _check_references(w, root, path, invalid, kind)
    return invalid


def _forbidden_216(key: str, kind: object, where: Where) -> bool:
    if key in NEW_IN_218 and not (key == "connections" and kind != "component"):
        return True
    if kind == "operation" or where == "dag-op":
        return key in COMPONENT_ONLY_216
    if kind == "component" or where in ("inline", "dag-component", "referenced"):
        return key in OPERATION_ONLY_216
    return False


def _check_references(
    w: Walker, root: YMap, path: WalkPath, invalid: set[str], kind: object
) -> None:
    preset = root.get("isPreset") or root.get("is_preset")
    if preset is not None and preset.to_py():
        return
    present = []
    index = root.index
    for camel, snake in _REF_KEYS:
        for key in (camel, snake):
            entry = index.get(key)
            if entry is not None and entry[1].to_py():
                present.append((key, entry))
                break
    component = root.get("component")
    # Only a null scalar reads as None (a mapping or list would be converted in full for nothing).
    has_component = component is not None and not (
        isinstance(component, YScalar) and component.value is None
    )
    if w.is_216:
        if kind == "operation" and len(present) + (0 if present else int(has_component)) != 1:
            kind_node = root.key_node("kind")
            anchor = present[1][1][0].span if len(present) > 1 else (kind_node or root).span
            w.ctx.report(
                REFERENCE_CONFLICT.at(
                    anchor,
                    "An operation needs exactly one of `hubRef`, `dagRef`, `urlRef`, `pathRef` "
                    "or an inline `component`; keep one.",
                    polyaxon="One and only one reference must be specified: hub_ref, dag_ref, "
                    "url_ref, path_ref, component.",
                )
            )
        return
    if len(present) > 1:
        names = ", ".join(f"`{k}`" for k, _ in present)
        for key, entry in present[1:]:
            w.ctx.report(
                REFERENCE_CONFLICT.at(
                    entry[0].span,
                    f"Only one reference may be set; found {names}; keep one.",
                    polyaxon="At most one reference may be specified: hub_ref, dag_ref, url_ref, "
                    "path_ref.",
                )
            )
            invalid.add(key)
    run_entry = root.entry("run")
    if (
        run_entry is not None
        and isinstance(run_entry[1], YMap)
        and run_entry[1].entry("kind") is None
        and not present
        and not has_component
    ):
        misspelt = next(
            (
                key_node
                for key, (key_node, _value) in run_entry[1].index.items()
                if isinstance(key, str) and did_you_mean(key, ("kind",)) == "kind"
            ),
            None,
        )
        if misspelt is not None:
            w.ctx.report(
                RUN_KIND_MISSING.at(
                    misspelt.span,
                    f"`run` has no `kind`, and `{misspelt.to_py()}` looks like a misspelt "
                    "`kind`; rename it to `kind`.",
                    polyaxon="run.kind must be provided locally or by a referenced base.",
                    fixes=(Fix("Rename to `kind`", misspelt.span, "kind", safe=True),),
                )
            )
        else:
            w.ctx.report(
                RUN_KIND_MISSING.at(
                    run_entry[0].span,
                    "`run` has no `kind` and nothing to take it from; add `kind: job` (or "
                    "another runtime) or reference a component.",
                    polyaxon="run.kind must be provided locally or by a referenced base.",
                )
            )
        invalid.add("run")


def check_schema(root: YMap, ctx: CheckContext, *, where: Where = "file") -> set[str]:
    """Report every schema error of ``root``; return the top-level keys with invalid contents."""
    return _check_document(Walker(ctx), root, where, ())


def check_object(node: YMap, model: str, ctx: CheckContext, path: tuple[str, ...]) -> bool:
    """Check ``node`` as the model ``model`` found at ``path`` (keys from the top).

    Returns True when it is valid."""
    walk_path: WalkPath = ()
    for key in path:
        walk_path = (walk_path, key)
    return Walker(ctx).check_model(node, model, walk_path, node)
