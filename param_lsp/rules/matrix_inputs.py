"""Family "matrix", §11.3: which inputs without a param a matrix supplies, and the
hyper-parameter/input type check, for the params stage (:func:`covers_input`)."""

from __future__ import annotations

from dataclasses import dataclass

from param_lsp.core.context import CheckContext
from param_lsp.core.findings import Finding, Related
from param_lsp.core.model import IODef
from param_lsp.core.span import Span
from param_lsp.core.yaml_tree import YMap, YNode, YScalar, YSeq
from param_lsp.rules.joins import is_null, is_template
from param_lsp.rules.matrix import (
    HP_INPUT_TYPE,
    HP_KINDS,
    MATRIX_INPUT_CRASH,
    hp_kind_of,
    kind_node,
)


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class MatrixCoverage:
    """What a matrix says about one input that has no param.

    ``covered``: the matrix provides the input's values. ``source``: the node that provides
    them (the hyper-parameter's key, the first mapping row's key, the `resource.name` value or
    the templated `values`/`params`). ``hp_kind``: the hyper-parameter kind, when one covers it.
    ``crash``: Polyaxon's exception text when consulting the matrix crashes (``covered`` is
    then False).
    """

    covered: bool
    source: YNode | None = None
    hp_kind: str | None = None
    crash: str | None = None


_NOT_COVERED = MatrixCoverage(False)


def matrix_covers(matrix_node: YNode | None, input_name: str) -> MatrixCoverage:
    """§11.3: whether the matrix supplies `input_name` (Polyaxon's `validate_matrix(io)`).

    Precondition: the matrix passed :func:`check_matrix_schema`. `mapping` covers a name that
    is a key of the **first** row of `values` (or any name when `values` is a template); other
    kinds cover a name of `params` and, for `hyperband`, `resource.name`. The reproduced
    crashes: `hyperband`/`iterative` without `params`, `hyperband` without `resource`, and a
    templated `params` string containing the name (Python's substring test, then indexing).
    """
    if not isinstance(matrix_node, YMap):
        return _NOT_COVERED
    kind = matrix_node.get("kind")
    kind_value = kind.to_py() if kind is not None else None
    if kind_value == "mapping":
        values = matrix_node.get("values")
        if isinstance(values, YScalar) and is_template(values.value):
            return MatrixCoverage(True, values)
        if isinstance(values, YSeq) and values.items and isinstance(values.items[0], YMap):
            key_node = values.items[0].key_node(input_name)
            if key_node is not None:
                return MatrixCoverage(True, key_node)
        return _NOT_COVERED
    params = matrix_node.get("params")
    if params is None or is_null(params):
        return MatrixCoverage(False, crash="argument of type 'NoneType' is not iterable")
    if isinstance(params, YScalar) and isinstance(params.value, str):
        if input_name in params.value:
            return MatrixCoverage(False, params, crash="string indices must be integers, not 'str'")
    elif isinstance(params, YMap):
        entry = params.entry(input_name)
        if entry is not None:
            hp = hp_kind_of(entry[1])
            return MatrixCoverage(True, entry[0], hp.name if hp else None)
    if kind_value == "hyperband":
        resource = matrix_node.get("resource")
        if not isinstance(resource, YMap):
            return MatrixCoverage(False, crash="'NoneType' object has no attribute 'name'")
        name = resource.get("name")
        if name is not None and name.to_py() == input_name:
            return MatrixCoverage(True, name)
    return _NOT_COVERED


_IO_TYPES = {"number": ("int", "float"), "date": ("date",), "datetime": ("datetime",)}
_IO_TEXT = {"number": "int or float", "date": "date", "datetime": "datetime"}


def check_matrix_against_input(
    matrix_node: YNode | None,
    input_name: str,
    input_type: str | None,
    *,
    input_span: Span | None = None,
) -> Finding | None:
    """§11.3 for one input without a param: the M22 type check, or a crash; None when fine.

    ``input_type`` is the IO's `type` as written (None when untyped). Numeric hyper-parameter
    kinds need exactly `int` or `float`, `daterange` needs `date`, `datetimerange` needs
    `datetime`; `choice`/`pchoice` and mapping rows are not type-checked. The finding is placed
    on the matrix param's key (``input_span``, when given, becomes related information). Use
    :func:`matrix_covers` to know whether the input is covered at all.
    """
    coverage = matrix_covers(matrix_node, input_name)
    related = (Related(f"input `{input_name}`", input_span),) if input_span else ()
    if coverage.crash is not None:
        anchor = coverage.source or kind_node(matrix_node)
        return MATRIX_INPUT_CRASH.at(
            anchor.span,
            f"Input `{input_name}` cannot be looked up in this matrix: Polyaxon crashes on it; "
            "declare the input or fix the matrix.",
            polyaxon=str(coverage.crash),
            related=related,
        )
    if not coverage.covered or coverage.hp_kind is None or coverage.source is None:
        return None
    hp = HP_KINDS[coverage.hp_kind]
    if hp.io is None or input_type in _IO_TYPES[hp.io]:
        return None
    shown = f"`{input_type}`" if input_type is not None else "no type"
    return HP_INPUT_TYPE.at(
        coverage.source.span,
        f"Matrix param `{input_name}` is a `{hp.name}` hyper-parameter, so input "
        f"`{input_name}` must have type `{_IO_TEXT[hp.io]}`; it has {shown}.",
        related=related,
        input=input_name,
    )


def covers_input(matrix_node: YNode | None, io: IODef, ctx: CheckContext) -> bool:
    """For the params stage: True when the matrix accounts for ``io`` (an input with no param).

    Reports the type mismatch or crash of :func:`check_matrix_against_input` through ``ctx``;
    it returns True in those cases too, so that no "required input" error is added on top
    (Polyaxon stops at the matrix error).
    """
    finding = check_matrix_against_input(
        matrix_node, io.name, io.io_type, input_span=io.name_node.span
    )
    if finding is not None:
        ctx.report(finding)
        return True
    return matrix_covers(matrix_node, io.name).covered
