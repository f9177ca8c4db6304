"""The single registry of rule codes, names, severities and docs.

Every consumer (CLI reporters, SARIF, the language server, `docs/rules.md`) reads rules from
here; a rule module declares each rule once with :func:`rule` and creates findings through it.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any

from param_lsp.core.findings import Finding, Fix, Related, Severity
from param_lsp.core.span import Span


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    family: str
    severity: Severity
    polyaxon_rejects: bool
    summary: str
    doc: str
    bad: str
    good: str

    def at(
        self,
        span: Span,
        message: str,
        *,
        related: tuple[Related, ...] = (),
        fixes: tuple[Fix, ...] = (),
        **data: Any,
    ) -> Finding:
        if related:
            from param_lsp.core.public_hub import is_virtual

            # Bundled hub components have no file to point at.
            related = tuple(item for item in related if not is_virtual(item.path))
        return Finding(
            code=self.code,
            message=message,
            span=span,
            severity=self.severity,
            related=related,
            fixes=fixes,
            data=data,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "family": self.family,
            "severity": self.severity.label,
            "polyaxon_rejects": self.polyaxon_rejects,
            "summary": self.summary,
            "doc": self.doc,
            "bad": self.bad,
            "good": self.good,
        }


RULES: dict[str, Rule] = {}
_NAMES: set[str] = set()


def rule(
    code: str,
    name: str,
    *,
    family: str,
    severity: Severity,
    polyaxon_rejects: bool,
    summary: str,
    doc: str = "",
    bad: str = "",
    good: str = "",
) -> Rule:
    """Declare a rule; codes and names must be unique across the whole registry."""
    if code in RULES:
        raise ValueError(f"duplicate rule code {code}")
    if name in _NAMES:
        raise ValueError(f"duplicate rule name {name}")
    new = Rule(
        code=code,
        name=name,
        family=family,
        severity=severity,
        polyaxon_rejects=polyaxon_rejects,
        summary=summary,
        doc=textwrap.dedent(doc).strip() or summary,
        bad=textwrap.dedent(bad).strip("\n"),
        good=textwrap.dedent(good).strip("\n"),
    )
    RULES[code] = new
    _NAMES.add(name)
    return new


def load_all() -> dict[str, Rule]:
    """Import every rule family so the registry is complete."""
    from param_lsp.rules import families  # noqa: F401  (import registers the rules)

    return RULES
