"""Document symbols, semantic tokens, inlay hints and document links."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from param_lsp.core.model import str_value
from param_lsp.core.span import Span
from param_lsp.core.yaml_tree import YMap, YNode, YScalar, YSeq
from param_lsp.features.document import DocumentView
from param_lsp.features.expressions import dotted_value, find_expressions
from param_lsp.features.index import CallSite
from param_lsp.features.results import DocumentLink, InlayHint, Symbol, Token

# ---------------------------------------------------------------- symbols


def _io_symbols(node: YNode | None, kind: str) -> list[Symbol]:
    symbols: list[Symbol] = []
    if not isinstance(node, YSeq):
        return symbols
    for item in node.items:
        if not isinstance(item, YMap):
            continue
        name_node = item.get("name")
        name = str_value(name_node)
        if name is None or name_node is None:
            continue
        symbols.append(
            Symbol(name, kind, item.span, name_node.span, detail=str_value(item.get("type")))
        )
    return symbols


def _section(root: YMap, key: str, kind: str, children: list[Symbol]) -> Symbol | None:
    entry = root.entry(key)
    if entry is None:
        return None
    key_node, value = entry
    return Symbol(key, kind, Span(key_node.start, value.end), key_node.span, children=children)


def _param_symbols(node: YNode | None) -> list[Symbol]:
    if not isinstance(node, YMap):
        return []
    return [
        Symbol(str(key.to_py()), "param", Span(key.start, value.end), key.span)
        for key, value in node.pairs
        if isinstance(key, YScalar)
    ]


def _component_symbols(node: YMap) -> list[Symbol]:
    found: list[Symbol] = []
    for key, kind in (("inputs", "input"), ("outputs", "output")):
        section = _section(node, key, "section", _io_symbols(node.get(key), kind))
        if section is not None:
            found.append(section)
    run = node.get("run")
    if isinstance(run, YMap):
        run_symbol = _section(node, "run", "run", _ops_symbols(run))
        if run_symbol is not None:
            run_symbol.detail = str_value(run.get("kind"))
            found.append(run_symbol)
    return found


def _ops_symbols(run: YMap) -> list[Symbol]:
    operations = run.get("operations")
    if not isinstance(operations, YSeq):
        return []
    symbols: list[Symbol] = []
    for op in operations.items:
        if not isinstance(op, YMap):
            continue
        name_node = op.get("name")
        name = str_value(name_node) or "(unnamed op)"
        children: list[Symbol] = []
        params = _section(op, "params", "section", _param_symbols(op.get("params")))
        if params is not None:
            children.append(params)
        inline = op.get("component")
        if isinstance(inline, YMap):
            children += _component_symbols(inline)
        ref = (
            str_value(op.get("pathRef"))
            or str_value(op.get("hubRef"))
            or str_value(op.get("dagRef"))
        )
        symbols.append(
            Symbol(name, "op", op.span, (name_node or op).span, detail=ref, children=children)
        )
    return symbols


def document_symbols(view: DocumentView) -> list[Symbol]:
    root = view.root
    if root is None:
        return []
    kind = str_value(root.get("kind")) or "operation"
    name_node = root.get("name")
    children: list[Symbol] = []
    params = _section(root, "params", "section", _param_symbols(root.get("params")))
    if params is not None:
        children.append(params)
    children += _component_symbols(root)
    inline = root.get("component")
    if isinstance(inline, YMap):
        component = _section(root, "component", "component", _component_symbols(inline))
        if component is not None:
            children.append(component)
    top = Symbol(
        str_value(name_node) or kind,
        "component" if kind == "component" else "operation",
        root.span,
        (name_node or root.pairs[0][0] if root.pairs else root).span,
        detail=kind,
        children=children,
    )
    return [top]


# ---------------------------------------------------------------- semantic tokens

_ROOT_NAMESPACES = frozenset(
    {"globals", "params", "inputs", "outputs", "artifacts", "connections", "init", "ops", "dag"}
)


def semantic_tokens(view: DocumentView) -> list[Token]:
    tokens: list[Token] = []
    for expression in find_expressions(view.lines):
        for chain in expression.chains:
            for position, segment in enumerate(chain.segments):
                span = segment.span
                if chain.is_filter:
                    kind = "function"
                elif position == 0:
                    kind = "namespace" if segment.name in _ROOT_NAMESPACES else "variable"
                else:
                    kind = "property"
                tokens.append(
                    Token(
                        span.start.line,
                        span.start.character,
                        span.end.character - span.start.character,
                        kind,
                    )
                )
    for site in view.index.sites():
        for param in site.params.values():
            node = param.ref_node
            if not isinstance(node, YScalar) or node.span.start.line != node.span.end.line:
                continue
            line = node.start.line
            end = node.end.character
            value = dotted_value(view.lines[line][:end], line, node.start.character)
            for position, segment in enumerate(value.segments):
                if not segment.name:
                    continue
                kind = (
                    "keyword"
                    if segment.name == "dag"
                    else ("namespace" if position == 0 else "variable")
                )
                tokens.append(Token(line, segment.span.start.character, len(segment.name), kind))
    tokens.sort(key=lambda t: (t.line, t.start))
    unique: list[Token] = []
    for token in tokens:
        if unique and (unique[-1].line, unique[-1].start) == (token.line, token.start):
            continue
        unique.append(token)
    return unique


# ---------------------------------------------------------------- inlay hints


def _type_label(site: CallSite, name: str) -> str | None:
    io = site.io(name)
    if io is None:
        return None
    label = io.io_type or "untyped"
    return f"List[{label}]" if io.is_list else label


def inlay_hints(view: DocumentView, span: Span) -> list[InlayHint]:
    """`: <type>` after each literal param value (one-line values only)."""
    hints: list[InlayHint] = []
    for site in view.index.sites():
        for param in site.params.values():
            if param.ref is not None:
                continue
            label = _type_label(site, param.name)
            node = param.value_node if param.full_form else param.node
            if label is None or node is None or node.start.line != node.end.line:
                continue
            if node.start == node.end:
                continue  # an empty value: nothing to annotate
            line = node.end.line
            if span.start.line <= line <= span.end.line and line < len(view.lines):
                hints.append(
                    InlayHint(line, node.end.character, f": {label}", f"type of `{param.name}`")
                )
    hints.sort(key=lambda h: (h.line, h.character))
    return hints


# ---------------------------------------------------------------- document links


def document_links(
    view: DocumentView, allowed: Callable[[Path], bool] | None = None
) -> list[DocumentLink]:
    """`pathRef` values as links to their files; a file outside ``allowed`` is never looked at."""
    links: list[DocumentLink] = []
    root = view.root
    if root is None:
        return links
    base = view.path.parent if view.path is not None else None
    if base is None:
        return links
    nodes: list[YNode] = []

    def collect(node: YNode) -> None:
        if isinstance(node, YMap):
            for key, value in node.pairs:
                if isinstance(key, YScalar) and key.value in ("pathRef", "path_ref"):
                    nodes.append(value)
                else:
                    collect(value)
        elif isinstance(node, YSeq):
            for item in node.items:
                collect(item)

    collect(root)
    for node in nodes:
        if not isinstance(node, YScalar) or not isinstance(node.value, str) or not node.value:
            continue
        try:
            target = Path(base / node.value).resolve()
            if allowed is not None and not allowed(target):
                continue  # not even whether it exists
            exists = target.is_file()
        except (OSError, ValueError):
            continue
        if exists:
            span = node.span
            if node.style in ("'", '"'):
                span = Span.of(
                    span.start.line, span.start.character + 1, span.end.line, span.end.character - 1
                )
            links.append(DocumentLink(span, target, f"Open {node.value}"))
    return links
