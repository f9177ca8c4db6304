"""The language server reads urlRef components through the `urlMap` client setting, and
hub components from the bundled public hub."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_lsp
from pytest_lsp import LanguageClient

from tests.e2e.support import codes, open_doc, server_config, start, wait_diagnostics

pytestmark = pytest.mark.asyncio(loop_scope="module")
URL = "https://raw.githubusercontent.com/org/repo/master"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ws")
    (root / "vendor" / "jobs").mkdir(parents=True)
    (root / "vendor" / "jobs" / "train.yaml").write_text(
        "kind: component\ninputs: [{name: epochs, type: int}]\nrun: {kind: job}\n", "utf-8"
    )
    return root


@pytest_lsp.fixture(config=server_config(), scope="module")
async def client(lsp_client: LanguageClient, workspace: Path):
    await start(lsp_client, workspace, options={"urlMap": {URL: "vendor"}})
    yield
    await lsp_client.shutdown_session()


async def test_url_ref_params_are_checked_through_the_mapping(
    client: LanguageClient, workspace: Path
) -> None:
    text = f"kind: operation\nparams:\n  epochs: {{value: one}}\nurlRef: {URL}/jobs/train.yaml\n"
    uri = open_doc(client, workspace / "op.yaml", text)
    diagnostics = await wait_diagnostics(client, uri, 1)
    assert codes(diagnostics) == ["PLX302"]
    assert diagnostics[0].range.start.line == 2


async def test_public_hub_component_is_checked_offline(
    client: LanguageClient, workspace: Path
) -> None:
    text = "kind: operation\nhubRef: kaniko\nparams:\n  cache: {value: maybe}\n"
    uri = open_doc(client, workspace / "build.yaml", text)
    diagnostics = await wait_diagnostics(client, uri, 1)
    assert codes(diagnostics) == ["PLX302"]
    assert diagnostics[0].range.start.line == 3
    # The hub component has no file to show: related information stays in this document.
    related = diagnostics[0].related_information or []
    assert all(item.location.uri == uri for item in related)
