"""Positions inside a document: 0-based lines, columns in Unicode code points, end-exclusive."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import NamedTuple

#: What YAML counts as a line break (LibYAML's marks count lines by these).
YAML_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
#: What editors, the Language Server Protocol (3.17), GitHub and SARIF viewers count.
EDITOR_LINE_BREAK = re.compile("\r\n|[\r\n]")
_YAML_ONLY_BREAKS = ("\x85", "\u2028", "\u2029")


def split_lines(text: str) -> list[str]:
    """Lines without their terminators, numbered like the YAML marks."""
    if "\r" in text or "\x85" in text or "\u2028" in text or "\u2029" in text:
        return YAML_LINE_BREAK.split(text)
    return text.split("\n")


def common_prefix(a: str, b: str) -> int:
    """Length of the longest common prefix (slice comparisons run at memory speed)."""
    size = min(len(a), len(b))
    if a[:size] == b[:size]:
        return size
    low, high = 0, size  # a[:low] == b[:low], a[:high] != b[:high]
    while high - low > 1:
        middle = (low + high) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle
    return low


def common_suffix(a: str, b: str, limit: int) -> int:
    """Length of the longest common suffix, at most ``limit``."""
    end_a, end_b = len(a), len(b)
    if a[end_a - limit :] == b[end_b - limit :]:
        return limit
    low, high = 0, limit
    while high - low > 1:
        middle = (low + high) // 2
        if a[end_a - middle : end_a - low] == b[end_b - middle : end_b - low]:
            low = middle
        else:
            high = middle
    return low


class Position(NamedTuple):
    line: int
    character: int


class Span(NamedTuple):
    start: Position
    end: Position

    @classmethod
    def of(cls, start_line: int, start_col: int, end_line: int, end_col: int) -> Span:
        return cls(Position(start_line, start_col), Position(end_line, end_col))

    def contains(self, pos: Position) -> bool:
        return self.start <= pos <= self.end

    def to_json(self) -> dict[str, dict[str, int]]:
        return {
            "start": {"line": self.start.line, "character": self.start.character},
            "end": {"line": self.end.line, "character": self.end.character},
        }


DOCUMENT_START = Span.of(0, 0, 0, 0)


class EditorLines:
    """A text's lines as editors number them, with the core's positions mapped onto them.

    YAML, and so every position of the core, also breaks lines at U+0085, U+2028 and U+2029,
    which editors show inside a line. Without such a character both numberings agree and
    nothing is mapped; with one, positions go through offsets in the text.
    """

    __slots__ = ("_editor_starts", "_text", "_yaml_starts", "lines")

    def __init__(self, text: str, lines: Sequence[str] | None = None) -> None:
        #: The core's (YAML's) lines; ``lines`` when the caller has them already.
        self.lines = split_lines(text) if lines is None else lines
        self._text = ""
        self._yaml_starts: list[int] = []
        self._editor_starts: list[int] = []
        if any(char in text for char in _YAML_ONLY_BREAKS):
            self._text = text
            self._yaml_starts = _line_starts(YAML_LINE_BREAK, text)
            self._editor_starts = _line_starts(EDITOR_LINE_BREAK, text)

    def to_editor(self, pos: Position) -> Position:
        """The editor line and code-point column of a core position (clamped to its line)."""
        if not 0 <= pos.line < len(self.lines):
            return Position(max(pos.line, 0), 0)
        column = min(max(pos.character, 0), len(self.lines[pos.line]))
        if not self._yaml_starts:
            return Position(pos.line, column)
        offset = self._yaml_starts[pos.line] + column
        line = bisect.bisect_right(self._editor_starts, offset) - 1
        return Position(line, offset - self._editor_starts[line])

    def span_to_editor(self, span: Span) -> Span:
        """:meth:`to_editor` of both ends."""
        return Span(self.to_editor(span.start), self.to_editor(span.end))

    def editor_line(self, line: int) -> str | None:
        """The text of an editor line, without its line break; None past the end."""
        if not self._yaml_starts:
            return self.lines[line] if 0 <= line < len(self.lines) else None
        if not 0 <= line < len(self._editor_starts):
            return None
        start = self._editor_starts[line]
        found = EDITOR_LINE_BREAK.search(self._text, start)
        return self._text[start : found.start() if found else len(self._text)]

    def from_editor(self, pos: Position) -> Position | None:
        """The core position of an editor line and code-point column (clamped to the line);
        None when the line does not exist."""
        text = self.editor_line(pos.line)
        if text is None or pos.character < 0:
            return None
        column = min(pos.character, len(text))
        if not self._yaml_starts:
            return Position(pos.line, column)
        offset = self._editor_starts[pos.line] + column
        line = bisect.bisect_right(self._yaml_starts, offset) - 1
        return Position(line, min(offset - self._yaml_starts[line], len(self.lines[line])))


def _line_starts(breaks: re.Pattern[str], text: str) -> list[int]:
    """Offset of each line's first character."""
    return [0, *(match.end() for match in breaks.finditer(text))]
