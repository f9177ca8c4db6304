"""Case files under tests/data/<family>/ with the verdicts Polyaxon 2.18 gave on them.

Each folder holds YAML cases and an `oracle.json` made with the Polyaxon oracle
(`polyaxon_verdict.py`): file name → {ok, message, stage}. Tests compare our findings with it.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from param_lsp.core.findings import Finding, Severity
from param_lsp.core.settings import Settings
from param_lsp.core.span import Span
from param_lsp.core.workspace import Workspace
from param_lsp.engine.analyze import Analysis, analyze
from param_lsp.rules.registry import RULES

DATA = Path(__file__).resolve().parent / "data"
#: Settings a family's cases are checked with (`v216` holds Polyaxon 2.16.4's verdicts).
FAMILY_SETTINGS: dict[str, dict[str, str]] = {"v216": {"targetVersion": "2.16"}}


@cache
def oracle(family: str) -> dict[str, dict[str, object]]:
    data: dict[str, dict[str, object]] = json.loads(
        (DATA / family / "oracle.json").read_text(encoding="utf-8")
    )
    return data


def case_names(family: str) -> list[str]:
    return sorted(oracle(family))


def analyze_case(family: str, name: str, workspace: Workspace | None = None) -> Analysis:
    """Analyse one case file (cached per file unless a workspace is given; do not mutate)."""
    if workspace is None:
        return _analyze_cached(family, name)
    return _analyze(family, name, workspace)


@cache
def _analyze_cached(family: str, name: str) -> Analysis:
    return _analyze(family, name, Workspace(root=DATA / family))


def _analyze(family: str, name: str, workspace: Workspace) -> Analysis:
    path = DATA / family / name
    settings = Settings.from_mapping(
        {"root": str(DATA / family), **FAMILY_SETTINGS.get(family, {})}
    )
    return analyze(path.read_text(encoding="utf-8"), path, settings, workspace)


def errors(analysis: Analysis) -> list[Finding]:
    return [f for f in analysis.findings if f.severity == Severity.ERROR]


def assert_agrees_with_oracle(family: str, name: str) -> None:
    """Polyaxon rejects ⇔ we report an error from a rule Polyaxon enforces; where it accepts, any
    error of ours must come from a documented deliberately-stricter rule."""
    row = oracle(family)[name]
    found = errors(analyze_case(family, name))
    enforced = [f for f in found if RULES[f.code].polyaxon_rejects]
    if row["ok"]:
        assert not enforced, f"Polyaxon accepts {name}; we report {[f.message for f in enforced]}"
    else:
        assert enforced, f"Polyaxon rejects {name} ({row['message']}); we report nothing"


def span(text: str) -> Span:
    """'l:c-l:c' with 1-based lines and columns, as editors show them."""
    start, end = text.split("-")
    sl, sc = (int(x) for x in start.split(":"))
    el, ec = (int(x) for x in end.split(":"))
    return Span.of(sl - 1, sc - 1, el - 1, ec - 1)


def find(analysis: Analysis, code: str, where: str) -> Finding:
    wanted = span(where)
    matches = [f for f in analysis.findings if f.code == code and f.span == wanted]
    assert matches, (
        f"no {code} at {where}; got {[(f.code, f.span, f.message) for f in analysis.findings]}"
    )
    return matches[0]
