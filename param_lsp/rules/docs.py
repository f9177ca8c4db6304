"""Rule documentation generated from the registry (`param-lsp rules`, `docs/rules.md`)."""

from __future__ import annotations

from typing import Any

from param_lsp.rules.families import load_all
from param_lsp.rules.registry import RULES, WORDING, Rule


def rules_json() -> list[dict[str, Any]]:
    load_all()
    return [RULES[code].to_json() for code in sorted(RULES)]


def rules_markdown() -> str:
    load_all()
    out = [
        "# param-lsp rules",
        "",
        "Generated from the rule registry by `param-lsp rules`; do not edit by hand.",
        "",
        "`Polyaxon rejects` says whether Polyaxon itself refuses such a file; rules where it is",
        "`no` are deliberately stricter than Polyaxon (or informational).",
        "",
        "| code | name | family | severity | Polyaxon rejects | summary |",
        "|---|---|---|---|---|---|",
    ]
    ordered = [RULES[code] for code in sorted(RULES)]
    for rule in ordered:
        out.append(
            f"| [{rule.code}](#{rule.code.lower()}) | `{rule.name}` | {rule.family} | "
            f"{rule.severity.label} | {'yes' if rule.polyaxon_rejects else 'no'} | "
            f"{rule.summary} |"
        )
    for rule in ordered:
        out += ["", *rule_section(rule)]
    out += ["", "## Writing messages", "", WORDING.rstrip()]
    return "\n".join(out) + "\n"


def rule_section(rule: Rule) -> list[str]:
    """One rule's section of the reference (its anchor is the lowercase code)."""
    heading = f"**{rule.name}** ({rule.family}, {rule.severity.label})"
    out = [f"## {rule.code}", "", heading, "", rule.doc]
    if rule.bad:
        out += ["", "Bad:", "", "```yaml", rule.bad, "```"]
    if rule.good:
        out += ["", "Good:", "", "```yaml", rule.good, "```"]
    return out


def find_rule(code_or_name: str) -> Rule | None:
    """A rule by code (any case) or name."""
    load_all()
    wanted = code_or_name.strip()
    rule = RULES.get(wanted.upper())
    if rule is None:
        rule = next((r for r in RULES.values() if r.name == wanted.lower()), None)
    return rule
