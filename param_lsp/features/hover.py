"""Hover: what a param binds to, where a ref points, what a template name holds, rule docs."""

from __future__ import annotations

from param_lsp.core.model import IODef
from param_lsp.core.span import Position, Span
from param_lsp.features import knowledge
from param_lsp.features.completion import io_markdown, kind_reader
from param_lsp.features.document import DocumentView
from param_lsp.features.expressions import NameChain, expression_at
from param_lsp.features.index import CallSite, DocumentIndex
from param_lsp.features.results import Hover
from param_lsp.features.value_hover import Others, value_hover


def hover(view: DocumentView, pos: Position, others: Others | None = None) -> Hover | None:
    if not 0 <= pos.line < len(view.lines):
        return None
    parts: list[str] = []
    span: Span | None = None
    found = value_hover(view, pos, others) or _template_hover(view, pos) or _yaml_hover(view, pos)
    if found is not None:
        parts.append(found.markdown)
        span = found.span
    rule_docs = _rule_docs(view, pos)
    if rule_docs:
        parts.append(rule_docs)
    if not parts:
        return None
    return Hover("\n\n---\n\n".join(parts), span)


def _rule_docs(view: DocumentView, pos: Position) -> str:
    from param_lsp.rules import families

    rules = families.load_all()
    seen: set[str] = set()
    blocks: list[str] = []
    for finding in view.findings:
        if finding.code in seen or not finding.span.contains(pos):
            continue
        rule = rules.get(finding.code)
        if rule is None:
            continue
        seen.add(finding.code)
        block = [
            f"**{rule.code}** `{rule.name}` ({rule.severity.label}): {rule.summary}",
            "",
            rule.doc,
        ]
        if rule.good:
            block += ["", "Instead:", "```yaml", rule.good, "```"]
        blocks.append("\n".join(block))
    return "\n\n".join(blocks)


def _site_for_line(view: DocumentView, line: int) -> CallSite | None:
    cur = view.cursor(Position(line, 0))
    return view.index.site_at(cur.steps) if cur is not None else None


def describe_chain(site: CallSite | None, names: tuple[str, ...], upto: int) -> str | None:
    """Markdown for the name chain ``names[: upto + 1]`` inside a template."""
    head = names[0]
    inputs = site.inputs if site is not None else []
    outputs = site.outputs if site is not None else []

    def io_named(name: str, pool: list[IODef]) -> IODef | None:
        return next((io for io in pool if io.name == name), None)

    if upto == 0:
        if head in knowledge.TEMPLATE_ROOTS:
            return f"**{head}**: {knowledge.TEMPLATE_ROOTS[head]}"
        io = io_named(head, [*inputs, *outputs])
        if io is not None:
            return io_markdown(io)
        if site is not None and head in site.params:
            return f"**{head}**: context-only param of this operation."
        return None
    name = names[upto]
    if head == "globals" and upto == 1:
        doc = knowledge.GLOBALS.get(name)
        return f"**globals.{name}**: {doc}" if doc else f"**globals.{name}**: not a known global."
    if head in ("inputs", "outputs", "params") and upto == 1:
        pool = inputs if head == "inputs" else outputs if head == "outputs" else inputs + outputs
        io = io_named(name, pool)
        return io_markdown(io) if io is not None else None
    if head == "params" and upto == 2:
        doc = knowledge.PARAM_FIELDS.get(name)
        return f"**params.{names[1]}.{name}**: {doc}" if doc else None
    if head == "artifacts" and upto == 1:
        doc = knowledge.ARTIFACT_NAMES.get(name)
        return f"**artifacts.{name}**: {doc or 'lineage artifact name.'}"
    return None


def _template_hover(view: DocumentView, pos: Position) -> Hover | None:
    hit = expression_at(view.lines, pos)
    if hit is None or hit[1] is None:
        return None
    chain: NameChain = hit[1]
    if chain.is_filter:
        name = chain.segments[0].name
        doc = knowledge.JINJA_FILTERS.get(name)
        about = f"**{name}** (filter)\n\n{doc}" if doc else f"**{name}**: not a Jinja filter"
        return Hover(about, chain.segments[0].span)
    upto = next(i for i, seg in enumerate(chain.segments) if seg.span.contains(pos))
    cur = view.cursor(pos)
    if cur is None:
        return None
    parent = cur.steps[:-1]
    ref = cur.siblings.get("ref") if cur.key == "value" and len(parent) >= 2 else None
    names = chain.names
    if ref and parent[-2] == "params" and names[0] in ("inputs", "outputs") and upto == 1:
        found = _ref_value_hover(view.index, ref, ".".join(names[:2]), None, chain.segments[1].span)
        if found is not None:
            return found
    if names[0] == "ops" and len(names) >= 2 and upto == 1:
        return _ref_hover(view, view.index, f"ops.{names[1]}", chain.segments[1].span)
    text = describe_chain(view.index.site_at(cur.steps), names, upto)
    if text is None:
        return None
    return Hover(text, chain.segments[upto].span)


def _yaml_hover(view: DocumentView, pos: Position) -> Hover | None:
    from param_lsp.features.navigation import declared_io, param_io
    from param_lsp.features.schema_keys import key_info

    cur = view.cursor(pos)
    if cur is None:
        return None
    index = view.index
    parent = cur.steps[:-1]
    kind_of = kind_reader(view, cur)
    if cur.role == "key" and cur.key is not None and cur.key_span is not None:
        key, key_span = cur.key, cur.key_span
        if parent and parent[-1] == "params":
            io = param_io(index, parent, key)
            if io is not None:
                about = io_markdown(io)
                if len(parent) >= 2 and parent[-2] == "matrix":
                    about = "matrix param · " + about
                elif len(parent) >= 3 and parent[-3] == "joins":
                    about = "join param · " + about
                return Hover(about, key_span)
            site = index.site_exact(parent[:-1])
            if site is not None:
                if not site.complete:
                    return Hover(
                        f"**{key}**: the component is not available offline; its inputs are "
                        "unknown.",
                        key_span,
                    )
                return Hover(
                    f"**{key}**: no input or output of the component has this name.", key_span
                )
        if (
            len(parent) >= 2
            and parent[-2] == "params"
            and key in knowledge.PARAM_KEYS
            and not (len(parent) >= 3 and parent[-3] == "matrix")  # hyper-parameters
        ):
            return Hover(f"**{key}**: {knowledge.PARAM_KEYS[key]}", key_span)
        info = key_info(parent, key, kind_of)
        if info is not None:
            return Hover(f"**{key}**: {info.doc}", key_span)
        return None
    if cur.span is None or not cur.span.contains(pos):
        return None
    if cur.role == "item" and parent and parent[-1] == "dependencies":
        return _ref_hover(view, index, f"ops.{cur.text}", cur.span)
    if cur.role != "value":
        return None
    key = cur.key or ""
    value, span = cur.text, cur.span
    in_params = len(parent) >= 2 and parent[-2] == "params"
    if key == "ref" and in_params:
        return _ref_hover(view, index, value, span)
    if key == "value" and in_params:
        ref = cur.siblings.get("ref")
        if not ref:
            return None
        site = index.site_exact(parent[:-2])
        expected = site.io(str(parent[-1])) if site is not None else None
        return _ref_value_hover(index, ref, value, expected, span)
    if key == "type" and len(parent) >= 2 and parent[-2] in ("inputs", "outputs"):
        doc = knowledge.IO_TYPES.get(value)
        return Hover(f"**{value}**: {doc}", span) if doc else None
    if key == "kind":
        table = (
            knowledge.HP_KINDS
            if len(parent) >= 3 and parent[-3] == "matrix" and parent[-2] == "params"
            else knowledge.MATRIX_KINDS
            if parent and parent[-1] == "matrix"
            else knowledge.RUN_KINDS
        )
        doc = table.get(value)
        if doc:
            return Hover(f"**{value}**: {doc}", span)
    if key == "name" and len(parent) >= 2 and parent[-2] in ("inputs", "outputs"):
        io = declared_io(view, span)
        return Hover(io_markdown(io), span) if io is not None else None
    if key in ("pathRef", "path_ref", "dagRef", "dag_ref", "hubRef", "hub_ref"):
        site = index.site_exact(parent)
        if site is None:
            return None
        if not site.complete:
            return Hover(f"**{value}**: the component could not be read.", span)
        names = ", ".join(f"`{io.name}`" for io in site.inputs) or "none"
        outs = ", ".join(f"`{io.name}`" for io in site.outputs) or "none"
        return Hover(f"**component {value}**\n\nInputs: {names}\n\nOutputs: {outs}", span)
    return None


def _ref_hover(view: DocumentView, index: DocumentIndex, ref: str, span: Span) -> Hover | None:
    if ref == "dag":
        names = ", ".join(f"`{io.name}`" for io in index.dag_inputs) or "none"
        return Hover(f"**dag**: the enclosing DAG. Inputs: {names}.", span)
    if ref.startswith("ops."):
        op = index.op(ref[4:])
        if op is None:
            return Hover(f"**{ref}**: no op with this name in the DAG.", span)
        outs = "\n".join(f"- `{io.name}`: `{io.io_type or 'untyped'}`" for io in op.outputs)
        return Hover(f"**op {op.name}**\n\nOutputs:\n{outs or '- none'}", span)
    if ref.startswith("runs."):
        return Hover(f"**{ref}**: another run, resolved when the operation is compiled.", span)
    return None


def _ref_value_hover(
    index: DocumentIndex, ref: str, value: str, expected: IODef | None, span: Span
) -> Hover | None:
    parts = value.split(".")
    if ref.startswith("ops.") and len(parts) == 2 and parts[0] in ("outputs", "inputs"):
        op = index.op(ref[4:])
        if op is None:
            return None
        pool = op.outputs if parts[0] == "outputs" else op.inputs
        target = next((io for io in pool if io.name == parts[1]), None)
        if target is None:
            return Hover(f"**{value}**: op `{op.name}` has no such {parts[0][:-1]}.", span)
        text = io_markdown(target) + f"\n\nfrom op `{op.name}`"
        if expected is not None:
            ok = knowledge.types_compatible(expected.io_type, target.io_type)
            text += f"\n\nexpected `{expected.io_type or 'untyped'}` by `{expected.name}`: " + (
                "compatible" if ok else "**not compatible**"
            )
        return Hover(text, span)
    if ref == "dag" and len(parts) == 2 and parts[0] == "inputs":
        target = next((io for io in index.dag_inputs if io.name == parts[1]), None)
        return Hover(io_markdown(target), span) if target is not None else None
    if len(parts) == 2 and parts[0] == "globals":
        doc = knowledge.GLOBALS.get(parts[1])
        return Hover(
            f"**globals.{parts[1]}** (str): {doc or 'a global of the referenced run.'}", span
        )
    return None
