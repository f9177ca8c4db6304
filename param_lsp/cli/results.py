"""One checked file as the reporters see it."""

from __future__ import annotations

from dataclasses import dataclass, field

from param_lsp.core.findings import Finding


class UsageError(Exception):
    """A command-line usage problem (exit code 2)."""


@dataclass(slots=True)
class FileResult:
    display: str
    text: str | None
    findings: list[Finding] = field(default_factory=list)
