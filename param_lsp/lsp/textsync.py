"""The document text the client edits, kept with the protocol's own line breaks.

pygls splits a document with `str.splitlines`, which also breaks at U+000B, U+000C,
U+001C–U+001E, U+0085, U+2028 and U+2029: an incremental change below such a character was
applied lines away from where the client made it, and the server's text then differed from
the editor's until the file was reopened. LSP has three line breaks, `\n`, `\r\n` and `\r`.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from itertools import pairwise
from typing import Any, overload

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
        source = self.source
        lines = _SourceLines(source)  # the lines an edit touches, not all of them
        rng = self._position_codec.range_from_client_units(lines, change.range)
        self._source = (
            source[: _offset(lines, rng.start.line, rng.start.character)]
            + change.text
            + source[_offset(lines, rng.end.line, rng.end.character) :]
        )


class _SourceLines(Sequence[str]):
    """:attr:`ClientTextDocument.lines` of one source (line breaks kept, no empty line after a
    final break), found on demand: a keystroke in a 5,000-line document reads two lines
    rather than slicing all of them (~2 ms)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.plain = "\r" not in source
        breaks = source.count("\n") if self.plain else len(EDITOR_LINE_BREAK.findall(source))
        ends_with_break = not source or source[-1] in "\r\n"
        self.size = breaks + 1 - ends_with_break
        self.starts: dict[int, int] = {0: 0}

    def __len__(self) -> int:
        return self.size

    def start(self, line: int) -> int:
        """Offset of the first character of a line (0 <= line < len)."""
        found = self.starts.get(line)
        if found is None:
            source = self.source
            if self.plain:
                found = len(source) - len(source.split("\n", line)[-1])
            else:
                ends = EDITOR_LINE_BREAK.finditer(source)
                found = next(itertools.islice(ends, line - 1, None)).end()
            self.starts[line] = found
        return found

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.size))]
        if index < 0:
            index += self.size
        if not 0 <= index < self.size:
            raise IndexError(index)
        end = self.start(index + 1) if index + 1 < self.size else len(self.source)
        return self.source[self.start(index) : end]


def _offset(lines: _SourceLines, line: int, character: int) -> int:
    """Where (line, character) is in the source; a column past the line's end is its end (line
    break included, as pygls has it), a line past the last one is the end of the text."""
    if line >= len(lines):
        return len(lines.source)
    return lines.start(line) + min(max(character, 0), len(lines[line]))


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
