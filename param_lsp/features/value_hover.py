"""Hovers that show what will run: the value a template name gets, and what a ref points at.

- On `{{ inputs.lr }}` or `{{ lr }}`: the value the operation's param gives the input, else the
  input's default, or what sets it at run time (`ops.train` output `lr`, a DAG input, a matrix).
- On the value of a `ref: ops.X, value: outputs.Y` param (block or flow style): the output's
  declaration, its type, the op that produces it, and whether the receiving input accepts it.

Both work on the analysis' positioned tree, so flow and block style answer alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from param_lsp.core.compose import Composed
from param_lsp.core.model import IODef, ParamDef, str_value
from param_lsp.core.span import Position, Span
from param_lsp.core.yaml_tree import YMap, YNode, YScalar, YSeq
from param_lsp.features.document import DocumentView
from param_lsp.features.results import Hover

if TYPE_CHECKING:
    from param_lsp.engine.analyze import Analysis
    from param_lsp.rules.dag import OpNode

#: The other documents of the workspace (for a component: the operations that run it).
Others = Callable[[], Iterable[DocumentView]]


def value_hover(view: DocumentView, pos: Position, others: Others | None = None) -> Hover | None:
    """The value/ref hover at ``pos``, or None to let the other hovers answer."""
    analysis = view.analysis
    if analysis is None or analysis.root is None or analysis.composed is None:
        return None
    path = list(_path_to(analysis.root, pos))
    if not path:
        return None
    return _ref_hover(view, path, pos) or _template_hover(view, path, pos, others)


# ----------------------------------------------------------------------------- tree lookup


@dataclass(slots=True)
class Step:
    key: Any  # mapping key, or sequence index
    parent: YNode
    node: YNode


def _contains(node: YNode, pos: Position) -> bool:
    span = node.span
    return span.start <= pos <= span.end


def _path_to(root: YNode, pos: Position) -> Iterator[Step]:
    """The chain of mapping values / sequence items from the root down to the node at ``pos``."""
    node = root
    while True:
        child: Step | None = None
        if isinstance(node, YMap):
            for key, (_key_node, value) in node.items():
                if _contains(value, pos):
                    child = Step(key, node, value)
                    break
        elif isinstance(node, YSeq):
            for index, item in enumerate(node.items):
                if _contains(item, pos):
                    child = Step(index, node, item)
                    break
        if child is None:
            return
        yield child
        node = child.node


# ------------------------------------------------------------------------------ operations


def _op_at(view: DocumentView, pos: Position) -> OpNode | None:
    """The DAG op (as the DAG check composed it) whose entry encloses ``pos``, if any."""
    analysis = view.analysis
    assert analysis is not None
    best: OpNode | None = None
    for op in analysis.dag_ops.values():
        if _contains(op.item, pos) and (best is None or _contains(best.item, op.item.span.start)):
            best = op
    return best


def _inline(value: Any) -> str:
    text = yaml.safe_dump(value, default_flow_style=True, width=1 << 16).strip()
    if text.endswith("\n..."):
        text = text[: -len("\n...")]
    return text.removesuffix("...").strip()


def _line_of(node: YNode | None) -> str:
    return f"line {node.span.start.line + 1}" if node is not None else "the command line"


# ----------------------------------------------------------------------- ref: ops.X hovers


def _ref_hover(view: DocumentView, path: list[Step], pos: Position) -> Hover | None:
    last = path[-1]
    if not isinstance(last.node, YScalar) or last.key != "value":
        return None
    entry = last.parent
    if len(path) < 3 or not isinstance(entry, YMap) or path[-3].key != "params":
        return None
    ref = str_value(entry.get("ref"))
    value = str_value(entry.get("value"))
    if not ref or not ref.startswith("ops.") or not value:
        return None
    from param_lsp.rules.refs import are_compatible, split_ref_value

    inner = split_ref_value(value)[0]
    parts = inner.split(".")
    if len(parts) != 2 or parts[0] not in ("outputs", "inputs"):
        return None
    analysis = view.analysis
    assert analysis is not None
    op_name = ref[4:]
    upstream = next((op for op in analysis.dag_ops.values() if op.name == op_name), None)
    span = last.node.span
    if upstream is None or upstream.composed is None:
        return None  # the orphan finding says it
    composed = upstream.composed
    pool = composed.outputs if parts[0] == "outputs" else composed.inputs
    io = next((x for x in pool if x.name == parts[1]), None)
    if io is None:
        return None  # the refs finding says it
    declared = io.source.name if io.source is not None else "this file"
    declaration = [f"Declared in `{declared}` ({_line_of(io.node)}):", "```yaml", _declaration(io),
                   "```"]  # fmt: skip
    if not io.is_output:
        text = _value_text(analysis, upstream, composed, io)
        return Hover("\n".join([f"{text}", "", *declaration]), span)
    kind = "output"
    type_text = io.io_type or "untyped"
    if io.is_list:
        type_text = f"List[{type_text}]"
    lines = [f"**{inner}**: {kind} `{io.name}` of op `{op_name}`, type `{type_text}`"]
    lines += ["", *declaration]
    producers = [
        op.name
        for op in analysis.dag_ops.values()
        if op.composed is not None and any(x.name == parts[1] for x in op.composed.outputs)
    ]
    from param_lsp.features.graph import component_label

    about = component_label(upstream.item, composed) or "its component"
    run_kind = f", `{composed.run_kind}`" if composed.run_kind else ""
    lines += ["", f"Produced by op `{op_name}` ({about}{run_kind}) at run time."]
    others = [name for name in producers if name != op_name]
    if others:
        listed = ", ".join(f"`{n}`" for n in others)
        lines.append(f"Other ops with an output of this name: {listed}")
    receiver = _receiving_io(view, path, pos)
    if receiver is not None:
        ok = are_compatible(receiver.io_type, io.io_type) and receiver.is_list == io.is_list
        lines += [
            "",
            f"Received by input `{receiver.name}` (`{receiver.io_type or 'untyped'}`): "
            + ("compatible" if ok else "**not compatible**"),
        ]
    return Hover("\n".join(lines), span)


def _declaration(io: IODef) -> str:
    data = io.definition()
    text = yaml.safe_dump([data], default_flow_style=False, sort_keys=False).rstrip()
    return text


def _receiving_io(view: DocumentView, path: list[Step], pos: Position) -> IODef | None:
    param_name = path[-2].key
    if not isinstance(param_name, str):
        return None
    op = _op_at(view, pos)
    composed = op.composed if op is not None else view.analysis.composed  # type: ignore[union-attr]
    if composed is None:
        return None
    return next((io for io in (*composed.inputs, *composed.outputs) if io.name == param_name), None)


# ------------------------------------------------------------------------- template hovers


def _template_hover(
    view: DocumentView, path: list[Step], pos: Position, others: Others | None
) -> Hover | None:
    from param_lsp.features.expressions import expression_at

    last = path[-1]
    if not isinstance(last.node, YScalar) or not isinstance(last.node.value, str):
        return None
    hit = expression_at(view.lines, pos)
    if hit is None or hit[1] is None or hit[1].is_filter:
        return None
    chain = hit[1]
    names = chain.names
    upto = next((i for i, seg in enumerate(chain.segments) if seg.span.contains(pos)), None)
    if upto is None:
        return None
    if len(names) >= 2 and names[0] in ("inputs", "params") and upto == 1:
        name, span = names[1], Span(chain.segments[0].span.start, chain.segments[1].span.end)
    elif upto == 0 and len(names) in (1, 2) and (len(names) == 1 or names[1] == "as_arg"):
        name, span = names[0], chain.segments[0].span
    else:
        return None
    analysis = view.analysis
    assert analysis is not None
    op = _op_at(view, pos)
    composed = op.composed if op is not None else analysis.composed
    # A template inside a param with a `ref` is resolved against what the ref names.
    holder = last.parent
    if isinstance(holder, YMap) and "ref" in holder and last.key == "value":
        ref = str_value(holder.get("ref")) or ""
        if names[0] != "inputs" or len(names) < 2:
            return None
        if ref == "dag":
            given = _dag_input_value(analysis, f"inputs.{name}")
            dag_ios = analysis.composed.inputs if analysis.composed is not None else []
            dag_io = next((x for x in dag_ios if x.name == name), None)
            if dag_io is None:
                return None
            tail = f" = `{given}`" if given is not None else ": no value in the pipeline"
            return Hover(f"**{name}** (`{dag_io.io_type or 'untyped'}`), DAG input{tail}.", span)
        upstream = next(
            (x for x in analysis.dag_ops.values() if ref.startswith("ops.") and x.name == ref[4:]),
            None,
        )
        if upstream is None or upstream.composed is None:
            return None
        target = next((x for x in upstream.composed.inputs if x.name == name), None)
        if target is None:
            return None
        return Hover(_value_text(analysis, upstream, upstream.composed, target), span)
    if composed is None:
        return None
    io = next((x for x in composed.inputs if x.name == name), None)
    if io is None:
        output = next((x for x in composed.outputs if x.name == name), None)
        if output is None:
            return None
        return Hover(
            f"**{name}**: output of {_where(op)}; set when the run logs it "
            f"(`{output.io_type or 'untyped'}`).",
            span,
        )
    text = _value_text(analysis, op, composed, io)
    if op is None and others is not None and view.path is not None:
        uses = _uses_elsewhere(view.path, io.name, others())
        if uses:
            text += "\n\nWhere it runs (open and indexed files):\n" + "\n".join(uses)
    return Hover(text, span)


def _where(op: OpNode | None) -> str:
    return f"op `{op.name}`" if op is not None else "this operation"


#: Most operations listed under a component's hover.
MAX_USES = 8


def _uses_elsewhere(path: Path, name: str, views: Iterable[DocumentView]) -> list[str]:
    """What each operation of the workspace that runs the component at ``path`` gives ``name``."""
    lines: list[str] = []
    for other in views:
        analysis = other.analysis
        composed = analysis.composed if analysis is not None else None
        if analysis is None or composed is None or other.path is None or other.path == path:
            continue
        label = other.path.name
        runs: list[tuple[OpNode | None, Composed]] = []
        if any(layer.source == path for layer in composed.layers[1:]):
            runs.append((None, composed))
        for dag_op in analysis.dag_ops.values():
            used_by = dag_op.composed
            if used_by is not None and any(x.source == path for x in used_by.layers):
                runs.append((dag_op, used_by))
        for op, used in runs:
            io = next((x for x in used.inputs if x.name == name), None)
            if io is not None:
                text = _value_text(analysis, op, used, io, file=label)
                lines.append("- " + text.split(" ", 1)[1])  # without the repeated name
    if len(lines) > MAX_USES:
        lines = [*lines[:MAX_USES], f"- … and {len(lines) - MAX_USES} more"]
    return lines


def _matrix_names(composed: Composed) -> list[str]:
    from param_lsp.rules.templates import matrix_names

    return matrix_names(composed.matrix) if composed.matrix is not None else []


def _value_text(
    analysis: Analysis, op: OpNode | None, composed: Composed, io: IODef, file: str | None = None
) -> str:
    """What ``io`` is given in ``composed`` (the op ``op``, else the document's operation)."""
    type_text = io.io_type or "untyped"
    head = f"**{io.name}** (`{type_text}`)"
    param: ParamDef | None = composed.params.get(io.name)
    where = _where(op) + (f" in `{file}`" if file else "")
    if io.name in _matrix_names(composed):
        return f"{head} = each value of the matrix of {where} (one run per value)."
    if param is not None and param.ref:
        ref = param.ref
        value = param.value if isinstance(param.value, str) else ""
        from param_lsp.rules.refs import split_ref_value

        inner = split_ref_value(value)[0] if value else ""
        if ref.startswith("ops."):
            parts = inner.split(".")
            kind = {"outputs": "output", "inputs": "input", "artifacts": "artifact"}.get(parts[0])
            what = f"{kind} `{parts[1]}`" if kind and len(parts) == 2 else f"`{inner}`"
            at = _line_of(param.ref_node)
            return f"{head}: set by `{ref}` {what} at run time ({where}, {at})."
        if ref == "dag":
            text = f"{head}: set from the DAG's `{inner}` ({where}, {_line_of(param.ref_node)})"
            given = _dag_input_value(analysis, inner)
            return text + (f"; the pipeline gives it `{given}`." if given is not None else ".")
        return f"{head}: set from `{ref}` `{inner}` when the run is compiled."
    if param is not None and param.has_value:
        origin = (
            "`-P` on the command line" if param.from_cli else f"{where}, {_line_of(param.key_node)}"
        )
        return f"{head} = `{_inline(param.value)}` (param of {origin})."
    note = (
        f"no param in {where}"
        if op is not None or analysis.kind != "component"
        else ("unless the operation sets it")
    )
    if io.has_value:
        return f"{head} = `{_inline(io.value)}` (the input's default; {note})."
    if io.is_optional:
        return f"{head} = `None` (optional input without default; {note})."
    if analysis.kind == "component" and op is None:
        return f"{head}: required; set by the operation that runs this component."
    return f"{head}: required and not set: {where} gives no param for it."


def _dag_input_value(analysis: Analysis, inner: str) -> str | None:
    parts = inner.split(".")
    if len(parts) != 2 or parts[0] != "inputs":
        return None
    composed = analysis.composed
    if composed is None:
        return None
    param = composed.params.get(parts[1])
    if param is not None and param.has_value and not param.ref:
        return _inline(param.value)
    io = next((x for x in composed.inputs if x.name == parts[1]), None)
    if io is not None and io.has_value:
        return _inline(io.value)
    return None
