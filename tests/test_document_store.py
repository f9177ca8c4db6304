"""The order in which an analysis reaches the client and the features."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from param_lsp.lsp import documents
from param_lsp.lsp.documents import DocState, DocumentStore


def test_diagnostics_go_out_before_the_index_and_features_wait_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "op.yaml"
    uri = path.as_uri()
    text = "kind: operation\nparams:\n  lr: 0.1\n"
    events: list[tuple[str, Any]] = []
    real_index = documents._index

    def recorded_index(*args: Any) -> Any:
        events.append(("index", store.is_current(state)))
        return real_index(*args)

    def on_result(result: DocState, version: int | None) -> None:
        events.append(("published", result.analysis is not None and result.analysed_text == text))

    monkeypatch.setattr(documents, "_index", recorded_index)
    store = DocumentStore(
        lambda wanted: (text, 1) if wanted == uri else None, on_result, lambda _state: None
    )
    state = store.open(uri, path)

    async def scenario() -> None:
        await store.schedule(state, 0)

    try:
        asyncio.run(scenario())
    finally:
        store.shutdown()
    # published with the new analysis first; while the index is built the version does not
    # count as analysed, so requests wait for analysis and index together
    assert events == [("published", True), ("index", False)]
    assert store.is_current(state)
    assert state.features is state.analysis and state.index is not None
