"""Core ↔ protocol conversions; the only place where positions change units.

The core counts columns in code points; the client uses the negotiated encoding (UTF-16 by
default, UTF-8 for Neovim 0.11+). A :class:`Lines` holds one version's lines so that converting
many ranges never re-splits the document.

Lines differ too: YAML (and so every position of the core) also breaks lines at U+0085,
U+2028 and U+2029, which LSP clients treat as ordinary characters; a text with one of them
has its positions mapped (:class:`~param_lsp.core.span.EditorLines`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls import uris
from pygls.workspace.position_codec import PositionCodec, ServerTextPosition

from param_lsp.core.findings import Finding
from param_lsp.core.span import EditorLines, Position, Span, split_lines

SOURCE = "param-lsp"


class Lines:
    """One document version's lines (as the core numbers them) plus the client's codec."""

    __slots__ = ("codec", "editor", "lines")

    def __init__(self, lines: Sequence[str], codec: PositionCodec, text: str | None = None) -> None:
        self.lines = lines
        self.codec = codec
        self.editor = EditorLines(text if text is not None else "", lines)

    @classmethod
    def of(cls, text: str, codec: PositionCodec) -> Lines:
        return cls(split_lines(text), codec, text)

    def to_client(self, pos: Position) -> types.Position:
        where = self.editor.to_editor(pos)
        text = self.editor.editor_line(where.line)
        if text is None:
            return types.Position(line=where.line, character=0)
        units = self.codec.client_num_units(text[: where.character])
        return types.Position(line=where.line, character=units)

    def range_to_client(self, span: Span) -> types.Range:
        return types.Range(start=self.to_client(span.start), end=self.to_client(span.end))

    def from_client(self, pos: types.Position) -> Position | None:
        """Code-point position, or None when the line does not exist."""
        if pos.line < 0 or pos.character < 0:
            return None
        text = self.editor.editor_line(pos.line)
        if text is None:
            return None
        return self.editor.from_editor(Position(pos.line, self._column(text, pos.character)))

    def _column(self, text: str, units: int) -> int:
        if units >= self.codec.client_num_units(text):
            return len(text)  # past the end means the end (LSP spec)
        server = self.codec.position_from_client_units(
            [text], types.Position(line=0, character=units)
        )
        assert isinstance(server, ServerTextPosition)
        return min(server.character, len(text))

    def range_from_client(self, rng: types.Range) -> Span | None:
        start = self.from_client(rng.start)
        end = self.from_client(rng.end)
        if start is None:
            return None
        if end is None:
            last = len(self.lines) - 1
            end = Position(last, len(self.lines[last]))
        return Span(start, end)


def path_to_uri(path: Path) -> str:
    return uris.from_fs_path(str(path)) or path.as_uri()


def uri_to_path(uri: str) -> Path | None:
    fs = uris.to_fs_path(uri)
    return Path(fs) if fs else None


_SEVERITY = {
    1: types.DiagnosticSeverity.Error,
    2: types.DiagnosticSeverity.Warning,
    3: types.DiagnosticSeverity.Information,
    4: types.DiagnosticSeverity.Hint,
}


def to_diagnostic(
    finding: Finding,
    lines: Lines,
    uri: str,
    *,
    related_support: bool,
    other_lines: Any = None,
) -> types.Diagnostic:
    """``other_lines(path) -> Lines | None`` converts related locations in other files."""
    message = finding.message
    related: list[types.DiagnosticRelatedInformation] | None = None
    if finding.related:
        if related_support:
            related = []
            for item in finding.related:
                target_lines = lines
                target_uri = uri
                if item.path is not None:
                    target_uri = path_to_uri(Path(item.path))
                    if target_uri != uri:
                        found = other_lines(Path(item.path)) if other_lines else None
                        target_lines = found or lines
                related.append(
                    types.DiagnosticRelatedInformation(
                        location=types.Location(
                            uri=target_uri, range=target_lines.range_to_client(item.span)
                        ),
                        message=item.message,
                    )
                )
        else:
            message += "".join(f"\n{item.message}" for item in finding.related[:3])
    if finding.polyaxon:
        # Polyaxon's own words come after ours and the locations (at the finding's own range).
        if related_support:
            related = related or []
            related.append(
                types.DiagnosticRelatedInformation(
                    location=types.Location(uri=uri, range=lines.range_to_client(finding.span)),
                    message=f"Polyaxon: {finding.polyaxon}",
                )
            )
        else:
            message += f"\nPolyaxon: {finding.polyaxon}"
    return types.Diagnostic(
        range=lines.range_to_client(finding.span),
        message=message,
        severity=_SEVERITY.get(int(finding.severity), types.DiagnosticSeverity.Error),
        code=finding.code,
        code_description=_code_description(finding.code),
        source=SOURCE,
        related_information=related or None,
    )


def _code_description(code: str) -> types.CodeDescription | None:
    """A link to the rule's section of the rules reference (docs/rules.md)."""
    from param_lsp.rules.registry import RULES

    rule = RULES.get(code)
    return types.CodeDescription(href=rule.url) if rule is not None else None
