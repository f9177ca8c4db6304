"""Inline suppressions, honoured identically by `param-lsp check` and the language server.

Three comment forms (codes or rule names, comma separated; no list = every rule)::

    value: 3  # param-lsp: ignore[PLX300]          this line
    # param-lsp: ignore-next-line[unknown-param]    the next line that is not blank or a comment
    # param-lsp: ignore-file[PLX304, PLX305]        the whole file (anywhere in it)

A "line" is a logical line: when a scalar that starts on it spans several lines (a block
scalar `script: |`, a multi-line quoted string), findings anywhere inside that scalar are
covered, so `script: |  # param-lsp: ignore[...]` silences a template in the script body.

A suppression that silences nothing is itself reported (PLX010, a hint), per unused code, so
stale comments do not pile up; a code that names no rule is reported as PLX011.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from param_lsp.core.findings import Finding, Fix, Severity
from param_lsp.core.lazy_regex import LazyPattern
from param_lsp.core.span import YAML_LINE_BREAK, Position, Span, split_lines
from param_lsp.core.yaml_tree import ParsedYaml, YScalar, walk
from param_lsp.rules.registry import RULES, rule

UNUSED_SUPPRESSION = rule(
    "PLX010",
    "unused-suppression",
    family="suppressions",
    severity=Severity.HINT,
    polyaxon_rejects=False,
    summary="A `# param-lsp: ignore` comment that silences nothing.",
    doc="""
    A suppression comment, or one code in its list, did not match any finding where it
    applies (the line, the next line, or the file). Usually the problem was fixed and the
    comment is stale; delete it (or the code) so it cannot hide a future problem.
    """,
    bad="""
    params:
      lr: {value: 0.1}  # param-lsp: ignore[PLX300]
    """,
    good="""
    params:
      lr: {value: 0.1}
    """,
)

UNKNOWN_SUPPRESSION_CODE = rule(
    "PLX011",
    "unknown-suppression-code",
    family="suppressions",
    severity=Severity.WARNING,
    polyaxon_rejects=False,
    summary="A `# param-lsp: ignore[...]` comment names no known rule.",
    doc="""
    Each entry of a suppression list must be a rule code (`PLX300`) or a rule name
    (`unknown-param`); `param-lsp rules` lists them. A misspelt code silences nothing.
    """,
    bad="""
    # param-lsp: ignore-file[PLX3OO]
    """,
    good="""
    # param-lsp: ignore-file[PLX300]
    """,
)

#: Findings about suppressions themselves are not offered a suppression.
SUPPRESSION_CODES = frozenset({UNUSED_SUPPRESSION.code, UNKNOWN_SUPPRESSION_CODE.code})

_DIRECTIVE = LazyPattern(
    r"#[ \t]*param-lsp:[ \t]*(?P<kind>ignore-next-line|ignore-file|ignore)\b"
    r"(?:[ \t]*\[(?P<codes>[^\]\n]*)\])?"
)
_QUICK_TEST = "param-lsp:"


class _TextRange(NamedTuple):
    """A scalar: where it starts, where its text starts (a `#` there is not a comment), its end."""

    start: Position
    text_start: Position
    end: Position


@dataclass(slots=True, eq=False, repr=False)
class Directive:
    """One `# param-lsp: ignore...` comment, what it covers and what it silenced."""

    kind: str  # "ignore", "ignore-next-line", "ignore-file"
    span: Span  # the whole directive, `#` to `]`
    codes: dict[str, Span]  # normalised code → span of the entry (empty: every rule)
    covered: tuple[int, int] = (-1, -1)  # first/last line covered (ignored for ignore-file)
    used: set[str] = field(default_factory=set)  # codes that silenced something
    used_any: bool = False

    def matches(self, finding: Finding) -> str | None:
        """The entry that silences ``finding`` ("*" for a bare directive), or None."""
        if not self.codes:
            return "*"
        return finding.code if finding.code in self.codes else None

    def applies_to(self, finding: Finding) -> bool:
        if self.kind == "ignore-file":
            return True
        return self.covered[0] <= finding.span.start.line <= self.covered[1]


def apply_suppressions(
    findings: Sequence[Finding], text: str, parsed: ParsedYaml | None
) -> list[Finding]:
    """Drop suppressed findings; add PLX010/PLX011 for unused or unknown suppression codes."""
    if _QUICK_TEST not in text:
        return list(findings)
    directives = find_directives(text, parsed)
    if not directives:
        return list(findings)
    kept: list[Finding] = []
    for finding in findings:
        silenced = False
        for directive in directives:
            if not directive.applies_to(finding):
                continue
            entry = directive.matches(finding)
            if entry is None:
                continue
            silenced = True
            directive.used_any = True
            directive.used.add(entry)
        if not silenced:
            kept.append(finding)
    reports = _directive_findings(directives)
    file_wide = [d for d in directives if d.kind == "ignore-file"]
    for report in reports:
        # Suppression findings can themselves be silenced file-wide (not by the line forms,
        # which would be circular: the comment that silences is the one being reported).
        if any(d.matches(report) for d in file_wide):
            continue
        kept.append(report)
    return kept


def find_directives(text: str, parsed: ParsedYaml | None) -> list[Directive]:
    """Every suppression comment of ``text`` (a `#` inside a YAML string is not a comment)."""
    lines = split_lines(text)
    scalars = list(_multiline_or_quoted_scalars(parsed))
    directives: list[Directive] = []
    for number, line in enumerate(lines):
        if _QUICK_TEST not in line:
            continue
        for match in _DIRECTIVE.finditer(line):
            start = match.start()
            if start > 0 and line[start - 1] not in " \t":
                continue  # YAML needs whitespace before a comment's `#`
            if _inside_scalar(scalars, Position(number, start)):
                continue
            directive = Directive(
                kind=match.group("kind"),
                span=Span.of(number, start, number, match.end()),
                codes=_parse_codes(match, number),
            )
            directive.covered = _covered_lines(directive.kind, number, lines, scalars)
            directives.append(directive)
            break  # the rest of the line is inside this comment
    return directives


def suppression_fix(finding: Finding, text: str, parsed: ParsedYaml | None = None) -> Fix | None:
    """An edit that silences ``finding`` at its line (extends an existing directive if any).

    The comment goes at the end of the finding's logical line when that is safe, else an
    `ignore-next-line` comment is inserted above it with the same indentation.
    """
    lines = split_lines(text)
    line_no = finding.span.start.line
    if not 0 <= line_no < len(lines):
        return None
    scalars = list(_multiline_or_quoted_scalars(parsed))
    # A finding inside a multi-line scalar belongs to the line where that scalar starts.
    for scalar in scalars:
        if scalar.start.line < line_no <= _last_line(scalar.end):
            line_no = scalar.start.line
            break
    line = lines[line_no]
    title = f"Suppress {finding.code} on this line"
    for directive in find_directives(text, parsed):
        same_line = directive.kind == "ignore" and directive.span.start.line == line_no
        above = directive.kind == "ignore-next-line" and directive.covered[0] == line_no
        if (same_line or above) and directive.codes:
            end = directive.span.end
            before_bracket = Position(end.line, end.character - 1)
            return Fix(title, Span(before_bracket, before_bracket), f", {finding.code}")
    end_of_line = Position(line_no, len(line.rstrip("\r")))
    if not _inside_scalar(scalars, end_of_line):
        trimmed = len(line.rstrip(" \t\r"))
        return Fix(
            title,
            Span(Position(line_no, trimmed), end_of_line),
            f"  # param-lsp: ignore[{finding.code}]",
        )
    indent = line[: len(line) - len(line.lstrip(" "))]
    return Fix(
        title,
        Span.of(line_no, 0, line_no, 0),
        f"{indent}# param-lsp: ignore-next-line[{finding.code}]{_line_break(text)}",
    )


def file_suppression_fix(finding: Finding, text: str) -> Fix:
    """An edit that silences ``finding``'s rule in the whole file (a comment on line 1)."""
    return Fix(
        f"Suppress {finding.code} in this file",
        Span.of(0, 0, 0, 0),
        f"# param-lsp: ignore-file[{finding.code}]{_line_break(text)}",
    )


def _line_break(text: str) -> str:
    """The file's own line break, for an inserted line (a CRLF file stays CRLF)."""
    match = YAML_LINE_BREAK.search(text)
    return match.group() if match else "\n"


def _parse_codes(match: re.Match[str], line: int) -> dict[str, Span]:
    raw = match.group("codes")
    if raw is None:
        return {}
    by_name = {r.name: r.code for r in RULES.values()}
    codes: dict[str, Span] = {}
    offset = match.start("codes")
    for entry in re.finditer(r"[^,\s]+", raw):
        word = entry.group()
        code = word.upper() if word.upper() in RULES else by_name.get(word.lower(), word)
        span = Span.of(line, offset + entry.start(), line, offset + entry.end())
        codes.setdefault(code, span)
    return codes


def _directive_findings(directives: list[Directive]) -> list[Finding]:
    out: list[Finding] = []
    where = {
        "ignore": "on this line",
        "ignore-next-line": "on the next line",
        "ignore-file": "in this file",
    }
    for directive in directives:
        place = where[directive.kind]
        if not directive.codes:
            if not directive.used_any:
                out.append(
                    UNUSED_SUPPRESSION.at(
                        directive.span,
                        f"Unused suppression: nothing is reported {place}",
                        kind=directive.kind,
                    )
                )
            continue
        for code, span in directive.codes.items():
            if code not in RULES:
                out.append(
                    UNKNOWN_SUPPRESSION_CODE.at(
                        span,
                        f"No rule has the code or name `{code}`; `param-lsp rules` lists them.",
                        entry=code,
                    )
                )
            elif code not in directive.used:
                out.append(
                    UNUSED_SUPPRESSION.at(
                        span,
                        f"Unused suppression: {code} ({RULES[code].name}) is not reported {place}",
                        kind=directive.kind,
                        entry=code,
                    )
                )
    return out


def _covered_lines(
    kind: str, line: int, lines: list[str], scalars: list[_TextRange]
) -> tuple[int, int]:
    if kind == "ignore-file":
        return (0, len(lines))
    target = line
    if kind == "ignore-next-line":
        target = line + 1
        while target < len(lines) and _is_blank_or_comment(lines[target]):
            target += 1
    last = target
    for scalar in scalars:
        if scalar.start.line == target:
            last = max(last, _last_line(scalar.end))
    return (target, last)


def _is_blank_or_comment(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def _last_line(end: Position) -> int:
    """A block scalar's end mark sits at column 0 of the line after its content."""
    return end.line - 1 if end.character == 0 and end.line > 0 else end.line


def _inside_scalar(scalars: list[_TextRange], pos: Position) -> bool:
    return any(s.text_start <= pos < s.end for s in scalars)


def _multiline_or_quoted_scalars(parsed: ParsedYaml | None) -> Iterator[_TextRange]:
    """Scalars where a `#` is text, not a comment (quoted, or spanning several lines)."""
    if parsed is None or parsed.root is None:
        return
    for node in walk(parsed.root):
        if isinstance(node, YScalar):
            if node.style in ("|", ">"):
                # The header line (`key: |  # comment`) may carry a comment; text starts below.
                yield _TextRange(node.start, Position(node.start.line + 1, 0), node.end)
            elif node.style or node.start.line != node.end.line:
                yield _TextRange(node.start, node.start, node.end)
