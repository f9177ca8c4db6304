"""Completion: keys, param names, refs, ref values and `{{ }}` names at the cursor.

The cursor's place is read from the text (indentation), so completion works on a half-typed
line and below a syntax error; what can be offered there comes from the document's index.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path

from param_lsp.core.cursor import Cursor
from param_lsp.core.locate import LinePart, PathStep, resolve_path, split_line
from param_lsp.core.model import IODef
from param_lsp.core.public_hub import is_virtual
from param_lsp.core.span import Position, Span
from param_lsp.core.yaml_tree import YMap, YScalar
from param_lsp.features import knowledge
from param_lsp.features.document import DocumentView
from param_lsp.features.expressions import OpenTemplate, open_template_at
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
    cur = view.cursor(pos)
    if cur is None:
        return []
    line_text = view.lines[pos.line]
    column = cur.column
    template = open_template_at(line_text, column)
    if template is not None:
        if template.is_filter:
            return _filter_items(pos.line, template)
        return _template_items(view, cur, template)
    part = split_line(line_text)
    if cur.role == "value":
        if cur.key in PATH_REF_KEYS and not cur.flow and part.value_start is not None:
            return path_items(view, pos.line, column, part, workspace_root)
        return _value_items(view, cur)
    if cur.role == "item" or (cur.role == "slot" and cur.container == "seq"):
        items = _item_items(view, cur)
        if items is not None:
            return items
    return _key_items(view, cur, snippets)


def kind_reader(
    view: DocumentView, cur: Cursor | None = None
) -> Callable[[tuple[PathStep, ...]], str | None]:
    """The `kind` written in the mapping at a path: from the cursor's own mapping, else the
    document's (last good) tree."""

    def kind_of(steps: tuple[PathStep, ...]) -> str | None:
        if cur is not None and steps == cur.parent_steps and cur.siblings.get("kind"):
            return cur.siblings["kind"]
        node = resolve_path(view.root, steps)
        if isinstance(node, YMap):
            kind = node.get("kind")
            if isinstance(kind, YScalar) and isinstance(kind.value, str):
                return kind.value
        return None

    return kind_of


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


def _key_items(view: DocumentView, cur: Cursor, snippets: bool) -> list[CompletionItem]:
    if cur.role == "key":
        parent = cur.steps[:-1]
        present = set(cur.siblings) - {cur.key or ""}
        edit = cur.key_span
    elif cur.role == "item":
        parent = cur.steps  # `- na|`: the first key of a mapping item
        present = set()
        edit = cur.prefix_span
    else:
        parent = cur.steps
        present = set(cur.siblings)
        edit = cur.prefix_span
    index = view.index
    items: list[CompletionItem] = []
    if parent and parent[-1] == "params":
        if len(parent) >= 2 and parent[-2] == "matrix":
            site = index.site_at(parent[:-2])
            if site is not None:
                items = _matrix_param_items(site, present, cur.flow)
        elif len(parent) >= 3 and parent[-3] == "joins":
            site = index.site_at(parent[:-3])
            if site is not None:
                items = _join_param_items(site, present, snippets)
        else:
            site = index.site_exact(parent[:-1])
            if site is not None:
                items = _param_name_items(site, present, 0, snippets)
            else:
                items = _schema_key_items(view, cur, parent, present)
    elif (
        len(parent) >= 2
        and parent[-2] == "params"
        and isinstance(parent[-1], str)
        and not (len(parent) >= 3 and parent[-3] == "matrix")  # hyper-parameters: the schema's
    ):
        items = _keys(knowledge.PARAM_KEYS, present, ItemKind.FIELD, "param key")
    else:
        items = _schema_key_items(view, cur, parent, present)
    return [_with_edit(item, edit) for item in items]


def _schema_key_items(
    view: DocumentView, cur: Cursor, parent: tuple[PathStep, ...], present: set[str]
) -> list[CompletionItem]:
    from param_lsp.features.schema_keys import keys_at

    found = keys_at(parent, kind_reader(view, cur))
    detail = (
        "section" if parent in ((), ("component",)) or _is_op_level(parent, view.index) else "key"
    )
    kind = ItemKind.MODULE if detail == "section" else ItemKind.FIELD
    return _keys({info.key: info.doc for info in found}, present, kind, detail)


def _is_op_level(steps: tuple[PathStep, ...], index: DocumentIndex) -> bool:
    ops = index.operations_steps
    return ops is not None and len(steps) == len(ops) + 1 and steps[: len(ops)] == ops


def _matrix_param_items(site: CallSite, present: set[str], flow: bool) -> list[CompletionItem]:
    items: list[CompletionItem] = []
    for n, io in enumerate(site.inputs):
        if io.name in present:
            continue
        items.append(
            CompletionItem(
                label=io.name,
                kind=ItemKind.FIELD,
                detail="matrix param · " + _io_detail(io),
                documentation=io_markdown(io),
                insert_text=f"{io.name}: ",
                plain_text=f"{io.name}: ",
                sort_text=f"{n:03d}",
            )
        )
    return items


def _join_param_items(site: CallSite, present: set[str], snippets: bool) -> list[CompletionItem]:
    items: list[CompletionItem] = []
    for n, io in enumerate(site.inputs):
        if io.name in present:
            continue
        snippet = f"{io.name}: {{value: ${{1}}}}"
        items.append(
            CompletionItem(
                label=io.name,
                kind=ItemKind.FIELD,
                detail="join param · " + _io_detail(io),
                documentation=io_markdown(io)
                + "\n\nJoin params take the full form: `{value: <path in the joined runs>}`.",
                insert_text=snippet if snippets else f"{io.name}: {{value: }}",
                is_snippet=snippets,
                plain_text=f"{io.name}: {{value: }}",
                sort_text=f"{n:03d}",
            )
        )
    return items


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


def _value_items(view: DocumentView, cur: Cursor) -> list[CompletionItem]:
    key = cur.key or ""
    parent = cur.steps[:-1]
    edit = cur.prefix_span
    index = view.index
    items: list[CompletionItem] = []
    in_params = len(parent) >= 2 and parent[-2] == "params"
    if key == "ref" and in_params:
        site = index.site_exact(parent[:-2])
        return [
            _with_edit(i, edit) if i.edit_span is None else i for i in _ref_items(index, site, edit)
        ]
    elif key == "value" and in_params:
        ref = cur.siblings.get("ref")
        site = index.site_exact(parent[:-2])
        expected = site.io(str(parent[-1])) if site is not None else None
        if ref:
            items = _ref_value_items(index, ref, expected)
        elif expected is not None:
            items = _param_value_items(expected)
    elif parent and parent[-1] == "params" and not (len(parent) >= 2 and parent[-2] == "matrix"):
        site = index.site_exact(parent[:-1])
        io = site.io(key) if site is not None else None
        items = _param_value_items(io) if io is not None else []
    elif key == "type" and len(parent) >= 2 and parent[-2] in ("inputs", "outputs"):
        items = _table(knowledge.IO_TYPES, ItemKind.ENUM, "IO type")
    elif key == "kind" and parent and parent[-1] == "matrix":
        from param_lsp.rules.matrix import matrix_kinds

        items = _table(
            {k: knowledge.MATRIX_KINDS.get(k, "Matrix kind.") for k in matrix_kinds()},
            ItemKind.ENUM,
            "kind",
        )
    elif key == "kind" and len(parent) >= 3 and parent[-3] == "matrix" and parent[-2] == "params":
        items = _table(knowledge.HP_KINDS, ItemKind.ENUM, "kind")
    elif key in ("hubRef", "hub_ref"):
        items = _hub_items(view)
    elif key in ("dagRef", "dag_ref"):
        items = [
            CompletionItem(
                label=name,
                kind=ItemKind.REFERENCE,
                detail="component of the DAG",
                sort_text=f"{n:03d}",
            )
            for n, name in enumerate(index.dag_components)
        ]
    else:
        from param_lsp.features.schema_keys import key_info, value_kinds

        kind_of = kind_reader(view, cur)
        values: tuple[str, ...] = ()
        if key == "kind":
            values = value_kinds(parent, kind_of)
        if not values:
            info = key_info(parent, key, kind_of)
            values = info.values if info is not None else ()
        docs = {**knowledge.RUN_KINDS} if key == "kind" else {}
        if parent in ((), ("component",)) and key == "kind":
            docs = {
                "operation": "An operation: params + a component.",
                "component": "A reusable component: inputs, outputs and a run.",
            }
        items = _table({v: docs.get(v, "") for v in values}, ItemKind.ENUM, key)
    return [_with_edit(i, edit) for i in items]


def _hub_items(view: DocumentView) -> list[CompletionItem]:
    """`hubRef` values: the project's `hub_map` entries first, then the bundled public hub's
    components (`name:tag`; `name` alone means `latest`), unless the public hub is off."""
    settings = view.analysis.settings if view.analysis is not None else None
    items = [
        CompletionItem(
            label=ref,
            kind=ItemKind.REFERENCE,
            detail=f"hub-map: {target}",
            sort_text=f"0{n:04d}",
        )
        for n, (ref, target) in enumerate(sorted((settings.hub_map if settings else {}).items()))
    ]
    if settings is not None and not settings.public_hub:
        return items
    from param_lsp.core import public_hub

    mapped = {item.label for item in items}
    refs = [
        f"{name}:{tag}" if tag != "latest" else name
        for name in public_hub.names()
        for tag in public_hub.tags(name)
    ]
    items += [
        CompletionItem(
            label=ref,
            kind=ItemKind.REFERENCE,
            detail="Polyaxon public hub",
            documentation=lambda ref=ref: _hub_doc(ref),  # type: ignore[misc]
            sort_text=f"1{n:04d}",
        )
        for n, ref in enumerate(refs)
        if ref not in mapped
    ]
    return items


def _hub_doc(ref: str) -> str:
    from param_lsp.core import public_hub

    fact = public_hub.facts(ref) or {}
    inputs = ", ".join(f"`{io.get('name')}`" for io in fact.get("inputs", []) or [])
    outputs = ", ".join(f"`{io.get('name')}`" for io in fact.get("outputs", []) or [])
    lines = [f"**{ref}** ({fact.get('runKind') or 'job'})"]
    if inputs:
        lines.append(f"inputs: {inputs}")
    if outputs:
        lines.append(f"outputs: {outputs}")
    return "\n\n".join(lines)


def _param_value_items(io: IODef) -> list[CompletionItem]:
    """A short-form param's value: the input's `options`, booleans, or its default."""
    options = (io.validation or {}).get("options")
    values: list[str] = []
    detail = f"{io.name} · option"
    if isinstance(options, list):
        values = [_yaml_scalar(option) for option in options]
    elif io.io_type == "bool":
        values, detail = ["true", "false"], f"{io.name} · bool"
    elif io.has_value and isinstance(io.value, (int, float, bool, str)):
        values, detail = [_yaml_scalar(io.value)], f"{io.name} · default"
    return [
        CompletionItem(
            label=value,
            kind=ItemKind.VALUE,
            detail=detail,
            documentation=io_markdown(io),
            sort_text=f"{n:03d}",
        )
        for n, value in enumerate(values)
    ]


def _item_items(view: DocumentView, cur: Cursor) -> list[CompletionItem] | None:
    """Items of a sequence (`dependencies`); None when the sequence holds mappings."""
    parent = cur.steps[:-1] if cur.role == "item" else cur.steps
    if not parent or parent[-1] != "dependencies":
        return None
    index = view.index
    own = index.site_at(parent[:-1])
    listed = set() if cur.role == "item" else set(cur.siblings)
    items = [
        CompletionItem(
            label=op.name,
            kind=ItemKind.REFERENCE,
            detail="op of this DAG",
            sort_text=f"{n:03d}",
        )
        for n, op in enumerate(index.ops)
        if op.name and op is not own and op.name not in listed
    ]
    return [_with_edit(item, cur.prefix_span) for item in items]


def _table(table: dict[str, str], kind: ItemKind, detail: str) -> list[CompletionItem]:
    return [
        CompletionItem(
            label=name, kind=kind, detail=detail, documentation=doc, sort_text=f"{n:03d}"
        )
        for n, (name, doc) in enumerate(table.items())
    ]


def _op_detail(op: CallSite) -> str:
    return "op · outputs: " + (", ".join(io.name for io in op.outputs) or "no outputs")


def _op_doc(op: CallSite) -> str:
    return f"Take the value from op `{op.name}` of this DAG (it becomes an upstream dependency)."


def _ref_items(
    index: DocumentIndex, site: CallSite | None, edit: Span | None = None
) -> list[CompletionItem]:
    items: list[CompletionItem] = []
    if site is not None and site.is_dag_op:
        # Texts are made only for the items sent (a DAG of hundreds of ops).
        for n, op in enumerate(index.ops):
            if op is site or op.name is None:
                continue
            items.append(
                CompletionItem(
                    f"ops.{op.name}",
                    ItemKind.REFERENCE,
                    functools.partial(_op_detail, op),
                    functools.partial(_op_doc, op),
                    None,
                    False,
                    None,
                    f"0{n:03d}",
                    None,
                    edit,
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
    if ref != "dag":
        lineage = [io.name for io in ios if io.io_type == "artifacts"]
        for n, name in enumerate([*knowledge.ARTIFACT_NAMES, *lineage]):
            items.append(
                CompletionItem(
                    label=f"artifacts.{name}",
                    kind=ItemKind.PROPERTY,
                    detail="artifacts path",
                    documentation=knowledge.ARTIFACT_NAMES.get(name, "Lineage artifact."),
                    sort_text=f"2{n:03d}",
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


def _template_items(
    view: DocumentView, cur: Cursor, template: OpenTemplate
) -> list[CompletionItem]:
    line = cur.line
    edit = Span.of(
        line, template.partial_start, line, template.partial_start + len(template.partial)
    )
    ref_context = ref_of_value(view, cur)
    if ref_context is not None:
        ref, expected = ref_context
        items = _ref_template_names(view.index, ref, expected, template.parents)
    else:
        site = view.index.site_at(cur.steps)
        items = _template_names(site, template.parents)
    return [_with_edit(item, edit) for item in items]


def ref_of_value(view: DocumentView, cur: Cursor) -> tuple[str, IODef | None] | None:
    """(ref, the param's own IO) when the cursor is on the `value` of a param with a `ref`."""
    parent = cur.steps[:-1]
    if cur.role != "value" or cur.key != "value" or len(parent) < 2 or parent[-2] != "params":
        return None
    ref = cur.siblings.get("ref")
    if not ref:
        return None
    site = view.index.site_exact(parent[:-2])
    return ref, site.io(str(parent[-1])) if site is not None else None


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
        if head in ("inputs", "outputs", "artifacts"):
            return []  # ref values only: undefined without a `ref` (PLX802)
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
