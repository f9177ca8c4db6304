"""Incremental parsing: an edit re-composes only the block items whose text it changed.

A large block collection is cut at the lines that start its items (``key:`` or ``- `` at the
collection's indentation), each item is composed on its own and remembered by its exact text,
and the collection is assembled from the items. Items an edit did not touch are reused as they
are, moved to their new line when lines were added or removed above them (``YNode._dl``), and
so are whole collections an edit did not touch. The items of a long collection are also
remembered in blocks of :data:`BLOCK` items: an edit takes the blocks it did not touch as they
are, so that it costs the block it changed rather than a lookup per item.

The assembled tree is the one ``parse_yaml`` gives for the whole text, node for node and mark
for mark (``tests/test_incremental.py`` compares them on the corpus and on random edits).
Whatever could make the two differ falls back to one whole compose: a region that does not
compose on its own, a problem or a duplicate key anywhere, document markers, directives, tabs in
indentation, anchors with aliases, a lone CR or a Unicode line break.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
from dataclasses import dataclass, field
from typing import Any

from param_lsp.core.span import common_prefix, common_suffix
from param_lsp.core.yaml_tree import (
    ParsedYaml,
    YMap,
    YNode,
    YScalar,
    YSeq,
    gc_paused,
    parse_region,
    parse_yaml,
    walk,
)

#: Regions with fewer lines are composed whole: below this, cutting costs more than it saves.
SPLIT_MIN_LINES = 48
#: Items of a collection remembered together (collections of fewer than two blocks are not
#: grouped).
BLOCK = 32

_MERGE = "tag:yaml.org,2002:merge"
#: First characters of a line that would not start a plain block entry (complex keys, flows).
_NOT_BLOCK_START = "?:{[&!*|>%@`"
_TAB_INDENT = re.compile(r"^[ ]*\t", re.M)
#: Anchors and aliases tie regions together (and a shared node cannot move with one region).
_ANCHOR_OR_ALIAS = re.compile(r"[&*]\S")
#: A key line whose value starts on the next line: `name:` with an optional comment.
_BARE_KEY = re.compile(r"[ ]*[A-Za-z_][\w.\-/]*[ ]*:[ ]*(?:#.*)?\r?")


class _Fallback(Exception):
    """The text cannot be assembled from its regions exactly: compose it whole."""


@dataclass(slots=True, eq=False, repr=False)
class _Piece:
    """A composed region: the entry or item it holds, and every node, to move them together."""

    value: Any  # an Entry (key, value) for a mapping region, a YNode for a sequence item
    nodes: list[YNode]  # its nodes (a composed region's all; see ``parts``)
    line: int  # the line the nodes' marks currently count from
    #: For a collection or a block: the regions inside it (moved and kept along with it).
    inner: list[tuple[tuple[Any, ...], _Piece]] = field(default_factory=list)
    #: Regions taken as they are when this one is (a block counts the ones it holds).
    regions: int = 1
    #: For a block of mapping entries: their keys' values (to index the mapping at once).
    index: dict[Any, tuple[YNode, YNode]] | None = None
    #: The keys of ``inner``, made when first asked for (see ``_Assembler._reusable``).
    inner_keys: frozenset[tuple[Any, ...]] | None = None
    #: For a collection or a block: the regions it is made of (``nodes`` holds only its own
    #: node), so that assembling one does not list every node below it again.
    parts: list[_Piece] = field(default_factory=list)

    def shift(self, delta: int) -> None:
        """Move every node of the region by ``delta`` lines."""
        stack = [self]
        while stack:
            piece = stack.pop()
            for node in piece.nodes:
                node._dl += delta
            stack += piece.parts


@dataclass(slots=True, eq=False, repr=False)
class LineTable:
    """Each line of a text with its indentation, whether it holds content (not blank, not a
    comment) and where it starts (``offsets`` has one more entry: the text's length + 1)."""

    text: str
    lines: list[str]
    indents: list[int]
    content: list[bool]
    offsets: list[int]
    #: Against the table it was made from: (the first line that changed, the line after the
    #: changed lines before the edit, the same line after it); None for a table made whole.
    changed: tuple[int, int, int] | None = None

    @classmethod
    def of(cls, text: str, previous: LineTable | None = None) -> LineTable:
        """The table of ``text``; only the lines that differ from ``previous`` are measured."""
        if previous is None:
            return cls._measured(text, text.split("\n"), 0)
        old = previous.text
        prefix = common_prefix(old, text)
        suffix = common_suffix(old, text, min(len(old), len(text)) - prefix)
        first = bisect.bisect_right(previous.offsets, prefix) - 1
        # Old lines that start after the common suffix starts (with their line break before
        # them in it) are unchanged, only moved.
        tail = bisect.bisect_right(previous.offsets, len(old) - suffix)
        count = len(previous.lines)
        delta = len(text) - len(old)
        start = previous.offsets[first]
        if tail < count:
            middle = text[start : previous.offsets[tail] + delta - 1].split("\n")
        else:
            middle = text[start:].split("\n")
        measured = cls._measured(text, middle, start)
        table = cls(
            text,
            previous.lines[:first] + measured.lines + previous.lines[tail:],
            previous.indents[:first] + measured.indents + previous.indents[tail:],
            previous.content[:first] + measured.content + previous.content[tail:],
            previous.offsets[:first] + measured.offsets[:-1],
        )
        if tail < count:
            moved = previous.offsets[tail:]
            table.offsets += [offset + delta for offset in moved] if delta else moved
        else:
            table.offsets.append(measured.offsets[-1])
        table.changed = (first, tail, first + len(measured.lines))
        return table

    @classmethod
    def _measured(cls, text: str, lines: list[str], start: int) -> LineTable:
        indents: list[int] = []
        content: list[bool] = []
        offsets = [start]
        offset = start
        for line in lines:
            stripped = line.lstrip(" ")
            indents.append(len(line) - len(stripped))
            # A CRLF text splits into lines ending in CR: such a line is blank.
            content.append(stripped != "" and stripped[0] not in "#\r")
            offset += len(line) + 1
            offsets.append(offset)
        return cls(text, lines, indents, content, offsets)


@dataclass(slots=True, eq=False, repr=False)
class ParseCache:
    """What one document's last parse composed, by region text; owned by one document."""

    pieces: dict[tuple[Any, ...], _Piece] = field(default_factory=dict)
    lines: LineTable | None = None
    #: (depth, first line of the region) → layout of the collections the last parse assembled.
    layouts: dict[tuple[int, int], _Layout] = field(default_factory=dict)
    composed: int = 0  # regions composed by the last parse (the rest were reused)
    reused: int = 0
    whole: bool = True  # whether the last parse composed the whole text at once

    def lines_of(self, text: str) -> list[str] | None:
        """``split_lines(text)`` when the last parse was of ``text`` and its line table holds
        those very lines (no CR, no line break of YAML's only), else None. Shared: read only."""
        table = self.lines
        if table is None or table.text is not text:
            return None
        if "\r" in text or "\x85" in text or "\u2028" in text or "\u2029" in text:
            return None
        return table.lines


@dataclass(slots=True, eq=False, repr=False)
class _Layout:
    """Where the items of an assembled collection start, and how they are grouped in blocks."""

    first: int  # its first content line
    indent: int
    is_sequence: bool
    #: The first line of each item; the collection's first line comes first (it may hold
    #: comments before the first item) and the line after its last line comes last.
    cuts: list[int]
    #: The cuts where blocks start, and the line after the collection's last line.
    bounds: list[int]

    def edited(self, parse: _Assembler, edited: int, old_tail: int, new_tail: int) -> _Layout:
        """This layout after an edit of lines [edited, old_tail) (now [edited, new_tail)),
        all after the collection's first line and before its end: only those lines are
        looked at. The blocks that hold them are grouped again, the others are kept."""
        shift = new_tail - old_tail
        cuts, bounds = self.cuts, self.bounds
        kept = bisect.bisect_left(cuts, edited)
        after = bisect.bisect_left(cuts, old_tail, kept)
        moved = cuts[after:]
        new_cuts = [
            *cuts[:kept],
            *parse._scan(edited, new_tail, self.indent, self.is_sequence),
            *([cut + shift for cut in moved] if shift else moved),
        ]
        # Blocks that end before the edit and those that start after it stay as they were.
        below = bisect.bisect_left(bounds, edited) - 1
        above = bisect.bisect_left(bounds, old_tail, below + 1)
        regroup_from = bounds[below]
        regroup_to = bounds[above] + shift
        low = bisect.bisect_left(new_cuts, regroup_from)
        high = bisect.bisect_left(new_cuts, regroup_to, low)
        new_bounds = [
            *bounds[:below],
            *new_cuts[low:high:BLOCK],
            *([bound + shift for bound in bounds[above:]] if shift else bounds[above:]),
        ]
        return _Layout(self.first, self.indent, self.is_sequence, new_cuts, new_bounds)


class _Mark:
    """A mark of an assembled collection, shaped like the composer's."""

    __slots__ = ("column", "line")

    def __init__(self, line: int, column: int) -> None:
        self.line = line
        self.column = column


#: Regions longer than this (in characters) are remembered by their lines rather than their
#: text: the collections that hold a whole document (root, `component`, `run`, `operations`)
#: would each keep a copy of it.
_DIGEST_OVER = 4096


def parse_incremental(text: str, cache: ParseCache | None) -> ParsedYaml:
    """``parse_yaml(text)``, reusing the regions ``cache`` holds from the previous version."""
    if cache is None:
        return parse_yaml(text)
    with gc_paused():
        before = cache.lines.text if cache.lines is not None else None
        may_cut = _may_cut(text) if before is None else _may_still_cut(before, text)
        if text.count("\n") >= SPLIT_MIN_LINES and may_cut:
            assembler = _Assembler(text, cache)
            try:
                return assembler.parse()
            except _Fallback:
                assembler.undo_moves()
        cache.whole = True
        cache.composed, cache.reused = 1, 0
        return parse_yaml(text)


def _may_cut(text: str) -> bool:
    """Whether nothing rules out cutting ``text`` (substring tests first: regexes are slow)."""
    if any(mark in text for mark in "\x85\u2028\u2029"):
        return False
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        return False  # a lone CR breaks a line for YAML, not for the cut (CRLF is fine)
    if text.startswith(("---", "...", "%")) or any(
        mark in text for mark in ("\n---", "\n...", "\n%")
    ):
        return False
    if "\t" in text and _TAB_INDENT.search(text):
        return False
    if "&" in text or "*" in text:
        for match in _ANCHOR_OR_ALIAS.finditer(text):
            at = match.start()
            if at == 0 or text[at - 1] in " \t\n[{,":
                return False
    return True


def _may_still_cut(before: str, text: str) -> bool:
    """:func:`_may_cut` of ``text``, an edit of ``before`` for which it held: only the lines the
    edit changed are looked at (with the line break before them and the start of the next
    line, where a document marker would begin)."""
    prefix = common_prefix(before, text)
    if prefix < 3:
        return _may_cut(text)  # the start changed: `---`, `...` or `%` may begin the text
    suffix = common_suffix(before, text, min(len(before), len(text)) - prefix)
    start = max(text.rfind("\n", 0, prefix), 0)
    end = text.find("\n", len(text) - suffix)
    region = text[start : len(text) if end < 0 else end + 4]
    if any(mark in region for mark in "\x85\u2028\u2029\r\t&*"):
        return _may_cut(text)  # rare in an edit: the whole text decides
    return not any(mark in region for mark in ("\n---", "\n...", "\n%"))


class _Assembler:
    """One incremental parse of ``text`` against what ``cache`` kept from the last one."""

    def __init__(self, text: str, cache: ParseCache) -> None:
        self.cache = cache
        self.known = cache.pieces
        self.pieces: dict[tuple[Any, ...], _Piece] = {}
        self.composed = 0
        self.reused = 0
        #: Every region this parse composed or reused, in order (a collection keeps the slice
        #: made while it was assembled, to take it along when it is reused whole).
        self.made: list[tuple[tuple[Any, ...], _Piece]] = []
        self.moves: list[tuple[_Piece, int]] = []
        table = LineTable.of(text, cache.lines)
        self.table = table
        self.lines = table.lines
        self.count = len(table.lines)
        self.text = text
        self.offsets = table.offsets
        self.indents = table.indents
        self.content = table.content
        #: Layouts of the collections this parse assembles (the next parse starts from them).
        self.layouts: dict[tuple[int, int], _Layout] = {}
        #: Keys of the remembered regions this parse found by their own key.
        self.taken: set[tuple[Any, ...]] = set()

    def parse(self) -> ParsedYaml:
        first = self._next_content(0, self.count)
        if first is None:
            raise _Fallback
        root = self._collection(0, self.count, first, depth=0).value
        cache = self.cache
        cache.pieces = self.pieces
        cache.lines = self.table
        cache.layouts = self.layouts
        cache.composed, cache.reused, cache.whole = self.composed, self.reused, False
        return ParsedYaml(root, [], [])

    # ------------------------------------------------------------ regions

    def _next_content(self, start: int, stop: int) -> int | None:
        content = self.content
        for number in range(start, stop):
            if content[number]:
                return number
        return None

    def _end_mark(self, stop: int, indent: int) -> _Mark:
        """Where a block collection at ``indent`` ending before line ``stop`` ends.

        Before another line, at that line's first token. At the end of the text, where LibYAML
        closes it: a last line without a line break that holds only spaces or a comment closes
        the collections indented deeper than its end, and the stream's end (the start of the
        next line) closes the others.
        """
        if stop < self.count:
            return _Mark(stop, self.indents[stop])
        last = self.lines[-1]
        if last == "":
            return _Mark(self.count - 1, 0)
        if not self.content[-1] and indent > len(last):
            return _Mark(self.count - 1, len(last))
        return _Mark(self.count, 0)

    def _text(self, start: int, stop: int) -> str:
        return self.text[self.offsets[start] : self.offsets[stop]]

    def _collection(self, start: int, stop: int, first: int, depth: int) -> _Piece:
        """The block collection in lines [start, stop) whose first content line is ``first``.

        Remembered whole as well: an edit elsewhere reuses it without visiting its items.
        """
        key = self._key("collection", depth, stop, self._fingerprint(start, stop))
        found = self.known.get(key)
        if found is not None and self._reusable(found):
            self._reuse(key, found, start)
            return found
        made = len(self.made)
        node, children = self._assemble(start, stop, first, depth)
        record = _Piece(node, [node], start, self.made[made:], parts=children)
        self._remember(key, record)
        return record

    def _reusable(self, record: _Piece) -> bool:
        """Whether none of the regions ``record`` holds was already taken on its own by this
        parse (the same text twice: one remembered region must not be placed at two places).

        Only regions found by their own key are compared: those taken along with another one
        are looked up again under a new key if their text comes back (see :meth:`_key`).
        """
        if not record.inner or not self.taken:
            return True
        keys = record.inner_keys
        if keys is None:
            keys = record.inner_keys = frozenset(map(_KEY, record.inner))
        return keys.isdisjoint(self.taken)

    def _layout(self, start: int, stop: int, first: int, depth: int, is_sequence: bool) -> _Layout:
        """Where the items of the collection in [start, stop) start, and its blocks.

        Found from the last parse's layout of the collection at the same place when the edit
        changed only lines after its first one: the lines the edit changed are looked at, the
        others keep (or move by as many lines as the edit added) their cuts and blocks.
        """
        indent = self.indents[first]
        before = self.cache.layouts.get((depth, start))
        changed = self.table.changed
        if (
            before is not None
            and changed is not None
            and before.first == first
            and before.indent == indent
            and before.is_sequence == is_sequence
        ):
            edited, old_tail, new_tail = changed
            shift = new_tail - old_tail
            old_stop = before.cuts[-1]
            if first < edited and old_tail <= old_stop and old_stop + shift == stop:
                return before.edited(self, edited, old_tail, new_tail)
        cuts = [start, *self._scan(first + 1, stop, indent, is_sequence), stop]
        return _Layout(first, indent, is_sequence, cuts, [*cuts[:-1:BLOCK], stop])

    def _scan(self, begin: int, end: int, indent: int, is_sequence: bool) -> list[int]:
        """The lines in [begin, end) that start an item of a collection at ``indent``."""
        lines, indents, content = self.lines, self.indents, self.content
        cuts = []
        for number in range(begin, end):
            if not content[number]:
                continue
            column = indents[number]
            if column < indent:
                raise _Fallback
            if column > indent:
                continue
            line = lines[number]
            if _starts_item(line, indent):
                if is_sequence:
                    cuts.append(number)
            elif is_sequence or line[indent] in _NOT_BLOCK_START:
                raise _Fallback
            else:
                cuts.append(number)
        return cuts

    def _assemble(
        self, start: int, stop: int, first: int, depth: int
    ) -> tuple[YNode, list[_Piece]]:
        indent = self.indents[first]
        lines = self.lines
        if lines[first][indent] in _NOT_BLOCK_START:
            raise _Fallback
        is_sequence = _starts_item(lines[first], indent)
        layout = self._layout(start, stop, first, depth, is_sequence)
        self.layouts[(depth, start)] = layout
        cuts = layout.cuts
        # A block collection starts at its first key or dash and ends at the next token; its
        # marks count from the region's first line, like a composed region's.
        start_mark = _Mark(first - start, indent)
        end_mark = self._end_mark(stop, indent)
        end_mark.line -= start
        if len(cuts) <= 2 * BLOCK:
            children, values = self._items(list(itertools.pairwise(cuts)), depth, is_sequence)
            if is_sequence:
                sequence = YSeq(values, start_mark, end_mark)
                sequence._dl = start
                return sequence, children
            mapping = YMap(values, start_mark, end_mark)
            mapping.index = _index_of(values)
            mapping._dl = start
            return mapping, children
        blocks = []
        at = 0
        for begin, end in itertools.pairwise(layout.bounds):
            at = bisect.bisect_left(cuts, begin, at)
            until = bisect.bisect_left(cuts, end, at)
            blocks.append(self._block(cuts[at : until + 1], depth, is_sequence))
            at = until
        if is_sequence:
            sequence = YSeq(
                [item for block in blocks for item in block.value], start_mark, end_mark
            )
            sequence._dl = start
            return sequence, blocks
        mapping = YMap([entry for block in blocks for entry in block.value], start_mark, end_mark)
        mapping._dl = start
        index = mapping.index
        for block in blocks:
            assert block.index is not None
            if not index.keys().isdisjoint(block.index):
                raise _Fallback  # duplicates are reported by the whole compose
            index.update(block.index)
        return mapping, blocks

    def _items(
        self, spans: list[tuple[int, int]], depth: int, is_sequence: bool
    ) -> tuple[list[_Piece], list[Any]]:
        """The regions of the items in ``spans``, and the items (nodes or entries)."""
        children: list[_Piece] = []
        values: list[Any] = []
        if is_sequence:
            for a, b in spans:
                child = self._piece(a, b, depth, "item")
                children.append(child)
                values.append(child.value)
            return children, values
        for a, b in spans:
            entry, parts = self._entry(a, b, depth)
            values.append(entry)
            children += parts
        return children, values

    def _block(self, cuts: list[int], depth: int, is_sequence: bool) -> _Piece:
        """The items that start at ``cuts`` (up to its last line), remembered together."""
        start, stop = cuts[0], cuts[-1]
        kind = "items" if is_sequence else "entries"
        key = self._key(kind, depth, stop, self._fingerprint(start, stop))
        found = self.known.get(key)
        if found is not None and self._reusable(found):
            self._reuse(key, found, start)
            return found
        made = len(self.made)
        children, values = self._items(list(itertools.pairwise(cuts)), depth, is_sequence)
        record = _Piece(values, [], start, self.made[made:], parts=children)
        record.regions = sum(child.regions for child in children)
        if not is_sequence:
            record.index = _index_of(values)
        self._remember(key, record)
        return record

    def _fingerprint(self, start: int, stop: int) -> object:
        """The text of lines [start, stop), or for a long one its lines (the very strings the
        line table keeps, so a region is never copied and compares by identity)."""
        offsets = self.offsets
        if offsets[stop] - offsets[start] <= _DIGEST_OVER:
            return self.text[offsets[start] : offsets[stop]]
        return ("lines", tuple(self.lines[start:stop]))

    def _entry(self, start: int, stop: int, depth: int) -> tuple[tuple[YNode, YNode], list[_Piece]]:
        if stop - start >= SPLIT_MIN_LINES:
            key_line = self._next_content(start, stop)
            assert key_line is not None
            if _BARE_KEY.fullmatch(self.lines[key_line]):
                first = self._next_content(key_line + 1, stop)
                if first is not None and (
                    self.indents[first] > self.indents[key_line]
                    or (
                        self.indents[first] == self.indents[key_line]
                        and _starts_item(self.lines[first], self.indents[first])
                    )
                ):
                    key = self._piece(start, key_line + 1, depth, "key")
                    value = self._collection(key_line + 1, stop, first, depth + 1)
                    return (key.value[0], value.value), [key, value]
        piece = self._piece(start, stop, depth, "entry")
        return piece.value, [piece]

    def _key(self, kind: str, depth: int, stop: int, text: object) -> tuple[Any, ...]:
        follows = self.indents[stop] if stop < self.count else -1
        base: tuple[Any, ...] = (kind, depth, follows, text)
        key = base
        repeat = 0
        while key in self.pieces:  # the same text twice in one document
            repeat += 1
            key = (*base, repeat)
        return key

    def _piece(self, start: int, stop: int, depth: int, kind: str) -> _Piece:
        text = self._text(start, stop)
        key = self._key(kind, depth, stop, text)
        piece = self.known.get(key)
        if piece is None:
            piece = self._compose(text, start, stop, depth, kind)
            self.composed += 1
            self._remember(key, piece)
        else:
            self._reuse(key, piece, start)
        return piece

    def _remember(self, key: tuple[Any, ...], record: _Piece) -> None:
        self.pieces[key] = record
        self.made.append((key, record))

    def _reuse(self, key: tuple[Any, ...], record: _Piece, start: int) -> None:
        """Take a remembered region (and what it holds) into this parse, at line ``start``."""
        self.reused += record.regions
        self.taken.add(key)
        delta = start - record.line
        if delta:
            self.moves.append((record, delta))
            record.shift(delta)
            record.line = start
            for _key, inner in record.inner:
                inner.line += delta
        self._remember(key, record)
        if record.inner:
            self.pieces.update(record.inner)
            self.made += record.inner

    def undo_moves(self) -> None:
        """Put reused regions back where they were (the text is composed whole instead)."""
        for record, delta in reversed(self.moves):
            record.shift(-delta)
            record.line -= delta
            for _key, inner in record.inner:
                inner.line -= delta
        self.moves.clear()

    def _compose(self, text: str, start: int, stop: int, depth: int, kind: str) -> _Piece:
        parsed = parse_region(text, depth)
        root = parsed.root
        if parsed.problems or parsed.duplicates or root is None:
            raise _Fallback
        nodes = list(walk(root))
        # A block collection that runs to the end of the region ends, in the whole text, at
        # the next token (same line, that token's column); alone it ends at the stream end.
        if stop < self.count:
            relative_end = (stop - start, 0)
            column = self.indents[stop]
            for node in nodes:
                if (
                    node.__class__ is not YScalar
                    and (node._el, node._ec) == relative_end
                    and column
                ):
                    node._ec = column
        for node in nodes:
            node._dl = start
        value: Any
        if kind == "item":
            if not isinstance(root, YSeq) or len(root.items) != 1:
                raise _Fallback
            value = root.items[0]
        else:
            if not isinstance(root, YMap) or len(root.pairs) != 1 or len(root.index) != 1:
                raise _Fallback
            value = root.pairs[0]
        return _Piece(value, nodes, start)


def _index_of(entries: list[tuple[YNode, YNode]]) -> dict[Any, tuple[YNode, YNode]]:
    """A mapping's index of its entries (what ``safe_load`` keeps); anything the whole compose
    would treat otherwise (a merge, a key that is no scalar, a duplicate) falls back to it."""
    index: dict[Any, tuple[YNode, YNode]] = {}
    for key, value in entries:
        if not isinstance(key, YScalar) or key.tag == _MERGE:
            raise _Fallback
        try:
            if key.value in index:
                raise _Fallback  # duplicates are reported by the whole compose
        except TypeError:
            raise _Fallback from None
        index[key.value] = (key, value)
    return index


_KEY = operator.itemgetter(0)


def _starts_item(line: str, indent: int) -> bool:
    return line.startswith("-", indent) and (len(line) == indent + 1 or line[indent + 1] in " \r")
