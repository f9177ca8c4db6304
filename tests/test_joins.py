"""Joins family: hand-written cases checked against Polyaxon 2.18's recorded verdicts.

Every YAML under tests/data/joins/ is a complete operation whose only problem (if any) is its
`joins`; `oracle-verdicts.json` holds what `polyaxon_verdict.py` (Polyaxon 2.18.0) said.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from param_lsp.core.context import CheckContext
from param_lsp.core.findings import Finding
from param_lsp.core.settings import Settings
from param_lsp.core.workspace import Workspace
from param_lsp.core.yaml_tree import YMap, YSeq, parse_yaml
from param_lsp.engine.analyze import analyze
from param_lsp.rules import joins as join_rules
from param_lsp.rules.registry import RULES

DATA = Path(__file__).parent / "data" / "joins"
VERDICTS: dict[str, dict[str, Any]] = json.loads((DATA / "oracle-verdicts.json").read_text())[
    "verdicts"
]
CASES = sorted(VERDICTS)


def _parse(text: str) -> YMap:
    root = parse_yaml(text).root
    assert isinstance(root, YMap)
    return root


def check_text(text: str, version: str = "2.18") -> tuple[bool, list[Finding]]:
    root = _parse(text)
    ctx = CheckContext(Settings.from_mapping({"targetVersion": version}))
    ok = join_rules.check_joins_schema(root.get("joins"), ctx, root.key_node("joins"))
    return ok, ctx.findings


def _span(f: Finding) -> tuple[int, int, int, int]:
    s = f.span
    return (s.start.line, s.start.character, s.end.line, s.end.character)


@pytest.mark.parametrize("case", CASES)
def test_agrees_with_polyaxon(case: str) -> None:
    verdict = VERDICTS[case]
    ok, findings = check_text((DATA / case).read_text())
    errors = [f for f in findings if f.severity == 1]
    if verdict["ok"]:
        assert ok and not errors, findings
    elif verdict["stage"] == "schema":
        assert not ok and errors, verdict["message"]
    else:
        # Crashes after the schema (merging or compiling join params): reported, schema valid.
        assert verdict["error_type"] in ("AttributeError", "TypeError"), verdict
        assert [f.code for f in errors] in (["PLX607"], ["PLX600"]), findings


#: case → [(code, (line, col, end line, end col), words the message must contain)]
EXPECTED: dict[str, list[tuple[str, tuple[int, int, int, int], tuple[str, ...]]]] = {
    "bad_both_spellings": [
        ("PLX602", (3, 54, 3, 66), ("context_only", "contextOnly")),
    ],
    "bad_joins_scalar": [
        ("PLX600", (1, 7, 1, 8), ("joins", "5")),
    ],
    "bad_limit_neg_str": [
        ("PLX604", (3, 11, 3, 14), ("joins[0].limit", "{{ }}")),
    ],
    "bad_param_null": [
        ("PLX605", (3, 16, 3, 20), ("joins[0].params.a", "{value: ...}")),
    ],
    "bad_params_list": [
        ("PLX604", (3, 12, 3, 15), ("joins[0].params", "{{ }}")),
    ],
    "bad_query_null": [
        ("PLX604", (2, 11, 2, 15), ("joins[0].query",)),
    ],
    "bad_ref_no_value": [
        ("PLX606", (3, 22, 3, 27), ("joins[0].params.a", "ref")),
    ],
    "j_bad": [
        ("PLX602", (7, 4, 7, 7), ("foo", "joins[0]")),
        ("PLX604", (2, 11, 2, 12), ("joins[0].query", "5")),
        ("PLX604", (3, 10, 3, 11), ("joins[0].sort", "1")),
        ("PLX604", (4, 11, 4, 14), ("joins[0].limit", "{{ }}")),
        ("PLX604", (5, 12, 5, 15), ("joins[0].offset", "{{ }}")),
        ("PLX604", (6, 9, 6, 10), ("joins[0].ref", "1")),
        ("PLX605", (9, 9, 9, 10), ("joins[0].params.a", "{value: ...}")),
        ("PLX606", (10, 17, 10, 18), ("joins[0].params.b", "ref")),
        ("PLX602", (12, 79, 12, 82), ("foo", "joins[0].params.d")),
        ("PLX604", (12, 61, 12, 62), ("joins[0].params.d.connection", "2")),
        ("PLX604", (12, 72, 12, 77), ("joins[0].params.d.toInit", "maybe")),
        ("PLX604", (12, 46, 12, 47), ("joins[0].params.d.toEnv", "1")),
        ("PLX604", (14, 6, 14, 7), ("joins[0].params", "1")),
    ],
    "j_dict": [
        ("PLX600", (1, 7, 1, 17), ("joins",)),
    ],
    "j_limit_bool": [
        ("PLX604", (3, 11, 3, 15), ("joins[0].limit", "{{ }}")),
    ],
    "j_noparams": [
        ("PLX607", (2, 4, 3, 0), ("joins[0]", "params")),
    ],
    "j_noquery": [
        ("PLX603", (2, 4, 3, 2), ("query", "joins[0]")),
        ("PLX601", (3, 4, 3, 5), ("joins[1]", "query")),
        ("PLX601", (4, 4, 4, 8), ("joins[2]", "query")),
    ],
    "j_params_null": [
        ("PLX607", (3, 4, 3, 10), ("joins[0]", "params")),
    ],
    "j_params_tmpl": [
        ("PLX607", (3, 12, 3, 21), ("joins[0].params", "string indices must be integers")),
    ],
    "j_tmpl": [
        ("PLX600", (1, 7, 1, 16), ("joins", "'str' object has no attribute 'params'")),
    ],
}


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_expected_findings(case: str) -> None:
    _ok, findings = check_text((DATA / f"{case}.yaml").read_text())
    got = [(f.code, _span(f), f.full_text) for f in findings]
    assert len(got) == len(EXPECTED[case]), got
    for (code, span, message), (want_code, want_span, words) in zip(
        got, EXPECTED[case], strict=True
    ):
        assert (code, span) == (want_code, want_span), got
        for word in words:
            assert word in message, message


JOINS = """
joins:
  - query: a
    params:
      x: {value: outputs.a, contextOnly: true}
      y: {value: outputs.y}
  - 5
  - query: b
    params:
      z: {value: outputs.z}
      x: {value: outputs.b}
  - query: c
"""


def test_join_params_last_join_wins() -> None:
    params = join_rules.join_params(_parse(JOINS).get("joins"))
    assert [p.name for p in params] == ["x", "y", "z"]
    x = params[0]
    assert x.is_join and x.value == "outputs.b" and x.context_only is None
    assert x.key_node is not None and x.key_node.start.line == 10
    assert params[1].value == "outputs.y"
    assert join_rules.join_params(None) == []
    assert join_rules.join_params(_parse("joins: '{{ j }}'").get("joins")) == []


def test_context_only_null_is_accepted_by_both_releases() -> None:
    # Polyaxon 2.16.4 too (tests/data/v216/joins_context_only_null_*.yaml and their verdicts).
    text = "joins:\n  - query: q\n    params: {a: {value: x, contextOnly: null}}\n"
    assert check_text(text) == (True, [])
    assert check_text(text, "2.16") == (True, [])


def test_rules_are_declared_once_with_examples() -> None:
    codes = [code for code in RULES if "PLX600" <= code <= "PLX649"]
    assert len(codes) == 8
    for code in codes:
        declared = RULES[code]
        assert declared.family == "joins" and declared.polyaxon_rejects
        assert declared.bad and declared.good and declared.doc
        assert code in {f.code for f in check_text(declared.bad)[1]}, code
        assert check_text(declared.good) == (True, []), code


# -- corpus ------------------------------------------------------------------------------------

CORPUS = Path(os.environ.get("PARAM_LSP_CORPUS", "/work/shared/corpus/real"))


def corpus_verdicts() -> list[dict[str, Any]]:
    path = CORPUS / "oracle-verdicts.jsonl"
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _joins_nodes(root: YMap) -> list[tuple[Any, Any]]:
    holders: list[YMap] = [root]
    stack: list[Any] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, YMap):
            for key, (_k, value) in node.items():
                if key == "operations" and isinstance(value, YSeq):
                    holders.extend(i for i in value.items if isinstance(i, YMap))
                stack.append(value)
        elif isinstance(node, YSeq):
            stack.extend(node.items)
    return [(h.key_node("joins"), h.get("joins")) for h in holders if "joins" in h.index]


@pytest.mark.skipif(not corpus_verdicts(), reason=f"no corpus verdicts under {CORPUS}")
def test_corpus_joins() -> None:
    seen = 0
    for verdict in corpus_verdicts():
        root = parse_yaml((CORPUS / verdict["file"]).read_text()).root
        if not isinstance(root, YMap):
            continue
        nodes = _joins_nodes(root)
        if not nodes:
            continue
        seen += 1
        ctx = CheckContext(Settings.from_mapping({}))
        for key_node, node in nodes:
            join_rules.check_joins_schema(node, ctx, key_node)
        errors = [f for f in ctx.findings if f.severity == 1]
        message = verdict.get("message") or ""
        if verdict["ok"]:
            assert not errors, (verdict["file"], errors)
        elif verdict["stage"] == "schema" and any(
            line.startswith("joins.") for line in message.splitlines()
        ):
            assert errors, verdict["file"]
    assert seen >= 2


PAIRS = DATA / "pairs"
PAIR_VERDICTS: dict[str, dict[str, Any]] = json.loads((PAIRS / "oracle-verdicts.json").read_text())[
    "verdicts"
]


def _errors(name: str) -> list[tuple[str, int]]:
    result = analyze((PAIRS / name).read_text(), PAIRS / name, Settings(), Workspace(root=PAIRS))
    return [(f.code, f.span.start.line) for f in result.findings if f.severity == 1]


@pytest.mark.parametrize(
    ("pair", "alone"),
    [
        (
            "pair_null_value_and_limit",
            {"pair_limit_alone": ("PLX604", 3), "pair_null_value_alone": ("PLX652", 9)},
        ),
        (
            "pair_renamed_param_and_query",
            {"pair_renamed_param_alone": ("PLX301", 4)},
        ),
    ],
)
def test_an_error_in_one_join_does_not_hide_what_its_params_say(
    pair: str, alone: dict[str, tuple[str, int]]
) -> None:
    """Joins broken outside their `params` (a bad `limit`, a misspelt `query`) still tell which
    params they provide: the other edits' errors (a join param without a value, a required input
    no join provides) are reported beside theirs."""
    assert not PAIR_VERDICTS[f"{pair}.yaml"]["ok"]
    found = _errors(f"{pair}.yaml")
    for name, error in alone.items():
        assert not PAIR_VERDICTS[f"{name}.yaml"]["ok"]
        assert _errors(f"{name}.yaml") == [error]
        assert error in found, found
