"""The document text the client edits, kept with the protocol's own line breaks.

pygls splits a document with `str.splitlines`, which also breaks at U+000B, U+000C,
U+001C–U+001E, U+0085, U+2028 and U+2029: an incremental change below such a character was
applied lines away from where the client made it, and the server's text then differed from
the editor's until the file was reopened. LSP has three line breaks, `\n`, `\r\n` and `\r`.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

from lsprotocol import types
from pygls.workspace import TextDocument, Workspace

from param_lsp.core.span import EDITOR_LINE_BREAK


class ClientTextDocument(TextDocument):
    """A TextDocument whose lines, and so its incremental changes, follow the protocol."""

    @property
    def lines(self) -> Sequence[str]:
        source = self.source
        ends = [match.end() for match in EDITOR_LINE_BREAK.finditer(source)]
        starts = [0, *ends]
        if starts[-1] == len(source):
            starts.pop()  # like splitlines: no empty line after a final line break
        return tuple(source[start:end] for start, end in pairwise([*starts, len(source)]))

    def _apply_incremental_change(self, change: types.TextDocumentContentChangePartial) -> None:
        lines = self.lines
        rng = self._position_codec.range_from_client_units(lines, change.range)
        source = self.source
        self._source = (
            source[: _offset(lines, rng.start.line, rng.start.character, len(source))]
            + change.text
            + source[_offset(lines, rng.end.line, rng.end.character, len(source)) :]
        )


def _offset(lines: Sequence[str], line: int, character: int, length: int) -> int:
    """Where (line, character) is in the source; a column past the line's end is its end (line
    break included, as pygls has it), a line past the last one is the end of the text."""
    if line >= len(lines):
        return length
    return sum(len(text) for text in lines[:line]) + min(max(character, 0), len(lines[line]))


class ClientWorkspace(Workspace):
    """A Workspace that opens documents as :class:`ClientTextDocument`."""

    def _create_text_document(
        self,
        doc_uri: str,
        source: str | None = None,
        version: int | None = None,
        language_id: str | None = None,
    ) -> TextDocument:
        return ClientTextDocument(
            doc_uri,
            source=source,
            version=version,
            language_id=language_id,
            sync_kind=self._sync_kind,
            position_codec=self.position_codec,
        )


def adopt(workspace: Any) -> None:
    """Make the workspace pygls created at `initialize` open documents as ClientTextDocument.

    pygls builds its Workspace inside its own `initialize` handler and offers no hook for the
    document class; the instance is given the subclass, which only adds that method.
    """
    if type(workspace) is Workspace:
        workspace.__class__ = ClientWorkspace
