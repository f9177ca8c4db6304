"""Go to definition, find references and rename for inputs/outputs and DAG ops."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from param_lsp.core.locate import block_keys, split_line, yaml_path_at
from param_lsp.core.model import IODef
from param_lsp.core.span import Position, Span
from param_lsp.core.yaml_tree import YNode, YScalar, YSeq
from param_lsp.features.document import DocumentView
from param_lsp.features.expressions import dotted_value, expression_at, find_expressions
from param_lsp.features.index import CallSite
from param_lsp.features.results import FileEdits, Location, TextEdit

IO_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
OP_NAME_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")
RESERVED_IO_NAMES = frozenset({"globals", "params", "connections"})


class RenameError(ValueError):
    """The rename cannot be done (invalid name, nothing to rename); the message says why."""


@dataclass(frozen=True, slots=True)
class Target:
    kind: str  # "io" or "op"
    name: str
    io: IODef | None = None
    op: CallSite | None = None
    #: The span of the name under the cursor (for prepareRename).
    span: Span | None = None


def _same_io(a: IODef, b: IODef) -> bool:
    return a.name == b.name and a.is_output == b.is_output and a.source == b.source


def _content_span(lines: list[str], node: YNode) -> Span:
    """The span of a scalar's text without its quotes."""
    span = node.span
    if isinstance(node, YScalar) and node.style in ("'", '"') and span.start.line == span.end.line:
        return Span.of(
            span.start.line, span.start.character + 1, span.end.line, span.end.character - 1
        )
    return span


def _site_at_line(view: DocumentView, line: int) -> CallSite | None:
    part = split_line(view.lines[line])
    return view.index.site_at(yaml_path_at(view.lines, line, part.content_start).steps)


def target_at(view: DocumentView, pos: Position) -> Target | None:
    if not 0 <= pos.line < len(view.lines):
        return None
    hit = expression_at(view.lines, pos)
    if hit is not None and hit[1] is not None:
        if hit[1].is_filter:
            return None  # a filter names no input, output or op
        return _template_target(view, pos, hit[1].names, hit[1].segments)
    line_text = view.lines[pos.line]
    part = split_line(line_text)
    steps = yaml_path_at(view.lines, pos.line, part.content_start).steps
    index = view.index
    if part.key is not None and part.key_start <= pos.character <= part.key_end:
        key_span = Span.of(pos.line, part.key_start, pos.line, part.key_end)
        if steps and steps[-1] == "params":
            site = index.site_exact(steps[:-1])
            io = site.io(part.key) if site is not None else None
            if io is not None:
                return Target("io", io.name, io=io, span=key_span)
        return None
    if part.key is None or part.value_start is None or pos.character < part.value_start:
        # `- ops_name` items of `dependencies`.
        if (steps and steps[-1] == "dependencies") or (
            len(steps) >= 2 and steps[-2] == "dependencies"
        ):
            value = dotted_value(line_text, pos.line, part.content_start)
            op = index.op(value.text)
            if op is not None and value.span is not None:
                return Target("op", op.name or "", op=op, span=value.span)
        return None
    value = dotted_value(line_text, pos.line, part.value_start)
    if value.span is None or not value.span.contains(pos):
        return None
    if part.key == "name" and len(steps) >= 2 and steps[-2] in ("inputs", "outputs"):
        for site in index.sites():
            for io in [*site.inputs, *site.outputs]:
                if io.source == view.path and io.name_node.start.line == pos.line:
                    return Target("io", io.name, io=io, span=value.span)
        return None
    if part.key == "name" and index.operations_steps is not None:
        site = index.site_exact(steps)
        if site is not None and site.is_dag_op and site.name:
            return Target("op", site.name, op=site, span=value.span)
    if part.key == "ref" and value.text.startswith("ops.") and len(value.segments) >= 2:
        op = index.op(value.segments[1].name)
        if op is not None:
            return Target("op", op.name or "", op=op, span=value.segments[1].span)
    if part.key == "dependencies" or (steps and steps[-1] == "dependencies"):
        op = index.op(value.text)
        if op is not None:
            return Target("op", op.name or "", op=op, span=value.span)
    return None


def _template_target(
    view: DocumentView, pos: Position, names: tuple[str, ...], segments: tuple
) -> Target | None:
    site = _site_at_line(view, pos.line)
    if site is None:
        return None
    at = next(i for i, seg in enumerate(segments) if seg.span.contains(pos))
    name: str | None = None
    if names[0] in ("inputs", "outputs", "params") and len(names) >= 2 and at >= 1:
        name = names[1]
        at = 1
    elif names[0] not in ("globals", "artifacts", "connections", "init", "ops") and at == 0:
        name = names[0]
    if name is None:
        return None
    io = site.io(name)
    if io is None:
        return None
    return Target("io", io.name, io=io, span=segments[at].span)


def definition(
    view: DocumentView, pos: Position, allowed: Callable[[Path], bool] | None = None
) -> list[Location]:
    """Where the thing at ``pos`` is defined; a file outside ``allowed`` is never looked at."""
    if not 0 <= pos.line < len(view.lines):
        return []
    line_text = view.lines[pos.line]
    part = split_line(line_text)
    if part.key is not None and part.value_start is not None and pos.character >= part.value_start:
        value = dotted_value(line_text, pos.line, part.value_start)
        if part.key in ("pathRef", "path_ref") and value.text:
            base = view.path.parent if view.path is not None else Path.cwd()
            target = (base / value.text).resolve()
            if allowed is not None and not allowed(target):
                return []  # not even whether it exists
            if target.is_file():
                return [Location(target, Span.of(0, 0, 0, 0))]
            return []
        if part.key in ("dagRef", "dag_ref"):
            component = view.index.dag_components.get(value.text)
            if component is not None:
                name = component.get("name")
                return [Location(view.path, (name or component).span)]
            return []
        if part.key == "value":
            located = _ref_value_definition(view, pos, part.key_start, value.text)
            if located:
                return located
    found = target_at(view, pos)
    if found is None:
        return []
    if found.io is not None:
        return [Location(found.io.source, found.io.name_node.span)]
    if found.op is not None and found.op.name_node is not None:
        return [Location(view.path, found.op.name_node.span)]
    return []


def _ref_value_definition(
    view: DocumentView, pos: Position, key_column: int, value: str
) -> list[Location]:
    steps = yaml_path_at(view.lines, pos.line, key_column).steps
    if len(steps) < 2 or steps[-2] != "params":
        return []
    ref_line = block_keys(view.lines, pos.line, key_column).get("ref")
    if ref_line is None:
        return []
    ref_part = split_line(view.lines[ref_line])
    if ref_part.value_start is None:
        return []
    ref = dotted_value(view.lines[ref_line], ref_line, ref_part.value_start).text
    parts = value.split(".")
    if len(parts) != 2:
        return []
    pool: list[IODef] = []
    if ref.startswith("ops."):
        op = view.index.op(ref[4:])
        if op is not None:
            pool = op.outputs if parts[0] == "outputs" else op.inputs
    elif ref == "dag" and parts[0] == "inputs":
        pool = view.index.dag_inputs
    for io in pool:
        if io.name == parts[1]:
            return [Location(io.source, io.name_node.span)]
    return []


# ---------------------------------------------------------------- references


def _io_uses(view: DocumentView, io: IODef) -> list[Span]:
    """Spans naming ``io`` in one document: param keys and template names."""
    spans: list[Span] = []
    expressions = None
    for site in view.index.sites():
        if not any(_same_io(io, other) for other in [*site.inputs, *site.outputs]):
            continue
        param = site.params.get(io.name)
        if param is not None and param.key_node is not None:
            spans.append(_content_span(view.lines, param.key_node))
        scope = site.component_node
        if scope is None:
            continue
        if expressions is None:
            expressions = find_expressions(view.lines)
        for expression in expressions:
            if not (scope.start <= expression.span.start <= scope.end):
                continue
            if _site_at_line(view, expression.span.start.line) is not site:
                continue
            for chain in expression.chains:
                names = chain.names
                if names[0] in ("inputs", "outputs", "params") and len(names) >= 2:
                    if (
                        names[1] == io.name
                        and (names[0] != "inputs" or not io.is_output)
                        and (names[0] != "outputs" or io.is_output)
                    ):
                        spans.append(chain.segments[1].span)
                elif names[0] == io.name and not chain.is_filter:
                    spans.append(chain.segments[0].span)
    return spans


def references(
    view: DocumentView,
    pos: Position,
    others: list[DocumentView],
    *,
    include_declaration: bool = True,
) -> list[Location]:
    found = target_at(view, pos)
    if found is None:
        return []
    locations: list[Location] = []
    if found.io is not None:
        io = found.io
        if include_declaration:
            decl_view = next((v for v in [view, *others] if v.path == io.source), None)
            lines = decl_view.lines if decl_view is not None else []
            node = io.name_node
            span = _content_span(lines, node) if lines else node.span
            locations.append(Location(io.source, span))
        seen_paths: set[Path | None] = set()
        for other in [view, *others]:
            if other.path in seen_paths:
                continue
            seen_paths.add(other.path)
            locations += [Location(other.path, span) for span in _io_uses(other, io)]
    elif found.op is not None:
        locations += [
            Location(view.path, span) for span in _op_uses(view, found.name, include_declaration)
        ]
    return _dedupe(locations)


def _dedupe(locations: list[Location]) -> list[Location]:
    seen: set[tuple[Path | None, Span]] = set()
    unique: list[Location] = []
    for location in locations:
        key = (location.path, location.span)
        if key not in seen:
            seen.add(key)
            unique.append(location)
    return unique


def _op_uses(view: DocumentView, name: str, include_declaration: bool) -> list[Span]:
    spans: list[Span] = []
    for site in view.index.ops:
        if site.name == name and include_declaration and site.name_node is not None:
            spans.append(_content_span(view.lines, site.name_node))
        for param in site.params.values():
            node = param.ref_node
            if node is None or not isinstance(node, YScalar) or not isinstance(node.value, str):
                continue
            parts = node.value.split(".")
            if len(parts) >= 2 and parts[0].strip() == "ops" and parts[1].strip() == name:
                content = _content_span(view.lines, node)
                line_text = view.lines[content.start.line]
                value = dotted_value(
                    line_text[: content.end.character], content.start.line, content.start.character
                )
                if len(value.segments) >= 2:
                    spans.append(value.segments[1].span)
        deps = site.node.get("dependencies")
        if isinstance(deps, YSeq):
            for item in deps.items:
                if isinstance(item, YScalar) and item.value == name:
                    spans.append(_content_span(view.lines, item))
    for expression in find_expressions(view.lines):
        for chain in expression.chains:
            if len(chain.names) >= 2 and chain.names[0] == "ops" and chain.names[1] == name:
                spans.append(chain.segments[1].span)
    return spans


def prepare_rename(view: DocumentView, pos: Position) -> tuple[Span, str] | None:
    found = target_at(view, pos)
    if found is None or found.span is None:
        return None
    return found.span, found.name


def rename(
    view: DocumentView, pos: Position, new_name: str, others: list[DocumentView]
) -> list[FileEdits]:
    found = target_at(view, pos)
    if found is None:
        raise RenameError("Nothing to rename here: place the cursor on an input, output or op.")
    if found.kind == "io":
        if not IO_NAME_RE.match(new_name) or new_name in RESERVED_IO_NAMES:
            raise RenameError(
                f"`{new_name}` is not a usable input/output name: use letters, digits and `_` "
                "(not starting with a digit), and not globals/params/connections."
            )
    elif not OP_NAME_RE.match(new_name):
        raise RenameError(f"`{new_name}` is not a usable op name: use letters, digits, `_`, `-`.")
    if found.kind == "op" and view.index.op(new_name) is not None:
        raise RenameError(f"An op named `{new_name}` already exists in this DAG.")
    by_path: dict[Path | None, list[TextEdit]] = {}
    for location in references(view, pos, others, include_declaration=True):
        path = None if location.path == view.path else location.path
        by_path.setdefault(path, []).append(TextEdit(location.span, new_name))
    return [FileEdits(path, tuple(edits)) for path, edits in by_path.items()]
