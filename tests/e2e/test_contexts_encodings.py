"""Completion, hover, definition, references and rename with non-BMP text before the cursor, in
block and flow style, for a UTF-16 client and a UTF-8 client (one server each)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.e2e.support import (
    capabilities,
    change_doc,
    cursor,
    doc_id,
    open_doc,
    open_fresh,
    pos,
    server_config,
    start,
    wait_diagnostics,
    write_workspace,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("encodings")
    write_workspace(root)
    return root


REFRESHES: list[str] = []


@pytest_lsp.fixture(config=server_config(), scope="module")
async def client16(lsp_client: LanguageClient, workspace: Path):
    caps = capabilities(encodings=["utf-16"])
    assert caps.workspace is not None
    caps.workspace.semantic_tokens = types.SemanticTokensWorkspaceClientCapabilities(
        refresh_support=True
    )
    caps.workspace.inlay_hint = types.InlayHintWorkspaceClientCapabilities(refresh_support=True)

    @lsp_client.feature(types.WORKSPACE_SEMANTIC_TOKENS_REFRESH)
    def on_tokens_refresh(params: None) -> None:
        REFRESHES.append("tokens")

    @lsp_client.feature(types.WORKSPACE_INLAY_HINT_REFRESH)
    def on_hints_refresh(params: None) -> None:
        REFRESHES.append("hints")

    await start(lsp_client, workspace, caps=caps)
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=server_config(), scope="module")
async def client8(lsp_client: LanguageClient, workspace: Path):
    await start(lsp_client, workspace, caps=capabilities(encodings=["utf-8"]))
    yield
    await lsp_client.shutdown_session()


def units(text: str, encoding: str) -> int:
    """The length of ``text`` in the client's position units."""
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    return len(text.encode("utf-16-le")) // 2


def to_client(text: str, at: types.Position, encoding: str) -> types.Position:
    line = text.split("\n")[at.line]
    return pos(at.line, units(line[: at.character], encoding))


opened = open_fresh


OP = "kind: operation\npathRef: train.yaml\n"
EMOJI = "é😀"  # one BMP and one non-BMP character: 3 UTF-16 units, 6 UTF-8 bytes

COMPLETIONS = {
    # style: (marked text, label, where the replaced word starts (marked the same way))
    "flow": (OP + f'params: {{dataset: "{EMOJI}", learning_rate: |}}\n', "0.001"),
    "block": (OP + f'params:\n  dataset: "{EMOJI} {{{{ globals.uu| }}}}"\n', "uuid"),
}


async def check_completion(client: LanguageClient, workspace: Path, style: str, enc: str) -> None:
    marked, label = COMPLETIONS[style]
    text, at = cursor(marked)
    uri = await opened(client, workspace, text)
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=doc_id(uri), position=to_client(text, at, enc))
    )
    assert result is not None
    items = result.items if isinstance(result, types.CompletionList) else result
    item = next(item for item in items if item.label == label)
    assert isinstance(item.text_edit, types.TextEdit)
    typed = 0 if style == "flow" else len("uu")
    start = pos(at.line, at.character - typed)
    assert item.text_edit.range.start == to_client(text, start, enc)
    assert item.text_edit.range.end == to_client(text, at, enc)


DAG_FLOW = f"""\
kind: operation
name: pipeline
component:
  run:
    kind: dag
    operations:
      - name: prepare
        pathRef: prepare.yaml
        params: {{source: {{value: "https://example.com/{EMOJI}"}}}}
      - name: train
        pathRef: train.yaml
        params:
          epochs: 3
          dataset: {{toEnv: "{EMOJI}", ref: ops.prepare, value: outputs.dataset}}
"""
DAG_BLOCK = f"""\
kind: operation
name: pipeline
component:
  run:
    kind: dag
    operations:
      - name: prepare
        pathRef: prepare.yaml
        params:
          source:
            value: https://example.com/data
      - name: train
        pathRef: train.yaml
        conditions: "'{EMOJI}' != '{{{{ ops.prepare.outputs.rows }}}}'"
        params:
          epochs: 3
          dataset:
            ref: ops.prepare
            value: outputs.dataset
"""
DAGS = {"flow": DAG_FLOW, "block": DAG_BLOCK}


async def check_navigation(client: LanguageClient, workspace: Path, style: str, enc: str) -> None:
    text = DAGS[style]
    lines = text.split("\n")
    uri = await opened(client, workspace, text)
    # The op name after the non-BMP text: `ops.prepare` in a flow ref / in a template.
    number = next(i for i, line in enumerate(lines) if EMOJI in line and "ops.prepare" in line)
    column = lines[number].index("ops.prepare") + len("ops.") + 2
    at = to_client(text, pos(number, column), enc)
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=doc_id(uri), position=at)
    )
    assert hover is not None and hover.range is not None
    start = lines[number].index("ops.prepare") + len("ops.")
    word = types.Range(
        start=to_client(text, pos(number, start), enc),
        end=to_client(text, pos(number, start + len("prepare")), enc),
    )
    whole = types.Range(start=to_client(text, pos(number, start - len("ops.")), enc), end=word.end)
    assert hover.range == (whole if style == "flow" else word)  # a ref: its whole value
    found = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc_id(uri), position=at)
    )
    name_line = lines.index("      - name: prepare")
    assert isinstance(found, list) and found[0].range.start == pos(name_line, 14)
    refs = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=doc_id(uri),
            position=at,
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    assert refs is not None and any(r.range == word for r in refs)
    prepared = await client.text_document_prepare_rename_async(
        types.PrepareRenameParams(text_document=doc_id(uri), position=at)
    )
    assert isinstance(prepared, types.PrepareRenamePlaceholder) and prepared.range == word
    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=doc_id(uri), position=at, new_name="clean")
    )
    assert edit is not None and edit.changes is not None
    assert word in [e.range for e in edit.changes[uri]]


@pytest.mark.parametrize("style", ["block", "flow"])
async def test_utf16(client16: LanguageClient, workspace: Path, style: str) -> None:
    await check_completion(client16, workspace, style, "utf-16")
    await check_navigation(client16, workspace, style, "utf-16")


@pytest.mark.parametrize("style", ["block", "flow"])
async def test_utf8(client8: LanguageClient, workspace: Path, style: str) -> None:
    await check_completion(client8, workspace, style, "utf-8")
    await check_navigation(client8, workspace, style, "utf-8")


async def test_refresh_requests_when_a_document_is_first_indexed(
    client16: LanguageClient, workspace: Path
) -> None:
    before = len(REFRESHES)
    await opened(client16, workspace, OP + "params: {epochs: 3}\n")
    for _ in range(50):
        if len(REFRESHES) >= before + 2:
            break
        await asyncio.sleep(0.05)
    assert sorted(REFRESHES[before:]) == ["hints", "tokens"]


# ------------------------------------------ nested keys and escaped/multi-line templates
# Non-BMP text before the cursor: on the cursor's line in flow style; in block style a key starts
# its line, so the text is on the lines before and the typed prefix checks the replaced range.
# Expected keys are Polyaxon's models (V1OptimizationMetric, V1Join/V1Param, V1Hook) and the
# Kubernetes client classes Polyaxon builds (V1EnvVar, V1Toleration).
WIDE = "𝔘😀"  # two non-BMP characters: 4 UTF-16 units, 8 UTF-8 bytes

NESTED_KEYS = {
    # case: (block, flow, label, typed prefix)
    "matrix metric": (
        OP + f'matrix:\n  kind: bayes\n  metric:\n    name: "{WIDE}"\n    opt|\n',
        OP + f'matrix: {{kind: bayes, numRuns: 2, metric: {{name: "{WIDE}", opt|}}}}\n',
        "optimization",
        "opt",
    ),
    "join param": (
        OP + f"joins:\n  - query: 'name: {WIDE}'\n    params:\n      epochs:\n"
        "        contextOnly: true\n        val|\n",
        OP
        + f"joins:\n  - {{query: 'name: {WIDE}', "
        + "params: {epochs: {contextOnly: true, val|}}}\n",
        "value",
        "val",
    ),
    "hook": (
        OP + f'hooks:\n  - hubRef: slack\n    connection: "{WIDE}"\n    trig|\n',
        OP + f'hooks:\n  - {{hubRef: slack, connection: "{WIDE}", trig|}}\n',
        "trigger",
        "trig",
    ),
    "hook trigger value": (
        OP + f'hooks:\n  - hubRef: slack\n    connection: "{WIDE}"\n    trigger: fa|\n',
        OP + f'hooks:\n  - {{hubRef: slack, connection: "{WIDE}", trigger: fa|}}\n',
        "failed",
        "fa",
    ),
    "k8s env var": (
        "kind: component\nrun:\n  kind: job\n  container:\n"
        f'    image: "{WIDE}"\n    env:\n      - name: A\n        valueF|\n',
        "kind: component\nrun:\n  kind: job\n"
        f'  container: {{image: "{WIDE}", env: [{{name: A, valueF|}}]}}\n',
        "valueFrom",
        "valueF",
    ),
    "k8s toleration": (
        "kind: component\nrun:\n  kind: job\n  environment:\n    tolerations:\n"
        f'      - key: "{WIDE}"\n        eff|\n',
        "kind: component\nrun:\n  kind: job\n"
        f'  environment: {{tolerations: [{{key: "{WIDE}", eff|}}]}}\n',
        "effect",
        "eff",
    ),
}


async def check_nested_key(
    client: LanguageClient, workspace: Path, case: str, style: str, enc: str
) -> None:
    block, flow, label, typed = NESTED_KEYS[case]
    text, at = cursor(block if style == "block" else flow)
    assert style == "block" or WIDE in text.split("\n")[at.line][: at.character]
    uri = await opened(client, workspace, text)
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=doc_id(uri), position=to_client(text, at, enc))
    )
    assert result is not None
    items = result.items if isinstance(result, types.CompletionList) else result
    found = [item for item in items if item.label == label]
    assert found, f"{case} ({style}, {enc}): {sorted(item.label for item in items)[:20]}"
    edit = found[0].text_edit
    assert isinstance(edit, types.TextEdit)
    start = pos(at.line, at.character - len(typed))
    assert edit.range == types.Range(
        start=to_client(text, start, enc), end=to_client(text, at, enc)
    )
    assert edit.new_text.startswith(label)


@pytest.mark.parametrize("style", ["block", "flow"])
@pytest.mark.parametrize("case", sorted(NESTED_KEYS))
async def test_nested_keys_utf16(
    client16: LanguageClient, workspace: Path, case: str, style: str
) -> None:
    await check_nested_key(client16, workspace, case, style, "utf-16")


@pytest.mark.parametrize("style", ["block", "flow"])
@pytest.mark.parametrize("case", sorted(NESTED_KEYS))
async def test_nested_keys_utf8(
    client8: LanguageClient, workspace: Path, case: str, style: str
) -> None:
    await check_nested_key(client8, workspace, case, style, "utf-8")


# Templates after non-BMP text (written out, and as a `\U0001D518` escape whose source is ten
# characters for one), in escaped and multi-line scalars. Polyaxon accepts each file, its params
# given, before and after the rename (checked with Polyaxon 2.18); the expected text is the file
# with the name replaced.
WIDE_TEMPLATES = {
    "block": f"""\
kind: component
name: train
inputs:
  - name: epochs
    type: int
  - name: lr
    type: float
run:
  kind: job
  container:
    image: python:3.11
    command:
      - "echo \\"{WIDE} \\U0001D518 {{{{ epochs }}}}\\"\\t{{{{ lr }}}}"
      - '{WIDE} it''s {{{{ epochs }}}}'
      - echo {WIDE} {{{{ lr }}}}
        then {WIDE} {{{{ epochs }}}}
    args: >
      --note={WIDE} --epochs={{{{ epochs }}}}
      --lr={{{{ lr }}}} {WIDE} --again={{{{ params.epochs.as_arg }}}}
""",
    "flow": f"""\
kind: component
name: train
inputs:
  - {{name: epochs, type: int}}
  - {{name: lr, type: float}}
run:
  kind: job
  container: {{image: "python:3.11", command: ["{WIDE} \\U0001D518 {{{{ epochs }}}}\\t{{{{ lr }}}}",
    '{WIDE} it''s {{{{ epochs }}}}', "echo {WIDE} {{{{ lr }}}}\\
      then {WIDE} {{{{ epochs }}}}"],
    args: "--note={WIDE} --epochs={{{{ epochs }}}}
      --lr={{{{ lr }}}} {WIDE} --again={{{{ params.epochs.as_arg }}}}"}}
""",
}


def apply_client_edits(text: str, edits: list[types.TextEdit], enc: str) -> str:
    """Apply non-overlapping one-line edits whose columns are in the client's units."""

    def index(line: str, column: int) -> int:
        for i in range(len(line) + 1):
            if units(line[:i], enc) == column:
                return i
        raise AssertionError(f"column {column} is inside a character of {line!r}")

    lines = text.split("\n")
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character))[::-1]:
        start, end = edit.range.start, edit.range.end
        assert start.line == end.line
        line = lines[start.line]
        a, b = index(line, start.character), index(line, end.character)
        lines[start.line] = line[:a] + edit.new_text + line[b:]
    return "\n".join(lines)


async def check_wide_template_rename(
    client: LanguageClient, workspace: Path, style: str, enc: str
) -> None:
    folder = workspace / f"wide-{style}-{enc}"
    folder.mkdir()
    text = WIDE_TEMPLATES[style]
    uri = open_doc(client, folder / "train.yaml", text)
    before = sorted(d.code for d in await wait_diagnostics(client, uri, 1))
    lines = text.split("\n")
    number = next(i for i, line in enumerate(lines) if "name: epochs" in line)
    at = to_client(text, pos(number, lines[number].index("epochs") + 1), enc)
    refs = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=doc_id(uri),
            position=at,
            context=types.ReferenceContext(include_declaration=False),
        )
    )
    assert refs is not None and len(refs) == 5
    for ref in refs:  # each range is the name, in the client's units
        marked = apply_client_edits(text, [types.TextEdit(range=ref.range, new_text="@")], enc)
        assert marked.replace("@", "epochs") == text
        assert "{{ @ }}" in marked or "params.@.as_arg" in marked
    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=doc_id(uri), position=at, new_name="n_epochs")
    )
    assert edit is not None and edit.changes is not None and set(edit.changes) == {uri}
    renamed = apply_client_edits(text, list(edit.changes[uri]), enc)
    expected = (
        text.replace("name: epochs", "name: n_epochs")
        .replace("{{ epochs }}", "{{ n_epochs }}")
        .replace("params.epochs.", "params.n_epochs.")
    )
    assert renamed == expected
    change_doc(client, uri, 2, renamed)
    assert sorted(d.code for d in await wait_diagnostics(client, uri, 2)) == before


@pytest.mark.parametrize("style", ["block", "flow"])
async def test_template_rename_after_wide_text_utf16(
    client16: LanguageClient, workspace: Path, style: str
) -> None:
    await check_wide_template_rename(client16, workspace, style, "utf-16")


@pytest.mark.parametrize("style", ["block", "flow"])
async def test_template_rename_after_wide_text_utf8(
    client8: LanguageClient, workspace: Path, style: str
) -> None:
    await check_wide_template_rename(client8, workspace, style, "utf-8")
