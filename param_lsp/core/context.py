"""What every check receives: settings, where the text came from, and the findings list."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from param_lsp.core.findings import Finding
from param_lsp.core.settings import Settings

if TYPE_CHECKING:
    from param_lsp.core.memo import DocumentCache


@dataclass(slots=True, eq=False, repr=False)
class CheckContext:
    """What the rules of one analysis share: the settings, the file and the findings so far."""

    settings: Settings
    path: Path | None = None
    findings: list[Finding] = field(default_factory=list)
    #: Results remembered from the document's previous version (language server only).
    memo: DocumentCache | None = None

    def report(self, finding: Finding) -> None:
        self.findings.append(finding)

    def has_errors_since(self, mark: int) -> bool:
        from param_lsp.core.findings import Severity

        return any(f.severity == Severity.ERROR for f in self.findings[mark:])
