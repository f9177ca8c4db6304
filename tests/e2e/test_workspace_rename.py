"""References and rename over the whole workspace: files that are not open, found by the
workspace scan, in block and flow style. Edits to files that are not open are applied on disk
and the files checked again: a rename leaves no new diagnostic anywhere."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from param_lsp.core.settings import Settings
from param_lsp.engine.analyze import analyze
from tests.e2e.support import (
    COMPONENT,
    change_doc,
    codes,
    doc_id,
    open_doc,
    pos,
    server_config,
    start,
    wait_diagnostics,
)
from tests.e2e.test_contexts import apply_edits

pytestmark = pytest.mark.asyncio(loop_scope="module")

DAG = """\
kind: operation
name: pipeline
component:
  run:
    kind: dag
    operations:
      - name: train
        pathRef: ../components/train.yaml
        params:
          dataset: {value: /data}
          learning_rate: {value: 0.1}
          epochs: 3
      - name: sweep
        pathRef: ../components/train.yaml
        matrix: {kind: grid, params: {learning_rate: {kind: choice, value: [0.1, 0.01]}}}
        params: {dataset: /data, epochs: 2}
      - name: evaluate
        pathRef: ../components/train.yaml
        dependencies: [train]
        params:
          dataset:
            ref: ops.train
            value: outputs.model
          learning_rate: {ref: ops.train, value: inputs.learning_rate}
          epochs: {value: "{{ learning_rate }}", contextOnly: true}
"""
JOIN = """\
kind: operation
pathRef: ../components/train.yaml
params:
  dataset: /data
  epochs: 1
joins:
  - query: 'status: succeeded'
    params:
      learning_rate:
        value: outputs.accuracy
"""


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("whole")
    (root / "components").mkdir()
    (root / "components" / "train.yaml").write_text(COMPONENT)
    (root / "ops").mkdir()
    (root / "ops" / "pipeline.yaml").write_text(DAG)
    (root / "ops" / "join.yaml").write_text(JOIN)
    return root


@pytest_lsp.fixture(config=server_config(PARAM_LSP_NO_SCAN="0"), scope="module")
async def client(lsp_client: LanguageClient, workspace: Path):
    await start(lsp_client, workspace)
    yield
    await lsp_client.shutdown_session()


def disk_codes(path: Path) -> list[str]:
    analysis = analyze(path.read_text(), path, Settings(root=str(path.parent.parent)))
    return sorted(f.code for f in analysis.findings)


async def references_until(
    client: LanguageClient, uri: str, at: types.Position, wanted: set[str]
) -> list[types.Location]:
    """References, asked again until the background scan has indexed the wanted files."""
    deadline = time.monotonic() + 20
    while True:
        refs = await client.text_document_references_async(
            types.ReferenceParams(
                text_document=doc_id(uri),
                position=at,
                context=types.ReferenceContext(include_declaration=True),
            )
        )
        found = {r.uri for r in refs or []}
        if wanted <= found or time.monotonic() > deadline:
            return list(refs or [])
        await asyncio.sleep(0.2)


async def test_rename_an_input_across_files_that_are_not_open(
    client: LanguageClient, workspace: Path
) -> None:
    component_path = workspace / "components" / "train.yaml"
    pipeline, join = workspace / "ops" / "pipeline.yaml", workspace / "ops" / "join.yaml"
    before = {path: disk_codes(path) for path in (pipeline, join)}
    uri = open_doc(client, component_path, COMPONENT)
    initial = codes(await wait_diagnostics(client, uri, 1))
    lines = COMPONENT.split("\n")
    decl = pos(lines.index("  - name: learning_rate"), 12)
    refs = await references_until(client, uri, decl, {pipeline.as_uri(), join.as_uri()})
    by_file: dict[str, list[int]] = {}
    for ref in refs:
        by_file.setdefault(ref.uri, []).append(ref.range.start.line)
    dag_lines = DAG.split("\n")
    # Every occurrence: the param keys, the matrix key, the ref value (`inputs.learning_rate`
    # under `ref: ops.train`) and the `{{ learning_rate }}` template.
    expected_dag = [
        i for i, line in enumerate(dag_lines) for _ in range(line.count("learning_rate"))
    ]
    assert sorted(by_file[pipeline.as_uri()]) == expected_dag
    join_lines = JOIN.split("\n")
    assert by_file[join.as_uri()] == [join_lines.index("      learning_rate:")]
    assert len(by_file[uri]) == 2  # the declaration and `{{ learning_rate }}`
    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=doc_id(uri), position=decl, new_name="lr")
    )
    assert edit is not None and edit.changes is not None
    assert set(edit.changes) == {uri, pipeline.as_uri(), join.as_uri()}
    for path in (pipeline, join):
        path.write_text(apply_edits(path.read_text(), list(edit.changes[path.as_uri()])))
        assert "learning_rate" not in path.read_text()
    renamed = apply_edits(COMPONENT, list(edit.changes[uri]))
    assert "learning_rate" not in renamed
    component_path.write_text(renamed)
    change_doc(client, uri, 2, renamed)
    assert codes(await wait_diagnostics(client, uri, 2)) == initial
    assert {path: disk_codes(path) for path in (pipeline, join)} == before
