"""The core's result type: one positioned finding per problem."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import IntEnum
from typing import Any

from param_lsp.core.span import YAML_LINE_BREAK, Span


class Severity(IntEnum):
    """Ordered like LSP's DiagnosticSeverity (1 = error)."""

    ERROR = 1
    WARNING = 2
    INFORMATION = 3
    HINT = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        aliases = {"info": "information", "warn": "warning"}
        return cls[aliases.get(text.lower(), text.lower()).upper()]


@dataclass(frozen=True, slots=True)
class Related:
    """A secondary location (another file allowed) that explains a finding."""

    message: str
    span: Span
    path: str | None = None


@dataclass(frozen=True, slots=True)
class Fix:
    """A text edit suggested for a finding (applied by quick fixes)."""

    title: str
    span: Span
    new_text: str
    #: Safe to apply unattended (`check --fix`): a quoting, or the one unambiguous candidate.
    safe: bool = False


@dataclass(slots=True)
class Finding:
    """`message` is the product's own sentence (docs/rules.md, "Writing messages");
    `polyaxon` is Polyaxon's verbatim wording of the same problem, when it has one, shown
    after it (a second line in the CLI, related information in editors)."""

    code: str
    message: str
    span: Span
    severity: Severity = Severity.ERROR
    related: tuple[Related, ...] = ()
    fixes: tuple[Fix, ...] = ()
    data: dict[str, Any] = field(default_factory=dict)
    polyaxon: str = ""

    @property
    def full_text(self) -> str:
        """The message followed by Polyaxon's wording (one line each)."""
        return f"{self.message}\nPolyaxon: {self.polyaxon}" if self.polyaxon else self.message

    def sort_key(self) -> tuple[int, int, int, int, str]:
        s = self.span
        return (s.start.line, s.start.character, s.end.line, s.end.character, self.code)


#: The key, or the `-` of a list item, that an empty value on a line comes after.
_EMPTY_VALUE_OWNER = re.compile(
    r"""(?<![^\s{,\[])("[^"]*"|'[^']*'|[^\s{},\[\]:"'#-][^{},\[\]:#]*?)[ \t]*:[ \t]*$"""
    r"""|(?<!\S)(-)[ \t]*$"""
)


def widen_empty_spans(
    findings: list[Finding], text: str, keep: frozenset[str] = frozenset()
) -> list[Finding]:
    """Findings on an empty value (`key:` or `- ` with nothing after it) have no width for an
    editor to underline: they are moved onto the key (or the dash) the value belongs to, in
    every style (`{value: }` too). Codes in ``keep`` stay where they are (a YAML syntax error
    sits at the parser's own mark)."""
    if all(f.span.start != f.span.end or f.code in keep for f in findings):
        return findings  # the common case: no text is split
    lines = YAML_LINE_BREAK.split(text)
    out: list[Finding] = []
    for finding in findings:
        start = finding.span.start
        if finding.span.start == finding.span.end and finding.code not in keep:
            line = lines[start.line] if start.line < len(lines) else ""
            # A key is looked for in the last 256 characters only: a hostile line of thousands
            # of key characters must not cost a search from each of them.
            match = _EMPTY_VALUE_OWNER.search(line, max(0, start.character - 256), start.character)
            if match is not None:
                first, last = match.span(1) if match.group(1) else match.span(2)
                finding = replace(finding, span=Span.of(start.line, first, start.line, last))
        out.append(finding)
    return out
