"""Files changing on disk: the watched-files registration, and what a created, changed or
deleted file (or a closed document) changes in the workspace index and the open documents."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types

from param_lsp.lsp.convert import path_to_uri, uri_to_path
from param_lsp.lsp.documents import is_yaml

if TYPE_CHECKING:
    from param_lsp.features.document import DocumentView
    from param_lsp.lsp.server import ParamLanguageServer

#: Files whose change can alter the settings of open documents.
CONFIG_FILE_NAMES = frozenset({".param-lsp.toml", "pyproject.toml"})
#: Workspace files the index follows after the initial scan (`.yaml` and `.yml`).
YAML_WATCH_GLOB = "**/*.y*ml"


def recheck_all(ls: ParamLanguageServer) -> None:
    """A project configuration changed: every open document may have new settings."""
    ls.store.config_changed()
    for state in list(ls.store.states.values()):
        state.generation += 1
        ls.store.schedule(state)


def on_watched_changes(ls: ParamLanguageServer, changes: Sequence[types.FileEvent]) -> None:
    """`workspace/didChangeWatchedFiles`: configuration files re-check every open document,
    YAML files are queued for the index."""
    config_changed = False
    for change in changes:
        path = uri_to_path(change.uri)
        if path is None:
            continue
        if path.name in CONFIG_FILE_NAMES:
            config_changed = True
        elif is_yaml(path, change.uri):
            ls.watched_changes[path] = change.type
    if config_changed:
        recheck_all(ls)
    if ls.watched_changes and (ls.watch_task is None or ls.watch_task.done()):
        ls.watch_task = asyncio.get_running_loop().create_task(apply_watched_changes(ls))


def on_closed(ls: ParamLanguageServer, path: Path) -> None:
    """A document closed with its edits discarded: the files using it read it from disk again,
    and its text on disk is what the index describes again (an unsaved edit is dropped)."""
    workspace = ls.store.workspace
    if workspace is not None:
        recheck_open_users(ls, workspace.users_of(path))
    if ls.scan_enabled:
        ls.watched_changes[path] = types.FileChangeType.Changed
        if ls.watch_task is None or ls.watch_task.done():
            ls.watch_task = asyncio.get_running_loop().create_task(apply_watched_changes(ls))


def indexable(ls: ParamLanguageServer, path: Path) -> bool:
    """Inside the workspace (symlinks resolved) and not under a folder the scan skips."""
    from param_lsp.core.detect import skipped_folder

    workspace, root = ls.store.workspace, ls.store.workspace_root
    if workspace is None or root is None or not workspace.allowed(path):
        return False
    for base in (root, *ls.store.extra_roots):
        if path.is_relative_to(base):
            return not skipped_folder(base, path)
    return False


async def apply_watched_changes(ls: ParamLanguageServer) -> None:
    """Files created, changed or deleted on disk: update the index (what references and rename
    search besides open documents) and re-check the open documents that read them."""
    indexer = ls.indexer
    while ls.watched_changes:
        path, kind = next(iter(ls.watched_changes.items()))
        del ls.watched_changes[path]
        if not indexable(ls, path) or path_to_uri(path) in ls.store.states:
            continue  # an open document's text comes from the editor, not the disk
        if kind == types.FileChangeType.Deleted:
            indexer.forget(path)
        elif ls.scan_enabled:
            await indexer.reindex(path)
        workspace = ls.store.workspace
        users = workspace.users_of(path) if workspace is not None else set()
        recheck_open_users(ls, users)
        # Indexed files that compose this one describe its old inputs/outputs: index them again.
        open_paths = ls.store.open_paths()
        stale = sorted(user for user in users if user in indexer.index and user not in open_paths)
        for start in range(0, len(stale), 64):
            await indexer.reindex_many(stale[start : start + 64])


def recheck_open_users(ls: ParamLanguageServer, users: set[Path]) -> None:
    touched = False
    for state in list(ls.store.states.values()):
        if state.path is not None and state.path in users:
            state.generation += 1
            ls.store.schedule(state)
            touched = True
    if touched and ls.pull_diagnostics and ls.refresh_support:
        ls.workspace_diagnostic_refresh(None)


async def register_watchers(ls: ParamLanguageServer) -> None:
    """Ask the client to report changes of configuration files and of the workspace's YAML
    files (one dynamic registration)."""
    caps = ls.client_capabilities.workspace
    watched = caps.did_change_watched_files if caps else None
    if not (watched and watched.dynamic_registration):
        return
    globs = [f"**/{name}" for name in sorted(CONFIG_FILE_NAMES)] + [YAML_WATCH_GLOB]
    options = types.DidChangeWatchedFilesRegistrationOptions(
        watchers=[types.FileSystemWatcher(glob_pattern=glob) for glob in globs]
    )
    with contextlib.suppress(Exception):
        await ls.client_register_capability_async(
            types.RegistrationParams(
                registrations=[
                    types.Registration(
                        id="param-lsp-watched-files",
                        method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                        register_options=options,
                    )
                ]
            )
        )


def load_for_rename(ls: ParamLanguageServer, path: Path) -> DocumentView | None:
    """A view of a workspace file that is neither open nor indexed (read from disk, not kept):
    its tree, composition and call sites, without running the rules."""
    from param_lsp.features.workspace_index import view_of_file

    if not indexable(ls, path):
        return None
    store = ls.store
    store.ensure_configured()
    assert store.workspace is not None
    return view_of_file(path, store.settings_for(path), store.workspace)
