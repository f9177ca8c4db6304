"""Family "templates": `{{ … }}` expressions in param values, IO defaults and the run section.

Polyaxon renders these with a default Jinja2 environment at compile time (spec §13.2), where an
unknown last segment (`{{ globals.uuidd }}`) silently renders as an empty string. `polyaxon
check` never renders, so every finding here is a warning that is deliberately stricter than
Polyaxon.

The parsing API is shared with the language server (completion and hover inside `{{ }}`):
:func:`find_templates` splits a string into :class:`TemplateExpr` objects whose
:class:`TemplatePath` segments carry offsets, :func:`scalar_sub_span` maps a string offset back
to a document range, and :func:`scope_for` / :func:`namespaces_for` say which names exist.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from param_lsp.core.compose import Composed
from param_lsp.core.context import CheckContext
from param_lsp.core.findings import Fix, Severity
from param_lsp.core.lazy_regex import LazyPattern
from param_lsp.core.memo import canonical, check_in_chunks, remembered
from param_lsp.core.model import IODef, ParamDef, read_layer
from param_lsp.core.settings import Settings
from param_lsp.core.span import Position, Span
from param_lsp.core.workspace import Workspace
from param_lsp.core.yaml_tree import YMap, YNode, YScalar, YSeq, walk
from param_lsp.rules.joins import with_join_params
from param_lsp.rules.references import composer
from param_lsp.rules.registry import rule

UNKNOWN_NAME = rule(
    "PLX800",
    "template-unknown-name",
    family="templates",
    severity=Severity.WARNING,
    polyaxon_rejects=False,
    summary="A `{{ name }}` names nothing in the template context.",
    doc="""
    Names available inside a template are the run's inputs, outputs and params (by name),
    `params.<name>`, `globals.<key>`, `connections.<name>` and `init.<name>`. Jinja renders an
    unknown name as an empty string (and fails only on attribute access), so Polyaxon accepts the
    file and the run gets an empty value. Deliberately stricter than Polyaxon (a warning).
    """,
    bad="""
    inputs: [{name: learning_rate, type: float}]
    run:
      kind: job
      container: {image: python, args: ["--lr={{ learning_rat }}"]}
    """,
    good="""
    inputs: [{name: learning_rate, type: float}]
    run:
      kind: job
      container: {image: python, args: ["--lr={{ learning_rate }}"]}
    """,
)

UNKNOWN_KEY = rule(
    "PLX801",
    "template-unknown-key",
    family="templates",
    severity=Severity.WARNING,
    polyaxon_rejects=False,
    summary="A `{{ namespace.key }}` names a key the namespace does not have.",
    doc="""
    `globals` has a fixed set of keys (which depends on the run kind: services add `ports`,
    `base_url`, `base_urls`), `params.<name>` needs a declared input/output or param, and a
    param entry offers `value`, `connection`, `type`, `as_str` and `as_arg`. Jinja renders an
    unknown last key as an empty string, so Polyaxon accepts it silently. Deliberately stricter
    than Polyaxon (a warning).
    """,
    bad="""
    run:
      kind: job
      container: {image: python, args: ["--run={{ globals.run_uuid }}"]}
    """,
    good="""
    run:
      kind: job
      container: {image: python, args: ["--run={{ globals.uuid }}"]}
    """,
)

REF_NAMESPACE_IN_TEMPLATE = rule(
    "PLX802",
    "template-ref-namespace",
    family="templates",
    severity=Severity.WARNING,
    polyaxon_rejects=False,
    summary="`inputs`/`outputs`/`ops`/`dag` in a template without a `ref` are undefined.",
    doc="""
    `{{ inputs.x }}`, `{{ outputs.x }}`, `{{ artifacts.x }}` and `{{ io }}` are *ref values*:
    they mean something only in a param that also has a `ref` (`ops.<name>`, `runs.<uuid>` or
    `dag`). Elsewhere the run's own values are plain names (`{{ x }}`), and Jinja fails with
    "'inputs' is undefined" when the template is rendered. Deliberately stricter than Polyaxon
    (`polyaxon check` does not render templates).
    """,
    bad="""
    params:
      lr: {value: "{{ inputs.lr }}"}
    """,
    good="""
    params:
      lr: {value: "{{ lr }}"}
    """,
)

# -------------------------------------------------------------------------------- namespaces

#: `globals.*` of every run (spec §13.2); `run_artifacts_path`/`run_outputs_path` exist when
#: artifacts are collected or a store is set, which is the normal setup.
RUN_GLOBALS = (
    "owner_name", "username", "user_email", "project_name", "project_uuid",
    "project_unique_name", "run_info", "name", "uuid", "namespace", "iteration", "context_path",
    "artifacts_path", "created_at", "compiled_at", "schedule_at", "started_at", "finished_at",
    "duration", "cloning_kind", "original_uuid", "is_independent", "store_path",
    "run_relative_outputs_path", "run_artifacts_path", "run_outputs_path",
)  # fmt: skip
SERVICE_GLOBALS = ("ports", "base_url", "base_urls")
PARAM_ATTRIBUTES = ("value", "connection", "type", "as_str", "as_arg")
#: Namespaces whose keys come from the cluster configuration (not knowable from the file).
OPEN_NAMESPACES = frozenset({"connections", "init"})
#: Ref-value namespaces: only meaningful inside a param with `ref`.
REF_NAMESPACES = frozenset({"inputs", "outputs", "io", "artifacts", "ops", "dag"})
#: Jinja words and literals that are not variables.
_JINJA_WORDS = frozenset(
    {"and", "or", "not", "in", "is", "if", "else", "elif", "for", "endfor", "endif", "set",
     "true", "false", "none", "True", "False", "None", "loop", "range", "lipsum", "dict",
     "cycler", "joiner", "namespace", "recursive", "with", "without", "context", "import",
     "from", "as", "block", "endblock", "macro", "endmacro", "call", "filter", "raw", "endraw"}
)  # fmt: skip


@dataclass(slots=True, eq=False, repr=False)
class TemplateScope:
    """What a template can name at one place of a document."""

    names: set[str] = field(default_factory=set)  # top-level names (IO, params, joins, matrix)
    params: set[str] = field(default_factory=set)  # keys of `params.<name>`
    globals: tuple[str, ...] = RUN_GLOBALS
    #: False when the IO is unknown (hub/url component): names are not judged.
    complete: bool = True
    #: (how many names, the sorted names a misspelt one may be), built on first use: one tuple
    #: for every unknown name of the scope (did-you-mean recognises it and reuses its index).
    _guesses: tuple[int, tuple[str, ...]] | None = field(default=None, repr=False, compare=False)

    def guess_names(self) -> tuple[str, ...]:
        if self._guesses is None or self._guesses[0] != len(self.names):
            self._guesses = (len(self.names), tuple(sorted(self.names | {"globals", "params"})))
        return self._guesses[1]

    @property
    def namespaces(self) -> dict[str, list[str] | None]:
        """Namespace → known keys (None: open, any key accepted); for completion."""
        return {
            "globals": list(self.globals),
            "params": [*sorted(self.params), "as_args"],
            "connections": None,
            "init": None,
        }


def scope_for(
    inputs: Iterable[IODef],
    outputs: Iterable[IODef],
    params: Iterable[ParamDef] | Iterable[str],
    *,
    run_kind: str | None,
    extra_names: Iterable[str] = (),
    complete: bool = True,
) -> TemplateScope:
    scope = TemplateScope(complete=complete)
    for io in [*inputs, *outputs]:
        scope.names.add(io.name)
        scope.params.add(io.name)
    for param in params:
        name = param if isinstance(param, str) else param.name
        scope.names.add(name)
        scope.params.add(name)
    scope.names.update(extra_names)
    if run_kind == "service":
        scope.globals = RUN_GLOBALS + SERVICE_GLOBALS
    return scope


def matrix_names(matrix: YNode | None) -> list[str]:
    """Names a matrix adds to the template context (its params, or the first mapping row)."""
    if not isinstance(matrix, YMap):
        return []
    names: list[str] = []
    params = matrix.get("params")
    if isinstance(params, YMap):
        names += [key for key in params.index if isinstance(key, str)]
    values = matrix.get("values")
    if isinstance(values, YSeq):
        for row in values.items:
            if isinstance(row, YMap):
                names += [key for key in row.index if isinstance(key, str)]
    resource = matrix.get("resource")
    if isinstance(resource, YMap):
        name = resource.get("name")
        if isinstance(name, YScalar) and isinstance(name.value, str):
            names.append(name.value)
    return names


# ----------------------------------------------------------------------------------- parsing


@dataclass(slots=True)
class Segment:
    """One name of a dotted/indexed path; offsets are in the enclosing string."""

    name: str
    start: int
    end: int


@dataclass(slots=True)
class TemplatePath:
    """A variable reference such as `globals.uuid` or `params['lr'].value`."""

    segments: list[Segment]
    filters: list[str] = field(default_factory=list)

    @property
    def root(self) -> str:
        return self.segments[0].name

    @property
    def dotted(self) -> str:
        return ".".join(segment.name for segment in self.segments)


@dataclass(slots=True, eq=False, repr=False)
class TemplateExpr:
    """One `{{ … }}` of a string: its span (offsets of `{{` and after `}}`) and its paths."""

    start: int
    end: int
    inner: str
    inner_start: int
    paths: list[TemplatePath]
    closed: bool = True


_TOKEN = re.compile(
    r"""(?P<ws>\s+)|(?P<name>[^\W\d]\w*)|(?P<str>'[^'\\]*(?:\\.[^'\\]*)*'|"[^"\\]*(?:\\.[^"\\]*)*")"""
    r"""|(?P<num>\d+(?:\.\d+)?)|(?P<op>[.\[\]|(),:=<>!+\-*/%~{}])"""
)
_BLOCK = LazyPattern(r"{%-?(.*?)-?%}", re.S)
_BOUND = LazyPattern(r"\b(?:for|set)\s+([^\W\d]\w*(?:\s*,\s*[^\W\d]\w*)*)")


def find_templates(text: str) -> list[TemplateExpr]:
    """Every `{{ … }}` in ``text`` (an unclosed one runs to the end, for completion)."""
    found: list[TemplateExpr] = []
    position = 0
    while True:
        start = text.find("{{", position)
        if start < 0:
            return found
        close = text.find("}}", start + 2)
        closed = close >= 0
        inner_end = close if closed else len(text)
        inner = text[start + 2 : inner_end]
        found.append(
            TemplateExpr(
                start=start,
                end=close + 2 if closed else len(text),
                inner=inner,
                inner_start=start + 2,
                paths=parse_paths(inner, start + 2),
                closed=closed,
            )
        )
        if not closed:
            return found
        position = close + 2


def bound_names(text: str) -> set[str]:
    """Names bound by `{% for x in … %}` / `{% set x = … %}` blocks of ``text``."""
    names: set[str] = set()
    for block in _BLOCK.finditer(text):
        for match in _BOUND.finditer(block.group(1)):
            names.update(part.strip() for part in match.group(1).split(","))
    return names


#: A lone dotted name (`globals.uuid`), by far the most common expression.
_DOTTED = re.compile(r"\s*([^\W\d]\w*(?:\.[^\W\d]\w*)*)\s*")


def parse_paths(inner: str, base: int = 0) -> list[TemplatePath]:
    """Variable paths of a Jinja expression; filter/test names and literals are skipped."""
    dotted = _DOTTED.fullmatch(inner)
    if dotted is not None:
        # The tokenizer's answer, without the tokens.
        offset = dotted.start(1) + base
        segments = []
        for name in dotted.group(1).split("."):
            segments.append(Segment(name, offset, offset + len(name)))
            offset += len(name) + 1
        return [] if segments[0].name in _JINJA_WORDS else [TemplatePath(segments)]
    return _tokenized_paths(inner, base)


def _tokenized_paths(inner: str, base: int) -> list[TemplatePath]:
    tokens = [
        (m.lastgroup or "", m.group(), m.start() + base)
        for m in _TOKEN.finditer(inner)
        if m.lastgroup != "ws"
    ]
    paths: list[TemplatePath] = []
    index = 0
    previous: tuple[str, str] | None = None
    while index < len(tokens):
        kind, text, offset = tokens[index]
        is_member = previous is not None and previous[1] in (".", "|")
        after_is = previous is not None and previous[1] == "is"
        next_text = tokens[index + 1][1] if index + 1 < len(tokens) else ""
        is_kwarg = next_text == "=" and (index + 2 >= len(tokens) or tokens[index + 2][1] != "=")
        if (
            kind == "name"
            and not is_member
            and not after_is
            and not is_kwarg
            and (text not in _JINJA_WORDS)
        ):
            segments = [Segment(text, offset, offset + len(text))]
            index += 1
            while index < len(tokens):
                text2 = tokens[index][1]
                if text2 == "." and index + 1 < len(tokens) and tokens[index + 1][0] == "name":
                    name_token = tokens[index + 1]
                    segments.append(
                        Segment(name_token[1], name_token[2], name_token[2] + len(name_token[1]))
                    )
                    index += 2
                    continue
                if (
                    text2 == "["
                    and index + 2 < len(tokens)
                    and tokens[index + 1][0] in ("str", "name")
                    and tokens[index + 2][1] == "]"
                ):
                    # `x['key']`, and `connections[name]` as Polyaxon's docs write it (Jinja
                    # would look `name` up as a variable; it is read as a key here).
                    key_kind, key_text, key_offset = tokens[index + 1]
                    if key_kind == "str":
                        key_text, key_offset = key_text[1:-1], key_offset + 1
                    segments.append(Segment(key_text, key_offset, key_offset + len(key_text)))
                    index += 3
                    continue
                break
            path = TemplatePath(segments)
            while index + 1 < len(tokens) and tokens[index][1] == "|":
                if tokens[index + 1][0] == "name":
                    path.filters.append(tokens[index + 1][1])
                index += 2
            paths.append(path)
            previous = (kind, segments[-1].name)
            continue
        previous = (kind, text)
        index += 1
    return paths


def filter_segments(inner: str, base: int = 0) -> list[Segment]:
    """Names that follow `|` in a Jinja expression (filters), with their offsets; strings are
    skipped by the tokenizer, so `'a|b'` holds none."""
    found: list[Segment] = []
    after_pipe = False
    for match in _TOKEN.finditer(inner):
        kind = match.lastgroup
        if kind == "ws":
            continue
        if after_pipe and kind == "name":
            start = match.start() + base
            found.append(Segment(match.group(), start, start + len(match.group())))
        after_pipe = match.group() == "|"
    return found


def scalar_sub_span(node: YNode, start: int, end: int) -> Span:
    """The document range of ``value[start:end]`` for a string scalar; the whole node when the
    text does not map 1:1 to the source (multi-line, escapes, block scalars)."""
    if not isinstance(node, YScalar) or node.start.line != node.end.line:
        return node.span
    style = node.style
    text = node.text
    if style in ('"', "'"):
        if "\\" in text or ("'" in text and style == "'"):
            return node.span
        width = len(text) + 2
        column = node.start.character + 1
    elif not style:
        width = len(text)
        column = node.start.character
    else:
        return node.span
    if node.end.character - node.start.character != width or end > len(text):
        return node.span
    line = node.start.line
    return Span(Position(line, column + start), Position(line, column + end))


# ---------------------------------------------------------------------------------- checking


def check_string(
    text: str, node: YNode, scope: TemplateScope, ctx: CheckContext, *, where: str = ""
) -> None:
    """Warn about unknown names/keys in every `{{ … }}` of ``text`` (a scalar's value)."""
    if "{{" not in text or not scope.complete:
        return
    # Parsing the expressions is the costly part and depends on the text alone (remembered
    # while the node is unchanged); names are judged against the scope every time.
    local, paths = remembered(node, ("template-paths", text), lambda: _paths_of(text))
    for path in paths:
        _check_path(path, node, scope, local, ctx)


def _paths_of(text: str) -> tuple[set[str], list[TemplatePath]]:
    local = bound_names(text) if "{%" in text else set()
    return local, [path for expr in find_templates(text) for path in expr.paths]


def _check_path(
    path: TemplatePath, node: YNode, scope: TemplateScope, local: set[str], ctx: CheckContext
) -> None:
    from param_lsp.core.names import did_you_mean, unambiguous

    root = path.segments[0]
    if root.name in local or root.name in OPEN_NAMESPACES:
        return
    if root.name == "globals":
        if len(path.segments) < 2:
            return
        key = path.segments[1]
        if key.name not in scope.globals:
            _report_key(node, key, "globals", list(scope.globals), ctx)
        return
    if root.name == "params":
        if len(path.segments) < 2:
            return
        key = path.segments[1]
        if key.name == "as_args":
            return
        if key.name not in scope.params:
            _report_key(
                node, key, "params", sorted(scope.params), ctx, fails=len(path.segments) > 2
            )
            return
        if len(path.segments) >= 3 and path.segments[2].name not in PARAM_ATTRIBUTES:
            _report_key(node, path.segments[2], f"params.{key.name}", list(PARAM_ATTRIBUTES), ctx)
        return
    if root.name in scope.names:
        return
    span = scalar_sub_span(node, root.start, root.end)
    if root.name in REF_NAMESPACES:
        ctx.report(
            REF_NAMESPACE_IN_TEMPLATE.at(
                span,
                f"`{{{{ {path.dotted} }}}}` is a ref value: `{root.name}` exists only in a param "
                "that also sets `ref` (`ops.<name>`, `runs.<uuid>` or `dag`), so here it is "
                "undefined; "
                + (
                    f"use the run's own value, `{{{{ {path.segments[1].name} }}}}`."
                    if len(path.segments) > 1 and path.segments[1].name in scope.names
                    else "add a param with that `ref` and use it."
                ),
                polyaxon=f"'{root.name}' is undefined",
            )
        )
        return
    names = scope.guess_names()
    guess = did_you_mean(root.name, names)
    hint = f"; did you mean `{guess}`?" if guess else ""
    fixes = (
        (Fix(f"Replace with `{guess}`", span, guess, safe=unambiguous(root.name, guess, names)),)
        if guess and span != node.span
        else ()
    )
    fails = len(path.segments) > 1
    consequence = "Jinja fails on it" if fails else "Jinja renders it as an empty string"
    ctx.report(
        UNKNOWN_NAME.at(
            span,
            f"`{root.name}` is not defined in this template context (not an input, output, "
            f"param, `globals`, `params`, `connections` or `init`), so {consequence}"
            + (hint or "; declare it as an input or fix the name."),
            fixes=fixes,
            polyaxon=f"'{root.name}' is undefined" if fails else "",
        )
    )


def _report_key(
    node: YNode,
    key: Segment,
    namespace: str,
    candidates: list[str],
    ctx: CheckContext,
    *,
    fails: bool = False,
) -> None:
    from param_lsp.core.names import did_you_mean, unambiguous

    span = scalar_sub_span(node, key.start, key.end)
    guess = did_you_mean(key.name, candidates)
    hint = f"; did you mean `{guess}`?" if guess else ""
    safe = unambiguous(key.name, guess, candidates)
    fixes = (
        (Fix(f"Replace with `{guess}`", span, guess, safe=safe),)
        if guess and span != node.span
        else ()
    )
    ctx.report(
        UNKNOWN_KEY.at(
            span,
            f"`{namespace}` has no key `{key.name}`, so Jinja "
            + (
                "fails on the attribute access that follows"
                if fails
                else "renders it as an empty string"
            )
            + (hint or "; use one of its keys."),
            fixes=fixes,
        )
    )


def iter_strings(node: YNode | None) -> Iterator[tuple[str, YScalar]]:
    """Every string scalar (values and keys) under ``node`` that contains `{{`."""
    if node is None:
        return
    for current in walk(node):
        if (
            isinstance(current, YScalar)
            and isinstance(current.value, str)
            and "{{" in current.value
        ):
            yield current.value, current


#: Run-section keys that hold nested documents checked with their own scope.
_NESTED_RUN_KEYS = frozenset({"operations", "components"})


def check_run_section(run: YNode | None, scope: TemplateScope, ctx: CheckContext) -> None:
    if not isinstance(run, YMap):
        return
    for key, value in run.pairs:
        if isinstance(key, YScalar) and key.value in _NESTED_RUN_KEYS:
            continue
        for text, node in iter_strings(value):
            check_string(text, node, scope, ctx)


def check_params(params: Iterable[ParamDef], scope: TemplateScope, ctx: CheckContext) -> None:
    """Templated literal param values (refs are the refs family's)."""
    for param in params:
        if param.ref is not None or param.is_join or param.value_node is None:
            continue
        for text, node in iter_strings(param.value_node):
            check_string(text, node, scope, ctx)


def check_io_defaults(ios: Iterable[IODef], scope: TemplateScope, ctx: CheckContext) -> None:
    for io in ios:
        value = io.node.get("value")
        for text, node in iter_strings(value):
            check_string(text, node, scope, ctx)


def check_composed(
    composed: Composed,
    ctx: CheckContext,
    *,
    params: Iterable[ParamDef],
    seen: set[int] | None = None,
    chunk_slot: Hashable | None = None,
) -> None:
    """All template positions of one composed operation (top level or a DAG op) that lie in the
    checked file; ``seen`` is shared by the ops of a DAG so a shared component is judged once.

    With ``chunk_slot`` (the document's own operation), long lists of params and inputs are
    checked in chunks that an unchanged, clean chunk of the last analysis lets skip.
    """
    here = ctx.path
    seen = seen if seen is not None else set()
    param_list = list(params)
    # `is` first: Path equality costs half a microsecond even for the same object.
    own_params = [
        param
        for param in param_list
        if (param.source is here or param.source == here)
        and param.ref is None
        and not param.is_join
    ]
    own_ios: list[IODef] = []
    for io in [*composed.inputs, *composed.outputs]:
        if (io.source is here or io.source == here) and id(io.node) not in seen:
            seen.add(id(io.node))
            own_ios.append(io)
    run_strings: list[tuple[str, YScalar]] = []
    run = composed.run
    # A run shared by several DAG ops (one component) is judged with the first op only.
    if isinstance(run, YMap) and id(run) not in seen and _run_in_file(composed, here):
        seen.add(id(run))
        for key, value in run.pairs:
            if not (isinstance(key, YScalar) and key.value in _NESTED_RUN_KEYS):
                run_strings += iter_strings(value)

    def scope() -> TemplateScope:
        return scope_for(
            composed.inputs,
            composed.outputs,
            param_list,
            run_kind=composed.run_kind,
            extra_names=matrix_names(composed.matrix),
            complete=composed.complete and not composed.broken,
        )

    if chunk_slot is None:
        strings = [found for param in own_params for found in iter_strings(param.value_node)]
        strings += [found for io in own_ios for found in iter_strings(io.node.get("value"))]
        strings += run_strings
        if strings:
            judged = scope()
            for text, node in strings:
                check_string(text, node, judged, ctx)
        return
    judged = scope()
    # The same object while the scope's content is the same: chunks name it by identity.
    same = canonical(
        (frozenset(judged.names), frozenset(judged.params), judged.globals, judged.complete)
    )

    def check_value(node: YNode | None) -> None:
        if node.__class__ is YScalar:  # most values: no walk
            text = node.value
            if text.__class__ is str and "{{" in text:
                check_string(text, node, judged, ctx)
            return
        for text, found in iter_strings(node):
            check_string(text, found, judged, ctx)

    check_in_chunks(
        ctx,
        ("template-params", chunk_slot, id(same)),
        own_params,
        lambda chunk: (*map(_VALUE_NODE, chunk), same),
        lambda param: check_value(param.value_node),
    )
    check_in_chunks(
        ctx,
        ("template-defaults", chunk_slot, id(same)),
        own_ios,
        lambda chunk: (*map(_NODE, chunk), same),
        lambda io: check_value(io.node.get("value")),
    )
    for text, node in run_strings:
        check_string(text, node, judged, ctx)


_VALUE_NODE = operator.attrgetter("value_node")
_NODE = operator.attrgetter("node")


def _run_in_file(composed: Composed, here: Path | None) -> bool:
    owner = next((layer for layer in composed.layers if layer.run is composed.run), None)
    return owner is not None and (owner.source is here or owner.source == here)


def check_templates(composed: Composed, ctx: CheckContext) -> None:
    """Entry point for a whole document (called from the analysis pipeline)."""
    params = with_join_params(composed.params, composed.joins)
    check_composed(composed, ctx, params=params.values(), chunk_slot="document")


def namespaces_for(
    composed: Composed | None, settings: Settings, path: Path | None, position: Position
) -> TemplateScope | None:
    """The template scope at ``position`` (for completion/hover): the DAG op under the cursor
    when there is one, else the document's own operation; None when nothing was composed."""
    if composed is None:
        return None
    op_scope = _dag_op_scope(composed, settings, path, position)
    if op_scope is not None:
        return op_scope
    return scope_for(
        composed.inputs,
        composed.outputs,
        list(with_join_params(composed.params, composed.joins).values()),
        run_kind=composed.run_kind,
        extra_names=matrix_names(composed.matrix),
        complete=composed.complete,
    )


def _dag_op_scope(
    composed: Composed, settings: Settings, path: Path | None, position: Position
) -> TemplateScope | None:
    if composed.run_kind != "dag" or composed.run is None:
        return None
    for span, item in spans_of_ops(composed.run):
        if not span.contains(position):
            continue
        sub = CheckContext(settings=settings, path=path)
        root = settings.root
        workspace = Workspace(root=Path(root) if root else None)
        components = {
            str(name.value): entry
            for entry in _seq_items(composed.run.get("components"))
            if isinstance(name := entry.get("name"), YScalar)
        }
        op = composer(sub, workspace, dag_components=components).compose(read_layer(item, path))
        params = list(op.params.values())
        return scope_for(
            op.inputs,
            op.outputs,
            params,
            run_kind=op.run_kind,
            extra_names=matrix_names(op.matrix),
            complete=op.complete,
        )
    return None


def _seq_items(node: YNode | None) -> list[YMap]:
    if not isinstance(node, YSeq):
        return []
    return [item for item in node.items if isinstance(item, YMap)]


def spans_of_ops(run: YMap) -> list[tuple[Span, YMap]]:
    """Each op entry's range (for editor features that need the op under the cursor)."""
    ops = run.get("operations")
    if not isinstance(ops, YSeq):
        return []
    return [(item.span, item) for item in ops.items if isinstance(item, YMap)]
