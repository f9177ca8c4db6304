"""What one file contributes to the workspace index: the sites naming inputs and outputs.

The workspace index (:mod:`param_lsp.features.workspace_index`) keeps one :class:`FileSites`
per polyaxonfile instead of its analysis and tree: references and rename across the workspace
read these spans, and only the open documents are analysed in full.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from param_lsp.core.model import IODef
from param_lsp.core.span import Span
from param_lsp.features.document import DocumentView

#: An input or output as every file names it: (declaring file, name, is an output).
IOKey = tuple[Path | None, str, bool]


def io_key(io: IODef) -> IOKey:
    """The key of an input/output, its declaring file's symlinks resolved (as `same_path`)."""
    from param_lsp.features.uses import resolved_or_same

    return (resolved_or_same(io.source), io.name, io.is_output)


@dataclass(frozen=True, slots=True)
class FileSites:
    """The navigation sites of one file: for each input/output it names, where."""

    path: Path
    io_uses: dict[IOKey, tuple[Span, ...]]
    #: ASCII without `\r`: positions are the same in code points, UTF-16 and UTF-8 units, and
    #: the core's lines are the editor's, so answers need not read the file to convert them.
    plain: bool = False
    #: For each input/output it names: the params the operations using it pass (what a rename
    #: to one of these names would clash with), without those given on the command line.
    passes: dict[IOKey, frozenset[str]] = field(default_factory=dict)
    #: Inputs whose param is given on the command line (`-P`): a rename cannot update those.
    from_cli: frozenset[IOKey] = frozenset()

    def keys(self) -> frozenset[IOKey]:
        return frozenset(self.io_uses)


def extract_sites(view: DocumentView) -> FileSites | None:
    """The sites of an analysed file (None without a path)."""
    from param_lsp.features.uses import all_io_sites

    if view.path is None:
        return None
    found = {key: tuple(spans) for key, spans in all_io_sites(view, io_key).items()}
    passes: dict[IOKey, set[str]] = {}
    from_cli: set[IOKey] = set()
    for site in view.index.sites():
        names = {name for name, param in site.params.items() if not param.from_cli}
        for io in (*site.inputs, *site.outputs):
            key = io_key(io)
            passes.setdefault(key, set()).update(names)
            param = site.params.get(io.name)
            if param is not None and param.from_cli:
                from_cli.add(key)
    kept = {key: spans for key, spans in found.items() if spans}
    plain = view.text.isascii() and "\r" not in view.text
    return FileSites(
        view.path,
        kept,
        plain,
        {key: frozenset(passes[key]) for key in kept},
        frozenset(key for key in from_cli if key in kept),
    )
