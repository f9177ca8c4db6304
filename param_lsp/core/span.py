"""Positions inside a document: 0-based lines, columns in Unicode code points, end-exclusive."""

from __future__ import annotations

import re
from typing import NamedTuple

#: What YAML counts as a line break (LibYAML's marks count lines by these).
YAML_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def split_lines(text: str) -> list[str]:
    """Lines without their terminators, numbered like the YAML marks."""
    if "\r" in text or "\x85" in text or "\u2028" in text or "\u2029" in text:
        return YAML_LINE_BREAK.split(text)
    return text.split("\n")


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
