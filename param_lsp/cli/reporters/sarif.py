"""SARIF 2.1.0 (for GitHub code scanning and other CI viewers).

Every rule of the registry is listed in ``tool.driver.rules`` with its documentation as help
text; results point at ``ruleIndex``. Regions are 1-based with an exclusive end column, in
UTF-16 code units (SARIF's default ``columnKind``, stated explicitly on the run): the core
counts code points, so columns after a character outside the BMP are shifted here. Lines are
the editors' (``newlineSequences``), mapped from YAML's where a document has U+0085, U+2028
or U+2029.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from param_lsp import __version__
from param_lsp.cli.results import FileResult
from param_lsp.core.findings import Finding, Severity
from param_lsp.core.safe_read import read_file
from param_lsp.core.span import EditorLines, Position, Span
from param_lsp.core.workspace import MAX_FILE_BYTES
from param_lsp.rules.families import load_all
from param_lsp.rules.registry import RULES, Rule

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"

_LEVELS = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFORMATION: "note",
    Severity.HINT: "note",
}


def utf16_column(line_text: str, code_points: int) -> int:
    """The UTF-16 offset of a code-point offset in one line (astral characters count twice)."""
    prefix = line_text[:code_points]
    return code_points + sum(1 for ch in prefix if ord(ch) > 0xFFFF)


class LineIndex:
    """The lines of one text as editors number them, for SARIF's lines and UTF-16 columns."""

    def __init__(self, text: str | None) -> None:
        self._lines = EditorLines(text) if text is not None else None
        self._plain = text is None or text.isascii()

    def position(self, pos: Position) -> tuple[int, int]:
        """0-based editor line and UTF-16 column of a core position."""
        if self._lines is None:
            return pos.line, pos.character
        line, column = self._lines.to_editor(pos)
        text = self._lines.editor_line(line)
        if self._plain or text is None:
            return line, column
        return line, utf16_column(text, column)

    def line_text(self, line: int) -> str | None:
        """An editor line's text."""
        return self._lines.editor_line(line) if self._lines is not None else None


def region(span: Span, lines: LineIndex) -> dict[str, int]:
    """A SARIF region: 1-based lines and columns, end column exclusive."""
    start, end = span
    if end < start:
        end = start
    start_line, start_column = lines.position(start)
    end_line, end_column = lines.position(end)
    return {
        "startLine": start_line + 1,
        "startColumn": start_column + 1,
        "endLine": end_line + 1,
        "endColumn": end_column + 1,
    }


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    help_markdown = [rule.doc]
    help_text = [rule.doc]
    for title, example in (("Bad", rule.bad), ("Good", rule.good)):
        if example:
            help_markdown += [f"{title}:", f"```yaml\n{example}\n```"]
            help_text += [f"{title}:", example]
    return {
        "id": rule.code,
        "name": rule.name,
        "helpUri": rule.url,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.doc},
        "help": {"text": "\n\n".join(help_text), "markdown": "\n\n".join(help_markdown)},
        "defaultConfiguration": {"level": _LEVELS[rule.severity]},
        "properties": {
            "family": rule.family,
            "polyaxonRejects": rule.polyaxon_rejects,
            "tags": [rule.family, "polyaxon"],
        },
    }


def to_sarif(results: Iterable[FileResult], base: Path | None = None) -> dict[str, Any]:
    base = Path(os.path.abspath(base or Path.cwd()))
    writer = _Writer(base)
    return writer.document([item for result in results for item in writer.results(result)])


class _Writer:
    """One SARIF run; results are made file by file (see :func:`report`)."""

    def __init__(self, base: Path) -> None:
        load_all()
        self.base = base
        self.codes = sorted(RULES)
        self.index_of = {code: i for i, code in enumerate(self.codes)}
        self.locator = _Locator(base)

    def results(self, result: FileResult) -> list[dict[str, Any]]:
        lines = LineIndex(result.text)
        location = self.locator.artifact(result.display)
        return [
            _result(finding, location, lines, self.index_of, self.locator)
            for finding in result.findings
        ]

    def document(self, sarif_results: list[Any]) -> dict[str, Any]:
        run: dict[str, Any] = {
            "tool": {
                "driver": {
                    "name": "param-lsp",
                    "version": __version__,
                    "semanticVersion": __version__,
                    "rules": [rule_descriptor(RULES[code]) for code in self.codes],
                }
            },
            "originalUriBaseIds": {SRCROOT: {"uri": self.base.as_uri().rstrip("/") + "/"}},
            "columnKind": "utf16CodeUnits",
            # Lines as editors count them; YAML's other breaks (U+0085, U+2028, U+2029) are not.
            "newlineSequences": ["\r\n", "\n", "\r"],
            "results": sarif_results,
            "properties": {
                "columnKind": "utf16CodeUnits",
                "positions": "1-based lines and columns; endColumn is exclusive",
            },
        }
        return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


_HOLE = "\x00results\x00"


def report(results: Iterable[FileResult], out: TextIO, base: Path | None = None) -> int:
    """Writes the document as the results come (constant memory); returns how many files.
    The bytes are those of `json.dump(to_sarif(...), indent=2)`."""
    writer = _Writer(Path(os.path.abspath(base or Path.cwd())))
    skeleton = json.dumps(writer.document([_HOLE]), indent=2, ensure_ascii=False)
    marker = json.dumps(_HOLE)
    head, _, tail = skeleton.partition(marker)
    # `head` ends with "[\n" plus the items' indentation; `tail` starts with "\n" + indentation.
    indent = head[head.rindex("\n") + 1 :]
    opening = head[: len(head) - len(indent)].rstrip("\n").rstrip()
    closing = tail[tail.index("]") :]
    count, written = 0, 0
    for result in results:
        count += 1
        for item in writer.results(result):
            text = json.dumps(item, indent=2, ensure_ascii=False)
            out.write((opening + "\n") if written == 0 else ",\n")
            out.write("\n".join(indent + line for line in text.split("\n")))
            written += 1
    if written == 0:
        out.write(opening + closing + "\n")
    else:
        out.write("\n" + indent[:-2] + closing + "\n")
    return count


def _result(
    finding: Finding,
    location: dict[str, Any],
    lines: LineIndex,
    index_of: dict[str, int],
    locator: _Locator,
) -> dict[str, Any]:
    where_found = region(finding.span, lines)
    physical: dict[str, Any] = {"artifactLocation": location, "region": where_found}
    snippet = lines.line_text(where_found["startLine"] - 1)
    if snippet is not None:
        physical["contextRegion"] = {
            "startLine": where_found["startLine"],
            "snippet": {"text": snippet},
        }
    out: dict[str, Any] = {
        "ruleId": finding.code,
        "level": _LEVELS[finding.severity],
        "message": {"text": finding.full_text},
        "locations": [{"physicalLocation": physical}],
    }
    if finding.code in index_of:
        out["ruleIndex"] = index_of[finding.code]
    related = []
    for number, item in enumerate(finding.related, 1):
        if item.path is None:
            where, where_lines = location, lines
        else:
            where, where_lines = locator.artifact(item.path), locator.lines(item.path)
        related.append(
            {
                "id": number,
                "message": {"text": item.message},
                "physicalLocation": {
                    "artifactLocation": where,
                    "region": region(item.span, where_lines),
                },
            }
        )
    if related:
        out["relatedLocations"] = related
    return out


class _Locator:
    """Artifact locations relative to the base folder (%SRCROOT%) when under it."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self._lines: dict[str, LineIndex] = {}

    def artifact(self, display: str) -> dict[str, Any]:
        absolute = Path(os.path.abspath(display))
        try:
            relative = absolute.relative_to(self.base)
        except ValueError:
            return {"uri": absolute.as_uri()}
        # Quoted from the bytes: a name that is not UTF-8 becomes %XX, never invalid text.
        return {"uri": quote(os.fsencode(relative.as_posix())), "uriBaseId": SRCROOT}

    def lines(self, path: str) -> LineIndex:
        """Text of a related file (for its UTF-16 columns); unreadable files count as ASCII."""
        if path not in self._lines:
            got = read_file(Path(path), MAX_FILE_BYTES)
            try:
                text = got.data.decode("utf-8") if got.data is not None else None
            except UnicodeDecodeError:
                text = None
            self._lines[path] = LineIndex(text)
        return self._lines[path]
