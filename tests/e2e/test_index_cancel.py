"""The workspace scan cancelled by the user (work-done progress cancel): the index stays
incomplete, so a rename is refused with a message and nothing is applied, and references answer
with the uses known so far and say, once, that they may be partial."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient

from tests.e2e.support import (
    COMPONENT,
    codes,
    doc_id,
    open_doc,
    pos,
    server_config,
    start,
    wait_diagnostics,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

#: Enough files for dozens of batches: the cancel, sent as soon as the scan begins, arrives long
#: before the end.
OPERATIONS = 480
OPERATION = """\
kind: operation
name: op{number}
pathRef: ../components/train.yaml
params:
  dataset: /data
  learning_rate: 0.1
  epochs: 2
"""


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cancelled")
    (root / ".git").mkdir()
    (root / "components").mkdir()
    (root / "components" / "train.yaml").write_text(COMPONENT)
    (root / "ops").mkdir()
    for number in range(OPERATIONS):
        (root / "ops" / f"op{number:03d}.yaml").write_text(OPERATION.format(number=number))
    return root


#: Whether the next scans are cancelled as they begin (the user clicks "Cancel" once).
CANCELLING = {"on": True}


def cancel_on_begin(client: LanguageClient) -> None:
    """Answer the scan's progress `begin` with `window/workDoneProgress/cancel`, as a user
    clicking "Cancel" on the progress notification."""
    original = client.protocol.fm._features[types.PROGRESS]

    def on_progress(params: types.ProgressParams) -> Any:
        result = original(params)
        if CANCELLING["on"] and (
            getattr(params.value, "kind", None) == "begin"
            or (isinstance(params.value, dict) and params.value.get("kind") == "begin")
        ):
            client.window_work_done_progress_cancel(
                types.WorkDoneProgressCancelParams(token=params.token)
            )
        return result

    client.protocol.fm._features[types.PROGRESS] = on_progress


@pytest_lsp.fixture(config=server_config(PARAM_LSP_NO_SCAN="0"), scope="module")
async def client(lsp_client: LanguageClient, workspace: Path):
    cancel_on_begin(lsp_client)
    await start(lsp_client, workspace)
    yield
    await lsp_client.shutdown_session()


async def scan_end(client: LanguageClient, seen: int = 0) -> types.WorkDoneProgressEnd:
    """The end of a scan's progress, the first one not among the ``seen`` first ones."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ends = [
            reports[-1]
            for reports in client.progress_reports.values()
            if reports and isinstance(reports[-1], types.WorkDoneProgressEnd)
        ]
        if len(ends) > seen:
            return ends[seen]
        await asyncio.sleep(0.05)
    raise AssertionError("the workspace scan never ended")


async def test_a_cancelled_scan_refuses_rename_and_marks_references_partial(
    client: LanguageClient, workspace: Path
) -> None:
    end = await scan_end(client)
    assert end.message is not None and "stopped after" in end.message
    stats = await client.protocol.send_request_async("$/paramLsp/stats", None)
    assert stats.index_complete is False
    assert 0 < stats.indexed_files < OPERATIONS + 1

    component = workspace / "components" / "train.yaml"
    uri = open_doc(client, component, COMPONENT)
    await wait_diagnostics(client, uri, 1)
    decl = pos(COMPONENT.split("\n").index("  - name: learning_rate"), 12)
    on_disk = {path: path.read_text() for path in workspace.rglob("*.yaml")}

    # Rename: refused with the reason and the fix; no edit comes back, nothing changes on disk.
    with pytest.raises(JsonRpcException, match="Rename refused: indexing of the workspace was"):
        await client.text_document_prepare_rename_async(
            types.PrepareRenameParams(text_document=doc_id(uri), position=decl)
        )
    with pytest.raises(JsonRpcException, match="Rename refused: indexing of the workspace was"):
        await client.text_document_rename_async(
            types.RenameParams(text_document=doc_id(uri), position=decl, new_name="lr")
        )
    fix = r"cancelled after \d+ of \d+ files, .*; index the workspace again \(command `param-lsp"
    with pytest.raises(JsonRpcException, match=fix):
        await client.text_document_rename_async(
            types.RenameParams(text_document=doc_id(uri), position=decl, new_name="lr")
        )
    assert {path: path.read_text() for path in workspace.rglob("*.yaml")} == on_disk
    assert codes(client.diagnostics[uri]) == codes(await wait_diagnostics(client, uri, 1))

    # References: what the partial index knows (some operations, not all), and one warning.
    messages_before = len(client.messages)
    for _ in range(2):
        refs = await client.text_document_references_async(
            types.ReferenceParams(
                text_document=doc_id(uri),
                position=decl,
                context=types.ReferenceContext(include_declaration=True),
            )
        )
        users = {ref.uri for ref in refs or []} - {uri}
        assert 0 < len(users) < OPERATIONS
        # Each indexed operation uses `learning_rate` once, as a param key.
        assert len([ref for ref in refs or [] if ref.uri != uri]) == len(users)
    told = client.messages[messages_before:]
    assert len(told) == 1
    assert told[0].type == types.MessageType.Warning
    assert told[0].message.startswith("References may be incomplete: indexing of the workspace")


async def test_indexing_again_completes_the_index_and_allows_the_rename(
    client: LanguageClient, workspace: Path
) -> None:
    component = workspace / "components" / "train.yaml"
    uri = component.as_uri()
    decl = pos(COMPONENT.split("\n").index("  - name: learning_rate"), 12)
    CANCELLING["on"] = False
    started = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="param-lsp.indexWorkspace")
    )
    assert started == {"started": True}
    again = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="param-lsp.indexWorkspace")
    )
    assert again in ({"started": False, "reason": "the workspace is already being indexed"},)
    end = await scan_end(client, seen=1)
    assert end.message == f"{OPERATIONS + 1} polyaxonfiles"
    stats = await client.protocol.send_request_async("$/paramLsp/stats", None)
    assert stats.index_complete is True and stats.indexed_files == OPERATIONS + 1

    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=doc_id(uri), position=decl, new_name="lr")
    )
    assert edit is not None and edit.changes is not None
    # The declaration's file and every operation (its `learning_rate` param key).
    assert len(edit.changes) == OPERATIONS + 1
