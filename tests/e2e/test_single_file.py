"""Single-file mode (no workspace folder): nothing is indexed, so a rename that other files could
need to follow is refused rather than applied to the open file alone; a rename whose every use
is in the file (a DAG op) still works."""

from __future__ import annotations

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

pytestmark = pytest.mark.asyncio(loop_scope="module")

INLINE_DAG = """\
kind: operation
component:
  inputs: [{name: size, type: int, value: 1}]
  run:
    kind: dag
    operations:
      - {name: first, dagRef: step}
      - {name: second, dagRef: step, dependencies: [first]}
    components:
      - name: step
        run: {kind: job, container: {image: python}}
"""


@pytest_lsp.fixture(config=server_config(PARAM_LSP_NO_SCAN="0"), scope="module")
async def client(lsp_client: LanguageClient) -> AsyncIterator[None]:
    record_publications(lsp_client)
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities(),
            root_uri=None,
            workspace_folders=None,
            initialization_options={"debounceMs": 10},
        )
    )
    yield
    await lsp_client.shutdown_session()


async def test_component_input_rename_is_refused(client: LanguageClient, tmp_path: Path) -> None:
    uri = open_doc(client, tmp_path / "train.yaml", COMPONENT)
    await wait_diagnostics(client, uri, 1)
    decl = pos(COMPONENT.split("\n").index("  - name: learning_rate"), 12)
    with pytest.raises(Exception, match="no workspace folder is open"):
        await client.text_document_prepare_rename_async(
            types.PrepareRenameParams(text_document=doc_id(uri), position=decl)
        )
    with pytest.raises(Exception, match="no workspace folder is open"):
        await client.text_document_rename_async(
            types.RenameParams(text_document=doc_id(uri), position=decl, new_name="lr")
        )


async def test_renames_inside_the_file_still_work(client: LanguageClient, tmp_path: Path) -> None:
    uri = open_doc(client, tmp_path / "pipeline.yaml", INLINE_DAG)
    await wait_diagnostics(client, uri, 1)
    lines = INLINE_DAG.split("\n")
    op = pos(lines.index("      - {name: first, dagRef: step}"), 16)
    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=doc_id(uri), position=op, new_name="start")
    )
    assert edit is not None and edit.changes is not None
    assert len(edit.changes[uri]) == 2  # the op's name and `dependencies: [first]`
    size = pos(lines.index("  inputs: [{name: size, type: int, value: 1}]"), 20)
    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=doc_id(uri), position=size, new_name="count")
    )
    assert edit is not None and edit.changes is not None
    assert list(edit.changes) == [uri]


async def test_component_input_references_say_they_may_be_incomplete(
    client: LanguageClient, tmp_path: Path
) -> None:
    uri = open_doc(client, tmp_path / "component.yaml", COMPONENT)
    await wait_diagnostics(client, uri, 1)
    decl = pos(COMPONENT.split("\n").index("  - name: learning_rate"), 12)
    before = len(client.messages)
    for _ in range(2):
        found = await client.text_document_references_async(
            types.ReferenceParams(
                text_document=doc_id(uri),
                position=decl,
                context=types.ReferenceContext(include_declaration=True),
            )
        )
        # The uses in this file are still listed (the declaration at least).
        assert found and any(loc.range.start.line == decl.line for loc in found)
    told = [m.message for m in client.messages[before:]]
    assert len(told) == 1, told  # once, not per request
    assert told[0].startswith("References may be incomplete: no workspace folder is open")
    assert "`learning_rate`" in told[0]


async def test_indexing_again_says_there_is_no_workspace_to_index(client: LanguageClient) -> None:
    answer = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="param-lsp.indexWorkspace")
    )
    assert answer == {"started": False, "reason": "no workspace folder is open"}
