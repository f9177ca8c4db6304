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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

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
    #: Work shared by the files analysed with this workspace (e.g. referenced components
    #: checked and composed once: `core.compose`), valid while the files it read are.
    shared: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    #: For a run over files that do not change meanwhile (`param-lsp check`): each path's real
    #: path is resolved once and a file read once. The language server checks on every read.
    stable: bool = False
    #: Whether reads record who read what (``dependants``, ``requires``): the language server
    #: re-checks users when a file changes; a CLI run does not, and keeps no table per file.
    track_users: bool = True
    _real: dict[Path, Path] = field(default_factory=dict, repr=False, compare=False)
    #: While ``stable``: each path's absolute form, and whether it is inside the roots (with the
    #: roots it was decided for), so a file read by many analyses is looked at once.
    _norms: dict[Path, Path] = field(default_factory=dict, repr=False, compare=False)
    _inside: dict[Path, tuple[tuple[Path, ...], bool]] = field(
        default_factory=dict, repr=False, compare=False
    )
    _last_user: tuple[Path, Path] | None = field(default=None, repr=False, compare=False)
    #: file → files its analysis read (the other direction of ``dependants``).
    requires: defaultdict[Path, set[Path]] = field(
        default_factory=lambda: defaultdict(set), repr=False, compare=False
    )
    #: The roots' real paths, resolved once per (root, extra roots).
    _real_roots: tuple[tuple[Path | None, tuple[Path, ...]], tuple[Path, ...]] | None = field(
        default=None, repr=False, compare=False
    )

    def set_override(self, path: Path, text: str) -> None:
        self.overrides[_norm(path)] = text
        self._cache.pop(_norm(path), None)

    def drop_override(self, path: Path) -> None:
        self.overrides.pop(_norm(path), None)
        self._cache.pop(_norm(path), None)

    def roots_for(self, by: Path | None = None) -> tuple[Path, ...]:
        """The real paths of the folders a read on behalf of ``by`` may reach."""
        if self.root is not None:
            key = (self.root, self.extra_roots)
            if self._real_roots is None or self._real_roots[0] != key:
                self._real_roots = (key, tuple(_real(r) for r in (self.root, *self.extra_roots)))
            return self._real_roots[1]
        if by is None:
            return ()
        return (_real(repository_root(_norm(by).parent)),)

    def allowed(self, path: Path, *, by: Path | None = None) -> bool:
        """Whether ``path`` (symlinks resolved) is inside a root; see :meth:`roots_for`."""
        roots = self.roots_for(by)
        if self.stable:
            known = self._inside.get(path)
            if known is not None and known[0] is roots:
                return known[1]
            inside = self._allowed(path, roots)
            self._inside[path] = (roots, inside)
            return inside
        return self._allowed(path, roots)

    def _allowed(self, path: Path, roots: tuple[Path, ...]) -> bool:
        try:
            real = self._real.get(path) if self.stable else None
            if real is None:
                real = _real(path)
                if self.stable:
                    self._real[path] = real
        except (OSError, ValueError):
            return False
        return any(real.is_relative_to(root) for root in roots)

    def read(
        self,
        path: Path,
        *,
        by: Path | None = None,
        track: bool = True,
        keep: bool = True,
        parse: bool = True,
    ) -> ReadResult:
        """``path`` as the analysis of ``by`` may read it (recorded as a dependency of ``by``
        unless ``track`` is False). ``keep=False``: a parse made for this read is not cached (a
        file read once, e.g. by the workspace index, whose tree would otherwise stay in
        memory); ``parse=False``: the text only (a cached tree is still returned)."""
        path = self._norm(path)
        if by is not None and track and self.track_users:
            user = self._user(by)
            self.dependants[path].add(user)
            self.requires[user].add(path)
        if not self.allowed(path, by=by):
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
        roots = self.roots_for(by)
        cached = self._cache.get(path)
        if self.stable and cached is not None:
            return ReadResult(path, cached[1], cached[2])  # read (confined) earlier in the run
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
        if not parse:
            return ReadResult(path, None, text)
        parsed = parse_yaml(text)
        if keep:
            self._cache[path] = (got.key, parsed, text)
        return ReadResult(path, parsed, text)

    @contextmanager
    def steady(self) -> Iterator[None]:
        """A block over which files are taken as unchanged (one batch of the workspace index,
        a few milliseconds): a file read once in it is not opened and checked again."""
        was = self.stable
        self.stable = True
        try:
            yield
        finally:
            self.stable = was
            if not was:
                self._real.clear()
                self._norms.clear()
                self._inside.clear()

    def _user(self, by: Path) -> Path:
        # The reads of one analysis name the same file as their user: remembered (one entry,
        # so a run over many files keeps no table of them).
        last = self._last_user
        if last is not None and last[0] is by:
            return last[1]
        user = _norm(by)
        self._last_user = (by, user)
        return user

    def _norm(self, path: Path) -> Path:
        if not self.stable:
            return _norm(path)
        known = self._norms.get(path)
        if known is None:
            known = self._norms[path] = _norm(path)
        return known

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


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


T = TypeVar("T")


def nearest_upwards(
    folder: str,
    probe: Callable[[str], T | None],
    memo: dict[str, T | None],
    *,
    last: Callable[[str], bool] | None = None,
) -> T | None:
    """What ``probe`` finds in ``folder`` or the nearest parent folder where it finds anything
    (None: nothing up to the filesystem root, or up to a folder ``last`` says ends the walk).

    ``memo`` remembers each folder looked at (folder → the answer at or above it), so the
    files of one tree share one walk: the project markers, the configuration file and the
    repository root are all found this way."""
    seen: list[str] = []
    found: T | None = None
    current = folder
    while True:
        if current in memo:
            found = memo[current]
            break
        seen.append(current)
        found = probe(current)
        parent = os.path.dirname(current)
        if found is not None or parent == current or (last is not None and last(current)):
            break
        current = parent
    for visited in seen:
        memo[visited] = found
    return found


def holds_git(folder: str) -> bool:
    return os.path.exists(os.path.join(folder, ".git"))


def repository_root(folder: Path) -> Path:
    """The nearest folder from ``folder`` upwards that holds `.git`; else ``folder``."""
    folder = _norm(folder)
    found = nearest_upwards(str(folder), lambda f: f if holds_git(f) else None, {})
    return Path(found) if found is not None else folder
