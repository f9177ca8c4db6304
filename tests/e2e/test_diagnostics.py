"""Diagnostics over stdio: push, versions, eligibility, debounce, bursts, dependants."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.e2e.support import (
    COMPONENT,
    change_doc,
    codes,
    open_doc,
    pos,
    server_config,
    start,
    wait_diagnostics,
    write_workspace,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ws")
    write_workspace(root)
    return root


@pytest_lsp.fixture(config=server_config(), scope="module")
async def client(lsp_client: LanguageClient, workspace: Path):
    await start(lsp_client, workspace)
    yield
    await lsp_client.shutdown_session()


OPERATION = """\
kind: operation
params:
  learning_rat: 0.1
  epochs: 3
pathRef: train.yaml
"""


async def test_open_publishes_findings_with_codes_and_ranges(
    client: LanguageClient, workspace: Path
) -> None:
    uri = open_doc(client, workspace / "op1.yaml", OPERATION)
    diagnostics = await wait_diagnostics(client, uri, 1)
    assert codes(diagnostics) == ["PLX301", "PLX303"]
    unknown = next(d for d in diagnostics if d.code == "PLX303")
    assert unknown.range.start == pos(2, 2) and unknown.range.end == pos(2, 14)
    assert unknown.source == "param-lsp"
    assert unknown.code_description is not None
    assert unknown.code_description.href == (
        "https://github.com/param-lsp/param-lsp/blob/main/docs/rules.md#plx303"
    )
    assert "learning_rate" in unknown.message
    missing = next(d for d in diagnostics if d.code == "PLX301")
    assert "dataset" in missing.message
    # Related information points into the component file.
    assert missing.related_information
    assert missing.related_information[0].location.uri.endswith("train.yaml")
    # Polyaxon's own wording comes last, at the finding's own range.
    polyaxon = missing.related_information[-1]
    assert polyaxon.message == "Polyaxon: Input dataset is required, no param was passed."
    assert polyaxon.location.uri == uri and polyaxon.location.range == missing.range


async def test_change_republishes_for_the_new_version(
    client: LanguageClient, workspace: Path
) -> None:
    uri = open_doc(client, workspace / "op2.yaml", OPERATION)
    await wait_diagnostics(client, uri, 1)
    fixed = OPERATION.replace("learning_rat:", "learning_rate:").replace(
        "  epochs: 3\n", "  epochs: 3\n  dataset: /data\n"
    )
    change_doc(client, uri, 2, fixed)
    assert list(await wait_diagnostics(client, uri, 2)) == []


async def test_incremental_edit_and_yaml_error(client: LanguageClient, workspace: Path) -> None:
    uri = open_doc(client, workspace / "op3.yaml", OPERATION)
    await wait_diagnostics(client, uri, 1)
    # `epochs: 3` → `epochs: x`, an incremental edit of one character.
    change_doc(client, uri, 2, "x", types.Range(start=pos(3, 10), end=pos(3, 11)))
    diagnostics = await wait_diagnostics(client, uri, 2)
    assert "PLX302" in codes(diagnostics)
    invalid = next(d for d in diagnostics if d.code == "PLX302")
    assert invalid.range.start == pos(3, 10)
    change_doc(client, uri, 3, ": [", types.Range(start=pos(1, 7), end=pos(1, 7)))
    diagnostics = await wait_diagnostics(client, uri, 3)
    assert codes(diagnostics) == ["PLX001"]


async def test_non_polyaxon_yaml_and_other_files_are_left_alone(
    client: LanguageClient, workspace: Path
) -> None:
    plain = open_doc(client, workspace / "values.yaml", "replicas: 3\nimage: {{ bad\n")
    text_file = open_doc(client, workspace / "notes.txt", "kind: operation\nparams: {a: [\n")
    marker = open_doc(client, workspace / "marker.yaml", OPERATION)
    await wait_diagnostics(client, marker, 1)
    await asyncio.sleep(0.1)
    published = {p.uri for p in client.published}  # type: ignore[attr-defined]
    assert plain not in published and text_file not in published


async def test_burst_of_changes_ends_with_last_version_only(
    client: LanguageClient, workspace: Path
) -> None:
    uri = open_doc(client, workspace / "burst.yaml", OPERATION)
    await wait_diagnostics(client, uri, 1)
    before = len(client.published)  # type: ignore[attr-defined]
    start_time = time.monotonic()
    for version in range(2, 202):
        text = OPERATION.replace("epochs: 3", f"epochs: {version}")
        if version % 2:
            text = text.replace("learning_rat:", "learning_rate:")
        change_doc(client, uri, version, text)
        await asyncio.sleep(0.004)
    assert time.monotonic() - start_time < 5
    final = await wait_diagnostics(client, uri, 201)
    assert codes(final) == ["PLX301"]  # version 201 is odd: the typo is fixed
    # Still responsive: a hover answers right away.
    hover_start = time.monotonic()
    await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=pos(2, 3))
    )
    assert time.monotonic() - hover_start < 1.0
    await asyncio.sleep(0.2)
    later = [p for p in client.published[before:] if p.uri == uri]  # type: ignore[attr-defined]
    # Coalesced: far fewer publications than edits, never an out-of-order older version.
    assert len(later) < 50
    versions = [p.version for p in later]
    assert versions == sorted(versions)
    assert versions[-1] == 201


async def test_component_change_rechecks_its_users(client: LanguageClient, workspace: Path) -> None:
    op_uri = open_doc(client, workspace / "user.yaml", OPERATION)
    assert "PLX303" in codes(await wait_diagnostics(client, op_uri, 1))
    component_uri = open_doc(client, workspace / "train.yaml", COMPONENT)
    await wait_diagnostics(client, component_uri, 1)
    # Rename the input in the (unsaved) component: the operation's typo becomes correct.
    change_doc(client, component_uri, 2, COMPONENT.replace("learning_rate", "learning_rat"))
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        latest = client.diagnostics.get(op_uri, ())
        if "PLX303" not in codes(latest):
            break
        await asyncio.sleep(0.01)
    assert "PLX303" not in codes(client.diagnostics[op_uri])
    change_doc(client, component_uri, 3, COMPONENT)


async def test_yaml_only_line_breaks_keep_ranges_and_edits_on_the_client_lines(
    client: LanguageClient, workspace: Path
) -> None:
    """U+2028 breaks a line for YAML, not for the client: ranges are mapped, and an edit below
    it lands where the client made it (pygls' `splitlines` put it a line off)."""
    text = OPERATION.replace("kind: operation\n", "kind: operation\ndescription: 'a\u2028b'\n")
    uri = open_doc(client, workspace / "op_breaks.yaml", text)
    diagnostics = await wait_diagnostics(client, uri, 1)
    assert codes(diagnostics) == ["PLX301", "PLX303"]
    unknown = next(d for d in diagnostics if d.code == "PLX303")
    # the client's line 3 (YAML's line 4): `  learning_rat: 0.1`
    assert unknown.range.start == pos(3, 2) and unknown.range.end == pos(3, 14)
    change_doc(client, uri, 2, "learning_rate", types.Range(start=pos(3, 2), end=pos(3, 14)))
    assert codes(await wait_diagnostics(client, uri, 2)) == ["PLX301"]  # dataset is still missing
