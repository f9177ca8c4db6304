"""The project configuration's content, as the rest of the package sees it.

Loading and validating it (`.param-lsp.toml`, `[tool.param-lsp]`) is
:mod:`param_lsp.engine.config`; this module holds the value and its include/exclude globs.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class ProjectConfig:
    """The nearest configuration file's content (empty when there is none)."""

    source: Path | None = None
    values: Mapping[str, Any] = field(default_factory=dict)  # Settings field → value
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    @property
    def base(self) -> Path | None:
        """The folder that relative globs and hub-map paths are relative to."""
        return self.source.parent if self.source is not None else None

    def selects(self, path: Path) -> bool | None:
        """For a file found in a folder: False if excluded, True if included, None if neither."""
        relative = self._relative(path)
        if relative is None:
            return None
        if any(_glob_match(relative, pattern) for pattern in self.exclude):
            return False
        if self.include:
            return any(_glob_match(relative, pattern) for pattern in self.include)
        return None

    def _relative(self, path: Path) -> str | None:
        if self.base is None:
            return None
        try:
            return Path(os.path.abspath(path)).relative_to(self.base).as_posix()
        except ValueError:
            return None


EMPTY_CONFIG = ProjectConfig()


def _glob_match(relative: str, pattern: str) -> bool:
    """Gitignore-like globs: `**` spans folders, a pattern without `/` matches any file name."""
    pattern = pattern.strip().removeprefix("./")
    if pattern.endswith("/"):
        pattern += "**"
    if "/" not in pattern:
        # Like .gitignore: a bare name matches a file or any folder on the way to it.
        return any(fnmatch.fnmatchcase(part, pattern) for part in PurePosixPath(relative).parts)
    return _glob_fullmatch(_glob_tokens(pattern.removeprefix("/")), relative)


# Glob tokens: a literal character, `?` (one character but `/`), `*` (any run without `/`),
# `**` (any run) and `**/` (nothing, or any run ending with `/`).
_LIT, _ONE, _STAR, _DSTAR, _DSTAR_SLASH = range(5)


@lru_cache(maxsize=256)
def _glob_tokens(pattern: str) -> tuple[tuple[int, str], ...]:
    out: list[tuple[int, str]] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            if not out or out[-1][0] != _DSTAR_SLASH:  # `**/**/` is `**/`
                out.append((_DSTAR_SLASH, ""))
            i += 3
        elif pattern.startswith("**", i):
            out.append((_DSTAR, ""))
            i += 2
        elif pattern[i] == "*":
            out.append((_STAR, ""))
            i += 1
        elif pattern[i] == "?":
            out.append((_ONE, ""))
            i += 1
        else:
            out.append((_LIT, pattern[i]))
            i += 1
    return tuple(out)


def _glob_fullmatch(tokens: tuple[tuple[int, str], ...], text: str) -> bool:
    """Whether ``text`` matches the tokens, by simulating all their positions at once: time
    proportional to len(text) x len(tokens) for any pattern (a backtracking regex needs
    exponential time for `**/**/**/…` on a path that does not match).

    A state is 2*i (before token i) or 2*i + 1 (inside the run of a `**/` token i).
    """
    end = 2 * len(tokens)

    def closure(states: set[int]) -> set[int]:
        todo = list(states)
        while todo:
            state = todo.pop()
            if state % 2 or state == end:
                continue
            kind = tokens[state // 2][0]
            reached: tuple[int, ...] = ()
            if kind in (_STAR, _DSTAR):
                reached = (state + 2,)
            elif kind == _DSTAR_SLASH:
                reached = (state + 2, state + 1)
            for nxt in reached:
                if nxt not in states:
                    states.add(nxt)
                    todo.append(nxt)
        return states

    states = closure({0})
    for char in text:
        moved: set[int] = set()
        for state in states:
            if state == end:
                continue
            if state % 2:  # inside `**/`: any character, and a `/` may end it
                moved.add(state)
                if char == "/":
                    moved.add(state + 1)
                continue
            kind, literal = tokens[state // 2]
            if kind == _LIT:
                if char == literal:
                    moved.add(state + 2)
            elif kind == _ONE:
                if char != "/":
                    moved.add(state + 2)
            elif kind == _STAR:
                if char != "/":
                    moved.add(state)
            elif kind == _DSTAR:
                moved.add(state)
        if not moved:
            return False
        states = closure(moved)
    return end in states
