"""`file:line:col: severity[CODE] message`, the source line and a caret underline.

Lines are numbered as editors number them (`\n`, `\r\n`, `\r`), columns count code points.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from param_lsp.cli.results import FileResult, printable, shown_path
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


def report(results: Iterable[FileResult], out: TextIO, *, colour: bool, quiet: bool = False) -> int:
    """Writes each file's findings as it comes, then the summary; returns how many files.
    `quiet`: the findings only, without source lines and the summary."""
    counts = dict.fromkeys(Severity, 0)
    checked = 0
    for result in results:
        checked += 1
        lines = EditorLines(result.text) if result.text is not None and result.findings else None
        for finding in result.findings:
            counts[finding.severity] += 1
            start, end = lines.span_to_editor(finding.span) if lines else finding.span
            label = finding.severity.label
            head = f"{shown_path(result.display)}:{start.line + 1}:{start.character + 1}"
            tag = f"{label}[{finding.code}]"
            if colour:
                head = f"{_BOLD}{head}{_RESET}"
                tag = f"{_COLOURS[finding.severity]}{tag}{_RESET}"
            out.write(f"{head}: {tag} {printable(finding.message)}\n")
            if finding.polyaxon:
                out.write(f"  Polyaxon: {printable(finding.polyaxon)}\n")
            source = lines.editor_line(start.line) if lines is not None and not quiet else None
            if source is not None:
                stop = end.character if end.line == start.line else len(source)
                shown, caret = source_excerpt(source, start.character, stop)
                out.write(f"  {shown}\n  {caret}\n")
    if quiet:
        return checked
    total = sum(counts.values())
    summary = (
        f"{checked} file{'s' if checked != 1 else ''} checked: "
        f"{counts[Severity.ERROR]} error(s), {counts[Severity.WARNING]} warning(s), "
        f"{counts[Severity.INFORMATION] + counts[Severity.HINT]} note(s)"
    )
    out.write(("\n" if total else "") + summary + "\n")
    return checked


#: Source lines are shown up to this many characters: a window around the range, with `…`.
MAX_SOURCE_WIDTH = 160


def source_excerpt(line: str, start: int, end: int) -> tuple[str, str]:
    """The line as shown (controls escaped, a long line cut around the range) and the caret
    line underneath it."""
    start = min(max(start, 0), len(line))
    end = min(max(end, start), len(line))
    left, right = 0, len(line)
    if len(line) > MAX_SOURCE_WIDTH:
        left = max(0, min(start - 40, len(line) - MAX_SOURCE_WIDTH))
        right = min(len(line), left + MAX_SOURCE_WIDTH)
    prefix = ("…" if left > 0 else "") + printable(line[left:start])
    marked = printable(line[start : min(end, right)])
    suffix = printable(line[min(end, right) : right]) + ("…" if right < len(line) else "")
    caret = " " * len(prefix) + "^" * max(1, len(marked))
    return prefix + marked + suffix, caret
