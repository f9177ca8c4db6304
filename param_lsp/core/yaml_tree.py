"""Text → positioned YAML tree, typed exactly as PyYAML's ``safe_load`` types it (YAML 1.1).

Polyaxon reads polyaxonfiles with ``yaml.safe_load``; composing with the same resolver (LibYAML's
``CSafeLoader`` when available) makes every scalar's type match by construction, while the node
marks give each key and value its exact span. Building never raises: every problem PyYAML would
raise becomes a :class:`YamlProblem` and the tree is ``None`` when nothing usable is left.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from typing import Any, TypeAlias

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from param_lsp.core.span import Position, Span

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CONSTRUCTOR = SafeConstructor()
_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"

#: Deeper documents are refused before composing: LibYAML's composer recurses on the C stack.
MAX_NESTING = 200
#: Alias expansion budget (an alias bomb is a few lines that expand to billions of nodes).
MAX_EXPANDED_NODES = 1_000_000


@dataclass(frozen=True, slots=True)
class YamlProblem:
    """A reason PyYAML (and therefore Polyaxon) cannot read the document."""

    kind: str  # "syntax", "constructor", "empty", "not-mapping", "too-deep", "alias-bomb"
    message: str
    span: Span


class YNode:
    __slots__ = ("_py", "end", "start")

    start: Position
    end: Position

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)

    def to_py(self) -> Any:
        raise NotImplementedError


class YScalar(YNode):
    __slots__ = ("style", "tag", "text", "value")

    def __init__(
        self, value: Any, text: str, tag: str, style: str | None, start: Position, end: Position
    ) -> None:
        self.value = value
        self.text = text
        self.tag = tag
        self.style = style
        self.start = start
        self.end = end

    def to_py(self) -> Any:
        return self.value

    @property
    def is_plain(self) -> bool:
        return not self.style

    def __repr__(self) -> str:
        return f"YScalar({self.value!r})"


class YSeq(YNode):
    __slots__ = ("items",)

    def __init__(self, items: list[YNode], start: Position, end: Position) -> None:
        self.items = items
        self.start = start
        self.end = end
        self._py: Any = None

    def to_py(self) -> list[Any]:
        if self._py is None:
            self._py = [item.to_py() for item in self.items]
        return self._py

    def __iter__(self) -> Iterator[YNode]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


Entry: TypeAlias = tuple[YNode, YNode]


class YMap(YNode):
    """A mapping; ``index`` holds what ``safe_load`` keeps (last duplicate wins, merges applied)."""

    __slots__ = ("index", "pairs")

    def __init__(self, pairs: list[Entry], start: Position, end: Position) -> None:
        self.pairs = pairs
        self.index: dict[Hashable, Entry] = {}
        self.start = start
        self.end = end
        self._py: Any = None

    def get(self, key: Hashable) -> YNode | None:
        entry = self.index.get(key)
        return entry[1] if entry else None

    def entry(self, key: Hashable) -> Entry | None:
        return self.index.get(key)

    def key_node(self, key: Hashable) -> YNode | None:
        entry = self.index.get(key)
        return entry[0] if entry else None

    def __contains__(self, key: object) -> bool:
        return key in self.index

    def items(self) -> Iterator[tuple[Hashable, Entry]]:
        return iter(self.index.items())

    def to_py(self) -> dict[Any, Any]:
        if self._py is None:
            self._py = {key: value.to_py() for key, (_k, value) in self.index.items()}
        return self._py


@dataclass(slots=True)
class ParsedYaml:
    root: YNode | None
    problems: list[YamlProblem]
    duplicates: list[tuple[YNode, YNode]]  # (duplicate key node, first key node)


def _pos(mark: Any) -> Position:
    return Position(mark.line, mark.column)


def _mark_span(mark: Any) -> Span:
    start = _pos(mark)
    return Span(start, Position(start.line, start.character + 1))


def _index_to_position(text: str, index: int) -> Position:
    line = text.count("\n", 0, index)
    line_start = text.rfind("\n", 0, index) + 1
    return Position(line, index - line_start)


def _nesting_upper_bound(text: str) -> int:
    """A cheap upper bound of the collection nesting depth (exact scan only when it is high)."""
    flow = text.count("[") + text.count("{")
    indent = max((len(m) for m in re.findall(r"^[ \t]*", text, re.M)), default=0)
    inline = max((len(m) // 2 for m in re.findall(r"(?:[-?] +)+", text)), default=0)
    return flow + indent + inline + 1


def _nesting_depth(text: str) -> int:
    depth = deepest = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            deepest = max(deepest, depth)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return deepest


class _Builder:
    def __init__(self) -> None:
        self.problems: list[YamlProblem] = []
        self.duplicates: list[tuple[YNode, YNode]] = []
        self.built: dict[int, YNode] = {}
        self.sizes: dict[int, int] = {}

    def expanded_size(self, node: Any) -> int:
        # Aliases share node objects; the memo keeps this linear in the composed size.
        known = self.sizes.get(id(node))
        if known is not None:
            return known
        if isinstance(node, yaml.MappingNode):
            size = 1 + sum(self.expanded_size(k) + self.expanded_size(v) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            size = 1 + sum(self.expanded_size(item) for item in node.value)
        else:
            size = 1
        self.sizes[id(node)] = size
        return size

    def build(self, node: Any, depth: int = 0) -> YNode:
        done = self.built.get(id(node))
        if done is not None:
            return done
        if depth > MAX_NESTING:
            raise _TooDeepError(node)
        result: YNode
        if isinstance(node, yaml.ScalarNode):
            result = self.scalar(node)
        elif isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                self.check_collection_tag(node)
            result = YSeq(
                [self.build(item, depth + 1) for item in node.value],
                _pos(node.start_mark),
                _pos(node.end_mark),
            )
        else:
            result = self.mapping(node, depth)
        self.built[id(node)] = result
        return result

    def check_collection_tag(self, node: Any) -> None:
        try:
            _CONSTRUCTOR.construct_object(node, deep=True)
        except (ConstructorError, TypeError, ValueError) as exc:
            self.problems.append(
                YamlProblem("constructor", str(exc).replace("\n", " "), _mark_span(node.start_mark))
            )

    def scalar(self, node: Any) -> YScalar:
        tag = node.tag
        value: Any
        if tag in (_STR, _MERGE):
            value = node.value
        else:
            constructor = _CONSTRUCTOR.yaml_constructors.get(tag)
            if constructor is None:
                self.problems.append(
                    YamlProblem(
                        "constructor",
                        f"could not determine a constructor for the tag '{tag}'",
                        Span(_pos(node.start_mark), _pos(node.end_mark)),
                    )
                )
                value = node.value
            else:
                try:
                    value = constructor(_CONSTRUCTOR, node)
                except (ConstructorError, ValueError, TypeError) as exc:
                    self.problems.append(
                        YamlProblem(
                            "constructor",
                            str(exc).replace("\n", " "),
                            Span(_pos(node.start_mark), _pos(node.end_mark)),
                        )
                    )
                    value = node.value
        return YScalar(
            value, node.value, tag, node.style, _pos(node.start_mark), _pos(node.end_mark)
        )

    def mapping(self, node: Any, depth: int) -> YMap:
        if node.tag != _MAP:
            self.check_collection_tag(node)
        pairs: list[Entry] = []
        merges: list[YNode] = []
        result = YMap(pairs, _pos(node.start_mark), _pos(node.end_mark))
        for key_node, value_node in node.value:
            key = self.build(key_node, depth + 1)
            value = self.build(value_node, depth + 1)
            pairs.append((key, value))
            if isinstance(key, YScalar) and key.tag == _MERGE:
                merges.append(value)
                continue
            if not isinstance(key, YScalar):
                # PyYAML: "found unhashable key" (typically an unquoted `{{ x }}`, whose whole
                # flow mapping is the span users recognise).
                self.problems.append(
                    YamlProblem(
                        "unhashable-key",
                        "found unhashable key while constructing a mapping",
                        Span(_pos(node.start_mark), _pos(node.end_mark)),
                    )
                )
                continue
            try:
                hash(key.value)
            except TypeError:
                continue
            first = result.index.get(key.value)
            if first is not None:
                self.duplicates.append((key, first[0]))
            result.index[key.value] = (key, value)
        for merged in merges:
            self.apply_merge(result, merged)
        return result

    def apply_merge(self, target: YMap, merged: YNode) -> None:
        sources = merged.items if isinstance(merged, YSeq) else [merged]
        for source in sources:
            if not isinstance(source, YMap):
                self.problems.append(
                    YamlProblem(
                        "constructor",
                        "expected a mapping or list of mappings for merging",
                        source.span,
                    )
                )
                continue
            for key, entry in source.index.items():
                target.index.setdefault(key, entry)


class _TooDeepError(Exception):
    def __init__(self, node: Any) -> None:
        self.node = node


def parse_yaml(text: str) -> ParsedYaml:
    """Compose ``text`` into a positioned tree; never raises."""
    problems: list[YamlProblem] = []
    if _nesting_upper_bound(text) > MAX_NESTING:
        try:
            too_deep = _nesting_depth(text) > MAX_NESTING
        except yaml.YAMLError:
            too_deep = False  # the compose below reports the syntax error
        if too_deep:
            problems.append(
                YamlProblem(
                    "too-deep",
                    f"the document nests collections more than {MAX_NESTING} levels deep",
                    Span.of(0, 0, 0, 0),
                )
            )
            return ParsedYaml(None, problems, [])
    try:
        composed = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        span = _mark_span(mark) if mark is not None else Span.of(0, 0, 0, 0)
        message = " ".join(part for part in (exc.context, exc.problem) if part)
        problems.append(YamlProblem("syntax", message or str(exc), span))
        return ParsedYaml(None, problems, [])
    except yaml.reader.ReaderError as exc:
        start = _index_to_position(text, exc.position)
        problems.append(
            YamlProblem(
                "syntax",
                f"unacceptable character #x{exc.character:04x}: {exc.reason}",
                Span(start, Position(start.line, start.character + 1)),
            )
        )
        return ParsedYaml(None, problems, [])
    except yaml.YAMLError as exc:
        problems.append(YamlProblem("syntax", str(exc), Span.of(0, 0, 0, 0)))
        return ParsedYaml(None, problems, [])
    if composed is None:
        problems.append(YamlProblem("empty", "the document is empty", Span.of(0, 0, 0, 0)))
        return ParsedYaml(None, problems, [])
    builder = _Builder()
    if builder.expanded_size(composed) > MAX_EXPANDED_NODES:
        problems.append(
            YamlProblem(
                "alias-bomb",
                f"aliases expand the document to more than {MAX_EXPANDED_NODES:,} nodes",
                Span(_pos(composed.start_mark), _pos(composed.start_mark)),
            )
        )
        return ParsedYaml(None, problems, [])
    try:
        root = builder.build(composed)
    except _TooDeepError as exc:
        problems.append(
            YamlProblem(
                "too-deep",
                f"the document nests collections more than {MAX_NESTING} levels deep",
                _mark_span(exc.node.start_mark),
            )
        )
        return ParsedYaml(None, problems, [])
    problems.extend(builder.problems)
    return ParsedYaml(root, problems, builder.duplicates)
