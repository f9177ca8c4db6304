"""Mutants of valid real polyaxonfiles, judged by Polyaxon 2.18.0 (`tests/data/mutants/`).

Each mutant is one or two exact edits of a corpus file; `mutants.json` holds the edits, the
rule code naming Polyaxon's cause for each edit, and Polyaxon's verdict on the mutant (and, for
two edits, on each edit alone). The tests hold param-lsp to: the same verdict; each edit's cause
reported on the edited line; both independent edits reported at once; no "has no run" (PLX905)
unless that is the cause.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from param_lsp.core.findings import Finding, Severity
from param_lsp.core.workspace import Workspace
from param_lsp.engine.analyze import analyze
from param_lsp.rules.registry import RULES
from tests.corpus_support import corpus_dir, corpus_settings

CORPUS = corpus_dir()
MUTANTS: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "data" / "mutants" / "mutants.json").read_text(encoding="utf-8")
)
pytestmark = pytest.mark.skipif(
    not (CORPUS / "oracle-verdicts.jsonl").exists(), reason=f"corpus not found at {CORPUS}"
)


def _mutate(mutant: dict[str, Any], edits: list[dict[str, str]]) -> tuple[Path, str]:
    path = CORPUS / mutant["base"]
    text = path.read_text(encoding="utf-8")
    for edit in edits:
        assert text.count(edit["old"]) == 1, f"{mutant['id']}: base file changed"
        text = text.replace(edit["old"], edit["new"])
    return path, text


def _edit_lines(text: str, edits: list[dict[str, str]]) -> list[range]:
    """The lines each edit's new text covers in the mutated text."""
    lines = []
    for edit in edits:
        start = text.index(edit["new"])
        first = text.count("\n", 0, start)
        lines.append(range(first, first + edit["new"].rstrip("\n").count("\n") + 1))
    return lines


def _findings(mutant: dict[str, Any]) -> tuple[str, list[Finding]]:
    path, text = _mutate(mutant, mutant["edits"])
    analysis = analyze(text, path, corpus_settings(CORPUS), Workspace(root=CORPUS))
    return text, analysis.findings


@pytest.mark.parametrize("mutant", MUTANTS, ids=[m["id"] for m in MUTANTS])
def test_verdict_and_cause_agree_with_polyaxon(mutant: dict[str, Any]) -> None:
    text, findings = _findings(mutant)
    enforced = [
        f for f in findings if f.severity == Severity.ERROR and RULES[f.code].polyaxon_rejects
    ]
    oracle = mutant["oracle"]
    assert bool(enforced) == (not oracle["ok"]), (
        f"Polyaxon {'accepts' if oracle['ok'] else 'rejects'} ({oracle['message'][:200]}); "
        f"we report {[(f.code, f.message) for f in enforced]}"
    )
    expected = [edit["expect"] for edit in mutant["edits"]]
    for edit_lines, code in zip(_edit_lines(text, mutant["edits"]), expected, strict=True):
        if not code:
            continue
        at_edit = [f for f in findings if f.code == code and f.span.start.line in edit_lines]
        whole_file = code == "PLX905"  # reported on `kind`, not on the edit
        assert at_edit or (whole_file and any(f.code == code for f in findings)), (
            f"{code} expected on lines {list(edit_lines)}; got "
            f"{[(f.code, f.span.start.line, f.message) for f in findings]}"
        )
    if "PLX905" not in expected:
        assert not [f for f in findings if f.code == "PLX905"], "a false 'has no run'"
    # No false cause beside the right one: every error or warning the base file does not have
    # is an expected one.
    base_path = CORPUS / mutant["base"]
    base = analyze(
        base_path.read_text(encoding="utf-8"),
        base_path,
        corpus_settings(CORPUS),
        Workspace(root=CORPUS),
    ).findings
    known = {(f.code, f.message) for f in base}
    extra = [
        (f.code, f.message)
        for f in findings
        if f.severity <= Severity.WARNING
        and (f.code, f.message) not in known
        and f.code not in expected
    ]
    assert not extra, f"unexpected findings: {extra}"


TWO_EDITS = [m for m in MUTANTS if len(m["edits"]) > 1]


@pytest.mark.parametrize("mutant", TWO_EDITS, ids=[m["id"] for m in TWO_EDITS])
def test_independent_edits_are_each_rejected_and_both_reported(mutant: dict[str, Any]) -> None:
    # Polyaxon rejects each edit on its own (so both are real errors) ...
    assert all(not verdict["ok"] for verdict in mutant["oracle_each"])
    # ... and param-lsp reports both in the file that has them together.
    text, findings = _findings(mutant)
    for edit_lines, edit in zip(_edit_lines(text, mutant["edits"]), mutant["edits"], strict=True):
        whole_file = edit["expect"] == "PLX905"  # reported on `kind`, not on the edit
        assert any(
            f.code == edit["expect"] and (whole_file or f.span.start.line in edit_lines)
            for f in findings
        ), f"{edit['expect']} missing for {edit['new']!r}"


def test_every_family_of_the_fidelity_work_has_mutants() -> None:
    families = {m["family"] for m in MUTANTS}
    assert {"no-run", "run-patch", "schedule", "image", "hub", "url-map", "independent"} <= (
        families
    )
    two_edit_families = {m["family"] for m in TWO_EDITS}
    assert {"no-run", "run-patch", "schedule", "image", "hub", "url-map", "independent"} <= (
        two_edit_families
    )


WITH_216 = [m for m in MUTANTS if "oracle_216" in m]


@pytest.mark.parametrize("mutant", WITH_216, ids=[m["id"] for m in WITH_216])
def test_verdict_agrees_with_polyaxon_216(mutant: dict[str, Any]) -> None:
    """`targetVersion: 2.16` against Polyaxon 2.16.4's verdict on the same mutant (2.16 also
    requires exactly one reference, rejects undeclared params and skips DAG ops' runPatch)."""
    path, text = _mutate(mutant, mutant["edits"])
    settings = corpus_settings(CORPUS, "2.16")
    findings = analyze(text, path, settings, Workspace(root=CORPUS)).findings
    enforced = [
        f for f in findings if f.severity == Severity.ERROR and RULES[f.code].polyaxon_rejects
    ]
    oracle = mutant["oracle_216"]
    assert bool(enforced) == (not oracle["ok"]), (oracle["message"][:200], enforced)
