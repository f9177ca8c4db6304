"""The polyaxonfile detection rule (core/detect.py) on real foreign YAML and real polyaxonfiles.

`tests/data/foreign/` holds real non-Polyaxon YAML files from public repositories (sources and
licences in its SOURCES.md): none of them may be picked by a folder check, the pre-commit hook or
the server. Every `kind: operation|component` file of the shared corpus must still be found.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest

from param_lsp.cli.main import main
from param_lsp.core.config import load_config
from param_lsp.core.detect import looks_like_polyaxonfile, polyaxon_kind, selected
from param_lsp.core.settings import Settings
from param_lsp.core.workspace import Workspace
from param_lsp.lsp.documents import _compute
from tests.corpus_support import corpus_dir

FOREIGN = Path(__file__).parent / "data" / "foreign"
FOREIGN_FILES = sorted(p for p in FOREIGN.rglob("*") if p.suffix in (".yaml", ".yml"))
CORPUS = corpus_dir()


def test_the_foreign_set_is_large_and_varied() -> None:
    assert len(FOREIGN_FILES) >= 400
    repos = {p.relative_to(FOREIGN).parts[0] for p in FOREIGN_FILES}
    assert len(repos) >= 20
    sources = (FOREIGN / "SOURCES.md").read_text(encoding="utf-8")
    recorded = set(re.findall(r"^\| (\S+) \| `([^`]+)` \|", sources, re.MULTILINE))
    on_disk = {(p.relative_to(FOREIGN).parts[0].replace("__", "/", 1),
                "/".join(p.relative_to(FOREIGN).parts[1:])) for p in FOREIGN_FILES}  # fmt: skip
    assert on_disk == recorded


def test_no_foreign_file_is_a_polyaxonfile() -> None:
    found = [str(p.relative_to(FOREIGN)) for p in FOREIGN_FILES
             if looks_like_polyaxonfile(p.read_text(encoding="utf-8"))]  # fmt: skip
    assert found == []


def test_folder_check_and_pre_commit_find_nothing_in_the_foreign_set(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["check", "--no-config", "--format", "json", str(FOREIGN)]) == 2
    out = json.loads(capsys.readouterr().out)
    assert out["files"] == []
    # pre-commit passes every staged YAML file with --only-polyaxonfiles
    files = [str(p) for p in FOREIGN_FILES]
    code = main(["check", "--no-config", "--only-polyaxonfiles", "--format", "json", *files])
    assert json.loads(capsys.readouterr().out)["files"] == []
    assert code == 0  # the hook lets the commit through


def test_the_server_analyses_no_foreign_file() -> None:
    workspace = Workspace(root=FOREIGN)
    eligible = [
        str(p.relative_to(FOREIGN))
        for p in FOREIGN_FILES
        if _compute(p.read_text(encoding="utf-8"), p, p.as_uri(), Settings(), workspace).eligible
    ]
    assert eligible == []


@pytest.mark.skipif(not (CORPUS / "oracle-verdicts.jsonl").exists(), reason="no corpus")
def test_every_operation_and_component_of_the_corpus_is_found() -> None:
    rows = [json.loads(line) for line in (CORPUS / "oracle-verdicts.jsonl").open()]
    kinds = re.compile(r"^kind:[ \t]*['\"]?(?:operation|component)\b", re.MULTILINE)
    files = [CORPUS / str(row["file"]) for row in rows]
    texts = {f: f.read_bytes().decode("utf-8", errors="replace") for f in files}
    v1 = [f for f, text in texts.items() if kinds.search(text)]
    assert len(v1) >= 250
    missed = [str(f) for f in v1 if polyaxon_kind(texts[f]) != "v1"]
    assert missed == []


def _yaml(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


# Hand-written shapes seen in real repositories (the foreign set holds real ones of most).
NOT_POLYAXON = {
    "dvc.yaml with top-level params": """
        params:
          - params.yaml
        stages:
          train:
            cmd: python train.py
        """,
    "DVC params.yaml": """
        train:
          epochs: 10
        run:
          seed: 1
        """,
    "Hydra config with run": """
        run:
          dir: outputs/${now:%Y-%m-%d}
        """,
    "Hydra config with defaults and run": """
        defaults:
          - _self_
        hydra:
          run:
            dir: .
        """,
    "GitHub action with inputs": """
        name: setup
        inputs:
          version:
            description: v
        runs:
          using: node20
          main: index.js
        """,
    "Kubeflow component": """
        name: Train
        inputs:
        - {name: data, type: String}
        outputs:
        - {name: model}
        implementation:
          container:
            image: python:3.11
        """,
    "Azure ML command job": """
        $schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json
        command: python train.py
        inputs:
          lr: 0.1
        """,
    "Kubernetes object with kind component": """
        apiVersion: v1alpha1
        kind: component
        """,
    "Travis CI matrix": """
        language: python
        matrix:
          include:
            - python: 3.11
        """,
    "a params-only mapping": """
        params:
          lr: 0.1
        """,
    "v0-like kind with foreign keys": """
        kind: experiment
        version: 1
        id: exp-a
        references:
          brain: a
        """,
    "a top-level sequence": """
        - kind: operation
        """,
}

POLYAXON = {
    "operation": ("v1", "version: 1.1\nkind: operation\nhubRef: tensorboard\n"),
    "component, quoted kind": ("v1", "kind: 'component'\nrun: {kind: job}\n"),
    "kind-less with a runtime": ("v1", "params:\n  lr: {value: 0.1}\nrun:\n  kind: job\n"),
    "kind-less with a flow runtime": ("v1", "run: {kind: dag, operations: []}\n"),
    "kind-less with a pathRef": ("v1", "pathRef: ./train.yaml\nparams:\n  lr: {value: 1}\n"),
    "preset": ("v1", "isPreset: true\nqueue: agent/gpu\n"),
    "kind-less matrix": ("v1", "matrix:\n  kind: grid\n  params: {}\n"),
    "inline component": ("v1", "component:\n  run:\n    kind: job\n"),
    "after a document marker": ("v1", "---\n# comment\nkind: operation\n"),
    "v0 experiment": (
        "v0",
        "version: 1\nkind: experiment\nenvironment:\n  resources: {}\nrun:\n  cmd: x\n",
    ),
    "v0 group": ("v0", "version: 1\nkind: group\nhptuning:\n  matrix: {}\n"),
    "v0 notebook": ("v0", "version: 1\nkind: notebook\nbuild:\n  image: x\n"),
}


@pytest.mark.parametrize("name", sorted(NOT_POLYAXON))
def test_foreign_shapes_are_not_polyaxonfiles(name: str) -> None:
    assert polyaxon_kind(_yaml(NOT_POLYAXON[name])) is None


@pytest.mark.parametrize("name", sorted(POLYAXON))
def test_polyaxon_shapes_are_found(name: str) -> None:
    expected, text = POLYAXON[name]
    assert polyaxon_kind(text) == expected


def test_explicit_and_included_files_are_always_checked_excluded_never(tmp_path: Path) -> None:
    (tmp_path / ".param-lsp.toml").write_text(
        'include = ["pipelines/**"]\nexclude = ["vendor/"]\n', encoding="utf-8"
    )
    foreign = "stages:\n  a: {cmd: x}\n"
    ours = "kind: operation\nhubRef: x\n"
    config = load_config(tmp_path / "x.yaml")
    assert selected(foreign, tmp_path / "pipelines" / "a.yaml", config)
    assert not selected(ours, tmp_path / "vendor" / "op.yaml", config)
    assert selected(foreign, tmp_path / "vendor" / "a.yaml", config, explicit=True)


def test_the_server_honours_exclude(tmp_path: Path) -> None:
    (tmp_path / ".param-lsp.toml").write_text('exclude = ["vendor/"]\n', encoding="utf-8")
    text = "version: 1.1\nkind: operation\nhubRef: tensorboard\n"
    workspace = Workspace(root=tmp_path)
    inside = tmp_path / "vendor" / "op.yaml"
    outside = tmp_path / "op.yaml"
    assert not _compute(text, inside, inside.as_uri(), Settings(), workspace).eligible
    assert _compute(text, outside, outside.as_uri(), Settings(), workspace).eligible
