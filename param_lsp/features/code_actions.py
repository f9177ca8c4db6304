"""Quick fixes: every finding's own fixes, plus "add missing required params"."""

from __future__ import annotations

from param_lsp.core.findings import Finding
from param_lsp.core.locate import split_line
from param_lsp.core.span import Span
from param_lsp.core.yaml_tree import YMap, YScalar
from param_lsp.features.document import DocumentView
from param_lsp.features.index import CallSite
from param_lsp.features.results import CodeAction, FileEdits, TextEdit

MISSING_PARAM_CODES = frozenset({"PLX300", "PLX301"})
#: A param that matches no input or output, kept as a context value (rules/params.py).
CONTEXT_VALUE_CODE = "PLX303"
#: What "Add missing required params" writes as each value: Polyaxon rejects `null` for a
#: required input ("No value was provided for the non optional key"), so the param stays
#: flagged until the user types its value (an empty string would be accepted silently).
REQUIRED_PLACEHOLDER = "null"


def _overlaps(a: Span, b: Span) -> bool:
    return a.start <= b.end and b.start <= a.end


def code_actions(view: DocumentView, span: Span) -> list[CodeAction]:
    actions: list[CodeAction] = []
    missing_done: set[int] = set()
    for finding in view.findings:
        if not _overlaps(finding.span, span):
            continue
        for fix in finding.fixes:
            actions.append(
                CodeAction(
                    title=fix.title,
                    edits=(FileEdits(None, (TextEdit(fix.span, fix.new_text),)),),
                    fixes_codes=(finding.code,),
                    fixes_spans=(finding.span,),
                    preferred=len(finding.fixes) == 1,
                )
            )
        option_fix = _option_fix(view, finding)
        if option_fix is not None:
            actions.append(option_fix)
        if finding.code == CONTEXT_VALUE_CODE:
            context_fix = _context_only_fix(view, finding)
            if context_fix is not None:
                actions.append(context_fix)
        if finding.code in MISSING_PARAM_CODES:
            site = _site_for_finding(view, finding)
            if site is not None and id(site) not in missing_done:
                missing_done.add(id(site))
                action = add_missing_params(view, site, finding)
                if action is not None:
                    actions.append(action)
    actions.extend(_suppressions(view, span))
    return actions


def _context_only_fix(view: DocumentView, finding: Finding) -> CodeAction | None:
    """A param that matches no input or output (PLX303): "Set `contextOnly: true`", which
    declares it a context value on purpose (the other way out, renaming, is the rule's own
    did-you-mean fix)."""
    site = _site_for_finding(view, finding)
    if site is None:
        return None
    for param in site.params.values():
        key = param.key_node
        node = param.node
        if key is None or key.span != finding.span or not isinstance(node, YMap):
            continue
        if "contextOnly" in node or "context_only" in node:
            return None
        if not (node.pairs or _is_flow(node, view.lines)):
            return None
        edit = _append_entries(node, ["contextOnly: true"], view.lines)
        return CodeAction(
            title=f"Set `contextOnly: true` on `{param.name}`",
            edits=(FileEdits(None, (edit,)),),
            fixes_codes=(finding.code,),
            fixes_spans=(finding.span,),
        )
    return None


def _option_fix(view: DocumentView, finding: Finding) -> CodeAction | None:
    """A value outside an input's `options`: "Replace with `<closest option>`"."""
    if "must be one of the values" not in finding.message:
        return None
    from param_lsp.core.names import did_you_mean

    site = _site_for_finding(view, finding)
    if site is None:
        return None
    for param in site.params.values():
        node = param.value_node
        if node is None or node.span != finding.span or not isinstance(node, YScalar):
            continue
        io = site.io(param.name)
        options = (io.validation or {}).get("options") if io is not None else None
        if not isinstance(options, list) or not options:
            return None
        shown = {_yaml_text(option): option for option in options}
        guess = did_you_mean(str(node.value), list(shown))
        if guess is None:
            return None
        return CodeAction(
            title=f"Replace with `{guess}`",
            edits=(FileEdits(None, (TextEdit(finding.span, guess),)),),
            fixes_codes=(finding.code,),
            fixes_spans=(finding.span,),
            preferred=True,
        )
    return None


def _yaml_text(value: object) -> str:
    """A plain YAML scalar that reads back as ``value``."""
    import yaml

    text = yaml.safe_dump(value, default_flow_style=True, width=1_000_000).strip()
    return text.removesuffix("\n...").removesuffix("...").strip()


def _suppressions(view: DocumentView, span: Span) -> list[CodeAction]:
    """ "Suppress this rule here / in this file", offered after the real fixes."""
    from param_lsp.rules.suppressions import (
        SUPPRESSION_CODES,
        file_suppression_fix,
        suppression_fix,
    )

    parsed = view.analysis.parsed if view.analysis is not None else None
    actions: list[CodeAction] = []
    seen: set[tuple[str, int]] = set()
    for finding in view.findings:
        if not _overlaps(finding.span, span) or finding.code in SUPPRESSION_CODES:
            continue
        key = (finding.code, finding.span.start.line)
        if key in seen:
            continue
        seen.add(key)
        line_fix = suppression_fix(finding, view.text, parsed)
        for fix in (line_fix, file_suppression_fix(finding, view.text)):
            if fix is not None:
                actions.append(
                    CodeAction(
                        title=fix.title,
                        edits=(FileEdits(None, (TextEdit(fix.span, fix.new_text),)),),
                        fixes_codes=(finding.code,),
                        fixes_spans=(finding.span,),
                    )
                )
    return actions


def _site_for_finding(view: DocumentView, finding: Finding) -> CallSite | None:
    best: CallSite | None = None
    for site in view.index.sites():
        node = site.node
        if node.start <= finding.span.start <= node.end and (
            best is None or best.node.start <= node.start
        ):
            best = site
    return best


def missing_required(site: CallSite) -> list[str]:
    return [io.name for io in site.inputs if io.required and io.name not in site.params]


def add_missing_params(view: DocumentView, site: CallSite, finding: Finding) -> CodeAction | None:
    names = missing_required(site)
    if not names:
        return None
    params = site.params_node
    lines = view.lines
    if isinstance(params, YMap) and (params.pairs or _is_flow(params, lines)):
        edit = _append_entries(params, [f"{name}: {REQUIRED_PLACEHOLDER}" for name in names], lines)
    elif isinstance(params, YScalar) and params.value is None and params.start == params.end:
        # `params:` with nothing after it: the entries go below the key.
        key = site.node.key_node("params")
        if key is None:
            return None
        line = key.start.line
        body = "".join(
            f"\n{' ' * (key.start.character + 2)}{name}: {REQUIRED_PLACEHOLDER}" for name in names
        )
        edit = TextEdit(Span.of(line, len(lines[line]), line, len(lines[line])), body)
    elif params is not None and not isinstance(params, YMap):
        return None  # `params:` holds something else (a list, a string): not ours to rewrite
    else:
        # No params key: add one right after the op's first line (its `name:` or first key).
        first_key = site.node.pairs[0][0] if site.node.pairs else None
        if first_key is None:
            return None
        line = first_key.start.line
        column = first_key.start.character
        part = split_line(lines[line])
        del part
        body = "".join(f"\n{' ' * (column + 2)}{name}: {REQUIRED_PLACEHOLDER}" for name in names)
        end_line = _entry_end_line(site.node, 0, lines)
        edit = TextEdit(
            Span.of(end_line, len(lines[end_line]), end_line, len(lines[end_line])),
            f"\n{' ' * column}params:{body}",
        )
    return CodeAction(
        title=f"Add missing required params: {', '.join(names)}",
        edits=(FileEdits(None, (edit,)),),
        fixes_codes=(finding.code,),
        fixes_spans=(finding.span,),
        preferred=True,
    )


def _is_flow(node: YMap, lines: list[str]) -> bool:
    start = node.start
    return (
        start.line < len(lines) and lines[start.line][start.character : start.character + 1] == "{"
    )


def _append_entries(node: YMap, entries: list[str], lines: list[str]) -> TextEdit:
    """``entries`` (`key: value` texts) added to a mapping that has entries or braces: inside
    the braces of a flow mapping, else after a block mapping's last entry at its keys' column."""
    if _is_flow(node, lines):
        return _flow_insert(node, ", ".join(entries), lines)
    column = node.pairs[0][0].start.character
    last_line = max(
        value.end.line if value.end.character > 0 else value.end.line - 1
        for _key, value in node.pairs
    )
    last_line = min(max(last_line, node.pairs[-1][0].start.line), len(lines) - 1)
    insert_at = Span.of(last_line, len(lines[last_line]), last_line, len(lines[last_line]))
    return TextEdit(insert_at, "".join(f"\n{' ' * column}{entry}" for entry in entries))


def _flow_insert(params: YMap, entries: str, lines: list[str]) -> TextEdit:
    """Entries for a flow mapping, inside its braces: after the last entry (`, name: value`,
    or after its trailing comma) or, when it is empty, right after `{`."""
    if params.pairs:
        end = params.pairs[-1][1].end
        rest = lines[end.line][end.character :] if end.line < len(lines) else ""
        if rest.lstrip().startswith(","):
            comma = end.character + len(rest) - len(rest.lstrip()) + 1
            return TextEdit(Span.of(end.line, comma, end.line, comma), f" {entries}")
        return TextEdit(Span(end, end), f", {entries}")
    start = params.start
    after_brace = Span.of(start.line, start.character + 1, start.line, start.character + 1)
    return TextEdit(after_brace, entries)


def _entry_end_line(node: YMap, position: int, lines: list[str]) -> int:
    """Last line of the ``position``-th entry of a block mapping."""
    key, value = node.pairs[position]
    end = value.end
    line = end.line if end.character > 0 else end.line - 1
    return min(max(line, key.start.line), len(lines) - 1)


def safe_fixes(findings: list[Finding]) -> list[tuple[Finding, TextEdit]]:
    """The fixes safe to apply unattended (`param-lsp check --fix`): quoting an unquoted
    template, and a rename or replacement with one unambiguous candidate. The same fixes the
    editor offers as quick fixes; overlapping ones are left for the next run."""
    chosen: list[tuple[Finding, TextEdit]] = []
    for finding in sorted(findings, key=lambda f: f.sort_key()):
        safe = [fix for fix in finding.fixes if fix.safe]
        if len(safe) != 1:
            continue
        edit = TextEdit(safe[0].span, safe[0].new_text)
        if any(_overlaps(edit.span, other.span) for _f, other in chosen):
            continue
        chosen.append((finding, edit))
    return chosen


def apply_edits(text: str, edits: list[TextEdit]) -> str:
    """The text with non-overlapping edits applied (core positions: YAML lines, code points)."""
    from param_lsp.core.span import YAML_LINE_BREAK

    starts = [0] + [m.end() for m in YAML_LINE_BREAK.finditer(text)]

    def offset(line: int, character: int) -> int:
        return starts[min(line, len(starts) - 1)] + character

    out = text
    for edit in sorted(edits, key=lambda e: e.span.start, reverse=True):
        begin = offset(edit.span.start.line, edit.span.start.character)
        end = offset(edit.span.end.line, edit.span.end.character)
        out = out[:begin] + edit.new_text + out[end:]
    return out
