"""A finding on an empty value (`key:` or `- ` with nothing after it) has no width for an
editor to underline: the analysis puts it on the key (or the dash) the value belongs to, in
block and flow style and with CRLF line ends; a YAML syntax error stays at PyYAML's mark.

The verdicts are Polyaxon's: each case is rejected by Polyaxon 2.18 for the empty value
(tests/data/schema/env_label_null.yaml, and the half-typed edits of tests/data/edit_mutants/).
"""

from __future__ import annotations

import pytest

from param_lsp.core.findings import Finding, widen_empty_spans
from param_lsp.core.span import Span
from param_lsp.engine.analyze import analyze

LABEL_NULL_BLOCK = """\
version: 1.1
kind: component
run:
  kind: job
  environment:
    labels:
      team: ml
      annotations:
  container: {image: foo}
"""


def spans(text: str) -> list[tuple[str, tuple[int, int, int, int]]]:
    out = []
    for f in analyze(text, None).findings:
        (a, b), (c, d) = f.span
        out.append((f.code, (a, b, c, d)))
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (LABEL_NULL_BLOCK, [("PLX111", (7, 6, 7, 17))]),
        (LABEL_NULL_BLOCK.replace("\n", "\r\n"), [("PLX111", (7, 6, 7, 17))]),
        (
            LABEL_NULL_BLOCK.replace(
                "    labels:\n      team: ml\n      annotations:\n",
                "    labels: {team: ml, annotations: }\n",
            ),
            [("PLX111", (5, 23, 5, 34))],
        ),
        (
            "version: 1.1\nkind: component\nrun:\n  kind:\n  container: {image: foo}\n",
            [("PLX114", (3, 2, 3, 6))],
        ),
    ],
    ids=["block", "crlf", "flow", "run-kind"],
)
def test_a_finding_on_an_empty_value_sits_on_its_key(
    text: str, expected: list[tuple[str, tuple[int, int, int, int]]]
) -> None:
    assert spans(text) == expected


def test_a_lone_dash_gets_the_dash() -> None:
    found = widen_empty_spans(
        [Finding("PLX111", "an input item must be a mapping", Span.of(2, 4, 2, 4))],
        "inputs:\n  - {name: a}\n  - \n",
    )
    assert found[0].span == Span.of(2, 2, 2, 3)


def test_a_syntax_error_and_a_value_with_text_stay_where_they_are() -> None:
    at_mark = Finding("PLX001", "syntax", Span.of(0, 5, 0, 5))
    with_width = Finding("PLX111", "wrong", Span.of(0, 5, 0, 8))
    found = widen_empty_spans([at_mark, with_width], "kind: job\n", frozenset({"PLX001"}))
    assert found == [at_mark, with_width]


def test_a_huge_line_of_key_characters_is_looked_at_near_the_position_only() -> None:
    line = "k" * 200_000 + ":"
    found = widen_empty_spans([Finding("PLX111", "x", Span.of(0, len(line), 0, len(line)))], line)
    # The key is longer than the 256 characters looked at: the finding stays where it was.
    assert found[0].span == Span.of(0, len(line), 0, len(line))
