"""When an edit is analysed: at once when the analyser is idle; edits made during an analysis
are coalesced (the newest wins) and stale versions are never published."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

from param_lsp.lsp import documents
from param_lsp.lsp.documents import DocState, DocumentStore
from param_lsp.lsp.options import parse_options

OPERATION = (
    "kind: operation\nparams:\n  lr: {value: 0.1}\nrun: {kind: job, container: {image: x}}\n"
)


def test_the_default_debounce_is_zero() -> None:
    _settings, debounce = parse_options(None)
    assert debounce == 0.0
    store = DocumentStore(lambda uri: None, lambda state, version: None, lambda state: None)
    assert store.typing_delay(DocState("file:///op.yaml", None)) == 0.0


def test_a_configured_debounce_is_kept() -> None:
    _settings, debounce = parse_options({"debounceMs": 40})
    assert debounce == 0.04


class Editor:
    """A document whose versions the test sets, and a store whose analyses can be held."""

    def __init__(self) -> None:
        self.text, self.version = OPERATION, 1
        self.published: list[int | None] = []
        self.store = DocumentStore(self.snapshot, self.on_result, lambda state: None)
        self.analysed: list[int] = []
        self.release = threading.Event()
        self.release.set()

    def snapshot(self, uri: str) -> tuple[str, int | None]:
        return self.text, self.version

    def on_result(self, state: DocState, version: int | None) -> None:
        if version == self.version:  # the server's own staleness check
            self.published.append(version)

    def edit(self, version: int) -> None:
        self.version = version
        self.text = OPERATION.replace("0.1", f"0.{version}")


async def test_an_idle_analyser_starts_at_once_and_a_burst_during_an_analysis_is_one_more(
    monkeypatch: Any,
) -> None:
    editor = Editor()
    real = documents._compute

    def held(*args: Any, **kwargs: Any) -> Any:
        editor.analysed.append(int(args[0].split("0.")[1].split("}")[0]))
        editor.release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(documents, "_compute", held)
    store = editor.store
    state = store.open("file:///op.yaml", Path("/nonexistent/op.yaml"))
    editor.release.clear()
    first = store.schedule(state, store.typing_delay(state))
    # Started without waiting: the analysis of version 1 is running within a loop turn or two.
    for _ in range(50):
        await asyncio.sleep(0.001)
        if editor.analysed:
            break
    assert editor.analysed == [1]
    # Keys typed while it runs: each replaces the waiting one.
    tasks = []
    for version in range(2, 7):
        editor.edit(version)
        tasks.append(store.schedule(state, store.typing_delay(state)))
    editor.release.set()
    await first
    await tasks[-1]
    assert all(task.cancelled() for task in tasks[:-1])
    # Version 1 was analysed but never published (stale); then only the newest text.
    assert editor.analysed == [1, 6]
    assert editor.published == [6]
    store.shutdown()
