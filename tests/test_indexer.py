"""The server's indexing of the workspace folder: progress, cancellation, file-by-file updates."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types

from param_lsp.core.settings import Settings
from param_lsp.lsp.documents import DocumentStore
from param_lsp.lsp.indexing import BATCH_FILES, Indexer

COMPONENT = (
    "kind: component\ninputs:\n  - {name: lr, type: float}\n"
    "run: {kind: job, container: {image: python:3.11}}\n"
)
OPERATION = "kind: operation\nparams:\n  lr: {value: 0.1}\npathRef: ../comp.yaml\n"


class Token:
    def __init__(self, cancel_after: int | None) -> None:
        self.reports = 0
        self.cancel_after = cancel_after

    def cancelled(self) -> bool:
        return self.cancel_after is not None and self.reports >= self.cancel_after


class Progress:
    """What the indexer uses of pygls' work-done progress, recording what it is sent."""

    def __init__(self, cancel_after: int | None) -> None:
        self.sent: list[Any] = []
        self.tokens: dict[str, Token] = {}
        self.cancel_after = cancel_after

    async def create_async(self, token: str) -> None:
        self.tokens[token] = Token(self.cancel_after)

    def begin(self, token: str, value: Any) -> None:
        self.sent.append(value)

    def report(self, token: str, value: Any) -> None:
        self.tokens[token].reports += 1
        self.sent.append(value)

    def end(self, token: str, value: Any) -> None:
        self.sent.append(value)


class Server:
    def __init__(self, cancel_after: int | None = None) -> None:
        self.progress_support = True
        self.work_done_progress = Progress(cancel_after)


def workspace(root: Path, count: int) -> DocumentStore:
    (root / ".git").mkdir()
    (root / "comp.yaml").write_text(COMPONENT)
    (root / "ops").mkdir()
    for number in range(count):
        (root / "ops" / f"op{number:03d}.yaml").write_text(OPERATION)
    store = DocumentStore(lambda uri: None, lambda state, version: None, lambda state: None)
    store.configure(Settings(), 0.0, root)
    return store


async def test_the_scan_indexes_every_file_and_reports_progress(tmp_path: Path) -> None:
    store = workspace(tmp_path, 3 * BATCH_FILES)
    indexer, server = Indexer(store), Server()
    await indexer.scan(server)
    assert len(indexer.index) == 3 * BATCH_FILES + 1
    assert indexer.complete
    sent = server.work_done_progress.sent
    assert isinstance(sent[0], types.WorkDoneProgressBegin) and sent[0].cancellable
    assert isinstance(sent[-1], types.WorkDoneProgressEnd)
    assert sent[-1].message == f"{3 * BATCH_FILES + 1} polyaxonfiles"
    assert any(isinstance(v, types.WorkDoneProgressReport) for v in sent)
    store.shutdown()


async def test_a_cancelled_scan_stops_and_says_so(tmp_path: Path) -> None:
    store = workspace(tmp_path, 6 * BATCH_FILES)
    indexer = Indexer(store)
    # Every batch reports (PROGRESS_EVERY_S apart at most); cancelled once one report is out.
    server = Server(cancel_after=1)
    await indexer.scan(server)
    assert not indexer.complete
    assert 0 < len(indexer.index) < 6 * BATCH_FILES + 1
    end = server.work_done_progress.sent[-1]
    assert isinstance(end, types.WorkDoneProgressEnd)
    assert end.message is not None and "stopped after" in end.message
    # A rename must update every use: refused from now on; references say they may be partial.
    refusal = indexer.rename_refusal(None)
    assert refusal is not None
    assert refusal.startswith(
        f"Rename refused: indexing of the workspace was cancelled after {indexer.done} of "
        f"{6 * BATCH_FILES + 1} files, so some uses could be missed; index the workspace again "
        "(command `param-lsp.indexWorkspace`"
    )
    notice = indexer.partial_notice(None)
    assert notice is not None and notice.startswith("References may be incomplete")
    assert indexer.partial_notice(None) is None  # said once
    store.shutdown()


async def test_rename_waits_for_a_running_scan_and_not_for_a_complete_one(
    tmp_path: Path,
) -> None:
    store = workspace(tmp_path, 2 * BATCH_FILES)
    indexer = Indexer(store)
    running = asyncio.get_running_loop().create_task(indexer.scan(Server()))
    refusal = indexer.rename_refusal(running)
    assert refusal is not None
    assert refusal.startswith("Rename refused: the workspace is still being indexed")
    assert refusal.endswith("rename again when indexing is done.")
    await running
    assert indexer.complete
    assert indexer.rename_refusal(running) is None
    assert indexer.partial_notice(running) is None
    store.shutdown()


async def test_a_scan_that_fails_leaves_renames_refused(tmp_path: Path, monkeypatch: Any) -> None:
    store = workspace(tmp_path, 2)
    indexer = Indexer(store)

    def broken(roots: list[Path]) -> list[Path]:
        raise OSError("the folder went away")

    monkeypatch.setattr(indexer, "candidates_of", broken)
    with pytest.raises(OSError):
        await indexer.scan(Server())
    refusal = indexer.rename_refusal(None)
    assert refusal is not None and "indexing of the workspace was failed" not in refusal
    assert "stopped by an error" in refusal
    store.shutdown()


async def test_files_are_updated_one_by_one(tmp_path: Path) -> None:
    store = workspace(tmp_path, 2)
    indexer = Indexer(store)
    await indexer.scan(Server())
    key = (tmp_path / "comp.yaml", "lr", False)
    # The param key of each operation (the component declares `lr` but does not use it).
    assert len(indexer.index.uses(key)) == 2
    late = tmp_path / "ops" / "late.yaml"
    late.write_text(OPERATION)
    await indexer.reindex(late)
    assert late in {loc.path for loc in indexer.index.uses(key)}
    late.write_text("title: no longer a polyaxonfile\n")
    await indexer.reindex(late)
    assert late not in indexer.index
    indexer.forget(tmp_path / "ops" / "op000.yaml")
    assert [loc.path.name for loc in indexer.index.uses(key)] == ["op001.yaml"]
    store.shutdown()


# ---------------------------------------------------------------- the cache between runs


async def scan_again(store: DocumentStore) -> Indexer:
    """A new server's scan of the same folder (a fresh workspace, the same cache)."""
    fresh = DocumentStore(lambda uri: None, lambda state, version: None, lambda state: None)
    fresh.configure(Settings(), 0.0, store.workspace_root)
    indexer = Indexer(fresh)
    await indexer.scan(Server())
    if indexer.saving is not None:
        await indexer.saving
    fresh.shutdown()
    return indexer


def uses_of(indexer: Indexer, key: tuple[Path, str, bool]) -> list[tuple[str, int]]:
    return [(loc.path.name, loc.span.start.line) for loc in indexer.index.uses(key)]


async def test_a_reopened_workspace_reads_the_index_back(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("PARAM_LSP_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "ws"
    root.mkdir()
    store = workspace(root, 5)
    (root / "notes.yaml").write_text("title: not a polyaxonfile\n")
    first = Indexer(store)
    await first.scan(Server())
    assert first.saving is not None and await first.saving
    assert first.reused == 0
    assert list((tmp_path / "cache").iterdir())  # written outside the workspace
    key = (root / "comp.yaml", "lr", False)
    expected = [(f"op{n:03d}.yaml", 2) for n in range(5)]
    assert uses_of(first, key) == expected

    second = await scan_again(store)
    assert second.reused == 7  # every YAML file, the one that is no polyaxonfile included
    assert uses_of(second, key) == expected
    assert set(second.index.files) == set(first.index.files)

    # A changed file is indexed again; the others come from the cache.
    (root / "ops" / "op001.yaml").write_text(OPERATION.replace("  lr:", "  epochs: 1\n  lr:"))
    third = await scan_again(store)
    assert third.reused == 6
    assert ("op001.yaml", 3) in uses_of(third, key)

    # A changed component: every file that composes it is indexed again.
    (root / "comp.yaml").write_text(COMPONENT.replace("name: lr", "name: rate"))
    fourth = await scan_again(store)
    assert fourth.reused == 1  # notes.yaml only
    assert uses_of(fourth, key) == []
    assert len(fourth.index.uses((root / "comp.yaml", "rate", False))) == 0
    store.shutdown()


async def test_an_unreadable_cache_is_no_cache(tmp_path: Path, monkeypatch: Any) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("PARAM_LSP_CACHE_DIR", str(cache))
    root = tmp_path / "ws"
    root.mkdir()
    store = workspace(root, 3)
    indexer = Indexer(store)
    await indexer.scan(Server())
    assert indexer.saving is not None and await indexer.saving
    for file in cache.iterdir():
        file.write_bytes(b"\x00garbage")
    again = await scan_again(store)
    assert again.reused == 0 and len(again.index) == 4
    store.shutdown()
