"""The positioned YAML layer types scalars exactly like PyYAML's safe_load (Polyaxon's reader)."""

from __future__ import annotations

import time

import pytest
import yaml

from param_lsp.core.span import Span
from param_lsp.core.yaml_tree import YMap, YScalar, parse_yaml

# YAML 1.1 surprises from the spec (§2): the reference value is what safe_load returns.
YAML_11_CASES = [
    "a: yes", "a: No", "a: on", "a: OFF", "a: y", "a: n", "a: 012", "a: 0o12", "a: 0x1F",
    "a: 0b101", "a: 1_000", "a: +1", "a: 12:30", "a: 1:2:3", "a: .5", "a: 1.", "a: 1e3",
    "a: 1.0e3", "a: 1.0e+3", "a: .nan", "a: .inf", "a: -.inf", "a: ~", "a: null", "a:",
    "a: 2020-01-01", "a: 2020-01-01T10:00:00", "a: 2020-01-01 10:00:00Z", "a: 2020-1-1",
    "a: a{{ x }}", "a: '{{ x }}'", "a: [1, two, 3.0]", "a: {b: c}", "a: !!str 12",
    "a: &x 1\nb: *x", "base: &b {x: 1}\nc:\n  <<: *b\n  y: 2",
]  # fmt: skip


@pytest.mark.parametrize("text", YAML_11_CASES)
def test_values_match_safe_load(text: str) -> None:
    parsed = parse_yaml(text)
    assert parsed.problems == []
    assert parsed.root is not None
    expected = yaml.safe_load(text)
    got = parsed.root.to_py()
    assert got == expected or (expected["a"] != expected["a"] and got["a"] != got["a"])  # nan
    assert type(got.get("a")) is type(expected.get("a"))


def test_every_key_and_value_has_its_exact_span() -> None:
    parsed = parse_yaml("kind: operation\nparams:\n  lr: {value: 0.5}\n  name: 'é😀 x'\n")
    root = parsed.root
    assert isinstance(root, YMap)
    assert root.key_node("kind").span == Span.of(0, 0, 0, 4)  # type: ignore[union-attr]
    params = root.get("params")
    assert isinstance(params, YMap)
    lr = params.get("lr")
    assert isinstance(lr, YMap)
    assert lr.get("value").span == Span.of(2, 14, 2, 17)  # type: ignore[union-attr]
    name = params.get("name")
    assert isinstance(name, YScalar)
    # columns are code points: the quoted scalar is 6 characters long including its quotes
    assert name.span == Span.of(3, 8, 3, 14)


def test_unquoted_template_is_reported_at_the_flow_mapping() -> None:
    parsed = parse_yaml("params:\n  lr:\n    value: {{ x }}\n")
    assert [p.kind for p in parsed.problems] == ["unhashable-key"]
    assert parsed.problems[0].span == Span.of(2, 11, 2, 18)
    with pytest.raises(yaml.constructor.ConstructorError, match="unhashable"):
        yaml.safe_load("params:\n  lr:\n    value: {{ x }}\n")


def test_syntax_error_position_is_pyyaml_problem_mark() -> None:
    text = "run:\n  kind: job\n  container: {image: x\n"
    parsed = parse_yaml(text)
    assert parsed.root is None
    with pytest.raises(yaml.MarkedYAMLError) as info:
        yaml.safe_load(text)
    mark = info.value.problem_mark
    assert mark is not None
    assert parsed.problems[0].kind == "syntax"
    assert parsed.problems[0].span.start == (mark.line, mark.column)


def test_duplicate_keys_are_kept_last_wins_like_pyyaml() -> None:
    parsed = parse_yaml("a: 1\nb: 2\na: 3\n")
    assert parsed.root is not None
    assert parsed.root.to_py() == yaml.safe_load("a: 1\nb: 2\na: 3\n") == {"a": 3, "b": 2}
    (duplicate, first), *_ = parsed.duplicates
    assert duplicate.span == Span.of(2, 0, 2, 1)
    assert first.span == Span.of(0, 0, 0, 1)


def test_unknown_tag_is_a_constructor_problem_like_safe_load() -> None:
    with pytest.raises(yaml.constructor.ConstructorError):
        yaml.safe_load("a: !custom 1\n")
    parsed = parse_yaml("a: !custom 1\n")
    assert [p.kind for p in parsed.problems] == ["constructor"]
    assert parsed.problems[0].span == Span.of(0, 3, 0, 12)


@pytest.mark.parametrize(
    ("text", "kind"),
    [("", "empty"), ("# only a comment\n", "empty"), ("a: b\n---\nc: d\n", "syntax")],
)
def test_unreadable_documents(text: str, kind: str) -> None:
    parsed = parse_yaml(text)
    assert parsed.root is None
    assert [p.kind for p in parsed.problems] == [kind]


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    started = time.perf_counter()
    parsed = parse_yaml("\n".join(lines))
    assert time.perf_counter() - started < 2
    assert parsed.root is None
    assert [p.kind for p in parsed.problems] == ["alias-bomb"]


@pytest.mark.parametrize("depth", [300, 10_000, 200_000])
def test_deep_nesting_is_refused_without_crashing(depth: int) -> None:
    parsed = parse_yaml("a: " + "[" * depth + "]" * depth)
    assert parsed.root is None
    assert [p.kind for p in parsed.problems] == ["too-deep"]


# Below and above LibYAML's own limit of 1,000 levels (PyYAML 6.0.4+ wheels stop there with a
# scanner error): the first node deeper than 200 levels is named either way. Each position is
# the node at depth 201, counted from the root mapping at depth 0.
@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("a: " + "[" * 300 + "]" * 300, (0, 203)),
        ("a: " + "[" * 1500 + "]" * 1500, (0, 203)),
        ("a:\n" + "".join(" " * (2 * i) + "- \n" for i in range(1200)), (201, 400)),
        ("".join(" " * i + "k:\n" for i in range(1100)) + " " * 1100 + "v", (200, 200)),
        ("x: 1\ny:\n  z: " + "{a: " * 1200 + "1" + "}" * 1200, (2, 798)),
    ],
    ids=["flow-300", "flow-1500", "block-seq-1200", "block-map-1100", "flow-map-1200"],
)
def test_too_deep_names_the_first_node_past_the_limit(text: str, start: tuple[int, int]) -> None:
    parsed = parse_yaml(text)
    assert parsed.root is None
    assert [(p.kind, p.message) for p in parsed.problems] == [
        ("too-deep", "the document nests collections more than 200 levels deep")
    ]
    span = parsed.problems[0].span
    assert (span.start.line, span.start.character) == start
    assert (span.end.line, span.end.character) == (start[0], start[1] + 1)


def test_moderate_nesting_is_fine() -> None:
    parsed = parse_yaml("a: " + "[" * 50 + "1" + "]" * 50)
    assert parsed.problems == []


def test_invalid_characters_are_reported_with_position() -> None:
    parsed = parse_yaml("a: b\nc: \x07\n")
    assert parsed.root is None
    assert parsed.problems[0].kind == "syntax"
    assert parsed.problems[0].span.start.line == 1


def test_syntax_error_after_an_unquoted_template_offers_quoting() -> None:
    from param_lsp.engine.analyze import analyze

    text = "kind: operation\nparams:\n  data:\n    value: {{ globals.artifacts_path }}/data\n"
    with pytest.raises(yaml.MarkedYAMLError):
        yaml.safe_load(text)
    (finding,) = analyze(text).findings
    assert finding.code == "PLX001"
    assert "unquoted `{{`" in finding.message
    (fix,) = finding.fixes
    assert fix.span == Span.of(3, 11, 3, 44)
    assert fix.new_text == '"{{ globals.artifacts_path }}/data"'
    assert yaml.safe_load(text.replace("{{ globals.artifacts_path }}/data", fix.new_text))


@pytest.mark.parametrize("text", ["a: !!int\n", "a: !!float ''\n", "a: !!timestamp x\n"])
def test_any_constructor_failure_is_a_problem_not_a_crash(text: str) -> None:
    # safe_load itself fails on these (PyYAML's int constructor even raises IndexError).
    with pytest.raises(Exception):  # noqa: B017  (whatever PyYAML raises)
        yaml.safe_load(text)
    parsed = parse_yaml(text)
    assert [p.kind for p in parsed.problems] == ["constructor"]
    assert parsed.problems[0].span.start == (0, 3)


def test_the_scalar_memos_stay_bounded_over_a_long_typing_session() -> None:
    """Every keystroke in a plain scalar is a new text for the resolver memo."""
    from param_lsp.core import yaml_tree

    for number in range(25_000):
        parse_yaml(f"a: {number}.5x\nb: {number}\n")
    assert len(yaml_tree._RESOLVED) <= yaml_tree._MEMO_LIMIT + 1 <= 10_001
    assert len(yaml_tree._TYPED) <= yaml_tree._MEMO_LIMIT + 1
