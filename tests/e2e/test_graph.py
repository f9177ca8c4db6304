"""The pipeline graph over LSP: `param-lsp.graph` (executeCommand), code lenses, value hovers.

Runs the real server over stdio on a copy of the bundled example pipeline. Expected edges,
counts and values are read off examples/pipeline.yaml and its components by hand.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.e2e.support import (
    change_doc,
    doc_id,
    open_doc,
    open_fresh,
    pos,
    server_config,
    start,
    wait_diagnostics,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PIPELINE = (EXAMPLES / "pipeline.yaml").read_text()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("graph")
    shutil.copytree(EXAMPLES / "components", root / "components")
    (root / "pipeline.yaml").write_text(PIPELINE)
    return root


@pytest_lsp.fixture(config=server_config(), scope="module")
async def client(lsp_client: LanguageClient, workspace: Path):
    lsp_client.init_result = await start(lsp_client, workspace)  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


async def opened(client: LanguageClient, workspace: Path, text: str) -> str:
    return await open_fresh(client, workspace, text, prefix="pipeline")


async def graph(client: LanguageClient, uri: str, fmt: str) -> object:
    return await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="param-lsp.graph", arguments=[uri, fmt])
    )


def at(text: str, line_marker: str, word: str, offset: int = 1) -> types.Position:
    lines = text.split("\n")
    line = next(i for i, item in enumerate(lines) if line_marker in item)
    return pos(line, lines[line].index(word) + offset)


async def hover_text(client: LanguageClient, uri: str, position: types.Position) -> str:
    result = await client.text_document_hover_async(
        types.HoverParams(text_document=doc_id(uri), position=position)
    )
    assert result is not None
    assert isinstance(result.contents, types.MarkupContent)
    return result.contents.value


async def test_server_declares_the_graph_command(client: LanguageClient) -> None:
    caps = client.init_result.capabilities  # type: ignore[attr-defined]
    assert caps.execute_command_provider is not None
    assert "param-lsp.graph" in caps.execute_command_provider.commands
    assert caps.code_lens_provider is not None


async def test_graph_json_of_the_example(client: LanguageClient, workspace: Path) -> None:
    uri = await opened(client, workspace, PIPELINE)
    data = await graph(client, uri, "json")
    assert isinstance(data, dict)
    assert data["isDag"] is True and data["uri"] == uri
    nodes = {node["id"]: node for node in data["nodes"]}
    assert set(nodes) == {"dag.inputs.source", "ops.prepare", "ops.train", "ops.evaluate"}
    assert nodes["ops.train"]["component"] == "components/train.yaml"
    assert nodes["ops.train"]["runKind"] == "job"
    # `- name: train` is line 20 (0-based 19), the name at columns 14-19.
    assert nodes["ops.train"]["range"] == {
        "start": {"line": 19, "character": 14},
        "end": {"line": 19, "character": 19},
    }
    edges = sorted((e["source"], e["target"], e["label"]) for e in data["edges"])
    assert edges == [
        ("dag.inputs.source", "ops.prepare", "inputs.source (uri) → source (uri)"),
        ("ops.prepare", "ops.train", "outputs.dataset (path) → dataset (path)"),
        ("ops.train", "ops.evaluate", "outputs.model (path) → model (path)"),
    ]
    assert all(not e["findings"] for e in data["edges"])


async def test_graph_mermaid_and_dot_text(client: LanguageClient, workspace: Path) -> None:
    uri = await opened(client, workspace, PIPELINE)
    mermaid = await graph(client, uri, "mermaid")
    assert isinstance(mermaid, str) and mermaid.startswith("flowchart LR\n")
    assert '-->|"outputs.model (path) → model (path)"|' in mermaid
    dot = await graph(client, uri, "dot")
    assert isinstance(dot, str) and dot.startswith("digraph pipeline {")
    assert "->" in dot and "Legend" not in dot


async def test_graph_follows_an_edit_that_breaks_an_edge(
    client: LanguageClient, workspace: Path
) -> None:
    uri = await opened(client, workspace, PIPELINE)
    broken = PIPELINE.replace("ref: ops.train", "ref: ops.trian")
    change_doc(client, uri, 2, broken)
    await wait_diagnostics(client, uri, 2)
    data = await graph(client, uri, "json")
    assert isinstance(data, dict)
    edge = next(e for e in data["edges"] if e["target"] == "ops.evaluate")
    assert edge["source"] == "ops.trian"
    assert [f["code"] for f in edge["findings"]] == ["PLX509"]
    # The finding's range is the `ops.trian` ref in the client's encoding.
    line = broken.split("\n").index(next(x for x in broken.split("\n") if "ops.trian" in x))
    assert edge["findings"][0]["range"]["start"]["line"] == line
    missing = next(n for n in data["nodes"] if n["id"] == "ops.trian")
    assert missing["kind"] == "missing"
    mermaid = await graph(client, uri, "mermaid")
    assert isinstance(mermaid, str)
    assert "linkStyle 2 stroke:#d73a49" in mermaid and "PLX509" in mermaid


async def test_graph_command_rejects_bad_arguments(client: LanguageClient, workspace: Path) -> None:
    uri = await opened(client, workspace, PIPELINE)
    with pytest.raises(Exception, match="unknown graph format"):
        await graph(client, uri, "png")
    with pytest.raises(Exception, match="not an open polyaxonfile"):
        await graph(client, (workspace / "nowhere.yaml").as_uri(), "json")


async def test_code_lenses_count_upstream_and_downstream(
    client: LanguageClient, workspace: Path
) -> None:
    uri = await opened(client, workspace, PIPELINE)
    lenses = await client.text_document_code_lens_async(
        types.CodeLensParams(text_document=doc_id(uri))
    )
    assert lenses is not None
    found = [(lens.range.start.line, lens.command.title) for lens in lenses if lens.command]
    # operations: line 15; prepare 16, train 20, evaluate 26 (1-based); upstream/downstream ops.
    assert found == [
        (14, "Show pipeline graph: 3 ops"),
        (15, "0 upstream · 1 downstream"),  # the DAG input is not an op
        (19, "1 upstream · 1 downstream"),
        (25, "1 upstream · 0 downstream"),
    ]
    command = lenses[0].command
    assert command is not None
    assert command.command == "param-lsp.graph" and list(command.arguments or []) == [
        uri,
        "mermaid",
    ]


async def test_code_lenses_none_without_a_dag(client: LanguageClient, workspace: Path) -> None:
    uri = await opened(client, workspace, (EXAMPLES / "train.yaml").read_text())
    lenses = await client.text_document_code_lens_async(
        types.CodeLensParams(text_document=doc_id(uri))
    )
    assert not lenses


# ---------------------------------------------------------------- value hovers

FLOW_AND_BLOCK = """\
kind: operation
params:
  src: {value: "s3://bucket/data"}
component:
  inputs:
    - {name: src, type: str}
  run:
    kind: dag
    operations:
      - name: train
        params:
          lr:
            value: 0.05
          data: {ref: dag, value: inputs.src}
        component:
          inputs:
            - {name: lr, type: float, value: 0.1}
            - {name: epochs, type: int, value: 3}
            - {name: data, type: str}
          outputs:
            - name: loss
              type: float
          run:
            kind: job
            container:
              image: python
              args: ["--lr={{ lr }}", "--epochs={{ epochs }}", "--data={{ data }}"]
      - name: evaluate
        params:
          loss:
            ref: ops.train
            value: outputs.loss
          limit: {ref: ops.train, value: outputs.loss}
        component:
          inputs:
            - {name: loss, type: float}
            - {name: limit, type: float}
          run:
            kind: job
            container: {image: python, args: ["--loss={{ inputs.loss }}", "{{ loss }}"]}
"""


async def test_hover_shows_the_param_value(client: LanguageClient, workspace: Path) -> None:
    uri = await opened(client, workspace, FLOW_AND_BLOCK)
    text = await hover_text(client, uri, at(FLOW_AND_BLOCK, "--lr=", "lr }}"))
    assert "**lr** (`float`) = `0.05`" in text and "op `train`" in text
    text = await hover_text(client, uri, at(FLOW_AND_BLOCK, "--lr=", "epochs }}"))
    assert "= `3`" in text and "default" in text


async def test_hover_shows_the_dag_input_value(client: LanguageClient, workspace: Path) -> None:
    uri = await opened(client, workspace, FLOW_AND_BLOCK)
    text = await hover_text(client, uri, at(FLOW_AND_BLOCK, "--lr=", "data }}"))
    assert "`inputs.src`" in text and "`s3://bucket/data`" in text


async def test_hover_says_an_upstream_output_sets_it(
    client: LanguageClient, workspace: Path
) -> None:
    uri = await opened(client, workspace, FLOW_AND_BLOCK)
    text = await hover_text(client, uri, at(FLOW_AND_BLOCK, '"{{ loss }}"', 'loss }}"]'))
    assert "set by `ops.train` output `loss` at run time" in text


@pytest.mark.parametrize("marker", ["value: outputs.loss", "limit: {ref"])
async def test_hover_on_an_ops_ref_value_block_and_flow(
    client: LanguageClient, workspace: Path, marker: str
) -> None:
    uri = await opened(client, workspace, FLOW_AND_BLOCK)
    text = await hover_text(client, uri, at(FLOW_AND_BLOCK, marker, "outputs.loss", 9))
    assert "output `loss` of op `train`, type `float`" in text
    assert "- name: loss\n  type: float" in text
    assert "Produced by op `train`" in text
    assert "compatible" in text and "not compatible" not in text


async def test_hover_in_a_component_shows_what_each_operation_gives(
    client: LanguageClient, workspace: Path
) -> None:
    # The pipeline (open) runs components/train.yaml as op `train` with learning_rate 0.005.
    await opened(client, workspace, PIPELINE)
    path = workspace / "components" / "train.yaml"
    text = path.read_text()
    uri = open_doc(client, path, text)
    await wait_diagnostics(client, uri, 1)
    value = await hover_text(client, uri, at(text, "--lr=", "learning_rate"))
    assert value.startswith("**learning_rate** (`float`) = `0.001` (the input's default")
    assert "Where it runs" in value
    assert "= `0.005` (param of op `train` in `pipeline" in value
    value = await hover_text(client, uri, at(text, "--data=", "dataset"))
    assert "set by `ops.prepare` output `dataset` at run time (op `train` in `pipeline" in value


CHILD_DAG = """\
kind: component
inputs: [{name: source, type: str}]
run:
  kind: dag
  operations:
    - {description: "☃ 😀", name: read, component: {run: {kind: job, container: {image: x}}}}
"""


async def test_graph_json_of_a_nested_dag_in_another_file(
    client: LanguageClient, workspace: Path
) -> None:
    child = workspace / "child_dag.yaml"
    child.write_text(CHILD_DAG)
    parent = (
        "kind: component\nrun:\n  kind: dag\n  operations:\n"
        "    - name: child\n      pathRef: ./child_dag.yaml\n"
        "      params: {source: {value: hello}}\n"
    )
    uri = await opened(client, workspace, parent)
    data = await graph(client, uri, "json")
    assert isinstance(data, dict)
    (op,) = data["nodes"]
    inner = op["graph"]
    assert inner["uri"] == child.as_uri() and "uri" not in op
    read = next(n for n in inner["nodes"] if n["id"] == "ops.child/ops.read")
    assert read["uri"] == child.as_uri()
    # The range is in the child file's lines, in the client's encoding (UTF-16: 😀 counts 2).
    line = CHILD_DAG.split("\n")[5]
    before = line[: line.index("read")]
    assert read["range"]["start"] == {
        "line": 5,
        "character": len(before.encode("utf-16-le")) // 2,
    }
    assert len(before.encode("utf-16-le")) // 2 != len(before)
