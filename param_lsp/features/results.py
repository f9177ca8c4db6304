"""Result types of the editor features: plain data in core coordinates (code-point columns).

The language server converts them to protocol types; nothing here knows about the protocol.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from param_lsp.core.span import Span


class ItemKind(Enum):
    FIELD = "field"
    VALUE = "value"
    VARIABLE = "variable"
    MODULE = "module"
    KEYWORD = "keyword"
    REFERENCE = "reference"
    PROPERTY = "property"
    ENUM = "enum"
    FUNCTION = "function"
    FILE = "file"
    FOLDER = "folder"


@dataclass(slots=True)
class CompletionItem:
    """One completion (not frozen: items are made by the thousand, and frozen fields cost
    twice as much to set)."""

    label: str
    kind: ItemKind
    #: Detail and markdown documentation, or functions making them: long lists are cut
    #: before the texts of every item are made.
    detail: str | Callable[[], str] | None = None
    documentation: str | Callable[[], str] | None = None
    insert_text: str | None = None
    #: ``insert_text`` is an LSP snippet (``$1``/``${1:x}``); a plain fallback is ``plain_text``.
    is_snippet: bool = False
    plain_text: str | None = None
    sort_text: str | None = None
    filter_text: str | None = None
    #: The text the item replaces (None: the client's word at the cursor).
    edit_span: Span | None = None

    def detail_text(self) -> str | None:
        detail = self.detail
        return detail() if callable(detail) else detail

    def documentation_text(self) -> str | None:
        doc = self.documentation
        return doc() if callable(doc) else doc


@dataclass(frozen=True, slots=True)
class Location:
    path: Path | None  # None: the document the request was about
    span: Span


@dataclass(frozen=True, slots=True)
class TextEdit:
    span: Span
    new_text: str


@dataclass(frozen=True, slots=True)
class FileEdits:
    path: Path | None  # None: the document the request was about
    edits: tuple[TextEdit, ...]


@dataclass(frozen=True, slots=True)
class CodeAction:
    title: str
    edits: tuple[FileEdits, ...]
    #: Codes of the findings the action fixes (matched to the request's diagnostics).
    fixes_codes: tuple[str, ...] = ()
    fixes_spans: tuple[Span, ...] = ()
    preferred: bool = False


@dataclass(slots=True)
class Symbol:
    name: str
    kind: str  # "operation", "component", "section", "param", "input", "output", "op", "run"
    span: Span
    selection: Span
    detail: str | None = None
    children: list[Symbol] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Token:
    """A semantic token on one line: start column and length in code points."""

    line: int
    start: int
    length: int
    kind: str  # one of TOKEN_TYPES


TOKEN_TYPES: tuple[str, ...] = ("namespace", "variable", "property", "function", "keyword")


@dataclass(frozen=True, slots=True)
class InlayHint:
    line: int
    character: int
    label: str
    tooltip: str | None = None


@dataclass(frozen=True, slots=True)
class DocumentLink:
    span: Span
    target: Path
    tooltip: str | None = None


@dataclass(frozen=True, slots=True)
class Hover:
    markdown: str
    span: Span | None = None
