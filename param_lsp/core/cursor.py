"""Position → place in the document: the one lookup every editor feature starts from.

:func:`cursor_at` answers, for a position, which node the cursor is on and where that node sits:
its key path through block *and* flow collections, whether the cursor is on a key, on a value,
on a sequence item or on an empty slot where a key or item would be typed, the scalar's text
and span, the token of a dotted value under the cursor (`ops.|train`), and the sibling keys of
the enclosing mapping (`ref` next to `value`).

Block structure is read from the text (indentation and `key:` / `- ` markers, see
:mod:`param_lsp.core.locate`), so the lookup works on the line being typed and below a syntax
error; a flow collection on the cursor's line (`lr: {value: 0.1}`, `- {name: x, type: fl}`,
`dependencies: [a, b]`) is composed on its own, its unclosed brackets and quotes closed first,
and walked like any tree. Nothing here runs on the keystroke path: only requests call it.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

from param_lsp.core.locate import PathStep, block_keys, split_line, yaml_path_at
from param_lsp.core.span import Position, Span
from param_lsp.core.yaml_tree import YMap, YNode, YScalar, YSeq, parse_region, walk

#: key: on a mapping key; value: on a mapping value; item: on a sequence item (a scalar);
#: slot: where a new key (mapping) or item (sequence) would be typed.
Role = Literal["key", "value", "item", "slot"]


@dataclass(frozen=True, slots=True)
class Token:
    """One dotted segment of a scalar (`train` in `ops.train`)."""

    name: str
    span: Span
    index: int


class Siblings(Mapping[str, str]):
    """The keys of the mapping around the cursor and their values, read from the text when
    first asked (block style) or given (flow style)."""

    __slots__ = ("_column", "_drop", "_keys", "_line", "_lines", "_values")

    def __init__(
        self,
        values: dict[str, str] | None = None,
        *,
        lines: list[str] | None = None,
        line: int = 0,
        column: int = 0,
        drop: str | None = None,
    ) -> None:
        self._values: dict[str, str] = dict(values or {})
        self._lines = lines
        self._line = line
        self._column = column
        self._drop = drop
        self._keys: dict[str, int] | None = None

    def _key_lines(self) -> dict[str, int]:
        if self._keys is None:
            assert self._lines is not None
            keys = block_keys(self._lines, self._line, self._column)
            if self._drop is not None:
                keys.pop(self._drop, None)
            self._keys = keys
        return self._keys

    def __getitem__(self, key: str) -> str:
        if self._lines is None or key in self._values:
            return self._values[key]
        number = self._key_lines()[key]
        text = self._lines[number]
        part = split_line(text)
        value = "" if part.value_start is None else _plain_value(text, part.value_start)
        self._values[key] = value
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._values if self._lines is None else self._key_lines())

    def __len__(self) -> int:
        return len(self._values if self._lines is None else self._key_lines())

    def __contains__(self, key: object) -> bool:
        if self._lines is None:
            return key in self._values
        return key in self._key_lines()


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where a position is. ``steps`` is the path of the node under the cursor: for a key or a
    value it ends with the key, for a sequence item with its index, for a slot it is the path of
    the collection the slot belongs to."""

    line: int
    column: int
    role: Role
    steps: tuple[PathStep, ...]
    #: The key (role key) or the key owning the value (role value); None otherwise.
    key: str | None = None
    key_span: Span | None = None
    #: The scalar's text as written (without quotes) and its span (role key, value, item);
    #: for a slot, the word typed so far.
    text: str = ""
    span: Span | None = None
    #: Keys of the enclosing mapping → their scalar value text ("" for collections, None-valued
    #: keys and unknown values); for role key/slot the keys already present. Read lazily: a
    #: mapping of thousands of params costs nothing until a feature asks.
    siblings: Siblings = field(default_factory=lambda: Siblings())
    #: True when the node sits in a flow collection (`{…}` / `[…]`).
    flow: bool = False
    #: For a slot: the kind of collection (`map` or `seq`).
    container: Literal["map", "seq"] | None = None

    @property
    def parent_steps(self) -> tuple[PathStep, ...]:
        """The path of the collection holding the node."""
        return self.steps if self.role == "slot" else self.steps[:-1]

    @property
    def prefix_span(self) -> Span:
        """From the start of the scalar (or word) to the cursor: what completion replaces."""
        if self.span is not None and self.span.start.line == self.line:
            start = min(self.span.start.character, self.column)
            return Span.of(self.line, start, self.line, self.column)
        return Span.of(self.line, self.column, self.line, self.column)

    def tokens(self) -> list[Token]:
        """The scalar's dotted segments with their spans (single-line scalars)."""
        if self.span is None or self.span.start.line != self.span.end.line:
            return []
        found: list[Token] = []
        offset = self.span.start.character
        cursor = 0
        for index, part in enumerate(self.text.split(".")):
            stripped = part.strip()
            begin = offset + cursor + (len(part) - len(part.lstrip()))
            found.append(
                Token(stripped, Span.of(self.line, begin, self.line, begin + len(stripped)), index)
            )
            cursor += len(part) + 1
        return found

    def token(self) -> Token | None:
        """The dotted segment under the cursor."""
        pos = Position(self.line, self.column)
        return next((t for t in self.tokens() if t.span.contains(pos)), None)


# ---------------------------------------------------------------- flow fragments


def _closed(fragment: str) -> str:
    """The fragment with a comment cut and unclosed quotes and brackets closed."""
    stack: list[str] = []
    quote: str | None = None
    i = 0
    end = len(fragment)
    while i < len(fragment):
        char = fragment[i]
        if quote is not None:
            if char == quote:
                if quote == "'" and fragment[i + 1 : i + 2] == "'":
                    i += 2
                    continue
                quote = None
            elif char == "\\" and quote == '"':
                i += 1
        elif char in "'\"" and (i == 0 or fragment[i - 1] in " \t{[,:"):
            quote = char
        elif char == "#" and (i == 0 or fragment[i - 1] in " \t"):
            end = i
            break
        elif char in "{[":
            stack.append("}" if char == "{" else "]")
        elif char in "}]":
            if stack:
                stack.pop()
            if not stack:
                end = i + 1
                break
        i += 1
    text = fragment[:end].rstrip() if end < len(fragment) else fragment.rstrip()
    if quote is not None:
        text += quote
    return text + "".join(reversed(stack))


def _compose_flow(line_text: str, line: int, start: int) -> YNode | None:
    closed = _closed(line_text[start:])
    parsed = parse_region(" " * start + closed, 0)  # a few nodes: no collector pause
    root = parsed.root
    if not isinstance(root, (YMap, YSeq)):
        return None
    for node in walk(root):
        node._dl = line  # composed as line 0
    return root


def _scalar_text(node: YNode | None) -> str:
    if isinstance(node, YScalar):
        return node.text if isinstance(node.text, str) else str(node.value)
    return ""


def _content_span(node: YScalar) -> Span:
    span = node.span
    if node.style in ("'", '"') and span.start.line == span.end.line:
        return Span.of(
            span.start.line, span.start.character + 1, span.end.line, span.end.character - 1
        )
    return span


def _walk(
    node: YNode, steps: tuple[PathStep, ...], line: int, column: int, line_text: str
) -> Cursor:
    """The cursor inside a (single-line) flow collection ``node`` at ``steps``."""
    pos = Position(line, column)
    if isinstance(node, YMap):
        siblings = Siblings(
            {str(k.value): _scalar_text(v) for k, v in node.pairs if isinstance(k, YScalar)}
        )
        previous: tuple[YNode, YNode] | None = None
        for key, value in node.pairs:
            if key.start <= pos <= key.end and isinstance(key, YScalar) and key.text:
                name = str(key.value)
                return Cursor(
                    line,
                    column,
                    "key",
                    (*steps, name),
                    name,
                    _content_span(key),
                    key.text,
                    _content_span(key),
                    siblings,
                    True,
                )
            if key.start > pos:
                break
            previous = (key, value)
        if previous is not None:
            key, value = previous
            name = str(key.value) if isinstance(key, YScalar) else ""
            if isinstance(value, (YMap, YSeq)) and value.start <= pos <= value.end:
                return _walk(value, (*steps, name), line, column, line_text)
            # Between this entry's key and the next one: its value, unless a `,` came first.
            gap_start = key.end.character if key.end.line == line else 0
            if isinstance(value, YScalar) and value.text and value.start <= pos <= value.end:
                return Cursor(
                    line,
                    column,
                    "value",
                    (*steps, name),
                    name,
                    _content_span(key) if isinstance(key, YScalar) else None,
                    value.text,
                    _content_span(value),
                    siblings,
                    True,
                )
            gap = line_text[gap_start:column]
            if "," not in gap and ":" in gap:
                return Cursor(
                    line,
                    column,
                    "value",
                    (*steps, name),
                    name,
                    _content_span(key) if isinstance(key, YScalar) else None,
                    "",
                    Span.of(line, column, line, column),
                    siblings,
                    True,
                )
        word = _word_before(line_text, column)
        return _slot(line, column, steps, word, siblings, True, "map")
    if isinstance(node, YSeq):
        for n, item in enumerate(node.items):
            if item.start <= pos <= item.end and not (
                isinstance(item, YScalar) and not item.text and item.start != pos
            ):
                if isinstance(item, (YMap, YSeq)):
                    return _walk(item, (*steps, n), line, column, line_text)
                assert isinstance(item, YScalar)
                return Cursor(
                    line,
                    column,
                    "item",
                    (*steps, n),
                    None,
                    None,
                    item.text,
                    _content_span(item),
                    Siblings(),
                    True,
                )
        present = {item.text: "" for item in node.items if isinstance(item, YScalar) and item.text}
        return _slot(line, column, steps, "", Siblings(present), True, "seq")
    # A scalar root cannot happen (callers only compose `{`/`[` fragments).
    return Cursor(line, column, "slot", steps)


def _slot(
    line: int,
    column: int,
    steps: tuple[PathStep, ...],
    word: str,
    siblings: Siblings,
    flow: bool,
    container: Literal["map", "seq"],
) -> Cursor:
    """A slot where a new key or item goes, ``word`` typed so far just before the cursor."""
    span = Span.of(line, column - len(word), line, column)
    return Cursor(line, column, "slot", steps, None, None, word, span, siblings, flow, container)


def _word_before(line_text: str, column: int) -> str:
    start = column
    while start > 0 and (line_text[start - 1].isalnum() or line_text[start - 1] in "_-."):
        start -= 1
    return line_text[start:column]


# ---------------------------------------------------------------- block lines


def _block_siblings(lines: list[str], line: int, column: int, drop: str | None = None) -> Siblings:
    return Siblings(lines=lines, line=line, column=column, drop=drop)


def _plain_value(line_text: str, start: int) -> str:
    raw = line_text[start:]
    comment = raw.find(" #")
    if comment >= 0:
        raw = raw[:comment]
    raw = raw.strip()
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
        raw = raw[1:-1]
    return raw


def _value_span(line_text: str, line: int, start: int) -> tuple[str, Span]:
    raw_end = len(line_text)
    comment = line_text.find(" #", start)
    if comment >= 0:
        raw_end = comment
    raw = line_text[start:raw_end].rstrip()
    begin, end = start, start + len(raw)
    if len(raw) >= 1 and raw[0] in "'\"":
        begin += 1
        if len(raw) >= 2 and raw[-1] == raw[0]:
            end -= 1
    return line_text[begin:end], Span.of(line, begin, line, max(begin, end))


def _same_lines(old: list[str], new: list[str]) -> bool:
    """The same lines, but for a separating comma added or removed at their ends (typing the
    next entry of a flow collection starts with one)."""
    return len(old) == len(new) and all(
        a == b or a.rstrip().rstrip(",") == b.rstrip().rstrip(",")
        for a, b in zip(old, new, strict=True)
    )


def _typed_line(
    node: YNode, steps: tuple[PathStep, ...], line: int, column: int, text: str
) -> Cursor | None:
    """The cursor on a line being typed inside the flow collection ``node`` of the last good
    tree: the line is composed on its own as entries of that collection."""
    indent = len(text) - len(text.lstrip(" "))
    if indent == 0 or not text.strip():
        if text.strip():
            return None
        # A blank line: a new entry of the collection.
        others = _other_entries(node, line)
        container: Literal["map", "seq"] = "map" if isinstance(node, YMap) else "seq"
        return _slot(line, column, steps, "", Siblings(others), True, container)
    opener = "{" if isinstance(node, YMap) else "["
    synthetic = text[: indent - 1] + opener + text[indent:]
    fragment = _compose_flow(synthetic, line, indent - 1)
    if fragment is None:
        return None
    found = _walk(fragment, steps, line, column, synthetic)
    depth = len(steps)
    index = found.steps[depth] if len(found.steps) > depth else None
    if isinstance(node, YSeq) and isinstance(index, int):
        earlier = sum(1 for item in node.items if item.end.line < line)
        found = _with_steps(found, (*steps, index + earlier, *found.steps[depth + 1 :]))
    if found.parent_steps == steps:
        merged = {**_other_entries(node, line), **dict(found.siblings)}
        found = _with_siblings(found, Siblings(merged))
    return found


def _other_entries(node: YNode, line: int) -> dict[str, str]:
    """Keys (mapping) or scalar items (sequence) of ``node`` written on other lines."""
    if isinstance(node, YMap):
        return {
            str(key.value): _scalar_text(value)
            for key, value in node.pairs
            if isinstance(key, YScalar) and key.start.line != line
        }
    if isinstance(node, YSeq):
        return {
            item.text: ""
            for item in node.items
            if isinstance(item, YScalar) and item.text and item.start.line != line
        }
    return {}


def _with_steps(found: Cursor, steps: tuple[PathStep, ...]) -> Cursor:
    return Cursor(
        found.line, found.column, found.role, steps, found.key, found.key_span, found.text,
        found.span, found.siblings, found.flow, found.container,
    )  # fmt: skip


def _with_siblings(found: Cursor, siblings: Siblings) -> Cursor:
    return Cursor(
        found.line, found.column, found.role, found.steps, found.key, found.key_span, found.text,
        found.span, siblings, found.flow, found.container,
    )  # fmt: skip


def _within(node: YNode, pos: Position, slack: int) -> bool:
    """``node`` holds ``pos``; with ``slack`` lines inserted since the tree was made, also a
    position below its end by at most that many lines."""
    return node.start <= pos and (pos <= node.end or pos.line <= node.end.line + slack)


def _open_flow(
    root: YNode, lines: list[str], pos: Position, slack: int = 0
) -> tuple[YNode, tuple[PathStep, ...]] | None:
    """The flow collection of ``root`` that holds ``pos`` and began on an earlier line."""
    node, steps = root, ()  # type: tuple[YNode, tuple[PathStep, ...]]
    while isinstance(node, (YMap, YSeq)):
        start = node.start
        if start.line < pos.line and lines[start.line][start.character : start.character + 1] in (
            "{",
            "[",
        ):
            return node, steps
        inner: tuple[YNode, PathStep] | None = None
        # Entries are in document order: a binary search, not a scan (params by the thousand).
        if isinstance(node, YMap):
            at = bisect.bisect_right(node.pairs, pos, key=lambda pair: pair[0].start) - 1
            if at >= 0:
                key, value = node.pairs[at]
                if _within(value, pos, slack) and isinstance(key, YScalar):
                    inner = (value, str(key.value))
        else:
            at = bisect.bisect_right(node.items, pos, key=lambda item: item.start) - 1
            if at >= 0 and _within(node.items[at], pos, slack):
                inner = (node.items[at], at)
        if inner is None:
            return None
        node, steps = inner[0], (*steps, inner[1])
    return None


def cursor_at(
    lines: list[str],
    pos: Position,
    tree: YNode | None = None,
    *,
    analysed_lines: Callable[[], list[str]] | None = None,
    inserted: int = 0,
) -> Cursor | None:
    """Where ``pos`` is (see the module doc); None outside the document.

    ``tree`` lets a flow collection written over several lines be found. When it describes
    ``lines`` as they are (``analysed_lines`` None), the collection is walked in it. When it is
    the last good tree of an earlier text (``analysed_lines`` gives that text's lines), it is used
    only if the lines from the collection's start to the cursor's are unchanged, and the
    cursor's own line is composed as entries of that collection; ``inserted`` is how many
    lines the current text has more than that one.
    """
    if not 0 <= pos.line < len(lines):
        return None
    line = pos.line
    text = lines[line]
    column = max(0, min(pos.character, len(text)))
    if tree is not None:
        slack = max(inserted, 0) if analysed_lines is not None else 0
        found = _open_flow(tree, lines, Position(line, column), slack)
        if found is not None:
            node, steps = found
            if analysed_lines is None:
                return _walk(node, steps, line, column, text)
            start = node.start.line
            if _same_lines(analysed_lines()[start:line], lines[start:line]):
                typed = _typed_line(node, steps, line, column, text)
                if typed is not None:
                    return typed
    part = split_line(text)
    # A flow collection written as a key's value or as a list item on this line.
    flow_start: int | None = None
    if part.key is not None and part.value_start is not None:
        if (
            text[part.value_start : part.value_start + 1] in ("{", "[")
            and column > part.value_start
        ):
            flow_start = part.value_start
    elif text[part.content_start : part.content_start + 1] in ("{", "[") and (
        column > part.content_start
    ):
        flow_start = part.content_start
    if flow_start is not None:
        steps = yaml_path_at(lines, line, flow_start).steps
        root = _compose_flow(text, line, flow_start)
        if root is not None:
            return _walk(root, steps, line, column, text)
    if part.key is not None and part.key_start <= column <= part.key_end:
        steps = yaml_path_at(lines, line, part.key_start).steps
        key_span = Span.of(line, part.key_start, line, part.key_end)
        return Cursor(
            line,
            column,
            "key",
            (*steps, part.key),
            part.key,
            key_span,
            part.key,
            key_span,
            _block_siblings(lines, line, part.key_start),
        )
    if part.key is not None and part.value_start is not None and column > part.key_end:
        steps = yaml_path_at(lines, line, part.key_start).steps
        value, span = _value_span(text, line, part.value_start)
        if column < part.value_start:
            value, span = "", Span.of(line, column, line, column)
        return Cursor(
            line,
            column,
            "value",
            (*steps, part.key),
            part.key,
            Span.of(line, part.key_start, line, part.key_end),
            value,
            span,
            _block_siblings(lines, line, part.key_start),
        )
    # No `key:` at the cursor: a list item's scalar, or a word typed where a key would go.
    blank = not text.strip()
    content = column if blank else part.content_start
    steps = yaml_path_at(lines, line, content).steps
    if part.dashes and column >= part.content_start:
        value, span = _value_span(text, line, part.content_start)
        siblings = _block_siblings(lines, line, part.content_start)
        return Cursor(line, column, "item", steps, None, None, value, span, siblings, False, None)
    word = text[content:column].strip() if not blank else ""
    siblings = _block_siblings(lines, line, content, part.key)
    return _slot(line, column, steps, word, siblings, False, "map")
