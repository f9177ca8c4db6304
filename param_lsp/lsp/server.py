"""The pygls language server: protocol wiring only; every answer comes from `features/`.

Import cost matters for start-up, so analysis and feature modules are imported on first use,
not at module import; `initialize` only needs pygls and lsprotocol.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import functools
import gc
import logging
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol

from param_lsp import DISTRIBUTION, __version__
from param_lsp.lsp import watching
from param_lsp.lsp.convert import PLAIN_LINES, Lines, path_to_uri, to_diagnostic, uri_to_path
from param_lsp.lsp.documents import DocState, DocumentStore, drop_generated_sources, is_yaml
from param_lsp.lsp.indexing import INDEX_COMMAND, Indexer
from param_lsp.lsp.options import CONFIG_SECTION, OptionsError, client_overrides, parse_options
from param_lsp.lsp.textsync import adopt

if TYPE_CHECKING:
    from param_lsp.core.span import Position
    from param_lsp.features.document import DocumentView

log = logging.getLogger("param_lsp")

TOKEN_TYPES = ["namespace", "variable", "property", "function", "keyword"]
#: Indexed files a value hover reads to say what the operations using a component give it.
HOVER_LOADS = 24


class RequestFailed(JsonRpcException):
    """LSP `RequestFailed` (-32803): a valid request the server declines (e.g. a bad name)."""

    CODE = -32803
    MESSAGE = "Request failed"


class AnsweringProtocol(LanguageServerProtocol):
    """Answers a request whose params do not deserialize with InvalidParams (-32602), and
    forgets the futures of handled notifications.

    pygls only logs a request it cannot read, so the client would wait for a response
    forever. And it files the future of a notification handled by a generator or coroutine
    (`didChange`, `didOpen`, …) among the request futures under a fresh id that nothing ever
    removes: one future per keystroke for the life of the server.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: (id, future) of the handled notifications, oldest first.
        self._notification_futures: collections.deque[tuple[Any, Any]] = collections.deque()

    def _execute_handler(
        self,
        msg_id: Any,
        handler: Any,
        callback: Any,
        args: tuple[Any, ...] | None = None,
        kwargs: dict[str, Any] | None = None,
    ) -> None:
        # Removed here rather than in a done callback: pygls cancels (and so completes) futures
        # while it iterates over them at shutdown.
        pending, futures = self._notification_futures, self._request_futures
        while pending and pending[0][1].done():
            done_id, done = pending.popleft()
            if futures.get(done_id) is done:
                del futures[done_id]
        super()._execute_handler(msg_id, handler, callback, args, kwargs)
        answers_request = (
            isinstance(callback, functools.partial) and callback.func == self._send_handler_result
        )
        if not answers_request and msg_id in futures:
            pending.append((msg_id, futures[msg_id]))

    def _send_handler_result(self, future: Any, *, msg_id: Any) -> None:
        # A request the server declines (RequestFailed) is an answer, not a failure: no
        # traceback in the log, no error message shown to the user.
        if not future.cancelled() and isinstance(future.exception(), RequestFailed):
            self._request_futures.pop(msg_id, None)
            refused = future.exception()
            log.debug("param-lsp: request %s refused: %s", msg_id, refused.message)
            self._send_response(msg_id, error=refused.to_response_error())
            return
        super()._send_handler_result(future, msg_id=msg_id)

    @property
    def pending_futures(self) -> int:
        """Futures of requests and notifications still held (for `$/paramLsp/stats`)."""
        return len(self._request_futures)

    def handle_message(self, message: Any) -> None:
        """After `shutdown`, a request is answered with InvalidRequest (pygls drops it, and
        the client waits for ever); `exit` still ends the process."""
        method = getattr(message, "method", None)
        if self._shutdown and method is not None and method != types.EXIT:
            msg_id = getattr(message, "id", None)
            if msg_id is not None:
                self._send_response(
                    msg_id,
                    error=types.ResponseError(
                        code=-32600, message=f"The server is shut down: {method} refused"
                    ),
                )
            return
        super().handle_message(message)

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            if "jsonrpc" in data and "id" in data and "method" in data:
                self._send_response(
                    data["id"],
                    error=types.ResponseError(
                        code=JsonRpcInvalidParams.CODE,
                        message=f"Invalid params for {data['method']}",
                    ),
                )
                # Hand the reader loop a notification nobody handles instead of raising.
                return super().structure_message({"jsonrpc": "2.0", "method": IGNORED_METHOD})
            raise exc


IGNORED_METHOD = "$/param-lsp/ignored"


class ParamLanguageServer(LanguageServer):
    #: The process's exit code once the input ends or `exit` arrives (1 without `shutdown`).
    exit_code: int = 0

    def start_io(self, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> None:
        """pygls' stdio loop with the defensive reader of `lsp/stdio.py`; keeps the exit code
        that `exit` asks for (pygls swallows it)."""
        from pygls.io_ import StdoutWriter

        from param_lsp.lsp.stdio import StdinReader, read_messages

        self._stop_event = stop_event = threading.Event()
        reader = StdinReader(stdin or sys.stdin.buffer, self.thread_pool)
        self.protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))
        try:
            asyncio.run(read_messages(stop_event, reader, self.protocol))
        except BrokenPipeError:
            log.error("param-lsp: the client closed the connection")
        except SystemExit as exc:
            self.exit_code = exc.code if isinstance(exc.code, int) else 1
        except KeyboardInterrupt:
            pass
        finally:
            self.shutdown()

    def __init__(self) -> None:
        super().__init__(
            DISTRIBUTION,
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            protocol_cls=AnsweringProtocol,
        )
        self.store = DocumentStore(self._snapshot, self._on_result, self._on_dependants)
        self.store.on_indexed = self._on_indexed
        self.pull_diagnostics = False
        self.related_support = False
        self.snippet_support = False
        self.completion_markdown = False
        self.hover_markdown = True
        self.config_support = False
        self.refresh_support = False
        self.tokens_refresh_support = False
        self.inlay_refresh_support = False
        self.progress_support = False
        self.init_options: Any = None
        #: The workspace's polyaxonfiles that are not open (references/rename across files).
        self.indexer = Indexer(self.store)
        self.scan_task: asyncio.Task[None] | None = None
        #: Decided at start (the index command may arrive before `initialized` is handled).
        self.scan_enabled = os.environ.get("PARAM_LSP_NO_SCAN") != "1"
        #: Files reported by workspace/didChangeWatchedFiles, not yet re-indexed.
        self.watched_changes: dict[Path, types.FileChangeType] = {}
        self.watch_task: asyncio.Task[None] | None = None
        self.event_loop: asyncio.AbstractEventLoop | None = None

    # ------------------------------------------------------------ plumbing for the store

    def _snapshot(self, uri: str) -> tuple[str, int | None] | None:
        doc = self.workspace.text_documents.get(uri)
        if doc is None:
            return None
        return doc.source, doc.version

    def lines_of(self, text: str) -> Lines:
        return Lines.of(text, self.workspace.position_codec)

    def _on_result(self, state: DocState, version: int | None) -> None:
        current = self._snapshot(state.uri)
        if current is None or current[1] != version:
            return  # stale: a newer version is on its way
        if self.pull_diagnostics:
            return
        if not state.eligible:
            if state.published:
                state.published = False
                self.text_document_publish_diagnostics(
                    types.PublishDiagnosticsParams(uri=state.uri, diagnostics=[], version=version)
                )
            return
        diagnostics = self.diagnostics_for(state, current[0])
        state.published = True
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=state.uri, diagnostics=diagnostics, version=version)
        )

    def diagnostics_for(self, state: DocState, text: str) -> list[types.Diagnostic]:
        analysis = state.analysis
        if analysis is None or not state.eligible or not analysis.findings:
            return []
        # The lines the incremental parse measured (a keystroke does not split the text again).
        known = state.cache.parse.lines_of(text)
        codec = self.workspace.position_codec
        lines = Lines.of(text, codec) if known is None else Lines(known, codec, text)
        return [
            to_diagnostic(
                finding,
                lines,
                state.uri,
                related_support=self.related_support,
                other_lines=functools.partial(self._lines_of_path, by=state.path),
            )
            for finding in analysis.findings
        ]

    def _lines_of_path(self, path: Path, by: Path | None = None) -> Any:
        """Lines of another file (for client positions), read as ``by``'s analysis read it."""
        doc = self.workspace.text_documents.get(path_to_uri(path))
        if doc is not None:
            return self.lines_of(doc.source)
        if self.indexer.index.is_plain(path):
            return PLAIN_LINES  # what the index describes is the file on disk
        workspace = self.store.workspace
        if workspace is None:
            return None
        result = workspace.read(path, by=by, track=False, keep=False)
        return self.lines_of(result.text) if result.text is not None else None

    def _on_indexed(self, state: DocState) -> None:
        """A document's first index is in place: clients that asked for tokens or hints before
        it (and got them without the document's model) ask again."""
        with contextlib.suppress(Exception):
            if self.tokens_refresh_support:
                _answer_ignored(self.workspace_semantic_tokens_refresh(None))
            if self.inlay_refresh_support:
                _answer_ignored(self.workspace_inlay_hint_refresh(None))

    def _on_dependants(self, state: DocState) -> None:
        """A document was re-analysed: re-check open documents that read it."""
        workspace = self.store.workspace
        if state.path is None or workspace is None:
            return
        users = workspace.users_of(state.path)
        if not users:
            return
        touched = False
        for other in self.store.states.values():
            if other is state or other.path not in users:
                continue
            text = other.analysed_text
            current = self._snapshot(other.uri)
            if current is None or text is None:
                continue
            other.generation += 1
            self.store.schedule(other)
            touched = True
        if touched and self.pull_diagnostics and self.refresh_support:
            self.workspace_diagnostic_refresh(None)

    # ------------------------------------------------------------ helpers for handlers

    def state_of(self, uri: str) -> DocState | None:
        state = self.store.states.get(uri)
        if state is None or uri not in self.workspace.text_documents:
            return None
        return state

    def view_of(self, uri: str) -> DocumentView | None:
        state = self.state_of(uri)
        if state is None or not state.eligible:
            return None
        return self.store.view(state)

    async def ready_view(self, uri: str) -> DocumentView | None:
        """The view of ``uri`` once its first index is in place (waits a bounded time)."""
        state = self.state_of(uri)
        if state is None:
            return None
        await self.store.first_index(state)
        return self.view_of(uri)

    def other_views(self, uri: str) -> list[DocumentView]:
        """Views of the other open documents (the index answers for the rest)."""
        views: list[DocumentView] = []
        for other_uri, state in self.store.states.items():
            if other_uri == uri or not state.eligible:
                continue
            view = self.store.view(state)
            if view is not None:
                views.append(view)
        return views

    def hover_views(self, uri: str, path: Path | None) -> list[DocumentView]:
        """The other open documents plus, read from disk, the indexed files that use the
        component at ``path`` (at most :data:`HOVER_LOADS`: a hover lists a few)."""
        from param_lsp.features.workspace_index import view_of_file

        views = self.other_views(uri)
        workspace = self.store.workspace
        if path is None or workspace is None:
            return views
        open_paths = self.store.open_paths()
        index = self.indexer.index
        users = sorted(
            (p for p in workspace.users_of(path) if p in index and p not in open_paths), key=str
        )
        for user in users[:HOVER_LOADS]:
            loaded = view_of_file(user, self.store.settings_for(user), workspace, full=True)
            if loaded is not None:
                views.append(loaded)
        return views

    def indexed_clash(self) -> Any:
        """A rename's clash check in the files only the index knows (not the open ones)."""
        index, open_paths = self.indexer.index, self.store.open_paths()

        def check(io: Any, new_name: str, known: set[Path]) -> Any:
            return index.rename_clash(io, new_name, exclude=open_paths | known)

        return check

    def indexed_uses(self) -> Any:
        """Sites in the workspace's files that are not open (from the index)."""
        return self.indexer.index.io_uses(exclude=self.store.open_paths())

    def inside_for(self, document: Path | None) -> Callable[[Path], bool]:
        """Whether a file is inside the roots that ``document`` may reach (the workspace
        folders; without any, the document's repository or folder)."""
        workspace = self.store.workspace

        def inside(path: Path) -> bool:
            if workspace is None:
                return False
            return workspace.allowed(path, by=document)

        return inside

    def log_to_client(self, level: int, message: str) -> None:
        kind = (
            types.MessageType.Error
            if level >= logging.ERROR
            else types.MessageType.Warning
            if level >= logging.WARNING
            else types.MessageType.Info
        )
        with contextlib.suppress(Exception):  # never let logging break a handler
            self.window_log_message(types.LogMessageParams(type=kind, message=message))


def _answer_ignored(future: Any) -> None:
    """The client's answer to a refresh request is not needed (nor a failure of it)."""
    future.add_done_callback(lambda done: done.cancelled() or done.exception())


server = ParamLanguageServer()

F = TypeVar("F", bound=Callable[..., Any])


def guarded(default: Any = None) -> Callable[[F], F]:
    """Any exception inside a feature: log it, tell the client, answer ``default``."""

    def wrap(func: F) -> F:
        if asyncio.iscoroutinefunction(func):

            @functools.wraps(func)
            async def run_async(ls: ParamLanguageServer, params: Any) -> Any:
                try:
                    return await func(ls, params)
                except (JsonRpcException, asyncio.CancelledError):
                    raise
                except Exception:
                    log.exception("param-lsp: %s failed", func.__name__)
                    return default

            return run_async  # type: ignore[return-value]

        @functools.wraps(func)
        def run(ls: ParamLanguageServer, params: Any) -> Any:
            try:
                return func(ls, params)
            except JsonRpcException:
                raise
            except Exception:
                log.exception("param-lsp: %s failed", func.__name__)
                return default

        return run  # type: ignore[return-value]

    return wrap


# ---------------------------------------------------------------- lifecycle


@server.feature(types.INITIALIZE)
@guarded()
def on_initialize(ls: ParamLanguageServer, params: types.InitializeParams) -> None:
    ls.event_loop = asyncio.get_running_loop()
    adopt(ls.workspace)
    caps = params.capabilities
    text = caps.text_document
    ls.pull_diagnostics = text is not None and text.diagnostic is not None
    publish = text.publish_diagnostics if text is not None else None
    ls.related_support = bool(publish and publish.related_information)
    completion = text.completion if text is not None else None
    item = completion.completion_item if completion is not None else None
    ls.snippet_support = bool(item and item.snippet_support)
    ls.completion_markdown = bool(
        item
        and item.documentation_format
        and types.MarkupKind.Markdown in item.documentation_format
    )
    hover_caps = text.hover if text is not None else None
    ls.hover_markdown = bool(
        hover_caps is None
        or not hover_caps.content_format
        or types.MarkupKind.Markdown in hover_caps.content_format
    )
    workspace = caps.workspace
    ls.config_support = bool(workspace and workspace.configuration)
    ls.refresh_support = bool(
        workspace and workspace.diagnostics and workspace.diagnostics.refresh_support
    )
    ls.progress_support = bool(caps.window and caps.window.work_done_progress)
    ls.tokens_refresh_support = bool(
        workspace and workspace.semantic_tokens and workspace.semantic_tokens.refresh_support
    )
    ls.inlay_refresh_support = bool(
        workspace and workspace.inlay_hint and workspace.inlay_hint.refresh_support
    )
    ls.init_options = params.initialization_options
    root: Path | None = None
    folders = [uri_to_path(folder.uri) for folder in params.workspace_folders or ()]
    roots = [folder for folder in folders if folder is not None]
    if roots:
        root = roots[0]
    elif params.root_uri:
        root = uri_to_path(params.root_uri)
    elif params.root_path:
        root = Path(params.root_path)
    # Every workspace folder is a root; without any, each document's repository is its root.
    ls.store.workspace_root = root
    ls.store.extra_roots = tuple(roots[1:])
    # Options are parsed in `initialized`, so the initialize result goes out before any
    # analysis module is imported.


def _apply_options(ls: ParamLanguageServer, raw: Any, *, announce: bool) -> bool:
    try:
        settings, debounce = parse_options(raw)
        overrides = client_overrides(raw)
    except OptionsError as exc:
        from param_lsp.core.settings import Settings

        settings, debounce, overrides = Settings(), ls.store.debounce_s, {}
        if announce:
            message = f"param-lsp: invalid settings ({exc}); using defaults"
            log.warning(message)
            with contextlib.suppress(Exception):
                ls.window_show_message(
                    types.ShowMessageParams(type=types.MessageType.Warning, message=message)
                )
    changed = (
        settings != ls.store.settings
        or debounce != ls.store.debounce_s
        or overrides != ls.store.client_overrides
    )
    ls.store.client_overrides = overrides
    root = ls.store.workspace_root
    if settings.root:
        root = Path(settings.root)
    ls.store.configure(settings, debounce, root)
    return changed


@server.feature(types.INITIALIZED)
async def on_initialized(ls: ParamLanguageServer, params: types.InitializedParams) -> None:
    if _apply_options(ls, ls.init_options, announce=True):
        for state in list(ls.store.states.values()):
            state.generation += 1
            ls.store.schedule(state)
    drop_generated_sources()  # the memory is then reused by the first analysis
    await _pull_configuration(ls)
    await watching.register_watchers(ls)
    if ls.scan_enabled and (ls.scan_task is None or ls.scan_task.done()):
        ls.scan_task = asyncio.get_running_loop().create_task(ls.indexer.scan(ls))


@server.command(INDEX_COMMAND)
async def index_workspace(ls: ParamLanguageServer, *arguments: Any) -> dict[str, Any]:
    """Index the workspace again (after a cancelled or failed scan); answers at once, the scan
    shows its own progress. `{"started": false, "reason": ...}` when it cannot start."""
    reason = None
    if not ls.scan_enabled:
        reason = "workspace indexing is turned off"
    elif ls.store.workspace_root is None:
        reason = "no workspace folder is open"
    elif ls.scan_task is not None and not ls.scan_task.done():
        reason = "the workspace is already being indexed"
    if reason is not None:
        return {"started": False, "reason": reason}
    ls.scan_task = asyncio.get_running_loop().create_task(ls.indexer.scan(ls))
    return {"started": True}


async def _pull_configuration(ls: ParamLanguageServer) -> None:
    if not ls.config_support:
        return
    try:
        result = await ls.workspace_configuration_async(
            types.ConfigurationParams(items=[types.ConfigurationItem(section=CONFIG_SECTION)])
        )
    except Exception as exc:
        log.warning("workspace/configuration failed: %r", exc)
        return
    section = result[0] if result else None
    if section is None:
        return
    merged = dict(ls.init_options) if isinstance(ls.init_options, dict) else {}
    if isinstance(section, dict):
        merged.update(section)
    if _apply_options(ls, merged, announce=True):
        for state in list(ls.store.states.values()):
            state.generation += 1
            ls.store.schedule(state)


@server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
async def on_configuration(
    ls: ParamLanguageServer, params: types.DidChangeConfigurationParams
) -> None:
    if ls.config_support:
        await _pull_configuration(ls)
        return
    if isinstance(params.settings, dict) and _apply_options(ls, params.settings, announce=True):
        for state in list(ls.store.states.values()):
            state.generation += 1
            ls.store.schedule(state)


STATS_METHOD = "$/paramLsp/stats"


@server.feature(STATS_METHOD)
def on_stats(ls: ParamLanguageServer, *args: Any) -> dict[str, int]:
    """Counters for benchmarks and tests (how many analyses a burst of edits caused)."""
    protocol = ls.protocol
    assert isinstance(protocol, AnsweringProtocol)
    return {
        "analyses": ls.store.analyses_run,
        "open_documents": len(ls.store.states),
        "frozen_objects": gc.get_freeze_count(),
        "full_collections": ls.store.collector.collections,
        "pending_futures": protocol.pending_futures,
        **ls.indexer.stats(),
    }


@server.feature(types.SHUTDOWN)
def on_shutdown(ls: ParamLanguageServer, *args: Any) -> None:
    for task in (ls.scan_task, ls.watch_task):
        if task is not None:
            task.cancel()
    ls.store.shutdown()


# ---------------------------------------------------------------- documents


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
@guarded()
def did_open(ls: ParamLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
    uri = params.text_document.uri
    path = uri_to_path(uri)
    state = ls.store.open(uri, path)
    ls.store.ensure_configured()
    if is_yaml(path, uri):
        ls.store.set_override(state, params.text_document.text)
    ls.store.schedule(state)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
@guarded()
def did_change(ls: ParamLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
    uri = params.text_document.uri
    state = ls.store.states.get(uri)
    if state is None:
        return
    snapshot = ls._snapshot(uri)
    if snapshot is not None and is_yaml(state.path, uri):
        ls.store.set_override(state, snapshot[0])
    ls.store.schedule(state, ls.store.typing_delay(state))


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
@guarded()
def did_save(ls: ParamLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
    saved = uri_to_path(params.text_document.uri)
    if saved is not None and saved.name in watching.CONFIG_FILE_NAMES:
        watching.recheck_all(ls)
        return
    state = ls.store.states.get(params.text_document.uri)
    if state is not None and not ls.store.is_current(state):
        ls.store.schedule(state)


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
@guarded()
def did_change_watched_files(
    ls: ParamLanguageServer, params: types.DidChangeWatchedFilesParams
) -> None:
    watching.on_watched_changes(ls, params.changes)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
@guarded()
def did_close(ls: ParamLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
    state = ls.store.close(params.text_document.uri)
    if state is not None and state.published and not ls.pull_diagnostics:
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
        )
    if state is not None and state.path is not None:
        watching.on_closed(ls, state.path)


@server.feature(
    types.TEXT_DOCUMENT_DIAGNOSTIC,
    types.DiagnosticOptions(
        identifier="param-lsp", inter_file_dependencies=True, workspace_diagnostics=False
    ),
)
@guarded(types.RelatedFullDocumentDiagnosticReport(items=[]))
async def pull_diagnostics(
    ls: ParamLanguageServer, params: types.DocumentDiagnosticParams
) -> types.DocumentDiagnosticReport:
    state = ls.state_of(params.text_document.uri)
    if state is None:
        return types.RelatedFullDocumentDiagnosticReport(items=[])
    await ls.store.ensure_current(state)
    snapshot = ls._snapshot(state.uri)
    if snapshot is None or not state.eligible or state.analysed_text != snapshot[0]:
        return types.RelatedFullDocumentDiagnosticReport(items=[])
    result_id = f"{state.analysed[0] if state.analysed else ''}:{state.generation}"
    if params.previous_result_id == result_id:
        return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
    return types.RelatedFullDocumentDiagnosticReport(
        items=ls.diagnostics_for(state, snapshot[0]), result_id=result_id
    )


# ---------------------------------------------------------------- features


async def _position(ls: ParamLanguageServer, uri: str, position: types.Position) -> tuple[Any, Any]:
    view = await ls.ready_view(uri)
    if view is None:
        return None, None
    pos = Lines(view.lines, ls.workspace.position_codec, view.text).from_client(position)
    return view, pos


@server.feature(
    types.TEXT_DOCUMENT_COMPLETION,
    types.CompletionOptions(
        trigger_characters=[".", " ", "{", ":", "/", "|"], resolve_provider=False
    ),
)
@guarded(None)
async def completion(ls: ParamLanguageServer, params: types.CompletionParams) -> Any:
    from param_lsp.features.completion import complete, narrow
    from param_lsp.lsp.render import completion_list

    view, pos = await _position(ls, params.text_document.uri, params.position)
    if pos is None:
        return None
    workspace = ls.store.workspace
    root = None  # the workspace folder (or, without one, the repository) holding the document
    if workspace is not None and view.path is not None:
        real, roots = Path(os.path.realpath(view.path)), workspace.roots_for(view.path)
        root = next((r for r in roots if real.is_relative_to(r)), roots[0] if roots else None)
    items, incomplete = narrow(
        complete(view, pos, snippets=ls.snippet_support, workspace_root=root), view.lines, pos
    )
    lines = Lines(view.lines, ls.workspace.position_codec, view.text)
    return completion_list(items, lines, markdown=ls.completion_markdown, incomplete=incomplete)


@server.feature(types.TEXT_DOCUMENT_HOVER)
@guarded(None)
async def hover(ls: ParamLanguageServer, params: types.HoverParams) -> types.Hover | None:
    from param_lsp.features.hover import hover as feature_hover

    view, pos = await _position(ls, params.text_document.uri, params.position)
    if pos is None:
        return None
    uri = params.text_document.uri
    found = feature_hover(view, pos, others=lambda: ls.hover_views(uri, view.path))
    if found is None:
        return None
    lines = Lines(view.lines, ls.workspace.position_codec, view.text)
    kind = types.MarkupKind.Markdown if ls.hover_markdown else types.MarkupKind.PlainText
    return types.Hover(
        contents=types.MarkupContent(kind=kind, value=found.markdown),
        range=lines.range_to_client(found.span) if found.span is not None else None,
    )


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
@guarded(None)
async def definition(ls: ParamLanguageServer, params: types.DefinitionParams) -> Any:
    from param_lsp.features.navigation import definition as feature_definition
    from param_lsp.lsp.render import locations

    view, pos = await _position(ls, params.text_document.uri, params.position)
    if pos is None:
        return None
    found = feature_definition(view, pos, allowed=ls.inside_for(view.path))
    return locations(ls, params.text_document.uri, view, found) or None


@server.feature(types.TEXT_DOCUMENT_REFERENCES)
@guarded(None)
async def references(ls: ParamLanguageServer, params: types.ReferenceParams) -> Any:
    from param_lsp.features.navigation import references as feature_references
    from param_lsp.lsp.render import locations

    view, pos = await _position(ls, params.text_document.uri, params.position)
    if pos is None:
        return None
    found = feature_references(
        view,
        pos,
        ls.other_views(params.text_document.uri),
        include_declaration=params.context.include_declaration,
        indexed=ls.indexed_uses(),
        load=functools.partial(watching.load_for_rename, ls),
    )
    # While the index is incomplete the uses known so far are listed, and the user told once.
    notice = _references_notice(ls, view, pos)
    if notice is not None:
        ls.window_show_message(
            types.ShowMessageParams(type=types.MessageType.Warning, message=notice)
        )
    return locations(ls, params.text_document.uri, view, found) or None


def _references_notice(ls: ParamLanguageServer, view: DocumentView, pos: Position) -> str | None:
    """What references say (once) when they may miss uses: no workspace folder is open and the
    name belongs to a component other files can use, or the index is incomplete."""
    from param_lsp.features.navigation import shared_io

    if ls.store.workspace_root is None:
        io = shared_io(view, pos)
        if io is not None:
            if not ls.indexer.first_time("no-root"):
                return None
            return (
                f"References may be incomplete: no workspace folder is open, so uses of "
                f"`{io.name}` in files that are not open are not listed; open the folder that "
                "holds them."
            )
    return ls.indexer.partial_notice(ls.scan_task)


def _rename_refusal(ls: ParamLanguageServer, view: DocumentView, pos: Position) -> str | None:
    """Why a rename at ``pos`` could miss uses: the index is incomplete, or no workspace folder
    is open (nothing is indexed) and the name belongs to a component other files can use."""
    from param_lsp.features.navigation import shared_io

    if ls.store.workspace_root is None:
        io = shared_io(view, pos)
        if io is not None:
            return (
                f"Rename refused: no workspace folder is open, so uses of `{io.name}` in other "
                "files could be missed; open the folder that holds them, then rename."
            )
    return ls.indexer.rename_refusal(ls.scan_task)


@server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
@guarded(None)
async def prepare_rename(ls: ParamLanguageServer, params: types.PrepareRenameParams) -> Any:
    from param_lsp.features.navigation import prepare_rename as feature_prepare

    view, pos = await _position(ls, params.text_document.uri, params.position)
    if pos is None:
        return None
    found = feature_prepare(view, pos)
    if found is None:
        raise RequestFailed(
            "Nothing to rename here: place the cursor on an input, output or op name."
        )
    refusal = _rename_refusal(ls, view, pos)
    if refusal is not None:  # said before the user types a new name
        raise RequestFailed(refusal)
    span, name = found
    lines = Lines(view.lines, ls.workspace.position_codec, view.text)
    return types.PrepareRenamePlaceholder(range=lines.range_to_client(span), placeholder=name)


@server.feature(types.TEXT_DOCUMENT_RENAME, types.RenameOptions(prepare_provider=True))
@guarded(None)
async def rename(ls: ParamLanguageServer, params: types.RenameParams) -> Any:
    from param_lsp.features.navigation import RenameError
    from param_lsp.features.navigation import rename as feature_rename
    from param_lsp.lsp.render import workspace_edit

    view, pos = await _position(ls, params.text_document.uri, params.position)
    if pos is None:
        return None
    refusal = _rename_refusal(ls, view, pos)
    if refusal is not None:
        raise RequestFailed(refusal)
    try:
        edits = feature_rename(
            view,
            pos,
            params.new_name,
            ls.other_views(params.text_document.uri),
            indexed=ls.indexed_uses(),
            load=functools.partial(watching.load_for_rename, ls),
            indexed_clash=ls.indexed_clash(),
        )
    except RenameError as exc:
        raise RequestFailed(str(exc)) from None
    return workspace_edit(ls, params.text_document.uri, view, edits)


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
)
@guarded(None)
async def code_action(ls: ParamLanguageServer, params: types.CodeActionParams) -> Any:
    from param_lsp.features.code_actions import code_actions
    from param_lsp.lsp.render import code_action_list

    uri = params.text_document.uri
    view = await ls.ready_view(uri)
    if view is None:
        return None
    lines = Lines(view.lines, ls.workspace.position_codec, view.text)
    span = lines.range_from_client(params.range)
    if span is None:
        return None
    actions = code_actions(view, span)
    return code_action_list(ls, uri, view, actions, params.context.diagnostics) or None


@server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
@guarded(None)
async def document_symbol(ls: ParamLanguageServer, params: types.DocumentSymbolParams) -> Any:
    from param_lsp.features.outline import document_symbols
    from param_lsp.lsp.render import symbols

    view = await ls.ready_view(params.text_document.uri)
    if view is None:
        return None
    return symbols(
        document_symbols(view), Lines(view.lines, ls.workspace.position_codec, view.text)
    )


@server.feature(
    types.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL,
    types.SemanticTokensLegend(token_types=TOKEN_TYPES, token_modifiers=[]),
)
@guarded(None)
async def semantic_tokens(ls: ParamLanguageServer, params: types.SemanticTokensParams) -> Any:
    from param_lsp.features.outline import semantic_tokens as feature_tokens
    from param_lsp.lsp.render import encode_tokens

    view = await ls.ready_view(params.text_document.uri)
    if view is None:
        return types.SemanticTokens(data=[])
    lines = Lines(view.lines, ls.workspace.position_codec, view.text)
    return types.SemanticTokens(data=encode_tokens(feature_tokens(view), lines, TOKEN_TYPES))


@server.feature(types.TEXT_DOCUMENT_INLAY_HINT)
@guarded(None)
async def inlay_hint(ls: ParamLanguageServer, params: types.InlayHintParams) -> Any:
    view = await ls.ready_view(params.text_document.uri)
    if view is None:
        return None
    lines = Lines(view.lines, ls.workspace.position_codec, view.text)
    span = lines.range_from_client(params.range)
    if span is None:
        return None
    # Off the event loop: a document with a hundred thousand params must not stall the others.
    return await asyncio.get_running_loop().run_in_executor(None, _inlay_hints, view, lines, span)


def _inlay_hints(view: Any, lines: Lines, span: Any) -> list[types.InlayHint]:
    from param_lsp.features.outline import inlay_hints

    return [
        types.InlayHint(
            position=lines.to_client(type(span.start)(hint.line, hint.character)),
            label=hint.label,
            kind=types.InlayHintKind.Type,
            padding_left=False,
        )
        for hint in inlay_hints(view, span)
    ]


@server.feature(types.TEXT_DOCUMENT_DOCUMENT_LINK)
@guarded(None)
async def document_link(ls: ParamLanguageServer, params: types.DocumentLinkParams) -> Any:
    from param_lsp.features.outline import document_links

    view = await ls.ready_view(params.text_document.uri)
    if view is None:
        return None
    lines = Lines(view.lines, ls.workspace.position_codec, view.text)
    return [
        types.DocumentLink(
            range=lines.range_to_client(link.span),
            target=path_to_uri(link.target),
            tooltip=link.tooltip,
        )
        for link in document_links(view, allowed=ls.inside_for(view.path))
    ]


def _register_graph() -> None:
    from param_lsp.lsp import graph

    graph.register(server, guarded)


_register_graph()


# ---------------------------------------------------------------- logging and entry point


class ClientLogHandler(logging.Handler):
    """Forwards warnings and errors to the client's log (window/logMessage), from any thread."""

    def __init__(self, ls: ParamLanguageServer) -> None:
        super().__init__(level=logging.WARNING)
        self.ls = ls

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = self.format(record)
            loop = self.ls.event_loop
            if loop is not None and not loop.is_closed():
                loop.call_soon_threadsafe(self.ls.log_to_client, record.levelno, message)
        except Exception:
            pass


def serve() -> int:
    # Analyses run in a worker thread: hand the interpreter lock back to the protocol loop
    # every millisecond instead of every five, so that edits and requests arriving during an
    # analysis are read at once (a burst of keys is then seen at its real pace).
    sys.setswitchinterval(0.001)
    logging.basicConfig(level=os.environ.get("PARAM_LSP_LOG", "WARNING"))
    logging.getLogger("param_lsp").addHandler(ClientLogHandler(server))
    server.start_io()
    return server.exit_code
