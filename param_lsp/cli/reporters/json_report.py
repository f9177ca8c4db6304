"""The stable JSON contract (version 1), documented in the README."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TextIO

from param_lsp.cli.results import FileResult
from param_lsp.core.span import EditorLines, Span


def to_json(results: Sequence[FileResult]) -> dict[str, Any]:
    return {
        "version": 1,
        "files": [
            {
                "path": result.display,
                "diagnostics": [
                    {
                        "code": f.code,
                        "severity": f.severity.label,
                        "message": f.message,
                        "range": _editor_span(f.span, lines).to_json(),
                    }
                    for f in result.findings
                ],
            }
            for result in results
            for lines in [EditorLines(result.text) if result.text is not None else None]
        ],
    }


def _editor_span(span: Span, lines: EditorLines | None) -> Span:
    """The span on the lines editors show (see :class:`EditorLines`)."""
    if lines is None:
        return span
    return Span(lines.to_editor(span.start), lines.to_editor(span.end))


def report(results: Sequence[FileResult], out: TextIO) -> None:
    json.dump(to_json(results), out, indent=2, ensure_ascii=False)
    out.write("\n")
