"""Differential tests for `param_lsp.core.types` against Polyaxon 2.18's own verdicts.

Every expectation in `tests/data/types_cases.json` was produced by running the case through
polyaxon 2.18.0's `polyaxon._flow.io.io.validate_io_value` (oracle venv, PYTHONHASHSEED=0).
Values are stored as YAML text and loaded with `yaml.safe_load`, as in a polyaxonfile.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from param_lsp.core.types import (
    ValueCheck,
    is_known_type,
    is_template,
    py_str,
    type_repr,
    validate_io_value,
)

_DATA = json.loads((Path(__file__).parent / "data" / "types_cases.json").read_text("utf-8"))
_CASES: list[dict[str, Any]] = _DATA["cases"]


def _case_id(case: dict[str, Any]) -> str:
    parts = [str(case["io_type"]), case["value_yaml"]]
    if case.get("is_list"):
        parts.append("isList")
    if case.get("validation"):
        parts.append(json.dumps(case["validation"], sort_keys=True))
    return " | ".join(parts)


def _run(case: dict[str, Any]) -> ValueCheck:
    value = yaml.safe_load(case["value_yaml"])
    default = yaml.safe_load(case["default_yaml"]) if "default_yaml" in case else None
    return validate_io_value(
        name=_DATA["name"],
        io_type=case["io_type"],
        value=value,
        is_optional=case["is_optional"],
        is_list=case["is_list"],
        default=default,
        validation=case["validation"],
    )


def test_case_table_is_large_and_varied() -> None:
    assert len(_CASES) >= 120
    assert any(c["expected"]["crash"] for c in _CASES)
    assert any(c["expected"]["ok"] for c in _CASES)
    assert any(not c["expected"]["ok"] and not c["expected"]["crash"] for c in _CASES)


@pytest.mark.parametrize("case", _CASES, ids=[_case_id(c) for c in _CASES])
def test_matches_polyaxon(case: dict[str, Any]) -> None:
    expected = case["expected"]
    result = _run(case)
    assert result.ok is expected["ok"], result
    assert result.crash is expected["crash"], result
    if expected["crash"]:
        # "ExceptionClass: text" of the unwrapped error Polyaxon raises. pydantic's own
        # ValidationError / schema-generation texts are only compared by class.
        assert result.message is not None
        exc_class = expected["message"].split(":", 1)[0]
        if exc_class in ("ValidationError", "PydanticSchemaGenerationError"):
            assert result.message.split(":", 1)[0] == exc_class
        else:
            assert result.message == expected["message"].split("\n\nFor further information")[0]
    elif not expected["ok"]:
        assert result.message == expected["message"]
    else:
        assert result.message is None
        assert py_str(result.value) == expected["value_str"]


def test_type_repr() -> None:
    assert type_repr("int", None) == "int"
    assert type_repr("int", True) == "typing.List[ForwardRef('int')]"
    assert type_repr("str", False) == "<class 'clipped.types.strings.GenericStr'>"
    assert type_repr("str", True) == "typing.List[clipped.types.strings.GenericStr]"
    assert type_repr("any", True) == "typing.List[typing.Any]"
    assert type_repr("Any", True) == "typing.List[ForwardRef('Any')]"
    assert type_repr("metadata", None) == "typing.Dict"
    assert type_repr("datetime", True) == "typing.List[datetime.date]"
    assert type_repr("git", None) == "<class 'polyaxon._schemas.types.git.V1GitType'>"
    assert type_repr("List[int]", None) == "List[int]"


@pytest.mark.parametrize(
    ("io_type", "known"),
    [
        ("int", True),
        ("str", True),
        ("git", True),
        ("List[int]", True),
        ("dict[str, int]", True),
        ("int | str", True),
        ("Optional[List[Dict[str, float]]]", True),
        ("StrictInt", True),
        ("auth", False),
        ("Union[int, str]", False),
        ("typing.List[int]", False),
        ("List[auth]", False),
        (" int", False),
        ("int(", False),
    ],
)
def test_is_known_type(io_type: str, known: bool) -> None:
    assert is_known_type(io_type) is known


def test_is_template() -> None:
    assert is_template("{{ x }}")
    assert is_template("a {{ globals.run_uuid }} b")
    assert is_template("{{ }}")
    assert not is_template("{{}}")
    assert is_template("{{ a\n}}")
    assert not is_template("{{a\nb}}")
    assert not is_template(["{{ x }}"])
    assert not is_template(1)


def test_py_str() -> None:
    import datetime

    assert py_str(None) == "None"
    assert py_str(True) == "True"
    assert py_str(1e-05) == "1e-05"
    assert py_str(["a", 1]) == "['a', 1]"
    assert py_str({"a": 1}) == "{'a': 1}"
    assert py_str(datetime.date(2020, 1, 1)) == "2020-01-01"
    assert py_str(datetime.datetime(2020, 1, 1, 10)) == "2020-01-01 10:00:00"


def test_no_type_means_no_validation() -> None:
    check = validate_io_value(name="x", io_type=None, value=None, is_optional=False, is_list=None)
    assert check == ValueCheck(ok=True, value=None)


def test_is_fast() -> None:
    kwargs: dict[str, Any] = {"name": "lr", "is_optional": False, "is_list": None}
    start = time.perf_counter()
    for _ in range(2000):
        validate_io_value(io_type="float", value="0.01", validation={"gt": 0}, **kwargs)
        validate_io_value(io_type="List[int]", value=[1, 2, 3], **kwargs)
        validate_io_value(io_type="str", value="abc", **kwargs)
    per_call = (time.perf_counter() - start) / 6000
    assert per_call < 100e-6
