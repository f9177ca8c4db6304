"""Text → positioned YAML tree, typed exactly as PyYAML's ``safe_load`` types it (YAML 1.1).

Polyaxon reads polyaxonfiles with ``yaml.safe_load``; composing with the same resolver (LibYAML's
``CSafeLoader`` when available) makes every scalar's type match by construction, while the node
marks give each key and value its exact span. Building never raises: every problem PyYAML would
raise becomes a :class:`YamlProblem` and the tree is ``None`` when nothing usable is left.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeAlias

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from param_lsp.core.span import Position, Span

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CONSTRUCTOR = SafeConstructor()
_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_ScalarNode = yaml.ScalarNode
_new_tuple: Any = tuple.__new__
_new_object: Any = object.__new__
_SequenceNode = yaml.SequenceNode
_MappingNode = yaml.MappingNode

#: Implicit tag of a plain scalar's text (the resolver's answer depends on the text alone).
_RESOLVED: dict[str, str] = {}
#: Typed value of a (tag, text) pair for the tags whose safe constructor is a pure function of
#: the text returning an immutable value.
_TYPED: dict[tuple[str, str], Any] = {}
_MEMO_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("int", "float", "bool", "null", "timestamp")
)
#: Both memos are cleared when they outgrow this: a 5,000-line document has ~2,000 distinct
#: plain scalars, and every keystroke in one adds an entry that a long session would keep.
_MEMO_LIMIT = 10_000
_MISSING = object()


class _MemoLoader(_BaseLoader):
    """The safe loader with its implicit-tag resolution memoised (identical tags, fewer regexes).

    Without path resolvers (the safe loader has none) a scalar's tag depends only on its text
    and on whether it is plain; collections always get the default tag.
    """

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is _ScalarNode:
            if not implicit[0]:
                return _STR
            tag = _RESOLVED.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(_RESOLVED) > _MEMO_LIMIT:
                    _RESOLVED.clear()
                _RESOLVED[value] = tag
            return tag
        return _SEQ if kind is _SequenceNode else _MAP

    # Path resolvers are the only users of these hooks, which the composer calls on every node:
    # builtins that accept the same arguments and do nothing cost a fraction of a Python call.
    descend_resolver = staticmethod(slice)
    ascend_resolver = staticmethod(tuple)


_Loader: Any = _MemoLoader if not _BaseLoader.yaml_path_resolvers else _BaseLoader

#: Deeper documents are refused before composing: LibYAML's composer recurses on the C stack.
MAX_NESTING = 200
#: Above this bound the exact depth is measured before composing (LibYAML's composer recurses on
#: the C stack and crashes the process somewhere past 10,000 levels).
COMPOSER_SAFE_DEPTH = 5_000
#: Alias expansion budget (an alias bomb is a few lines that expand to billions of nodes).
MAX_EXPANDED_NODES = 1_000_000


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class YamlProblem:
    """A reason PyYAML (and therefore Polyaxon) cannot read the document."""

    kind: str  # "syntax", "constructor", "empty", "not-mapping", "too-deep", "alias-bomb"
    message: str
    span: Span


class YNode:
    # Positions are four ints, the very line/column objects of the composer's marks (small
    # columns are shared ints): the marks themselves cost ~200 bytes per node. Position tuples
    # are only built when asked for, since most nodes of a document never need one.
    __slots__ = ("_dl", "_ec", "_el", "_py", "_sc", "_sl")

    _sl: int
    _sc: int
    _el: int
    _ec: int
    #: Lines to add: a region composed on its own (see ``chunked``) has lines relative to its
    #: first line, and keeps them when an edit above it moves it.
    _dl: int

    # The tuples are built with tuple.__new__: a NamedTuple's own __new__ is a Python function,
    # and spans are asked for on every schema step.
    @property
    def start(self) -> Position:
        return _new_tuple(Position, (self._sl + self._dl, self._sc))

    @property
    def end(self) -> Position:
        return _new_tuple(Position, (self._el + self._dl, self._ec))

    @property
    def span(self) -> Span:
        shift = self._dl
        return _new_tuple(
            Span,
            (
                _new_tuple(Position, (self._sl + shift, self._sc)),
                _new_tuple(Position, (self._el + shift, self._ec)),
            ),
        )

    def to_py(self) -> Any:
        raise NotImplementedError


class YScalar(YNode):
    __slots__ = ("style", "tag", "text", "value")

    def __init__(
        self, value: Any, text: str, tag: str, style: str | None, sm: Any, em: Any
    ) -> None:
        self.value = value
        self.text = text
        self.tag = tag
        self.style = style
        self._sl = sm.line
        self._sc = sm.column
        self._el = em.line
        self._ec = em.column
        self._dl = 0

    def to_py(self) -> Any:
        return self.value

    @property
    def is_plain(self) -> bool:
        return not self.style

    def __repr__(self) -> str:
        return f"YScalar({self.value!r})"


def _scalar_of(node: Any, value: Any, tag: str, text: str) -> YScalar:
    """A scalar from its composed node and typed value (without a constructor call: a plain
    function is inlined by the interpreter, a class's ``__init__`` is not)."""
    scalar = _new_object(YScalar)
    scalar.value = value
    scalar.text = text
    scalar.tag = tag
    scalar.style = node.style
    mark = node.start_mark
    scalar._sl = mark.line
    scalar._sc = mark.column
    mark = node.end_mark
    scalar._el = mark.line
    scalar._ec = mark.column
    scalar._dl = 0
    return scalar


class YSeq(YNode):
    __slots__ = ("items",)

    def __init__(self, items: list[YNode], sm: Any, em: Any) -> None:
        self.items = items
        self._sl = sm.line
        self._sc = sm.column
        self._el = em.line
        self._ec = em.column
        self._dl = 0
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

    def __init__(self, pairs: list[Entry], sm: Any, em: Any) -> None:
        self.pairs = pairs
        self.index: dict[Hashable, Entry] = {}
        self._sl = sm.line
        self._sc = sm.column
        self._el = em.line
        self._ec = em.column
        self._dl = 0
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


def walk(root: YNode) -> Iterator[YNode]:
    """Every node under ``root`` (itself included), keys and values alike, in no set order."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, YMap):
            for key, value in node.pairs:
                stack.append(key)
                stack.append(value)
        elif isinstance(node, YSeq):
            stack.extend(node.items)


@dataclass(slots=True, eq=False, repr=False)
class ParsedYaml:
    """A parsed document: its tree (None if unreadable), its problems and duplicate keys."""

    root: YNode | None
    problems: list[YamlProblem]
    duplicates: list[tuple[YNode, YNode]]  # (duplicate key node, first key node)


def _pos(mark: Any) -> Position:
    return Position(mark.line, mark.column)


def _constructor_message(exc: Exception) -> str:
    if isinstance(exc, (ConstructorError, ValueError, TypeError)):
        return str(exc).replace("\n", " ")
    return f"PyYAML cannot construct this value ({type(exc).__name__}: {exc})"


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


def _may_nest_deeper_than(text: str, limit: int) -> bool:
    """Whether :func:`_nesting_upper_bound` could exceed ``limit``, without listing every line.

    A line's indentation is at most its length and its inline `- ` run at most half of it, so
    ordinary documents are ruled out by their longest line; only then is the full bound computed.
    """
    widest = max(map(len, text.split("\n")))
    if text.count("[") + text.count("{") + widest + widest // 2 + 1 <= limit:
        return False
    return _nesting_upper_bound(text) > limit


def _nests_deeper_than(text: str, limit: int) -> bool:
    """Whether collections nest more than ``limit`` deep, stopping as soon as they do.

    LibYAML's parser slows down quadratically with the depth of the open collections, so a
    full scan of a 200,000-deep document would take minutes; stopping at ``limit`` keeps the
    scan cheap.
    """
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > limit:
                    return True
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        if _is_libyaml_nesting_error(exc):
            return True  # LibYAML's own limit (1,000 levels) is far above ``limit``
        raise
    return False


#: LibYAML 0.2.6 (bundled from PyYAML 6.0.4) stops at 1,000 open collections with this problem.
_LIBYAML_NESTING_PROBLEM = "exceeded maximum nesting depth"


def _is_libyaml_nesting_error(exc: yaml.MarkedYAMLError) -> bool:
    return exc.problem == _LIBYAML_NESTING_PROBLEM


def _first_too_deep_mark(text: str, depth: int) -> Any:
    """The start mark of the first node nested deeper than :data:`MAX_NESTING`.

    Used when LibYAML refuses the document with its own nesting limit before the tree builder
    could name the node: the pure-Python parser (no limit, lazy) replays the events up to it, so
    the range is the one the builder reports where LibYAML has no limit.
    """
    open_collections = depth
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.NodeEvent) and open_collections > MAX_NESTING:
            return event.start_mark
        if isinstance(event, yaml.CollectionStartEvent):
            open_collections += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            open_collections -= 1
    return None


#: The expanded size of a document with an alias to an enclosing node.
_ENDLESS = 1 << 62


class _Builder:
    """Composed nodes → positioned tree, specialised for speed (it runs on every keystroke).

    Scalars are typed through a per-(tag, text) memo of the safe constructors (pure functions of
    the text returning immutable values), str-tagged scalars skip construction, and the hot paths
    bind what they use to local variables.
    """

    def __init__(self, shares_nodes: bool) -> None:
        # Without anchors no node can be reached twice, so the alias memo is skipped.
        self.shares_nodes = shares_nodes
        self.problems: list[YamlProblem] = []
        self.duplicates: list[tuple[YNode, YNode]] = []
        self.built: dict[int, YNode] = {}
        self.sizes: dict[int, int] = {}

    def expanded_size(self, root: Any) -> int:
        """Nodes of the tree once aliases are expanded (more than MAX_EXPANDED_NODES for an
        alias to an enclosing node, which expands for ever).

        Aliases share node objects; the memo keeps this linear in the composed size. An explicit
        stack, not recursion: a deep document is reported as too deep by :meth:`build`, not as a
        crash here.
        """
        sizes = self.sizes
        open_nodes: set[int] = set()
        stack: list[tuple[Any, bool]] = [(root, False)]
        while stack:
            node, children_done = stack.pop()
            key = id(node)
            if key in sizes and not children_done:
                continue
            if isinstance(node, yaml.MappingNode):
                children = [child for pair in node.value for child in pair]
            elif isinstance(node, yaml.SequenceNode):
                children = node.value
            else:
                sizes[key] = 1
                continue
            if children_done:
                open_nodes.discard(key)
                sizes[key] = min(1 + sum(sizes[id(child)] for child in children), _ENDLESS)
                continue
            open_nodes.add(key)
            stack.append((node, True))
            for child in children:
                if id(child) in open_nodes:
                    return _ENDLESS  # an alias to an enclosing node
                if id(child) not in sizes:
                    stack.append((child, False))
        return sizes[id(root)]

    def build(self, node: Any, depth: int = 0) -> YNode:
        if self.shares_nodes:
            done = self.built.get(id(node))
            if done is not None:
                return done
        if depth > MAX_NESTING:
            raise _TooDeepError(node)
        result: YNode
        cls = node.__class__
        if cls is _ScalarNode:
            tag = node.tag
            if tag in (_STR, _MERGE):
                result = YScalar(
                    node.value, node.value, tag, node.style, node.start_mark, node.end_mark
                )
            else:
                result = self.scalar(node)
        elif cls is _SequenceNode:
            result = self.sequence(node, depth)
        elif cls is _MappingNode:
            result = self.mapping(node, depth)
        elif isinstance(node, yaml.ScalarNode):
            result = self.scalar(node)
        elif isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                self.check_collection_tag(node)
            result = YSeq(
                [self.build(item, depth + 1) for item in node.value],
                node.start_mark,
                node.end_mark,
            )
        else:
            result = self.mapping(node, depth)
        if self.shares_nodes:
            self.built[id(node)] = result
        return result

    def sequence(self, node: Any, depth: int) -> YSeq:
        if node.tag != _SEQ:
            self.check_collection_tag(node)
        build = self.build
        child = depth + 1
        if self.shares_nodes or child > MAX_NESTING:
            return YSeq([build(item, child) for item in node.value], node.start_mark, node.end_mark)
        plain_child = self.plain_child
        return YSeq(
            [plain_child(item, child) for item in node.value], node.start_mark, node.end_mark
        )

    def plain_child(self, node: Any, depth: int) -> YNode:
        """A node of a document without anchors, at a depth known to be allowed: scalars and
        mappings skip the generic dispatch of `build`."""
        cls = node.__class__
        if cls is _ScalarNode:
            tag = node.tag
            raw = node.value
            typed = raw if tag == _STR else _TYPED.get((tag, raw), _MISSING)
            if typed is _MISSING:
                return self.scalar(node)
            return _scalar_of(node, typed, tag, raw)
        if cls is _MappingNode:
            return self.mapping(node, depth)
        return self.build(node, depth)

    def check_collection_tag(self, node: Any) -> None:
        try:
            _CONSTRUCTOR.construct_object(node, deep=True)
        except Exception as exc:  # any constructor failure is safe_load's failure too
            self.problems.append(
                YamlProblem("constructor", _constructor_message(exc), _mark_span(node.start_mark))
            )

    def scalar(self, node: Any) -> YScalar:
        tag = node.tag
        value: Any
        if tag in (_STR, _MERGE):
            value = node.value
        else:
            memo_key = (tag, node.value)
            value = _TYPED.get(memo_key, _MISSING)
            if value is _MISSING:
                value = self.construct(node)
        return YScalar(value, node.value, tag, node.style, node.start_mark, node.end_mark)

    def construct(self, node: Any) -> Any:
        tag = node.tag
        constructor = _CONSTRUCTOR.yaml_constructors.get(tag)
        if constructor is None:
            self.problems.append(
                YamlProblem(
                    "constructor",
                    f"could not determine a constructor for the tag '{tag}'",
                    Span(_pos(node.start_mark), _pos(node.end_mark)),
                )
            )
            return node.value
        try:
            value = constructor(_CONSTRUCTOR, node)
        except Exception as exc:  # PyYAML's constructors also raise IndexError (`!!int ''`), …
            self.problems.append(
                YamlProblem(
                    "constructor",
                    _constructor_message(exc),
                    Span(_pos(node.start_mark), _pos(node.end_mark)),
                )
            )
            return node.value
        if tag in _MEMO_TAGS and value == value:  # a shared NaN would compare equal to itself
            if len(_TYPED) > _MEMO_LIMIT:
                _TYPED.clear()
            _TYPED[(tag, node.value)] = value
        return value

    def mapping(self, node: Any, depth: int) -> YMap:
        if node.tag != _MAP:
            self.check_collection_tag(node)
        pairs: list[Entry] = []
        merges: list[YNode] = []
        result = YMap(pairs, node.start_mark, node.end_mark)
        index = result.index
        build = self.build
        child = depth + 1
        fast = not self.shares_nodes and child <= MAX_NESTING
        plain_child = self.plain_child
        for key_node, value_node in node.value:
            if fast and key_node.__class__ is _ScalarNode and key_node.tag == _STR:
                # The common case, a string key (always hashable): its scalar or mapping
                # value is built without the generic dispatch of `build`.
                text = key_node.value
                entry = (_scalar_of(key_node, text, _STR, text), plain_child(value_node, child))
                pairs.append(entry)
                if text in index:
                    self.duplicates.append((entry[0], index[text][0]))
                index[text] = entry
                continue
            key = build(key_node, child)
            value = build(value_node, child)
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
            first = index.get(key.value)
            if first is not None:
                self.duplicates.append((key, first[0]))
            index[key.value] = (key, value)
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


#: Whether a paused block ends by moving what it kept to the oldest generation (see
#: :func:`gc_paused`). Off in a process that keeps objects frozen on purpose.
_promote_after_pause = True


def keep_frozen_objects() -> None:
    """For a process that freezes its long-lived objects (the language server): paused blocks
    must not unfreeze them. (Asking the collector whether anything is frozen walks the
    whole frozen set, ~2 ms for a 5,000-line document's analysis.)"""
    global _promote_after_pause
    _promote_after_pause = False


@contextmanager
def gc_paused() -> Iterator[None]:
    """Run a block without the cyclic garbage collector.

    Composing, building and checking a document allocate tens of thousands of objects and
    hardly any reference cycles: the collector would run dozens of times for nothing (a third
    of the time of a 5,000-line analysis). Cycles left behind are collected afterwards.

    What the block made and kept is then moved to the oldest generation in one step (freeze,
    then unfreeze), where only a full collection looks at it: otherwise the first allocation
    after the block would walk all of it in a young collection (~2 ms at 5,000 lines). Not in
    a process that keeps objects frozen (:func:`keep_frozen_objects`).
    """
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            if _promote_after_pause:
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def parse_yaml(text: str) -> ParsedYaml:
    """Compose ``text`` into a positioned tree; never raises."""
    with gc_paused():
        return _parse_yaml(text)


def parse_region(text: str, depth: int) -> ParsedYaml:
    """Compose one region of a larger document whose collection sits ``depth`` levels deep."""
    return _parse_yaml(text, depth)


def _too_deep_problem(text: str, depth: int) -> YamlProblem:
    try:
        mark = _first_too_deep_mark(text, depth)
    except yaml.YAMLError:
        mark = None
    span = _mark_span(mark) if mark is not None else Span.of(0, 0, 0, 0)
    return YamlProblem(
        "too-deep", f"the document nests collections more than {MAX_NESTING} levels deep", span
    )


def _parse_yaml(text: str, depth: int = 0) -> ParsedYaml:
    problems: list[YamlProblem] = []
    if _may_nest_deeper_than(text, COMPOSER_SAFE_DEPTH):
        try:
            too_deep = _nests_deeper_than(text, MAX_NESTING)
        except (yaml.YAMLError, UnicodeEncodeError):
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
        if _is_libyaml_nesting_error(exc):
            problems.append(_too_deep_problem(text, depth))
            return ParsedYaml(None, problems, [])
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
    except UnicodeEncodeError as exc:
        # A lone surrogate (possible in an editor buffer, never in a UTF-8 file): LibYAML cannot
        # even encode it; PyYAML's reader rejects it as a special character.
        start = _index_to_position(text, exc.start)
        problems.append(
            YamlProblem(
                "syntax",
                f"unacceptable character #x{ord(text[exc.start]):04x}: special characters are "
                "not allowed",
                Span(start, Position(start.line, start.character + 1)),
            )
        )
        return ParsedYaml(None, problems, [])
    if composed is None:
        problems.append(YamlProblem("empty", "the document is empty", Span.of(0, 0, 0, 0)))
        return ParsedYaml(None, problems, [])
    builder = _Builder(shares_nodes="&" in text)
    if builder.shares_nodes and builder.expanded_size(composed) > MAX_EXPANDED_NODES:
        problems.append(
            YamlProblem(
                "alias-bomb",
                f"aliases expand the document to more than {MAX_EXPANDED_NODES:,} nodes",
                Span(_pos(composed.start_mark), _pos(composed.start_mark)),
            )
        )
        return ParsedYaml(None, problems, [])
    try:
        root = builder.build(composed, depth)
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
