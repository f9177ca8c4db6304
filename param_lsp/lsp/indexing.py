"""The server's workspace index: the background scan (work-done progress, cancellable) and its
file-by-file updates from `workspace/didChangeWatchedFiles`.

Every polyaxonfile of the workspace folder is indexed (no cap), by the same rule as
`param-lsp check` on a folder: YAML files outside hidden folders and :data:`SKIP_DIRS`, selected
by the configuration's include/exclude, else by their content. Files are indexed a batch at a
time in the analysis worker, so an edit waits at most for one batch.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types

if TYPE_CHECKING:
    from param_lsp.features.index_cache import CachedFile
    from param_lsp.features.sites import FileSites
    from param_lsp.features.workspace_index import WorkspaceIndex
    from param_lsp.lsp.documents import DocumentStore
    from param_lsp.lsp.server import ParamLanguageServer

log = logging.getLogger(__name__)

#: Files indexed per job of the analysis worker (an edit waits for at most one batch).
BATCH_FILES = 16
#: Progress reports at most this often.
PROGRESS_EVERY_S = 0.2


#: `workspace/executeCommand`: index the workspace again (after a cancelled or failed scan).
INDEX_COMMAND = "param-lsp.indexWorkspace"


class Indexer:
    """Owns the :class:`WorkspaceIndex` of the server's workspace folder."""

    def __init__(self, store: DocumentStore) -> None:
        self.store = store
        self._index: WorkspaceIndex | None = None
        #: Set when the scan ran to the end (not cancelled).
        self.complete = False
        #: Files indexed so far by the running (or last) scan.
        self.done = 0
        #: Why the last scan stopped before its end ("cancelled", "stopped by an error").
        self.stopped: str | None = None
        #: The states of the index for which references already said they may be partial.
        self._partial_told: set[str] = set()
        #: Seconds the last full scan took, and how many files it looked at.
        self.scan_seconds: float | None = None
        self.candidates = 0
        #: The index of the last run, read back at the start of a scan (see index_cache).
        self.cached: dict[Path, CachedFile] = {}
        #: What this scan will write back, and how many files it took from the cache.
        self.entries: dict[Path, CachedFile] = {}
        self.reused = 0
        #: The cache being written after a scan.
        self.saving: asyncio.Future[bool] | None = None
        #: True while a scan runs (what it indexes is written to the cache at its end).
        self.recording = False
        self._digests: dict[Path, bytes | None] = {}
        self._paths: dict[str, Path] = {}
        self._settings_digests: dict[int, tuple[object, bytes]] = {}

    @property
    def index(self) -> WorkspaceIndex:
        """Made on first use: the server starts without importing the analysis modules."""
        if self._index is None:
            from param_lsp.features.workspace_index import WorkspaceIndex

            self._index = WorkspaceIndex()
        return self._index

    # ------------------------------------------------------------ scanning

    def candidates_of(self, roots: list[Path]) -> list[Path]:
        """YAML files under the workspace folders; never one whose real path leaves them (a
        link out of the workspace)."""
        import os

        from param_lsp.core.detect import walk_yaml_files

        real_roots = [Path(os.path.realpath(root)) for root in roots]
        found: list[Path] = []
        for root in roots:
            for path in walk_yaml_files(root):
                real = Path(os.path.realpath(path))
                if any(real.is_relative_to(r) for r in real_roots):
                    found.append(path)
        return found

    def index_paths(self, paths: list[Path]) -> list[tuple[Path, FileSites | None]]:
        """Runs in the analysis worker: the sites of each path (None: not a polyaxonfile)."""
        from param_lsp.core.yaml_tree import gc_paused, keep_frozen_objects

        keep_frozen_objects()
        store = self.store
        store.ensure_configured()
        out: list[tuple[Path, FileSites | None]] = []
        assert store.workspace is not None
        with gc_paused(), store.workspace.steady():
            for path in paths:
                try:
                    out.append((path, self._index_one(path)))
                except Exception:  # one bad file must not stop the scan
                    log.exception("param-lsp: could not index %s", path)
                    out.append((path, None))
        return out

    def _index_one(self, path: Path) -> FileSites | None:
        from param_lsp.core.detect import selected_by
        from param_lsp.features.index_cache import CachedFile, digest
        from param_lsp.features.workspace_index import sites_of_text

        store, workspace = self.store, self.store.workspace
        assert workspace is not None
        selected = store.selected(path)
        if selected is False:
            return None
        result = workspace.read(path, keep=False, parse=False)
        if result.text is None:
            return None
        settings = store.settings_for(path)
        file_digest = digest(result.text.encode("utf-8", "surrogatepass"))
        self._digests[result.path] = file_digest
        # Include/exclude decide whether a file is indexed whatever its content.
        settings_key = self._settings_digest(settings) + (b"+" if selected else b"?")
        known = self.cached.pop(result.path, None)
        if known is not None and self._still_valid(known, file_digest, settings_key):
            needs = workspace.requires[result.path]
            for dep, _ in known.deps:
                dep_path = self._path(dep)
                workspace.dependants[dep_path].add(result.path)
                needs.add(dep_path)
            if self.recording:
                self.entries[result.path] = known
            self.reused += 1
            return known.sites
        sites = None
        if selected_by(selected, result.text):
            workspace.requires.pop(result.path, None)
            sites = sites_of_text(result.text, path, settings, workspace, result.parsed)
        deps = tuple(
            (str(dep), dep_digest)
            for dep in sorted(workspace.requirements_of(result.path))
            if self.recording and (dep_digest := self._digest_of(dep)) is not None
        )
        if self.recording:
            self.entries[result.path] = CachedFile(file_digest, settings_key, deps, sites)
        return sites

    def _still_valid(self, known: CachedFile, file_digest: bytes, settings_key: bytes) -> bool:
        if known.digest != file_digest or known.settings != settings_key:
            return False
        return all(self._digest_of(self._path(dep)) == dep_hash for dep, dep_hash in known.deps)

    def _path(self, name: str) -> Path:
        path = self._paths.get(name)
        if path is None:
            path = self._paths[name] = Path(name)
        return path

    def _digest_of(self, path: Path) -> bytes | None:
        from param_lsp.features.index_cache import digest

        if path not in self._digests:
            workspace = self.store.workspace
            assert workspace is not None
            text = workspace.read(path, keep=False, parse=False).text
            self._digests[path] = (
                None if text is None else digest(text.encode("utf-8", "surrogatepass"))
            )
        return self._digests[path]

    def _settings_digest(self, settings: object) -> bytes:
        from param_lsp.features.index_cache import settings_digest

        known = self._settings_digests.get(id(settings))
        if known is None or known[0] is not settings:
            known = self._settings_digests[id(settings)] = (settings, settings_digest(settings))
        return known[1]

    def store_results(self, results: list[tuple[Path, FileSites | None]]) -> None:
        """Open documents are indexed too (from disk): queries leave them to their analysis,
        and the entry is there when they are closed."""
        for path, sites in results:
            if sites is None:
                self.index.remove(path)
            else:
                self.index.put(sites)

    async def scan(self, ls: ParamLanguageServer) -> None:
        """Index every polyaxonfile of the workspace folder, with work-done progress."""
        root = self.store.workspace_root
        if root is None or not root.is_dir():
            return
        from param_lsp.features.index_cache import IndexCache

        loop = asyncio.get_running_loop()
        started = time.monotonic()
        # Until the scan reaches its end, an error anywhere leaves the index incomplete.
        self.stopped, self.done, self._partial_told = "stopped by an error", 0, set()
        cache = IndexCache(root)
        self.cached = await loop.run_in_executor(None, cache.load)
        self.entries, self.reused, self._digests = {}, 0, {}
        self.recording = True
        roots = [root, *(extra for extra in self.store.extra_roots if extra.is_dir())]
        files = await loop.run_in_executor(None, self.candidates_of, roots)
        self.candidates = len(files)
        token = await _begin_progress(ls, len(files))
        done = 0
        last_report = 0.0
        cancelled = False
        try:
            for start in range(0, len(files), BATCH_FILES):
                if token is not None and ls.work_done_progress.tokens[token].cancelled():
                    cancelled = True
                    break
                batch = files[start : start + BATCH_FILES]
                results = await loop.run_in_executor(self.store.executor, self.index_paths, batch)
                self.store_results(results)
                done += len(batch)
                self.done = done
                now = time.monotonic()
                if token is not None and (
                    now - last_report >= PROGRESS_EVERY_S or done == len(files)
                ):
                    last_report = now
                    ls.work_done_progress.report(
                        token,
                        types.WorkDoneProgressReport(
                            message=f"{done}/{len(files)} files",
                            percentage=int(done * 100 / max(len(files), 1)),
                        ),
                    )
        finally:
            self.complete = not cancelled and done == len(files)
            self.stopped = (
                None if self.complete else "cancelled" if cancelled else "stopped by an error"
            )
            self.scan_seconds = time.monotonic() - started
            self.cached, self._digests, self._paths, self.recording = {}, {}, {}, False
            entries, self.entries = self.entries, {}
            gc.collect()
            if token is not None:
                message = f"{len(self.index)} polyaxonfiles"
                if not self.complete:
                    message += f" (stopped after {done} of {len(files)} files)"
                ls.work_done_progress.end(token, types.WorkDoneProgressEnd(message=message))
                ls.work_done_progress.tokens.pop(token, None)  # pygls keeps ended tokens forever
        if self.complete:
            # Written in the background: the index is usable (and renames allowed) meanwhile.
            self.saving = loop.run_in_executor(None, cache.save, entries)

    # ------------------------------------------------------------ completeness

    def unfinished(self, scan: asyncio.Task[None] | None) -> str | None:
        """Why the index may not hold every polyaxonfile of the workspace (None: it does, or
        there is no scan). ``scan`` is the server's scan task (it may not have started yet)."""
        if scan is not None and not scan.done():
            total = f" ({self.done} of {self.candidates} files)" if self.candidates else ""
            return f"the workspace is still being indexed{total}"
        if self.stopped is not None:
            return (
                f"indexing of the workspace was {self.stopped} after {self.done} of "
                f"{self.candidates} files"
            )
        return None

    def rename_refusal(self, scan: asyncio.Task[None] | None) -> str | None:
        """The message a rename is refused with while the index is incomplete: a rename must
        update every use or none."""
        why = self.unfinished(scan)
        if why is None:
            return None
        if scan is not None and not scan.done():
            fix = "rename again when indexing is done"
        else:
            fix = (
                f'index the workspace again (command `{INDEX_COMMAND}`, in VS Code "param-lsp: '
                'Index the workspace again"), then rename'
            )
        return f"Rename refused: {why}, so some uses could be missed; {fix}."

    def partial_notice(self, scan: asyncio.Task[None] | None) -> str | None:
        """What references say (once per state of the index) when they may be partial: they
        answer with the uses known so far."""
        why = self.unfinished(scan)
        if why is None:
            return None
        if not self.first_time(self.stopped or "scanning"):
            return None
        return f"References may be incomplete: {why}; the uses found so far are listed."

    def first_time(self, state: str) -> bool:
        """Whether the user has not yet been told about ``state`` (each is told once)."""
        if state in self._partial_told:
            return False
        self._partial_told.add(state)
        return True

    async def reindex(self, path: Path) -> None:
        """One file changed or appeared on disk."""
        await self.reindex_many([path])

    async def reindex_many(self, paths: list[Path]) -> None:
        loop = asyncio.get_running_loop()
        results = await loop.run_in_executor(self.store.executor, self.index_paths, paths)
        self.store_results(results)

    def forget(self, path: Path) -> None:
        self.index.remove(path)

    def stats(self) -> dict[str, Any]:
        return {
            "indexed_files": len(self._index) if self._index is not None else 0,
            "index_candidates": self.candidates,
            "index_complete": self.complete,
            "index_ms": round(self.scan_seconds * 1000) if self.scan_seconds is not None else -1,
            "index_reused": self.reused,
        }


async def _begin_progress(ls: ParamLanguageServer, total: int) -> str | None:
    if not ls.progress_support:
        return None
    token = f"param-lsp-index-{time.monotonic_ns()}"
    try:
        await ls.work_done_progress.create_async(token)
        ls.work_done_progress.begin(
            token,
            types.WorkDoneProgressBegin(
                title="param-lsp: indexing workspace",
                message=f"0/{total} files",
                percentage=0,
                cancellable=True,
            ),
        )
    except Exception as exc:
        log.info("work done progress unavailable: %r", exc)
        return None
    return token
