"""How long an edit waits before it is analysed: the configured debounce, or the typist's pace."""

from __future__ import annotations

import pytest

from param_lsp.lsp import documents
from param_lsp.lsp.documents import DocState, DocumentStore


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture()
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(documents.time, "monotonic", fake)
    return fake


def delays(clock: Clock, intervals_ms: list[float]) -> list[float]:
    """The wait (ms) of each edit of a session, the first edit at the clock's time."""
    store = DocumentStore(lambda uri: None, lambda state, version: None, lambda state: None)
    state = DocState("file:///op.yaml", None)
    out = [round(store.typing_delay(state) * 1000, 1)]
    for interval in intervals_ms:
        clock.now += interval / 1000
        out.append(round(store.typing_delay(state) * 1000, 1))
    return out


def test_an_isolated_edit_waits_the_debounce(clock: Clock) -> None:
    assert delays(clock, [500, 300]) == [30.0, 30.0, 30.0]


def test_keys_50_ms_apart_wait_for_a_pause_from_the_second_key(clock: Clock) -> None:
    """Even when the first key's analysis is already done: otherwise a fast analysis makes the
    first two keys of a burst two analyses, and the burst three."""
    waits = delays(clock, [50] * 5)
    assert waits[0] == 30.0
    assert waits[1:] == [60.0] * 5


def test_a_key_read_late_does_not_shorten_the_wait(clock: Clock) -> None:
    # 58 then 42 ms: the second key was read late, the third looks early.
    assert delays(clock, [50, 58, 42])[-1] == pytest.approx(1.2 * 58, abs=0.1)


def test_keys_too_far_apart_to_wait_for_are_each_analysed_after_the_debounce(
    clock: Clock,
) -> None:
    # 1.2 × 120 ms is more than the 100 ms a burst may wait: no point waiting.
    assert delays(clock, [120, 120]) == [30.0, 30.0, 30.0]
