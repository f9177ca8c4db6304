"""Positions across line breaks YAML has and LSP does not; the client's text kept in sync."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from lsprotocol import types
from pygls.workspace import TextDocument
from pygls.workspace.position_codec import PositionCodec

from param_lsp.core.span import EditorLines, Position, Span, split_lines
from param_lsp.engine.analyze import analyze
from param_lsp.lsp.convert import Lines
from param_lsp.lsp.textsync import ClientTextDocument

UTF16 = PositionCodec()
UTF8 = PositionCodec(encoding=types.PositionEncodingKind.Utf8)


def client_pos(line: int, character: int) -> types.Position:
    return types.Position(line=line, character=character)


def test_yaml_numbers_lines_at_u2028_and_nel_the_client_does_not() -> None:
    text = "a: 'x\u2028y'\nb: '\u00e9\x85z'\nc: 1\n"
    parsed = analyze(text).root
    assert parsed is not None
    # YAML: `c` is on line 4 (two extra breaks); the client sees it on line 2.
    key_c = parsed.key_node("c")
    assert key_c is not None and key_c.start == Position(4, 0)
    assert split_lines(text)[4] == "c: 1"
    lines = Lines.of(text, UTF16)
    assert lines.to_client(Position(4, 0)) == client_pos(2, 0)
    assert lines.from_client(client_pos(2, 3)) == Position(4, 3)
    # inside the line that holds the break: `y` is YAML (1, 0), the client's (0, 6)
    assert lines.to_client(Position(1, 0)) == client_pos(0, 6)
    assert lines.from_client(client_pos(0, 6)) == Position(1, 0)
    # `z` after é (two UTF-8 bytes) and NEL (two UTF-8 bytes): YAML (3, 0)
    assert Lines.of(text, UTF8).to_client(Position(3, 0)) == client_pos(1, 8)
    assert Lines.of(text, UTF16).to_client(Position(3, 0)) == client_pos(1, 6)


def test_a_lone_carriage_return_breaks_lines_for_both() -> None:
    text = "a: 1\rb: 2\r\nc: 3\n"
    assert split_lines(text) == ["a: 1", "b: 2", "c: 3", ""]
    root = analyze(text).root
    assert root is not None and root.key_node("c") is not None
    assert root.key_node("c").start == Position(2, 0)  # type: ignore[union-attr]
    lines = Lines.of(text, UTF16)
    span = Span(Position(2, 0), Position(2, 1))
    assert lines.range_to_client(span) == types.Range(start=client_pos(2, 0), end=client_pos(2, 1))


def _change(doc: TextDocument, start: tuple[int, int], end: tuple[int, int], text: str) -> str:
    doc.apply_change(
        types.TextDocumentContentChangePartial(
            range=types.Range(start=client_pos(*start), end=client_pos(*end)), text=text
        )
    )
    return doc.source


def test_an_edit_below_a_u2028_lands_on_the_client_line() -> None:
    text = "a: 'x\u2028y'\nb: 1\n"
    ours = ClientTextDocument("file:///t.yaml", text)
    assert _change(ours, (1, 3), (1, 4), "2") == "a: 'x\u2028y'\nb: 2\n"
    # pygls' own document counts U+2028 as a line break: the same edit lands elsewhere
    theirs = TextDocument("file:///t.yaml", text)
    assert _change(theirs, (1, 3), (1, 4), "2") != "a: 'x\u2028y'\nb: 2\n"


PLAIN = st.text(alphabet=st.sampled_from(list("ab é😀\n\r\t:")), max_size=40)


@given(
    text=PLAIN,
    start=st.tuples(st.integers(0, 6), st.integers(0, 12)),
    length=st.tuples(st.integers(0, 2), st.integers(0, 12)),
    insert=st.text(alphabet=st.sampled_from(list("xy\n😀")), max_size=4),
)
def test_edits_apply_as_pygls_applies_them_without_unusual_breaks(
    text: str, start: tuple[int, int], length: tuple[int, int], insert: str
) -> None:
    end = (start[0] + length[0], length[1] if length[0] else start[1] + length[1])
    ours = ClientTextDocument("file:///t.yaml", text)
    theirs = TextDocument("file:///t.yaml", text)
    assert _change(ours, start, end, insert) == _change(theirs, start, end, insert)


MIXED = st.text(alphabet=st.sampled_from(list("ab é😀\n\r\x85\u2028\u2029")), max_size=30)


def _offsets(text: str, breaks: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each line when ``breaks`` (a regex) ends lines."""
    import re

    spans, start = [], 0
    for found in re.finditer(breaks, text):
        spans.append((start, found.start()))
        start = found.end()
    return [*spans, (start, len(text))]


@given(MIXED)
def test_every_core_position_lands_on_the_same_character_in_the_editor(text: str) -> None:
    yaml_lines = _offsets(text, "\r\n|[\r\n\x85\u2028\u2029]")
    editor_lines = _offsets(text, "\r\n|[\r\n]")
    mapped = EditorLines(text)
    for line, (start, end) in enumerate(yaml_lines):
        for column in range(end - start + 1):
            where = mapped.to_editor(Position(line, column))
            editor_start, editor_end = editor_lines[where.line]
            assert editor_start + where.character == start + column
            assert where.character <= editor_end - editor_start
            assert mapped.from_editor(where) == Position(line, column)
