"""Position → place in the document, shared by every editor feature.

Two views are offered. :func:`yaml_path_at` reads only the text (indentation and `key:` / `- `
markers), so it also works on a line being typed and below a syntax error. :func:`node_at` walks
a parsed tree to the deepest node under a position. :func:`resolve_path` maps a text path onto a
tree, so a path found on broken text can be looked up in the last good tree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from param_lsp.core.span import Position
from param_lsp.core.yaml_tree import YMap, YNode, YScalar, YSeq

#: One path step: a mapping key, or the index of a sequence item.
PathStep = str | int

_KEY_RE = re.compile(
    r"""(?P<key>"[^"]*"|'[^']*'|[^\s#'"{\[&*!|>%@`-][^:#]*?|-[^\s:#][^:#]*?)[ \t]*:(?:[ \t]|$)"""
)
_DASH_RE = re.compile(r"-(?:[ \t]+|$)")


@dataclass(frozen=True, slots=True)
class LinePart:
    """What one line holds: its list dashes, its key (if any) and where its content starts."""

    indent: int
    dashes: tuple[int, ...]
    key: str | None
    key_start: int
    key_end: int
    content_start: int
    value_start: int | None


#: A plain `key:` (what most lines at a block's column are), parsed without :func:`split_line`.
_PLAIN_KEY_RE = re.compile(r"([A-Za-z0-9_][\w.\-/]*)[ ]*:(?:[ ]|$)")
_NOT_PLAIN_KEY_START = frozenset("-'\"#?:{[&*!|>%@` \t")


def split_line(line: str) -> LinePart:
    """Parse one block-style line: `  - - key: value` → dashes at 2 and 4, key at 6."""
    indent = len(line) - len(line.lstrip(" "))
    pos = indent
    dashes: list[int] = []
    while True:
        match = _DASH_RE.match(line, pos)
        if match is None:
            break
        dashes.append(pos)
        pos = match.end()
    key_match = _KEY_RE.match(line, pos)
    if key_match is None:
        return LinePart(indent, tuple(dashes), None, pos, pos, pos, None)
    raw = key_match.group("key")
    key = raw[1:-1] if raw[:1] in "'\"" and len(raw) >= 2 else raw.strip()
    value_start = key_match.end()
    while value_start < len(line) and line[value_start] in " \t":
        value_start += 1
    return LinePart(indent, tuple(dashes), key, pos, pos + len(raw), pos, value_start)


def _is_blank(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


@dataclass(frozen=True, slots=True)
class TextPath:
    """The block path of a line: keys and item indexes of its enclosing collections."""

    steps: tuple[PathStep, ...]
    #: The column where the content of the line starts (where a key typed there begins).
    column: int


def _entries(part: LinePart) -> list[tuple[int, str | None]]:
    """Nested openers on a line, left to right: (column, key) with key None for a list item."""
    found: list[tuple[int, str | None]] = [(dash, None) for dash in part.dashes]
    if part.key is not None:
        found.append((part.key_start, part.key))
    return found


class _PathBuilder:
    def __init__(self) -> None:
        self.steps: list[PathStep] = []  # innermost first
        self.item_column: int | None = None
        self.item_count = 0

    def close_item(self) -> None:
        if self.item_column is not None:
            self.steps.append(self.item_count)
            self.item_column = None

    def enclose(self, entries: list[tuple[int, str | None]]) -> None:
        for column, key in reversed(entries):
            self.close_item()
            if key is None:
                self.item_column = column
                self.item_count = 0
            else:
                self.steps.append(key)


def yaml_path_at(lines: list[str], line: int, column: int | None = None) -> TextPath:
    """The enclosing block path of content at ``column`` on ``line``.

    ``column`` defaults to where the line's content starts (the cursor column on a blank line
    should be passed explicitly). Only indentation and `key:` / `- ` markers are read, so the
    result is available on half-typed and syntactically broken documents.
    """
    builder = _PathBuilder()
    if 0 <= line < len(lines):
        part = split_line(lines[line])
        if column is None:
            column = part.content_start
        builder.enclose([entry for entry in _entries(part) if entry[0] < column])
        own = _entries(part)
        threshold = min([column, *(entry[0] for entry in own if entry[0] < column)])
    else:
        column = column or 0
        threshold = column
    for current in range(min(line, len(lines)) - 1, -1, -1):
        text = lines[current]
        # Cheap pre-check: a line indented at or past the threshold can only matter as an
        # earlier item of the sequence being counted (this keeps long documents fast).
        indent = len(text) - len(text.lstrip(" "))
        if indent >= threshold and indent != builder.item_column:
            continue
        if indent == builder.item_column and text[indent : indent + 2] in ("- ", "-\t", "-"):
            builder.item_count += 1  # an earlier item of the same sequence
            continue
        if _is_blank(text):
            continue
        part = split_line(text)
        entries = _entries(part)
        if not entries:
            first = part.content_start
            if first < threshold:
                break  # a plain scalar line left of us: not block structure we understand
            continue
        first = entries[0][0]
        if builder.item_column is not None and first == builder.item_column:
            if entries[0][1] is None:
                builder.item_count += 1  # an earlier item of the same sequence
                continue
            if part.value_start is None or part.value_start >= len(text.rstrip()):
                # `key:` owning a sequence written at the key's own column.
                builder.enclose([entries[0]])
                threshold = first
                continue
        if first >= threshold:
            continue
        builder.enclose([entry for entry in entries if entry[0] < threshold])
        threshold = first
        if threshold == 0 and builder.item_column is None:
            break
    builder.close_item()
    return TextPath(tuple(reversed(builder.steps)), column)


def resolve_path(root: YNode | None, steps: tuple[PathStep, ...]) -> YNode | None:
    """Follow ``steps`` from ``root``; None when the tree has no such place."""
    node = root
    for step in steps:
        if isinstance(step, int):
            if not isinstance(node, YSeq) or step >= len(node.items):
                return None
            node = node.items[step]
        else:
            if not isinstance(node, YMap):
                return None
            node = node.get(step)
        if node is None:
            return None
    return node


@dataclass(frozen=True, slots=True)
class NodeHit:
    """The deepest node under a position, with its path and whether it is a mapping key."""

    node: YNode
    steps: tuple[PathStep, ...]
    is_key: bool
    parent: YNode | None


def node_at(root: YNode | None, pos: Position) -> NodeHit | None:
    if root is None or not _within(root, pos):
        return None
    steps: list[PathStep] = []
    node: YNode = root
    parent: YNode | None = None
    while True:
        if isinstance(node, YMap):
            for key, value in node.pairs:
                if _within(key, pos):
                    key_name = key.value if isinstance(key, YScalar) else None
                    return NodeHit(
                        key,
                        (*steps, key_name) if isinstance(key_name, str) else tuple(steps),
                        True,
                        node,
                    )
                if _within(value, pos) and not _empty_at(value, pos):
                    if isinstance(key, YScalar) and isinstance(key.value, str):
                        steps.append(key.value)
                    parent = node
                    node = value
                    break
            else:
                return NodeHit(node, tuple(steps), False, parent)
        elif isinstance(node, YSeq):
            for index, item in enumerate(node.items):
                if _within(item, pos):
                    steps.append(index)
                    parent = node
                    node = item
                    break
            else:
                return NodeHit(node, tuple(steps), False, parent)
        else:
            return NodeHit(node, tuple(steps), False, parent)


def _within(node: YNode, pos: Position) -> bool:
    return node.start <= pos <= node.end


def _empty_at(node: YNode, pos: Position) -> bool:
    # An implicit null value spans zero characters at the end of its key line.
    return isinstance(node, YScalar) and node.start == node.end and node.start != pos


def block_keys(lines: list[str], line: int, column: int) -> dict[str, int]:
    """Keys written at ``column`` in the block mapping around ``line`` → their line numbers."""
    keys: dict[str, int] = {}

    def first_column(part: LinePart) -> int:
        return part.dashes[0] if part.dashes else part.content_start

    start_opens_item = False
    if 0 <= line < len(lines) and not _is_blank(lines[line]):
        start_opens_item = first_column(split_line(lines[line])) < column
    # Downwards from the line itself: stop at anything left of the column.
    for current in range(max(line, 0), len(lines)):
        text = lines[current]
        if current != line:
            # Lines indented deeper than the column hold neither its keys nor its end: skip
            # them without parsing (most lines of a big params block are values); a plain
            # `key:` at the column needs no full parse either.
            rest = text.lstrip(" ")
            indent = len(text) - len(rest)
            if indent > column:
                continue
            if indent == column and rest[:1] not in _NOT_PLAIN_KEY_START:
                plain = _PLAIN_KEY_RE.match(rest)
                if plain is not None:
                    keys.setdefault(plain.group(1), current)
                    continue
        if _is_blank(text):
            continue
        part = split_line(text)
        if current != line and first_column(part) < column:
            break
        if part.key is not None and part.key_start == column:
            keys.setdefault(part.key, current)
    if start_opens_item:
        return keys
    # Upwards: an item opener `- key:` still belongs to the block, then nothing above it.
    for current in range(min(line, len(lines)) - 1, -1, -1):
        text = lines[current]
        if len(text) - len(text.lstrip(" ")) > column:
            continue
        if _is_blank(text):
            continue
        part = split_line(text)
        if part.key is not None and part.key_start == column:
            keys.setdefault(part.key, current)
        if first_column(part) < column:
            break
    return keys
