"""The joins/matrix leaf checks give pydantic's own verdicts (what Polyaxon runs), without
importing pydantic."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

import pytest

from param_lsp.rules import joins

pydantic = pytest.importorskip("pydantic")

VALUES: list[Any] = [
    0, 1, -1, 2, 7, 10**20, 0.0, 0.5, 1.0, -0.5, 2.0, 1e300, math.inf, -math.inf,
    True, False, None, "", "1", "1.0", "1.5", " 2 ", "-3", "1_000", "abc", "inf", "nan",
    "maximize", "minimize", "Maximize", "true", "yes", "off", "2024-01-31", "2024-02-30",
    "P1D", "PT5M", "90", "1 day, 1:00:00", [1], {"a": 1}, date(2024, 1, 31), timedelta(seconds=5),
]  # fmt: skip


def pydantic_verdict(leaf: str, value: Any) -> tuple[bool, Any]:
    adapter = pydantic.TypeAdapter(joins._leaf_type(leaf))
    try:
        return True, adapter.validate_python(value)
    except pydantic.ValidationError:
        return False, None


@pytest.mark.parametrize(
    "leaf",
    [
        "str", "int", "strict_int", "positive_int", "float", "nonneg_float", "bool",
        "int_or_float", "date", "timedelta", "float_or_optimization",
    ],
)  # fmt: skip
def test_each_leaf_matches_pydantic(leaf: str) -> None:
    for value in VALUES:
        ours = joins.leaf_value(leaf, value)
        theirs = pydantic_verdict(leaf, value)
        assert ours[0] == theirs[0], (leaf, value)
        if ours[0]:
            same_nan = isinstance(ours[1], float) and math.isnan(ours[1]) and math.isnan(theirs[1])
            assert same_nan or (ours[1] == theirs[1] and type(ours[1]) is type(theirs[1])), (
                leaf,
                value,
            )


def test_enum_leaves_match_pydantic() -> None:
    leaf = joins.enum_leaf("kernel_test", ("rbf", "matern"))
    for value in ["rbf", "matern", "RBF", "", 1, None, ["rbf"]]:
        assert joins.leaf_value(leaf, value) == pydantic_verdict(leaf, value), value


DATETIMES = [
    "2024-05-01T10:00:00Z", "2024-05-01 10:00", "2024-05-01T10:00", "2024-05-01T10:00:00.123456",
    "2024-05-01T10:00:00.1234567", "2024-05-01T10:00:00+02:00", "2024-05-01T10:00:00-23:59",
    "2024-05-01T24:00:00", "2024-02-30T10:00:00", "2024-05-01T10:60", "2024-05-01T10:00:60",
    "2024-05-01t10:00", "2024-05-01T10:00:00+24:00", "2024-05-01T10:00:00 Z", "2024-05-01",
    "1714557600", "abc", "", 1714557600, 1.5, True,
]  # fmt: skip
DURATIONS = [0, 1, -1, 3600, 1.5, -2.25, 10**8, 10**12, True, False, "PT1H", "1h", "10", "01:00:00"]


def test_date_times_and_durations_decided_without_pydantic_are_pydantic_s_verdicts() -> None:
    from datetime import datetime, timedelta

    from param_lsp.rules import schema_values

    for kind, values, check in (
        (datetime, DATETIMES, schema_values.datetime_error),
        (timedelta, DURATIONS, schema_values.timedelta_error),
    ):
        adapter = pydantic.TypeAdapter(kind)
        for value in values:
            try:
                adapter.validate_python(value)
                accepted = True
            except pydantic.ValidationError:
                accepted = False
            assert (check(value) is None) == accepted, (kind, value)
