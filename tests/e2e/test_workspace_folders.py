"""References and rename when the component and the operation using it are in two different
workspace folders: the scan covers every folder, so the use in the other folder is found and
renamed with the declaration."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.e2e.support import (
    COMPONENT,
    capabilities,
    doc_id,
    open_doc,
    pos,
    record_publications,
    server_config,
    wait_diagnostics,
)
from tests.e2e.test_workspace_rename import DAG

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("folders")
    (root / "A" / "components").mkdir(parents=True)
    (root / "A" / "components" / "train.yaml").write_text(COMPONENT)
    (root / "B" / "ops").mkdir(parents=True)
    (root / "B" / "ops" / "pipeline.yaml").write_text(
        DAG.replace("../components/train.yaml", "../../A/components/train.yaml")
    )
    return root


@pytest_lsp.fixture(config=server_config(PARAM_LSP_NO_SCAN="0"), scope="module")
async def client(lsp_client: LanguageClient, workspace: Path) -> AsyncIterator[None]:
    record_publications(lsp_client)
    folders = [types.WorkspaceFolder(uri=(workspace / name).as_uri(), name=name) for name in "AB"]
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities(),
            root_uri=folders[0].uri,
            workspace_folders=folders,
            initialization_options={"debounceMs": 10},
        )
    )
    yield
    await lsp_client.shutdown_session()


async def test_a_use_in_another_folder_is_found_and_renamed(
    client: LanguageClient, workspace: Path
) -> None:
    component = workspace / "A" / "components" / "train.yaml"
    pipeline = workspace / "B" / "ops" / "pipeline.yaml"
    uri = open_doc(client, component, COMPONENT)
    await wait_diagnostics(client, uri, 1)
    decl = pos(COMPONENT.split("\n").index("  - name: learning_rate"), 12)
    deadline = time.monotonic() + 20
    while True:
        refs = await client.text_document_references_async(
            types.ReferenceParams(
                text_document=doc_id(uri),
                position=decl,
                context=types.ReferenceContext(include_declaration=True),
            )
        )
        found = [ref for ref in refs or [] if ref.uri == pipeline.as_uri()]
        if found or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.2)
    dag_lines = pipeline.read_text().split("\n")
    expected = [i for i, line in enumerate(dag_lines) for _ in range(line.count("learning_rate"))]
    assert sorted(ref.range.start.line for ref in found) == expected
    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=doc_id(uri), position=decl, new_name="lr")
    )
    assert edit is not None and edit.changes is not None
    assert set(edit.changes) == {uri, pipeline.as_uri()}
    assert len(edit.changes[pipeline.as_uri()]) == len(expected)
