"""Target Polyaxon 2.16: the rules that differ between releases, against 2.16.4's own verdicts.

Cases and verdicts live in tests/data/v216/ (see its README: made with `polyaxon==2.16.4` and
`kubernetes<34`); they are checked with `targetVersion: 2.16`.
"""

from __future__ import annotations

import pytest

from tests.oracle_cases import (
    analyze_case,
    assert_agrees_with_oracle,
    case_names,
    errors,
    find,
    oracle,
)

CASES = case_names("v216")


@pytest.mark.parametrize("name", CASES)
def test_agrees_with_polyaxon_216(name: str) -> None:
    assert_agrees_with_oracle("v216", name)


#: case → (code, range, Polyaxon 2.16.4's message or the words ours must share with it)
EXPECTED = {
    "header_no_kind.yaml": ("PLX100", "1:1-1:8", "The Polyaxonfile `kind` must be specified."),
    "header_no_version_strict_params.yaml": (
        "PLX103",
        "1:1-1:5",
        "The Polyaxonfile `version` must be specified.",
    ),
    "header_version_1_0.yaml": ("PLX103", "1:10-1:13", "versions between: 1.1 <= v <= 1.1."),
    "params_undeclared_no_version.yaml": (
        "PLX103",
        "1:1-1:5",
        "The Polyaxonfile `version` must be specified.",
    ),
    "params_context_only_null_undeclared.yaml": (
        "PLX304",
        "4:3-4:4",
        "Received unexpected params `{'a'}`",
    ),
    "joins_context_only_null_undeclared.yaml": (
        "PLX304",
        "5:14-5:15",
        "Received unexpected params `{'a'}`",
    ),
    "joins_context_only_null_declared.yaml": (
        "PLX401",
        "5:25-5:26",
        "Received an invalid value `x` for param `a`.",
    ),
    "matrix_hyperopt_bad_algorithm.yaml": ("PLX704", "5:14-5:19", "`tpe`, `rand`, `anneal`"),
    "matrix_tpe_unknown.yaml": ("PLX701", "4:9-4:12", "`tpe` is new in Polyaxon 2.18"),
}
#: Where Polyaxon's message is pydantic's and ours is reworded: what its message must name.
POLYAXON_WORDS = {
    "matrix_hyperopt_bad_algorithm.yaml": "Input should be 'tpe', 'rand' or 'anneal'",
    "matrix_tpe_unknown.yaml": "Input tag 'tpe' found using 'kind' does not match",
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_cause_and_range(name: str) -> None:
    code, where, words = EXPECTED[name]
    finding = find(analyze_case("v216", name), code, where)
    assert words in finding.full_text
    verdict = oracle("v216")[name]
    assert not verdict["ok"]
    assert POLYAXON_WORDS.get(name, words) in str(verdict["message"])


def test_accepted_files_have_no_errors() -> None:
    accepted = [name for name in CASES if oracle("v216")[name]["ok"]]
    assert accepted  # a job container without a name is fine in 2.16.4 (with kubernetes < 34)
    for name in accepted:
        assert not errors(analyze_case("v216", name)), name
