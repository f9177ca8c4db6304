"""Hostile input: what a cloned repository or a 200-byte file can do must stay bounded.

Each test states the bound (time, size of the output) that a pathological input used to break.
"""

from __future__ import annotations

import re
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from param_lsp.core.analyze import analyze
from param_lsp.core.template_scan import has_template, template_span

#: The pattern Polyaxon searches values with; the scanner must give exactly its answers.
POLYAXON_TEMPLATE = re.compile(r"{{\s*(.+)\s*}}")


def _reference_span(text: str) -> tuple[int, int] | None:
    match = POLYAXON_TEMPLATE.search(text)
    return match.span(1) if match else None


# ---------------------------------------------------------------- the template scanner


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="{} \n\t\x0b\x85ab.", max_size=24))
def test_template_scanner_agrees_with_polyaxon_regex(text: str) -> None:
    assert template_span(text) == _reference_span(text)
    assert has_template(text) == (_reference_span(text) is not None)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(["{{", "}}", " ", "\n", "inputs.x", " | default('a')", "{", "}", "\t"]),
        max_size=12,
    ).map("".join)
)
def test_template_scanner_agrees_on_template_like_values(text: str) -> None:
    assert template_span(text) == _reference_span(text)


def test_template_scanner_agrees_on_every_short_string() -> None:
    import itertools

    for size in range(7):
        for chars in itertools.product("{} \na", repeat=size):
            text = "".join(chars)
            assert template_span(text) == _reference_span(text), repr(text)


def _seconds(func: object, *args: object) -> float:
    started = time.perf_counter()
    func(*args)  # type: ignore[operator]
    return time.perf_counter() - started


def test_template_scanner_is_linear_on_an_unclosed_brace() -> None:
    # The regex takes ~1 s on 1,000 spaces and ~65 s on 8,000 (cubic); the scan, microseconds.
    for text in (
        "{{" + " " * 200_000,
        "{{" + " \n" * 100_000 + "}",
        "{{ a" * 50_000,
        "{{{{" * 50_000,
        "{{" + " " * 100_000 + "\n" * 100_000 + "}}",
    ):
        assert _seconds(template_span, text) < 1.0


def test_document_with_an_unclosed_template_and_many_spaces_is_analysed_quickly() -> None:
    text = "kind: operation\nname: '{{" + " " * 20_000 + "'\nrun: {kind: job}\n"
    started = time.perf_counter()
    analysis = analyze(text)
    assert time.perf_counter() - started < 5
    assert analysis.root is not None
