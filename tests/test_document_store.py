"""The order in which an analysis reaches the client and the features."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from param_lsp.lsp import documents
from param_lsp.lsp.documents import DocState, DocumentStore


def test_an_edit_publishes_before_the_index_and_a_first_open_after_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "op.yaml"
    uri = path.as_uri()
    texts = {1: "kind: operation\nparams:\n  lr: 0.1\n", 2: "kind: operation\nparams:\n  lr: 0.2\n"}
    version = 1
    events: list[tuple[str, Any]] = []
    real_index = documents._index

    def recorded_index(*args: Any) -> Any:
        events.append(("index", version, store.is_current(state)))
        return real_index(*args)

    def on_result(result: DocState, published: int | None) -> None:
        events.append(("published", published, result.analysed_text == texts[version]))

    monkeypatch.setattr(documents, "_index", recorded_index)
    store = DocumentStore(
        lambda wanted: (texts[version], version) if wanted == uri else None,
        on_result,
        lambda _state: None,
    )
    state = store.open(uri, path)

    async def scenario() -> None:
        nonlocal version
        await store.schedule(state, 0)
        first_index = state.index
        assert first_index is not None and store.is_current(state)
        version = 2
        await store.schedule(state, 0)
        assert state.index is not first_index

    try:
        asyncio.run(scenario())
    finally:
        store.shutdown()
    # First open: the diagnostics wait for the index, so a client that waits for them gets
    # completions from the document's model. An edit: published with the new analysis first;
    # while the index is built the version does not count as analysed yet.
    assert events == [
        ("index", 1, False),
        ("published", 1, True),
        ("published", 2, True),
        ("index", 2, False),
    ]
    assert store.is_current(state)
    assert state.features is state.analysis and state.index is not None
