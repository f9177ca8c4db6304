"""The linter conventions of `param-lsp check`: `--select`/`--ignore`, `--fix`/`--diff`,
`--statistics`.

The fixes are the editor's own quick fixes (features/code_actions.py, `safe_fixes`): nothing is
decided here about what a fix is.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TextIO

from param_lsp.cli.results import FileResult, UsageError
from param_lsp.core.findings import Finding
from param_lsp.rules.families import load_all
from param_lsp.rules.registry import RULES

#: Rounds of fixing one file (a fix can reveal another, e.g. two typos on one line).
MAX_FIX_ROUNDS = 4


def rule_codes(values: Sequence[str] | None) -> frozenset[str] | None:
    """Codes selected by `--select`/`--ignore` values: codes, code prefixes (`PLX3`), rule
    names or `ALL`, comma-separated or repeated. None when the option was not given."""
    if not values:
        return None
    load_all()
    codes: set[str] = set()
    for value in values:
        for item in (part.strip() for part in value.split(",")):
            if not item:
                continue
            upper = item.upper()
            matched = {code for code in RULES if upper == "ALL" or code.startswith(upper)}
            matched |= {code for code, rule in RULES.items() if rule.name == item.lower()}
            if not matched:
                raise UsageError(f"no rule has the code or name `{item}`; run `param-lsp rules`")
            codes |= matched
    return frozenset(codes)


def selected_findings(
    findings: Sequence[Finding], select: frozenset[str] | None, ignore: frozenset[str] | None
) -> list[Finding]:
    return [
        f
        for f in findings
        if (select is None or f.code in select) and (ignore is None or f.code not in ignore)
    ]


def fix_text(
    text: str, findings: list[Finding], analyse: Callable[[str], list[Finding]]
) -> tuple[str, list[Finding], int]:
    """Apply the safe fixes until none is left: (new text, its findings, fixes applied)."""
    from param_lsp.features.code_actions import apply_edits, safe_fixes

    applied = 0
    for _round in range(MAX_FIX_ROUNDS):
        fixes = safe_fixes(findings)
        if not fixes:
            break
        new_text = apply_edits(text, [edit for _finding, edit in fixes])
        if new_text == text:
            break
        text = new_text
        applied += len(fixes)
        findings = analyse(text)
    return text, findings, applied


def unified_diff(display: str, before: str, after: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{display}",
        tofile=f"b/{display}",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def statistics(results: Sequence[FileResult], out: TextIO) -> None:
    """One line per rule: count, code, name, severity; most frequent first."""
    load_all()
    counts = Counter(f.code for r in results for f in r.findings)
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        rule = RULES.get(code)
        name = rule.name if rule is not None else ""
        severity = rule.severity.label if rule is not None else ""
        out.write(f"{count:>6}  {code}  {name}  ({severity})\n")
