"""Linter conventions of `param-lsp check` (ruff, actionlint): rule selection, exit codes,
statistics, quiet output, safe fixes and diffs, and `param-lsp rules CODE|NAME`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from param_lsp.cli.main import main
from param_lsp.rules.families import load_all
from param_lsp.rules.registry import RULES

FIX = Path(__file__).parent / "data" / "fix"
DOCUMENT = Path(__file__).parent / "data" / "document"
VERDICTS = {
    row["file"]: row
    for row in map(json.loads, (FIX / "oracle-verdicts.jsonl").read_text("utf-8").splitlines())
}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", "--no-config", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def codes_in(output: str) -> set[str]:
    return {d["code"] for f in json.loads(output)["files"] for d in f["diagnostics"]}


def test_fix_applies_the_safe_fixes_and_polyaxon_accepts_the_result(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert not VERDICTS["typos_and_template.yaml"]["ok"]  # an unquoted template: YAML error
    target = tmp_path / "op.yaml"
    shutil.copy(FIX / "typos_and_template.yaml", target)
    code, out, err = run(capsys, "--fix", str(target))
    assert code == 0, out
    assert "fixed 3 problem(s)" in err
    fixed = target.read_text(encoding="utf-8")
    assert fixed == (FIX / "typos_and_template.fixed.yaml").read_text(encoding="utf-8")
    assert VERDICTS["typos_and_template.fixed.yaml"]["ok"]  # Polyaxon accepts the fixed file


def test_fix_renames_an_unknown_op_to_the_one_close_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "orphan ops: `{'trian'}`" in VERDICTS["orphan_op.yaml"]["message"]
    target = tmp_path / "pipeline.yaml"
    shutil.copy(FIX / "orphan_op.yaml", target)
    assert run(capsys, "--fix", str(target))[0] == 0
    assert target.read_text("utf-8") == (FIX / "orphan_op.fixed.yaml").read_text("utf-8")
    assert VERDICTS["orphan_op.fixed.yaml"]["ok"]


def test_diff_shows_the_fixes_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "op.yaml"
    shutil.copy(FIX / "typos_and_template.yaml", target)
    before = target.read_text(encoding="utf-8")
    code, out, _ = run(capsys, "--diff", str(target))
    assert code == 1  # something to fix
    assert target.read_text(encoding="utf-8") == before
    assert "\n-  cmd: {{ globals.uuid }}\n" in out and '\n+  cmd: "{{ globals.uuid }}"\n' in out
    assert "+  learning_rate: {value: 0.01}" in out
    assert '+      command: ["echo", "{{ learning_rate }}"]' in out


def test_an_ambiguous_did_you_mean_is_never_applied(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert VERDICTS["ambiguous.yaml"]["ok"]
    target = tmp_path / "op.yaml"
    shutil.copy(FIX / "ambiguous.yaml", target)
    code, out, _ = run(capsys, "--diff", str(target))  # `lr_b`: `lr_a` and `lr_c` tie
    assert (code, out) == (0, "")


def test_select_and_ignore_take_codes_prefixes_and_names(
    capsys: pytest.CaptureFixture[str],
) -> None:
    target = str(FIX / "typos_and_template.fixed.yaml")
    broken = str(DOCUMENT / "preset_schema_errors.yaml")
    _, out, _ = run(capsys, "--format", "json", target, broken)
    assert codes_in(out) == {"PLX110", "PLX111"}
    _, out, _ = run(capsys, "--format", "json", "--select", "unknown-key", target, broken)
    assert codes_in(out) == {"PLX110"}
    _, out, _ = run(capsys, "--format", "json", "--select", "PLX1", "--ignore", "PLX110", broken)
    assert codes_in(out) == {"PLX111"}
    code, _, err = run(capsys, "--select", "PLX99x", target)
    assert code == 2 and "no rule has the code or name `PLX99x`" in err


def test_exit_zero_statistics_and_quiet(capsys: pytest.CaptureFixture[str]) -> None:
    broken = str(DOCUMENT / "preset_schema_errors.yaml")
    assert run(capsys, broken)[0] == 1
    code, out, _ = run(capsys, "--exit-zero", broken)
    assert code == 0 and "error[PLX110]" in out
    _, out, _ = run(capsys, "--statistics", broken)
    assert out.splitlines() == [
        "     1  PLX110  unknown-key  (error)",
        "     1  PLX111  wrong-type  (error)",
    ]
    _, out, _ = run(capsys, "--quiet", broken)
    lines = [line for line in out.splitlines() if not line.startswith("  Polyaxon: ")]
    assert len(lines) == 2 and all("error[PLX11" in line for line in lines)


def test_nothing_checked_is_a_warning_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "dvc.yaml").write_text("stages:\n  a: {cmd: x}\n", encoding="utf-8")
    code, _, err = run(capsys, str(tmp_path))
    assert code == 2 and "warning: no polyaxonfile was checked" in err
    # pre-commit passes every staged YAML file: nothing to check is fine there
    code, _, err = run(capsys, "--only-polyaxonfiles", str(tmp_path / "dvc.yaml"))
    assert code == 0 and err == ""


def test_polyaxon_wording_is_a_second_line(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, str(DOCUMENT / "kind_operations.yaml"))
    lines = out.splitlines()
    head = next(i for i, line in enumerate(lines) if "error[PLX101]" in line)
    assert lines[head].endswith("got `operations`; did you mean `operation`?")
    assert lines[head + 1] == (
        "  Polyaxon: The Polyaxonfile with kind `operations` is not a supported value."
    )


@pytest.mark.parametrize("query", ["PLX303", "plx303", "unknown-param"])
def test_rules_prints_one_rule(query: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", query]) == 0
    out = capsys.readouterr().out
    assert out.startswith("## PLX303\n\n**unknown-param** (params, warning)")
    assert out.rstrip().endswith(RULES["PLX303"].url)
    assert "## PLX302" not in out


def test_rules_rejects_an_unknown_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "nope"]) == 2
    assert "no rule has the code or name `nope`" in capsys.readouterr().err


def test_every_rule_links_to_its_section_of_the_reference() -> None:
    load_all()
    docs = (Path(__file__).parent.parent / "docs" / "rules.md").read_text(encoding="utf-8")
    for code, rule in RULES.items():
        assert rule.url.endswith(f"docs/rules.md#{code.lower()}")
        assert f"\n## {code}\n" in docs  # GitHub's anchor of this heading is the lowercase code


def test_sarif_rules_carry_help_uri(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "--format", "sarif", str(DOCUMENT / "kind_operations.yaml"))
    load_all()
    rules = json.loads(out)["runs"][0]["tool"]["driver"]["rules"]
    assert rules and all(rule["helpUri"] == RULES[rule["id"]].url for rule in rules)
