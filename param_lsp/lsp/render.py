"""Feature results (core types) → protocol types."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from param_lsp.core.span import Position, Span
from param_lsp.features.results import (
    CodeAction,
    CompletionItem,
    FileEdits,
    ItemKind,
    Location,
    Symbol,
    Token,
)
from param_lsp.lsp.convert import Lines, path_to_uri

if TYPE_CHECKING:
    from param_lsp.features.document import DocumentView
    from param_lsp.lsp.server import ParamLanguageServer

_ITEM_KINDS = {
    ItemKind.FIELD: types.CompletionItemKind.Field,
    ItemKind.VALUE: types.CompletionItemKind.Value,
    ItemKind.VARIABLE: types.CompletionItemKind.Variable,
    ItemKind.MODULE: types.CompletionItemKind.Module,
    ItemKind.KEYWORD: types.CompletionItemKind.Keyword,
    ItemKind.REFERENCE: types.CompletionItemKind.Reference,
    ItemKind.PROPERTY: types.CompletionItemKind.Property,
    ItemKind.ENUM: types.CompletionItemKind.EnumMember,
    ItemKind.FUNCTION: types.CompletionItemKind.Function,
    ItemKind.FILE: types.CompletionItemKind.File,
    ItemKind.FOLDER: types.CompletionItemKind.Folder,
}

_SYMBOL_KINDS = {
    "operation": types.SymbolKind.Function,
    "component": types.SymbolKind.Class,
    "section": types.SymbolKind.Namespace,
    "param": types.SymbolKind.Field,
    "input": types.SymbolKind.Property,
    "output": types.SymbolKind.Event,
    "op": types.SymbolKind.Method,
    "run": types.SymbolKind.Module,
}


def completion_list(
    items: Sequence[CompletionItem],
    lines: Lines,
    *,
    markdown: bool = True,
    incomplete: bool = False,
) -> types.CompletionList:
    converted: list[types.CompletionItem] = []
    #: Items usually share one edit range: convert it to client units once.
    ranges: dict[Span, types.Range] = {}
    for item in items:
        text = item.insert_text if item.insert_text is not None else item.label
        edit = None
        if item.edit_span is not None:
            rng = ranges.get(item.edit_span)
            if rng is None:
                rng = ranges[item.edit_span] = lines.range_to_client(item.edit_span)
            edit = types.TextEdit(range=rng, new_text=text)
        doc = item.documentation_text()
        converted.append(
            types.CompletionItem(
                label=item.label,
                kind=_ITEM_KINDS.get(item.kind, types.CompletionItemKind.Text),
                detail=item.detail_text(),
                documentation=(
                    types.MarkupContent(kind=types.MarkupKind.Markdown, value=doc)
                    if markdown
                    else doc
                )
                if doc
                else None,
                sort_text=item.sort_text,
                filter_text=item.filter_text,
                insert_text=None if edit is not None else text,
                insert_text_format=types.InsertTextFormat.Snippet
                if item.is_snippet
                else types.InsertTextFormat.PlainText,
                text_edit=edit,
            )
        )
    return types.CompletionList(is_incomplete=incomplete, items=converted)


def _lines_for(
    ls: ParamLanguageServer, path: Path | None, view: DocumentView, known: dict[Any, Any]
) -> Any:
    """The file's :class:`Lines` (once per answer: ``known``)."""
    lines = known.get(path)
    if lines is not None:
        return lines
    if path is None or path == view.path:
        lines = Lines(view.lines, ls.workspace.position_codec, view.text)
    else:
        found = ls._lines_of_path(path, by=view.path)
        lines = found if found is not None else Lines([], ls.workspace.position_codec)
    known[path] = lines
    return lines


def _outside(ls: ParamLanguageServer, path: Path | None, view: DocumentView) -> bool:
    """Another file outside the roots the document may reach: never linked to nor edited."""
    if path is None or path == view.path:
        return False
    return not ls.inside_for(view.path)(path)


def locations(
    ls: ParamLanguageServer, uri: str, view: DocumentView, found: Sequence[Location]
) -> list[types.Location]:
    result: list[types.Location] = []
    known: dict[Any, Any] = {}
    uris: dict[Path | None, str] = {}
    outside: dict[Path | None, bool] = {}
    for location in found:
        path = location.path
        if path not in outside:
            outside[path] = _outside(ls, path, view)
        if outside[path]:
            continue
        target_uri = uris.get(path)
        if target_uri is None:
            target_uri = uris[path] = (
                uri if path is None or path == view.path else path_to_uri(path)
            )
        lines = _lines_for(ls, path, view, known)
        result.append(types.Location(uri=target_uri, range=lines.range_to_client(location.span)))
    return result


def workspace_edit(
    ls: ParamLanguageServer, uri: str, view: DocumentView, edits: Sequence[FileEdits]
) -> types.WorkspaceEdit:
    changes: dict[str, list[types.TextEdit]] = {}
    known: dict[Any, Any] = {}
    for file_edits in edits:
        path = file_edits.path
        if _outside(ls, path, view):
            continue
        target_uri = uri if path is None or path == view.path else path_to_uri(path)
        lines = _lines_for(ls, path, view, known)
        changes.setdefault(target_uri, []).extend(
            types.TextEdit(range=lines.range_to_client(edit.span), new_text=edit.new_text)
            for edit in file_edits.edits
        )
    return types.WorkspaceEdit(changes=changes)


def code_action_list(
    ls: ParamLanguageServer,
    uri: str,
    view: DocumentView,
    actions: Sequence[CodeAction],
    diagnostics: Sequence[types.Diagnostic],
) -> list[types.CodeAction]:
    lines = Lines(view.lines, ls.workspace.position_codec, view.text)
    result: list[types.CodeAction] = []
    for action in actions:
        matched = [
            diagnostic
            for diagnostic in diagnostics
            if diagnostic.code in action.fixes_codes
            and any(diagnostic.range == lines.range_to_client(s) for s in action.fixes_spans)
        ]
        result.append(
            types.CodeAction(
                title=action.title,
                kind=types.CodeActionKind.QuickFix,
                diagnostics=matched or None,
                is_preferred=action.preferred or None,
                edit=workspace_edit(ls, uri, view, action.edits),
            )
        )
    return result


def symbols(found: Sequence[Symbol], lines: Lines) -> list[types.DocumentSymbol]:
    return [
        types.DocumentSymbol(
            name=symbol.name or "?",
            kind=_SYMBOL_KINDS.get(symbol.kind, types.SymbolKind.Object),
            range=lines.range_to_client(symbol.span),
            selection_range=lines.range_to_client(symbol.selection),
            detail=symbol.detail,
            children=symbols(symbol.children, lines) or None,
        )
        for symbol in found
    ]


def encode_tokens(tokens: Sequence[Token], lines: Lines, legend: Sequence[str]) -> list[int]:
    """LSP relative encoding, lengths and columns in the client's units."""
    data: list[int] = []
    previous_line = 0
    previous_start = 0
    for token in tokens:
        if token.kind not in legend:
            continue
        start = lines.to_client(Position(token.line, token.start)).character
        end = lines.to_client(Position(token.line, token.start + token.length)).character
        delta_line = token.line - previous_line
        delta_start = start - previous_start if delta_line == 0 else start
        data += [delta_line, delta_start, end - start, legend.index(token.kind), 0]
        previous_line, previous_start = token.line, start
    return data
