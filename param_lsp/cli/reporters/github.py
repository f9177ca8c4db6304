"""GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` line per finding.

GitHub turns these into annotations on the pull request's diff. Lines and columns are 1-based;
columns are UTF-16 code units like the SARIF output (GitHub's viewer counts JavaScript
characters), and the end column is exclusive.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from param_lsp.cli.reporters.sarif import LineIndex, region
from param_lsp.cli.results import FileResult, printable, shown_path
from param_lsp.core.findings import Finding, Severity

_COMMANDS = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFORMATION: "notice",
    Severity.HINT: "notice",
}


def escape_data(text: str) -> str:
    """The message part (after `::`), escaped as the Actions runner expects; other control
    characters (an ESC sequence from the file) are written as their escapes."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return printable(text)


def escape_property(text: str) -> str:
    """A `key=value` property: also `:` and `,`, which delimit properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(path: str, finding: Finding, lines: LineIndex) -> str:
    where = region(finding.span, lines)
    properties = {
        "file": path,
        "line": where["startLine"],
        "col": where["startColumn"],
        "endLine": where["endLine"],
        "endColumn": where["endColumn"],
        "title": finding.code,
    }
    joined = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{_COMMANDS[finding.severity]} {joined}::{escape_data(finding.full_text)}"


def report(results: Sequence[FileResult], out: TextIO) -> None:
    for result in results:
        lines = LineIndex(result.text)
        # GitHub matches annotation paths against the repository, so keep them relative.
        path = Path(shown_path(result.display)).as_posix()
        for finding in result.findings:
            out.write(annotation(path, finding, lines) + "\n")
