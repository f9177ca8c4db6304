"""Single edits of real polyaxonfiles, the way users edit them, judged by Polyaxon 2.18.0.

`tests/data/edit_mutants/edit_mutants.json` (made by `make_edit_mutants.py` with a fixed seed)
holds about four thousand one-edit mutants of the valid files of the real corpus: values of
another type, dropped, added, misspelt and renamed keys, broken refs, input types, defaults,
options and validations, deleted sections and indentation slips, DAG edits, templates naming
nothing, and style-only rewrites. `edit_mutants_2.json` (`make_edit_mutants_2.py`) adds a
second round of about 2,600: flow -> block and mixed styles, comments between keys and at line
ends, quoted keys, CRLF with a real mistake, DAG edits (renamed ops and outputs, typed edges that
no longer match, missing or cyclic dependencies), join edits in block and flow style (partly on
the hand-written bases of `bases/`), and half-typed text (a key without its value, `ref: ops.`,
an unclosed flow mapping). `edit_mutants_3.json` (`make_edit_mutants_3.py`) adds a third
round of about 10,100 for what the first two did not reach, partly on new hand-written bases:
run kinds other than `job` (service, DAG, Dask, Ray, MPI, PyTorch, TF, tuner, notifier,
cleaner, and kinds Polyaxon does not support) and their replicas, the matrix kinds in depth,
hooks, events, schedules, cache, termination, plugins, build and the operation's own fields,
every IO type with values of each, IO and param fields, fields added, deleted and given values
of other types, every hyper-parameter kind crossed with edge-case values (steps of zero,
reversed bounds, dates, probabilities), every IO type crossed with values of every type (as
a default, as an operation's param and as a DAG op's param),
YAML 1.1 retyping, anchors and aliases, merge keys (`<<: {...}`, with the fields as they
were or with a mistake inside), whole sections in flow style, and some of these
mistakes again with CRLF line ends. For each, param-lsp must give Polyaxon's verdict (an error
of a rule Polyaxon enforces, or none), and when Polyaxon rejects, report an error at the edit, of a
rule that names Polyaxon's cause (`CAUSES`). A difference that is deliberate (a rule stricter
than Polyaxon) or where Polyaxon is inconsistent would be listed with its reason in
`expected_differences.json`; there is none.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from param_lsp.core.findings import Finding, Severity
from param_lsp.core.memo import DocumentCache
from param_lsp.core.workspace import Workspace
from param_lsp.engine.analyze import analyze
from param_lsp.rules.registry import RULES
from tests.corpus_support import (
    TEMPLATE_MESSAGES,
    corpus_dir,
    corpus_settings,
    edit_base_path,
    edit_base_root,
)

CORPUS = corpus_dir()
base_path = edit_base_path
base_root = edit_base_root
DATA = Path(__file__).parent / "data" / "edit_mutants"
#: The first round (`make_edit_mutants.py`) and the second (`make_edit_mutants_2.py`: flow ->
#: block, mixed styles, comments, quoted keys, CRLF with a mistake, DAG and join edits,
#: half-typed text, partly on the hand-written bases of `bases/`).
FIRST: list[dict[str, Any]] = json.loads((DATA / "edit_mutants.json").read_text(encoding="utf-8"))
SECOND: list[dict[str, Any]] = json.loads(
    (DATA / "edit_mutants_2.json").read_text(encoding="utf-8")
)
#: The third round (`make_edit_mutants_3.py`): run kinds other than `job`, replica specs, the
#: matrix kinds in depth, hooks, events, schedules, cache, termination, plugins, build, every
#: IO type, IO and param fields, YAML 1.1 retyping, anchors and whole sections in flow style.
THIRD: list[dict[str, Any]] = json.loads((DATA / "edit_mutants_3.json").read_text(encoding="utf-8"))
MUTANTS = FIRST + SECOND + THIRD
BY_ID = {m["id"]: m for m in MUTANTS}
#: id -> reason: where param-lsp and Polyaxon differ on purpose, or Polyaxon is inconsistent.
EXPECTED: dict[str, str] = json.loads(
    (DATA / "expected_differences.json").read_text(encoding="utf-8")
)
pytestmark = pytest.mark.skipif(
    not (CORPUS / "oracle-verdicts.jsonl").exists(), reason=f"corpus not found at {CORPUS}"
)


def mutated(mutant: dict[str, Any]) -> str:
    text = _base_text(mutant["base"])
    if "old" in mutant:
        assert text.count(mutant["old"]) == 1, f"{mutant['id']}: base file changed"
        text = text.replace(mutant["old"], mutant["new"])
    if mutant.get("transform") == "crlf":
        text = text.replace("\n", "\r\n")
    return text


@cache
def _base_text(base: str) -> str:
    return base_path(base).read_text(encoding="utf-8")


def polyaxon_rejects(oracle: dict[str, Any]) -> bool:
    """A component is judged as a template: missing params alone are not a rejection."""
    if oracle["ok"]:
        return False
    if oracle.get("kind") == "component" and oracle.get("stage") == "params":
        return not any(text in oracle["message"] for text in TEMPLATE_MESSAGES)
    return True


def findings(mutant: dict[str, Any]) -> list[Finding]:
    return _findings(mutant["id"])


@cache
def _findings(ident: str) -> list[Finding]:
    mutant = BY_ID[ident]
    path = base_path(mutant["base"])
    root = base_root(mutant["base"])
    return analyze(mutated(mutant), path, corpus_settings(CORPUS), Workspace(root=root)).findings


def enforced(found: list[Finding]) -> list[Finding]:
    return [f for f in found if f.severity == Severity.ERROR and RULES[f.code].polyaxon_rejects]


def _yaml_error_line(oracle: dict[str, Any]) -> int | None:
    """Where PyYAML stopped (0-based), from Polyaxon's "Received non valid yaml" message."""
    lines = re.findall(r"line (\d+), column", oracle["message"])
    return int(lines[-1]) - 1 if oracle["stage"] == "read" and lines else None


def at_the_edit(mutant: dict[str, Any], finding: Finding) -> bool:
    """An error at the edit: on its lines, inside the input/output or param it edits (or, for an
    indentation slip, the lines that moved), on a line that uses the edited name (a renamed op
    or output, an output whose type changed), with a related note there, at the line where
    Polyaxon's YAML reader stopped, or a "has no run" (PLX905, shown on `kind`)."""
    first, last = mutant["at"]
    places = [(first, last)]
    if mutant["scope"]:
        places.append(tuple(mutant["scope"]))
    places.extend(tuple(lines) for lines in mutant.get("uses", ()))
    stop = _yaml_error_line(mutant["oracle"])
    if stop is not None and finding.code == "PLX001":
        places.append((stop, stop))
    if any(a <= finding.span.start.line <= b for a, b in places):
        return True
    if any(
        r.path in (None, str(base_path(mutant["base"]))) and a <= r.span.start.line <= b
        for r in finding.related
        for a, b in places[:2]
    ):
        return True
    return finding.code == "PLX905"


_SCHEMA = {f"PLX{n}" for n in (*range(110, 132), 102, *range(200, 204))}
_MATRIX = {f"PLX{n}" for n in range(700, 732)}
_JOINS = {f"PLX{n}" for n in range(600, 653)}
#: Python errors raised by Polyaxon's checks of a value (a default, a param, a matrix field).
_CRASH = {"PLX202", "PLX302", "PLX652", "PLX705"}
#: Polyaxon's message -> the rules that name that cause (docs/rules.md quotes each message).
#: Pydantic's messages name the model path: a matrix path belongs to the matrix family, a
#: joins path to the joins family, any other to the schema and IO-definition rules. The first
#: pattern that matches decides.
CAUSES: list[tuple[str, set[str]]] = [
    (r"^Received non valid yaml", {"PLX001", "PLX002"}),
    (r"is not a supported value", {"PLX101"}),
    (r"^Unexpected section", {"PLX102"}),
    (r"has no run\.$|^runPatch requires a resolved runtime", {"PLX905"}),
    (r"is required, no param was passed", {"PLX301"}),
    (r"has non optional inputs/outputs", {"PLX300"}),
    (r"requires a matching input/output declaration", {"PLX306"}),
    (r"^Received an invalid value `.*` for param", {"PLX401"}),
    (r"does not correspond to hyper-param type", {"PLX730"}),
    (r"does not correspond to the type of the value", {"PLX407"}),
    (r"has no such information", {"PLX406"}),
    (r"^Could not parse value", {"PLX302", "PLX202"}),
    (r"graph is not acyclic", {"PLX510"}),
    (r"it has no ops to validate components", {"PLX500"}),
    (r"cannot define a schedule\.$", {"PLX507"}),
    (r"multiple ops with the same name", {"PLX504"}),
    (r"contains an orphan ops", {"PLX509"}),
    (r"has no definition field", {"PLX508"}),
    (r"requires a component with name", {"PLX505"}),
    (r"^Pipeline component requires a name", {"PLX501"}),
    (r"^Pipeline op requires a name", {"PLX503"}),
    (r"has a an input type List\[", {"PLX408"}),
    (r"does not exist or is not a file", {"PLX900"}),
    (r"^unhashable type", {"PLX101"}),  # a `kind` that is a list or a mapping
    (r"unexpected keyword argument", {"PLX110"}),
    # an input/output item that is null or a number (`-` alone while typing), or a value that
    # a `validation` (`contains`, `excludes`) cannot be applied to: the same Python error
    (r"argument of type '\w+' is not iterable`?$", {"PLX111", "PLX731", *_CRASH}),
    (r"it does not expect a list of values from the join", {"PLX651"}),
    (r"^list index out of range$", {"PLX403"}),  # `ref: ops` with no op name
    # an IO type YAML reads as a number (`type: 1e3`, `type: '010'`)
    (
        r"^Forward reference must be an expression|^Unable to generate pydantic-core schema",
        {"PLX202", "PLX302"},
    ),
    (r"^Received a non valid config", _CRASH),
    (
        r"not supported between|expected string or bytes-like|requires string as left"
        r"|^unsupported operand type",
        _CRASH,
    ),
    (r"^Received undeclared param `", {"PLX305"}),
    (r"is not fully defined; you should define", {"PLX202", "PLX302"}),  # an unknown IO type
    (r"object has no attribute 'get'", {"PLX111"}),  # an input that is not a mapping
    (r"^'list' object has no attribute 'to_dict'", {"PLX111"}),  # a `validation` list
    (r"^'NoneType' object has no attribute 'items'$", {"PLX607"}),  # a join without params
    (r"object has no attribute", {"PLX731"}),
    (r"validation errors? for V1\w+\nversion\n", {"PLX103"}),
    (r"validation errors? for V1\w+\n(run\.operations\.|component\.)?matrix", _MATRIX),
    (r"validation errors? for V1\w+\n(run\.operations\.|component\.)?joins", _JOINS),
    (r"validation errors? for V1\w+\n", _SCHEMA),
]


def causes(oracle: dict[str, Any]) -> set[str] | None:
    message = oracle["message"]
    return next((codes for pattern, codes in CAUSES if re.search(pattern, message)), None)


def classify(mutant: dict[str, Any]) -> str:
    """ "agree", "false-error" (we reject, Polyaxon accepts), "missed" (Polyaxon rejects, we do
    not), "elsewhere" (both reject, but no error of ours is at the edit) or "other-cause" (the
    errors at the edit are not of a rule that names Polyaxon's cause)."""
    errors = enforced(findings(mutant))
    rejects = polyaxon_rejects(mutant["oracle"])
    if bool(errors) != rejects:
        return "false-error" if errors else "missed"
    if rejects and mutant["at"] is not None:
        at_edit = [f for f in errors if at_the_edit(mutant, f)]
        if not at_edit:
            return "elsewhere"
        expected = causes(mutant["oracle"])
        if expected is None or not {f.code for f in at_edit} & expected:
            return "other-cause"
    return "agree"


@cache
def _classified() -> dict[str, str]:
    return {m["id"]: classify(m) for m in MUTANTS}


def test_the_set_is_broad() -> None:
    assert len(MUTANTS) >= 2000
    assert len({m["base"] for m in MUTANTS}) >= 150
    operators = Counter(m["operator"] for m in MUTANTS)
    assert len(operators) >= 20 and min(operators.values()) >= 20
    # Both verdicts are well represented.
    rejected = sum(polyaxon_rejects(m["oracle"]) for m in MUTANTS)
    assert 0.2 * len(MUTANTS) < rejected < 0.8 * len(MUTANTS)


def test_every_rejection_has_a_known_cause() -> None:
    unknown = [
        m["id"] for m in MUTANTS if polyaxon_rejects(m["oracle"]) and not causes(m["oracle"])
    ]
    assert not unknown, unknown[:10]


def test_every_expected_difference_names_a_mutant_and_a_reason() -> None:
    ids = {m["id"] for m in MUTANTS}
    assert set(EXPECTED) <= ids
    assert all(len(reason) > 20 for reason in EXPECTED.values())


def test_same_verdict_as_polyaxon_and_the_error_at_the_edit() -> None:
    wrong = {
        ident: verdict
        for ident, verdict in _classified().items()
        if verdict != "agree" and ident not in EXPECTED
    }
    assert not wrong, f"{len(wrong)} disagreements: {sorted(wrong.items())[:20]}"


def test_expected_differences_still_differ() -> None:
    stale = [ident for ident in EXPECTED if _classified()[ident] == "agree"]
    assert not stale, f"listed as different but agree now: {stale}"


def test_style_only_rewrites_keep_the_verdict() -> None:
    """Flow style, CRLF, comments, non-ASCII text and quoting change nothing Polyaxon reads."""
    style = [m for m in MUTANTS if m["operator"].startswith("style-")]
    assert len(style) >= 300
    assert all(m["oracle"]["ok"] for m in style)
    assert all(_classified()[m["id"]] == "agree" for m in style)


def test_the_second_round_covers_its_operators() -> None:
    """Flow -> block and mixed styles, comments, quoted keys, CRLF with a real mistake, DAG and
    join edits, half-typed text: each operator has mutants, the style-only ones all accepted."""
    operators = Counter(m["operator"] for m in SECOND)
    assert set(operators) == {
        "style-block", "style-mixed", "style-comment", "style-quoted-key", "half-typed",
        "dag-rename-op", "dag-output-rename", "dag-edge-type", "dag-dependencies", "join-edits",
        "crlf-mistake",
    }  # fmt: skip
    assert min(operators.values()) >= 20
    crlf = [m for m in SECOND if m["operator"] == "crlf-mistake"]
    assert all(polyaxon_rejects(m["oracle"]) for m in crlf)
    assert all("\r\n" in mutated(m) for m in crlf)
    half = [m for m in SECOND if m["operator"] == "half-typed"]
    assert sum(m["oracle"]["stage"] == "read" for m in half) > 100  # YAML errors are Polyaxon's too


def test_the_third_round_covers_its_operators() -> None:
    """Run kinds, matrix kinds, sections, IO types and fields, YAML 1.1 retyping and style
    rewrites: each operator has mutants in both verdicts (the style-only ones all accepted),
    on the corpus and on the hand-written bases, some again with CRLF line ends."""
    operators = Counter(m["operator"] for m in THIRD)
    assert set(operators) == {
        "run-fields", "field-insert", "field-delete", "run-kind", "matrix-forms", "io-typed",
        "io-fields", "param-fields", "yaml-retype", "style-flow-section", "style-anchor",
        "hp-cross", "io-cross", "field-cross", "param-cross", "style-merge", "merge-value",
    }  # fmt: skip
    assert min(operators.values()) >= 70
    for operator in operators:
        verdicts = {polyaxon_rejects(m["oracle"]) for m in THIRD if m["operator"] == operator}
        assert verdicts == ({False} if operator.startswith("style-") else {False, True})
    run_kinds = {
        m["new"].split("kind: ")[-1].strip()
        for m in THIRD
        if m["operator"] == "run-kind" and m["path"].endswith("run.kind")
    }
    assert {"service", "dag", "daskcluster", "raycluster", "mpijob", "pytorchjob", "tfjob"} <= (
        run_kinds
    )
    assert sum(m["base"].startswith("_bases/") for m in THIRD) > 2000
    crlf = [m for m in THIRD if m.get("transform") == "crlf"]
    assert len(crlf) >= 100 and all(polyaxon_rejects(m["oracle"]) for m in crlf)


def test_no_edit_makes_the_analysis_fail() -> None:
    """Half-typed text, broken YAML, any edit: the analysis never fails (PLX007)."""
    failed = [m["id"] for m in MUTANTS if any(f.code == "PLX007" for f in findings(m))]
    assert not failed, failed[:10]


def test_half_typed_edits_in_an_editor_session_match_fresh_analyses() -> None:
    """As in an editor: each base, then its half-typed edits one after another, analysed with
    the document's cache (what the language server does on each keystroke) give the findings
    of a fresh analysis of the same text."""
    by_base: dict[str, list[dict[str, Any]]] = {}
    for m in SECOND:
        if m["operator"] == "half-typed":
            by_base.setdefault(m["base"], []).append(m)
    settings = corpus_settings(CORPUS)
    for base, mutants in sorted(by_base.items()):
        path, workspace, cache = base_path(base), Workspace(root=base_root(base)), DocumentCache()
        analyze(_base_text(base), path, settings, workspace, cache)
        for mutant in mutants:
            session = analyze(mutated(mutant), path, settings, workspace, cache).findings
            assert _keys(session) == _keys(findings(mutant)), mutant["id"]
            analyze(_base_text(base), path, settings, workspace, cache)


def _keys(found: list[Finding]) -> list[str]:
    return sorted(repr((f.code, f.message, f.span, f.severity, f.related)) for f in found)
