"""The workspace index: every polyaxonfile of the workspace, reduced to its navigation sites.

Scanning and storage only; what a file contributes is :func:`param_lsp.features.sites.
extract_sites`. Each file is read through the :class:`Workspace` (confinement, size limit),
analysed for navigation only (parse, compose, call sites: no rule runs) and reduced to a
:class:`FileSites`; its tree and analysis are dropped, so memory grows with the number of sites,
not with the size of the files. An inverted index (input/output → files naming it) makes a
workspace-wide references or rename a dictionary look-up per file that names the target.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from param_lsp.core.model import IODef
from param_lsp.core.settings import Settings
from param_lsp.core.workspace import Workspace
from param_lsp.features.navigation import IndexedUses
from param_lsp.features.results import Location
from param_lsp.features.sites import FileSites, IOKey, io_key

if TYPE_CHECKING:
    from param_lsp.engine.analyze import Analysis
    from param_lsp.features.document import DocumentView


@dataclass(slots=True)
class WorkspaceIndex:
    """Per-file sites plus the inverted index; updated file by file."""

    files: dict[Path, FileSites] = field(default_factory=dict)
    by_key: dict[IOKey, set[Path]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.files)

    def __contains__(self, path: object) -> bool:
        return path in self.files

    def put(self, sites: FileSites) -> None:
        self.remove(sites.path)
        self.files[sites.path] = sites
        for key in sites.io_uses:
            self.by_key.setdefault(key, set()).add(sites.path)

    def remove(self, path: Path) -> None:
        old = self.files.pop(path, None)
        if old is None:
            return
        for key in old.io_uses:
            paths = self.by_key.get(key)
            if paths is not None:
                paths.discard(path)
                if not paths:
                    del self.by_key[key]

    def uses(self, key: IOKey, exclude: Iterable[Path] = ()) -> list[Location]:
        """Every indexed site naming ``key``, by file path then position."""
        skip = set(exclude)
        out: list[Location] = []
        for path in sorted(self.by_key.get(key, ()), key=str):
            if path in skip:
                continue
            out += [Location(path, span) for span in self.files[path].io_uses.get(key, ())]
        return out

    def is_plain(self, path: Path) -> bool:
        """Whether the indexed file's positions need no conversion (see FileSites.plain)."""
        sites = self.files.get(path)
        return sites is not None and sites.plain

    def rename_clash(
        self, io: IODef, new_name: str, exclude: Iterable[Path] = ()
    ) -> tuple[Path, str] | None:
        """Why renaming ``io`` to ``new_name`` cannot update an indexed file (not in
        ``exclude``): (file, "param") when an operation using ``io`` there already passes a
        param ``new_name``, (file, "cli") when ``io``'s param is given with `-P`."""
        key = io_key(io)
        skip = set(exclude)
        for path in sorted(self.by_key.get(key, ()), key=str):
            if path in skip:
                continue
            sites = self.files[path]
            if key in sites.from_cli:
                return path, "cli"
            if new_name in sites.passes.get(key, ()):
                return path, "param"
        return None

    def io_uses(self, exclude: Iterable[Path] = ()) -> IndexedUses:
        """References/rename's view of the index (files in ``exclude`` are answered by their
        analysed documents instead)."""
        skip = frozenset(exclude)

        def answer(io: IODef) -> list[Location]:
            return self.uses(io_key(io), skip)

        return answer


def index_file(
    path: Path, settings: Settings, workspace: Workspace, *, forced: bool = False
) -> FileSites | None:
    """The sites of one polyaxonfile on disk; None when it is not one (or cannot be read).
    ``forced``: included by the configuration, whatever its content.

    Only what navigation needs runs: the tree, its composition and the call sites. Nothing the
    analysis made is kept but the spans of the sites.
    """
    from param_lsp.core.detect import looks_like_polyaxonfile
    from param_lsp.core.yaml_tree import gc_paused

    result = workspace.read(path, keep=False)
    if result.text is None or not (forced or looks_like_polyaxonfile(result.text)):
        return None
    with gc_paused():
        return sites_of_text(result.text, path, settings, workspace, result.parsed)


def sites_of_text(
    text: str,
    path: Path,
    settings: Settings,
    workspace: Workspace,
    parsed: object | None = None,
) -> FileSites | None:
    from param_lsp.features.document import make_view
    from param_lsp.features.index import build_index
    from param_lsp.features.sites import extract_sites

    analysis = navigation_analysis(text, path, settings, workspace, parsed)
    if analysis.root is None:
        return FileSites(analysis.path or path, {})
    view = make_view(text, analysis.path, analysis, build_index(analysis, workspace), [])
    return extract_sites(view)


def navigation_analysis(
    text: str,
    path: Path,
    settings: Settings,
    workspace: Workspace,
    parsed: object | None = None,
) -> Analysis:
    """An :class:`Analysis` holding the tree, layer and composition, without the rules."""
    from param_lsp.core.context import CheckContext
    from param_lsp.core.model import read_layer
    from param_lsp.core.yaml_tree import ParsedYaml, YMap, parse_yaml
    from param_lsp.engine.analyze import Analysis
    from param_lsp.rules.references import composer

    source = Path(os.path.abspath(path))
    analysis = Analysis(text=text, path=source, settings=settings)
    tree = parsed if isinstance(parsed, ParsedYaml) else parse_yaml(text)
    analysis.parsed = tree
    root = tree.root
    if not isinstance(root, YMap):
        return analysis
    analysis.root = root
    layer = read_layer(root, source)
    analysis.layer = layer
    ctx = CheckContext(settings=settings, path=source)
    try:
        analysis.composed = composer(ctx, workspace).compose(layer)
    except Exception:  # a file we cannot compose still contributes its own sites
        analysis.composed = None
    return analysis


def collect_after_scan() -> None:
    """One collection after a scan (its garbage holds no cycles worth walking during it)."""
    gc.collect()


def view_of_file(
    path: Path, settings: Settings, workspace: Workspace, *, full: bool = False
) -> DocumentView | None:
    """A :class:`DocumentView` of a workspace file read from disk (not kept), or None when it is
    no polyaxonfile. Without ``full`` only the navigation analysis runs (tree, composition,
    call sites); ``full`` runs the whole analysis (what a hover describing values needs)."""
    from param_lsp.core.detect import looks_like_polyaxonfile
    from param_lsp.core.yaml_tree import gc_paused
    from param_lsp.engine.analyze import analyze
    from param_lsp.features.document import make_view
    from param_lsp.features.index import build_index

    result = workspace.read(path, keep=False)
    if result.text is None or not looks_like_polyaxonfile(result.text):
        return None
    with gc_paused():
        if full:
            analysis = analyze(result.text, path, settings, workspace)
        else:
            analysis = navigation_analysis(result.text, path, settings, workspace, result.parsed)
        return make_view(result.text, analysis.path, analysis, build_index(analysis, workspace), [])
