"""Hover: what a param binds to, where a ref points, what a template name holds, rule docs."""

from __future__ import annotations

from param_lsp.core.locate import split_line, yaml_path_at
from param_lsp.core.model import IODef
from param_lsp.core.span import Position, Span
from param_lsp.features import knowledge
from param_lsp.features.completion import io_markdown
from param_lsp.features.document import DocumentView
from param_lsp.features.expressions import NameChain, dotted_value, expression_at
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
    from param_lsp.rules import registry

    registry.load_all()
    seen: set[str] = set()
    blocks: list[str] = []
    for finding in view.findings:
        if finding.code in seen or not finding.span.contains(pos):
            continue
        rule = registry.RULES.get(finding.code)
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
    part = split_line(view.lines[line])
    return view.index.site_at(yaml_path_at(view.lines, line, part.content_start).steps)


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
    text = describe_chain(_site_for_line(view, pos.line), chain.names, upto)
    if text is None:
        return None
    return Hover(text, chain.segments[upto].span)


def _yaml_hover(view: DocumentView, pos: Position) -> Hover | None:
    line_text = view.lines[pos.line]
    part = split_line(line_text)
    if part.key is None:
        return None
    path = yaml_path_at(view.lines, pos.line, part.key_start)
    steps = path.steps
    index = view.index
    on_key = part.key_start <= pos.character <= part.key_end
    key_span = Span.of(pos.line, part.key_start, pos.line, part.key_end)
    # A param name (short or full form).
    if on_key and steps and steps[-1] == "params":
        site = index.site_exact(steps[:-1])
        if site is None:
            return None
        io = site.io(part.key)
        if io is not None:
            return Hover(io_markdown(io), key_span)
        if not site.complete:
            return Hover(
                f"**{part.key}**: the component is not available offline; its inputs are unknown.",
                key_span,
            )
        return Hover(
            f"**{part.key}**: no input or output of the component has this name.", key_span
        )
    if on_key and len(steps) >= 2 and steps[-2] == "params" and part.key in knowledge.PARAM_KEYS:
        return Hover(f"**{part.key}**: {knowledge.PARAM_KEYS[part.key]}", key_span)
    if on_key and not steps and part.key in knowledge.SECTIONS:
        return Hover(f"**{part.key}**: {knowledge.SECTIONS[part.key]}", key_span)
    if part.value_start is None or pos.character < part.value_start:
        return None
    value = dotted_value(line_text, pos.line, part.value_start)
    if value.span is None or not value.span.contains(pos):
        return None
    if part.key == "ref" and len(steps) >= 2 and steps[-2] == "params":
        return _ref_hover(view, index, value.text, value.span)
    if part.key == "value" and len(steps) >= 2 and steps[-2] == "params":
        from param_lsp.core.locate import block_keys

        ref_line = block_keys(view.lines, pos.line, part.key_start).get("ref")
        if ref_line is None:
            return None
        ref_part = split_line(view.lines[ref_line])
        if ref_part.value_start is None:
            return None
        ref = dotted_value(view.lines[ref_line], ref_line, ref_part.value_start).text
        site = index.site_exact(steps[:-2])
        expected = site.io(str(steps[-1])) if site is not None else None
        return _ref_value_hover(index, ref, value.text, expected, value.span)
    if part.key == "type" and len(steps) >= 2 and steps[-2] in ("inputs", "outputs"):
        doc = knowledge.IO_TYPES.get(value.text)
        if doc:
            return Hover(f"**{value.text}**: {doc}", value.span)
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
