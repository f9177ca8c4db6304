"""The core's result type: one positioned finding per problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from param_lsp.core.span import Span


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
