"""The workspace index after start-up: files created, changed and deleted on disk.

The client declares dynamic registration of `workspace/didChangeWatchedFiles`; the server asks
for one watcher registration (configuration files and `**/*.y*ml`) and, on each reported
change, re-indexes the file and re-checks the open documents that read it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.e2e.support import (
    COMPONENT,
    capabilities,
    codes,
    doc_id,
    open_doc,
    pos,
    server_config,
    start,
    wait_diagnostics,
    write_workspace,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

USER = "kind: operation\npathRef: ../train.yaml\nparams:\n  learning_rate: 0.5\n  epochs: 1\n"
DECLARATION = COMPONENT.split("\n").index("  - name: learning_rate")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("watched")
    write_workspace(root)
    return root


@pytest_lsp.fixture(config=server_config(PARAM_LSP_NO_SCAN="0"), scope="module")
async def client(lsp_client: LanguageClient, workspace: Path) -> AsyncIterator[None]:
    registrations: list[types.Registration] = []

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def on_register(params: types.RegistrationParams) -> None:
        registrations.extend(params.registrations)

    lsp_client.registrations = registrations  # type: ignore[attr-defined]
    caps = capabilities()
    assert caps.workspace is not None
    caps.workspace.did_change_watched_files = types.DidChangeWatchedFilesClientCapabilities(
        dynamic_registration=True
    )
    await start(lsp_client, workspace, caps=caps)
    yield
    await lsp_client.shutdown_session()


def notify(client: LanguageClient, path: Path, kind: types.FileChangeType) -> None:
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=path.as_uri(), type=kind)])
    )


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached")
        await asyncio.sleep(0.05)


async def scan_finished(client: LanguageClient) -> None:
    async def ended() -> bool:
        reports = [r for rs in client.progress_reports.values() for r in rs]
        return any(isinstance(r, types.WorkDoneProgressEnd) for r in reports)

    await eventually(ended)


async def test_one_registration_for_config_and_yaml_files(client: LanguageClient) -> None:
    async def registered() -> bool:
        return bool(client.registrations)  # type: ignore[attr-defined]

    await eventually(registered)
    (registration,) = client.registrations  # type: ignore[attr-defined]
    assert registration.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
    globs = [w["globPattern"] for w in registration.register_options["watchers"]]
    assert globs == ["**/.param-lsp.toml", "**/pyproject.toml", "**/*.y*ml"]


async def test_references_and_rename_follow_files_created_changed_and_deleted(
    client: LanguageClient, workspace: Path
) -> None:
    await scan_finished(client)
    component = open_doc(client, workspace / "train.yaml", COMPONENT)
    await wait_diagnostics(client, component, 1)
    late = workspace / "nested" / "late_user.yaml"

    async def referencing_files() -> set[str]:
        refs = await client.text_document_references_async(
            types.ReferenceParams(
                text_document=doc_id(component),
                position=pos(DECLARATION, 12),
                context=types.ReferenceContext(include_declaration=False),
            )
        )
        return {r.uri for r in refs or []}

    assert late.as_uri() not in await referencing_files()
    late.parent.mkdir()
    late.write_text(USER)
    notify(client, late, types.FileChangeType.Created)

    async def late_found() -> bool:
        return late.as_uri() in await referencing_files()

    await eventually(late_found)
    edit = await client.text_document_rename_async(
        types.RenameParams(
            text_document=doc_id(component), position=pos(DECLARATION, 12), new_name="lr"
        )
    )
    assert edit is not None and edit.changes is not None
    (late_edit,) = edit.changes[late.as_uri()]
    assert late_edit.range.start == pos(3, 2) and late_edit.new_text == "lr"

    # Changed on disk: the param is gone, so is the reference.
    late.write_text(USER.replace("  learning_rate: 0.5\n", ""))
    notify(client, late, types.FileChangeType.Changed)

    async def late_gone() -> bool:
        return late.as_uri() not in await referencing_files()

    await eventually(late_gone)
    late.write_text(USER)
    notify(client, late, types.FileChangeType.Changed)
    await eventually(late_found)
    late.unlink()
    notify(client, late, types.FileChangeType.Deleted)
    await eventually(late_gone)


async def test_open_users_are_rechecked_when_a_component_appears_or_changes(
    client: LanguageClient, workspace: Path
) -> None:
    user = open_doc(
        client,
        workspace / "waiting.yaml",
        "kind: operation\npathRef: later.yaml\nparams:\n  learning_rate: 0.5\n  epochs: 1\n",
    )
    assert codes(await wait_diagnostics(client, user, 1)) == ["PLX900"]  # no such file yet
    published = len(client.published)  # type: ignore[attr-defined]
    later = workspace / "later.yaml"
    later.write_text(COMPONENT)
    notify(client, later, types.FileChangeType.Created)

    async def rechecked_to(expected: list[str]) -> bool:
        fresh = [p for p in client.published[published:] if p.uri == user]  # type: ignore[attr-defined]
        return bool(fresh) and codes(fresh[-1].diagnostics) == expected

    await eventually(lambda: rechecked_to(["PLX301"]))  # `dataset` is required
    published = len(client.published)  # type: ignore[attr-defined]
    later.write_text(COMPONENT.replace("learning_rate", "rate"))
    notify(client, later, types.FileChangeType.Changed)
    await eventually(lambda: rechecked_to(["PLX301", "PLX303"]))  # now an unknown param too
    published = len(client.published)  # type: ignore[attr-defined]
    later.unlink()
    notify(client, later, types.FileChangeType.Deleted)
    await eventually(lambda: rechecked_to(["PLX900"]))
