"""What the value-type converters share: a converter's signature and its two outcomes besides a
value (the value does not convert, or Polyaxon itself would crash on it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Fail(Exception):
    """The value cannot be converted to the target (→ "Cannot convert value ...")."""


class Crash(Exception):
    """Polyaxon would crash with an unwrapped Python exception."""

    def __init__(self, exc_name: str, text: str) -> None:
        super().__init__(f"{exc_name}: {text}")
        self.description = f"{exc_name}: {text}"


Conv = Callable[[Any, bool], Any]
