"""What one document's analysis keeps between versions, so an edit re-checks only what changed.

The incremental parse (``chunked``) hands back the very same node objects for the regions an
edit did not touch. A check whose result depends only on such a node (and on inputs that are
themselves unchanged objects) is remembered under the node and replayed: its findings are
moved by the lines the node moved, everything else is reused as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TypeVar

from param_lsp.core.context import CheckContext
from param_lsp.core.detect import Detection
from param_lsp.core.findings import Finding
from param_lsp.core.span import Position, Span
from param_lsp.core.yaml_tree import YNode

if TYPE_CHECKING:
    from param_lsp.core.chunked import ParseCache

T = TypeVar("T")
#: Items per chunk of :meth:`DocumentCache.check_in_chunks`.
CHUNK = 64
#: Entries the last analysis did not use are dropped once there are more than this many.
#: Each keystroke leaves a handful, and some hold a whole collection's results (~50 KB on
#: a 5,000-line document); a sweep costs ~0.5 ms there, so it runs every dozen keystrokes.
UNUSED_ENTRIES = 64


@dataclass(slots=True, eq=False, repr=False)
class _Entry:
    """The findings and result of one check of one node, remembered for the next version."""

    node: YNode  # kept alive, so that its id cannot be reused by another node
    line: int  # the node's first line when the findings were made
    findings: list[Finding]
    result: Any
    pins: tuple[object, ...]  # the objects ``key`` names by id, kept alive for the same reason
    #: The analysis that last used it.
    generation: int
    #: Entries used while this one was computed: kept along with it when it is reused, so
    #: that an edit inside the node later finds them.
    inner: tuple[_Entry, ...] = ()


def _new_parse_cache() -> ParseCache:
    # The incremental parser serves editors only: `param-lsp check` never loads it.
    from param_lsp.core.chunked import ParseCache

    return ParseCache()


@dataclass(slots=True, eq=False, repr=False)
class DocumentCache:
    """Owned by one document; used by one analysis at a time."""

    parse: ParseCache = field(default_factory=_new_parse_cache)
    #: What the detection rule saw in the last version (see ``detect.detect``).
    detection: Detection | None = None
    #: What the remembered results also depend on (settings, workspace state): a change
    #: forgets them all.
    context: Hashable = None
    #: One table across analyses: a hit only stamps the entry with the analysis' generation.
    #: Entries the last analysis did not use are dropped (see ``UNUSED_ENTRIES``).
    _entries: dict[Hashable, _Entry] = field(default_factory=dict)
    _generation: int = 0
    #: Entries stamped by the current analysis, and by the last one.
    _stamped: int = 0
    _stamped_before: int = 0
    _canon_previous: dict[Hashable, Hashable] = field(default_factory=dict)
    _canon_current: dict[Hashable, Hashable] = field(default_factory=dict)
    #: The entries used while carrying entries are computed, in order.
    _used: list[_Entry] = field(default_factory=list)
    _carrying: int = 0
    #: slot → (key, result) of the last analysis (see :meth:`latest`).
    _latest: dict[str, tuple[object, Any]] = field(default_factory=dict)
    #: slot → (ids, objects, generation) of a chunk of checks that reported nothing.
    _clean: dict[Hashable, tuple[tuple[int, ...], tuple[object, ...], int]] = field(
        default_factory=dict
    )
    #: (slot, start) → (ids, items, results, generation) of a chunk of :meth:`map_in_chunks`.
    _mapped: dict[Hashable, tuple[tuple[int, ...], tuple[YNode, ...], list[Any], int]] = field(
        default_factory=dict
    )
    #: (slot, start) → (ids, entry) of a chunk of :meth:`run_in_chunks`.
    _chunks: dict[Hashable, tuple[tuple[int, ...], _Entry]] = field(default_factory=dict)
    hits: int = 0
    misses: int = 0

    def begin(self, context: Hashable) -> None:
        """Start an analysis."""
        if context != self.context:
            self._entries.clear()
            self._latest.clear()
            self._clean.clear()
            self._mapped.clear()
            self._chunks.clear()
            self.context = context
        self._generation += 1
        self._stamped_before, self._stamped = self._stamped, 0
        if len(self._entries) > self._stamped_before + UNUSED_ENTRIES:
            last = self._generation - 1
            self._entries = {
                key: entry for key, entry in self._entries.items() if entry.generation >= last
            }
        if len(self._clean) > 64:
            last = self._generation - 1
            self._clean = {key: c for key, c in self._clean.items() if c[2] >= last}
        if len(self._chunks) > 256:
            last = self._generation - 1
            self._chunks = {key: c for key, c in self._chunks.items() if c[1].generation >= last}
        if len(self._mapped) > 256:
            last = self._generation - 1
            self._mapped = {key: m for key, m in self._mapped.items() if m[3] >= last}
        self._canon_previous, self._canon_current = self._canon_current, {}
        self._used = []
        self._carrying = 0
        self.hits = self.misses = 0

    def latest(self, slot: str, key: object, compute: Callable[[], T]) -> T:
        """``compute()``, a pure function of ``key`` (compared by equality), or what the last
        computation for ``slot`` returned when its key was equal."""
        found = self._latest.get(slot)
        if found is not None and found[0] == key:
            result: T = found[1]
            return result
        computed = compute()
        self._latest[slot] = (key, computed)
        return computed

    def check_in_chunks(
        self,
        ctx: CheckContext,
        slot: Hashable,
        items: Sequence[T],
        reads: Callable[[Sequence[T]], tuple[object, ...]],
        check: Callable[[T], None],
    ) -> None:
        """``check(item)`` for every item, except in the chunks of items that the last
        analysis checked without a finding and whose ``reads(chunk)`` are the very same objects.

        For long lists (a 1,000-param operation) where looking up each item's remembered
        result would cost as much as checking it. ``check`` must be a pure function of what
        ``reads`` returns for its chunk and of ``slot``; chunks that reported something are
        checked again.
        """
        generation = self._generation
        for start in range(0, len(items), CHUNK):
            chunk = items[start : start + CHUNK]
            objects = reads(chunk)
            ids = tuple(map(id, objects))
            key = (slot, start)
            found = self._clean.get(key)
            if found is not None and found[0] == ids:
                self._clean[key] = (ids, objects, generation)
                continue
            before = len(ctx.findings)
            for item in chunk:
                check(item)
            if len(ctx.findings) == before:
                self._clean[key] = (ids, objects, generation)
            else:
                self._clean.pop(key, None)

    def run_in_chunks(
        self,
        ctx: CheckContext,
        slot: Hashable,
        items: Sequence[YNode],
        check: Callable[[int, YNode], T],
        reads: Callable[[Sequence[YNode]], tuple[object, ...]] | None = None,
        replayed: Callable[[list[T]], None] | None = None,
    ) -> list[T]:
        """``[check(index, item) for index, item in enumerate(items)]`` with its findings, where
        a chunk of the very same item nodes as in the last analysis (and, with ``reads``, the
        very same objects ``reads(chunk)`` names, looked at when the chunk's turn comes)
        replays what it gave and reported then (moved along with its nodes), and is handed to
        ``replayed``. A short list is checked item by item.

        ``check`` must be a pure function of the node, its index, ``slot`` and what ``reads``
        names. The same items are the same text (an edit makes new nodes for what it changed,
        see ``chunked``), so a chunk moves as one. The entries its checks used are kept along
        with it (as :meth:`run` with ``carry``), ready for an edit inside it.
        """
        if len(items) < 2 * CHUNK:
            return [check(index, item) for index, item in enumerate(items)]
        generation = self._generation
        here = str(ctx.path) if ctx.path is not None else None
        results: list[T] = []
        table = self._chunks
        for start in range(0, len(items), CHUNK):
            chunk = tuple(items[start : start + CHUNK])
            key = (slot, start)
            found = table.get(key)
            first = chunk[0]
            line = first._sl + first._dl
            read = chunk if reads is None else (*chunk, *reads(chunk))
            if found is not None and found[0] == tuple(map(id, read)):
                entry = found[1]
                if entry.line != line:
                    delta = line - entry.line
                    entry.findings = [_moved(finding, delta) for finding in entry.findings]
                    entry.line = line
                ctx.findings.extend(entry.findings)
                self._keep(entry)
                self.hits += len(chunk)  # a remembered result per item
                results += entry.result
                if replayed is not None:
                    replayed(entry.result)
                continue
            before = len(ctx.findings)
            used = self._start(True)
            try:
                made = [check(start + offset, item) for offset, item in enumerate(chunk)]
            finally:
                inner = self._stop(True, used)
            findings = ctx.findings[before:]
            span = Span(first.span.start, chunk[-1].span.end)
            if _all_inside(findings, span, here):
                entry = _Entry(first, line, findings, made, read, generation, inner)
                table[key] = (tuple(map(id, read)), entry)
                if self._carrying:
                    self._used.append(entry)
            else:
                table.pop(key, None)
            results += made
        return results

    def map_in_chunks(
        self, slot: Hashable, items: Sequence[YNode], compute: Callable[[YNode], T]
    ) -> list[T]:
        """``[compute(item) for item in items]``, where a chunk of the very same item nodes as
        in the last analysis gives what it gave then (``compute`` must be a pure function of
        the node and of ``slot``, and report nothing). For long lists, whose items an edit
        leaves as they are but a lookup per item would cost as much as reading them."""
        generation = self._generation
        results: list[T] = []
        table = self._mapped
        for start in range(0, len(items), CHUNK):
            chunk = tuple(items[start : start + CHUNK])
            key = (slot, start)
            found = table.get(key)
            if found is not None and found[0] == tuple(map(id, chunk)):
                results += found[2]
                if found[3] != generation:
                    table[key] = (found[0], found[1], found[2], generation)
                continue
            made = [compute(item) for item in chunk]
            table[key] = (tuple(map(id, chunk)), chunk, made, generation)
            results += made
        return results

    def forget(self) -> None:
        """After a failed analysis nothing remembered can be trusted."""
        self._latest.clear()
        self._clean.clear()
        self._mapped.clear()
        self._chunks.clear()
        self.parse = _new_parse_cache()
        self._entries.clear()
        self._canon_previous.clear()
        self._canon_current.clear()

    def canonical(self, value: Hashable) -> Hashable:
        """An object equal to ``value`` that stays the same object while the value does, so
        that keys can name a large value (a template scope, say) by identity."""
        known = self._canon_current.get(value)
        if known is None:
            known = self._canon_previous.get(value, value)
            self._canon_current[known] = known
        return known

    def value(
        self,
        node: YNode,
        key: Hashable,
        compute: Callable[[], T],
        pins: tuple[object, ...] = (),
        *,
        carry: bool = False,
    ) -> T:
        """Like :meth:`run` for a computation that reports nothing."""
        memo_key = (id(node), key)
        entry = self._entries.get(memo_key)
        if entry is not None and entry.node is node:
            self._keep(entry)
            result: T = entry.result
            return result
        used = self._start(carry)
        try:
            computed = compute()
        finally:
            inner = self._stop(carry, used)
        self._store(memo_key, _Entry(node, 0, [], computed, pins, self._generation, inner))
        return computed

    def _start(self, carry: bool) -> int:
        # Keys are logged only while a carrying entry is being computed (the log is what it
        # keeps along); the usual lookup pays nothing for it.
        if carry:
            self._carrying += 1
        return len(self._used)

    def _stop(self, carry: bool, used: int) -> tuple[_Entry, ...]:
        if not carry:
            return ()
        self._carrying -= 1
        return tuple(dict.fromkeys(self._used[used:]))

    def _store(self, memo_key: Hashable, entry: _Entry) -> None:
        self._entries[memo_key] = entry
        self._stamped += 1
        if self._carrying:
            self._used.append(entry)

    def _keep(self, entry: _Entry) -> None:
        generation = self._generation
        if entry.generation != generation:
            entry.generation = generation
            self._stamped += 1
        for inner in entry.inner:
            if inner.generation != generation:
                inner.generation = generation
                self._stamped += 1
        if self._carrying:
            self._used.append(entry)
            self._used.extend(entry.inner)

    def run(
        self,
        ctx: CheckContext,
        node: YNode,
        key: Hashable,
        compute: Callable[[], T],
        keep: Callable[[T], bool] | None = None,
        pins: tuple[object, ...] = (),
        *,
        carry: bool = False,
    ) -> T:
        """``compute()`` — or its remembered result and findings, if ``node`` and ``key`` match.

        ``key`` must name everything besides ``node`` that the result depends on (by identity
        for objects that are reused across versions, which must then be in ``pins``); ``keep``
        can refuse to remember a result that turned out to depend on something else. With
        ``carry`` (for a large collection assembled from regions) the entries used inside are
        kept along with this one, ready for the next edit inside it.
        """
        memo_key = (id(node), key)
        entry = self._entries.get(memo_key)
        line = node._sl + node._dl
        if entry is not None and entry.node is node:
            self.hits += 1
            if entry.line != line:
                delta = line - entry.line
                entry.findings = [_moved(finding, delta) for finding in entry.findings]
                entry.line = line
            ctx.findings.extend(entry.findings)
            self._keep(entry)
            result: T = entry.result
            return result
        self.misses += 1
        before = len(ctx.findings)
        used = self._start(carry)
        try:
            result = compute()
        finally:
            inner = self._stop(carry, used)
        made = ctx.findings[before:]
        here = str(ctx.path) if ctx.path is not None else None
        if (keep is None or keep(result)) and _all_inside(made, node.span, here):
            self._store(memo_key, _Entry(node, line, made, result, pins, self._generation, inner))
        return result


_ACTIVE: ContextVar[DocumentCache | None] = ContextVar("param_lsp_document_cache", default=None)


@contextmanager
def active(cache: DocumentCache | None) -> Iterator[None]:
    """Make ``cache`` the one :func:`remembered` uses while a document is analysed."""
    token = _ACTIVE.set(cache)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def remembering() -> bool:
    """Whether a document's cache is active (without one, callers skip building memo keys)."""
    return _ACTIVE.get() is not None


def remembered(
    node: YNode,
    key: Hashable,
    compute: Callable[[], T],
    pins: tuple[object, ...] = (),
    *,
    carry: bool = False,
) -> T:
    """``compute()``, a pure function of ``node`` and ``key`` (no findings), remembered by the
    document being analysed, if any (readers of the model use it, deep below the checks)."""
    cache = _ACTIVE.get()
    if cache is None:
        return compute()
    return cache.value(node, key, compute, pins, carry=carry)


def latest(slot: str, key: object, compute: Callable[[], T]) -> T:
    """:meth:`DocumentCache.latest` of the document being analysed (``compute()`` without one)."""
    cache = _ACTIVE.get()
    if cache is None:
        return compute()
    return cache.latest(slot, key, compute)


def check_in_chunks(
    ctx: CheckContext,
    slot: Hashable,
    items: Sequence[T],
    reads: Callable[[Sequence[T]], tuple[object, ...]],
    check: Callable[[T], None],
) -> None:
    """:meth:`DocumentCache.check_in_chunks` with the document being analysed; without one,
    or for a short list, every item is checked."""
    cache = _ACTIVE.get()
    if cache is None or len(items) < 2 * CHUNK:
        for item in items:
            check(item)
        return
    cache.check_in_chunks(ctx, slot, items, reads, check)


def map_in_chunks(slot: Hashable, items: Sequence[YNode], compute: Callable[[YNode], T]) -> list[T]:
    """:meth:`DocumentCache.map_in_chunks` with the document being analysed; without one, or
    for a short list, every item is computed."""
    cache = _ACTIVE.get()
    if cache is None or len(items) < 2 * CHUNK:
        return [compute(item) for item in items]
    return cache.map_in_chunks(slot, items, compute)


def canonical(value: Hashable) -> Hashable:
    """:meth:`DocumentCache.canonical` of the document being analysed (``value`` without one)."""
    cache = _ACTIVE.get()
    return value if cache is None else cache.canonical(value)


def _all_inside(findings: list[Finding], span: Span, here: str | None) -> bool:
    """Whether every position of ``findings`` lies in this file, inside ``span``.

    Only those move with the node; a finding that also points elsewhere (a related location
    at a component's declaration, or in another file) is not remembered.
    """
    start, end = span
    for finding in findings:
        if any(item.path is not None and item.path != here for item in finding.related):
            return False
        spans = [finding.span, *(fix.span for fix in finding.fixes)]
        spans += [item.span for item in finding.related]
        spans += [value for value in finding.data.values() if isinstance(value, Span)]
        for inner in spans:
            if inner.start < start or inner.end > end:
                return False
    return True


def _moved(finding: Finding, delta: int) -> Finding:
    return replace(
        finding,
        span=_move(finding.span, delta),
        related=tuple(replace(item, span=_move(item.span, delta)) for item in finding.related),
        fixes=tuple(replace(fix, span=_move(fix.span, delta)) for fix in finding.fixes),
        data={
            name: _move(value, delta) if isinstance(value, Span) else value
            for name, value in finding.data.items()
        },
    )


def _move(span: Span, delta: int) -> Span:
    start, end = span
    return Span(
        Position(start.line + delta, start.character), Position(end.line + delta, end.character)
    )
