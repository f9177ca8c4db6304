"""Small helpers shared by the tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

from param_lsp.core.findings import Finding
from param_lsp.core.settings import Settings
from param_lsp.core.span import Span
from param_lsp.engine.analyze import Analysis, analyze


def run(text: str, path: Path | None = None, **settings: object) -> Analysis:
    return analyze(textwrap.dedent(text), path, Settings(**settings))  # type: ignore[arg-type]


def codes(analysis: Analysis) -> list[str]:
    return [f.code for f in analysis.findings]


def only(analysis: Analysis, code: str) -> Finding:
    found = [f for f in analysis.findings if f.code == code]
    got = [(f.code, f.message) for f in analysis.findings]
    assert len(found) == 1, f"expected one {code}, got {got}"
    return found[0]


def span(text: str) -> Span:
    """'l:c-l:c' with 1-based lines and columns, as editors show them."""
    start, end = text.split("-")
    sl, sc = (int(x) for x in start.split(":"))
    el, ec = (int(x) for x in end.split(":"))
    return Span.of(sl - 1, sc - 1, el - 1, ec - 1)
