"""Go to definition, find references and rename for inputs/outputs and DAG ops."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from param_lsp.core.cursor import Cursor
from param_lsp.core.locate import PathStep
from param_lsp.core.model import IODef
from param_lsp.core.public_hub import is_virtual
from param_lsp.core.span import Position, Span
from param_lsp.core.yaml_tree import YSeq
from param_lsp.features import knowledge
from param_lsp.features.document import DocumentView
from param_lsp.features.expressions import expression_at
from param_lsp.features.index import CallSite, DocumentIndex
from param_lsp.features.results import FileEdits, Location, TextEdit
from param_lsp.features.uses import (
    content_span,
    io_sites,
    op_sites,
    referenced_ios,
    same_path,
    uses_io,
)

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


def _site_at_line(view: DocumentView, line: int) -> CallSite | None:
    cur = view.cursor(Position(line, 0))
    return view.index.site_at(cur.steps) if cur is not None else None


def declared_io(view: DocumentView, span: Span) -> IODef | None:
    """The input/output whose `name` value is at ``span`` in this document."""
    for site in view.index.sites():
        for io in [*site.inputs, *site.outputs]:
            if same_path(io.source, view.path) and content_span(io.name_node) == span:
                return io
    return None


def param_io(index: DocumentIndex, parent: tuple[PathStep, ...], name: str) -> IODef | None:
    """The input/output a key at ``parent`` + name binds to: params, `matrix.params`,
    `joins[].params`."""
    if not parent or parent[-1] != "params":
        return None
    if len(parent) >= 2 and parent[-2] == "matrix":
        site = index.site_at(parent[:-2])
        io = site.io(name) if site is not None else None
        return io if io is not None and not io.is_output else None
    if len(parent) >= 3 and parent[-3] == "joins":
        site = index.site_at(parent[:-3])
    else:
        site = index.site_exact(parent[:-1])
    return site.io(name) if site is not None else None


def target_at(view: DocumentView, pos: Position) -> Target | None:
    if not 0 <= pos.line < len(view.lines):
        return None
    index = view.index
    cur = view.cursor(pos)
    if cur is None:
        return None
    hit = expression_at(view.lines, pos)
    if hit is not None and hit[1] is not None:
        if hit[1].is_filter:
            return None  # a filter names no input, output or op
        return _template_target(view, cur, pos, hit[1].names, hit[1].segments)
    parent = cur.steps[:-1]
    if cur.role == "key" and cur.key is not None and cur.key_span is not None:
        io = param_io(index, parent, cur.key)
        if io is not None:
            return Target("io", io.name, io=io, span=cur.key_span)
        return None
    if cur.span is None or not cur.span.contains(pos):
        return None
    if cur.role == "item" and parent and parent[-1] == "dependencies":
        op = index.op(cur.text)
        if op is not None:
            return Target("op", op.name or "", op=op, span=cur.span)
        return None
    if cur.role != "value":
        return None
    key = cur.key
    if key == "name" and len(parent) >= 2 and parent[-2] in ("inputs", "outputs"):
        io = declared_io(view, cur.span)
        return Target("io", io.name, io=io, span=cur.span) if io is not None else None
    if key == "name" and index.operations_steps is not None:
        site = index.site_exact(parent)
        if site is not None and site.is_dag_op and site.name:
            return Target("op", site.name, op=site, span=cur.span)
    token = cur.token()
    if key == "ref" and len(parent) >= 2 and parent[-2] == "params":
        tokens = cur.tokens()
        if len(tokens) >= 2 and tokens[0].name == "ops" and token is not None and token.index == 1:
            op = index.op(token.name)
            if op is not None:
                return Target("op", op.name or "", op=op, span=token.span)
        return None
    if key == "value" and len(parent) >= 2 and parent[-2] == "params":
        ref = cur.siblings.get("ref")
        tokens = cur.tokens()
        if ref and len(tokens) == 2 and token is not None and token.index == 1:
            pool = [
                io
                for io in referenced_ios(index, ref)
                if (io.is_output if tokens[0].name == "outputs" else tokens[0].name == "inputs")
            ]
            io = next((io for io in pool if io.name == token.name), None)
            if io is not None:
                return Target("io", io.name, io=io, span=token.span)
    return None


def _template_target(
    view: DocumentView, cur: Cursor, pos: Position, names: tuple[str, ...], segments: tuple
) -> Target | None:
    index = view.index
    at = next(i for i, seg in enumerate(segments) if seg.span.contains(pos))
    parent = cur.steps[:-1]
    ref = cur.siblings.get("ref") if cur.key == "value" and len(parent) >= 2 else None
    if ref and parent[-2] == "params" and names[0] in ("inputs", "outputs") and at == 1:
        pool = [io for io in referenced_ios(index, ref) if io.is_output == (names[0] == "outputs")]
        io = next((io for io in pool if io.name == names[1]), None)
        return Target("io", io.name, io=io, span=segments[1].span) if io is not None else None
    if names[0] == "ops" and len(names) >= 2 and at == 1:
        op = index.op(names[1])
        return Target("op", op.name or "", op=op, span=segments[1].span) if op else None
    site = index.site_at(cur.steps)
    if site is None:
        return None
    name: str | None = None
    if names[0] == "params" and len(names) >= 2 and at == 1:
        name = names[1]
    elif names[0] not in knowledge.TEMPLATE_ROOTS and names[0] != "ops" and at == 0:
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
    cur = view.cursor(pos)
    if cur is None:
        return []
    if cur.role == "value" and cur.span is not None and cur.span.contains(pos):
        if cur.key in ("pathRef", "path_ref") and cur.text:
            base = view.path.parent if view.path is not None else Path.cwd()
            target = (base / cur.text).resolve()
            if allowed is not None and not allowed(target):
                return []  # not even whether it exists
            if target.is_file():
                return [Location(target, Span.of(0, 0, 0, 0))]
            return []
        if cur.key in ("dagRef", "dag_ref"):
            component = view.index.dag_components.get(cur.text)
            if component is not None:
                name = component.get("name")
                return [Location(view.path, (name or component).span)]
            return []
    found = target_at(view, pos)
    if found is None:
        return []
    if found.io is not None:
        if is_virtual(found.io.source):
            return []  # declared by a bundled public hub component: no file to show
        return [Location(found.io.source, content_span(found.io.name_node))]
    if found.op is not None and found.op.name_node is not None:
        return [Location(view.path, content_span(found.op.name_node))]
    return []


# ---------------------------------------------------------------- references


#: The workspace index's answer for an input/output: where files not among the views name it.
IndexedUses = Callable[[IODef], Iterable[Location]]
#: The workspace index's check of a rename in the files it alone knows: (file, reason) of the
#: first clash (an operation there already passes a param of the new name, "param", or the
#: input's param is given with `-P`, "cli"), else None; the paths given are left out.
IndexedClash = Callable[[IODef, str, set[Path]], tuple[Path, str] | None]
#: Reads a workspace file that is neither open nor indexed (or only indexed) into a view.
Loader = Callable[[Path], DocumentView | None]


def io_uses(view: DocumentView, io: IODef) -> list[Span]:
    """What ``view`` contributes to the references of ``io`` (every site kind but the
    declaration): what the workspace index keeps per file."""
    return io_sites(view, io, declaration=False)


def references(
    view: DocumentView,
    pos: Position,
    others: list[DocumentView],
    *,
    include_declaration: bool = True,
    load: Loader | None = None,
    indexed: IndexedUses | None = None,
) -> list[Location]:
    """``others`` are analysed documents (the open ones, and indexed files when the index keeps
    views); ``indexed`` answers for the rest of the workspace from its index."""
    found = target_at(view, pos)
    if found is None:
        return []
    if found.io is not None:
        others = _with_declaring_file(view, found.io, others, load)
    return _uses(view, found, others, include_declaration, indexed)


def _with_declaring_file(
    view: DocumentView,
    io: IODef,
    others: list[DocumentView],
    load: Callable[[Path], DocumentView | None] | None,
) -> list[DocumentView]:
    """``others`` plus a view of the file declaring ``io`` when neither has it."""
    source = io.source
    if load is None or source is None or is_virtual(source):
        return others
    if any(same_path(source, other.path) for other in [view, *others]):
        return others
    loaded = load(source)
    return [*others, loaded] if loaded is not None else others


def _uses(
    view: DocumentView,
    found: Target,
    others: list[DocumentView],
    include_declaration: bool,
    indexed: IndexedUses | None = None,
    unmapped: list[Location] | None = None,
) -> list[Location]:
    """The sites of ``found``; scalars naming it that no exact range of the source names (see
    :mod:`uses`) are added to ``unmapped`` when given, else to the result (references show
    them)."""
    locations: list[Location] = []
    inexact = unmapped if unmapped is not None else locations
    if found.io is not None:
        io = found.io
        seen_paths: set[Path | None] = set()
        for other in [view, *others]:
            if other.path in seen_paths:
                continue
            seen_paths.add(other.path)
            spans: list[Span] = []
            locations += [
                Location(other.path, span)
                for span in io_sites(other, io, declaration=include_declaration, unmapped=spans)
            ]
            inexact += [Location(other.path, span) for span in spans]
        if indexed is not None:
            locations += [loc for loc in indexed(io) if loc.path not in seen_paths]
        if (
            include_declaration
            and not is_virtual(io.source)
            and not any(same_path(location.path, io.source) for location in locations)
        ):
            locations.insert(0, Location(io.source, content_span(io.name_node)))
    elif found.op is not None:
        op_spans: list[Span] = []
        locations += [
            Location(view.path, span)
            for span in op_sites(
                view, found.name, declaration=include_declaration, unmapped=op_spans
            )
        ]
        inexact += [Location(view.path, span) for span in op_spans]
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


def shared_io(view: DocumentView, pos: Position) -> IODef | None:
    """The input or output at ``pos`` when other files can use it: it is declared by a
    component file (at its top level, or in another file this one refers to), not inline in an
    operation or among a DAG's own components."""
    found = target_at(view, pos)
    if found is None or found.io is None or is_virtual(found.io.source):
        return None
    io = found.io
    if io.source is not None and view.path is not None and not same_path(io.source, view.path):
        return io
    root = view.analysis.root if view.analysis is not None else None
    if root is None or view.analysis is None or view.analysis.kind != "component":
        return None
    for key in ("inputs", "outputs"):
        items = root.get(key)
        if isinstance(items, YSeq) and any(item is io.node for item in items.items):
            return io
    return None


def prepare_rename(view: DocumentView, pos: Position) -> tuple[Span, str] | None:
    found = target_at(view, pos)
    if found is None or found.span is None or not found.span.contains(pos):
        return None
    return found.span, found.name


def rename(
    view: DocumentView,
    pos: Position,
    new_name: str,
    others: list[DocumentView],
    load: Loader | None = None,
    *,
    indexed: IndexedUses | None = None,
    indexed_clash: IndexedClash | None = None,
) -> list[FileEdits]:
    """The edits renaming the input, output or op at ``pos`` in every file; ``load`` reads a
    workspace file the caller has no view of (the component file of an input, and the files the
    index names, whose params are checked for a clash before anything is renamed).
    ``indexed_clash`` answers that check for the files known only to the index, from what the
    index keeps of them, instead of reading each one."""
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
    if found.io is not None:
        others = _with_declaring_file(view, found.io, others, load)
        checked = others
        if indexed is not None and indexed_clash is not None:
            viewed: set[Path] = set()
            for other in [view, *others]:
                if other.path is not None:
                    viewed.add(other.path)
            clash = indexed_clash(found.io, new_name, viewed)
            if clash is not None:
                user, why = clash
                if why == "cli":
                    raise RenameError(
                        f"`{found.io.name}` is also given on the command line (`-P`), which a "
                        "rename cannot update."
                    )
                raise RenameError(
                    f"An operation in `{user.name}` already passes a param named `{new_name}`; "
                    "rename or remove it first."
                )
        elif indexed is not None:
            # Files known only to the index are read to check their params for a clash.
            known = {other.path for other in [view, *others]}
            extra = {loc.path for loc in indexed(found.io) if loc.path not in known}
            for user in sorted(p for p in extra if p is not None):
                loaded = load(user) if load is not None else None
                if loaded is None:
                    raise RenameError(
                        f"`{user.name}` uses `{found.io.name}` but cannot be read to check it; "
                        "nothing was renamed."
                    )
                checked = [*checked, loaded]
        _check_io_rename(view, found.io, new_name, checked)
    unmapped: list[Location] = []
    uses = _uses(view, found, others, include_declaration=True, indexed=indexed, unmapped=unmapped)
    if found.io is not None and indexed is not None:
        # Files known only to the index were read above: their texts are checked, too.
        known = {other.path for other in [view, *others]}
        for extra_view in checked:
            if extra_view.path not in known:
                spans: list[Span] = []
                io_sites(extra_view, found.io, unmapped=spans)
                unmapped += [Location(extra_view.path, span) for span in spans]
    if unmapped:
        first = unmapped[0]
        where = first.path.name if first.path is not None else "this file"
        raise RenameError(
            f"`{found.name}` is written at {where}:{first.span.start.line + 1} in a form that "
            "cannot be mapped to an exact edit (an escape or a line break inside the name or "
            "its `{{ }}`); rewrite it plainly first. Nothing was renamed."
        )
    by_path: dict[Path | None, list[TextEdit]] = {}
    for location in uses:
        path = None if location.path == view.path else location.path
        by_path.setdefault(path, []).append(TextEdit(location.span, new_name))
    return [FileEdits(path, tuple(edits)) for path, edits in by_path.items()]


def _check_io_rename(
    view: DocumentView, io: IODef, new_name: str, others: list[DocumentView]
) -> None:
    """Refuse a rename that could not update every site: a declaration outside the workspace's
    files, a name already taken, or a use whose text is not the name itself."""
    views = {v.path: v for v in [*others, view]}
    if is_virtual(io.source):
        assert io.source is not None
        raise RenameError(
            f"`{io.name}` is declared by the public hub component "
            f"`{io.source.parent.name}:{io.source.stem}`, which cannot be renamed."
        )
    if io.source is None or not any(same_path(io.source, path) for path in views):
        raise RenameError(
            f"`{io.name}` is declared in a file that is not part of the workspace"
            + (f" (`{io.source.name}`)" if io.source is not None else "")
            + "; rename it there."
        )
    for other in views.values():
        for site in other.index.sites():
            if not uses_io(site, io):
                continue
            if site.io(new_name) is not None:
                raise RenameError(
                    f"The component already has an input or output named `{new_name}`."
                )
            clash = site.params.get(new_name)
            if clash is not None and not clash.from_cli:
                raise RenameError(
                    f"`{site.name or 'the operation'}` already passes a param named "
                    f"`{new_name}`; rename or remove it first."
                )
            param = site.params.get(io.name)
            if param is not None and param.from_cli:
                raise RenameError(
                    f"`{io.name}` is also given on the command line (`-P`), which a rename "
                    "cannot update."
                )
