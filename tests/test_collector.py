"""The server's collector policy: a full collection waits until the user stops typing."""

from __future__ import annotations

import asyncio
import gc
import time
import weakref
from pathlib import Path

import pytest

from param_lsp.core import yaml_tree
from param_lsp.core.settings import Settings
from param_lsp.core.workspace import Workspace
from param_lsp.lsp.documents import CollectorPolicy, _compute


def test_full_collection_waits_for_a_quiet_moment() -> None:
    async def scenario() -> tuple[int, int]:
        policy = CollectorPolicy()
        policy.FULL_EVERY = 2
        policy.QUIET_S = 0.05
        last_edit = [time.monotonic()]
        policy.after_analysis(lambda: last_edit[0])
        policy.after_analysis(lambda: last_edit[0])  # the second analysis makes one due
        typing_until = time.monotonic() + 0.15
        while time.monotonic() < typing_until:  # keys every 10 ms: not quiet yet
            last_edit[0] = time.monotonic()
            await asyncio.sleep(0.01)
        during_typing = policy.collections
        await asyncio.sleep(0.12)
        after_pause = policy.collections
        return during_typing, after_pause

    try:
        during_typing, after_pause = asyncio.run(scenario())
    finally:
        gc.unfreeze()
    assert during_typing == 0
    assert after_pause == 1


def test_objects_alive_after_an_analysis_are_frozen() -> None:
    async def scenario() -> int:
        policy = CollectorPolicy()
        policy.after_analysis(time.monotonic)
        return gc.get_freeze_count()

    try:
        assert asyncio.run(scenario()) > 0
    finally:
        gc.unfreeze()


def test_garbage_cycles_are_collected_before_freezing() -> None:
    """Requests and tasks leave reference cycles: frozen, they would live until the next full
    collection (the server's memory grew by ~0.4 MB per 250 keystrokes)."""

    class Node:
        pass

    async def scenario() -> weakref.ref[Node]:
        policy = CollectorPolicy()
        cycle = Node()
        cycle.self = cycle  # type: ignore[attr-defined]
        alive = weakref.ref(cycle)
        del cycle
        policy.after_analysis(time.monotonic)
        return alive

    try:
        alive = asyncio.run(scenario())
        assert alive() is None
    finally:
        gc.unfreeze()


def test_generated_sources_are_dropped_and_nothing_else() -> None:
    import linecache

    import attrs

    from param_lsp.lsp.documents import drop_generated_sources

    @attrs.define
    class Generated:  # attrs keeps the source of its __init__ (and so on) in linecache
        value: int

    linecache.getline(__file__, 1)
    assert any(name.startswith("<attrs generated") for name in linecache.cache)
    drop_generated_sources()
    assert not any(
        name.startswith(("<attrs generated", "<cattrs generated")) for name in linecache.cache
    )
    assert __file__ in linecache.cache


def _cold_analysis() -> object:
    from benchmarks.generate import operation
    from param_lsp.engine.analyze import analyze

    return analyze(operation(300))


def test_a_cold_analysis_leaves_no_young_collection_due_and_nothing_frozen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What an analysis keeps goes to the oldest generation at once: the first allocations
    after it must not walk it all in a young collection (~2 ms at 5,000 lines)."""
    from benchmarks.generate import operation
    from param_lsp.engine.analyze import analyze

    monkeypatch.setattr(yaml_tree, "_promote_after_pause", True)  # as in the CLI

    text = operation(300)
    analyze(text)
    gc.collect()
    collections: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    gc.callbacks.append(count)
    try:
        kept = analyze(text)
        _ = [[] for _ in range(300)]  # tracked allocations, under the young threshold
    finally:
        gc.callbacks.remove(count)
    assert kept.findings is not None
    assert collections == []
    assert gc.get_freeze_count() == 0


def test_in_the_server_an_analysis_leaves_frozen_objects_frozen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(yaml_tree, "_promote_after_pause", True)
    gc.collect()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        _compute("kind: operation\nparams:\n  lr: 0.1\n", None, "file:///op.yaml", Settings(),
                 Workspace(root=Path("/nonexistent")))  # fmt: skip
        assert gc.get_freeze_count() >= frozen  # not released; the analysis' own added
        frozen = gc.get_freeze_count()
        _cold_analysis()  # analyses after the server's first, outside its worker
        assert gc.get_freeze_count() > frozen // 2
    finally:
        gc.unfreeze()


def test_a_cold_analysis_leaves_cycles_collectable() -> None:
    class Node:
        pass

    cycle = Node()
    cycle.self = cycle  # type: ignore[attr-defined]
    alive = weakref.ref(cycle)
    del cycle
    _cold_analysis()
    gc.collect()
    assert alive() is None
