"""The "schema" and "io" rule families: what pydantic rejects when Polyaxon 2.18 validates a
polyaxonfile (`V1Polyaxonfile`/`V1Operation`/`V1Component`, spec §4, §5, §7.1–7.2, §21.2).

The schema itself is data (:mod:`param_lsp.core.schema_spec`); this module walks the YAML tree
once against it. Matrix and joins internals belong to :mod:`param_lsp.rules.matrix` and
:mod:`param_lsp.rules.joins` (called lazily).
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any, Literal
from uuid import UUID

from param_lsp.core.context import CheckContext
from param_lsp.core.findings import Fix, Related, Severity
from param_lsp.core.model import lax_bool
from param_lsp.core.names import did_you_mean
from param_lsp.core.schema_spec import (
    COMPONENT_ONLY_216,
    IO_RESERVED_NAMES,
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
)
from param_lsp.core.template_scan import has_template
from param_lsp.core.types import closest_type, is_known_type, validate_io_value
from param_lsp.core.yaml_tree import YMap, YNode, YScalar, YSeq
from param_lsp.rules import schema_values
from param_lsp.rules.joins import check_joins_schema
from param_lsp.rules.matrix import check_matrix_schema
from param_lsp.rules.registry import plain_values, rule
from param_lsp.rules.registry import shown as shown_value

Where = Literal["file", "inline", "dag-op", "dag-component", "referenced"]
#: Where a node sits, for messages and memo keys: ``()`` at the top, else ``(parent, key)``
#: (built on every step of the walk, so appending one key must not copy the whole path).
Path = tuple[()] | tuple["Path", str | int]

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
    summary="An invalid root shortcut (`cmd`, `env`, `resources`).",
    doc="""
    Polyaxon 2.18 root shortcuts are validated eagerly: `cmd` is a non-blank string or a
    non-empty list of non-blank strings; `env` maps names to *string* values (quote numbers
    and booleans); `resources` keys are `cpu`, `memory`, `gpu` or an extended resource
    `vendor/name`, and each value is a number or a `request..limit` range.
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
# Helpers
# --------------------------------------------------------------------------------------------

NAME_RE = re.compile(r"^[-a-zA-Z0-9_]+\Z")
_CAMEL1 = re.compile(r"([A-Z]+)([A-Z][a-z])")
_CAMEL2 = re.compile(r"([a-z\d])([A-Z])")
_NUMBER = r"(\d+(\.\d*)?|\.\d+)"
_CPU_VALUE = re.compile(_NUMBER + r"[mun]?", re.ASCII)
_MEMORY_VALUE = re.compile(_NUMBER + r"([KMGTPE]i|[kMGTPE])?", re.ASCII)
_MAX_INT = 2**63
_SUFFIXES: dict[str, Decimal | int] = {
    "": 1, "m": Decimal("0.001"), "u": Decimal("0.000001"), "n": Decimal("0.000000001"),
    "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12, "P": 10**15, "E": 10**18,
    "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60,
}  # fmt: skip


def _snake(key: str) -> str:
    return _CAMEL2.sub(r"\1_\2", _CAMEL1.sub(r"\1_\2", key)).lower()


def _segments(path: Path) -> list[str | int]:
    segments: list[str | int] = []
    while path:
        path, segment = path
        segments.append(segment)
    segments.reverse()
    return segments


def _fmt_path(path: Path) -> str:
    out = ""
    for seg in _segments(path):
        if isinstance(seg, int):
            out += f"[{seg}]"
        else:
            out += f".{seg}" if out else str(seg)
    return out or "the top level"


def _where(path: Path) -> str:
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
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f"the string `{shown}`"
    return f"the {type(value).__name__} {node.text}"


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
            return f"a list of {_expected(t[1])[2:]}s"
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


def _suggest(key: object, options: tuple[str, ...] | list[str]) -> str:
    if not isinstance(key, str):
        return ""
    close = difflib.get_close_matches(key, list(options), n=1, cutoff=0.75)
    if not close:
        snake = _snake(key)
        close = [o for o in options if _snake(o) == snake and o != key]
    return f" Did you mean `{close[0]}`?" if close else ""


def _polyaxon_extra(extra: str) -> tuple[str, str]:
    """(our extra text, Polyaxon's wording) from an extra that may be `" (Polyaxon: ...)"`."""
    if extra.startswith(" (Polyaxon: ") and extra.endswith(")"):
        return "", extra[len(" (Polyaxon: ") : -1]
    return extra, ""


def _pyfmt(value: Any) -> str:
    """How Python's `str.format` prints a safe_load value (Polyaxon messages)."""
    return str(value)


# --------------------------------------------------------------------------------------------
# Walker
# --------------------------------------------------------------------------------------------


class _Walker:
    __slots__ = ("ctx", "doc_kind", "is_216")

    def __init__(self, ctx: CheckContext) -> None:
        self.ctx = ctx
        self.is_216 = ctx.settings.is_216
        #: The file's top-level `kind` (Polyaxon names it in some of its messages).
        self.doc_kind: str | None = None

    # -- reporting --
    def wrong(self, node: YNode, t: Type, path: Path, extra: str = "") -> bool:
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
        self.ctx.report(
            WRONG_TYPE.at(
                node.span,
                f"{_where(path)} must be {_expected(t)}; got {_describe(node)}.{extra}",
                polyaxon=polyaxon,
            )
        )
        return False

    def unknown(
        self,
        key: YNode,
        model_title: str,
        path: Path,
        shown: tuple[str, ...],
        related: tuple[Related, ...] = (),
    ) -> None:
        name = key.to_py() if isinstance(key, YScalar) else "?"
        guess = _suggest(name, shown).strip()
        if guess:
            fix = guess[0].lower() + guess[1:]
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
            )
        )

    def both_spellings(self, key: YNode, alias_key: YNode, alias: str, path: Path) -> None:
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

    def missing(self, owner: YNode, field: str, path: Path) -> None:
        self.ctx.report(
            MISSING_FIELD.at(
                owner.span,
                f"{_where(path)} requires the field `{field}`; add it.",
                polyaxon="Field required",
            )
        )

    # -- generic --
    def check(self, node: YNode, t: Type, path: Path, owner: YNode) -> bool:
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
                self.ctx.report(
                    INVALID_ENUM.at(
                        node.span,
                        f"{_where(path)} must be {_expected(t)}; got {_describe(node)}.",
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
        path: Path,
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
    def check_name(self, node: YScalar, path: Path) -> bool:
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


def _h_list(w: _Walker, node: YNode, t: Type, path: Path, owner: YNode) -> bool:
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


def _list_items(w: _Walker, node: YSeq, t: Type, path: Path) -> bool:
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


def _h_dict(w: _Walker, node: YNode, t: Type, path: Path, owner: YNode) -> bool:
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


def _h_anydict(w: _Walker, node: YNode, t: Type, path: Path, owner: YNode) -> bool:
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


def _h_obj(w: _Walker, node: YNode, t: Type, path: Path, owner: YNode) -> bool:
    if not isinstance(node, YMap):
        return w.wrong(node, t, path)
    return w.check_model(node, t[1], path, owner)


def _h_disc(w: _Walker, node: YNode, t: Type, path: Path, owner: YNode) -> bool:
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
        w.ctx.report(
            INVALID_ENUM.at(
                kind_node.span,
                f"`{_fmt_path((path, 'kind'))}` must be one of "
                + ", ".join(f"`{m}`" for m in members)
                + f", got {_describe(kind_node)}.",
            )
        )
        return False
    return w.check_model(node, kind, path, owner, (kind_node, members))


def _h_k8s(w: _Walker, node: YNode, t: Type, path: Path, owner: YNode) -> bool:
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
        if isinstance(key, str) and _snake(key) in known:
            continue
        shown = sorted(known)
        name = key if isinstance(key, str) else str(key)
        w.ctx.report(
            UNKNOWN_KEY.at(
                key_node.span,
                f"Unknown key `{name}` in {_where(path)} (Kubernetes {cls}); expected one of "
                + ", ".join(f"`{k}`" for k in shown)
                + f".{_suggest(_snake(name), shown)}",
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


def _h_k8slist(w: _Walker, node: YNode, t: Type, path: Path, owner: YNode) -> bool:
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


def _h_oneof(w: _Walker, node: YNode, t: Type, path: Path, owner: YNode) -> bool:
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


def _h_strlist(w: _Walker, node: YNode, t: Type, path: Path, owner: YNode) -> bool:
    if isinstance(node, YScalar) and isinstance(node.value, str):
        return True
    return _h_list(w, node, ("list", ("str",)), path, owner)


def _h_uuidlist(w: _Walker, node: YNode, t: Type, path: Path, owner: YNode) -> bool:
    """Run UUIDs: a list, or a comma-separated string that Polyaxon splits (a template is
    left as it is)."""
    if isinstance(node, YScalar) and isinstance(node.value, str):
        if has_template(node.value) or all(_is_uuid(p.strip()) for p in node.value.split(",")):
            return True
        return w.wrong(node, t, path)
    return _h_list(w, node, ("list", ("uuid",)), path, owner)


def _h_params(w: _Walker, node: YNode, t: Type, path: Path, owner: YNode) -> bool:
    if not isinstance(node, YMap):
        return w.wrong(node, t, path, " (Polyaxon: Input should be a valid dictionary)")
    memo = w.ctx.memo
    if memo is not None and len(node.pairs) > 1:
        return memo.run(
            w.ctx, node, ("schema-params", path), lambda: _param_entries(w, node, path), carry=True
        )
    return _param_entries(w, node, path)


def _param_entries(w: _Walker, node: YMap, path: Path) -> bool:
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


def _h_fullparam(w: _Walker, node: YNode, t: Type, path: Path, owner: YNode) -> bool:
    if not isinstance(node, YMap):
        return w.wrong(
            node,
            t,
            path,
            " Only operation `params` accept the short form; here write `{value: ...}`.",
        )
    return w.check_model(node, "Param", path, owner)


def _post_param(w: _Walker, node: YMap, path: Path, owner: YNode) -> bool:
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
            f"`{_pyfmt(py)}`; set `value` to what to take from the reference, e.g. "
            "`outputs.name`.",
            polyaxon=f"Value must be of type string when a ref is provided, received "
            f"`{_pyfmt(py)}` instead.",
        )
    )
    return False


_INIT_SOURCES = (
    "artifacts", "paths", "git", "dockerfile", "file", "tensorboard", "lineageRef", "lineage_ref",
    "modelRef", "model_ref", "artifactRef", "artifact_ref",
)  # fmt: skip


def _post_init(w: _Walker, node: YMap, path: Path, owner: YNode) -> bool:
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


def _io_item_crash(w: _Walker, node: YNode) -> str:
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


def _h_io(w: _Walker, node: YNode, t: Type, path: Path, owner: YNode) -> bool:
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
                    f"Input `{_pyfmt(name)}` has type `{io_type}`, which Polyaxon does not "
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
                f"`isFlag: true` needs type `bool`; input `{_pyfmt(name)}` has type "
                f"`{_pyfmt(io_type)}`; remove `isFlag` or make it a `bool`.",
                polyaxon=f"IO type `{_pyfmt(io_type)}` cannot be a flag, it must be of type `bool`",
            )
        )
        return False
    return True


def _warn_unknown_type(w: _Walker, name: Any, node: YMap, path: Path) -> None:
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
            f"{_io_kind(path)} `{_pyfmt(name)}` has type `{io_type}`, which Polyaxon does not "
            "know: any value "
            f"passed to it fails; {fix}",
        )
    )


def _io_kind(path: Path) -> str:
    """ "Input" or "Output", from the walk path `(..., "inputs"|"outputs"), index`."""
    parent = path[0] if isinstance(path, tuple) and path else ()
    section = parent[1] if isinstance(parent, tuple) and len(parent) == 2 else None
    return "Output" if section == "outputs" else "Input"


def _report_not_optional(w: _Walker, name: Any, value_entry: tuple[YNode, YNode]) -> None:
    w.ctx.report(
        IO_NOT_OPTIONAL.at(
            value_entry[0].span,
            f"Input `{_pyfmt(name)}` has a default `value` but `isOptional: false`; set "
            "`isOptional: true` or remove the default.",
            polyaxon=f"IO `{_pyfmt(name)}` is not optional and has default value "
            f"`{_pyfmt(value_entry[1].to_py())}`. Please either make it optional or remove the "
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
            f"Default `value` `{shown_value(value)}` of input `{_pyfmt(name)}` makes Polyaxon "
            f"crash: {cause}; change the value" + (" or the validation." if converts else "."),
            message,
            bool(converts),
        )
    if not message.startswith("Could not parse value"):
        message = (
            f"Could not parse value `{_pyfmt(value)}` for `{_pyfmt(name)}`, an error was "
            f"encountered: {message}"
        )
    problem = getattr(result, "problem", "")
    expected = f"a list of `{io_type}`" if is_list else f"type `{io_type}`"
    if problem == "validation":
        detail = plain_values(str(getattr(result, "detail", "")).removeprefix("Value "))
        ours = f"Default `value` of input `{_pyfmt(name)}` fails its validation: {detail}."
    else:
        ours = (
            f"Default `value` of input `{_pyfmt(name)}` must be {expected}; got "
            f"`{shown_value(value)}`."
        )
    return ours, message, problem == "validation"


def _h_run(w: _Walker, node: YNode, t: Type, path: Path, owner: YNode) -> bool:
    if not isinstance(node, YMap):
        return w.wrong(node, t, path, " (Polyaxon: Input should be a valid dictionary)")
    kind_entry = node.entry("kind")
    if kind_entry is None:
        return True  # a partial run (Dict), checked against the referenced base at compile time
    kind = kind_entry[1].to_py()
    if not isinstance(kind, str) or kind not in RUN_KINDS:
        w.ctx.report(
            UNKNOWN_RUN_KIND.at(
                kind_entry[1].span,
                f"`run.kind` must be a Polyaxon runtime; got `{shown_value(kind)}`; "
                + (
                    _suggest(kind, RUN_KINDS).strip().replace("Did", "did", 1)
                    or "use one of " + ", ".join(f"`{k}`" for k in RUN_KINDS) + "."
                ),
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


def _h_cmd(w: _Walker, node: YNode, t: Type, path: Path, owner: YNode) -> bool:
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


def _h_env(w: _Walker, node: YNode, t: Type, path: Path, owner: YNode) -> bool:
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


def _h_resources(w: _Walker, node: YNode, t: Type, path: Path, owner: YNode) -> bool:
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


def _h_poly(w: _Walker, node: YNode, t: Type, path: Path, owner: YNode) -> bool:
    if not isinstance(node, YMap):
        return w.wrong(node, t, path)
    return not _check_document(w, node, t[1], path)


def _h_matrix(w: _Walker, node: YNode, t: Type, path: Path, owner: YNode) -> bool:
    return bool(check_matrix_schema(node, w.ctx))


def _h_image(w: _Walker, node: YNode, t: Type, path: Path, owner: YNode) -> bool:
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


def _h_joins(w: _Walker, node: YNode, t: Type, path: Path, owner: YNode) -> bool:
    return bool(check_joins_schema(node, w.ctx))


#: model → its required fields, as (field name, key shown in messages).
_REQUIRED: dict[str, tuple[tuple[str, str], ...]] = {
    model: tuple(
        (name, alias or name) for name, (alias, _t, required) in fields.items() if required
    )
    for model, fields in MODELS.items()
}

_Handler = Callable[[_Walker, YNode, Type, Path, YNode], bool]
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
    "io": _h_io,
    "run": _h_run,
    "cmd": _h_cmd,
    "env": _h_env,
    "resources": _h_resources,
    "poly": _h_poly,
    "matrix": _h_matrix,
    "joins": _h_joins,
    "image": _h_image,
}
_POST: dict[str, Callable[[_Walker, YMap, Path, YNode], bool]] = {
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


def _check_document(w: _Walker, root: YMap, where: Where, path: Path) -> set[str]:
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
            w.unknown(key_node, title, path, SHOWN_KEYS["Polyaxonfile"])
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


def _check_references(w: _Walker, root: YMap, path: Path, invalid: set[str], kind: object) -> None:
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
    return _check_document(_Walker(ctx), root, where, ())


def check_object(node: YMap, model: str, ctx: CheckContext, path: tuple[str, ...]) -> bool:
    """Check ``node`` as the model ``model`` found at ``path`` (keys from the top).

    Returns True when it is valid."""
    walk_path: Path = ()
    for key in path:
        walk_path = (walk_path, key)
    return _Walker(ctx).check_model(node, model, walk_path, node)
