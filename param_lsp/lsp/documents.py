"""Open documents: analysis off the event loop, cached per version, never stale.

Per document there is at most one analysis running (in a single worker thread) and at most one
waiting. An edit that finds the document's analyser idle is analysed at once (after the
optional ``debounceMs``, 0 by default); edits that arrive while an analysis runs replace the
waiting one, so the next analysis takes the newest text, and a result is published only when
its version is still the document's version.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import linecache
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from param_lsp.core.memo import DocumentCache
    from param_lsp.core.project import ProjectConfig
    from param_lsp.core.settings import Settings
    from param_lsp.core.workspace import Workspace
    from param_lsp.engine.analyze import Analysis
    from param_lsp.engine.config import ConfigFinder
    from param_lsp.features.document import DocumentView
    from param_lsp.features.index import DocumentIndex

log = logging.getLogger(__name__)

YAML_SUFFIXES = (".yaml", ".yml")
#: How long a request right after `didOpen` waits for the document's first index.
FIRST_INDEX_WAIT_S = 5.0


@dataclass(slots=True, eq=False)
class DocState:
    uri: str
    path: Path | None
    #: (document version, generation) the current ``analysis`` describes.
    analysed: tuple[int | None, int] | None = None
    analysis: Analysis | None = None
    analysed_text: str | None = None
    #: Best analysis for features (fresh, recovered from broken YAML, or the last good one).
    features: Analysis | None = None
    index: DocumentIndex | None = None
    eligible: bool = False
    #: Bumped when something the analysis read (a component file, settings) changed.
    generation: int = 0
    pending: asyncio.Task[None] | None = None
    computing: asyncio.Task[Any] | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    published: bool = False
    view_cache: tuple[Any, DocumentView] | None = None
    #: When the last edit arrived (monotonic seconds).
    last_change: float | None = None
    #: What the last analysis can lend the next one (regions, checks of unchanged nodes).
    cache: DocumentCache = field(default_factory=lambda: _new_cache())
    #: Set once the first analysis is done and its index (or its recovered one) is in place:
    #: requests right after `didOpen` wait for it (see `DocumentStore.first_index`).
    indexed: asyncio.Event = field(default_factory=asyncio.Event)


class CollectorPolicy:
    """The cyclic garbage collector in a long-lived server.

    Every analysis leaves a few hundred thousand live objects (trees, remembered results)
    that the collector would traverse again and again: ~10 ms on every keystroke of a
    5,000-line file. They hold no reference cycles, so the analysis freezes what it made
    (left out of collections; freed by reference counting as usual) before the collector is
    back on. After each published analysis, a collection of the objects made since then (a
    millisecond: requests, tasks, messages, which do leave cycles) frees their garbage
    before they are frozen in turn. A full collection, for any cycle that got frozen, runs
    after every ``FULL_EVERY`` analyses once the user has stopped typing for ``QUIET_S``: it
    takes tens of milliseconds, which a burst of keys must not wait for.
    """

    FULL_EVERY = 200
    QUIET_S = 2.0

    def __init__(self) -> None:
        self.analyses = 0
        self.collections = 0
        self.scheduled = False

    def after_analysis(self, quiet_since: Callable[[], float]) -> None:
        self.analyses += 1
        if self.analyses == 1:
            drop_generated_sources()
        gc.collect()
        gc.freeze()
        if self.analyses % self.FULL_EVERY == 0 and not self.scheduled:
            self.scheduled = True
            asyncio.get_running_loop().call_later(
                self.QUIET_S, self._collect_when_quiet, quiet_since
            )

    def _collect_when_quiet(self, quiet_since: Callable[[], float]) -> None:
        waited = time.monotonic() - quiet_since()
        if waited < self.QUIET_S:
            asyncio.get_running_loop().call_later(
                self.QUIET_S - waited, self._collect_when_quiet, quiet_since
            )
            return
        self.scheduled = False
        self.collections += 1
        gc.unfreeze()
        gc.collect()
        gc.freeze()


def drop_generated_sources() -> None:
    """Forget the source text attrs and cattrs keep for the methods they generate.

    lsprotocol's ~1,000 attrs classes (and pygls' converter) leave ~1.7 MB of generated source
    in `linecache`, only ever read to print those lines in a traceback. Dropped once the
    server is initialized, and again after the first published analysis, by which time the
    classes and converters the server uses are all built.
    """
    for name in [name for name in linecache.cache if name.startswith(_GENERATED_SOURCES)]:
        del linecache.cache[name]


_GENERATED_SOURCES = ("<attrs generated", "<cattrs generated")


def is_yaml(path: Path | None, uri: str) -> bool:
    name = path.name if path is not None else uri.rsplit("/", 1)[-1]
    return name.lower().endswith(YAML_SUFFIXES)


@dataclass(slots=True)
class Computed:
    analysis: Analysis
    eligible: bool


class DocumentStore:
    """Owns per-document state and the analysis worker."""

    def __init__(
        self,
        get_text: Callable[[str], tuple[str, int | None] | None],
        on_result: Callable[[DocState, int | None], None],
        on_dependants: Callable[[DocState], None],
    ) -> None:
        self.get_text = get_text
        self.on_result = on_result
        self.on_dependants = on_dependants
        self.states: dict[str, DocState] = {}
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="param-lsp-analysis")
        self.debounce_s = 0.0
        self.settings: Settings | None = None
        #: Nearest configuration file per folder (cleared when a configuration file changes),
        #: and the settings made of each configuration.
        self.config_finders: dict[Path | None, ConfigFinder] = {}
        self._settings_of: dict[int, tuple[ProjectConfig, Settings]] = {}
        #: What the client set explicitly; each file's settings are its nearest configuration file
        #: (`.param-lsp.toml`, `[tool.param-lsp]`) with these on top.
        self.client_overrides: dict[str, Any] = {}
        self.workspace: Workspace | None = None
        self.workspace_root: Path | None = None
        #: The other workspace folders (each one a root too).
        self.extra_roots: tuple[Path, ...] = ()
        #: Analyses started since start-up (read by benchmarks through `$/paramLsp/stats`).
        self.analyses_run = 0
        self.collector = CollectorPolicy()
        #: Called once per document when its first index is in place.
        self.on_indexed: Callable[[DocState], None] | None = None

    # ------------------------------------------------------------ configuration

    def configure(self, settings: Settings, debounce_s: float, root: Path | None) -> None:
        if settings != self.settings:
            self._settings_of.clear()
        self.settings = settings
        self.debounce_s = debounce_s
        if self.workspace is None or root != self.workspace_root:
            from param_lsp.core.workspace import Workspace

            self.workspace_root = root
            self.workspace = Workspace(root=root, extra_roots=self.extra_roots if root else ())

    def settings_for(self, path: Path | None) -> Settings:
        return self.settings_and_problem(path)[0]

    def settings_and_problem(self, path: Path | None) -> tuple[Settings, str | None]:
        """The settings for ``path`` and, when its configuration file is unusable, why (the
        client's settings and the defaults apply then)."""
        self.ensure_configured()
        assert self.settings is not None
        if path is None:
            return self.settings, None
        from param_lsp.engine.config import ConfigError, settings_from

        try:
            config = self._finder(path).load(path)
            known = self._settings_of.get(id(config))
            if known is not None and known[0] is config:
                return known[1], None
            settings = settings_from(config, self.client_overrides)
            self._settings_of[id(config)] = (config, settings)
            return settings, None
        except ConfigError as exc:
            log.warning("param-lsp: %s; using the client settings", exc)
            return self.settings, str(exc)
        except Exception as exc:  # never let a configuration file stop the diagnostics
            log.exception("param-lsp: configuration for %s failed", path)
            return self.settings, f"{type(exc).__name__}: {exc}"

    def _root_of(self, path: Path) -> Path | None:
        """The workspace folder holding ``path`` (configuration files are looked for up to it)."""
        for root in (self.workspace_root, *self.extra_roots):
            if root is not None and path.is_relative_to(root):
                return root
        return None

    def project_config(self, path: Path | None) -> ProjectConfig | None:
        """The configuration that governs a document (its `include`/`exclude`), found once per
        folder; None without a path or when it is unusable (reported with the settings)."""
        from param_lsp.engine.config import ConfigError

        if path is None:
            return None
        try:
            return self._finder(path).load(path)
        except ConfigError:
            return None

    def selected(self, path: Path) -> bool | None:
        """A workspace file by the configuration's include/exclude (as `param-lsp check` on a
        folder): False excluded, True included, None decided by the content."""
        from param_lsp.engine.config import ConfigError

        try:
            return self._finder(path).load(path).selects(path)
        except ConfigError:
            return None

    def config_changed(self) -> None:
        """A configuration file changed: look for and read configuration files again."""
        for finder in self.config_finders.values():
            finder.clear()
        self._settings_of.clear()

    def _finder(self, path: Path) -> ConfigFinder:
        """The configuration finder of the workspace folder holding ``path`` (the search for
        configuration files stops at it)."""
        stop = self._root_of(path)
        finder = self.config_finders.get(stop)
        if finder is None:
            from param_lsp.engine.config import ConfigFinder

            finder = self.config_finders[stop] = ConfigFinder(stop)
        return finder

    def open_paths(self) -> set[Path]:
        return {state.path for state in self.states.values() if state.path is not None}

    def ensure_configured(self) -> None:
        if self.settings is None:
            from param_lsp.core.settings import Settings

            self.configure(Settings(), self.debounce_s, self.workspace_root)

    # ------------------------------------------------------------ state

    def open(self, uri: str, path: Path | None) -> DocState:
        state = self.states.get(uri)
        if state is None:
            state = DocState(uri=uri, path=path)
            self.states[uri] = state
        return state

    def close(self, uri: str) -> DocState | None:
        state = self.states.pop(uri, None)
        if state is not None and state.pending is not None and state.pending is not state.computing:
            state.pending.cancel()
        if state is not None and state.path is not None and self.workspace is not None:
            self.workspace.drop_override(state.path)
        return state

    def set_override(self, state: DocState, text: str) -> None:
        if state.path is not None and self.workspace is not None:
            self.workspace.set_override(state.path, text)

    # ------------------------------------------------------------ scheduling

    def schedule(self, state: DocState, delay: float | None = None) -> asyncio.Task[None]:
        old = state.pending
        if old is not None and not old.done() and old is not state.computing:
            old.cancel()
        wait = self.debounce_s if delay is None else delay
        task = asyncio.get_running_loop().create_task(self._run(state, wait))
        state.pending = task
        return task

    def last_edit(self) -> float:
        """When the latest edit to any open document arrived (monotonic seconds)."""
        return max((s.last_change or 0.0 for s in self.states.values()), default=0.0)

    def typing_delay(self, state: DocState) -> float:
        """The wait before an edit is analysed: the configured debounce (0 by default).

        No wait is needed to coalesce a burst of keys: an edit that arrives while the previous
        one is analysed replaces the waiting task, which analyses the newest text once the
        running analysis is done.
        """
        state.last_change = time.monotonic()
        return self.debounce_s

    def is_current(self, state: DocState) -> bool:
        current = self.get_text(state.uri)
        if current is None:
            return False
        return state.analysed == (current[1], state.generation)

    async def ensure_current(self, state: DocState, attempts: int = 20) -> None:
        """Wait until the analysis describes the document as it is now."""
        for _ in range(attempts):
            if self.is_current(state) or state.uri not in self.states:
                return
            task = state.pending
            if task is None or task.done():
                task = self.schedule(state, 0)
            try:
                await asyncio.shield(task)
            except asyncio.CancelledError:
                if not task.cancelled():
                    raise  # the request itself was cancelled
                # superseded by a newer edit: wait for that one instead
            except Exception:  # the task logs its own failure
                return

    async def _run(self, state: DocState, delay: float) -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        else:
            # Let the edits that arrived in the same read from the client land first.
            await asyncio.sleep(0)
        async with state.lock:
            snapshot = self.get_text(state.uri)
            if snapshot is None or state.uri not in self.states:
                return
            text, version = snapshot
            key = (version, state.generation)
            if state.analysed == key:
                return
            state.computing = asyncio.current_task()
            try:
                await self._analyse(state, text, version, key)
            finally:
                state.computing = None

    async def _analyse(
        self, state: DocState, text: str, version: int | None, key: tuple[int | None, int]
    ) -> None:
        self.ensure_configured()
        loop = asyncio.get_running_loop()
        settings, problem = self.settings_and_problem(state.path)
        workspace = self.workspace
        assert workspace is not None
        self.analyses_run += 1
        computed = await loop.run_in_executor(
            self.executor,
            _compute,
            text,
            state.path,
            state.uri,
            settings,
            workspace,
            state.cache,
            self.project_config(state.path),
        )
        if problem is not None and computed.eligible:
            findings = computed.analysis.findings
            computed.analysis.findings = [_configuration_finding(problem), *findings]
        state.analysis = computed.analysis
        state.analysed_text = text
        state.eligible = computed.eligible
        # The diagnostics of an edit do not wait for the index: until it is rebuilt, requests
        # answer from the last one. A document without one yet would answer without its
        # model, so its first diagnostics wait (a client that waits for them sees both).
        early = state.index is not None
        if early:
            self.on_result(state, version)
        index = None
        if computed.eligible and computed.analysis.root is not None:
            index = await loop.run_in_executor(
                self.executor, _index, computed.analysis, workspace, state.cache
            )
        # Requests wait for this (see `ensure_current`): features never see the new analysis
        # with the old index.
        state.analysed = key
        if not computed.eligible:
            state.features = None
            state.index = None
        elif index is not None:
            state.features = computed.analysis
            state.index = index
        state.view_cache = None
        if not early:
            self.on_result(state, version)
        self.collector.after_analysis(self.last_edit)
        if computed.eligible and index is None:
            # Broken YAML: recover a tree for features after the diagnostics are out.
            features, index = await loop.run_in_executor(
                self.executor, _recovered, computed.analysis, text, state.path, settings, workspace
            )
            if features is not None:
                state.features = features
                state.index = index
                state.view_cache = None
        if not state.indexed.is_set():
            state.indexed.set()
            if self.on_indexed is not None and state.index is not None:
                self.on_indexed(state)
        if computed.eligible:
            self.on_dependants(state)

    async def first_index(self, state: DocState, timeout: float = FIRST_INDEX_WAIT_S) -> None:
        """Wait (at most ``timeout``) until the document's first analysis and index are done."""
        if state.indexed.is_set():
            return
        if state.pending is None:
            self.schedule(state, 0)
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(asyncio.shield(state.indexed.wait()), timeout)

    # ------------------------------------------------------------ views

    def view(self, state: DocState) -> DocumentView | None:
        from param_lsp.features.document import make_view

        snapshot = self.get_text(state.uri)
        if snapshot is None:
            return None
        text, version = snapshot
        from param_lsp.core.workspace import MAX_FILE_BYTES

        if len(text) > MAX_FILE_BYTES:
            return None  # not analysed: no feature does any work on it either
        key = (version, state.generation, id(state.features), id(state.analysis))
        if state.view_cache is not None and state.view_cache[0] == key:
            return state.view_cache[1]
        findings = (
            state.analysis.findings
            if state.analysis is not None and (state.analysed_text == text)
            else []
        )
        view = make_view(text, state.path, state.features, state.index, findings)
        state.view_cache = (key, view)
        return view

    def shutdown(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)


def _configuration_finding(problem: str) -> Any:
    from param_lsp.core.span import Span
    from param_lsp.rules.configuration import INVALID_CONFIGURATION

    return INVALID_CONFIGURATION.at(
        Span.of(0, 0, 0, 0),
        f"Configuration not used ({problem}); fix it to apply it, this file is checked with "
        "the defaults",
    )


def project_config(path: Path | None) -> ProjectConfig | None:
    """The configuration file that governs a document (its `include`/`exclude`), if any."""
    if path is None:
        return None
    from param_lsp.engine.config import ConfigError, load_config

    try:
        return load_config(path)
    except ConfigError:
        return None  # reported where the settings are read


def _new_cache() -> DocumentCache:
    from param_lsp.core.memo import DocumentCache

    return DocumentCache()


def _compute(
    text: str,
    path: Path | None,
    uri: str,
    settings: Settings,
    workspace: Workspace,
    cache: DocumentCache | None = None,
    config: ProjectConfig | None = None,
) -> Computed:
    from param_lsp.core.detect import selected, selected_again
    from param_lsp.core.yaml_tree import gc_paused, keep_frozen_objects
    from param_lsp.engine.analyze import Analysis, analyze

    keep_frozen_objects()  # what this process freezes stays frozen (see CollectorPolicy)
    if config is None:
        config = project_config(path)
    if not is_yaml(path, uri):
        eligible = False
    elif cache is None:
        eligible = selected(text, path, config)
    else:
        # A keystroke inside an indented line keeps what the top-level lines decided.
        eligible, cache.detection = selected_again(text, path, config, cache.detection)
    if not eligible:
        return Computed(Analysis(text=text, path=path, settings=settings), False)
    with gc_paused():
        analysis = analyze(text, path, settings, workspace, cache)
        # Frozen before the collector is back on, which would otherwise walk all of it at
        # its first allocation and free nothing (see CollectorPolicy).
        gc.freeze()
    return Computed(analysis, True)


def _index(analysis: Analysis, workspace: Workspace, cache: DocumentCache) -> DocumentIndex:
    """The features' index of an analysis that has a tree (after its diagnostics are out)."""
    from param_lsp.core import memo
    from param_lsp.core.yaml_tree import gc_paused
    from param_lsp.features.index import build_index

    with gc_paused():
        with memo.active(cache):  # the index reuses the call sites of unchanged DAG ops
            index = build_index(analysis, workspace)
        gc.freeze()
    return index


def _recovered(
    analysis: Analysis, text: str, path: Path | None, settings: Settings, workspace: Workspace
) -> tuple[Analysis | None, DocumentIndex | None]:
    """A tree for features when the text does not parse; (None, None) keeps the last good one."""
    from param_lsp.features.document import recover_analysis
    from param_lsp.features.index import build_index

    usable = recover_analysis(text, path, settings, workspace)
    if usable is None:
        return None, None
    return usable, build_index(usable, workspace)
