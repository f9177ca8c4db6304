"""Every editor feature, at many positions of real polyaxonfiles and of broken versions of them.

A user asks for completion, hover, definition, references, rename and quick fixes anywhere,
often in a half-typed or mis-indented file. Each answer must be well-formed: edits and ranges
lie inside the document, a hover or rename range holds the position asked about, a location in
this document names a real range. Files: a sample of the real corpus and of the public files
(tests/data/public), each as it is and in five broken or restyled versions. `make sweep` (or
PARAM_LSP_SWEEP_ALL=1) runs it on every file; the default suite takes every 12th.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from param_lsp.core.settings import Settings
from param_lsp.core.span import Position, Span
from param_lsp.core.workspace import Workspace
from param_lsp.features.code_actions import code_actions
from param_lsp.features.completion import complete
from param_lsp.features.document import DocumentView, view_of
from param_lsp.features.hover import hover
from param_lsp.features.navigation import definition, prepare_rename, references
from param_lsp.features.outline import document_symbols
from tests.corpus_support import corpus_dir

PUBLIC = Path(__file__).parent / "data" / "public"
EVERY = 1 if os.environ.get("PARAM_LSP_SWEEP_ALL") else 12


def _files() -> list[Path]:
    roots = [corpus_dir(), PUBLIC]
    found = sorted(f for root in roots if root.is_dir() for f in root.rglob("*.y*ml"))
    return found[::EVERY]


def variants(text: str, seed: int) -> Iterator[tuple[str, str]]:
    """The file, cut in the middle of a line, without one character, with `: {` typed into
    it, with CRLF line breaks, and with some indentation lost."""
    rng = random.Random(seed)
    yield "as-is", text
    lines = text.split("\n")
    if len(lines) < 4:
        return
    cut = rng.randrange(1, len(lines))
    yield "half-typed", "\n".join([*lines[:cut], lines[cut][: len(lines[cut]) // 2]])
    at = rng.randrange(len(text))
    yield "one-character-deleted", text[:at] + text[at + 1 :]
    at = rng.randrange(len(text))
    yield "flow-opened", text[:at] + ": {" + text[at:]
    yield "crlf", text.replace("\n", "\r\n")
    yield "dedented", text.replace("  ", " ", 3)


def _inside(view: DocumentView, span: Span) -> bool:
    """Whether ``span`` lies in the document; it may end at the start of the line after the
    last one (the end of the stream, as the YAML reader marks it after a final line break)."""
    lines = view.lines
    if (span.end.line, span.end.character) == (len(lines), 0):
        span = Span.of(span.start.line, span.start.character, len(lines) - 1, len(lines[-1]))
    if not (0 <= span.start.line < len(lines) and 0 <= span.end.line < len(lines)):
        return False
    if (span.start.line, span.start.character) > (span.end.line, span.end.character):
        return False
    return span.start.character <= len(lines[span.start.line]) and span.end.character <= len(
        lines[span.end.line]
    )


def _positions(view: DocumentView) -> Iterator[Position]:
    for number, line in enumerate(view.lines):
        for column in sorted({0, len(line) // 2, max(0, len(line) - 1), len(line)}):
            yield Position(number, column)


def _problems(view: DocumentView) -> Iterator[str]:
    for symbol in document_symbols(view):
        if not _inside(view, symbol.span):
            yield f"symbol {symbol.name} at {symbol.span}"
    for pos in _positions(view):
        for item in complete(view, pos):
            if item.edit_span is not None and not (
                _inside(view, item.edit_span) and item.edit_span.start.line == pos.line
            ):
                yield f"completion {item.label!r} at {pos} edits {item.edit_span}"
        found = hover(view, pos)
        if found is not None and found.span is not None and not found.span.contains(pos):
            yield f"hover at {pos} covers {found.span}"
        for location in definition(view, pos) + references(view, pos, []):
            if location.path in (None, view.path) and not _inside(view, location.span):
                yield f"location at {pos}: {location.span}"
        rename = prepare_rename(view, pos)
        if rename is not None and not rename[0].contains(pos):
            yield f"rename at {pos} covers {rename[0]}"
        for action in code_actions(view, Span(pos, pos)):
            for file_edits in action.edits:
                for edit in file_edits.edits:
                    if file_edits.path is None and not _inside(view, edit.span):
                        yield f"action {action.title!r} at {pos} edits {edit.span}"


FILES = _files()


@pytest.mark.skipif(not FILES, reason="no corpus and no public files")
@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_every_feature_answers_well_formed_everywhere(path: Path) -> None:
    text = path.read_bytes().decode("utf-8", errors="replace")
    settings = Settings(root=str(path.parent))
    workspace = Workspace(root=path.parent)
    problems: list[str] = []
    for label, variant in variants(text, seed=len(text)):
        view = view_of(variant, path, settings, workspace)
        problems += [f"{label}: {problem}" for problem in _problems(view)]
    assert problems[:10] == []
