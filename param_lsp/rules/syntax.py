"""Family "syntax": what stops PyYAML's ``safe_load`` (and so Polyaxon) from reading the file."""

from __future__ import annotations

import re
from dataclasses import replace

from param_lsp.core.context import CheckContext
from param_lsp.core.findings import Fix, Severity
from param_lsp.core.span import Position, Span
from param_lsp.core.yaml_tree import ParsedYaml, YamlProblem, YMap, YNode
from param_lsp.rules.registry import rule

YAML_SYNTAX = rule(
    "PLX001",
    "yaml-syntax-error",
    family="syntax",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="The file is not valid YAML.",
    doc="""
    Polyaxon reads polyaxonfiles with PyYAML (YAML 1.1) and rejects a file it cannot parse with
    "Received non valid yaml". The diagnostic sits where the parser stopped.
    """,
    bad="""
    run:
      kind: job
      container: {image: python:3.11
    """,
    good="""
    run:
      kind: job
      container: {image: "python:3.11"}
    """,
)

UNQUOTED_TEMPLATE = rule(
    "PLX002",
    "unquoted-template",
    family="syntax",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="An unquoted `{{ ... }}` at the start of a value is a YAML flow mapping.",
    doc="""
    In YAML `{{ x }}` is a mapping whose key is another mapping, which PyYAML refuses
    ("found unhashable key"). Quote the whole value so Polyaxon receives the template string.
    """,
    bad="""
    params:
      lr:
        value: {{ globals.uuid }}
    """,
    good="""
    params:
      lr:
        value: "{{ globals.uuid }}"
    """,
)

UNREADABLE_DOCUMENT = rule(
    "PLX003",
    "not-a-mapping",
    family="syntax",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="The document is empty or is not a mapping.",
    doc="""
    A polyaxonfile must be a YAML mapping; Polyaxon rejects an empty document, a list or a scalar
    with "Cannot read config_value".
    """,
    bad="""
    - kind: operation
    """,
    good="""
    kind: operation
    """,
)

DUPLICATE_KEY = rule(
    "PLX004",
    "duplicate-key",
    family="syntax",
    severity=Severity.WARNING,
    polyaxon_rejects=False,
    summary="A key appears twice in the same mapping; the last one silently wins.",
    doc="""
    PyYAML keeps the last value of a repeated key without a word, so the first definition is
    dead. Polyaxon accepts the file; this warning is deliberately stricter.
    """,
    bad="""
    params:
      lr: {value: 0.1}
      lr: {value: 0.01}
    """,
    good="""
    params:
      lr: {value: 0.01}
    """,
)

UNSAFE_DOCUMENT = rule(
    "PLX005",
    "document-too-complex",
    family="syntax",
    severity=Severity.ERROR,
    polyaxon_rejects=False,
    summary="The document nests too deeply or expands too far through aliases to be analysed.",
    doc="""
    Nesting deeper than 200 levels or aliases expanding to more than a million nodes (an
    "alias bomb") are refused before analysis so that the server stays responsive. No real
    polyaxonfile comes near these limits; Polyaxon itself would crash or hang on them.
    """,
    bad="""
    a: &a [x, x, x, x, x, x, x, x, x]
    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
    # ... repeated nine more levels
    """,
    good="""
    a: [x, x, x]
    """,
)


def _template_fix(problem: YamlProblem, lines: list[str]) -> tuple[Fix, ...]:
    span = problem.span
    if span.start.line != span.end.line or span.start.line >= len(lines):
        return ()
    text = lines[span.start.line][span.start.character : span.end.character]
    if '"' in text:
        return ()
    return (Fix('Quote the template: "{{ … }}"', span, f'"{text}"', safe=True),)


def report_parse(parsed: ParsedYaml, text: str, ctx: CheckContext) -> YMap | None:
    """Turn parse problems into findings; return the root mapping when analysis can go on."""
    lines = text.split("\n")
    for problem in parsed.problems:
        problem = replace(problem, span=_clamp(problem.span, lines))
        if problem.kind == "unhashable-key":
            ctx.report(
                UNQUOTED_TEMPLATE.at(
                    problem.span,
                    "Unquoted `{{ … }}` is read by YAML as a mapping (found unhashable key); "
                    "quote the value",
                    fixes=_template_fix(problem, lines),
                )
            )
        elif problem.kind in ("empty",):
            ctx.report(UNREADABLE_DOCUMENT.at(problem.span, "The document is empty"))
        elif problem.kind in ("too-deep", "alias-bomb"):
            ctx.report(UNSAFE_DOCUMENT.at(problem.span, f"Not analysed: {problem.message}"))
        else:
            hint = _unquoted_template_near(problem.span, lines)
            if hint is None:
                ctx.report(
                    YAML_SYNTAX.at(problem.span, f"Invalid YAML: {_ticked(problem.message)}")
                )
            else:
                ctx.report(
                    YAML_SYNTAX.at(
                        problem.span,
                        f"Invalid YAML: {_ticked(problem.message)}; the value on line "
                        f"{hint.span.start.line + 1} starts with an unquoted `{{{{`, which YAML "
                        "reads as a mapping: quote it",
                        fixes=(hint,),
                    )
                )
    for duplicate, first in parsed.duplicates:
        ctx.report(
            DUPLICATE_KEY.at(
                duplicate.span,
                f"Duplicate key `{_key_text(duplicate)}`: this value replaces the one on line "
                f"{first.start.line + 1}",
            )
        )
    root = parsed.root
    if root is None:
        return None
    if not isinstance(root, YMap):
        ctx.report(
            UNREADABLE_DOCUMENT.at(
                _first_line(root), "A polyaxonfile must be a mapping, not a " + _kind(root)
            )
        )
        return None
    # Constructor problems (unquoted templates, unknown tags) leave a usable tree: keep going so
    # that every independent error is reported at once.
    return root


_UNQUOTED_TEMPLATE_VALUE = re.compile(r"(?:^|[:\-])[ \t]+(\{\{[^\n]*?)[ \t]*(?:#.*)?$")


def _ticked(message: str) -> str:
    """The parser's quoted characters (`expected ',' or '}'`) in backticks."""
    return re.sub(r"'([^'\s]{1,3})'", r"`\1`", message)


def _unquoted_template_near(span: Span, lines: list[str]) -> Fix | None:
    """A quoting fix for an unquoted `{{ … }}` value on the error's line or the line above."""
    for line_no in (span.start.line, span.start.line - 1):
        if not 0 <= line_no < len(lines):
            continue
        match = _UNQUOTED_TEMPLATE_VALUE.search(lines[line_no])
        if match is None or '"' in match.group(1):
            continue
        start, end = match.span(1)
        return Fix(
            'Quote the value: "{{ … }}"',
            Span.of(line_no, start, line_no, end),
            f'"{match.group(1)}"',
            safe=True,
        )
    return None


def _clamp(span: Span, lines: list[str]) -> Span:
    """Keep a parser mark's one-character span inside the text (marks can sit at line ends)."""
    last = len(lines) - 1

    def inside(pos: Position) -> Position:
        line = min(pos.line, last)
        return Position(line, min(pos.character, len(lines[line])))

    return Span(inside(span.start), inside(span.end))


def _key_text(node: YNode) -> str:
    value = node.to_py()
    return str(value)


def _first_line(node: YNode) -> Span:
    start = node.start
    end = node.end if node.end.line == start.line else start._replace(character=start.character + 1)
    return Span(start, end)


def _kind(node: YNode) -> str:
    from param_lsp.core.yaml_tree import YSeq

    return "list" if isinstance(node, YSeq) else "scalar"


NOT_UTF8 = rule(
    "PLX006",
    "not-utf8",
    family="syntax",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="The file is not UTF-8 text.",
    doc="""
    Polyaxon reads polyaxonfiles as UTF-8 text; a binary file or another encoding cannot be read.
    """,
    bad="""
    # (bytes that are not valid UTF-8)
    """,
    good="""
    kind: operation
    """,
)


INTERNAL_ERROR = rule(
    "PLX007",
    "internal-error",
    family="syntax",
    severity=Severity.WARNING,
    polyaxon_rejects=False,
    summary="param-lsp failed while analysing the file (a bug in param-lsp, not in the file).",
    doc="""
    Reported instead of crashing when the analysis itself raises an unexpected error, so that
    editors never keep stale diagnostics and CI sees the problem. Please report it together with
    the file that triggers it.
    """,
    bad="""
    # (any file that triggers a bug in param-lsp)
    """,
    good="""
    kind: operation
    """,
)
