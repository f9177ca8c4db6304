"""The stable JSON contract (version 1), documented in the README."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from param_lsp.cli.results import FileResult, shown_path
from param_lsp.core.span import EditorLines


def to_json(results: Sequence[FileResult]) -> dict[str, Any]:
    return {"version": 1, "files": [_file(result) for result in results]}


def _file(result: FileResult) -> dict[str, Any]:
    # Positions on the lines editors show (see EditorLines).
    lines = EditorLines(result.text) if result.text is not None and result.findings else None
    diagnostics = []
    for f in result.findings:
        item: dict[str, Any] = {
            "code": f.code,
            "severity": f.severity.label,
            "message": f.message,
            "range": (lines.span_to_editor(f.span) if lines else f.span).to_json(),
        }
        if f.polyaxon:
            item["polyaxon"] = f.polyaxon
        diagnostics.append(item)
    return {"path": shown_path(result.display), "diagnostics": diagnostics}


def report(results: Iterable[FileResult], out: TextIO) -> int:
    """Writes the document as the results come (constant memory); returns how many files."""
    count = 0
    for result in results:
        item = json.dumps(_file(result), indent=2, ensure_ascii=False)
        out.write('{\n  "version": 1,\n  "files": [\n' if count == 0 else ",\n")
        out.write("\n".join("    " + line for line in item.split("\n")))
        count += 1
    out.write('{\n  "version": 1,\n  "files": []\n}\n' if count == 0 else "\n  ]\n}\n")
    return count
