"""What one file contributes to the workspace index: the sites naming inputs and outputs.

The workspace index (:mod:`param_lsp.features.workspace_index`) keeps one :class:`FileSites`
per polyaxonfile instead of its analysis and tree: references and rename across the workspace
read these spans, and only the open documents are analysed in full.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from param_lsp.core.model import IODef
from param_lsp.core.span import Span
from param_lsp.features.document import DocumentView

#: An input or output as every file names it: (declaring file, name, is an output).
IOKey = tuple[Path | None, str, bool]


def io_key(io: IODef) -> IOKey:
    return (io.source, io.name, io.is_output)


@dataclass(frozen=True, slots=True)
class FileSites:
    """The navigation sites of one file: for each input/output it names, where."""

    path: Path
    io_uses: dict[IOKey, tuple[Span, ...]]
    #: ASCII without `\r`: positions are the same in code points, UTF-16 and UTF-8 units, and
    #: the core's lines are the editor's, so answers need not read the file to convert them.
    plain: bool = False

    def keys(self) -> frozenset[IOKey]:
        return frozenset(self.io_uses)


def extract_sites(view: DocumentView) -> FileSites | None:
    """The sites of an analysed file (None without a path)."""
    from param_lsp.features.navigation import io_uses

    if view.path is None:
        return None
    found: dict[IOKey, tuple[Span, ...]] = {}
    for site in view.index.sites():
        for io in (*site.inputs, *site.outputs):
            key = io_key(io)
            if key in found:
                continue
            found[key] = tuple(io_uses(view, io))
    plain = view.text.isascii() and "\r" not in view.text
    return FileSites(view.path, {key: spans for key, spans in found.items() if spans}, plain)
