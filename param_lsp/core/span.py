"""Positions inside a document: 0-based lines, columns in Unicode code points, end-exclusive."""

from __future__ import annotations

from typing import NamedTuple


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
