"""A feature that raises inside the server: the client is told through `window/logMessage`.

The server process is started by a small launcher that replaces the hover feature with one
that raises, then serves as usual; nothing in the product knows about the test.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.e2e.support import (
    COMPONENT,
    doc_id,
    open_doc,
    pos,
    start,
    wait_diagnostics,
    write_workspace,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

FORCED = "forced failure for the test"
LAUNCHER = f"""
import param_lsp.features.hover as hover_feature

def failing_hover(*args, **kwargs):
    raise RuntimeError({FORCED!r})

hover_feature.hover = failing_hover
from param_lsp.lsp.server import serve
serve()
"""


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("errors")
    write_workspace(root)
    return root


@pytest_lsp.fixture(
    config=ClientServerConfig(
        server_command=[sys.executable, "-c", LAUNCHER],
        server_env={**os.environ, "PARAM_LSP_NO_SCAN": "1"},
    ),
    scope="module",
)
async def client(lsp_client: LanguageClient, workspace: Path) -> AsyncIterator[None]:
    await start(lsp_client, workspace)
    yield
    await lsp_client.shutdown_session()


async def test_handler_exception_is_logged_to_the_client(
    client: LanguageClient, workspace: Path
) -> None:
    uri = open_doc(client, workspace / "train.yaml", COMPONENT)
    await wait_diagnostics(client, uri, 1)
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=doc_id(uri), position=pos(1, 7))
    )
    assert hover is None  # the request is answered (empty), not left hanging
    deadline = time.monotonic() + 5
    while not any(FORCED in m.message for m in client.log_messages):
        assert time.monotonic() < deadline, [m.message for m in client.log_messages]
        await asyncio.sleep(0.02)
    (logged,) = [m for m in client.log_messages if FORCED in m.message]
    assert logged.type == types.MessageType.Error
    assert "hover failed" in logged.message and "RuntimeError" in logged.message
    # The server carries on: other features still answer.
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=doc_id(uri), position=pos(3, 0))
    )
    assert result is not None
