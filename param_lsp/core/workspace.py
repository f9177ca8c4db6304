"""Reading other files of the workspace (pathRef targets, hub components mapped to local files).

Reads are confined to the workspace root (symlinks resolved first), sized-limited, and cached
by (path, mtime, size) so that re-checking a DAG on every keystroke never re-parses its
components. The language server registers open documents as overrides, so unsaved edits in a
component are seen by the files that use it.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from param_lsp.core.yaml_tree import ParsedYaml, parse_yaml

MAX_FILE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ReadResult:
    path: Path
    parsed: ParsedYaml | None = None
    text: str | None = None
    error: str | None = None  # "missing", "outside", "too-large", "unreadable", "not-utf8"


@dataclass
class Workspace:
    """A root folder plus in-memory overrides; shared by the CLI run and the language server."""

    root: Path | None = None
    overrides: dict[Path, str] = field(default_factory=dict)
    _cache: dict[Path, tuple[object, ParsedYaml, str]] = field(default_factory=dict)
    #: referenced file → files whose analysis read it (for re-checking dependants).
    dependants: defaultdict[Path, set[Path]] = field(default_factory=lambda: defaultdict(set))
    #: Work shared by the files analysed with this workspace (e.g. referenced components
    #: checked and composed once: `rules.references`), valid while the files it read are.
    shared: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    #: For a run over files that do not change meanwhile (`param-lsp check`): each path's
    #: real path is resolved once. The language server resolves on every read.
    stable: bool = False
    _real: dict[Path, Path] = field(default_factory=dict, repr=False, compare=False)
    #: file → files its analysis read (the other direction of ``dependants``).
    requires: defaultdict[Path, set[Path]] = field(
        default_factory=lambda: defaultdict(set), repr=False, compare=False
    )
    #: (root, its real path): resolved once, not on every read.
    _real_root: tuple[Path, Path] | None = field(default=None, repr=False, compare=False)

    def set_override(self, path: Path, text: str) -> None:
        self.overrides[_norm(path)] = text
        self._cache.pop(_norm(path), None)

    def drop_override(self, path: Path) -> None:
        self.overrides.pop(_norm(path), None)
        self._cache.pop(_norm(path), None)

    def allowed(self, path: Path) -> bool:
        if self.root is None:
            return True
        try:
            if self._real_root is None or self._real_root[0] != self.root:
                self._real_root = (self.root, Path(os.path.realpath(self.root)))
            if not self.stable:
                return Path(os.path.realpath(path)).is_relative_to(self._real_root[1])
            real = self._real.get(path)
            if real is None:
                real = self._real[path] = Path(os.path.realpath(path))
            return real.is_relative_to(self._real_root[1])
        except OSError:
            return False

    def read(
        self, path: Path, *, by: Path | None = None, keep: bool = True, parse: bool = True
    ) -> ReadResult:
        """``keep=False``: a parse made for this read is not cached (a file read once, e.g. by
        the workspace index, whose tree would otherwise stay in memory); ``parse=False``: the
        text only (a cached tree is still returned)."""
        path = _norm(path)
        if by is not None:
            user = _norm(by)
            self.dependants[path].add(user)
            self.requires[user].add(path)
        if not self.allowed(path):
            return ReadResult(path, error="outside")
        override = self.overrides.get(path)
        if override is not None:
            key: object = ("override", id(override))
            cached = self._cache.get(path)
            if cached is not None and cached[0] == key:
                return ReadResult(path, cached[1], cached[2])
            if not parse:
                return ReadResult(path, None, override)
            parsed = parse_yaml(override)
            self._cache[path] = (key, parsed, override)
            return ReadResult(path, parsed, override)
        if self.stable:
            cached = self._cache.get(path)
            if cached is not None:  # files do not change during the run
                return ReadResult(path, cached[1], cached[2])
        try:
            stat = path.stat()
        except OSError:
            return ReadResult(path, error="missing")
        if not path.is_file():
            return ReadResult(path, error="missing")
        if stat.st_size > MAX_FILE_BYTES:
            return ReadResult(path, error="too-large")
        key = (stat.st_mtime_ns, stat.st_size)
        cached = self._cache.get(path)
        if cached is not None and cached[0] == key:
            return ReadResult(path, cached[1], cached[2])
        try:
            raw = path.read_bytes()
        except OSError:
            return ReadResult(path, error="unreadable")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return ReadResult(path, error="not-utf8")
        if not parse:
            return ReadResult(path, None, text)
        parsed = parse_yaml(text)
        if keep:
            self._cache[path] = (key, parsed, text)
        return ReadResult(path, parsed, text)

    def requirements_of(self, path: Path) -> set[Path]:
        """Files the last analysis of ``path`` read (directly or through a chain)."""
        seen: set[Path] = set()
        todo = [_norm(path)]
        while todo:
            current = todo.pop()
            for needed in self.requires.get(current, ()):
                if needed not in seen:
                    seen.add(needed)
                    todo.append(needed)
        return seen

    def unchanged(self, path: Path, parsed: object) -> bool:
        """Whether ``parsed`` is still the cached tree of ``path`` (one stat, no read)."""
        path = _norm(path)
        cached = self._cache.get(path)
        if cached is None or cached[1] is not parsed:
            return False
        if self.stable:
            return True
        override = self.overrides.get(path)
        if override is not None:
            return cached[0] == ("override", id(override))
        try:
            stat = path.stat()
        except OSError:
            return False
        return cached[0] == (stat.st_mtime_ns, stat.st_size)

    def users_of(self, path: Path) -> set[Path]:
        """Files whose last analysis read ``path`` (directly or through a chain)."""
        seen: set[Path] = set()
        todo = [_norm(path)]
        while todo:
            current = todo.pop()
            for user in self.dependants.get(current, ()):
                if user not in seen:
                    seen.add(user)
                    todo.append(user)
        return seen


def _norm(path: Path) -> Path:
    return Path(os.path.abspath(path))
