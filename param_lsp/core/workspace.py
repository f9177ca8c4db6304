"""Reading other files of the workspace (pathRef targets, hub components mapped to local files).

Reads are confined to the workspace roots (checked on the opened descriptor), size-limited,
never block on special files (core/safe_read.py), and are cached
by (path, mtime, size) so that re-checking a DAG on every keystroke never re-parses its
components. The language server registers open documents as overrides, so unsaved edits in a
component are seen by the files that use it.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from param_lsp.core.safe_read import read_file
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
    """Root folders plus in-memory overrides; shared by the CLI run and the language server.

    Reads never leave the roots: ``root`` and ``extra_roots`` (every workspace folder of the
    editor). Without a root, a file may read only inside its own repository (the nearest
    folder upwards holding `.git`) or, outside any repository, its own folder.
    """

    root: Path | None = None
    overrides: dict[Path, str] = field(default_factory=dict)
    _cache: dict[Path, tuple[object, ParsedYaml, str]] = field(default_factory=dict)
    #: referenced file → files whose analysis read it (for re-checking dependants).
    dependants: defaultdict[Path, set[Path]] = field(default_factory=lambda: defaultdict(set))
    extra_roots: tuple[Path, ...] = ()

    def set_override(self, path: Path, text: str) -> None:
        self.overrides[_norm(path)] = text
        self._cache.pop(_norm(path), None)

    def drop_override(self, path: Path) -> None:
        self.overrides.pop(_norm(path), None)
        self._cache.pop(_norm(path), None)

    def roots_for(self, by: Path | None = None) -> tuple[Path, ...]:
        """The real paths of the folders a read on behalf of ``by`` may reach."""
        if self.root is not None:
            return tuple(_real(r) for r in (self.root, *self.extra_roots))
        if by is None:
            return ()
        return (_real(repository_root(_norm(by).parent)),)

    def allowed(self, path: Path, *, by: Path | None = None) -> bool:
        """Whether ``path`` (symlinks resolved) is inside a root; see :meth:`roots_for`."""
        roots = self.roots_for(by)
        try:
            real = _real(path)
        except (OSError, ValueError):
            return False
        return any(real.is_relative_to(root) for root in roots)

    def read(self, path: Path, *, by: Path | None = None, track: bool = True) -> ReadResult:
        """``path`` as the analysis of ``by`` may read it (recorded as a dependency of ``by``
        unless ``track`` is False)."""
        path = _norm(path)
        if by is not None and track:
            self.dependants[path].add(_norm(by))
        if not self.allowed(path, by=by):
            return ReadResult(path, error="outside")
        override = self.overrides.get(path)
        if override is not None:
            key: object = ("override", id(override))
            cached = self._cache.get(path)
            if cached is not None and cached[0] == key:
                return ReadResult(path, cached[1], cached[2])
            parsed = parse_yaml(override)
            self._cache[path] = (key, parsed, override)
            return ReadResult(path, parsed, override)
        roots = self.roots_for(by)
        cached = self._cache.get(path)
        # The descriptor is checked, not the name: a symlink switched after the check above
        # still cannot make this read a file outside the roots.
        got = read_file(
            path,
            MAX_FILE_BYTES,
            allowed=lambda real: any(real.is_relative_to(root) for root in roots),
            known=cached[0] if cached is not None else None,  # type: ignore[arg-type]
        )
        if got.error is not None:
            error = "missing" if got.error == "not-a-file" else got.error
            return ReadResult(path, error=error)
        if got.data is None and cached is not None:
            return ReadResult(path, cached[1], cached[2])
        try:
            text = (got.data or b"").decode("utf-8")
        except UnicodeDecodeError:
            return ReadResult(path, error="not-utf8")
        parsed = parse_yaml(text)
        self._cache[path] = (got.key, parsed, text)
        return ReadResult(path, parsed, text)

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


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def repository_root(folder: Path) -> Path:
    """The nearest folder from ``folder`` upwards that holds `.git`; else ``folder``."""
    folder = _norm(folder)
    for candidate in (folder, *folder.parents):
        try:
            if (candidate / ".git").exists():
                return candidate
        except OSError:
            break
    return folder
