"""The workspace index kept between server runs: reopening a large workspace reads it back
instead of indexing every file again.

One file per workspace folder in the platform's cache folder (never in the workspace), written
after a complete scan. An entry is used only when the product version and the format match, the
file's content hash is the same, its settings are the same, and every file its composition read
(components, transitively) still has the hash it had. The data is plain values in `marshal`
format (no code is ever loaded from it); anything unreadable counts as no cache.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from param_lsp import __version__
from param_lsp.core.span import Position, Span
from param_lsp.features.sites import FileSites, IOKey

FORMAT = 2
#: Environment: where cache files go (tests, benchmarks); "off" disables the cache.
CACHE_DIR_ENV = "PARAM_LSP_CACHE_DIR"


def cache_folder() -> Path | None:
    """The platform's cache folder for the index (None when disabled)."""
    configured = os.environ.get(CACHE_DIR_ENV)
    if configured == "off":
        return None
    if configured:
        return Path(configured)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "param-lsp" / "Cache" / "index"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "param-lsp" / "index"
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "param-lsp" / "index"


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def settings_digest(settings: object) -> bytes:
    return digest(repr(settings).encode())


@dataclass(frozen=True, slots=True)
class CachedFile:
    """What the cache remembers of one file: None sites for a file that is no polyaxonfile."""

    digest: bytes
    settings: bytes
    #: (path, content hash) of every file its composition read.
    deps: tuple[tuple[str, bytes], ...]
    sites: FileSites | None


def _encode(entry: CachedFile) -> tuple[object, ...]:
    sites = None
    if entry.sites is not None:
        uses = tuple(
            (
                None if key[0] is None else str(key[0]),
                key[1],
                key[2],
                tuple(tuple(span.start) + tuple(span.end) for span in spans),
                tuple(sorted(entry.sites.passes.get(key, ()))),
                key in entry.sites.from_cli,
            )
            for key, spans in entry.sites.io_uses.items()
        )
        sites = (entry.sites.plain, uses)
    return (entry.digest, entry.settings, entry.deps, sites)


def _decode(path: Path, raw: Any, paths: dict[str, Path]) -> CachedFile:
    file_digest, settings, deps, sites_raw = raw
    sites = None
    if sites_raw is not None:
        plain: bool = sites_raw[0]
        uses: Any = sites_raw[1]
        io_uses: dict[IOKey, tuple[Span, ...]] = {}
        passes: dict[IOKey, frozenset[str]] = {}
        from_cli: set[IOKey] = set()
        for source, name, is_output, spans, passed, cli in uses:
            where = None
            if source is not None:
                where = paths.get(source)
                if where is None:
                    where = paths[source] = Path(source)
            key: IOKey = (where, name, is_output)
            io_uses[key] = tuple(Span(Position(a, b), Position(c, d)) for a, b, c, d in spans)
            passes[key] = frozenset(passed)
            if cli:
                from_cli.add(key)
        sites = FileSites(path, io_uses, plain, passes, frozenset(from_cli))
    return CachedFile(file_digest, settings, tuple(deps), sites)


class IndexCache:
    """The cache file of one workspace folder."""

    def __init__(self, root: Path, folder: Path | None = None) -> None:
        folder = folder if folder is not None else cache_folder()
        name = hashlib.sha256(str(root).encode()).hexdigest()[:24]
        self.path = folder / f"{name}.marshal" if folder is not None else None
        self.root = root

    def load(self) -> dict[Path, CachedFile]:
        if self.path is None:
            return {}
        try:
            data = marshal.loads(self.path.read_bytes())
            if data[0] != (FORMAT, __version__, str(self.root)):
                return {}
            paths: dict[str, Path] = {}
            out: dict[Path, CachedFile] = {}
            for name, raw in data[1].items():
                path = Path(name)
                out[path] = _decode(path, raw, paths)
            return out
        except Exception:  # missing, unreadable, another version's format: no cache
            return {}

    def save(self, entries: Mapping[Path, CachedFile]) -> bool:
        if self.path is None:
            return False
        payload = (
            (FORMAT, __version__, str(self.root)),
            {str(path): _encode(entry) for path, entry in entries.items()},
        )
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_bytes(marshal.dumps(payload))
            os.replace(temporary, self.path)
        except (OSError, ValueError):
            return False
        return True
