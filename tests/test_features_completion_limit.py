"""Long completion lists are narrowed to the typed prefix and marked incomplete."""

from __future__ import annotations

from param_lsp.core.span import Position
from param_lsp.features.completion import MAX_ITEMS, narrow
from param_lsp.features.results import CompletionItem, ItemKind


def items(names: list[str]) -> list[CompletionItem]:
    return [CompletionItem(name, ItemKind.VARIABLE) for name in names]


def test_short_lists_are_complete() -> None:
    got, incomplete = narrow(items(["a", "b"]), ["x: {{ a"], Position(0, 7))
    assert [i.label for i in got] == ["a", "b"] and not incomplete


def test_long_lists_keep_the_prefix_matches_and_ask_again() -> None:
    names = [f"param_{i}" for i in range(1000)] + ["other"]
    got, incomplete = narrow(items(names), ["value: '{{ param_12"], Position(0, 19))
    assert incomplete
    assert [i.label for i in got][:3] == ["param_12", "param_120", "param_121"]
    assert all(i.label.startswith("param_12") for i in got)
    got, incomplete = narrow(items(names), ["value: '{{ "], Position(0, 11))
    assert incomplete and len(got) == MAX_ITEMS
