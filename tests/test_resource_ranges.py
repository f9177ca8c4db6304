"""`resources` request..limit ranges of a root shortcut: the request may not exceed the limit,
whatever the suffixes (m, u, n, k..E, Ki..Ei). Verdicts of Polyaxon 2.18.0
(`tools/polyaxon_verdict.py` on each document below)."""

from __future__ import annotations

import pytest

from param_lsp.core.span import Span
from param_lsp.engine.analyze import analyze

#: (resource, value, whether Polyaxon 2.18.0 rejects it: "has a request greater than its limit")
CASES = [
    ("cpu", "0.5..500m", False),
    ("cpu", "100m..1", False),
    ("cpu", "1u..1n", True),
    ("cpu", "2..500m", True),
    ("memory", "1500M..1.5G", False),
    ("memory", "1501M..1.5G", True),
    ("memory", "1Gi..2Gi", False),
    ("memory", "2Gi..2000Mi", True),
]


@pytest.mark.parametrize(("resource", "value", "rejected"), CASES)
def test_a_request_above_its_limit_is_reported_as_polyaxon_does(
    resource: str, value: str, rejected: bool
) -> None:
    line = f"  {resource}: {value}"
    text = f"kind: component\nrun:\n  kind: job\n  container: {{image: x}}\nresources:\n{line}\n"
    findings = analyze(text).findings
    if not rejected:
        assert findings == []
        return
    assert [(f.code, f.message, f.span) for f in findings] == [
        (
            "PLX118",
            f"resources.{resource} has a request greater than its limit.",
            Span.of(5, line.index(value), 5, len(line)),
        )
    ]
