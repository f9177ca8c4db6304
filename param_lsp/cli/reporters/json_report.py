"""The stable JSON contract (version 1), documented in the README."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from json.encoder import encode_basestring
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


# A file's object as `json.dumps(_file(result), indent=2, ensure_ascii=False)` lays it out,
# indented under "files". `indent` makes json use its pure-Python encoder, whose generators
# cost more than the rest of the report; the fixed shape is written here instead, strings
# still escaped by json (tests hold the two to the same text).
_ENTRY = '{{\n      "path": {path},\n      "diagnostics": {diagnostics}\n    }}'
_DIAGNOSTIC = """{{
          "code": {code},
          "severity": {severity},
          "message": {message},
          "range": {{
            "start": {{
              "line": {start.line},
              "character": {start.character}
            }},
            "end": {{
              "line": {end.line},
              "character": {end.character}
            }}
          }}{polyaxon}
        }}"""


def _entry(result: FileResult) -> str:
    """The text of ``_file(result)`` in the document (see ``_ENTRY``)."""
    path = encode_basestring(shown_path(result.display))
    if not result.findings:
        return _ENTRY.format(path=path, diagnostics="[]")
    lines = EditorLines(result.text) if result.text is not None else None
    diagnostics = []
    for f in result.findings:
        span = lines.span_to_editor(f.span) if lines else f.span
        polyaxon = ',\n          "polyaxon": ' + encode_basestring(f.polyaxon) if f.polyaxon else ""
        diagnostics.append(
            _DIAGNOSTIC.format(
                code=encode_basestring(f.code),
                severity=encode_basestring(f.severity.label),
                message=encode_basestring(f.message),
                start=span.start,
                end=span.end,
                polyaxon=polyaxon,
            )
        )
    return _ENTRY.format(
        path=path, diagnostics="[\n        " + ",\n        ".join(diagnostics) + "\n      ]"
    )


def report(results: Iterable[FileResult], out: TextIO) -> int:
    """Writes the document as the results come (constant memory); returns how many files."""
    count = 0
    for result in results:
        out.write('{\n  "version": 1,\n  "files": [\n    ' if count == 0 else ",\n    ")
        out.write(_entry(result))
        count += 1
    out.write('{\n  "version": 1,\n  "files": []\n}\n' if count == 0 else "\n  ]\n}\n")
    return count
