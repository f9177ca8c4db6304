"""The rule registry is the single source of codes, severities and docs."""

from __future__ import annotations

import re
from pathlib import Path

from param_lsp.core.findings import Severity
from param_lsp.rules.docs import rules_markdown
from param_lsp.rules.families import load_all

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules.md"


def test_docs_rules_md_is_generated_from_the_registry() -> None:
    assert DOCS.read_text(encoding="utf-8") == rules_markdown(), (
        "docs/rules.md is stale: run `make rules-doc`"
    )


def test_every_rule_is_documented_with_examples() -> None:
    for code, rule in load_all().items():
        assert re.fullmatch(r"PLX\d{3}", code)
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name), rule.name
        assert rule.summary and rule.doc, code
        assert rule.bad and rule.good, f"{code} needs a bad and a good example"


def test_errors_are_reserved_for_what_polyaxon_rejects_or_documented_stricter_rules() -> None:
    stricter_errors = {
        code
        for code, rule in load_all().items()
        if rule.severity == Severity.ERROR and not rule.polyaxon_rejects
    }
    for code in stricter_errors:
        doc = load_all()[code].doc.lower()
        assert "stricter" in doc or "refused" in doc or "not analysed" in doc, code
