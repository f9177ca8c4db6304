"""End-to-end helpers: the real server process driven over stdio by pytest-lsp.

Each test module gets one server (module-scoped fixture and event loop, see
`pytestmark` in the modules). Documents live in a temporary workspace folder.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

SERVER_COMMAND = [sys.executable, "-m", "param_lsp", "serve"]


def server_config(**env: str) -> ClientServerConfig:
    return ClientServerConfig(
        server_command=SERVER_COMMAND,
        server_env={**os.environ, "PARAM_LSP_NO_SCAN": "1", **env},
    )


@dataclass
class Published:
    uri: str
    version: int | None
    diagnostics: Sequence[types.Diagnostic]
    at: float = field(default_factory=time.monotonic)


def record_publications(client: LanguageClient) -> list[Published]:
    """Keep every publishDiagnostics with its version (the default handler drops it)."""
    published: list[Published] = []

    def on_publish(params: types.PublishDiagnosticsParams) -> None:
        published.append(Published(params.uri, params.version, params.diagnostics))
        client.diagnostics[params.uri] = params.diagnostics

    client.protocol.fm._features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = on_publish
    client.published = published  # type: ignore[attr-defined]
    return published


def capabilities(
    *, encodings: list[str] | None = None, pull: bool = False, snippets: bool = True
) -> types.ClientCapabilities:
    return types.ClientCapabilities(
        general=types.GeneralClientCapabilities(
            position_encodings=[types.PositionEncodingKind(e) for e in encodings]
            if encodings
            else None
        ),
        text_document=types.TextDocumentClientCapabilities(
            diagnostic=types.DiagnosticClientCapabilities() if pull else None,
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(
                related_information=True
            ),
            completion=types.CompletionClientCapabilities(
                completion_item=types.ClientCompletionItemOptions(
                    snippet_support=snippets,
                    documentation_format=[types.MarkupKind.Markdown, types.MarkupKind.PlainText],
                )
            ),
        ),
        window=types.WindowClientCapabilities(work_done_progress=True),
        workspace=types.WorkspaceClientCapabilities(
            configuration=True,
            diagnostics=types.DiagnosticWorkspaceClientCapabilities(refresh_support=True),
        ),
    )


async def start(
    client: LanguageClient,
    root: Path,
    *,
    caps: types.ClientCapabilities | None = None,
    options: dict[str, Any] | None = None,
) -> types.InitializeResult:
    record_publications(client)
    return await client.initialize_session(
        types.InitializeParams(
            capabilities=caps or capabilities(),
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="ws")],
            initialization_options={"debounceMs": 10, **(options or {})},
        )
    )


def open_doc(client: LanguageClient, path: Path, text: str, version: int = 1) -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="yaml", version=version, text=text
            )
        )
    )
    return uri


def change_doc(
    client: LanguageClient,
    uri: str,
    version: int,
    text: str,
    rng: types.Range | None = None,
) -> None:
    change: Any
    if rng is None:
        change = types.TextDocumentContentChangeWholeDocument(text=text)
    else:
        change = types.TextDocumentContentChangePartial(range=rng, text=text)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[change],
        )
    )


_opened_names = itertools.count()


async def open_fresh(
    client: LanguageClient, workspace: Path, text: str, name: str = "", prefix: str = "doc"
) -> str:
    """Open ``text`` as a new file of ``workspace`` (a fresh name unless given) and wait for its
    first diagnostics."""
    uri = open_doc(client, workspace / (name or f"{prefix}{next(_opened_names)}.yaml"), text)
    await wait_diagnostics(client, uri, 1)
    return uri


async def wait_diagnostics(
    client: LanguageClient, uri: str, version: int | None = None, timeout: float = 10.0
) -> Sequence[types.Diagnostic]:
    published: list[Published] = client.published  # type: ignore[attr-defined]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for item in reversed(published):
            if item.uri == uri and (version is None or item.version == version):
                return item.diagnostics
        await asyncio.sleep(0.005)
    raise AssertionError(f"no diagnostics for {uri} version {version}")


def codes(diagnostics: Sequence[types.Diagnostic]) -> list[str]:
    return sorted(str(d.code) for d in diagnostics)


def pos(line: int, character: int) -> types.Position:
    return types.Position(line=line, character=character)


def cursor(text: str, marker: str = "|") -> tuple[str, types.Position]:
    """Text with one `|` cursor marker → (text without it, code-point position)."""
    offset = text.index(marker)
    before = text[:offset]
    line = before.count("\n")
    column = offset - (before.rfind("\n") + 1)
    return text[:offset] + text[offset + 1 :], pos(line, column)


def decode_tokens(data: Sequence[int]) -> list[tuple[int, int, int, int]]:
    """LSP's relative semantic-token encoding → (line, column, length, kind index) per token."""
    assert len(data) % 5 == 0
    decoded = []
    line = start_col = 0
    for i in range(0, len(data), 5):
        delta_line, delta_start, length, kind, _ = data[i : i + 5]
        line += delta_line
        start_col = start_col + delta_start if delta_line == 0 else delta_start
        decoded.append((line, start_col, length, kind))
    return decoded


def doc_id(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


COMPONENT = """\
kind: component
name: train
inputs:
  - name: dataset
    type: path
    description: Folder with the prepared dataset.
  - name: learning_rate
    type: float
    value: 0.001
    validation:
      gt: 0
  - name: epochs
    type: int
outputs:
  - name: model
    type: path
  - name: accuracy
    type: float
run:
  kind: job
  connections: [my-bucket]
  container:
    image: python:3.11
    args: ["--lr={{ learning_rate }}", "--data={{ dataset }}", "{{ params.epochs.as_arg }}"]
"""

PREPARE = """\
kind: component
name: prepare
inputs:
  - name: source
    type: uri
outputs:
  - name: dataset
    type: path
  - name: rows
    type: int
run:
  kind: job
  container: {image: python:3.11}
"""

PIPELINE = """\
kind: operation
name: pipeline
params:
  source: {value: "https://example.com/data.tgz"}
component:
  name: dag
  inputs:
    - name: source
      type: uri
  run:
    kind: dag
    operations:
      - name: prepare
        pathRef: prepare.yaml
        params:
          source: {ref: dag, value: inputs.source}
      - name: train
        pathRef: train.yaml
        dependencies: [prepare]
        params:
          dataset:
            ref: ops.prepare
            value: outputs.dataset
          epochs: 3
"""


def write_workspace(root: Path) -> None:
    (root / "train.yaml").write_text(COMPONENT)
    (root / "prepare.yaml").write_text(PREPARE)
    (root / "pipeline.yaml").write_text(PIPELINE)
