"""Completion: keys, param names, refs, ref values and `{{ }}` names at the cursor.

The cursor's place is read from the text (indentation), so completion works on a half-typed
line and below a syntax error; what can be offered there comes from the document's index.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from param_lsp.core.locate import LinePart, PathStep, block_keys, split_line, yaml_path_at
from param_lsp.core.model import IODef
from param_lsp.core.public_hub import is_virtual
from param_lsp.core.span import Position, Span
from param_lsp.features import knowledge
from param_lsp.features.document import DocumentView
from param_lsp.features.expressions import OpenTemplate, dotted_value, open_template_at
from param_lsp.features.index import CallSite, DocumentIndex
from param_lsp.features.results import CompletionItem, ItemKind


def complete(
    view: DocumentView,
    pos: Position,
    *,
    snippets: bool = True,
    workspace_root: Path | None = None,
) -> list[CompletionItem]:
    """Items at ``pos``; file paths (after `pathRef:`) never leave ``workspace_root`` (the
    document's own folder when there is no root)."""
    if not 0 <= pos.line < len(view.lines):
        return []
    line_text = view.lines[pos.line]
    column = min(pos.character, len(line_text))
    template = open_template_at(line_text, column)
    if template is not None:
        if template.is_filter:
            return _filter_items(pos.line, template)
        return _template_items(view, pos.line, template)
    part = split_line(line_text)
    if part.key is not None and part.value_start is not None and column >= part.key_end + 1:
        if part.key in PATH_REF_KEYS:
            return path_items(view, pos.line, column, part, workspace_root)
        return _value_items(view, pos.line, column, part)
    return _key_items(view, pos.line, column, part, snippets)


# ---------------------------------------------------------------- keys


def _io_detail(io: IODef) -> str:
    kind = "output" if io.is_output else "input"
    type_text = io.io_type or "untyped"
    if io.is_list:
        type_text = f"List[{type_text}]"
    extra = "required" if io.required and not io.is_output else "optional"
    if io.has_value:
        extra = f"default {io.value!r}"
    return f"{kind} · {type_text} · {extra}"


def io_markdown(io: IODef) -> str:
    kind = "output" if io.is_output else "input"
    lines = [f"**{io.name}** ({kind})", ""]
    type_text = io.io_type or "untyped"
    if io.is_list:
        type_text = f"List[{type_text}]"
    lines.append(f"- type: `{type_text}`")
    if io.has_value:
        lines.append(f"- default: `{io.value!r}`")
    if not io.is_output:
        lines.append(f"- required: {'yes' if io.required else 'no'}")
    if io.is_flag:
        lines.append("- flag: rendered as `--" + io.name + "`")
    if io.validation:
        rules = ", ".join(f"{key}={value!r}" for key, value in io.validation.items())
        lines.append(f"- validation: {rules}")
    if io.description:
        lines += ["", io.description]
    if is_virtual(io.source):
        assert io.source is not None
        hub_ref = f"{io.source.parent.name}:{io.source.stem}"
        lines += ["", f"declared by `{hub_ref}` (Polyaxon public hub)"]
    elif io.source is not None:
        lines += ["", f"declared in `{io.source.name}`"]
    return "\n".join(lines)


def _word_span(line: int, part: LinePart, column: int) -> Span | None:
    start = part.content_start
    if part.key is None and start <= column:
        return Span.of(line, start, line, column)
    return None


def _key_items(
    view: DocumentView, line: int, column: int, part: LinePart, snippets: bool
) -> list[CompletionItem]:
    text = view.lines[line]
    blank = not text.strip()
    content_column = column if blank else part.content_start
    if part.key is not None and column < part.key_start:
        return []
    path = yaml_path_at(view.lines, line, content_column)
    present = set(block_keys(view.lines, line, content_column)) if not blank else set()
    if blank:
        present = set(block_keys(view.lines, line, content_column))
    if part.key is not None:
        present.discard(part.key)
    edit = _word_span(line, part, column)
    if edit is None and part.key is not None:
        edit = Span.of(line, part.key_start, line, part.key_end)
    steps = path.steps
    index = view.index
    items: list[CompletionItem] = []
    if steps and steps[-1] == "params":
        site = index.site_exact(steps[:-1])
        if site is not None:
            items = _param_name_items(site, present, content_column, snippets)
    elif len(steps) >= 2 and steps[-2] == "params" and isinstance(steps[-1], str):
        items = _keys(knowledge.PARAM_KEYS, present, ItemKind.FIELD, "param key")
    elif len(steps) >= 2 and steps[-2] in ("inputs", "outputs") and isinstance(steps[-1], int):
        items = _keys(knowledge.IO_KEYS, present, ItemKind.FIELD, "IO key")
    elif _is_section_level(steps, index):
        items = _keys(knowledge.SECTIONS, present, ItemKind.MODULE, "section")
    elif len(steps) >= 3 and steps[-3] == "matrix" and steps[-2] == "params":
        items = _keys(
            {"kind": "Hyper-parameter kind.", "value": "Its values."},
            present,
            ItemKind.FIELD,
            "hyper-parameter",
        )
    return [_with_edit(item, edit) for item in items]


def _is_section_level(steps: tuple[PathStep, ...], index: DocumentIndex) -> bool:
    if steps in ((), ("component",)):
        return True
    ops = index.operations_steps
    return ops is not None and len(steps) == len(ops) + 1 and steps[: len(ops)] == ops


def _keys(
    table: dict[str, str], present: set[str], kind: ItemKind, detail: str
) -> list[CompletionItem]:
    return [
        CompletionItem(
            label=key,
            kind=kind,
            detail=detail,
            documentation=doc,
            insert_text=f"{key}: ",
            plain_text=f"{key}: ",
            sort_text=f"{n:03d}",
        )
        for n, (key, doc) in enumerate(table.items())
        if key not in present
    ]


def _param_name_items(
    site: CallSite, present: set[str], column: int, snippets: bool
) -> list[CompletionItem]:
    items: list[CompletionItem] = []
    ordered = [*site.inputs, *site.outputs]
    for n, io in enumerate(ordered):
        if io.name in present:
            continue
        required = io.required and not io.is_output
        default = (
            repr(io.value) if io.has_value else knowledge.placeholder_for(io.io_type, io.is_list)
        )
        if io.has_value and isinstance(io.value, (int, float, bool, str)):
            default = _yaml_scalar(io.value)
        snippet = f"{io.name}: ${{1:{_escape_snippet(default)}}}"
        items.append(
            CompletionItem(
                label=io.name,
                kind=ItemKind.FIELD,
                detail=_io_detail(io),
                documentation=io_markdown(io),
                insert_text=snippet if snippets else f"{io.name}: ",
                is_snippet=snippets,
                plain_text=f"{io.name}: ",
                sort_text=f"{0 if required else 1}{n:03d}",
            )
        )
    return items


def _yaml_scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return (
            value if value and value.replace("_", "").replace("-", "").isalnum() else f'"{value}"'
        )
    return str(value)


def _escape_snippet(text: str) -> str:
    return text.replace("\\", "\\\\").replace("$", "\\$").replace("}", "\\}")


def _with_edit(item: CompletionItem, edit: Span | None) -> CompletionItem:
    if edit is None:
        return item
    # Positional construction: `dataclasses.replace` costs ~15 µs an item, too much for lists of
    # a thousand inputs.
    return CompletionItem(
        item.label,
        item.kind,
        item.detail,
        item.documentation,
        item.insert_text,
        item.is_snippet,
        item.plain_text,
        item.sort_text,
        item.filter_text,
        edit,
    )


# ---------------------------------------------------------------- values


def _value_items(
    view: DocumentView, line: int, column: int, part: LinePart
) -> list[CompletionItem]:
    assert part.key is not None and part.value_start is not None
    path = yaml_path_at(view.lines, line, part.key_start)
    steps = path.steps
    key = part.key
    value = dotted_value(view.lines[line], line, part.value_start)
    value_start = value.span.start.character if value.span else column
    edit = Span.of(line, min(value_start, column), line, column)
    index = view.index
    if key == "ref" and len(steps) >= 2 and steps[-2] == "params":
        site = index.site_exact(steps[:-2])
        return [_with_edit(i, edit) for i in _ref_items(index, site)]
    if key == "value" and len(steps) >= 2 and steps[-2] == "params":
        ref_context = ref_of_value_line(view, line, part, steps)
        if ref_context is None:
            return []
        ref, expected = ref_context
        return [_with_edit(i, edit) for i in _ref_value_items(index, ref, expected)]
    if key == "type" and len(steps) >= 2 and steps[-2] in ("inputs", "outputs"):
        return [_with_edit(i, edit) for i in _table(knowledge.IO_TYPES, ItemKind.ENUM, "IO type")]
    if key == "kind":
        if steps == ("matrix",) or (steps and steps[-1] == "matrix"):
            table = knowledge.MATRIX_KINDS
        elif len(steps) >= 3 and steps[-3] == "matrix" and steps[-2] == "params":
            table = knowledge.HP_KINDS
        elif steps and steps[-1] == "run":
            table = knowledge.RUN_KINDS
        elif steps in ((), ("component",)):
            table = {
                "operation": "An operation: params + a component.",
                "component": "A reusable component: inputs, outputs and a run.",
            }
        else:
            return []
        return [_with_edit(i, edit) for i in _table(table, ItemKind.ENUM, "kind")]
    return []


def _table(table: dict[str, str], kind: ItemKind, detail: str) -> list[CompletionItem]:
    return [
        CompletionItem(
            label=name, kind=kind, detail=detail, documentation=doc, sort_text=f"{n:03d}"
        )
        for n, (name, doc) in enumerate(table.items())
    ]


def _ref_items(index: DocumentIndex, site: CallSite | None) -> list[CompletionItem]:
    items: list[CompletionItem] = []
    if site is not None and site.is_dag_op:
        for n, op in enumerate(index.ops):
            if op is site or op.name is None:
                continue
            outputs = ", ".join(io.name for io in op.outputs) or "no outputs"
            items.append(
                CompletionItem(
                    label=f"ops.{op.name}",
                    kind=ItemKind.REFERENCE,
                    detail=f"op · outputs: {outputs}",
                    documentation=f"Take the value from op `{op.name}` of this DAG "
                    "(it becomes an upstream dependency).",
                    sort_text=f"0{n:03d}",
                )
            )
        items.append(
            CompletionItem(
                label="dag",
                kind=ItemKind.KEYWORD,
                detail="the DAG's own inputs",
                documentation="Take the value from the inputs/globals of the enclosing DAG.",
                sort_text="1000",
            )
        )
    items.append(
        CompletionItem(
            label="runs.",
            kind=ItemKind.KEYWORD,
            detail="another run by UUID",
            documentation="`runs.<uuid>`: take the value from an existing run.",
            insert_text="runs.",
            sort_text="2000",
        )
    )
    return items


def _ref_value_items(
    index: DocumentIndex, ref: str, expected: IODef | None
) -> list[CompletionItem]:
    items: list[CompletionItem] = []
    expected_type = expected.io_type if expected is not None else None
    ios: list[IODef] = []
    sections = dict(knowledge.REF_VALUE_SECTIONS)
    if ref == "dag":
        ios = list(index.dag_inputs)
        sections.pop("outputs")
        sections.pop("io")
        ios = [io for io in ios if not io.is_output]
    elif ref.startswith("ops."):
        op = index.op(ref[4:])
        if op is not None:
            ios = [*op.outputs, *op.inputs]
    for n, io in enumerate(ios):
        section = "outputs" if io.is_output else "inputs"
        compatible = knowledge.types_compatible(expected_type, io.io_type) and bool(
            expected is None or bool(expected.is_list) == bool(io.is_list)
        )
        rank = 0 if compatible else 1
        if expected_type is None:
            rank = 0 if io.is_output else 1
        items.append(
            CompletionItem(
                label=f"{section}.{io.name}",
                kind=ItemKind.PROPERTY,
                detail=_io_detail(io) + (" · compatible" if compatible else ""),
                documentation=io_markdown(io),
                sort_text=f"{rank}{n:03d}",
            )
        )
    for n, (name, doc) in enumerate(sections.items()):
        items.append(
            CompletionItem(
                label=name,
                kind=ItemKind.MODULE,
                detail="section",
                documentation=doc,
                sort_text=f"3{n:03d}",
            )
        )
    for n, name in enumerate(knowledge.REFERENCEABLE_GLOBALS):
        items.append(
            CompletionItem(
                label=f"globals.{name}",
                kind=ItemKind.VARIABLE,
                detail="global · str",
                documentation=knowledge.GLOBALS.get(name, "Referenced run's value."),
                sort_text=f"4{n:03d}",
            )
        )
    return items


# ---------------------------------------------------------------- templates


def _template_items(view: DocumentView, line: int, template: OpenTemplate) -> list[CompletionItem]:
    part = split_line(view.lines[line])
    path = yaml_path_at(view.lines, line, part.content_start)
    edit = Span.of(
        line, template.partial_start, line, template.partial_start + len(template.partial)
    )
    ref_context = ref_of_value_line(view, line, part, path.steps)
    if ref_context is not None:
        ref, expected = ref_context
        items = _ref_template_names(view.index, ref, expected, template.parents)
    else:
        site = view.index.site_at(path.steps)
        items = _template_names(site, template.parents)
    return [_with_edit(item, edit) for item in items]


def ref_of_value_line(
    view: DocumentView, line: int, part: LinePart, steps: tuple[PathStep, ...]
) -> tuple[str, IODef | None] | None:
    """(ref, the param's own IO) when ``line`` is the `value:` of a param that has a `ref`."""
    if part.key != "value" or len(steps) < 2 or steps[-2] != "params":
        return None
    ref_line = block_keys(view.lines, line, part.key_start).get("ref")
    if ref_line is None:
        return None
    ref_part = split_line(view.lines[ref_line])
    if ref_part.value_start is None:
        return None
    ref = dotted_value(view.lines[ref_line], ref_line, ref_part.value_start).text
    site = view.index.site_exact(steps[:-2])
    return ref, site.io(str(steps[-1])) if site is not None else None


def _ref_template_names(
    index: DocumentIndex, ref: str, expected: IODef | None, parents: tuple[str, ...]
) -> list[CompletionItem]:
    values = _ref_value_items(index, ref, expected)
    prefix = ".".join(parents) + "." if parents else ""
    items: list[CompletionItem] = []
    from dataclasses import replace

    for item in values:
        if parents and not item.label.startswith(prefix):
            continue
        rest = item.label[len(prefix) :]
        if "." in rest:
            if parents:
                continue
            head = rest.split(".")[0]
            if any(i.label == head for i in items):
                continue
            items.append(
                CompletionItem(
                    label=head, kind=ItemKind.MODULE, detail="section", sort_text=f"2{head}"
                )
            )
            continue
        items.append(replace(item, label=rest))
    return items


def _io_items(ios: list[IODef], kind: ItemKind = ItemKind.VARIABLE) -> list[CompletionItem]:
    return [
        CompletionItem(
            label=io.name,
            kind=kind,
            detail=functools.partial(_io_detail, io),
            documentation=functools.partial(io_markdown, io),
            sort_text=f"{n:03d}",
        )
        for n, io in enumerate(ios)
    ]


def _template_names(site: CallSite | None, parents: tuple[str, ...]) -> list[CompletionItem]:
    inputs = site.inputs if site is not None else []
    outputs = site.outputs if site is not None else []
    if not parents:
        roots = [
            CompletionItem(
                label=name,
                kind=ItemKind.MODULE,
                detail="namespace",
                documentation=doc,
                sort_text=f"1{n:03d}",
            )
            for n, (name, doc) in enumerate(knowledge.TEMPLATE_ROOTS.items())
            if name in knowledge.RUN_TEMPLATE_ROOTS
        ]
        return _io_items([*inputs, *outputs]) + roots
    head = parents[0]
    if len(parents) == 1:
        if head == "globals":
            return [
                CompletionItem(
                    label=name,
                    kind=ItemKind.VARIABLE,
                    detail="global",
                    documentation=doc,
                    sort_text=f"{n:03d}",
                )
                for n, (name, doc) in enumerate(knowledge.GLOBALS.items())
            ]
        if head == "inputs":
            return _io_items(inputs)
        if head == "outputs":
            return _io_items(outputs)
        if head == "params":
            names = _io_items([*inputs, *outputs])
            if site is not None:
                known = {io.name for io in [*inputs, *outputs]}
                names += [
                    CompletionItem(
                        label=name,
                        kind=ItemKind.VARIABLE,
                        detail="context param",
                        sort_text=f"5{name}",
                    )
                    for name in site.params
                    if name not in known
                ]
            names.append(
                CompletionItem(
                    label="as_args",
                    kind=ItemKind.PROPERTY,
                    detail="list of every non-empty `as_arg`",
                    sort_text="9",
                )
            )
            return names
        if head == "artifacts":
            lineage = [io for io in [*inputs, *outputs] if io.io_type == "artifacts"]
            return [
                CompletionItem(
                    label=name,
                    kind=ItemKind.PROPERTY,
                    detail="artifacts path",
                    documentation=doc,
                    sort_text=f"0{n:03d}",
                )
                for n, (name, doc) in enumerate(knowledge.ARTIFACT_NAMES.items())
            ] + _io_items(lineage, ItemKind.PROPERTY)
        if head in ("connections", "init"):
            return [
                CompletionItem(
                    label=name, kind=ItemKind.REFERENCE, detail="connection", sort_text=f"{n:03d}"
                )
                for n, name in enumerate(_connections(site))
            ]
        return []
    if head == "params" and len(parents) == 2:
        return [
            CompletionItem(
                label=name,
                kind=ItemKind.PROPERTY,
                detail=f"params.{parents[1]}",
                documentation=doc,
                sort_text=f"{n:03d}",
            )
            for n, (name, doc) in enumerate(knowledge.PARAM_FIELDS.items())
        ]
    return []


def _connections(site: CallSite | None) -> list[str]:
    if site is None or site.run is None:
        return []
    from param_lsp.core.yaml_tree import YScalar, YSeq

    found: list[str] = []
    node = site.run.get("connections")
    if isinstance(node, YSeq):
        found += [
            i.value for i in node.items if isinstance(i, YScalar) and isinstance(i.value, str)
        ]
    return found


def _filter_items(line: int, template: OpenTemplate) -> list[CompletionItem]:
    edit = Span.of(
        line, template.partial_start, line, template.partial_start + len(template.partial)
    )
    return [
        CompletionItem(
            label=name,
            kind=ItemKind.FUNCTION,
            detail="Polyaxon filter" if name == "map_format" else "Jinja filter",
            documentation=doc,
            sort_text=f"{n:03d}",
            edit_span=edit,
        )
        for n, (name, doc) in enumerate(sorted(knowledge.JINJA_FILTERS.items()))
    ]


# ---------------------------------------------------------------- file paths

PATH_REF_KEYS = frozenset({"pathRef", "path_ref"})
#: Folders never offered (tooling and caches, as in the workspace scan).
_SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__", "venv"})
MAX_PATH_ITEMS = 500


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def path_items(
    view: DocumentView, line: int, column: int, part: LinePart, workspace_root: Path | None
) -> list[CompletionItem]:
    """YAML files and folders for a `pathRef` value, relative to the document's folder.

    Listing stays inside the workspace root: the folder typed so far and every symlink offered
    must resolve (realpath) inside it, so a link pointing out of the workspace is not followed.
    """
    assert part.value_start is not None
    if view.path is None:
        return []
    text = view.lines[line]
    start = min(part.value_start, column)
    typed = text[start:column]
    quote = typed[:1] if typed[:1] in ("'", '"') else ""
    typed = typed[len(quote) :]
    if "{{" in typed or "#" in typed:
        return []
    document_folder = view.path.parent
    root = os.path.realpath(workspace_root or document_folder)
    slash = typed.rfind("/")
    folder_part, partial = typed[: slash + 1], typed[slash + 1 :]
    folder = Path(folder_part) if folder_part.startswith("/") else document_folder / folder_part
    real_folder = os.path.realpath(folder)
    if not _inside(real_folder, root):
        return []
    try:
        entries = sorted(os.scandir(real_folder), key=lambda entry: entry.name)
    except OSError:
        return []
    begin = start + len(quote) + len(folder_part)
    edit = Span.of(line, begin, line, column)
    # Right after `pathRef:` (the `:` trigger) the value needs its separating space.
    lead = " " if start == column and text[column - 1 : column] == ":" else ""
    own = os.path.realpath(view.path)
    items: list[CompletionItem] = []
    for entry in entries:
        if len(items) >= MAX_PATH_ITEMS:
            break
        name = entry.name
        if name.startswith(".") or name in _SKIPPED_FOLDERS:
            continue
        real = os.path.realpath(entry.path)
        if not _inside(real, root) or real == own:
            continue
        try:
            is_folder = entry.is_dir()
        except OSError:
            continue
        if is_folder:
            items.append(
                CompletionItem(
                    label=f"{name}/",
                    kind=ItemKind.FOLDER,
                    detail="folder",
                    insert_text=f"{lead}{name}/",
                    sort_text=f"1{name}",
                    filter_text=f"{name}/",
                    edit_span=edit,
                )
            )
        elif name.lower().endswith((".yaml", ".yml")):
            items.append(
                CompletionItem(
                    label=name,
                    kind=ItemKind.FILE,
                    detail="YAML file",
                    insert_text=f"{lead}{name}",
                    sort_text=f"0{name}",
                    filter_text=name,
                    edit_span=edit,
                )
            )
    parent = os.path.dirname(real_folder)
    if partial in ("", ".", "..") and real_folder != root and _inside(parent, root):
        items.append(
            CompletionItem(
                label="../",
                kind=ItemKind.FOLDER,
                detail="parent folder",
                insert_text=f"{lead}../",
                sort_text="2",
                filter_text="../",
                edit_span=edit,
            )
        )
    return items


#: Longer lists are narrowed to the typed prefix and marked incomplete, so that the client asks
#: again as the user types (a component with 1,000 inputs must not ship 1,000 items a keystroke).
MAX_ITEMS = 100


def narrow(
    items: list[CompletionItem], lines: list[str], position: Position
) -> tuple[list[CompletionItem], bool]:
    """(items, is_incomplete): at most MAX_ITEMS, preferring labels that start with the prefix."""
    if len(items) <= MAX_ITEMS:
        return items, False
    line = lines[position.line] if 0 <= position.line < len(lines) else ""
    start = position.character
    while start > 0 and (line[start - 1].isalnum() or line[start - 1] in "_-"):
        start -= 1
    prefix = line[start : position.character].lower()
    matching = [
        item for item in items if (item.filter_text or item.label).lower().startswith(prefix)
    ]
    return matching[:MAX_ITEMS], True
