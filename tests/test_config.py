"""Configuration files: discovery (nearest wins), validation, precedence of overrides, CLI use."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import pytest

from param_lsp.cli.main import main
from param_lsp.engine.config import (
    ConfigError,
    find_config_file,
    load_config,
    load_settings,
)

# An inline component with one optional int input: `lr` matches no input, which Polyaxon 2.18
# accepts as a context value (spec §21.1 P1: a PLX303 warning) and refuses under the strict
# params policy (P4: an error). Used to observe settings coming from configuration.
OPERATION = """\
kind: operation
params:
  lr: {value: 0.1}
component:
  inputs:
  - {name: epochs, type: int, isOptional: true, value: 1}
  run: {kind: job, container: {image: python}}
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_nearest_file_wins_and_pyproject_without_table_is_skipped(tmp_path: Path) -> None:
    write(tmp_path / ".param-lsp.toml", 'target-version = "2.16"\n')
    write(tmp_path / "a" / "pyproject.toml", "[project]\nname = 'x'\n")
    write(tmp_path / "a" / "b" / "pyproject.toml", "[tool.param-lsp]\nstrict-params = true\n")
    file = write(tmp_path / "a" / "b" / "c" / "op.yaml", OPERATION)
    assert find_config_file(file) == tmp_path / "a" / "b" / "pyproject.toml"
    # Files are not merged: the nearest one is the whole configuration.
    settings = load_settings(file)
    assert settings.strict_params is True and settings.target_version == "2.18"
    assert find_config_file(tmp_path / "a" / "x.yaml") == tmp_path / ".param-lsp.toml"
    assert load_settings(tmp_path / "a" / "x.yaml").target_version == "2.16"


def test_dedicated_file_beats_pyproject_in_the_same_folder(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.param-lsp]\ntarget-version = "2.18"\n')
    write(tmp_path / ".param-lsp.toml", 'target-version = "2.16"\n')
    assert find_config_file(tmp_path / "op.yaml") == tmp_path / ".param-lsp.toml"


def test_all_keys_are_read(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        """\
        [tool.param-lsp]
        target-version = "2.16.3"
        strict-params = false
        include = ["jobs/**/*.yaml"]
        exclude = ["vendor/"]
        [tool.param-lsp.severity]
        PLX303 = "Error"
        missing-params = "off"
        [tool.param-lsp.hub-map]
        "org/trainer:v1" = "components/trainer.yaml"
        [tool.param-lsp.params]
        lr = "0.5"
        epochs = 3
        debug = true
        """,
    )
    config = load_config(tmp_path / "op.yaml")
    assert config.include == ("jobs/**/*.yaml",) and config.exclude == ("vendor/",)
    settings = load_settings(tmp_path / "op.yaml")
    assert settings.target_version == "2.16"
    assert settings.strict_params is False
    assert settings.severity == {"PLX303": "error", "missing-params": "off"}
    assert settings.hub_map == {"org/trainer:v1": str(tmp_path / "components" / "trainer.yaml")}
    # Non-string TOML values become the text `-P name=value` would carry.
    assert settings.params == {"lr": "0.5", "epochs": "3", "debug": "true"}


def test_overrides_replace_scalars_and_merge_tables(tmp_path: Path) -> None:
    write(
        tmp_path / ".param-lsp.toml",
        """\
        target-version = "2.16"
        strict-params = true
        [severity]
        PLX303 = "error"
        PLX301 = "warning"
        [params]
        lr = "0.5"
        """,
    )
    file = tmp_path / "op.yaml"
    settings = load_settings(
        file,
        {
            "targetVersion": "2.18",  # camelCase, as the language client sends it
            "strict_params": None,  # unset: the file's value stays
            "severity": {"PLX303": "off"},
            "params": {"epochs": "2"},
            "debounceMs": 150,  # not an analysis setting: ignored here
        },
    )
    assert settings.target_version == "2.18"
    assert settings.strict_params is True
    assert settings.severity == {"PLX303": "off", "PLX301": "warning"}
    assert settings.params == {"lr": "0.5", "epochs": "2"}
    assert load_settings(file, {"targetVersion": "2.18"}, use_config_file=False).severity == {}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("target-version = [", "invalid TOML"),
        ('target-vesion = "2.18"', "unknown key target-vesion"),
        ('target-version = "3.0"', "target_version"),
        ('severity = "error"', "severity must be a table"),
        ('[severity]\nPLX303 = "loud"', "severity.PLX303 = 'loud'"),
        ('[severity]\nPLX3O3 = "off"', "no rule has this code or name"),
        ("include = [1]", "include must be a list of glob patterns"),
    ],
)
def test_invalid_files_name_the_file_and_key(tmp_path: Path, content: str, message: str) -> None:
    source = write(tmp_path / ".param-lsp.toml", content + "\n")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path / "op.yaml")
    assert message in str(caught.value)
    assert str(source) in str(caught.value)


def test_edits_to_the_file_are_seen(tmp_path: Path) -> None:
    source = write(tmp_path / ".param-lsp.toml", 'target-version = "2.16"\n')
    assert load_settings(tmp_path / "op.yaml").target_version == "2.16"
    source.write_text('target-version = "2.18"\nstrict-params = true\n', encoding="utf-8")
    assert load_settings(tmp_path / "op.yaml").strict_params is True


# --- through `param-lsp check` ------------------------------------------------------------


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_severity_from_the_file_and_flags_over_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    op = write(tmp_path / "op.yaml", OPERATION)
    code, out, _ = run_cli(["check", str(op), "--no-color"], capsys)
    assert code == 0 and "warning[PLX303]" in out
    write(tmp_path / ".param-lsp.toml", '[severity]\nunknown-param = "error"\n')
    code, out, _ = run_cli(["check", str(op), "--no-color"], capsys)
    assert code == 1 and "error[PLX303]" in out
    code, out, _ = run_cli(["check", str(op), "--no-color", "--no-config"], capsys)
    assert code == 0 and "warning[PLX303]" in out


def test_cli_strict_params_flag_overrides_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    op = write(tmp_path / "op.yaml", OPERATION)
    write(tmp_path / ".param-lsp.toml", "strict-params = true\n")
    code, out, _ = run_cli(["check", str(op), "--no-color"], capsys)
    assert code == 1, out
    code, out, _ = run_cli(["check", str(op), "--no-color", "--no-strict-params"], capsys)
    assert code == 0, out


def test_cli_explicit_config_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    op = write(tmp_path / "op.yaml", OPERATION)
    other = write(tmp_path / "elsewhere" / "lint.toml", '[severity]\nPLX303 = "off"\n')
    code, out, _ = run_cli(["check", str(op), "--no-color", "--config", str(other)], capsys)
    assert code == 0 and "PLX303" not in out
    code, _, err = run_cli(["check", str(op), "--config", str(tmp_path / "nope.toml")], capsys)
    assert code == 2 and "configuration file not found" in err


def test_cli_broken_config_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    op = write(tmp_path / "op.yaml", OPERATION)
    write(tmp_path / ".param-lsp.toml", "bogus = 1\n")
    code, _, err = run_cli(["check", str(op)], capsys)
    assert code == 2 and "unknown key bogus" in err


def test_cli_include_and_exclude_select_folder_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "jobs" / "a.yaml", OPERATION)
    write(tmp_path / "vendor" / "b.yaml", OPERATION)
    # Not recognisable by content, but included by name: checked (and Polyaxon would refuse
    # it: no kind, no run).
    write(tmp_path / "jobs" / "odd.yaml", "name: odd\n")
    write(tmp_path / ".param-lsp.toml", 'include = ["jobs/*.yaml"]\nexclude = ["vendor"]\n')
    _, out, _ = run_cli(["check", str(tmp_path), "--format", "json"], capsys)
    checked = sorted(
        Path(f["path"]).relative_to(tmp_path).as_posix() for f in json.loads(out)["files"]
    )
    assert checked == ["jobs/a.yaml", "jobs/odd.yaml"]
    # A file named on the command line is always checked, even if excluded.
    _, out, _ = run_cli(["check", str(tmp_path / "vendor" / "b.yaml"), "--format", "json"], capsys)
    assert len(json.loads(out)["files"]) == 1


def test_cli_only_polyaxonfiles_filters_named_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    op = write(tmp_path / "op.yaml", OPERATION)
    other = write(tmp_path / "ci.yaml", "jobs:\n  build: {runs-on: ubuntu}\n")
    excluded = write(tmp_path / "vendor" / "op.yaml", OPERATION)
    write(tmp_path / ".param-lsp.toml", 'exclude = ["vendor/"]\n')
    args = ["check", "--format", "json", str(op), str(other), str(excluded)]
    _, out, _ = run_cli(args, capsys)
    assert len(json.loads(out)["files"]) == 3
    code, out, _ = run_cli([*args, "--only-polyaxonfiles"], capsys)
    assert [f["path"] for f in json.loads(out)["files"]] == [str(op)] and code == 0


def readme_config_snippet() -> str:
    """The TOML block under the README's "Configuration file" heading, as users copy it."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Configuration file", 1)[1]
    return section.split("```toml\n", 1)[1].split("```", 1)[0]


def test_readme_snippet_works_in_pyproject_and_in_the_dedicated_file(tmp_path: Path) -> None:
    snippet = readme_config_snippet()
    assert "[tool.param-lsp]" in snippet
    write(tmp_path / "a" / "pyproject.toml", "[project]\nname = 'x'\n\n" + snippet)
    write(tmp_path / "b" / ".param-lsp.toml", snippet)
    from_pyproject = load_config(tmp_path / "a" / "op.yaml")
    from_dedicated = load_config(tmp_path / "b" / "op.yaml")
    assert from_pyproject.source == tmp_path / "a" / "pyproject.toml"
    assert from_dedicated.source == tmp_path / "b" / ".param-lsp.toml"
    for config, base in ((from_pyproject, tmp_path / "a"), (from_dedicated, tmp_path / "b")):
        assert config.include == ("pipelines/**/*.yaml",)
        assert config.exclude == ("vendor/",)
        assert config.values["target_version"] == "2.18"
        assert config.values["strict_params"] is True
        assert config.values["severity"] == {"PLX303": "error", "unused-suppression": "off"}
        assert config.values["hub_map"] == {
            "my-org/trainer:v1": str(base / "components" / "trainer.yaml")
        }
        assert config.values["params"] == {"learning_rate": "0.01"}


def test_cli_accepts_the_readme_snippet_in_the_dedicated_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / ".param-lsp.toml", readme_config_snippet())
    op = write(tmp_path / "op.yaml", OPERATION)
    # strict-params = true from the file: the unmatched param `lr` is an error (exit 1, not 2:
    # the file is read); without the file it is a warning (exit 0).
    code, out, err = run_cli(["check", "--no-color", str(op)], capsys)
    assert code == 1, out + err
    assert "error[" in out and "`lr`" in out
    code, out, err = run_cli(["check", "--no-color", "--no-config", str(op)], capsys)
    assert code == 0, out + err


@pytest.mark.parametrize(
    "content",
    [
        'target-version = "2.16"\n[tool.param-lsp]\nstrict-params = true\n',
        "[tool.param-lsp]\nstrict-params = true\n[tool.other]\nx = 1\n",
    ],
)
def test_dedicated_file_takes_one_form(tmp_path: Path, content: str) -> None:
    write(tmp_path / ".param-lsp.toml", content)
    with pytest.raises(ConfigError, match=r"beside \[tool.param-lsp\]"):
        load_config(tmp_path / "op.yaml")


def test_one_upward_walk_finds_the_nearest_marked_folder_and_remembers_every_folder_passed(
    tmp_path: Path,
) -> None:
    from param_lsp.core.workspace import nearest_upwards

    deep = tmp_path / "repo" / "team" / "project"
    deep.mkdir(parents=True)
    (tmp_path / "repo" / ".git").mkdir()
    probed: list[str] = []

    def marked(folder: str) -> str | None:
        probed.append(folder)
        return folder if os.path.exists(os.path.join(folder, ".git")) else None

    memo: dict[str, str | None] = {}
    assert nearest_upwards(str(deep), marked, memo) == str(tmp_path / "repo")
    assert len(probed) == 3
    assert memo[str(deep.parent)] == str(tmp_path / "repo")
    # A sibling below a folder already looked at costs no probe.
    sibling = deep.parent / "other"
    sibling.mkdir()
    assert nearest_upwards(str(sibling), marked, memo) == str(tmp_path / "repo")
    assert len(probed) == 4
    # A walk told to end at `team` does not reach the repository.
    assert nearest_upwards(str(deep), marked, {}, last=lambda f: f.endswith("team")) is None
