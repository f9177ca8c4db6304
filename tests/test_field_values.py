"""Schedule date-times and durations, and docker images, against Polyaxon 2.18.0's verdicts
(`tests/data/field_values/cases.json`, made with `make_cases.py`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from param_lsp.core.findings import Severity
from param_lsp.engine.analyze import analyze
from param_lsp.rules.schema_values import docker_image_error

DATA = json.loads(
    (Path(__file__).parent / "data" / "field_values" / "cases.json").read_text(encoding="utf-8")
)
CASES: list[dict[str, Any]] = DATA["cases"]


@pytest.mark.parametrize("case", CASES, ids=[f"{c['field']}={c['value']}" for c in CASES])
def test_value_verdict_agrees_with_polyaxon(case: dict[str, Any]) -> None:
    text = DATA["templates"][case["field"]].format(value=case["value"])
    findings = analyze(text).findings
    errors = [f for f in findings if f.severity == Severity.ERROR]
    assert bool(errors) == (not case["ok"]), (case["message"], [f.message for f in errors])
    if errors:
        value_line = next(i for i, line in enumerate(text.splitlines()) if case["value"] in line)
        assert [f.span.start.line for f in errors] == [value_line]
        assert errors[0].code in ("PLX130", "PLX111", "PLX112")


def test_docker_image_messages_are_clipped_s() -> None:
    assert docker_image_error("bad image") == "Invalid docker image `bad image`"
    assert docker_image_error("") == "Image is required"
    assert docker_image_error("registry:5000/org/image:tag") is None
