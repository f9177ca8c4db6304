"""Family "matrix": the schema of an operation's `matrix` section and its inputs (spec §11).

:func:`check_matrix_schema` reproduces the pydantic validation of the matrix (discriminator
`kind`, each kind's fields with camelCase/snake_case aliases, templates where Polyaxon accepts
them, nested `metric`/`resource`/`utilityFunction`/`tuner`/`earlyStopping`, every
hyper-parameter kind with its value forms and validators, and the grid/bayes restrictions).
Which inputs a matrix satisfies (§11.3) is :mod:`param_lsp.rules.matrix_inputs`. The section
is walked once; all specs are precomputed tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from param_lsp.core.context import CheckContext
from param_lsp.core.findings import Severity
from param_lsp.core.names import closest_word, replacement_fix
from param_lsp.core.span import Span
from param_lsp.core.yaml_tree import YMap, YNode, YScalar, YSeq
from param_lsp.rules.joins import (
    LEAVES,
    Check,
    Field,
    RuleSet,
    Walker,
    any_value,
    check_full_form_params,
    enum_leaf,
    field_lookup,
    is_null,
    is_template,
    leaf,
    leaf_value,
    shaped,
    show,
)
from param_lsp.rules.registry import rule

_FAMILY = "matrix"
_OP = """
component:
  run: {kind: job, container: {image: python}}
"""


def _matrix_rule(code: str, name: str, summary: str, doc: str, bad: str, good: str) -> Any:
    return rule(
        code,
        name,
        family=_FAMILY,
        severity=Severity.ERROR,
        polyaxon_rejects=True,
        summary=summary,
        doc=doc,
        bad=bad,
        good=good,
    )


MATRIX_NOT_MAPPING = _matrix_rule(
    "PLX700",
    "matrix-not-a-mapping",
    "`matrix` must be a mapping with a `kind`.",
    """
    The `matrix` section is one of the matrix models, selected by `kind`. A list, a scalar or a
    `{{ }}` template string is rejected (`Input should be a valid dictionary or object to
    extract fields from`); `matrix: null` means no matrix.
    """,
    'matrix: "{{ search }}"',
    "matrix:\n  kind: grid\n  params:\n    lr: {kind: choice, value: [0.1, 0.01]}",
)

MATRIX_KIND = _matrix_rule(
    "PLX701",
    "matrix-invalid-kind",
    "The matrix `kind` is missing or not a known matrix kind.",
    """
    `kind` selects the matrix model: `grid`, `random`, `mapping`, `hyperband`, `bayes`,
    `tpe` and `iterative` in Polyaxon 2.18 (`hyperopt` instead of `tpe` in 2.16). It is
    case-sensitive. Polyaxon 2.18 removed `hyperopt`: use `kind: tpe` (without `algorithm`).
    """,
    "matrix:\n  kind: hyperopt\n  metric: {name: loss}\n  params:\n"
    "    lr: {kind: uniform, value: [0, 1]}",
    "matrix:\n  kind: tpe\n  metric: {name: loss}\n  params:\n"
    "    lr: {kind: uniform, value: [0, 1]}",
)

MATRIX_UNKNOWN_FIELD = _matrix_rule(
    "PLX702",
    "matrix-unknown-field",
    "A key that the matrix model (or one of its parts) does not define.",
    """
    Every matrix model forbids extra keys: a misspelt field, a field of another matrix kind,
    `ref` in a hyper-parameter (matrix params take no refs), an unknown key in a range mapping,
    or the snake_case spelling given together with the camelCase one. Polyaxon: `Extra inputs
    are not permitted`.
    """,
    "matrix:\n  kind: random\n  numRuns: 5\n  params:\n"
    "    lr: {kind: choice, value: [0.1, 0.01], ref: ops.tune}",
    "matrix:\n  kind: random\n  numRuns: 5\n  params:\n    lr: {kind: choice, value: [0.1, 0.01]}",
)

MATRIX_MISSING_FIELD = _matrix_rule(
    "PLX703",
    "matrix-missing-field",
    "A field required by the matrix kind (or by one of its parts) is missing.",
    """
    Required fields: `grid` → `params`; `random` → `params`, `numRuns`; `mapping` → `values`;
    `bayes` → `numInitialRuns`, `maxIterations`, `metric`, `params`; `tpe` → `metric`,
    `params`; `iterative` → `maxIterations`. Nested: `metric.name`, `resource.name`,
    `tuner.hubRef`, early stopping fields, and `value` of `choice`/`datetimerange`
    hyper-parameters. Polyaxon: `Field required`.
    """,
    "matrix:\n  kind: random\n  params:\n    lr: {kind: choice, value: [0.1, 0.01]}",
    "matrix:\n  kind: random\n  numRuns: 5\n  params:\n    lr: {kind: choice, value: [0.1, 0.01]}",
)

MATRIX_INVALID_VALUE = _matrix_rule(
    "PLX704",
    "matrix-invalid-value",
    "A matrix field has a value of the wrong type or out of range.",
    """
    Counts such as `numRuns`, `concurrency`, `maxIterations` and `numInitialRuns` are positive
    integers (0 is rejected) or `{{ }}` templates where Polyaxon allows them; `seed` is a strict
    integer; enums (`optimization`, `resource.type`, `acquisitionFunction`, `kernel`) are
    lowercase; `mapping.values` is a list of mappings; `grid` and `bayes` need a non-empty
    `params` mapping.
    """,
    "matrix:\n  kind: random\n  numRuns: 0\n  params:\n    lr: {kind: choice, value: [0.1, 0.01]}",
    "matrix:\n  kind: random\n  numRuns: 5\n  params:\n    lr: {kind: choice, value: [0.1, 0.01]}",
)

MATRIX_CRASH = _matrix_rule(
    "PLX705",
    "matrix-polyaxon-crash",
    "A matrix value that makes Polyaxon crash instead of validating.",
    """
    Some matrix validators compare values with `v < 1` before converting them, so a string (a
    `{{ }}` template included), a date or a list in `numRuns`/`concurrency` (grid, random, tpe),
    `maxIterations`/`concurrency` (iterative) or a templated `mapping.concurrency` raises
    `TypeError: '<' not supported between instances of 'str' and 'int'`. A templated `params`
    string on `grid`/`bayes` raises `AttributeError: 'str' object has no attribute 'items'`.
    Write the literal value instead.
    """,
    'matrix:\n  kind: grid\n  numRuns: "{{ runs }}"\n  params:\n'
    "    lr: {kind: choice, value: [0.1, 0.01]}",
    "matrix:\n  kind: grid\n  numRuns: 4\n  params:\n    lr: {kind: choice, value: [0.1, 0.01]}",
)

MATRIX_UTILITY = _matrix_rule(
    "PLX706",
    "matrix-acquisition-parameter",
    "The bayes acquisition function lacks its parameter (`kappa` for ucb, `eps` for ei/poi).",
    """
    `utilityFunction.acquisitionFunction` defaults to `ucb`, which requires `kappa`; `ei` and
    `poi` require `eps`. Polyaxon: "the acquisition function `ucb` requires a parameter
    `kappa`".
    """,
    "matrix:\n  kind: bayes\n  numInitialRuns: 5\n  maxIterations: 10\n  metric: {name: loss}\n"
    "  utilityFunction: {acquisitionFunction: ei}\n  params:\n"
    "    lr: {kind: uniform, value: [0, 1]}",
    "matrix:\n  kind: bayes\n  numInitialRuns: 5\n  maxIterations: 10\n  metric: {name: loss}\n"
    "  utilityFunction: {acquisitionFunction: ei, eps: 0.1}\n  params:\n"
    "    lr: {kind: uniform, value: [0, 1]}",
)

HP_KIND = _matrix_rule(
    "PLX710",
    "hp-invalid-kind",
    "A matrix hyper-parameter is not a mapping or has no valid `kind`.",
    """
    Each entry of `matrix.params` is `{kind, value}` where `kind` is one of `choice`,
    `pchoice`, `range`, `daterange`, `datetimerange`, `linspace`, `logspace`, `geomspace`,
    `uniform`, `quniform`, `loguniform`, `qloguniform`, `normal`, `qnormal`, `lognormal`,
    `qlognormal`. A plain value or list is not accepted.
    """,
    "matrix:\n  kind: grid\n  params:\n    lr: [0.1, 0.01]",
    "matrix:\n  kind: grid\n  params:\n    lr: {kind: choice, value: [0.1, 0.01]}",
)

HP_VALUE = _matrix_rule(
    "PLX711",
    "hp-invalid-value",
    "A hyper-parameter `value` does not have a form its kind accepts.",
    """
    `choice` takes a list; `pchoice` a list of `[value, probability]` pairs whose probability
    is a float in [0, 1) (YAML `0` and `1` are integers and fail); ranges, spaces and
    distributions take a list `[a, b, c]`, a mapping with the named fields, or an `"a:b:c"`
    string (`daterange`/`datetimerange` have no string form), with numbers in the right places
    and enough elements. Any value may be a `{{ }}` template.
    """,
    "matrix:\n  kind: grid\n  params:\n    lr: {kind: range, value: [0, 10]}",
    "matrix:\n  kind: grid\n  params:\n    lr: {kind: range, value: [0, 10, 2]}",
)

HP_ORDER = _matrix_rule(
    "PLX712",
    "hp-range-order",
    "A range or space whose stop is not strictly greater than its start.",
    """
    `range`, `daterange`, `datetimerange`, `linspace`, `logspace` and `geomspace` require
    `stop > start`: "stop value must be strictly higher that start value".
    """,
    "matrix:\n  kind: grid\n  params:\n    epochs: {kind: range, value: [10, 1, 1]}",
    "matrix:\n  kind: grid\n  params:\n    epochs: {kind: range, value: [1, 10, 1]}",
)

HP_ZERO = _matrix_rule(
    "PLX713",
    "hp-zero-step",
    "A range `step`, space `num` or quantized `q` is zero.",
    """
    The third element of ranges (`step`), spaces (`num`) and quantized distributions (`q`)
    must not be zero: "step must be > 0, received 0" (a negative value passes).
    """,
    "matrix:\n  kind: grid\n  params:\n    lr: {kind: linspace, value: [0, 1, 0]}",
    "matrix:\n  kind: grid\n  params:\n    lr: {kind: linspace, value: [0, 1, 5]}",
)

HP_PCHOICE_SUM = _matrix_rule(
    "PLX714",
    "hp-pchoice-sum",
    "The probabilities of a `pchoice` add up to more than 1.",
    'Polyaxon: "The distribution of different outcomes should sum to 1."',
    "matrix:\n  kind: random\n  numRuns: 5\n  params:\n"
    "    opt: {kind: pchoice, value: [[adam, 0.6], [sgd, 0.6]]}",
    "matrix:\n  kind: random\n  numRuns: 5\n  params:\n"
    "    opt: {kind: pchoice, value: [[adam, 0.6], [sgd, 0.4]]}",
)

GRID_DISTRIBUTION = _matrix_rule(
    "PLX720",
    "grid-distribution",
    "A grid search hyper-parameter uses a distribution.",
    """
    Grid search enumerates values, so `pchoice` and the continuous distributions (`uniform`,
    `quniform`, `loguniform`, `qloguniform`, `normal`, `qnormal`, `lognormal`, `qlognormal`)
    are rejected: "`{key}` defines a distribution, and it cannot be used with grid search."
    """,
    "matrix:\n  kind: grid\n  params:\n    lr: {kind: uniform, value: [0, 1]}",
    "matrix:\n  kind: grid\n  params:\n    lr: {kind: linspace, value: [0, 1, 5]}",
)

BAYES_NON_UNIFORM = _matrix_rule(
    "PLX721",
    "bayes-non-uniform-distribution",
    "A bayes hyper-parameter uses a distribution other than `uniform`.",
    """
    Bayesian optimization accepts only `uniform` among the distributions: "`{key}` defines a
    non uniform distribution, and it cannot be used with bayesian optimization."
    """,
    "matrix:\n  kind: bayes\n  numInitialRuns: 5\n  maxIterations: 10\n  metric: {name: loss}\n"
    "  utilityFunction: {kappa: 1.5}\n  params:\n    lr: {kind: normal, value: [0, 1]}",
    "matrix:\n  kind: bayes\n  numInitialRuns: 5\n  maxIterations: 10\n  metric: {name: loss}\n"
    "  utilityFunction: {kappa: 1.5}\n  params:\n    lr: {kind: uniform, value: [0, 1]}",
)

HP_INPUT_TYPE = _matrix_rule(
    "PLX730",
    "matrix-input-type-mismatch",
    "A matrix hyper-parameter feeds an input whose type does not fit the hyper-parameter kind.",
    """
    For an input with no param, a matrix param of the same name supplies the values. Numeric
    kinds (ranges, spaces, distributions) require the input `type` to be exactly `int` or
    `float`, `daterange` requires `date` and `datetimerange` requires `datetime`; `choice` and
    `pchoice` accept any input. Polyaxon: "Param `lr` has a an input type `str` and it does not
    correspond to hyper-param type `int or float`."
    """,
    "matrix:\n  kind: random\n  numRuns: 5\n  params:\n    lr: {kind: uniform, value: [0, 1]}\n"
    "component:\n  inputs: [{name: lr, type: str}]\n  run: {kind: job, container: {image: x}}",
    "matrix:\n  kind: random\n  numRuns: 5\n  params:\n    lr: {kind: uniform, value: [0, 1]}\n"
    "component:\n  inputs: [{name: lr, type: float}]\n  run: {kind: job, container: {image: x}}",
)

MATRIX_INPUT_CRASH = _matrix_rule(
    "PLX731",
    "matrix-input-crash",
    "Looking an input up in this matrix makes Polyaxon crash.",
    """
    For every input without a param Polyaxon asks the matrix whether it provides the value. A
    `hyperband` matrix without `resource` (input not in `params`) crashes with `'NoneType'
    object has no attribute 'name'`; `hyperband`/`iterative` without `params` crash with
    `argument of type 'NoneType' is not iterable`; a templated `params` string whose text
    contains the input name crashes with `string indices must be integers`.
    """,
    "matrix:\n  kind: iterative\n  maxIterations: 5\n"
    "component:\n  inputs: [{name: lr, type: float}]\n  run: {kind: job, container: {image: x}}",
    "matrix:\n  kind: iterative\n  maxIterations: 5\n  params:\n"
    "    lr: {kind: uniform, value: [0, 1]}\n"
    "component:\n  inputs: [{name: lr, type: float}]\n  run: {kind: job, container: {image: x}}",
)

_RULES = RuleSet(
    unknown=MATRIX_UNKNOWN_FIELD,
    missing=MATRIX_MISSING_FIELD,
    invalid=MATRIX_INVALID_VALUE,
    short_form=MATRIX_INVALID_VALUE,
    ref_value=MATRIX_INVALID_VALUE,
)


class _MatrixWalker(Walker):
    def crash(self, node: YNode, path: str, error: str) -> None:
        self.report(
            MATRIX_CRASH,
            node.span,
            f"`{path}` must be a literal positive integer; got {show(node)}, on which Polyaxon "
            "crashes.",
            polyaxon=error,
        )


# ---------------------------------------------------------------------------------------------
# Hyper-parameter kinds (§11.2)
# ---------------------------------------------------------------------------------------------

_ALL_FORMS = frozenset({"mapping", "list", "string"})
_NO_STRING = frozenset({"mapping", "list"})


@dataclass(frozen=True, slots=True)
class HpKind:
    """One hyper-parameter kind: its value fields (in order) and validators."""

    name: str
    keys: tuple[str, ...] = ()
    leaves: tuple[str, ...] = ()
    required: int = 0
    forms: frozenset[str] = _ALL_FORMS
    check_order: bool = False
    value_required: bool = False
    distribution: bool = False
    uniform: bool = False
    #: what the input type must be (§11.3): "number", "date", "datetime" or None (any).
    io: str | None = "number"

    @property
    def shape(self) -> str:
        names = list(self.keys[: self.required])
        optional = self.keys[self.required :]
        text = ", ".join(names)
        if optional:
            text += "".join(f"[, {name}]" for name in optional)
        return f"[{text}]"


def _space(name: str, *, logspace: bool = False) -> HpKind:
    keys = ("start", "stop", "num", "base") if logspace else ("start", "stop", "num")
    leaves = ("float", "float", "int", "int") if logspace else ("float", "float", "int")
    return HpKind(name, keys, leaves, 3, check_order=True)


def _dist(name: str, *, q: bool, loc: bool, uniform: bool = False) -> HpKind:
    first = ("loc", "scale") if loc else ("low", "high")
    keys = (*first, "q", "size") if q else (*first, "size")
    leaves = ("float", "float", "int_or_float", "int") if q else ("float", "float", "int")
    return HpKind(name, keys, leaves, 3 if q else 2, distribution=True, uniform=uniform)


HP_KINDS: dict[str, HpKind] = {
    kind.name: kind
    for kind in (
        HpKind("choice", value_required=True, io=None),
        HpKind("pchoice", distribution=True, io=None),
        HpKind(
            "range", ("start", "stop", "step"), ("float", "float", "int_or_float"), 3,
            check_order=True,
        ),
        HpKind(
            "daterange", ("start", "stop", "step"), ("date", "date", "int"), 3, _NO_STRING,
            check_order=True, io="date",
        ),
        HpKind(
            "datetimerange", ("start", "stop", "step"), ("datetime", "datetime", "timedelta"),
            3, _NO_STRING, check_order=True, value_required=True, io="datetime",
        ),
        _space("linspace"),
        _space("logspace", logspace=True),
        _space("geomspace"),
        _dist("uniform", q=False, loc=False, uniform=True),
        _dist("quniform", q=True, loc=False),
        _dist("loguniform", q=False, loc=False),
        _dist("qloguniform", q=True, loc=False),
        _dist("normal", q=False, loc=True),
        _dist("qnormal", q=True, loc=True),
        _dist("lognormal", q=False, loc=True),
        _dist("qlognormal", q=True, loc=True),
    )
}  # fmt: skip

_HP_KIND_NAMES = ", ".join(f"`{name}`" for name in HP_KINDS)


def hp_kind_of(node: YNode) -> HpKind | None:
    if not isinstance(node, YMap):
        return None
    kind = node.get("kind")
    if isinstance(kind, YScalar) and isinstance(kind.value, str):
        return HP_KINDS.get(kind.value)
    return None


def _check_hp(w: Walker, name: str, key_node: YNode, node: YNode, path: str) -> HpKind | None:
    """One `matrix.params.<name>` entry; returns its kind when the entry is valid."""
    if not isinstance(node, YMap):
        w.report(
            HP_KIND,
            node.span,
            f"Matrix param `{name}` must be a mapping `{{kind: ..., value: ...}}`; got "
            f"{show(node)}.",
        )
        return None
    kind_node = node.get("kind")
    if kind_node is None:
        w.report(
            HP_KIND,
            key_node.span,
            f"Matrix param `{name}` has no `kind`; add one such as `kind: choice`.",
        )
        return None
    hp = hp_kind_of(node)
    if hp is None:
        guess = closest_word(kind_node.to_py(), tuple(HP_KINDS))
        w.report(
            HP_KIND,
            kind_node.span,
            f"Matrix param `{name}` has an unknown kind {show(kind_node)}; "
            + (f"did you mean `{guess[0]}`?" if guess else f"expected one of {_HP_KIND_NAMES}."),
            fixes=replacement_fix(kind_node, guess),
        )
        return None
    ok = True
    for key, (k_node, _v) in node.items():
        if key in ("kind", "value"):
            continue
        ok = False
        if key == "ref":
            message = (
                f"Matrix param `{name}` cannot have a `ref`: matrix params only take `kind` "
                "and `value`."
            )
        else:
            message = (
                f"Unknown key {show(k_node)} in matrix param `{name}`; only `kind` and "
                "`value` are allowed."
            )
        w.report(MATRIX_UNKNOWN_FIELD, k_node.span, message, key=str(key))
    value = node.get("value")
    if value is None:
        if hp.value_required:
            w.report(
                MATRIX_MISSING_FIELD,
                key_node.span,
                f"`value` is required for the `{hp.name}` matrix param `{name}`; add it.",
                field="value",
            )
            return None
        return hp if ok else None
    if is_null(value) or (isinstance(value, YScalar) and is_template(value.value)):
        return hp if ok else None
    if hp.name == "choice":
        valid = _check_choice(w, name, value)
    elif hp.name == "pchoice":
        valid = _check_pchoice(w, name, value)
    else:
        valid = _check_range(w, hp, name, value, path)
    return hp if ok and valid else None


def _check_choice(w: Walker, name: str, value: YNode) -> bool:
    if isinstance(value, YSeq):
        return True
    w.report(
        HP_VALUE,
        value.span,
        f"The `choice` matrix param `{name}` needs a list of values (or a `{{{{ }}}}` "
        f"template); got {show(value)}.",
    )
    return False


def _check_pchoice(w: Walker, name: str, value: YNode) -> bool:
    if not isinstance(value, YSeq):
        w.report(
            HP_VALUE,
            value.span,
            f"The `pchoice` matrix param `{name}` needs a list of `[value, probability]` "
            f"pairs; got {show(value)}.",
        )
        return False
    ok = True
    probabilities: list[float] = []
    for item in value.items:
        p = item.items[1].to_py() if isinstance(item, YSeq) and len(item) == 2 else None
        if isinstance(p, float) and 0 <= p < 1:
            probabilities.append(p)
            continue
        ok = False
        if isinstance(item, YSeq) and len(item) == 2:
            reason = f"its probability {show(item.items[1])} is not a float in [0, 1)" + (
                " (write `0.0`/`1.0`-style floats, not integers)" if type(p) is int else ""
            )
            span = item.items[1].span
        else:
            reason = "it is not a `[value, probability]` pair"
            span = item.span
        w.report(
            HP_VALUE,
            span,
            f"Invalid entry in the `pchoice` matrix param `{name}`: {reason}.",
        )
    if ok and probabilities and sum(p for p in probabilities if p) > 1:
        w.report(
            HP_PCHOICE_SUM,
            value.span,
            f"The probabilities of the `pchoice` matrix param `{name}` sum to "
            f"{sum(p for p in probabilities if p):g}, more than 1.",
        )
        return False
    return ok


_FORM_TEXT = {
    _ALL_FORMS: "a list {shape}, a mapping, a `a:b:c` string or a `{{{{ }}}}` template",
    _NO_STRING: "a list {shape}, a mapping or a `{{{{ }}}}` template",
}


def _check_range(w: Walker, hp: HpKind, name: str, value: YNode, path: str) -> bool:
    """Ranges, spaces and distributions: mapping / list / "a:b:c" string forms."""
    entries: list[tuple[str, Any, YNode]] = []  # (key, raw value, node for messages)
    label = f"The `{hp.name}` matrix param `{name}`"
    forms = _FORM_TEXT[hp.forms].format(shape=hp.shape)
    if isinstance(value, YMap):
        ok = True
        for key, (k_node, v_node) in value.items():
            if key not in hp.keys:
                ok = False
                allowed = ", ".join(f"`{k}`" for k in hp.keys)
                w.report(
                    MATRIX_UNKNOWN_FIELD,
                    k_node.span,
                    f"Unknown key {show(k_node)} in the value of `{hp.name}` matrix param "
                    f"`{name}`; expected {allowed}.",
                    key=str(key),
                )
                continue
            entries.append((str(key), v_node.to_py(), v_node))
        missing = [k for k in hp.keys[: hp.required] if k not in value.index]
        if missing:
            w.report(
                HP_VALUE,
                value.span,
                f"{label} is missing {', '.join(f'`{k}`' for k in missing)}.",
            )
            return False
        if not ok:
            return False
    elif isinstance(value, YSeq):
        if not value.items:
            w.report(HP_VALUE, value.span, f"{label} needs {hp.shape}; got an empty list.")
            return False
        entries = [(k, item.to_py(), item) for k, item in zip(hp.keys, value.items, strict=False)]
    elif isinstance(value, YScalar) and isinstance(value.value, str) and "string" in hp.forms:
        if ":" not in value.value:
            w.report(
                HP_VALUE,
                value.span,
                f"{label} must be {forms}; the string {show(value)} has no `:` separators.",
            )
            return False
        parts = value.value.split(":")
        entries = [(k, part, value) for k, part in zip(hp.keys, parts, strict=False)]
    else:
        w.report(HP_VALUE, value.span, f"{label} must be {forms}; got {show(value)}.")
        return False
    if len(entries) < hp.required:
        w.report(
            HP_VALUE,
            value.span,
            f"{label} needs {hp.shape}: {hp.required} elements at least, got {len(entries)}.",
        )
        return False
    return _check_range_values(w, hp, label, entries)


def _check_range_values(
    w: Walker, hp: HpKind, label: str, entries: list[tuple[str, Any, YNode]]
) -> bool:
    ok = True
    converted: dict[str, Any] = {}
    for key, raw, node in entries:
        index = hp.keys.index(key)
        if raw is None and index >= hp.required:
            continue
        valid, result = leaf_value(hp.leaves[index], raw)
        if not valid:
            ok = False
            shown = show(node) if node.to_py() is raw else f"`{raw}`"
            w.report(
                HP_VALUE,
                node.span,
                f"{label}: `{key}` must be {LEAVES[hp.leaves[index]]}; got {shown}.",
            )
            continue
        converted[key] = result
    if not ok:
        return False
    values = [converted[k] for k in hp.keys if converted.get(k) is not None]
    nodes = {key: node for key, _raw, node in entries}
    first, second = hp.keys[0], hp.keys[1]
    if hp.check_order:
        try:
            reversed_order = values[0] >= values[1]
        except TypeError:
            w.report(
                HP_VALUE,
                nodes[second].span,
                f"{label}: `{first}` and `{second}` cannot be compared (mixing timezone-aware "
                "and naive datetimes makes Polyaxon crash).",
            )
            return False
        if reversed_order:
            w.report(
                HP_ORDER,
                nodes[second].span,
                f"{label}: `{second}` ({values[1]}) must be strictly greater than `{first}` "
                f"({values[0]}); swap them.",
            )
            ok = False
    if hp.required == 3 and not values[2]:
        third = hp.keys[2]
        w.report(HP_ZERO, nodes[third].span, f"{label}: `{third}` must not be zero.")
        ok = False
    return ok


# ---------------------------------------------------------------------------------------------
# Matrix models (§11.1)
# ---------------------------------------------------------------------------------------------


def _model(fields: tuple[Field, ...], what: str) -> Check:
    lookup = field_lookup(fields)

    def check(w: Walker, node: YNode, path: str) -> bool:
        anchor = w.current_key or node.span
        return w.model(node, fields, path, anchor, what=what, lookup=lookup)

    return shaped(check, "model", fields, what)


def _or_template(check: Check) -> Check:
    def wrapped(w: Walker, node: YNode, path: str) -> bool:
        if isinstance(node, YScalar) and is_template(node.value):
            return True
        return check(w, node, path)

    return shaped(wrapped, "same", check)


def _discriminated(models: dict[str, Check], what: str) -> Check:
    names = ", ".join(f"`{name}`" for name in models)

    def check(w: Walker, node: YNode, path: str) -> bool:
        if not isinstance(node, YMap):
            return w.invalid(node, path, f"a mapping ({what})")
        kind = node.get("kind")
        if kind is None:
            w.report(
                MATRIX_MISSING_FIELD,
                w.current_key or node.span,
                f"`{path}` needs a `kind` ({names}).",
                field="kind",
            )
            return False
        value = kind.to_py()
        sub = models.get(value) if isinstance(value, str) else None
        if sub is None:
            w.report(
                MATRIX_INVALID_VALUE,
                kind.span,
                f"Unknown kind {show(kind)} for `{path}`; expected one of {names}.",
            )
            return False
        return sub(w, node, path)

    return shaped(check, "disc", models, what)


def _list_of(item_check: Check, what: str) -> Check:
    def check(w: Walker, node: YNode, path: str) -> bool:
        if not isinstance(node, YSeq):
            return w.invalid(node, path, f"a list ({what}) or a `{{{{ }}}}` template")
        ok = True
        for index, item in enumerate(node.items):
            w.current_key = item.span
            if not item_check(w, item, f"{path}[{index}]"):
                ok = False
        return ok

    return shaped(check, "list", item_check)


def _str_list(w: Walker, node: YNode, path: str) -> bool:
    if not isinstance(node, YSeq):
        return w.invalid(node, path, "a list of strings or a `{{ }}` template")
    ok = True
    for index, item in enumerate(node.items):
        if not w.leaf(item, f"{path}[{index}]", "str"):
            ok = False
    return ok


def _mapping_values(w: Walker, node: YNode, path: str) -> bool:
    if not isinstance(node, YSeq):
        return w.invalid(node, path, "a list of mappings (one per run) or a `{{ }}` template")
    ok = True
    for index, item in enumerate(node.items):
        if not isinstance(item, YMap):
            ok = False
            w.invalid(item, f"{path}[{index}]", "a mapping of param values")
    return ok


def _tuner_params(w: Walker, node: YNode, path: str) -> bool:
    return check_full_form_params(w, node, path, what="tuner params")


shaped(_tuner_params, "params")


_OPTIMIZATION = enum_leaf("optimization", ("maximize", "minimize"))
_RESOURCE_TYPE = enum_leaf("resource_type", ("int", "float"))
_ACQUISITION = enum_leaf("acquisition", ("ucb", "ei", "poi"))
_KERNEL = enum_leaf("kernel", ("rbf", "matern"))
_ALGORITHM = enum_leaf("hyperopt_algorithm", ("tpe", "rand", "anneal"))

_METRIC = _model(
    (
        Field("name", leaf("str"), required=True, nullable=False),
        Field("optimization", leaf(_OPTIMIZATION)),
    ),
    "an optimization metric",
)
_RESOURCE = _model(
    (
        Field("name", leaf("str"), required=True, nullable=False),
        Field("type", leaf(_RESOURCE_TYPE)),
    ),
    "an optimization resource",
)
_GAUSSIAN = _model(
    (
        Field("kernel", leaf(_KERNEL)),
        Field("lengthScale", leaf("float"), snake="length_scale"),
        Field("nu", leaf("float")),
        Field("numRestartsOptimizer", leaf("int"), snake="num_restarts_optimizer"),
    ),
    "a gaussian process",
)
_UTILITY_FIELDS = (
    Field("acquisitionFunction", leaf(_ACQUISITION), snake="acquisition_function"),
    Field("gaussianProcess", _GAUSSIAN, snake="gaussian_process"),
    Field("kappa", leaf("float")),
    Field("eps", leaf("float")),
    Field("numWarmup", leaf("int"), snake="num_warmup"),
    Field("numIterations", leaf("int"), snake="num_iterations"),
)
_UTILITY_LOOKUP = field_lookup(_UTILITY_FIELDS)


def _utility(w: Walker, node: YNode, path: str) -> bool:
    anchor = w.current_key or node.span
    what = "a utility function"
    if not w.model(node, _UTILITY_FIELDS, path, anchor, what=what, lookup=_UTILITY_LOOKUP):
        return False
    assert isinstance(node, YMap)

    def given(*keys: str) -> Any:
        for key in keys:
            if key in node.index:
                return node.index[key][1].to_py()
        return None

    has_acquisition = "acquisitionFunction" in node or "acquisition_function" in node
    function = given("acquisitionFunction", "acquisition_function") if has_acquisition else "ucb"
    needed = "kappa" if function == "ucb" else "eps" if function in ("ei", "poi") else None
    if needed is not None and given(needed) is None:
        w.report(
            MATRIX_UTILITY,
            anchor,
            f"The acquisition function `{function}`"
            + (" (the default)" if not has_acquisition else "")
            + f" requires `{path}.{needed}`.",
            field=needed,
        )
        return False
    return True


shaped(_utility, "model", _UTILITY_FIELDS, "a utility function")


_TUNER_FIELDS = (
    Field("hubRef", leaf("str"), snake="hub_ref", required=True, nullable=False),
    Field("presets", _or_template(_str_list)),
    Field("queue", leaf("str")),
    Field("namespace", leaf("str")),
    Field("params", _tuner_params),
)
_TUNER = _model(_TUNER_FIELDS, "a tuner")

_INT_OR_REF = leaf("strict_int", ref=True)
_FLOAT_OR_REF = leaf("float", ref=True)
_POLICY_COMMON = (
    Field("minInterval", _INT_OR_REF, snake="min_interval"),
    Field("minSamples", _INT_OR_REF, snake="min_samples"),
)
_KIND = Field("kind", any_value)
_POLICY = _discriminated(
    {
        "median": _model(
            (
                _KIND,
                Field("evaluationInterval", _INT_OR_REF, snake="evaluation_interval",
                      nullable=False),
                *_POLICY_COMMON,
            ),
            "a median stopping policy",
        ),
        "truncation": _model(
            (
                _KIND,
                Field("percent", _FLOAT_OR_REF, required=True, nullable=False),
                Field("evaluationInterval", _INT_OR_REF, snake="evaluation_interval",
                      required=True, nullable=False),
                *_POLICY_COMMON,
                Field("includeSucceeded", leaf("bool", ref=True), snake="include_succeeded"),
            ),
            "a truncation stopping policy",
        ),
        "diff": _model(
            (
                _KIND,
                Field("percent", _FLOAT_OR_REF, required=True, nullable=False),
                Field("evaluationInterval", _INT_OR_REF, snake="evaluation_interval",
                      required=True, nullable=False),
                *_POLICY_COMMON,
            ),
            "a diff stopping policy",
        ),
    },
    "an early stopping policy",
)  # fmt: skip
_EARLY_STOPPING = _or_template(
    _list_of(
        _discriminated(
            {
                "metric_early_stopping": _model(
                    (
                        _KIND,
                        Field("metric", leaf("str"), required=True, nullable=False),
                        Field("value", _FLOAT_OR_REF, required=True, nullable=False),
                        Field("optimization", leaf("float_or_optimization"), required=True,
                              nullable=False),
                        Field("policy", _POLICY),
                    ),
                    "a metric early stopping",
                ),
                "failure_early_stopping": _model(
                    (_KIND, Field("percent", _FLOAT_OR_REF, required=True, nullable=False)),
                    "a failure early stopping",
                ),
            },
            "an early stopping",
        ),
        "early stopping policies",
    )
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class _ParamsMode:
    template_crashes: bool  # grid/bayes: a templated string crashes (`.items()`)
    empty_invalid: bool  # grid/bayes: `{}` becomes None and fails the re-validation
    restriction: str | None  # "grid" / "bayes"


def _params_field(mode: _ParamsMode, *, required: bool) -> Field:
    def check(w: Walker, node: YNode, path: str) -> bool:
        return _check_params(w, node, path, mode)

    return Field("params", shaped(check, "hp_params"), required=required, nullable=not required)


def _check_params(w: Walker, node: YNode, path: str, mode: _ParamsMode) -> bool:
    if isinstance(node, YScalar) and is_template(node.value):
        if mode.template_crashes:
            w.report(
                MATRIX_CRASH,
                node.span,
                f"`{path}` of a `{mode.restriction}` matrix must list its params, not be a "
                "template: Polyaxon crashes on it; list the params.",
                polyaxon="'str' object has no attribute 'items'",
            )
            return False
        return True
    if not isinstance(node, YMap):
        return w.invalid(node, path, "a mapping of hyper-parameters or a `{{ }}` template")
    if not node.index and mode.empty_invalid:
        return w.invalid(node, path, f"a non-empty mapping for a `{mode.restriction}` matrix")
    ok = True
    for name, (key_node, hp_node) in node.items():
        if not isinstance(name, str):
            ok = False
            w.report(
                MATRIX_INVALID_VALUE,
                key_node.span,
                f"Matrix param names must be strings; got {show(key_node)}.",
            )
            continue
        hp = _check_hp(w, name, key_node, hp_node, f"{path}.{name}")
        if hp is None:
            ok = False
            continue
        if mode.restriction == "grid" and hp.distribution:
            ok = False
            w.report(
                GRID_DISTRIBUTION,
                _kind_span(hp_node),
                f"`{name}` uses the distribution `{hp.name}`, which a grid search cannot use; "
                "use `choice`, `range`, `linspace`, `logspace` or `geomspace`.",
            )
        elif mode.restriction == "bayes" and hp.distribution and not hp.uniform:
            ok = False
            w.report(
                BAYES_NON_UNIFORM,
                _kind_span(hp_node),
                f"`{name}` uses the non-uniform distribution `{hp.name}`, which bayesian "
                "optimization cannot use; only `uniform` is accepted among distributions.",
            )
    return ok


def kind_node(node: YNode | None) -> YNode:
    """The `kind` value of a mapping (the mapping itself when it has none)."""
    assert node is not None
    kind = node.get("kind") if isinstance(node, YMap) else None
    return kind if kind is not None else node


def _kind_span(node: YNode) -> Span:
    if isinstance(node, YMap):
        kind = node.get("kind")
        if kind is not None:
            return kind.span
    return node.span


_PLAIN = _ParamsMode(False, False, None)
_GRID = _ParamsMode(True, True, "grid")
_BAYES = _ParamsMode(True, True, "bayes")

_POS_REF = leaf("positive_int", ref=True)
_EARLY = Field("earlyStopping", _EARLY_STOPPING, snake="early_stopping")
_SEED = Field("seed", _INT_OR_REF)
_TUNER_FIELD = Field("tuner", _TUNER)


def _conc(guard: str | None) -> Field:
    return Field("concurrency", _POS_REF, guard=guard)


_TPE_FIELDS = (
    _KIND,
    Field("maxIterations", _INT_OR_REF, snake="max_iterations"),
    Field("metric", _METRIC, required=True, nullable=False),
    _params_field(_PLAIN, required=True),
    Field("numRuns", _POS_REF, snake="num_runs", nullable=False, guard="before"),
    _SEED,
    _conc("before"),
    _TUNER_FIELD,
    _EARLY,
)

MATRIX_KINDS: dict[str, tuple[Field, ...]] = {
    "grid": (
        _KIND,
        _params_field(_GRID, required=True),
        Field("numRuns", _POS_REF, snake="num_runs", guard="before"),
        _conc("before"),
        _EARLY,
    ),
    "random": (
        _KIND,
        _params_field(_PLAIN, required=True),
        Field("numRuns", _POS_REF, snake="num_runs", required=True, nullable=False,
              guard="before"),
        _SEED,
        _conc("before"),
        _EARLY,
    ),
    "mapping": (
        _KIND,
        Field("values", _or_template(_mapping_values), required=True, nullable=False),
        _conc("after"),
        _EARLY,
    ),
    "hyperband": (
        _KIND,
        _params_field(_PLAIN, required=False),
        Field("maxIterations", leaf("positive_int"), snake="max_iterations"),
        Field("eta", leaf("nonneg_float", ref=True)),
        Field("resource", _RESOURCE),
        Field("metric", _METRIC),
        Field("resume", leaf("bool", ref=True)),
        _SEED,
        _conc(None),
        _TUNER_FIELD,
        _EARLY,
    ),
    "bayes": (
        _KIND,
        Field("utilityFunction", _utility, snake="utility_function"),
        Field("numInitialRuns", _POS_REF, snake="num_initial_runs", required=True,
              nullable=False),
        Field("maxIterations", _POS_REF, snake="max_iterations", required=True,
              nullable=False),
        Field("metric", _METRIC, required=True, nullable=False),
        _params_field(_BAYES, required=True),
        _SEED,
        _conc(None),
        Field("tuner", _or_template(_TUNER)),
        _EARLY,
    ),
    "tpe": _TPE_FIELDS,
    "hyperopt": (*_TPE_FIELDS, Field("algorithm", leaf(_ALGORITHM))),
    "iterative": (
        _KIND,
        _params_field(_PLAIN, required=False),
        Field("maxIterations", _POS_REF, snake="max_iterations", required=True,
              nullable=False, guard="before"),
        _SEED,
        _conc("before"),
        _TUNER_FIELD,
        _EARLY,
    ),
}  # fmt: skip
_LOOKUPS = {kind: field_lookup(fields) for kind, fields in MATRIX_KINDS.items()}

_KINDS_218 = ("grid", "random", "mapping", "hyperband", "bayes", "tpe", "iterative")
_KINDS_216 = ("grid", "random", "mapping", "hyperband", "bayes", "hyperopt", "iterative")


def matrix_kinds(is_216: bool = False) -> tuple[str, ...]:
    """The matrix kinds of the target Polyaxon version."""
    return _KINDS_216 if is_216 else _KINDS_218


def check_matrix_schema(
    node: YNode | None, ctx: CheckContext, key_node: YNode | None = None
) -> bool:
    """Validate an operation's `matrix` value like Polyaxon's schema; True when it is valid.

    ``key_node`` (the `matrix` key) anchors missing required fields; without it the value node
    is used. Every independent error is reported through ``ctx``. `matrix: null` is valid.
    """
    if node is None or is_null(node):
        return True
    walker = _MatrixWalker(ctx, _RULES)
    anchor = (key_node or node).span
    if not isinstance(node, YMap):
        extra = (
            " (a template is not accepted for the whole matrix)"
            if isinstance(node, YScalar) and is_template(node.value)
            else ""
        )
        walker.report(
            MATRIX_NOT_MAPPING,
            node.span,
            f"`matrix` must be a mapping with a `kind`; got {show(node)}{extra}.",
        )
        return False
    kinds = matrix_kinds(walker.is_216)
    names = ", ".join(f"`{k}`" for k in kinds)
    kind_node = node.get("kind")
    if kind_node is None:
        walker.report(
            MATRIX_KIND, anchor, f"`matrix` has no `kind`; expected one of {names}.", field="kind"
        )
        return False
    kind = kind_node.to_py()
    if not isinstance(kind, str) or kind not in kinds:
        hint = ""
        if kind == "hyperopt":
            hint = " Polyaxon 2.18 replaced `hyperopt` with `tpe` (without `algorithm`)."
        elif kind == "tpe":
            hint = " `tpe` is new in Polyaxon 2.18; 2.16 calls it `hyperopt`."
        elif isinstance(kind, str) and kind.lower() in kinds:
            hint = f" Kinds are lowercase: `{kind.lower()}`."
        guess = closest_word(kind, kinds) if not hint else None
        if guess:
            hint = f" Did you mean `{guess[0]}`?"
        walker.report(
            MATRIX_KIND,
            kind_node.span,
            f"Unknown matrix kind {show(kind_node)}; expected one of {names}.{hint}",
            fixes=replacement_fix(kind_node, guess),
        )
        return False
    fields = MATRIX_KINDS[kind]
    what = f"{'an' if kind[0] in 'aeiou' else 'a'} `{kind}` matrix"
    walker.current_key = anchor
    walker.model(node, fields, "matrix", anchor, what=what, lookup=_LOOKUPS[kind])
    return walker.ok
