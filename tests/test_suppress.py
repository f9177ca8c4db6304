"""Inline suppressions: each comment form, logical lines, unused/unknown reports, quick fixes."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from param_lsp.core.findings import Finding, Fix, Severity
from param_lsp.core.settings import Settings
from param_lsp.core.span import Span, split_lines
from param_lsp.core.yaml_tree import parse_yaml
from param_lsp.engine.analyze import analyze
from param_lsp.rules.suppressions import (
    apply_suppressions,
    file_suppression_fix,
    find_directives,
    suppression_fix,
)
from tests.helpers import span

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

# An inline component with one int input: `lr` is an unknown param (PLX303, warning) and
# `epochs: 2.5` an invalid value (PLX302, error); both are Polyaxon-documented behaviours
# (spec §1: unknown params are kept as context values; an int input refuses 2.5).
BASE = """\
kind: operation
params:
  lr: {value: 0.1}{lr_comment}
  epochs: {value: 2.5}{epochs_comment}
component:
  inputs:
  - {name: epochs, type: int}
  run: {kind: job, container: {image: python}}
"""


def check(text: str, **settings: object) -> list[Finding]:
    return analyze(textwrap.dedent(text), None, Settings(**settings)).findings  # type: ignore[arg-type]


def base(lr_comment: str = "", epochs_comment: str = "", head: str = "") -> str:
    text = BASE.replace("{lr_comment}", lr_comment)
    return head + text.replace("{epochs_comment}", epochs_comment)


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def test_unsuppressed_baseline() -> None:
    assert codes(check(base())) == ["PLX303", "PLX302"]


@pytest.mark.parametrize(
    "comment",
    [
        "  # param-lsp: ignore[PLX303]",
        "  # param-lsp: ignore[unknown-param]",
        "  #param-lsp:ignore[plx303]",
        "  # param-lsp: ignore",
        "  # learning rate  # param-lsp: ignore[PLX303]",
    ],
)
def test_same_line_forms(comment: str) -> None:
    assert codes(check(base(lr_comment=comment))) == ["PLX302"]


def test_same_line_only_silences_its_own_line() -> None:
    findings = check(base(lr_comment="  # param-lsp: ignore[PLX302]"))
    assert codes(findings) == ["PLX303", "PLX010", "PLX302"]
    unused = findings[1]
    assert unused.severity == Severity.HINT
    assert unused.span == span("3:41-3:47")  # the code inside the brackets
    assert "PLX302" in unused.message and "this line" in unused.message


def test_ignore_next_line_skips_blank_and_comment_lines() -> None:
    text = base().replace(
        "  lr:", "  # param-lsp: ignore-next-line[PLX303]\n\n  # the learning rate\n  lr:"
    )
    assert codes(check(text)) == ["PLX302"]


def test_stacked_next_line_directives_cover_the_same_line() -> None:
    text = base().replace(
        "  epochs:",
        "  # param-lsp: ignore-next-line[PLX302]\n"
        "  # param-lsp: ignore-next-line[PLX303]\n"
        "  epochs:",
    )
    findings = check(text)
    # Both directives target the `epochs` line: PLX302 is silenced, PLX303 is not reported there.
    assert codes(findings) == ["PLX303", "PLX010"]
    assert findings[1].span.start.line == 4 and "PLX303" in findings[1].message


def test_ignore_file_anywhere_and_bare() -> None:
    assert codes(check(base(head="# param-lsp: ignore-file[PLX302, PLX303]\n"))) == []
    assert codes(check(base() + "# param-lsp: ignore-file[invalid-param-value]\n")) == ["PLX303"]
    assert codes(check(base(head="# param-lsp: ignore-file\n"))) == []


def test_unused_bare_directive_is_reported_on_the_whole_comment() -> None:
    text = base().replace("kind: operation", "kind: operation  # param-lsp: ignore")
    findings = check(text)
    assert codes(findings) == ["PLX010", "PLX303", "PLX302"]
    assert findings[0].span == span("1:18-1:37")
    assert "nothing is reported on this line" in findings[0].message


def test_unknown_code_is_a_warning_on_the_entry() -> None:
    findings = check(base(head="# param-lsp: ignore-file[PLX3O3]\n"))
    assert codes(findings) == ["PLX011", "PLX303", "PLX302"]
    assert findings[0].severity == Severity.WARNING
    assert findings[0].span == span("1:26-1:32")
    assert "PLX3O3" in findings[0].message


def test_hash_inside_a_string_is_not_a_directive() -> None:
    text = base().replace("image: python", 'image: "python  # param-lsp: ignore-file"')
    assert codes(check(text)) == ["PLX303", "PLX302"]
    assert find_directives(text, parse_yaml(text)) == []


def test_unused_suppression_reports_obey_settings_and_ignore_file() -> None:
    comment = "  # param-lsp: ignore[PLX302]"
    assert codes(check(base(lr_comment=comment), severity={"PLX010": "off"})) == [
        "PLX303",
        "PLX302",
    ]
    with_file = base(lr_comment=comment, head="# param-lsp: ignore-file[unused-suppression]\n")
    assert codes(check(with_file)) == ["PLX303", "PLX302"]


def test_a_rule_turned_off_in_settings_does_not_make_its_suppression_unused() -> None:
    findings = check(base(lr_comment="  # param-lsp: ignore[PLX303]"), severity={"PLX303": "off"})
    assert codes(findings) == ["PLX302"]


def test_multiline_scalar_belongs_to_the_line_where_it_starts() -> None:
    text = textwrap.dedent(
        """\
        run:
          script: |  # param-lsp: ignore[PLX801]
            echo {{ params.nope }}
            echo fine
          other: |
            echo {{ params.nope }}
        """
    )
    parsed = parse_yaml(text)
    inside = Finding("PLX801", "unknown key", span("3:21-3:25"), Severity.WARNING)
    outside = Finding("PLX801", "unknown key", span("6:21-6:25"), Severity.WARNING)
    kept = apply_suppressions([inside, outside], text, parsed)
    assert kept == [outside]


def _apply(text: str, fix: Fix) -> str:
    lines = text.split("\n")
    start, end = fix.span

    def offset(line: int, col: int) -> int:
        return sum(len(x) + 1 for x in lines[:line]) + col

    return text[: offset(*start)] + fix.new_text + text[offset(*end) :]


def test_line_fix_appends_a_comment_that_silences_the_finding() -> None:
    text = base()
    finding = check(text)[0]
    fix = suppression_fix(finding, text, parse_yaml(text))
    assert fix is not None and fix.title == "Suppress PLX303 on this line"
    fixed = _apply(text, fix)
    assert "  lr: {value: 0.1}  # param-lsp: ignore[PLX303]\n" in fixed
    assert codes(check(fixed)) == ["PLX302"]


def test_line_fix_extends_an_existing_directive() -> None:
    text = base(epochs_comment="  # param-lsp: ignore[PLX303]")
    findings = check(text)
    error = next(f for f in findings if f.code == "PLX302")
    fixed = _apply(text, suppression_fix(error, text, parse_yaml(text)))  # type: ignore[arg-type]
    assert "# param-lsp: ignore[PLX303, PLX302]" in fixed
    # PLX303 is not reported on the epochs line, so that entry is now reported as unused.
    assert codes(check(fixed)) == ["PLX303", "PLX010"]


def test_line_fix_inside_a_block_scalar_goes_on_its_header() -> None:
    text = "run:\n  args: |\n    echo {{ x }}\n"
    finding = Finding("PLX801", "m", span("3:13-3:14"), Severity.WARNING)
    fix = suppression_fix(finding, text, parse_yaml(text))
    assert fix is not None
    fixed = _apply(text, fix)
    assert fixed == "run:\n  args: |  # param-lsp: ignore[PLX801]\n    echo {{ x }}\n"
    assert apply_suppressions([finding], fixed, parse_yaml(fixed)) == []


def test_line_fix_inside_a_multiline_quoted_string_goes_above_it() -> None:
    text = 'run:\n  args: "echo\n    {{ x }}"\n'
    finding = Finding("PLX801", "m", span("3:8-3:9"), Severity.WARNING)
    fix = suppression_fix(finding, text, parse_yaml(text))
    assert fix is not None
    fixed = _apply(text, fix)
    assert fixed == 'run:\n  # param-lsp: ignore-next-line[PLX801]\n  args: "echo\n    {{ x }}"\n'
    assert apply_suppressions([finding], fixed, parse_yaml(fixed)) == []


def test_file_fix_silences_every_occurrence() -> None:
    text = base()
    finding = check(text)[1]
    fix = file_suppression_fix(finding, text)
    assert fix.span == Span.of(0, 0, 0, 0)
    assert codes(check(_apply(text, fix))) == ["PLX303"]


@pytest.mark.parametrize("name", ["typo-and-types.yaml", "unquoted-template.yaml", "no-run.yaml"])
def test_line_fix_round_trips_on_the_examples(name: str) -> None:
    path = EXAMPLES / "mistakes" / name
    if not path.exists():
        pytest.skip(f"example {path} not present")
    text = path.read_text(encoding="utf-8")
    findings = analyze(text, path).findings
    assert findings, "the mistakes examples all have findings"
    for finding in findings:
        fix = suppression_fix(finding, text, parse_yaml(text))
        assert fix is not None
        after = analyze(_apply(text, fix), path).findings
        same = [f for f in after if f.code == finding.code and f.message == finding.message]
        assert not same, f"{finding.code} still reported after {fix.new_text!r}"


@pytest.mark.parametrize("ending", ["\r", "\r\r\n", "\x85"])
def test_line_fix_follows_the_yaml_lines_of_any_line_break(ending: str) -> None:
    """A lone CR (or NEL) is a line break for YAML, so finding lines count it: the comment
    goes at the end of the finding's own line, not of the `\\n`-separated one."""
    from param_lsp.features.code_actions import apply_edits
    from param_lsp.features.results import TextEdit

    text = base().replace("\n", ending)
    finding = check(text)[0]
    assert finding.code == "PLX303"
    fix = suppression_fix(finding, text, parse_yaml(text))
    assert fix is not None
    line = split_lines(text)[fix.span.start.line]
    assert line.startswith("  lr: {value: 0.1}") and fix.span.end.character == len(line)
    fixed = apply_edits(text, [TextEdit(fix.span, fix.new_text)])
    assert codes(check(fixed)) == ["PLX302"]


def test_inserted_lines_keep_a_crlf_file_crlf() -> None:
    text = base().replace("\n", "\r\n")
    finding = check(text)[1]
    assert file_suppression_fix(finding, text).new_text.endswith("]\r\n")
