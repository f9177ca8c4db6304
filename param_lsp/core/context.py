"""What every check receives: settings, where the text came from, and the findings list."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from param_lsp.core.findings import Finding
from param_lsp.core.settings import Settings


@dataclass(slots=True)
class CheckContext:
    settings: Settings
    path: Path | None = None
    findings: list[Finding] = field(default_factory=list)

    def report(self, finding: Finding) -> None:
        self.findings.append(finding)

    def has_errors_since(self, mark: int) -> bool:
        from param_lsp.core.findings import Severity

        return any(f.severity == Severity.ERROR for f in self.findings[mark:])
