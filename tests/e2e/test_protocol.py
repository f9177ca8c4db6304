"""Protocol behaviour: pull diagnostics, UTF-8 positions, settings, progress, robustness."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import Future
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient

from tests.e2e.support import (
    COMPONENT,
    capabilities,
    change_doc,
    codes,
    cursor,
    doc_id,
    open_doc,
    pos,
    server_config,
    start,
    write_workspace,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

OPERATION = "kind: operation\npathRef: train.yaml\nparams:\n  learning_rat: 0.1\n  epochs: 3\n"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("protocol")
    write_workspace(root)
    return root


@pytest_lsp.fixture(config=server_config(PARAM_LSP_NO_SCAN="0"), scope="module")
async def client(lsp_client: LanguageClient, workspace: Path):
    """A pull-diagnostics, UTF-8 client with settings from workspace/configuration."""
    lsp_client.set_configuration(
        {"severity": {"unknown-param": "error"}, "debounceMs": 5}, section="param-lsp"
    )
    await start(lsp_client, workspace, caps=capabilities(encodings=["utf-8"], pull=True))
    yield
    await lsp_client.shutdown_session()


async def pull(client: LanguageClient, uri: str) -> types.RelatedFullDocumentDiagnosticReport:
    report = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=doc_id(uri))
    )
    assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
    return report


async def test_pull_only_and_settings_from_configuration(
    client: LanguageClient, workspace: Path
) -> None:
    uri = open_doc(client, workspace / "pulled.yaml", OPERATION)
    report = await pull(client, uri)
    assert codes(report.items) == ["PLX301", "PLX303"]
    unknown = next(d for d in report.items if d.code == "PLX303")
    assert unknown.severity == types.DiagnosticSeverity.Error  # the configured override
    change_doc(client, uri, 2, OPERATION.replace("learning_rat", "learning_rate"))
    report = await pull(client, uri)  # waits for the analysis of version 2
    assert codes(report.items) == ["PLX301"]
    unchanged = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(
            text_document=doc_id(uri), previous_result_id=report.result_id
        )
    )
    assert isinstance(unchanged, types.RelatedUnchangedDocumentDiagnosticReport)
    await asyncio.sleep(0.1)
    assert uri not in client.diagnostics  # never pushed to a pull client


async def test_dependants_refresh_for_pull_clients(client: LanguageClient, workspace: Path) -> None:
    uri = open_doc(client, workspace / "dependant.yaml", OPERATION)
    assert "PLX303" in codes((await pull(client, uri)).items)
    component = open_doc(client, workspace / "train.yaml", COMPONENT)
    await pull(client, component)
    before = client.diagnostic_refresh_count
    change_doc(client, component, 2, COMPONENT.replace("learning_rate", "learning_rat"))
    await pull(client, component)
    deadline = time.monotonic() + 5
    while client.diagnostic_refresh_count == before and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
    assert client.diagnostic_refresh_count > before
    assert "PLX303" not in codes((await pull(client, uri)).items)
    change_doc(client, component, 3, COMPONENT)
    await pull(client, component)


async def test_utf8_positions(client: LanguageClient, workspace: Path) -> None:
    text = "kind: operation\ndescription: é😀\npathRef: train.yaml\nparams: {a😀: 1, epochs: 3}\n"
    uri = open_doc(client, workspace / "utf8.yaml", text)
    report = await pull(client, uri)
    unknown = next(d for d in report.items if d.code == "PLX303")
    # `a😀` starts at code point 9 and ends at 11; the emoji is 4 UTF-8 bytes.
    assert unknown.range.start == pos(3, 9) and unknown.range.end == pos(3, 14)
    body, at = cursor(COMPONENT.replace('"--lr={{ learning_rate }}"', '"é={{ globals.uu| }}"'))
    uri = open_doc(client, workspace / "utf8c.yaml", body)
    await pull(client, uri)
    line = body.split("\n")[at.line]
    utf8 = len(line[: at.character].encode("utf-8"))
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=doc_id(uri), position=pos(at.line, utf8))
    )
    assert isinstance(result, types.CompletionList)
    uuid = next(item for item in result.items if item.label == "uuid")
    assert isinstance(uuid.text_edit, types.TextEdit)
    assert uuid.text_edit.range.start.character == utf8 - 2


async def test_workspace_scan_reports_progress(client: LanguageClient, workspace: Path) -> None:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        reports = [r for rs in client.progress_reports.values() for r in rs]
        if any(isinstance(r, types.WorkDoneProgressEnd) for r in reports):
            break
        await asyncio.sleep(0.02)
    (token_reports,) = [rs for rs in client.progress_reports.values() if rs]
    assert isinstance(token_reports[0], types.WorkDoneProgressBegin)
    assert isinstance(token_reports[-1], types.WorkDoneProgressEnd)
    assert "polyaxonfiles" in (token_reports[-1].message or "")


async def test_scanned_files_are_found_by_references(
    client: LanguageClient, workspace: Path
) -> None:
    # pipeline.yaml is not open: the workspace scan indexed it.
    uri = open_doc(client, workspace / "train2.yaml", COMPONENT)
    (workspace / "uses_train2.yaml").write_text(
        "kind: operation\npathRef: train2.yaml\nparams:\n  epochs: 1\n  dataset: x\n"
    )
    await pull(client, uri)
    lines = COMPONENT.split("\n")
    decl = lines.index("  - name: epochs")
    refs = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=doc_id(uri),
            position=pos(decl, 12),
            context=types.ReferenceContext(include_declaration=False),
        )
    )
    # The file was written after the scan: only this document's own template use is known.
    assert refs is not None and all(r.uri == uri for r in refs)
    pipeline = (workspace / "pipeline.yaml").as_uri()
    refs = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=doc_id(open_doc(client, workspace / "train.yaml", COMPONENT)),
            position=pos(decl, 12),
            context=types.ReferenceContext(include_declaration=False),
        )
    )
    assert refs is not None and any(r.uri == pipeline for r in refs)


async def test_robustness(client: LanguageClient, workspace: Path) -> None:
    unknown = (workspace / "never-opened.yaml").as_uri()
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=doc_id(unknown), position=pos(0, 0))
    )
    assert hover is None
    report = await pull(client, unknown)
    assert list(report.items) == []
    uri = open_doc(client, workspace / "robust.yaml", OPERATION)
    await pull(client, uri)
    beyond = await client.text_document_hover_async(
        types.HoverParams(text_document=doc_id(uri), position=pos(500, 0))
    )
    assert beyond is None
    # A character past the end of the line means the end of the line (LSP spec).
    clamped = await client.text_document_hover_async(
        types.HoverParams(text_document=doc_id(uri), position=pos(2, 9999))
    )
    at_end = await client.text_document_hover_async(
        types.HoverParams(text_document=doc_id(uri), position=pos(2, 7))
    )
    assert clamped == at_end
    for position in (pos(500, 0), pos(2, 9999)):
        result = await client.text_document_completion_async(
            types.CompletionParams(text_document=doc_id(uri), position=position)
        )
        assert result is None or isinstance(result, types.CompletionList)
    # Malformed params, written as raw JSON past the test client's own type checks.
    protocol = client.protocol
    malformed: Future[object] = Future()
    protocol._request_futures["malformed-1"] = malformed
    protocol._send_data(
        {
            "jsonrpc": "2.0",
            "id": "malformed-1",
            "method": types.TEXT_DOCUMENT_HOVER,
            "params": {"textDocument": {"uri": uri}, "position": "nope"},
        }
    )
    with pytest.raises(JsonRpcException):
        await asyncio.wait_for(asyncio.wrap_future(malformed), 5)
    # Still alive and correct afterwards.
    assert codes((await pull(client, uri)).items) == ["PLX301", "PLX303"]


@pytest_lsp.fixture(config=server_config(), scope="module")
async def bad_options_client(lsp_client: LanguageClient, workspace: Path):
    await start(lsp_client, workspace, options={"debounceMs": "soon", "targetVersion": "9"})
    yield
    await lsp_client.shutdown_session()


async def test_invalid_options_fall_back_to_defaults(
    bad_options_client: LanguageClient, workspace: Path
) -> None:
    client = bad_options_client
    deadline = time.monotonic() + 5
    while not client.messages and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
    assert client.messages and "debounceMs" in client.messages[0].message
    assert client.messages[0].type == types.MessageType.Warning


async def test_indexing_again_says_when_indexing_is_turned_off(
    bad_options_client: LanguageClient,
) -> None:
    # This server runs with PARAM_LSP_NO_SCAN=1 (a workspace folder, but no scan).
    answer = await bad_options_client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="param-lsp.indexWorkspace")
    )
    assert answer == {"started": False, "reason": "workspace indexing is turned off"}


async def test_project_configuration_file_applies_under_client_settings(
    client: LanguageClient, workspace: Path
) -> None:
    # `.param-lsp.toml` in a sub-folder: its severities apply to files below it; the client's
    # own setting (unknown-param = error) stays on top of the file's.
    project = workspace / "configured"
    project.mkdir()
    (project / "train.yaml").write_text(COMPONENT)
    (project / ".param-lsp.toml").write_text(
        '[severity]\nmissing-required-input = "warning"\nunknown-param = "off"\n'
    )
    uri = open_doc(client, project / "op.yaml", OPERATION)
    report = await pull(client, uri)
    by_code = {d.code: d.severity for d in report.items}
    assert by_code == {
        "PLX301": types.DiagnosticSeverity.Warning,  # from the configuration file
        "PLX303": types.DiagnosticSeverity.Error,  # the client's override wins over "off"
    }
