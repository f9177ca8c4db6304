"""`param-lsp check`: exit codes and every output format (text, json, sarif, github)."""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from param_lsp.cli.main import main
from param_lsp.cli.reporters import github, sarif
from param_lsp.cli.results import FileResult
from param_lsp.core.findings import Finding, Related, Severity
from param_lsp.core.span import EditorLines, Position, Span
from param_lsp.rules.families import load_all
from param_lsp.rules.registry import RULES

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
ORACLE = json.loads((ROOT / "tests" / "data" / "examples_oracle.json").read_text())
SCHEMA = Path(
    os.environ.get(
        "PARAM_LSP_SARIF_SCHEMA",
        ROOT.parent / "shared" / "data" / "sarif" / "sarif-schema-2.1.0.json",
    )
)
#: Operations Polyaxon accepts / refuses (tests/data/examples_oracle.json, Polyaxon 2.18.0).
ACCEPTED = sorted(k for k, v in ORACLE.items() if v["ok"] and v["kind"] == "operation")
REFUSED = sorted(k for k, v in ORACLE.items() if not v["ok"] and v["kind"] == "operation")


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(autouse=True)
def _in_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    # Relative paths in the outputs, like a CI job run at the repository root.
    monkeypatch.chdir(ROOT)


def test_oracle_lists_examples_both_ways() -> None:
    assert ACCEPTED and REFUSED


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
@pytest.mark.parametrize("name", ACCEPTED)
def test_accepted_examples_exit_0_in_every_format(
    name: str, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(["check", f"examples/{name}", "--format", fmt], capsys)
    assert code == 0, out + err
    if fmt == "github":
        assert "::error" not in out


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
@pytest.mark.parametrize("name", REFUSED)
def test_refused_examples_exit_1_in_every_format(
    name: str, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(["check", f"examples/{name}", "--format", fmt], capsys)
    assert code == 1, out + err
    if fmt == "text":
        assert re.search(rf"^examples/{re.escape(name)}:\d+:\d+: error\[PLX\d+\]", out, re.M)
    elif fmt == "json":
        files = json.loads(out)["files"]
        assert any(d["severity"] == "error" for d in files[0]["diagnostics"])
    elif fmt == "sarif":
        results = json.loads(out)["runs"][0]["results"]
        assert any(r["level"] == "error" for r in results)
    else:
        assert re.search(rf"^::error file=examples/{re.escape(name)},line=\d+,", out, re.M)


def test_usage_and_io_problems_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(["check", "examples/does-not-exist.yaml"], capsys)[0] == 2
    assert run_cli(["check", "examples/train.yaml", "--format", "xml"], capsys)[0] == 2
    code, _, err = run_cli(["check", "examples/train.yaml", "-P", "novalue"], capsys)
    assert code == 2 and "-P name=value" in err


def test_json_contract_is_unchanged(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_cli(
        ["check", "examples/mistakes/typo-and-types.yaml", "--format", "json"], capsys
    )
    data = json.loads(out)
    assert data["version"] == 1
    [file] = data["files"]
    assert file["path"] == "examples/mistakes/typo-and-types.yaml"
    for diagnostic in file["diagnostics"]:
        # `polyaxon` (Polyaxon's own wording) is present when Polyaxon has one.
        assert set(diagnostic) - {"polyaxon"} == {"code", "severity", "message", "range"}
        assert set(diagnostic["range"]) == {"start", "end"}  # 0-based, as in LSP


def _sarif_for_mistakes(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code, out, _ = run_cli(["check", "examples/mistakes", "--format", "sarif"], capsys)
    assert code == 1
    return json.loads(out)  # type: ignore[no-any-return]


def test_sarif_is_valid_against_the_official_schema(capsys: pytest.CaptureFixture[str]) -> None:
    if not SCHEMA.is_file():
        pytest.skip(f"SARIF schema not found at {SCHEMA} (set PARAM_LSP_SARIF_SCHEMA)")
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator = validator_class(schema)
    log = _sarif_for_mistakes(capsys)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])
    # The validator does catch mistakes: a region with line 0 is refused.
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    assert list(validator.iter_errors(log))


def test_sarif_rules_come_from_the_registry(capsys: pytest.CaptureFixture[str]) -> None:
    run = _sarif_for_mistakes(capsys)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(load_all())
    by_id = {r["id"]: r for r in rules}
    unused = by_id["PLX010"]
    assert unused["name"] == "unused-suppression"
    assert unused["defaultConfiguration"]["level"] == "note"
    assert unused["properties"]["family"] == "suppressions"
    assert RULES["PLX010"].doc in unused["help"]["text"]
    assert "```yaml" in unused["help"]["markdown"]
    assert run["results"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert location["artifactLocation"]["uri"].startswith("examples/mistakes/")
    assert run["columnKind"] == "utf16CodeUnits"
    assert run["properties"]["columnKind"] == "utf16CodeUnits"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == ROOT.as_uri() + "/"


def test_sarif_region_matches_the_text_report(capsys: pytest.CaptureFixture[str]) -> None:
    path = "examples/mistakes/typo-and-types.yaml"
    _, text_out, _ = run_cli(["check", path, "--no-color"], capsys)
    _, sarif_out, _ = run_cli(["check", path, "--format", "sarif"], capsys)
    heads = re.findall(rf"^{re.escape(path)}:(\d+):(\d+): \w+\[(PLX\d+)\]", text_out, re.M)
    starts = [
        (
            str(r["locations"][0]["physicalLocation"]["region"]["startLine"]),
            str(r["locations"][0]["physicalLocation"]["region"]["startColumn"]),
            r["ruleId"],
        )
        for r in json.loads(sarif_out)["runs"][0]["results"]
    ]
    assert heads and starts == heads


# A finding after a character outside the Basic Multilingual Plane: code points and UTF-16
# code units differ by one from there on.
ASTRAL_TEXT = 'description: "\U0001f680 launch"\nname: x\n'
ASTRAL_FINDING = Finding(
    "PLX303",
    "50% done,\nsecond line",
    Span.of(0, 16, 0, 22),  # `launch`, in code points
    Severity.WARNING,
    related=(Related("declared here", Span.of(1, 0, 1, 4)),),
)


def test_sarif_columns_are_utf16_and_1_based() -> None:
    log = sarif.to_sarif([FileResult("jobs/a b.yaml", ASTRAL_TEXT, [ASTRAL_FINDING])], Path.cwd())
    result = log["runs"][0]["results"][0]
    location = result["locations"][0]["physicalLocation"]
    assert location["region"] == {"startLine": 1, "startColumn": 18, "endLine": 1, "endColumn": 24}
    assert location["artifactLocation"]["uri"] == "jobs/a%20b.yaml"
    assert location["contextRegion"]["snippet"]["text"] == ASTRAL_TEXT.split("\n")[0]
    assert result["level"] == "warning"
    [related] = result["relatedLocations"]
    assert related["message"]["text"] == "declared here"
    assert related["physicalLocation"]["region"]["startLine"] == 2


def test_github_annotations_are_escaped_and_utf16() -> None:
    out = io.StringIO()
    hint = Finding("PLX010", "unused", Span.of(1, 0, 1, 4), Severity.HINT)
    github.report([FileResult("jobs/a,b.yaml", ASTRAL_TEXT, [ASTRAL_FINDING, hint])], out)
    assert out.getvalue().splitlines() == [
        "::warning file=jobs/a%2Cb.yaml,line=1,col=18,endLine=1,endColumn=24,title=PLX303"
        "::50%25 done,%0Asecond line",
        "::notice file=jobs/a%2Cb.yaml,line=2,col=1,endLine=2,endColumn=5,title=PLX010::unused",
    ]


def test_github_format_on_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_cli(
        ["check", "examples/mistakes/typo-and-types.yaml", "--format", "github"], capsys
    )
    lines = out.splitlines()
    assert lines
    pattern = re.compile(
        r"^::(error|warning|notice) file=examples/mistakes/typo-and-types\.yaml,line=\d+,col=\d+,"
        r"endLine=\d+,endColumn=\d+,title=PLX\d{3}::\S"
    )
    assert all(pattern.match(line) for line in lines), lines
    assert any(line.startswith("::error ") for line in lines)


def test_every_format_numbers_lines_as_editors_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """YAML also breaks lines at U+2028 and U+0085; editors, GitHub and SARIF viewers do not.
    The unknown section `foo` is on the third line of what they show (YAML's fifth)."""
    text = "kind: operation\ndescription: 'one\u2028two\x85three'\nfoo: 1\n"
    path = tmp_path / "op.yaml"
    path.write_text(text, encoding="utf-8")
    line = text.split("\n").index("foo: 1")  # 0-based, as editors count
    assert line == 2

    _, out, _ = run_cli(["check", str(path)], capsys)
    assert f"{path}:{line + 1}:1: error[PLX102]" in out
    assert "\n  foo: 1\n  ^^^\n" in out

    _, out, _ = run_cli(["check", str(path), "--format", "json"], capsys)
    found = [d for d in json.loads(out)["files"][0]["diagnostics"] if d["code"] == "PLX102"]
    assert [d["range"] for d in found] == [
        {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 3}}
    ]

    _, out, _ = run_cli(["check", str(path), "--format", "sarif"], capsys)
    run = json.loads(out)["runs"][0]
    (result,) = [r for r in run["results"] if r["ruleId"] == "PLX102"]
    physical = result["locations"][0]["physicalLocation"]
    assert physical["region"] == {
        "startLine": line + 1, "startColumn": 1, "endLine": line + 1, "endColumn": 4
    }  # fmt: skip
    assert physical["contextRegion"]["snippet"]["text"] == "foo: 1"

    _, out, _ = run_cli(["check", str(path), "--format", "github"], capsys)
    assert f"line={line + 1},col=1,endLine={line + 1},endColumn=4,title=PLX102" in out


def test_a_position_inside_a_line_with_a_yaml_only_break_keeps_its_column() -> None:
    text = "a: 'x\u2028y'\nb: 1\n"
    lines = EditorLines(text)
    assert lines.lines == ["a: 'x", "y'", "b: 1", ""]
    assert lines.to_editor(Position(1, 0)) == Position(0, 6)  # `y` after `a: 'x` and U+2028
    assert lines.to_editor(Position(2, 3)) == Position(1, 3)
    assert lines.editor_line(0) == "a: 'x\u2028y'"
    assert lines.from_editor(Position(0, 6)) == Position(1, 0)
    assert lines.from_editor(Position(3, 0)) is None
