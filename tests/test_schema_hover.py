"""Hover on a schema key that has no hand-written doc: the text is built from the schema the
rules check, and reads as English (plurals, the `kind` of a run or a schedule)."""

from __future__ import annotations

import pytest

from param_lsp.core.span import Position
from param_lsp.features.document import view_of
from param_lsp.features.hover import hover

TEXT = """\
kind: component
connections: [s3]
schedule: {kind: cron, cron: "0 0 * * *"}
run:
  kind: job
  container:
    image: busybox
    command: [sh, -c]
"""


@pytest.mark.parametrize(
    ("line", "column", "expected"),
    [
        (1, 0, "**connections**: V1Polyaxonfile field: a list of strings."),
        (4, 2, "**kind**: `job`: the kind of this V1Job, which decides the fields it takes."),
        (
            2,
            11,
            "**kind**: `cron`: the kind of this V1CronSchedule, which decides the fields it takes.",
        ),
        (7, 4, "**command**: Kubernetes `V1Container` field `command`: a list of strings."),
    ],
)
def test_schema_key_hover_reads_as_english(line: int, column: int, expected: str) -> None:
    found = hover(view_of(TEXT), Position(line, column))
    assert found is not None
    assert found.markdown == expected


def test_a_matrix_kind_hover_says_what_the_kind_decides() -> None:
    text = "kind: operation\nmatrix:\n  kind: grid\n  params:\n    lr: {kind: choice, value: [1]}\n"
    found = hover(view_of(text), Position(2, 2))
    assert found is not None
    assert found.markdown == "**kind**: The kind of the matrix, which decides the fields it takes."
