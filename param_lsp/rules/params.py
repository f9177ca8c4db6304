"""Family "params": an operation's params against its component's inputs and outputs.

Reproduces `validate_params` (spec §8, with the 2.18 changes of §21.8): the "no params" pre-check,
the per-input and per-output loops (literal values typed and validated, templates skipped,
matrix coverage, required inputs), then undeclared params. Polyaxon stops at the first error;
here every independent one is reported at its own range.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from param_lsp.core import regex_guard
from param_lsp.core import types as value_types
from param_lsp.core.context import CheckContext
from param_lsp.core.findings import Fix, Related, Severity
from param_lsp.core.memo import canonical, check_in_chunks, remembered
from param_lsp.core.model import IODef, ParamDef
from param_lsp.core.names import did_you_mean, unambiguous
from param_lsp.core.span import Span
from param_lsp.core.template_scan import has_template
from param_lsp.core.yaml_tree import YMap, YNode, YSeq
from param_lsp.rules import matrix_inputs
from param_lsp.rules.registry import plain_values, rule, shown

NO_PARAMS = rule(
    "PLX300",
    "missing-params",
    family="params",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="The component has required inputs but the operation passes no params at all.",
    doc="""
    When a component declares an input (or output) that is neither optional nor delayed and the
    operation has no `params` and no `matrix`, Polyaxon fails with "The Polyaxonfile has non
    optional inputs/outputs, you need to pass valid params". A `kind: component` file is
    checked as a template, so this is only reported for operations.
    """,
    bad="""
    kind: operation
    component:
      inputs: [{name: lr, type: float}]
      run: {kind: job, container: {image: python}}
    """,
    good="""
    kind: operation
    params: {lr: 0.01}
    component:
      inputs: [{name: lr, type: float}]
      run: {kind: job, container: {image: python}}
    """,
)

MISSING_INPUT = rule(
    "PLX301",
    "missing-required-input",
    family="params",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="A required input gets no param.",
    doc="""
    Every input that is not `isOptional`, has no default `value` and is not
    `delayValidation: true` must receive a param (or a matrix/join value). Polyaxon: "Input X is
    required, no param was passed." Note that `validation: {delay: true}` and the snake_case
    `delay_validation` do **not** make an input optional (Polyaxon never reads them). When a
    param that matches no input looks like a misspelt name of the missing input (`epohcs`), the
    error says to rename it and points at it.
    """,
    bad="""
    params: {epochs: 10}
    component:
      inputs: [{name: epochs, type: int}, {name: lr, type: float}]
    """,
    good="""
    params: {epochs: 10, lr: 0.01}
    component:
      inputs: [{name: epochs, type: int}, {name: lr, type: float}]
    """,
)

INVALID_VALUE = rule(
    "PLX302",
    "invalid-param-value",
    family="params",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="A literal param value does not convert to the IO's type or fails its validation.",
    doc="""
    Literal values are converted exactly as Polyaxon does (YAML 1.1 typing, JSON-decoding of
    strings for loadable types, pydantic's lax coercions) and then checked against the IO's
    `validation`/`options`. Values containing a `{{ … }}` template are not checked (Polyaxon
    renders them later).
    """,
    bad="""
    params: {epochs: 1.5}
    component:
      inputs: [{name: epochs, type: int}]
    """,
    good="""
    params: {epochs: 2}
    component:
      inputs: [{name: epochs, type: int}]
    """,
)

UNKNOWN_PARAM = rule(
    "PLX303",
    "unknown-param",
    family="params",
    severity=Severity.WARNING,
    polyaxon_rejects=False,
    summary="A param matches no input or output (Polyaxon 2.18 keeps it as a context value).",
    doc="""
    Polyaxon 2.18 accepts an undeclared param and only exposes it as `{{ name }}` in templates;
    it is almost always a typo of an input name. Declare the input, fix the name, or mark the
    param `contextOnly: true` to say it is meant as a context value. Deliberately stricter than
    Polyaxon (a warning, not an error).
    """,
    bad="""
    params: {learning_rat: 0.01}
    component:
      inputs: [{name: learning_rate, type: float}]
    """,
    good="""
    params: {learning_rate: 0.01}
    component:
      inputs: [{name: learning_rate, type: float}]
    """,
)

UNEXPECTED_PARAM = rule(
    "PLX304",
    "unexpected-param",
    family="params",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="(Polyaxon 2.16) A param matches no input or output.",
    doc="""
    Polyaxon 2.16 rejects every param that matches no declared input or output and is not
    `contextOnly: true` ("Received unexpected params"). Reported when the target version is 2.16.
    """,
    bad="""
    params: {extra: 1}
    component:
      inputs: [{name: lr, type: float, isOptional: true}]
    """,
    good="""
    params: {extra: {value: 1, contextOnly: true}}
    component:
      inputs: [{name: lr, type: float, isOptional: true}]
    """,
)

UNDECLARED_STRICT = rule(
    "PLX305",
    "undeclared-param-strict",
    family="params",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="With `strictParams`, a param must match an input/output or be `contextOnly: true`.",
    doc="""
    Under a strict policy (`strictParams: true` on the operation or any component of its chain,
    or `--strict-params`) Polyaxon 2.18 rejects an undeclared param: "Received undeclared param
    `x`; declare an input/output or set `contextOnly: true`."
    """,
    bad="""
    strictParams: true
    params: {extra: 1}
    """,
    good="""
    strictParams: true
    params: {extra: {value: 1, contextOnly: true}}
    """,
)

CONTEXT_ONLY_FALSE = rule(
    "PLX306",
    "unmatched-declared-param",
    family="params",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="A param with `contextOnly: false` must match a declared input or output.",
    doc="""
    `contextOnly: false` asks Polyaxon 2.18 to insist on a matching IO: "Param `x` requires a
    matching input/output declaration."
    """,
    bad="""
    params: {extra: {value: 1, contextOnly: false}}
    """,
    good="""
    params: {extra: {value: 1, contextOnly: true}}
    """,
)

INVALID_TO_ENV = rule(
    "PLX307",
    "invalid-to-env",
    family="params",
    severity=Severity.WARNING,
    polyaxon_rejects=False,
    summary="`toEnv` is not a valid environment variable name.",
    doc="""
    `toEnv` exposes the param as an environment variable of the main container. Polyaxon does not
    check the name, but Kubernetes rejects names that are not `[A-Za-z_][A-Za-z0-9_]*` (dots and
    dashes are tolerated by Kubernetes but not by shells), so the run would fail at start.
    """,
    bad="""
    params: {lr: {value: 0.1, toEnv: 1-LR}}
    """,
    good="""
    params: {lr: {value: 0.1, toEnv: LEARNING_RATE}}
    """,
)

TO_INIT_INFEASIBLE = rule(
    "PLX308",
    "to-init-infeasible",
    family="params",
    severity=Severity.WARNING,
    polyaxon_rejects=False,
    summary="`toInit` cannot turn this param into an init container.",
    doc="""
    At compile time Polyaxon can only turn a param into an init container when its IO has a type,
    and, without a `connection`, only for `git`, `artifacts` and `dockerfile` types. `polyaxon
    check` does not test this; the run fails later.
    """,
    bad="""
    params: {data: {value: /data, toInit: true}}
    component:
      inputs: [{name: data, type: path}]
    """,
    good="""
    params: {data: {value: {files: [a.csv]}, toInit: true}}
    component:
      inputs: [{name: data, type: artifacts}]
    """,
)

REGEX_NOT_EVALUATED = rule(
    "PLX309",
    "regex-not-evaluated",
    family="params",
    severity=Severity.WARNING,
    polyaxon_rejects=False,
    summary="A `validation.regex` takes too long on this value; it is not checked against it.",
    doc="""
    Polyaxon matches the value with Python's backtracking `re`: a pattern with nested
    repetition such as `^(a+)+$` needs exponential time on a value that almost matches, and
    `polyaxon check` (and the run) then hangs. param-lsp stops the match after half a second
    and says so instead of guessing; rewrite the pattern without nested repetition.
    """,
    bad="""
    params: {tag: {value: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!}}
    component:
      inputs: [{name: tag, type: str, validation: {regex: '^(a+)+$'}}]
    """,
    good="""
    params: {tag: {value: aaaa}}
    component:
      inputs: [{name: tag, type: str, validation: {regex: '^a+$'}}]
    """,
)

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def is_template_value(value: Any) -> bool:
    """§8.8: a str containing `{{ … }}` (not anchored, `.` does not match newlines)."""
    return has_template(value)


@dataclass(slots=True, eq=False, repr=False)
class ParamsTarget:
    """What `validate_params` works on: one (composed) operation."""

    params: dict[str, ParamDef]
    inputs: list[IODef]
    outputs: list[IODef]
    strict: bool
    matrix: YNode | None
    #: Where operation-wide problems are shown (the `params` key, else the op name in a DAG, …):
    #: a node's range is only computed when a problem is shown there.
    anchor_at: YNode | Span
    #: A `kind: component` file checked as a template: required inputs are not demanded.
    is_template: bool = False
    #: Notes for a missing input: where the document cleared what could have provided it.
    notes: tuple[Related, ...] = ()
    #: Appended to messages inside DAG ops (Polyaxon's "Please check: <op X>").
    extra_info: str | None = None
    #: Called for params that carry a `ref` (or a templated value): the refs family checks them.
    check_ref: Callable[[ParamDef, IODef | None, CheckContext], None] | None = None
    #: Set when each param's checks depend on nothing but the param, its input/output and
    #: the fields above (no DAG context in ``check_ref``): long lists are then checked in
    #: chunks that an unchanged, clean chunk of the last analysis lets skip.
    chunk_slot: Hashable | None = None
    #: The `strictParams` key of this file that makes the params strict, for a note.
    strict_key: YNode | None = None

    @property
    def anchor(self) -> Span:
        at = self.anchor_at
        return at if isinstance(at, Span) else at.span


def _suffix(target: ParamsTarget) -> str:
    """Polyaxon's pointer to the DAG op (its own wording, for `Finding.polyaxon`)."""
    return f" Please check: {target.extra_info}" if target.extra_info else ""


def _in_op(target: ParamsTarget) -> str:
    """ " in op `train`" for a DAG op's params, "" at the top level."""
    info = target.extra_info or ""
    if info.startswith("<op ") and info.endswith(">"):
        return f" in op `{info[4:-1]}`"
    return ""


def _expected_type(io: IODef) -> str:
    return f"a list of `{io.io_type}`" if io.is_list else f"type `{io.io_type}`"


def requires_params(inputs: list[IODef], outputs: list[IODef]) -> bool:
    """§8.3, with Polyaxon's carried-over delay flag (a later IO inherits an earlier flag)."""
    delay = False
    for io in inputs:
        delay = io.delay_validation if io.delay_validation is not None else delay
        if not io.is_optional and not delay:
            return True
    delay = True
    for io in outputs:
        delay = io.delay_validation if io.delay_validation is not None else delay
        if not io.is_optional and not delay:
            return True
    return False


def validate_params(target: ParamsTarget, ctx: CheckContext) -> None:
    params = target.params
    if (
        not target.is_template
        and not params
        and target.matrix is None
        and requires_params(target.inputs, target.outputs)
    ):
        required = [io for io in [*target.inputs, *target.outputs] if io.required]
        ctx.report(
            NO_PARAMS.at(
                target.anchor,
                f"No params are passed{_in_op(target)}, but "
                + (
                    f"the component requires {', '.join(f'`{io.name}`' for io in required)}; "
                    "add them under `params`."
                    if required
                    else "the component has required inputs or outputs; add `params`."
                ),
                polyaxon="The Polyaxonfile has non optional inputs/outputs, you need to pass "
                "valid params" + _suffix(target),
                related=tuple(
                    Related(f"required input `{io.name}`", io.name_node.span, _src(io))
                    for io in required
                )
                + target.notes,
            )
        )
        return
    by_name: dict[str, IODef] = {}
    for io in [*target.inputs, *target.outputs]:
        by_name.setdefault(io.name, io)
    misspellings: dict[str, ParamDef] | None = None  # guessed input -> param, on first need

    def check_input(io: IODef) -> None:
        param = params.get(io.name)
        if param is not None:
            _check_bound_param(param, io, target, ctx)
            return
        if target.matrix is not None and _matrix_covers(target.matrix, io, ctx):
            return
        if not (io.is_optional or io.delay_validation or target.is_template):
            nonlocal misspellings
            if misspellings is None:
                misspellings = _misspellings(params, by_name)
            misspelt = misspellings.get(io.name)
            notes = [Related(f"input `{io.name}` is declared here", io.name_node.span, _src(io))]
            if misspelt is not None and misspelt.key_span is not None:
                notes.append(
                    Related(
                        f"param `{misspelt.name}` looks like a misspelt `{io.name}`",
                        misspelt.key_span,
                    )
                )
            matrix_params = (
                target.matrix.key_node("params") if isinstance(target.matrix, YMap) else None
            )
            if matrix_params is not None:
                notes.append(Related(f"the matrix has no param `{io.name}`", matrix_params.span))
            elif isinstance(target.matrix, YMap):
                rows = target.matrix.get("values")
                if isinstance(rows, YSeq) and rows.items and isinstance(rows.items[0], YMap):
                    notes.append(
                        Related(
                            f"the matrix's first `values` row (the one Polyaxon reads) has no "
                            f"`{io.name}`",
                            rows.items[0].span,
                        )
                    )
            ctx.report(
                MISSING_INPUT.at(
                    target.anchor,
                    f"Required input `{io.name}` gets no param{_in_op(target)}; "
                    + (
                        f"rename param `{misspelt.name}` to `{io.name}`."
                        if misspelt is not None
                        else f"add `{io.name}` under `params`."
                    ),
                    polyaxon=f"Input {io.name} is required, no param was passed." + _suffix(target),
                    related=(*notes, *target.notes),
                    fixes=(),
                    input=io.name,
                )
            )

    def check_output(io: IODef) -> None:
        param = params.get(io.name)
        if param is not None:
            _check_bound_param(param, io, target, ctx)

    slot = target.chunk_slot
    if slot is None:
        for io in target.inputs:
            check_input(io)
        for io in target.outputs:
            check_output(io)
    else:
        # A clean chunk reported nothing, so the anchor and message suffix it did not use
        # are not part of what it read.
        check_in_chunks(
            ctx,
            ("bound-inputs", slot, target.is_template),
            target.inputs,
            lambda ios: (*ios, *map(params.get, map(_NAME, ios)), target.matrix),
            check_input,
        )
        check_in_chunks(
            ctx,
            ("bound-outputs", slot),
            target.outputs,
            lambda ios: (*ios, *map(params.get, map(_NAME, ios))),
            check_output,
        )
    # Declaration order: did-you-mean breaks ties by it (a set's order changes run to run).
    declared: tuple[str, ...] | None = None
    for name, param in params.items():
        if name in by_name:
            continue
        if declared is None:
            declared = tuple(by_name)
        _check_undeclared(param, declared, target, ctx)
    if slot is None:
        for param in params.values():
            _check_param_fields(param, target, ctx)
    else:
        check_in_chunks(
            ctx,
            ("param-fields", slot),
            list(params.values()),
            lambda chunk: (*chunk, *map(by_name.get, map(_NAME, chunk))),
            lambda param: _check_param_fields(param, target, ctx),
        )


_NAME = operator.attrgetter("name")


def _src(io: IODef) -> str | None:
    return str(io.source) if io.source is not None else None


def _check_bound_param(param: ParamDef, io: IODef, target: ParamsTarget, ctx: CheckContext) -> None:
    if param.is_join:
        if target.check_ref is not None:
            target.check_ref(param, io, ctx)
        return
    if param.ref is not None or is_template_value(param.value):
        if target.check_ref is not None:
            target.check_ref(param, io, ctx)
        return
    result = value_types.validate_io_value(
        name=io.name,
        io_type=io.io_type,
        value=param.value,
        is_optional=io.is_optional,
        is_list=io.is_list,
        default=io.value,
        validation=io.validation,
    )
    if result.ok:
        if result.undecided is not None:
            ctx.report(
                REGEX_NOT_EVALUATED.at(
                    param.anchor or target.anchor,
                    f"Value not checked against the `validation.regex` `{result.undecided}` of "
                    f"`{io.name}`: the match takes longer than "
                    f"{regex_guard.TIMEOUT_S:g} s; rewrite the pattern without nested repetition",
                    related=(Related(f"`{io.name}` is declared here", io.node.span, _src(io)),),
                    input=io.name,
                )
            )
        return
    span = param.anchor or target.anchor
    value = f"`{shown(param.value)}`"
    if result.problem == "missing":
        message = f"Param `{param.name}` has no value, but input `{io.name}` is required; set one."
    elif result.problem == "convert":
        message = f"Param `{param.name}` expects {_expected_type(io)}; got {value}."
    elif result.problem == "validation":
        rule_text = plain_values(result.detail.removeprefix("Value "))
        message = f"Param `{param.name}` fails the validation of its input: {rule_text}."
    elif result.crash and isinstance(io.io_type, str) and not value_types.is_known_type(io.io_type):
        close = value_types.closest_type(io.io_type)
        fix = f"did you mean `{close}`?" if close else "use a Polyaxon type such as `int` or `str`."
        message = (
            f"Param `{param.name}` cannot be passed: input `{io.name}` has type "
            f"`{io.io_type}`, which Polyaxon does not know (any value fails); fix the type: {fix}"
        )
    elif result.crash:
        message = f"Param `{param.name}` with the value {value} makes Polyaxon crash; change it."
    else:
        message = f"Param `{param.name}` does not accept the value {value}."
    notes = [Related(f"`{io.name}` is declared here", io.node.span, _src(io))]
    if io.validation is not None and (result.problem == "validation" or result.crash):
        validation_key = io.node.key_node("validation") if isinstance(io.node, YMap) else None
        if validation_key is not None:
            notes.append(Related(f"the `validation` of `{io.name}`", validation_key.span, _src(io)))
    ctx.report(
        INVALID_VALUE.at(
            span,
            message,
            polyaxon=result.message or "",
            related=tuple(notes),
            input=io.name,
        )
    )


def _check_undeclared(
    param: ParamDef, declared: tuple[str, ...], target: ParamsTarget, ctx: CheckContext
) -> None:
    span = param.key_span or target.anchor
    suggestion = _remembered_guess(param, declared)
    hint = f"; did you mean `{suggestion}`?" if suggestion else ""
    fixes = (
        (
            Fix(
                f"Rename to `{suggestion}`",
                param.key_node.span,
                suggestion,
                safe=unambiguous(param.name, suggestion, declared),
            ),
        )
        if suggestion and param.key_node is not None
        else ()
    )
    if ctx.settings.is_216:
        if param.context_only:
            return
        ctx.report(
            UNEXPECTED_PARAM.at(
                span,
                f"Param `{param.name}` matches no input or output{_in_op(target)}; "
                + (hint.removeprefix("; ") if hint else "remove it or declare the input."),
                polyaxon=f"Received unexpected params `{{'{param.name}'}}`{_suffix(target)}",
                fixes=fixes,
            )
        )
        return
    if param.context_only is False:
        ctx.report(
            CONTEXT_ONLY_FALSE.at(
                span,
                f"Param `{param.name}` has `contextOnly: false` but matches no input or "
                f"output{_in_op(target)}; "
                + (hint.removeprefix("; ") if hint else "declare the input or remove the param."),
                polyaxon=f"Param `{param.name}` requires a matching input/output declaration."
                + _suffix(target),
                fixes=fixes,
            )
        )
        return
    if target.strict and param.context_only is not True:
        ctx.report(
            UNDECLARED_STRICT.at(
                span,
                f"Param `{param.name}` matches no input or output{_in_op(target)} and "
                "`strictParams` is on; "
                + (
                    hint.removeprefix("; ")
                    if hint
                    else "declare the input or set `contextOnly: true`."
                ),
                polyaxon=f"Received undeclared param `{param.name}`{_suffix(target)}",
                fixes=fixes,
                related=(Related("`strictParams` is set here", target.strict_key.span),)
                if target.strict_key is not None
                else (),
            )
        )
        return
    if param.is_join:
        return
    if param.ref is not None and target.check_ref is not None:
        target.check_ref(param, None, ctx)
    if param.context_only is True or param.from_cli:
        return
    where = "no input or output" if declared else "no input or output (the component has none)"
    fix = hint.removeprefix("; ") if hint else "remove it or set `contextOnly: true`."
    ctx.report(
        UNKNOWN_PARAM.at(
            span,
            f"Param `{param.name}` matches {where}{_in_op(target)}, so it is only a context "
            f"value; {fix}",
            fixes=fixes,
        )
    )


def _check_param_fields(param: ParamDef, target: ParamsTarget, ctx: CheckContext) -> None:
    if param.to_env is not None and not _ENV_NAME.match(param.to_env):
        node = (
            param.node.get("toEnv") or param.node.get("to_env")
            if isinstance(param.node, YMap)
            else None
        )
        ctx.report(
            INVALID_TO_ENV.at(
                (node.span if node is not None else param.anchor) or target.anchor,
                f"`toEnv` of param `{param.name}` must be an environment variable name "
                f"(letters, digits and `_`, not starting with a digit); got `{param.to_env}`.",
            )
        )
    if param.to_init:
        io = next((io for io in [*target.inputs, *target.outputs] if io.name == param.name), None)
        if io is None or io.io_type is None:
            problem = "its input/output has no type"
        elif param.connection is None and io.io_type not in ("git", "artifacts", "dockerfile"):
            problem = f"type `{io.io_type}` needs a `connection`"
        else:
            return
        node = (
            param.node.get("toInit") or param.node.get("to_init")
            if isinstance(param.node, YMap)
            else None
        )
        ctx.report(
            TO_INIT_INFEASIBLE.at(
                (node.span if node is not None else param.anchor) or target.anchor,
                f"Param `{param.name}` cannot become an init container (`toInit`): {problem}.",
            )
        )


def _matrix_covers(matrix: YNode, io: IODef, ctx: CheckContext) -> bool:
    """§11.3: whether the matrix satisfies an input without a param (and its type check)."""
    return bool(matrix_inputs.covers_input(matrix, io, ctx))


def _misspellings(
    params: Mapping[str, ParamDef], by_name: Mapping[str, IODef]
) -> dict[str, ParamDef]:
    """The params that match no input or output, by the declared name each looks like."""
    found: dict[str, ParamDef] = {}
    undeclared = [param for key, param in params.items() if key not in by_name]
    if undeclared:
        declared = tuple(by_name)
        for param in undeclared:
            guess = _remembered_guess(param, declared)
            if guess is not None:
                found.setdefault(guess, param)
    return found


def _remembered_guess(param: ParamDef, declared: tuple[str, ...]) -> str | None:
    """:func:`did_you_mean` over many names is costly; while the names stay, its answer does."""
    if param.key_node is None:
        return did_you_mean(param.name, declared)
    names = canonical(declared)
    return remembered(
        param.key_node,
        ("did-you-mean", param.name, id(names)),
        lambda: did_you_mean(param.name, declared),
        pins=(names,),
    )
