"""Incremental analysis gives exactly what a fresh analysis of the same text gives.

The language server re-analyses a document on every edit, re-composing only the regions the
edit touched (``core.chunked``) and replaying remembered checks of unchanged nodes
(``core.memo``). These tests hold that to the standard of a fresh analysis: same tree, node for
node and mark for mark, and the same findings at the same positions, over the real-file corpus
and over random edit sessions.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from benchmarks.generate import dag, operation
from param_lsp.core import chunked, memo
from param_lsp.core.chunked import LineTable, ParseCache, parse_incremental
from param_lsp.core.findings import Finding
from param_lsp.core.memo import UNUSED_ENTRIES, DocumentCache
from param_lsp.core.span import Span
from param_lsp.core.workspace import Workspace
from param_lsp.core.yaml_tree import YMap, YNode, YScalar, YSeq, parse_yaml
from param_lsp.engine.analyze import analyze
from param_lsp.rules.dag import GRAPH_CYCLE
from tests.corpus_support import corpus_dir

DATA = Path(__file__).parent / "data" / "incremental"
CORPUS = corpus_dir()
needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"the real-file corpus is not at {CORPUS}"
)

#: Text typed or deleted by the random sessions: structure (indentation, dashes, colons, line
#: breaks, flows, quotes, comments, a last line without a line break) as well as words.
SNIPPETS = [
    "a", " ", "\n", ":", "- ", "  ", "{", "}", "[", "]", "'", '"', "#", "|", ",", "é", "1",
    " \n", "  #c", "\n#", "x:\n", "\n    z: 2", "- a: 1\n  b: 2\n", "\n  ", "{{ x }}", "0.5",
    "ref: ", "value: ", "ops.op-1", "\n      - name: z\n        dagRef: step\n", "&a ", "*a",
    "\t", "---\n", "? ",
]  # fmt: skip


def _differences(a: YNode, b: YNode, path: str = "$") -> str | None:
    """Where two trees differ (type, span, scalar, order, index), or None."""
    if type(a) is not type(b):
        return f"{path}: {type(a).__name__} != {type(b).__name__}"
    if a.span != b.span:
        return f"{path}: {a.span} != {b.span}"
    if isinstance(a, YScalar):
        assert isinstance(b, YScalar)
        same_value = a.value == b.value or (a.value != a.value and b.value != b.value)
        if (a.tag, a.text, a.style) != (b.tag, b.text, b.style) or not same_value:
            return f"{path}: {a!r} != {b!r}"
        return None
    if isinstance(a, YSeq):
        assert isinstance(b, YSeq)
        if len(a.items) != len(b.items):
            return f"{path}: {len(a.items)} items != {len(b.items)}"
        for number, (x, y) in enumerate(zip(a.items, b.items, strict=True)):
            found = _differences(x, y, f"{path}[{number}]")
            if found:
                return found
        return None
    assert isinstance(a, YMap) and isinstance(b, YMap)
    if len(a.pairs) != len(b.pairs) or list(a.index) != list(b.index):
        return f"{path}: keys {list(a.index)} != {list(b.index)}"
    for (k1, v1), (k2, v2) in zip(a.pairs, b.pairs, strict=True):
        name = f"{path}.{k1.text if isinstance(k1, YScalar) else '?'}"
        found = _differences(k1, k2, name + "#key") or _differences(v1, v2, name)
        if found:
            return found
    return None


def _assert_same_parse(text: str, cache: ParseCache) -> None:
    fresh = parse_yaml(text)
    incremental = parse_incremental(text, cache)
    assert [(p.kind, p.message, p.span) for p in incremental.problems] == [
        (p.kind, p.message, p.span) for p in fresh.problems
    ]
    assert [(a.span, b.span) for a, b in incremental.duplicates] == [
        (a.span, b.span) for a, b in fresh.duplicates
    ]
    assert (fresh.root is None) == (incremental.root is None)
    if fresh.root is not None and incremental.root is not None:
        assert _differences(fresh.root, incremental.root) is None, text


def _finding_keys(findings: list[Finding]) -> list[str]:
    return sorted(
        repr((f.code, f.message, f.span, f.severity, f.related, f.fixes)) for f in findings
    )


def _random_edits(text: str, rng: random.Random, count: int) -> Iterator[str]:
    for _ in range(count):
        where = rng.randrange(len(text) + 1)
        lines = text.split("\n")
        choice = rng.random()
        if choice < 0.45:
            text = text[:where] + rng.choice(SNIPPETS) + text[where:]
        elif choice < 0.7:
            text = text[:where] + text[where + rng.randint(1, 5) :]
        elif choice < 0.85:
            line = rng.randrange(len(lines))
            lines.insert(line, lines[line])
            text = "\n".join(lines)
        else:
            first = rng.randrange(len(lines))
            del lines[first : first + rng.randint(1, 4)]
            text = "\n".join(lines)
        yield text


def _corpus_sample(rng: random.Random, count: int) -> Iterator[tuple[Path, str]]:
    for path in rng.sample(sorted(CORPUS.rglob("*.y*ml")), count):
        yield path, path.read_text(encoding="utf-8")


@pytest.fixture
def cut_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cut every region, however small, group items in blocks of two and check lists in
    chunks of two, so that the corpus exercises every assembly path and chunked check."""
    monkeypatch.setattr(chunked, "SPLIT_MIN_LINES", 1)
    monkeypatch.setattr(chunked, "BLOCK", 2)
    monkeypatch.setattr(memo, "CHUNK", 2)


# --------------------------------------------------------------------------------- the parse


@needs_corpus
@pytest.mark.usefixtures("cut_everything")
def test_assembled_tree_equals_the_whole_compose_on_the_corpus() -> None:
    assembled = 0
    for path in sorted(CORPUS.rglob("*.y*ml")):
        cache = ParseCache()
        _assert_same_parse(path.read_text(encoding="utf-8"), cache)
        assembled += not cache.whole
    assert assembled > 150  # most files are cut into regions (the rest fall back, still equal)


@needs_corpus
@pytest.mark.usefixtures("cut_everything")
def test_assembled_tree_equals_the_whole_compose_after_random_edits() -> None:
    rng = random.Random(20261123)
    for _path, text in _corpus_sample(rng, 120):
        cache = ParseCache()
        _assert_same_parse(text, cache)
        for edited in _random_edits(text, rng, 25):
            _assert_same_parse(edited, cache)


@needs_corpus
@pytest.mark.usefixtures("cut_everything")
def test_crlf_documents_are_cut_and_assembled_like_the_whole_compose() -> None:
    """Windows line breaks: the same tree, and an edit still recomposes one region."""
    rng = random.Random(13)
    assembled = 0
    for _path, lf_text in _corpus_sample(rng, 80):
        cache = ParseCache()
        text = lf_text.replace("\n", "\r\n")
        _assert_same_parse(text, cache)
        assembled += not cache.whole
        for edited in _random_edits(text, rng, 10):
            _assert_same_parse(edited, cache)
    assert assembled > 40
    text = dag(100).replace("\n", "\r\n")
    cache = ParseCache()
    parse_incremental(text, cache)
    at = text.index("lr: {value: 0.1050}") + len("lr: {value: 0.10")
    _assert_same_parse(text[:at] + "7" + text[at:], cache)
    assert (cache.whole, cache.composed) == (False, 1)


def test_an_edit_in_one_dag_op_recomposes_only_that_op() -> None:
    text = dag(500)
    cache = ParseCache()
    parse_incremental(text, cache)
    assert not cache.whole
    regions = cache.composed
    at = text.index("lr: {value: 0.1250}") + len("lr: {value: 0.12")
    edited = text[:at] + "7" + text[at:]
    parsed = parse_incremental(edited, cache)
    assert (cache.composed, cache.reused) == (1, regions - 1)
    assert _differences(parse_yaml(edited).root, parsed.root) is None  # type: ignore[arg-type]


def test_a_new_line_moves_the_regions_below_it() -> None:
    text = operation(200)
    cache = ParseCache()
    parse_incremental(text, cache)
    at = text.index("  param_100:")
    edited = text[:at] + "\n" + text[at:]
    parsed = parse_incremental(edited, cache)
    assert cache.composed <= 2
    fresh = parse_yaml(edited)
    assert _differences(fresh.root, parsed.root) is None  # type: ignore[arg-type]
    params = parsed.root.get("params")  # type: ignore[union-attr]
    assert isinstance(params, YMap)
    moved = params.key_node("param_150")
    assert moved is not None
    assert moved.span.start.line == text[: text.index("  param_150:")].count("\n") + 1


def test_a_new_entry_in_a_long_mapping_recomposes_only_it() -> None:
    """The entries are remembered in blocks: the block that gets the new entry is assembled
    again from its entries, the others are taken whole, and the next keystroke too."""
    text = operation(400)
    cache = ParseCache()
    parse_incremental(text, cache)
    at = text.index("  param_200:")
    for typed in ("  extra_param: 1\n", "  extra_param: 12\n", "  extra_param: 12\n  x: 1\n"):
        edited = text[:at] + typed + text[at:]
        parsed = parse_incremental(edited, cache)
        assert (cache.whole, cache.composed) == (False, 1), typed
        assert _differences(parse_yaml(edited).root, parsed.root) is None  # type: ignore[arg-type]


def test_a_copy_of_a_later_item_is_not_taken_from_its_unchanged_block() -> None:
    """A pasted copy of an item of an unchanged block (and of the list) further down has the
    same text: the copy is composed or taken once, never placed at both places."""
    text = operation(400)
    cache = ParseCache()
    parse_incremental(text, cache)
    item = text[text.index("    - name: param_350\n") : text.index("    - name: param_351\n")]
    at = text.index("    - name: param_10\n")
    edited = text[:at] + item + text[at:]
    parsed = parse_incremental(edited, cache)
    assert not cache.whole
    assert _differences(parse_yaml(edited).root, parsed.root) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda t: t.replace("  source: {value", "  source: &a {value"), "an anchor"),
        (lambda t: t.replace("params:\n", "params:\n  dup: 1\n  dup: 2\n"), "a duplicate key"),
        (lambda t: t.replace("        queue: default\n", "        queue: [default\n", 1), "syntax"),
        (lambda t: "%YAML 1.1\n---\n" + t, "a directive"),
        (lambda t: t.replace("\n", "\r", 3), "a lone CR (a line break for YAML only)"),
    ],
)
def test_texts_that_cannot_be_cut_are_composed_whole(change: object, why: str) -> None:
    cache = ParseCache()
    parse_incremental(dag(60), cache)
    assert not cache.whole
    text = change(dag(60))  # type: ignore[operator]
    _assert_same_parse(text, cache)
    assert cache.whole, why


# ------------------------------------------------------------------------------ the analysis


def _assert_same_analysis(
    text: str, path: Path, workspace: Workspace, cache: DocumentCache
) -> None:
    incremental = analyze(text, path, None, workspace, cache)
    fresh = analyze(text, path, None, workspace)
    assert _finding_keys(incremental.findings) == _finding_keys(fresh.findings), text


@pytest.mark.usefixtures("cut_everything")
def test_random_edit_sessions_on_a_dag_with_problems_match_fresh_analyses() -> None:
    """Components that report problems, cycles, unknown and remote refs, duplicate ops."""
    text = (DATA / "dag_with_problems.yaml").read_text(encoding="utf-8")
    path = DATA / "dag_with_problems.yaml"
    rng = random.Random(7)
    for _session in range(16):
        cache = DocumentCache()
        workspace = Workspace(root=DATA)
        _assert_same_analysis(text, path, workspace, cache)
        for edited in _random_edits(text, rng, 30):
            _assert_same_analysis(edited, path, workspace, cache)


@pytest.mark.usefixtures("cut_everything")
def test_random_edit_sessions_on_generated_documents_match_fresh_analyses() -> None:
    rng = random.Random(11)
    for text in (dag(30), operation(40)):
        cache = DocumentCache()
        workspace = Workspace(root=DATA)
        for edited in _random_edits(text, rng, 60):
            _assert_same_analysis(edited, DATA / "generated.yaml", workspace, cache)


@needs_corpus
@pytest.mark.usefixtures("cut_everything")
def test_random_edit_sessions_on_the_corpus_match_fresh_analyses() -> None:
    rng = random.Random(5)
    for path, text in _corpus_sample(rng, 60):
        cache = DocumentCache()
        workspace = Workspace(root=CORPUS)
        _assert_same_analysis(text, path, workspace, cache)
        for edited in _random_edits(text, rng, 15):
            _assert_same_analysis(edited, path, workspace, cache)


def test_findings_of_unchanged_ops_are_replayed_at_their_new_lines() -> None:
    text = (DATA / "dag_with_problems.yaml").read_text(encoding="utf-8")
    path = DATA / "dag_with_problems.yaml"
    cache = DocumentCache()
    workspace = Workspace(root=DATA)
    before = analyze(text, path, None, workspace, cache)
    schedule = next(f for f in before.findings if f.code == "PLX507")
    # a new line inside the first op, above the op with the schedule
    at = text.index("          data: {ref: dag")
    after = analyze(text[:at] + "\n" + text[at:], path, None, workspace, cache)
    assert cache.hits > 0
    moved = next(f for f in after.findings if f.code == "PLX507")
    assert moved.span == Span(
        schedule.span.start._replace(line=schedule.span.start.line + 1),
        schedule.span.end._replace(line=schedule.span.end.line + 1),
    )


def test_an_edit_in_one_op_rechecks_that_op_only() -> None:
    text = dag(200)
    cache = DocumentCache()
    analyze(text, None, None, None, cache)
    at = text.index("lr: {value: 0.1150}") + len("lr: {value: 0.11")
    analyze(text[:at] + "9" + text[at:], None, None, None, cache)
    # per op: a schema check (with one per param inside it), a composition and a params check.
    # Recomputed: the edited op's, the params check of the op whose ref names it, and the
    # checks of the lists that hold the op.
    assert cache.misses <= 8
    assert cache.hits >= 3 * 198


@pytest.mark.usefixtures("cut_everything")
def test_a_related_location_outside_the_op_is_never_replayed_stale() -> None:
    """`lr: {value: fast}` points at the declaration of `lr` in a component above the op."""
    text = (DATA / "dag_with_problems.yaml").read_text(encoding="utf-8")
    path = DATA / "dag_with_problems.yaml"
    cache = DocumentCache()
    workspace = Workspace(root=DATA)
    analyze(text, path, None, workspace, cache)
    # a new line between the declaration and the op: the op moves, the declaration does not
    at = text.index("      - name: op-1\n")
    edited = text[:at] + "        description: first\n" + text[at:]
    after = analyze(edited, path, None, workspace, cache)
    assert cache.hits > 0
    wrong_value = next(f for f in after.findings if f.code == "PLX302")
    declared = edited[: edited.index("- {name: lr, type: float")].count("\n")
    assert [item.span.start.line for item in wrong_value.related] == [declared]


@given(
    st.text(alphabet="ab #\n", max_size=40),
    st.lists(
        st.tuples(st.integers(0, 40), st.integers(0, 4), st.text(alphabet="ab #\n", max_size=4)),
        min_size=1,
        max_size=3,
    ),
)
@hypothesis_settings(max_examples=2000, deadline=None)
def test_line_table_after_an_edit_equals_a_fresh_one(
    old: str, edits: list[tuple[int, int, str]]
) -> None:
    """Only the lines an edit touched are measured again; the rest are moved."""
    new = old
    for at, length, text in edits:
        at = min(at, len(new))
        new = new[:at] + text + new[at + length :]
    incremental = LineTable.of(new, LineTable.of(old))
    fresh = LineTable.of(new)
    assert (incremental.lines, incremental.indents, incremental.content, incremental.offsets) == (
        fresh.lines,
        fresh.indents,
        fresh.content,
        fresh.offsets,
    )


def test_an_edit_elsewhere_keeps_the_checks_inside_an_unchanged_list() -> None:
    """A list reused whole carries the checks of its items, ready for an edit inside it."""
    text = dag(200)
    cache = DocumentCache()
    analyze(text, None, None, None, cache)
    outside = text.replace("s3://bucket/data", "s3://bucket/other")
    analyze(outside, None, None, None, cache)
    assert cache.misses <= 4
    at = outside.index("lr: {value: 0.1150}") + len("lr: {value: 0.11")
    analyze(outside[:at] + "9" + outside[at:], None, None, None, cache)
    assert cache.misses <= 8
    assert cache.hits >= 3 * 198


def test_did_you_mean_after_an_edit_matches_a_fresh_analysis() -> None:
    """Found by the long fuzz: equally close names (`param_2`, `param_17` for `param_7`) must
    be chosen by declaration order, never by a set's order, or a remembered answer differs."""
    text = operation(60)
    cache = DocumentCache()
    workspace = Workspace(root=DATA)
    _assert_same_analysis(text, DATA / "op.yaml", workspace, cache)
    at = len(text) // 2
    edited = text[:at] + "{{ " + text[at:]
    _assert_same_analysis(edited, DATA / "op.yaml", workspace, cache)
    renamed = text.replace("- name: param_7\n", "- name: param_7x\n")
    _assert_same_analysis(renamed, DATA / "op.yaml", workspace, cache)
    found = analyze(renamed, DATA / "op.yaml", None, workspace).findings
    guess = next(f for f in found if "param_7`" in f.message and "did you mean" in f.message)
    # `param_0`, `param_1`, … and `param_7x` are all one edit away: the first declared wins.
    assert "did you mean `param_0`" in guess.message


def test_latest_reuses_a_result_only_for_an_equal_key() -> None:
    cache = DocumentCache()
    calls: list[str] = []

    def components(edges: dict[str, list[str]]) -> list[str]:
        calls.append("computed")
        return sorted(edges)

    assert cache.latest("graph", {"a": ["b"]}, lambda: components({"a": ["b"]})) == ["a"]
    assert cache.latest("graph", {"a": ["b"]}, lambda: components({"a": ["b"]})) == ["a"]
    assert len(calls) == 1
    assert cache.latest("graph", {"a": [], "c": []}, lambda: components({"a": [], "c": []})) == [
        "a",
        "c",
    ]
    cache.forget()
    cache.latest("graph", {"a": [], "c": []}, lambda: components({"a": [], "c": []}))
    assert len(calls) == 3


@pytest.mark.usefixtures("cut_everything")
def test_an_edit_that_closes_a_cycle_is_reported_like_a_fresh_analysis() -> None:
    """The graph's components are reused across versions only while the edges are equal."""
    text = dag(6)
    cache = DocumentCache()
    assert not analyze(text, None, cache=cache).findings
    closed = text.replace(
        "{ref: dag, value: inputs.source}", "{ref: ops.op-5, value: outputs.result}"
    )
    assert closed != text
    again = analyze(closed, None, cache=cache)
    fresh = analyze(closed, None)
    assert again.findings == fresh.findings
    assert {f.code for f in fresh.findings} == {GRAPH_CYCLE.code}
    reopened = analyze(text, None, cache=cache)
    assert not reopened.findings


def test_random_edit_sessions_on_a_long_operation_match_fresh_analyses() -> None:
    """300 params and inputs: the params and template checks run in chunks (core.memo.CHUNK)."""
    rng = random.Random(13)
    text = operation(300)
    cache = DocumentCache()
    workspace = Workspace(root=DATA)
    _assert_same_analysis(text, DATA / "generated.yaml", workspace, cache)
    for edited in _random_edits(text, rng, 40):
        _assert_same_analysis(edited, DATA / "generated.yaml", workspace, cache)


def test_a_clean_chunk_is_checked_again_when_what_it_reads_changes() -> None:
    text = operation(300)
    uses_10 = text.replace("'{{ globals.uuid }}-152'", "'{{ param_10 }}-152'")
    steps = [
        # a param value the input's type refuses
        (text.replace("  param_151: 3\n", "  param_151: three\n"), True),
        # the input's declaration changes instead (the params section is untouched)
        (
            text.replace(
                "    - name: param_151\n      type: int\n",
                "    - name: param_151\n      type: bool\n",
            ),
            True,
        ),
        # a template naming something unknown
        (text.replace("'{{ globals.uuid }}-152'", "'{{ globals.uuidd }}-152'"), True),
        (uses_10, False),
        # the name the template uses leaves the scope (renamed far from the template's chunk)
        (
            uses_10.replace("  param_10: ", "  param_10x: ").replace(
                "- name: param_10\n", "- name: param_10x\n"
            ),
            True,
        ),
        (text, False),
    ]
    cache = DocumentCache()
    assert not analyze(text, None, cache=cache).findings
    for step, has_findings in steps:
        assert step.count("\n") == text.count("\n")
        again = analyze(step, None, cache=cache)
        fresh = analyze(step, None)
        assert _finding_keys(again.findings) == _finding_keys(fresh.findings)
        assert bool(fresh.findings) == has_findings


@pytest.mark.parametrize("document", [operation(400), dag(40)], ids=["operation", "dag"])
def test_what_an_edit_leaves_behind_is_dropped_within_a_few_keystrokes(document: str) -> None:
    """Every keystroke leaves remembered results nobody will ask for again (those of the
    collections it changed, tens of KB each on a large document): the table must not grow
    with the number of edits."""
    lines = document.split("\n")
    target = next(i for i in range(len(lines) // 2, len(lines)) if lines[i][-1:].isdigit())
    cache = DocumentCache()
    analyze(document, cache=cache)
    sizes = []
    for digit in "2345678923456789" * 10:  # 160 keystrokes on one value
        lines[target] = lines[target][:-1] + digit
        analyze("\n".join(lines), cache=cache)
        sizes.append(len(cache._entries))
    settled = sizes[2:]  # the first edits drop what only the opening analysis needed
    assert max(settled) - min(settled) <= UNUSED_ENTRIES + 16, (min(settled), max(settled))


def test_whether_an_edited_text_may_be_cut_is_decided_from_the_lines_it_changed() -> None:
    """`_may_still_cut` (the edited lines only) agrees with `_may_cut` (the whole text) after
    any edit of a text that could be cut: markers, tabs, CRs, anchors and odd line breaks
    typed anywhere, line breaks removed before them."""
    rng = random.Random(5)
    marks = ["---", "...", "%", "\t", "\r", "&a", "*a", " &", "\x85", "\u2028", "\n", "-", "x"]
    agreed = 0
    for text in (operation(60), dag(6)):
        for _ in range(3000):
            where = rng.randrange(len(text) + 1)
            if rng.random() < 0.3:
                edited = text[:where] + text[where + rng.randint(1, 4) :]
            else:
                edited = text[:where] + rng.choice(marks) + text[where:]
            assert chunked._may_cut(text)
            assert chunked._may_still_cut(text, edited) == chunked._may_cut(edited), repr(
                edited[max(where - 20, 0) : where + 20]
            )
            agreed += not chunked._may_cut(edited)
            if chunked._may_cut(edited) and rng.random() < 0.5:
                text = edited
    assert agreed > 500  # many edits made a text that cannot be cut


_STEP = """\
      - name: step
        inputs:
          - {name: data, type: str}
          - {name: lr, type: float, value: 0.1}
        outputs:
          - {name: result, type: str}
          - {name: score, type: float}
        run: {kind: job, container: {image: python:3.11, command: [python, step.py]}}
"""


def _dag_op_uses(op: str, component: str, text: str) -> str:
    at = f"- name: {op}\n        dagRef: "
    return text.replace(at + "step", at + component)


@pytest.mark.usefixtures("cut_everything")  # chunks of two ops
def test_dag_ops_checked_in_chunks_follow_what_other_chunks_change() -> None:
    """The ops' params are checked in chunks: a chunk replays only while its ops, the
    compositions of the ops they name and the shared components judged before it are the same.
    An op whose component changes gets its downstream op (next chunk) checked again; when the
    first ops stop using a shared component, the next op that uses it judges its template."""
    template = _STEP.replace("step.py]", "step.py, '{{ nothing_here }}']")
    other = template.replace("name: step\n", "name: other\n").replace(
        "{name: result, type: str}", "{name: output, type: str}"
    )
    text = dag(12).replace(_STEP, template + other)
    # op-2 names no other op: only what op-0 and op-1 judged reaches its chunk
    text = text.replace("data: {ref: ops.op-1, value: outputs.result}", "data: {value: x}")
    workspace = Workspace(root=DATA)
    path = DATA / "generated.yaml"
    uses_other = _dag_op_uses("op-0", "other", text)
    sessions = [
        # the upstream op's composition: op-4 names an output that op-3 no longer has
        [uses_other, _dag_op_uses("op-3", "other", uses_other), uses_other],
        # what was judged before: op-2 is the first op that uses `step` (and its template)
        [text, _dag_op_uses("op-1", "other", uses_other), text],
    ]
    for session in sessions:
        cache = DocumentCache()
        keys = []
        for edited in session:
            _assert_same_analysis(edited, path, workspace, cache)
            keys.append(_finding_keys(analyze(edited, path, None, workspace).findings))
        assert keys[0] != keys[1] and keys[2] == keys[0]  # the edit changes the findings
        assert cache.hits > 0
