"""Where a file names an input/output or a DAG op: the sites references and rename edit.

Pure functions of one :class:`DocumentView` (an open document or an indexed workspace file), so
the workspace index can keep what each file contributes and ask again per file. Sites of an
input/output ``io``:

* its declaration (`- name: x` in the component file);
* param keys of every operation that uses the component (`params: {x: …}`), its
  `matrix.params` keys and its `joins[].params` keys;
* templates in that operation's own params, `conditions` and in the component's run and
  defaults: `{{ x }}`, `{{ params.x… }}`;
* ref values of DAG ops: `value: outputs.x` / `inputs.x` next to `ref: ops.<op using it>` (or
  `ref: dag` for the DAG's own inputs), and `{{ inputs.x }}` / `{{ outputs.x }}` templates in
  such a value.

Sites of a DAG op: its `name`, `ref: ops.<op>`, `dependencies` items and `{{ ops.<op>… }}`.

A site is a range of the source whose text is the name. Where a scalar's value names the target
but its source text differs (an escape inside the name or a line break inside the `{{ }}` of a
quoted or multi-line scalar), no such range exists: the scalar is reported as *unmapped*
(``unmapped`` lists its span) so that references can show it and rename refuses rather than
writing a wrong edit.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from param_lsp.core.model import IODef
from param_lsp.core.span import Span
from param_lsp.core.yaml_tree import YMap, YNode, YScalar, YSeq, walk
from param_lsp.features.document import DocumentView
from param_lsp.features.expressions import NameChain, expressions_in_line
from param_lsp.features.index import CallSite, DocumentIndex


def same_io(a: IODef, b: IODef) -> bool:
    return a.name == b.name and a.is_output == b.is_output and same_path(a.source, b.source)


def same_path(a: Path | None, b: Path | None) -> bool:
    if a is None or b is None:
        return a is b
    if a == b:
        return True
    try:
        return _resolved(a) == _resolved(b)
    except OSError:
        return False


def resolved_or_same(path: Path | None) -> Path | None:
    """``path`` with its symlinks resolved (remembered); itself when that fails."""
    if path is None:
        return None
    try:
        return _resolved(path)
    except OSError:
        return path


@lru_cache(maxsize=8192)
def _resolved(path: Path) -> Path:
    """``path.resolve()``, remembered: indexing a workspace compares the sources of the same few
    components millions of times (a symlink changed later is seen once it leaves the cache)."""
    return path.resolve()


def uses_io(site: CallSite, io: IODef) -> bool:
    return any(same_io(io, other) for other in (site.outputs if io.is_output else site.inputs))


def content_span(node: YNode) -> Span:
    """A scalar's span without its quotes."""
    span = node.span
    if isinstance(node, YScalar) and node.style in ("'", '"') and span.start.line == span.end.line:
        return Span.of(
            span.start.line, span.start.character + 1, span.end.line, span.end.character - 1
        )
    return span


def _maps_one_to_one(node: YScalar) -> bool:
    """Whether a single-line scalar's source text is its value, character for character: every
    escape (`\\x73`, `''`) makes the source longer than the value."""
    span = node.span
    if span.start.line != span.end.line or not isinstance(node.value, str):
        return False
    quotes = 2 if node.style in ("'", '"') else 0 if not node.style else None
    if quotes is None:
        return False  # block scalar indicators on the line
    return span.end.character - span.start.character == len(node.value) + quotes


def segment_span(node: YNode, index: int) -> Span | None:
    """The span of the ``index``-th dotted segment of a single-line scalar (`ops.train` → 1:
    `train`); None when the source text is not the value (escapes, several lines)."""
    if not isinstance(node, YScalar) or not isinstance(node.value, str):
        return None
    if not _maps_one_to_one(node):
        return None
    span = content_span(node)
    parts = node.value.split(".")
    if index >= len(parts):
        return None
    offset = sum(len(part) + 1 for part in parts[:index])
    part = parts[index]
    lead = len(part) - len(part.lstrip())
    start = span.start.character + offset + lead
    return Span.of(span.start.line, start, span.start.line, start + len(part.strip()))


#: Collects the spans of scalars that name a target but cannot be edited exactly.
Unmapped = list[Span]


def _chains_in(
    view: DocumentView,
    node: YNode | None,
    unmapped: Unmapped | None = None,
    names_target: Callable[[NameChain], bool] | None = None,
) -> Iterator[NameChain]:
    """The `{{ }}` name chains written inside ``node`` (strings anywhere below it), positioned
    in the source. A scalar whose source text gives other chains than its value (escapes or
    line breaks inside a template) yields none; when one of its value's chains satisfies
    ``names_target``, its span goes to ``unmapped``."""
    if node is None:
        return
    for found in walk(node):
        if not (isinstance(found, YScalar) and isinstance(found.value, str)):
            continue
        if "{{" not in found.value:
            continue
        span = found.span
        in_source: list[NameChain] = []
        for number in range(span.start.line, span.end.line + 1):
            if 0 <= number < len(view.lines):
                for expression in expressions_in_line(view.lines[number], number):
                    if found.start <= expression.span.start and expression.span.end <= found.end:
                        in_source += expression.chains
        in_value = [
            chain
            for expression in expressions_in_line(found.value, 0)
            for chain in expression.chains
        ]
        if sorted(_chain_key(c) for c in in_source) == sorted(_chain_key(c) for c in in_value):
            yield from in_source
        elif (
            unmapped is not None
            and names_target is not None
            and any(names_target(chain) for chain in in_value)
        ):
            unmapped.append(content_span(found))


def _chain_key(chain: NameChain) -> tuple[tuple[str, ...], bool]:
    return chain.names, chain.is_filter


def _own_template_nodes(site: CallSite) -> Iterator[YNode]:
    """Nodes whose templates are judged with the site's own names (no `ref`)."""
    for param in site.params.values():
        if param.ref is None and param.value_node is not None and not param.is_join:
            yield param.value_node
    conditions = site.node.get("conditions")
    if conditions is not None:
        yield conditions
    component = site.component_node
    if component is not None:
        for section in ("inputs", "outputs"):
            items = component.get(section)
            if isinstance(items, YSeq):
                for item in items.items:
                    if isinstance(item, YMap) and item.get("value") is not None:
                        yield item.get("value")  # type: ignore[misc]
        run = component.get("run")
        if isinstance(run, YMap):
            for key, value in run.pairs:
                if isinstance(key, YScalar) and key.value in ("operations", "components"):
                    continue  # nested documents with their own names
                yield value


def _key_named(mapping: YNode | None, name: str) -> YNode | None:
    return mapping.key_node(name) if isinstance(mapping, YMap) else None


def _param_key_sites(view: DocumentView, site: CallSite, io: IODef) -> list[Span]:
    """The keys of ``site`` that give ``io`` a value: its param (written in this file, not from
    `-P`), its `matrix.params` key (inputs only) and its join param keys."""
    spans: list[Span] = []
    param = site.params.get(io.name)
    if (
        param is not None
        and param.key_node is not None
        and not param.from_cli
        and (param.source is None or same_path(param.source, view.path))
    ):
        spans.append(content_span(param.key_node))
    if not io.is_output:
        matrix = site.node.get("matrix")
        key = _key_named(matrix.get("params") if isinstance(matrix, YMap) else None, io.name)
        if key is not None:
            spans.append(content_span(key))
    joins = site.node.get("joins")
    if isinstance(joins, YSeq):
        for join in joins.items:
            if isinstance(join, YMap):
                key = _key_named(join.get("params"), io.name)
                if key is not None:
                    spans.append(content_span(key))
    return spans


def io_sites(
    view: DocumentView, io: IODef, *, declaration: bool = True, unmapped: Unmapped | None = None
) -> list[Span]:
    """Every span of ``view`` naming ``io`` (see the module doc); scalars naming it whose text
    cannot be edited exactly go to ``unmapped``."""
    spans: list[Span] = []
    index = view.index
    if declaration and same_path(view.path, io.source):
        spans.append(content_span(io.name_node))
    for site in index.sites():
        if not uses_io(site, io):
            continue
        spans += _param_key_sites(view, site, io)
        for node in _own_template_nodes(site):
            for chain in _chains_in(view, node, unmapped, _names(io, bare=True)):
                spans += _chain_spans(chain, io, bare=True)
    spans += _ref_value_sites(view, index, io, unmapped)
    return spans


def _names(io: IODef, *, bare: bool) -> Callable[[NameChain], bool]:
    return lambda chain: bool(_chain_spans(chain, io, bare=bare))


def _chain_spans(chain: NameChain, io: IODef, *, bare: bool) -> list[Span]:
    if chain.is_filter:
        return []
    names = chain.names
    if bare:
        if names[0] == io.name:
            return [chain.segments[0].span]
        if names[0] == "params" and len(names) >= 2 and names[1] == io.name:
            return [chain.segments[1].span]
        return []
    section = "outputs" if io.is_output else "inputs"
    if len(names) >= 2 and names[0] == section and names[1] == io.name:
        return [chain.segments[1].span]
    return []


def referenced_ios(index: DocumentIndex, ref: str) -> list[IODef]:
    """The inputs and outputs a `ref` names in this document (`ops.<op>`, `dag`)."""
    ref = ref.strip()
    if ref == "dag":
        return list(index.dag_inputs)
    if ref.startswith("ops."):
        op = index.op(ref[4:].strip())
        if op is not None:
            return [*op.inputs, *op.outputs]
    return []


def _ref_value_sites(
    view: DocumentView, index: DocumentIndex, io: IODef, unmapped: Unmapped | None
) -> list[Span]:
    spans: list[Span] = []
    section = "outputs" if io.is_output else "inputs"
    for site in index.ops:
        for param in site.params.values():
            if not isinstance(param.ref, str):
                continue
            if not any(same_io(io, other) for other in referenced_ios(index, param.ref)):
                continue
            value = param.value_node
            if isinstance(value, YScalar) and isinstance(value.value, str):
                parts = [part.strip() for part in value.value.split(".")]
                if len(parts) == 2 and parts[0] == section and parts[1] == io.name:
                    found = segment_span(value, 1)
                    if found is not None:
                        spans.append(found)
                    elif unmapped is not None:
                        unmapped.append(content_span(value))
            for chain in _chains_in(view, value, unmapped, _names(io, bare=False)):
                spans += _chain_spans(chain, io, bare=False)
    return spans


def op_sites(
    view: DocumentView, name: str, *, declaration: bool = True, unmapped: Unmapped | None = None
) -> list[Span]:
    """Every span of ``view`` naming the DAG op ``name``; scalars naming it whose text cannot
    be edited exactly go to ``unmapped``."""

    def names_op(chain: NameChain) -> bool:
        return len(chain.names) >= 2 and chain.names[0] == "ops" and chain.names[1] == name

    spans: list[Span] = []
    index = view.index
    for site in index.ops:
        if site.name == name and declaration and site.name_node is not None:
            spans.append(content_span(site.name_node))
        for param in site.params.values():
            node = param.ref_node
            if isinstance(node, YScalar) and isinstance(node.value, str):
                parts = [part.strip() for part in node.value.split(".")]
                if len(parts) >= 2 and parts[0] == "ops" and parts[1] == name:
                    found = segment_span(node, 1)
                    if found is not None:
                        spans.append(found)
                    elif unmapped is not None:
                        unmapped.append(content_span(node))
        deps = site.node.get("dependencies")
        if isinstance(deps, YSeq):
            for item in deps.items:
                if isinstance(item, YScalar) and item.value == name:
                    spans.append(content_span(item))
        for chain in _chains_in(view, site.node, unmapped, names_op):
            if names_op(chain):
                spans.append(chain.segments[1].span)
    return spans


K = TypeVar("K", bound=Hashable)


def all_io_sites(view: DocumentView, key: Callable[[IODef], K]) -> dict[K, list[Span]]:
    """:func:`io_sites` without the declaration, for every input and output the file's sites
    use, in one pass (what a file contributes to a workspace index), keyed by ``key(io)``.

    The same spans in the same order as one `io_sites(view, io, declaration=False)` per key:
    each site's template chains are found once instead of once per input.
    """
    index = view.index
    out: dict[K, list[Span]] = {}
    for site in index.sites():
        chains: list[NameChain] | None = None
        done: set[K] = set()
        for io in (*site.inputs, *site.outputs):
            k = key(io)
            if k in done:
                continue
            done.add(k)
            spans = out.setdefault(k, [])
            spans += _param_key_sites(view, site, io)
            if chains is None:
                chains = [c for node in _own_template_nodes(site) for c in _chains_in(view, node)]
            for chain in chains:
                spans += _chain_spans(chain, io, bare=True)
    refs: dict[K, list[Span]] = {}
    for site in index.ops:
        for param in site.params.values():
            if not isinstance(param.ref, str):
                continue
            value = param.value_node
            value_chains: list[NameChain] | None = None
            done = set()
            for io in referenced_ios(index, param.ref):
                k = key(io)
                if k in done or k not in out:
                    continue
                done.add(k)
                spans = refs.setdefault(k, [])
                section = "outputs" if io.is_output else "inputs"
                if isinstance(value, YScalar) and isinstance(value.value, str):
                    parts = [part.strip() for part in value.value.split(".")]
                    if len(parts) == 2 and parts[0] == section and parts[1] == io.name:
                        found_span = segment_span(value, 1)
                        if found_span is not None:
                            spans.append(found_span)
                if value_chains is None:
                    value_chains = list(_chains_in(view, value))
                for chain in value_chains:
                    spans += _chain_spans(chain, io, bare=False)
    for k, spans in refs.items():
        out[k] += spans
    return out
