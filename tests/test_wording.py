"""Every rule's messages follow the wording guide (`WORDING` in rules/registry.py, docs/rules.md).

The messages come from analysing every rule's own "bad" example, every case file of the test
data and the real polyaxonfiles of the shared corpus (under both Polyaxon versions), so each rule
is held to the guide with its real messages, not with templates.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from param_lsp.core.findings import Finding
from param_lsp.core.settings import Settings
from param_lsp.core.workspace import Workspace
from param_lsp.engine.analyze import analyze
from param_lsp.rules.families import load_all
from param_lsp.rules.registry import RULES, shown
from tests.corpus_support import corpus_dir

DATA = Path(__file__).parent / "data"
#: Rules that need a file the tests cannot write portably (not UTF-8, a crash, a YAML bomb), or
#: that no polyaxonfile produces (PLX008: an unusable configuration file, from the server).
NO_EXAMPLE = {"PLX005", "PLX006", "PLX007", "PLX008"}

_CODE_SPAN = re.compile(r"`[^`]*`")
_PY_REPR = re.compile(r"[{\[(]'|'[}\]]|', '|\b(?:List|Dict|Optional|Union)\[|<class ")
_STR_COLLECTION = re.compile(r"[{\[]'[^'`]*'(?:, '[^'`]*')*[}\]]")
_POLYAXON_OPENINGS = ("Received ", "Could not parse", "The Polyaxonfile", "Pipeline has")
_DOUBLED = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?](?:\s+|$)(?=[A-Z]|$)")


def wording_problems(message: str) -> list[str]:
    """What a message does wrong against the guide (empty when it follows it)."""
    problems = []
    prose = _CODE_SPAN.sub("`x`", message)
    if not message or not (message[0].isupper() or message[0] == "`"):
        problems.append("starts with neither a capital letter nor a backticked name")
    if message.startswith(_POLYAXON_OPENINGS) or "an error was encountered" in message:
        problems.append("leads with Polyaxon's wording (it goes to Finding.polyaxon)")
    if "\n" in message:
        problems.append("spans several lines")
    if _PY_REPR.search(prose) or _STR_COLLECTION.search(message):
        problems.append("shows a Python repr")
    doubled = _DOUBLED.search(prose)
    if doubled and doubled.group(1).lower() not in ("x",):
        problems.append(f"doubles the word {doubled.group(1)!r}")
    if re.search(r"\ba an\b|\ban a\b", prose):
        problems.append("has 'a an'")
    if "Please" in prose or "please" in prose:
        problems.append("says please")
    if "(Polyaxon:" in prose or "Polyaxon says" in prose:
        problems.append("carries Polyaxon's wording (it goes to Finding.polyaxon)")
    if len(_SENTENCE_END.findall(prose.rstrip())) > 2:
        problems.append("has more than two sentences")
    if len(prose) > 240:
        problems.append(f"is too long ({len(prose)} characters without names)")
    return problems


@cache
def _messages() -> dict[str, set[str]]:
    load_all()
    found: dict[str, set[str]] = {code: set() for code in RULES}

    def collect(text: str, path: Path, version: str) -> None:
        root = path.parent
        settings = Settings(target_version=version, root=str(root))
        for finding in analyze(text, path, settings, Workspace(root=root)).findings:
            found[finding.code].add(finding.message)

    for rule in RULES.values():
        if rule.bad:
            for version in ("2.18", "2.16"):
                collect(rule.bad + "\n", DATA / "bad.yaml", version)
    for path in sorted(DATA.rglob("*.y*ml")):
        if "foreign" in path.parts or "incremental" in path.parts:
            continue
        text = path.read_bytes().decode("utf-8", errors="replace")
        collect(text, path.resolve(), "2.16" if "v216" in path.parts else "2.18")
    corpus = corpus_dir()
    for path in sorted(corpus.rglob("*.y*ml")) if corpus.is_dir() else []:
        text = path.read_bytes().decode("utf-8", errors="replace")
        for version in ("2.18", "2.16"):
            collect(text, path, version)
    return found


def test_every_rule_with_an_example_produces_messages() -> None:
    silent = sorted(code for code, messages in _messages().items() if not messages)
    assert [code for code in silent if code not in NO_EXAMPLE] == []


@pytest.mark.parametrize("code", sorted(load_all()))
def test_rule_messages_follow_the_wording_guide(code: str) -> None:
    bad = {
        message: problems
        for message in sorted(_messages()[code])
        if (problems := wording_problems(message))
    }
    assert bad == {}


@pytest.mark.parametrize(
    ("message", "problem"),
    [
        ("Pipeline has an orphan op `{'trian'}`", "shows a Python repr"),
        ("Param `flag` has a an input type", "has 'a an'"),
        ("the the value", "starts with neither"),
        ("Value is is wrong.", "doubles the word"),
        ("Bad value (Polyaxon: Cannot convert)", "carries Polyaxon's wording"),
        ("Input type List[str] is wrong.", "shows a Python repr"),
    ],
)
def test_the_guide_catches_what_it_forbids(message: str, problem: str) -> None:
    assert any(p.startswith(problem) for p in wording_problems(message)), wording_problems(message)


def test_a_good_message_passes() -> None:
    assert wording_problems("Unknown op `trian` in `ref`; did you mean `train`?") == []
    assert wording_problems("`epochs` must be an integer; got `1.5`.") == []


def test_polyaxon_wording_is_kept_apart() -> None:
    finding = Finding("PLX101", "`kind` must be `operation`; got `x`.", RULES_SPAN, polyaxon="P")
    assert finding.full_text == "`kind` must be `operation`; got `x`.\nPolyaxon: P"


RULES_SPAN = __import__("param_lsp.core.span", fromlist=["Span"]).Span.of(0, 0, 0, 1)


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("abc", "abc"),
        ("3", '"3"'),
        ("true", '"true"'),
        ("yes", '"yes"'),
        ("~", '"~"'),
        ("1.0e+3", '"1.0e+3"'),  # PyYAML's YAML 1.1 floats need a dot and a signed exponent
        ("1.0e3", "1.0e3"),
        ("1e3", "1e3"),
        ("", '""'),
        (" padded", '" padded"'),
        (3, "3"),
        (None, "null"),
        (False, "false"),
    ],
)
def test_values_are_shown_as_they_must_be_written(value: object, written: str) -> None:
    """A string that YAML would read as another type when unquoted is shown quoted, so a
    message about `"3"` does not look like one about the number 3."""
    assert shown(value) == written


def test_a_quoted_number_given_to_a_bool_input_is_shown_quoted() -> None:
    text = (
        'kind: operation\nparams:\n  flag: {value: "3"}\ncomponent:\n'
        "  inputs: [{name: flag, type: bool}]\n  run: {kind: job, container: {image: x}}\n"
    )
    messages = [f.message for f in analyze(text, None, Settings()).findings]
    assert messages == ['Param `flag` expects type `bool`; got `"3"`.']
