"""`{{ … }}` expressions and `ref`/`value` strings as editor features see them (positions only).

This module only finds and splits expressions for completion, hover, tokens and navigation, with
the templates rule family's parser; it never judges them (the refs/templates rule families do).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from param_lsp.core.span import Position, Span
from param_lsp.rules.templates import filter_segments, find_templates

_OPEN = "{{"
_CLOSE = "}}"
_STRING = re.compile(r"""'[^']*'|"[^"]*\"""")
_TRAILING_CHAIN = re.compile(r"(?:[A-Za-z_][\w-]*\s*\.\s*)*[A-Za-z_]?[\w-]*$")
_TRAILING_FILTER = re.compile(r"\|\s*([A-Za-z_]\w*)?$")


@dataclass(frozen=True, slots=True)
class Segment:
    name: str
    span: Span


@dataclass(frozen=True, slots=True)
class NameChain:
    """A dotted name inside an expression (`globals.uuid`, `params.lr.as_arg`)."""

    segments: tuple[Segment, ...]
    is_filter: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(segment.name for segment in self.segments)

    @property
    def span(self) -> Span:
        return Span(self.segments[0].span.start, self.segments[-1].span.end)


@dataclass(frozen=True, slots=True)
class Expression:
    """One `{{ … }}` on one line."""

    span: Span
    inner: str
    chains: tuple[NameChain, ...]


def expressions_in_line(text: str, line: int) -> list[Expression]:
    """The closed `{{ … }}` of one line, parsed by the templates rule family's parser."""
    found: list[Expression] = []
    for template in find_templates(text):
        if not template.closed:
            continue
        chains = tuple(
            NameChain(
                tuple(
                    Segment(segment.name, Span.of(line, segment.start, line, segment.end))
                    for segment in path.segments
                )
            )
            for path in template.paths
            if path.segments
        )
        if "|" in template.inner:
            chains += tuple(
                NameChain((Segment(f.name, Span.of(line, f.start, line, f.end)),), is_filter=True)
                for f in filter_segments(template.inner, template.inner_start)
            )
        found.append(
            Expression(Span.of(line, template.start, line, template.end), template.inner, chains)
        )
    return found


def find_expressions(lines: list[str]) -> list[Expression]:
    """Every single-line `{{ … }}` of the document, in order."""
    found: list[Expression] = []
    for number, text in enumerate(lines):
        if _OPEN in text:
            found.extend(expressions_in_line(text, number))
    return found


def expression_at(lines: list[str], pos: Position) -> tuple[Expression, NameChain | None] | None:
    if not 0 <= pos.line < len(lines):
        return None
    for expression in expressions_in_line(lines[pos.line], pos.line):
        if expression.span.contains(pos):
            for chain in expression.chains:
                if chain.span.contains(pos):
                    return expression, chain
            return expression, None
    return None


@dataclass(frozen=True, slots=True)
class OpenTemplate:
    """The cursor is inside an unclosed `{{`: the dotted name typed so far."""

    #: Complete segments before the one being typed (`["globals"]` for `globals.ar|`).
    parents: tuple[str, ...]
    #: The partial segment (`"ar"`) and where it starts.
    partial: str
    partial_start: int
    #: The name being typed follows `|`: a filter, not a variable.
    is_filter: bool = False


def open_template_at(line_text: str, column: int) -> OpenTemplate | None:
    before = line_text[:column]
    start = before.rfind(_OPEN)
    if start < 0 or _CLOSE in before[start:]:
        return None
    inner = before[start + 2 :]
    masked = _STRING.sub(lambda m: " " * len(m.group(0)), inner)
    piped = _TRAILING_FILTER.search(masked)
    if piped is not None:
        partial = piped.group(1) or ""
        return OpenTemplate((), partial, column - len(partial), is_filter=True)
    match = _TRAILING_CHAIN.search(inner)
    chain = match.group(0) if match else ""
    parts = [part.strip() for part in chain.split(".")]
    partial = parts[-1] if parts else ""
    return OpenTemplate(tuple(p for p in parts[:-1]), partial, column - len(partial))


@dataclass(frozen=True, slots=True)
class DottedValue:
    """A plain dotted value (`ops.train`, `outputs.model`, `{{ outputs.model }}`) with spans."""

    text: str
    segments: tuple[Segment, ...]

    @property
    def span(self) -> Span | None:
        if not self.segments:
            return None
        return Span(self.segments[0].span.start, self.segments[-1].span.end)


def dotted_value(line_text: str, line: int, start: int) -> DottedValue:
    """Split the value starting at ``start`` on a line (quotes and `{{ }}` skipped)."""
    end = len(line_text)
    comment = line_text.find(" #", start)
    if comment >= 0:
        end = comment
    raw = line_text[start:end].rstrip()
    pos = 0
    while pos < len(raw) and raw[pos] in "\"' {":
        pos += 1
    body_end = len(raw)
    while body_end > pos and raw[body_end - 1] in "\"' }":
        body_end -= 1
    body = raw[pos:body_end]
    segments: list[Segment] = []
    offset = start + pos
    cursor = 0
    for part in body.split("."):
        stripped = part.strip()
        lead = len(part) - len(part.lstrip())
        begin = offset + cursor + lead
        segments.append(Segment(stripped, Span.of(line, begin, line, begin + len(stripped))))
        cursor += len(part) + 1
    return DottedValue(body.strip(), tuple(segments) if body.strip() else ())
