"""The stable JSON contract (version 1), documented in the README."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from json.encoder import encode_basestring
from typing import Any, TextIO

from param_lsp.cli.results import FileResult, shown_path
from param_lsp.core.span import EditorLines

#: A scalar as JSON (`ensure_ascii=False`), by the C encoder.
_scalar = json.JSONEncoder(ensure_ascii=False).encode


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


def indented(value: Any, indent: str = "") -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)`` for dicts with string keys, lists
    and scalars, each line after the first starting with ``indent``: the same text, without
    the pure-Python encoder that ``indent`` selects (it yields every chunk from generators,
    and was the dearest part of the report of a folder)."""
    if isinstance(value, str):
        return encode_basestring(value)  # what json writes for a string with ensure_ascii=False
    if not value and isinstance(value, dict | list):
        return "{}" if isinstance(value, dict) else "[]"
    if isinstance(value, dict):
        inner = indent + "  "
        items = [
            f"{inner}{encode_basestring(key)}: {indented(item, inner)}"
            for key, item in value.items()
        ]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list):
        inner = indent + "  "
        items = [inner + indented(item, inner) for item in value]
        return "[\n" + ",\n".join(items) + "\n" + indent + "]"
    if type(value) is int:
        return str(value)  # as json writes an int (its encoder is set up anew for each one)
    return _scalar(value)


def report(results: Iterable[FileResult], out: TextIO) -> int:
    """Writes the document as the results come (constant memory); returns how many files."""
    count = 0
    for result in results:
        out.write('{\n  "version": 1,\n  "files": [\n    ' if count == 0 else ",\n    ")
        out.write(indented(_file(result), "    "))
        count += 1
    out.write('{\n  "version": 1,\n  "files": []\n}\n' if count == 0 else "\n  ]\n}\n")
    return count
