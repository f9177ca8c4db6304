"""`file:line:col: severity[CODE] message`, the source line and a caret underline.

Lines are numbered as editors number them (`\n`, `\r\n`, `\r`), columns count code points.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from param_lsp.cli.results import FileResult
from param_lsp.core.findings import Severity
from param_lsp.core.span import EditorLines

_COLOURS = {
    Severity.ERROR: "\033[31m",
    Severity.WARNING: "\033[33m",
    Severity.INFORMATION: "\033[36m",
    Severity.HINT: "\033[2m",
}
_RESET = "\033[0m"
_BOLD = "\033[1m"


def report(
    results: Sequence[FileResult], out: TextIO, *, colour: bool, quiet: bool = False
) -> None:
    """`quiet`: the findings only, without source lines and the summary."""
    counts = dict.fromkeys(Severity, 0)
    for result in results:
        lines = EditorLines(result.text) if result.text is not None else None
        for finding in result.findings:
            counts[finding.severity] += 1
            start, end = lines.span_to_editor(finding.span) if lines else finding.span
            label = finding.severity.label
            head = f"{result.display}:{start.line + 1}:{start.character + 1}"
            tag = f"{label}[{finding.code}]"
            if colour:
                head = f"{_BOLD}{head}{_RESET}"
                tag = f"{_COLOURS[finding.severity]}{tag}{_RESET}"
            out.write(f"{head}: {tag} {finding.message}\n")
            if finding.polyaxon:
                out.write(f"  Polyaxon: {finding.polyaxon}\n")
            source = lines.editor_line(start.line) if lines is not None and not quiet else None
            if source is not None:
                width = (end.character if end.line == start.line else len(source)) - start.character
                caret = " " * start.character + "^" * max(1, width)
                out.write(f"  {source}\n  {caret}\n")
    if quiet:
        return
    total = sum(counts.values())
    checked = len(results)
    summary = (
        f"{checked} file{'s' if checked != 1 else ''} checked: "
        f"{counts[Severity.ERROR]} error(s), {counts[Severity.WARNING]} warning(s), "
        f"{counts[Severity.INFORMATION] + counts[Severity.HINT]} note(s)"
    )
    out.write(("\n" if total else "") + summary + "\n")
