"""`param-lsp check` on bad input: every case gives a clear diagnostic, never a crash or a hang."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from param_lsp.cli.main import main


def check_json(
    capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, list[dict[str, object]]]:
    code = main(["check", "--format", "json", "--no-config", *args])
    out = json.loads(capsys.readouterr().out)
    assert out["version"] == 1
    return code, out["files"]


def test_empty_file_is_refused_like_polyaxon(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Polyaxon: "Cannot read config_value" for an empty document (spec §1 step 2).
    assert yaml.safe_load("") is None
    path = tmp_path / "empty.yaml"
    path.write_text("")
    code, files = check_json(capsys, str(path))
    assert code == 1
    (diagnostic,) = files[0]["diagnostics"]  # type: ignore[misc]
    assert diagnostic["code"] == "PLX003"


@pytest.mark.parametrize("text", ["- kind: operation\n", "just a string\n", "42\n"])
def test_non_mapping_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    path = tmp_path / "list.yaml"
    path.write_text(text)
    code, files = check_json(capsys, str(path))
    assert code == 1
    assert [d["code"] for d in files[0]["diagnostics"]] == ["PLX003"]  # type: ignore[index]


def test_binary_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "binary.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff\xfe")
    code, files = check_json(capsys, str(path))
    assert code == 1
    assert [d["code"] for d in files[0]["diagnostics"]] == ["PLX006"]  # type: ignore[index]


def test_ten_megabyte_file_is_bounded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "huge.yaml"
    line = "# " + "x" * 98 + "\n"
    path.write_text("kind: operation\n" + line * 100_000)
    started = time.perf_counter()
    code, files = check_json(capsys, str(path))
    assert time.perf_counter() - started < 10
    assert code == 1
    assert [d["code"] for d in files[0]["diagnostics"]] == ["PLX005"]  # type: ignore[index]


def test_yaml_error_has_the_parser_position(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "kind: operation\nparams:\n  lr: [0.1\n"
    path = tmp_path / "broken.yaml"
    path.write_text(text)
    with pytest.raises(yaml.MarkedYAMLError) as info:
        yaml.safe_load(text)
    mark = info.value.problem_mark
    assert mark is not None
    code, files = check_json(capsys, str(path))
    assert code == 1
    (diagnostic,) = files[0]["diagnostics"]  # type: ignore[misc]
    assert diagnostic["code"] == "PLX001"
    assert diagnostic["range"]["start"] == {"line": mark.line, "character": mark.column}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-P", "lr"], "Invalid format for -P parameter: 'lr'. Use -P name=value."),
        (["-P", "lr=1", "-P", "lr=2"], "Repeated parameter: 'lr'"),
    ],
)
def test_bad_cli_params_are_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    # The same messages as `polyaxon check -P` (spec §1 step 1).
    path = tmp_path / "op.yaml"
    path.write_text("kind: operation\n")
    assert main(["check", *args, str(path)]) == 2
    assert message in capsys.readouterr().err


def test_missing_file_is_an_io_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tmp_path / "nope.yaml")]) == 2
    assert "nope.yaml" in capsys.readouterr().err


def test_folders_only_pick_polyaxonfiles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "op.yaml").write_text("kind: operation\nparams: {a: 1}\n")
    (tmp_path / "ci.yml").write_text("on: push\njobs: {}\n")
    (tmp_path / "notes.txt").write_text("kind: operation\n")
    code, files = check_json(capsys, str(tmp_path))
    assert [Path(str(f["path"])).name for f in files] == ["op.yaml"]
    assert code == 1  # no run anywhere (PLX905)


def test_rules_command_lists_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    from param_lsp.rules.families import load_all

    assert main(["rules", "--format", "json"]) == 0
    rules = json.loads(capsys.readouterr().out)
    assert [r["code"] for r in rules] == sorted(load_all())
    for rule in rules:
        assert rule["doc"] and rule["summary"] and rule["severity"] in {
            "error", "warning", "information", "hint"
        }  # fmt: skip


def test_an_internal_error_becomes_a_diagnostic_not_a_crash(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from param_lsp.rules import params

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(params, "validate_params", broken)
    path = tmp_path / "op.yaml"
    path.write_text("kind: operation\nparams: {a: 1}\ncomponent: {run: {kind: job}}\n")
    code, files = check_json(capsys, str(path))
    (diagnostic,) = files[0]["diagnostics"]  # type: ignore[misc]
    assert diagnostic["code"] == "PLX007"
    assert "RuntimeError: boom" in str(diagnostic["message"])
    assert code == 0  # a bug of ours is a warning, not a verdict on the file


def test_a_reader_that_goes_away_ends_the_check_quietly(tmp_path: Path) -> None:
    """`param-lsp check … | head`: no traceback when the pipe closes early."""
    path = tmp_path / "op.yaml"
    path.write_text("kind: operation\nparams:\n  lr: 0.1\nfoo: 1\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "param_lsp", "check", "--format", "json", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # before the process has written anything
    errors = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 1
    assert errors == ""
