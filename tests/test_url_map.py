"""`url-map`: urlRef components read from local folders (CLI flag, configuration file, editor
settings), confined to the workspace like a pathRef."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from param_lsp.cli.main import main
from param_lsp.core.settings import Settings
from param_lsp.core.workspace import Workspace
from param_lsp.engine.analyze import analyze
from param_lsp.engine.config import load_settings

URL = "https://raw.githubusercontent.com/org/repo/master"
COMPONENT = "kind: component\ninputs: [{name: epochs, type: int}]\nrun: {kind: job}\n"
OPERATION = f"kind: operation\nparams:\n  epochs: {{value: one}}\nurlRef: {URL}/jobs/train.yaml\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "jobs").mkdir()
    (tmp_path / "jobs" / "train.yaml").write_text(COMPONENT, encoding="utf-8")
    (tmp_path / "op.yaml").write_text(OPERATION, encoding="utf-8")
    return tmp_path


def _check_json(capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    main(["check", "--format", "json", *args])
    out = json.loads(capsys.readouterr().out)
    return [d["code"] for f in out["files"] for d in f["diagnostics"]]


def test_without_a_mapping_the_url_ref_is_only_noted(repo: Path) -> None:
    analysis = analyze(OPERATION, repo / "op.yaml", Settings(root=str(repo)))
    assert [f.code for f in analysis.findings] == ["PLX904"]
    assert "`url-map`" in analysis.findings[0].message


def test_cli_flag_maps_a_url_prefix_to_a_folder(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    assert _check_json(capsys, "--no-config", "--url-map", f"{URL}=.", "op.yaml") == ["PLX302"]


def test_configuration_file_paths_are_relative_to_it(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".param-lsp.toml").write_text(f'[url-map]\n"{URL}/" = "."\n', encoding="utf-8")
    assert load_settings(repo / "op.yaml").url_map == {f"{URL}/": str(repo.resolve())}
    assert _check_json(capsys, str(repo / "op.yaml")) == ["PLX302"]


def test_longest_prefix_wins_and_a_missing_file_is_a_note(repo: Path) -> None:
    (repo / "other").mkdir()
    settings = Settings(root=str(repo), url_map={URL: "other", f"{URL}/jobs": "jobs"})
    analysis = analyze(OPERATION, repo / "op.yaml", settings, Workspace(root=repo))
    assert [f.code for f in analysis.findings] == ["PLX302"]
    settings = Settings(root=str(repo), url_map={URL: "other"})
    analysis = analyze(OPERATION, repo / "op.yaml", settings, Workspace(root=repo))
    assert [f.code for f in analysis.findings] == ["PLX904"]
    assert "does not exist" in analysis.findings[0].message


def test_mapped_files_outside_the_workspace_are_not_read(tmp_path: Path) -> None:
    inside = tmp_path / "ws"
    inside.mkdir()
    (tmp_path / "jobs").mkdir()
    (tmp_path / "jobs" / "train.yaml").write_text(COMPONENT, encoding="utf-8")
    settings = Settings(root=str(inside), url_map={URL: str(tmp_path)})
    analysis = analyze(OPERATION, inside / "op.yaml", settings, Workspace(root=inside))
    assert [f.code for f in analysis.findings] == ["PLX903"]


def test_a_url_cannot_climb_out_of_its_folder(repo: Path) -> None:
    settings = Settings(root=str(repo / "jobs"), url_map={URL: "."})
    text = OPERATION.replace("/jobs/train.yaml", "/../../etc/passwd")
    analysis = analyze(text, repo / "jobs" / "op.yaml", settings, Workspace(root=repo / "jobs"))
    assert [f.code for f in analysis.findings] == ["PLX903"]


def test_a_broken_mapped_component_is_reported_through_the_url_ref(repo: Path) -> None:
    (repo / "jobs" / "train.yaml").write_text(
        textwrap.dedent("""\
            kind: component
            inputs: [{name: epochs, type: int, value: x}]
            run: {kind: job}
            """),
        encoding="utf-8",
    )
    settings = Settings(root=str(repo), url_map={URL: "."})
    analysis = analyze(OPERATION, repo / "op.yaml", settings, Workspace(root=repo))
    assert [f.code for f in analysis.findings] == ["PLX902"]
    assert analysis.findings[0].message.startswith(f"`urlRef: {URL}/jobs/train.yaml` is not")
