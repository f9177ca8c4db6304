"""Templates family (§13.2): `{{ }}` names and keys in params, IO defaults and the run section.

Polyaxon never renders templates in `polyaxon check`, so every case here is accepted by it
(tests/data/templates/oracle.json); our findings are warnings (deliberately stricter).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from param_lsp.core.span import Position
from param_lsp.rules.registry import RULES
from param_lsp.rules.templates import (
    _tokenized_paths,
    bound_names,
    find_templates,
    namespaces_for,
    parse_paths,
)
from tests.oracle_cases import analyze_case, case_names, errors, find, oracle

FAMILY = "templates"

EXPECTED = [
    ("unknown_global.yaml", "PLX801", "8:30-8:38", ["`globals` has no key `run_uuid`", "empty"]),
    ("job_base_url.yaml", "PLX801", "6:35-6:43", ["`globals` has no key `base_url`"]),
    ("params_namespace.yaml", "PLX801", "8:26-8:30",
     ["`params.lr` has no key `valu`", "did you mean `value`?"]),
    ("params_namespace.yaml", "PLX801", "8:47-8:50",
     ["`params` has no key `lrr`", "fails", "did you mean `lr`?"]),
    ("unknown_names.yaml", "PLX800", "3:19-3:22", ["`lrr` is not defined", "did you mean `lr`?"]),
    ("unknown_names.yaml", "PLX802", "4:21-4:27", ["`{{ inputs.lr }}` is a ref value",
                                                  "`{{ lr }}`"]),
    ("unknown_names.yaml", "PLX801", "9:49-9:54", ["`globals` has no key `uuidd`"]),
    ("unknown_names.yaml", "PLX800", "12:46-12:53", ["`nothere` is not defined", "is undefined"]),
    # A block scalar does not map 1:1 to its source: the whole scalar is the range.
    ("block_scalar.yaml", "PLX801", "7:9-9:1", ["`globals` has no key `nope`"]),
    ("dag_op_templates.yaml", "PLX801", "11:76-11:81", ["`globals` has no key `uuidd`"]),
    ("dag_op_templates.yaml", "PLX800", "11:91-11:97", ["`epochs` is not defined"]),
]  # fmt: skip


@pytest.mark.parametrize("name", case_names(FAMILY))
def test_polyaxon_accepts_and_we_report_no_error(name: str) -> None:
    assert oracle(FAMILY)[name]["ok"]
    assert not errors(analyze_case(FAMILY, name))


@pytest.mark.parametrize(("name", "code", "where", "words"), EXPECTED)
def test_finding_code_range_and_message(name: str, code: str, where: str, words: list[str]) -> None:
    finding = find(analyze_case(FAMILY, name), code, where)
    assert finding.severity.label == "warning"
    assert not RULES[code].polyaxon_rejects
    for word in words:
        assert word in finding.full_text, finding.full_text


@pytest.mark.parametrize("name", ["known_names.yaml", "service_globals.yaml"])
def test_known_names_are_quiet(name: str) -> None:
    assert analyze_case(FAMILY, name).findings == []


def test_each_case_reports_exactly_the_expected_findings() -> None:
    for name in case_names(FAMILY):
        got = sorted((f.code, f.span) for f in analyze_case(FAMILY, name).findings)
        want = sorted(
            (code, find(analyze_case(FAMILY, name), code, where).span)
            for file, code, where, _ in EXPECTED
            if file == name
        )
        assert got == want, name


def test_fix_replaces_only_the_wrong_segment() -> None:
    finding = find(analyze_case(FAMILY, "params_namespace.yaml"), "PLX801", "8:26-8:30")
    assert [(fix.new_text, fix.span) for fix in finding.fixes] == [("value", finding.span)]


def test_find_templates_offsets_and_unclosed() -> None:
    text = "a {{ x.y }} b {{ params['lr'].value | float }} {{ glob"
    found = find_templates(text)
    assert [(e.start, e.end, e.closed) for e in found] == [(2, 11, True), (14, 46, True),
                                                           (47, 54, False)]  # fmt: skip
    assert [p.dotted for e in found for p in e.paths] == ["x.y", "params.lr.value", "glob"]
    lr = found[1].paths[0].segments[1]
    assert text[lr.start : lr.end] == "lr"
    assert found[1].paths[0].filters == ["float"]


@pytest.mark.parametrize(
    ("expression", "paths"),
    [
        ("a.b | default(c) ", ["a.b", "c"]),
        ("x if y is defined else z", ["x", "y", "z"]),
        ("items | join(sep=',')", ["items"]),
        ("'literal' ~ name", ["name"]),
        ("connections[store].url", ["connections.store.url"]),
        ("true and not none", []),
        # Jinja names are Python identifiers: non-ASCII letters too (Jinja renders
        # `{{ día }}` with `día=1` as `1`), never a leading digit
        ("día", ["día"]),
        ("params.año.value ~ 学習", ["params.año.value", "学習"]),
        ("x1 + 2", ["x1"]),
    ],
)
def test_parse_paths(expression: str, paths: list[str]) -> None:
    assert [p.dotted for p in parse_paths(expression)] == paths


@given(
    st.lists(
        st.sampled_from(
            [
                "a",
                "globals",
                "uuid",
                "_x1",
                "9",
                "loop",
                "true",
                "in",
                ".",
                " ",
                "\t",
                "|",
                "[",
                "é",
                "٣",
            ]
        ),
        max_size=8,
    ).map("".join),
    st.integers(0, 40),
)
def test_a_lone_dotted_name_is_read_as_the_tokenizer_reads_it(inner: str, base: int) -> None:
    assert parse_paths(inner, base) == _tokenized_paths(inner, base)


def test_bound_names_of_jinja_blocks() -> None:
    assert bound_names("{% for a, b in x %}{{ a }}{% endfor %}{% set c = 1 %}") == {"a", "b", "c"}
    assert bound_names("{% for año in x %}{% endfor %}") == {"año"}


def test_namespaces_for_top_level_and_dag_op() -> None:
    analysis = analyze_case(FAMILY, "known_names.yaml")
    scope = namespaces_for(analysis.composed, analysis.settings, analysis.path, Position(0, 0))
    assert scope is not None
    assert {"lr", "extra", "batch", "losses"} <= scope.names
    assert "uuid" in scope.namespaces["globals"]  # type: ignore[operator]
    assert scope.namespaces["connections"] is None
    dag = analyze_case(FAMILY, "dag_op_templates.yaml")
    op_scope = namespaces_for(dag.composed, dag.settings, dag.path, Position(10, 20))
    assert op_scope is not None and "lr" in op_scope.names
