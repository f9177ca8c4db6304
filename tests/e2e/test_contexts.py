"""Every editing context in block and in flow style, through the real server (UTF-16 columns).

Each case is written twice, once per style, with `|` marking the cursor; the expectations are the
same for both. The component files of the workspace are `train.yaml`, `prepare.yaml` (see
`support.py`); renames apply the returned edits and check that no diagnostic appears.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient

from tests.e2e.support import (
    PREPARE,
    change_doc,
    codes,
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

STYLES = ["block", "flow"]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("contexts")
    write_workspace(root)
    return root


@pytest_lsp.fixture(config=server_config(), scope="module")
async def client(lsp_client: LanguageClient, workspace: Path):
    await start(lsp_client, workspace)
    yield
    await lsp_client.shutdown_session()


opened = open_fresh


async def items_at(client: LanguageClient, workspace: Path, marked: str) -> list:
    text, at = cursor(marked)
    uri = await opened(client, workspace, text)
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=doc_id(uri), position=at)
    )
    assert result is not None
    items = result.items if isinstance(result, types.CompletionList) else result
    return sorted(items, key=lambda i: i.sort_text or i.label)


def labels(items: list) -> list[str]:
    return [item.label for item in items]


OP = "kind: operation\npathRef: train.yaml\n"
# A DAG whose ops use both components; `{refs}` etc. are filled per style.
DAG_BLOCK = """\
kind: operation
name: pipeline
params:
  source:
    value: https://example.com/data.tgz
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
          source:
            ref: dag
            value: inputs.source
      - name: train
        pathRef: train.yaml
        dependencies:
          - prepare
        params:
          dataset:
            ref: ops.prepare
            value: outputs.dataset
          epochs: 3
"""
DAG_FLOW = """\
kind: operation
name: pipeline
params: {source: {value: "https://example.com/data.tgz"}}
component:
  name: dag
  inputs:
    - {name: source, type: uri}
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
        params: {dataset: {ref: ops.prepare, value: outputs.dataset}, epochs: 3}
"""
DAG = {"block": DAG_BLOCK, "flow": DAG_FLOW}


def dag_with(style: str, block: tuple[str, str], flow: tuple[str, str]) -> str:
    old, new = block if style == "block" else flow
    text = DAG[style]
    assert old in text
    return text.replace(old, new, 1)


# ---------------------------------------------------------------- completion

COMPLETION_CASES = {
    # name: (block text, flow text, expected labels (subset), labels that must be absent)
    "param names": (
        OP + "params:\n  epochs: 3\n  |\n",
        OP + "params: {epochs: 3, |}\n",
        {"dataset", "learning_rate"},
        {"epochs"},
    ),
    "param value default": (
        OP + "params:\n  learning_rate: |\n",
        OP + "params: {learning_rate: |}\n",
        {"0.001"},
        set(),
    ),
    "full-form param keys": (
        OP + "params:\n  epochs:\n    value: 3\n    |\n",
        OP + "params:\n  epochs: {value: 3, |}\n",
        {"ref", "toEnv", "contextOnly"},
        {"value"},
    ),
    "matrix params are the inputs": (
        OP + "matrix:\n  kind: grid\n  params:\n    |\n",
        OP + "matrix: {kind: grid, params: {|}}\n",
        {"dataset", "learning_rate", "epochs"},
        {"model", "accuracy"},
    ),
    "hyper-parameter kind": (
        OP + "matrix:\n  kind: grid\n  params:\n    epochs:\n      kind: ch|\n",
        OP + "matrix:\n  kind: grid\n  params:\n    epochs: {kind: ch|}\n",
        {"choice", "range"},
        set(),
    ),
    "matrix kind": (
        OP + "matrix:\n  kind: |\n",
        OP + "matrix: {kind: |}\n",
        {"grid", "random", "bayes"},
        set(),
    ),
    "matrix keys by kind": (
        OP + "matrix:\n  kind: random\n  |\n",
        OP + "matrix: {kind: random, |}\n",
        {"numRuns", "seed", "params"},
        {"kind"},
    ),
    "join params": (
        OP + "joins:\n  - query: 'status: succeeded'\n    params:\n      |\n",
        OP + "joins:\n  - {query: 'status: succeeded', params: {|}}\n",
        {"dataset", "epochs"},
        set(),
    ),
    "join keys": (
        OP + "joins:\n  - query: 'status: succeeded'\n    |\n",
        OP + "joins:\n  - {query: 'status: succeeded', |}\n",
        {"sort", "limit", "params"},
        {"query"},
    ),
    "run keys for the run kind": (
        "kind: component\nrun:\n  kind: job\n  |\n",
        "kind: component\nrun: {kind: job, |}\n",
        {"container", "environment", "init"},
        {"kind", "operations", "ports"},
    ),
    "service run keys": (
        "kind: component\nrun:\n  kind: service\n  |\n",
        "kind: component\nrun: {kind: service, |}\n",
        {"ports", "rewritePath", "container"},
        {"operations"},
    ),
    "run kind": (
        "kind: component\nrun:\n  kind: |\n",
        "kind: component\nrun: {kind: |}\n",
        {"job", "service", "dag"},
        set(),
    ),
    "container keys": (
        "kind: component\nrun:\n  kind: job\n  container:\n    |\n",
        "kind: component\nrun:\n  kind: job\n  container: {|}\n",
        {"image", "command", "args", "resources"},
        set(),
    ),
    "environment keys": (
        "kind: component\nrun:\n  kind: job\n  environment:\n    |\n",
        "kind: component\nrun:\n  kind: job\n  environment: {|}\n",
        {"nodeSelector", "tolerations", "restartPolicy"},
        set(),
    ),
    "termination keys": (
        OP + "termination:\n  |\n",
        OP + "termination: {|}\n",
        {"maxRetries", "ttl", "timeout"},
        set(),
    ),
    "plugins keys": (
        OP + "plugins:\n  |\n",
        OP + "plugins: {|}\n",
        {"docker", "shm", "collectLogs"},
        set(),
    ),
    "schedule keys by kind": (
        OP + "schedule:\n  kind: cron\n  |\n",
        OP + "schedule: {kind: cron, |}\n",
        {"cron", "startAt", "maxRuns"},
        {"frequency"},
    ),
    "hook keys": (
        OP + "hooks:\n  - hubRef: slack\n    |\n",
        OP + "hooks:\n  - {hubRef: slack, |}\n",
        {"trigger", "connection", "conditions"},
        {"hubRef"},
    ),
    "enum value": (
        OP + "hooks:\n  - hubRef: slack\n    trigger: |\n",
        OP + "hooks:\n  - {hubRef: slack, trigger: |}\n",
        {"succeeded", "failed", "done"},
        set(),
    ),
    "hub component": (
        "kind: operation\nhubRef: |\n",
        "{kind: operation, hubRef: |}\n",
        {"tensorboard", "kaniko", "tensorboard:multi-runs"},
        {"kind"},
    ),
    "boolean value": (
        OP + "cache:\n  disable: |\n",
        OP + "cache: {disable: |}\n",
        {"true", "false"},
        {"yes", "on"},
    ),
    "boolean value of a matrix field": (
        OP + "matrix:\n  kind: hyperband\n  resume: |\n",
        OP + "matrix: {kind: hyperband, resume: |}\n",
        {"true", "false"},
        set(),
    ),
    # Below the first level: expected keys are Polyaxon's models (V1OptimizationMetric,
    # V1MetricEarlyStopping, V1TruncationStoppingPolicy, V1HpRange's mapping form, V1Hook,
    # V1Param) and the Kubernetes client classes Polyaxon builds (V1ResourceRequirements,
    # V1EnvVar, V1VolumeMount, V1Toleration, V1Affinity, V1NodeAffinity).
    "matrix metric keys": (
        OP + "matrix:\n  kind: bayes\n  metric:\n    |\n",
        OP + "matrix: {kind: bayes, metric: {|}}\n",
        {"name", "optimization"},
        {"kind", "value"},
    ),
    "matrix metric optimization": (
        OP + "matrix:\n  kind: bayes\n  metric:\n    name: loss\n    optimization: |\n",
        OP + "matrix: {kind: bayes, metric: {name: loss, optimization: |}}\n",
        {"maximize", "minimize"},
        set(),
    ),
    "early stopping kind": (
        OP + "matrix:\n  kind: random\n  earlyStopping:\n    - kind: |\n",
        OP + "matrix: {kind: random, earlyStopping: [{kind: |}]}\n",
        {"metric_early_stopping", "failure_early_stopping"},
        set(),
    ),
    "early stopping keys by kind": (
        OP + "matrix:\n  kind: random\n  earlyStopping:\n"
        "    - kind: metric_early_stopping\n      |\n",
        OP + "matrix: {kind: random, earlyStopping: [{kind: metric_early_stopping, |}]}\n",
        {"metric", "value", "optimization", "policy"},
        {"kind", "percent"},
    ),
    "stopping policy keys by kind": (
        OP + "matrix:\n  kind: random\n  earlyStopping:\n"
        "    - kind: metric_early_stopping\n      policy:\n        kind: truncation\n"
        "        |\n",
        OP + "matrix:\n  kind: random\n  earlyStopping:\n"
        "    - {kind: metric_early_stopping, policy: {kind: truncation, |}}\n",
        {"percent", "evaluationInterval", "includeSucceeded", "minInterval"},
        {"kind", "metric"},
    ),
    "hyper-parameter keys": (
        OP + "matrix:\n  kind: grid\n  params:\n    epochs:\n      kind: range\n      |\n",
        OP + "matrix: {kind: grid, params: {epochs: {kind: range, |}}}\n",
        {"value"},
        {"kind", "start", "ref", "toEnv"},  # V1HpRange has `kind` and `value` only
    ),
    "hyper-parameter value keys by kind": (
        OP + "matrix:\n  kind: grid\n  params:\n    epochs:\n      kind: range\n"
        "      value:\n        |\n",
        OP + "matrix: {kind: grid, params: {epochs: {kind: range, value: {|}}}}\n",
        {"start", "stop", "step"},
        {"low", "high", "kind"},
    ),
    "join param keys": (
        OP + "joins:\n  - query: 'status: succeeded'\n    params:\n      epochs:\n        |\n",
        OP + "joins:\n  - {query: 'status: succeeded', params: {epochs: {|}}}\n",
        {"value", "ref", "contextOnly", "toEnv"},
        {"query"},
    ),
    "hook param keys": (
        OP + "hooks:\n  - hubRef: slack\n    params:\n      url:\n        |\n",
        OP + "hooks:\n  - {hubRef: slack, params: {url: {|}}}\n",
        {"value", "ref", "connection"},
        {"hubRef"},
    ),
    "container resources keys": (
        "kind: component\nrun:\n  kind: job\n  container:\n    resources:\n      |\n",
        "kind: component\nrun:\n  kind: job\n  container: {resources: {|}}\n",
        {"limits", "requests"},
        {"image"},
    ),
    "container env entry keys": (
        "kind: component\nrun:\n  kind: job\n  container:\n    env:\n      - name: A\n        |\n",
        "kind: component\nrun:\n  kind: job\n  container: {env: [{name: A, |}]}\n",
        {"value", "valueFrom"},
        {"name", "image"},
    ),
    "container volume mount keys": (
        "kind: component\nrun:\n  kind: job\n  container:\n    volumeMounts:\n"
        "      - name: data\n        |\n",
        "kind: component\nrun:\n  kind: job\n  container: {volumeMounts: [{name: data, |}]}\n",
        {"mountPath", "readOnly", "subPath"},
        {"name"},
    ),
    "toleration keys": (
        "kind: component\nrun:\n  kind: job\n  environment:\n    tolerations:\n"
        "      - key: gpu\n        |\n",
        "kind: component\nrun:\n  kind: job\n  environment: {tolerations: [{key: gpu, |}]}\n",
        {"operator", "effect", "value", "tolerationSeconds"},
        {"key"},
    ),
    "node affinity keys": (
        "kind: component\nrun:\n  kind: job\n  environment:\n    affinity:\n"
        "      nodeAffinity:\n        |\n",
        "kind: component\nrun:\n  kind: job\n  environment: {affinity: {nodeAffinity: {|}}}\n",
        {
            "requiredDuringSchedulingIgnoredDuringExecution",
            "preferredDuringSchedulingIgnoredDuringExecution",
        },
        {"nodeAffinity"},
    ),
    "io keys": (
        "kind: component\ninputs:\n  - name: x\n    |\n",
        "kind: component\ninputs:\n  - {name: x, |}\n",
        {"type", "isOptional", "validation"},
        {"name"},
    ),
    "io type": (
        "kind: component\ninputs:\n  - name: threshold\n    type: fl|\n",
        "kind: component\ninputs:\n  - {name: threshold, type: fl|}\n",
        {"float", "int", "str"},
        set(),
    ),
}


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("case", sorted(COMPLETION_CASES))
async def test_completion(client: LanguageClient, workspace: Path, case: str, style: str) -> None:
    block, flow, expected, absent = COMPLETION_CASES[case]
    got = set(labels(await items_at(client, workspace, block if style == "block" else flow)))
    assert expected <= got, f"{case} ({style}): {sorted(got)}"
    assert not (absent & got), f"{case} ({style}): {sorted(absent & got)}"


@pytest.mark.parametrize("style", STYLES)
async def test_io_type_edit_replaces_only_the_typed_word(
    client: LanguageClient, workspace: Path, style: str
) -> None:
    block, flow, _expected, _absent = COMPLETION_CASES["io type"]
    marked = block if style == "block" else flow
    items = await items_at(client, workspace, marked)
    text, at = cursor(marked)
    line = text.split("\n")[at.line]
    item = next(item for item in items if item.label == "float")
    assert isinstance(item.text_edit, types.TextEdit)
    rng = item.text_edit.range
    assert rng.start == pos(at.line, at.character - 2) and rng.end == at
    edited = line[: rng.start.character] + item.text_edit.new_text + line[rng.end.character :]
    assert edited.replace(" ", "").endswith(("type:float}", "type:float"))


@pytest.mark.parametrize("style", STYLES)
async def test_join_params_are_inserted_in_full_form(
    client: LanguageClient, workspace: Path, style: str
) -> None:
    block, flow, _e, _a = COMPLETION_CASES["join params"]
    items = await items_at(client, workspace, block if style == "block" else flow)
    dataset = next(item for item in items if item.label == "dataset")
    assert dataset.text_edit is not None and "{value:" in dataset.text_edit.new_text


DAG_COMPLETIONS = {
    # name: (block replacement, flow replacement, expected, absent)
    "ref": (
        ("            ref: ops.prepare", "            ref: ops.|"),
        ("{ref: ops.prepare,", "{ref: ops.|,"),
        {"ops.prepare", "dag"},
        {"ops.train"},
    ),
    "value under a ref": (
        ("value: outputs.dataset", "value: outputs.|"),
        ("value: outputs.dataset", "value: outputs.|"),
        {"outputs.dataset", "outputs.rows", "artifacts.base", "artifacts.outputs"},
        set(),
    ),
    "inputs template under a ref names the referenced op's inputs": (
        ("value: outputs.dataset", 'value: "{{ inputs.| }}"'),
        ("value: outputs.dataset", 'value: "{{ inputs.| }}"'),
        {"source"},
        {"dataset", "learning_rate", "epochs"},
    ),
    "outputs template under a ref": (
        ("value: outputs.dataset", 'value: "{{ outputs.| }}"'),
        ("value: outputs.dataset", 'value: "{{ outputs.| }}"'),
        {"dataset", "rows"},
        {"model"},
    ),
    "dependencies": (
        ("          - prepare", "          - |"),
        ("dependencies: [prepare]", "dependencies: [|]"),
        {"prepare"},
        {"train"},
    ),
    "dag op sections": (
        ("        pathRef: train.yaml\n", "        pathRef: train.yaml\n        |\n"),
        ("        pathRef: train.yaml\n", "        pathRef: train.yaml\n        |\n"),
        {"trigger", "conditions", "matrix", "joins"},
        {"pathRef", "name", "params"},
    ),
}


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("case", sorted(DAG_COMPLETIONS))
async def test_dag_completion(
    client: LanguageClient, workspace: Path, case: str, style: str
) -> None:
    block, flow, expected, absent = DAG_COMPLETIONS[case]
    got = set(labels(await items_at(client, workspace, dag_with(style, block, flow))))
    assert expected <= got, f"{case} ({style}): {sorted(got)}"
    assert not (absent & got), f"{case} ({style}): {sorted(absent & got)}"


@pytest.mark.parametrize("style", STYLES)
async def test_dag_ref_names_the_dag_components(
    client: LanguageClient, workspace: Path, style: str
) -> None:
    op = (
        "      - name: t\n        dagRef: |\n"
        if style == "block"
        else "      - {name: t, dagRef: |}\n"
    )
    text = (
        "kind: operation\ncomponent:\n  run:\n    kind: dag\n    components:\n"
        "      - name: trainer\n        run: {kind: job, container: {image: python}}\n"
        "    operations:\n" + op
    )
    assert "trainer" in labels(await items_at(client, workspace, text))


# ---------------------------------------------------------------- hover and definition


async def hover_at(client: LanguageClient, uri: str, at: types.Position) -> str:
    result = await client.text_document_hover_async(
        types.HoverParams(text_document=doc_id(uri), position=at)
    )
    assert result is not None, f"no hover at {at}"
    contents = result.contents
    assert isinstance(contents, types.MarkupContent)
    assert result.range is not None
    assert result.range.start <= at <= result.range.end
    return contents.value


def at_word(text: str, line_needle: str, word: str, offset: int = 1) -> types.Position:
    lines = text.split("\n")
    number = next(i for i, line in enumerate(lines) if line_needle in line)
    return pos(number, lines[number].index(word, lines[number].index(line_needle)) + offset)


HOVER_DOCS = {
    "block": OP
    + "params:\n  epochs: 3\n  dataset: /data\nmatrix:\n  kind: grid\n  params:\n"
    + "    learning_rate:\n      kind: choice\n      value: [0.1, 0.01]\n"
    + "joins:\n  - query: 'status: succeeded'\n    params:\n      epochs:\n        value: x\n"
    + "termination:\n  maxRetries: 2\n",
    "flow": OP
    + "params: {epochs: 3, dataset: /data}\n"
    + "matrix: {kind: grid, params: {learning_rate: {kind: choice, value: [0.1, 0.01]}}}\n"
    + "joins:\n  - {query: 'status: succeeded', params: {epochs: {value: x}}}\n"
    + "termination: {maxRetries: 2}\n",
}


@pytest.mark.parametrize("style", STYLES)
async def test_hover_on_keys_and_values(
    client: LanguageClient, workspace: Path, style: str
) -> None:
    text = HOVER_DOCS[style]
    uri = await opened(client, workspace, text)
    about = await hover_at(client, uri, at_word(text, "pathRef", "train.yaml"))
    assert "Inputs" in about and "dataset" in about
    about = await hover_at(client, uri, at_word(text, "learning_rate", "learning_rate"))
    assert "matrix param" in about and "float" in about
    join_needle = "      epochs:" if style == "block" else "params: {epochs: {value"
    about = await hover_at(client, uri, at_word(text, join_needle, "epochs"))
    assert "join param" in about and "int" in about
    about = await hover_at(client, uri, at_word(text, "maxRetries", "maxRetries"))
    assert "maxRetries" in about
    about = await hover_at(client, uri, at_word(text, "choice", "choice"))
    assert "choice" in about


NESTED_HOVER_DOCS = {
    "block": OP
    + "params:\n  dataset: /data\n"
    + "matrix:\n  kind: random\n  numRuns: 2\n  params:\n"
    + "    epochs:\n      kind: range\n      value:\n        start: 1\n        stop: 5\n"
    + "        step: 1\n"
    + "  earlyStopping:\n    - kind: metric_early_stopping\n      metric: loss\n"
    + "      value: 0.1\n      optimization: minimize\n"
    + "      policy:\n        kind: truncation\n        percent: 50\n"
    + "        evaluationInterval: 1\n"
    + "hooks:\n  - hubRef: slack\n    trigger: failed\n",
    "flow": OP
    + "params: {dataset: /data}\n"
    + "matrix:\n  kind: random\n  numRuns: 2\n"
    + "  params: {epochs: {kind: range, value: {start: 1, stop: 5, step: 1}}}\n"
    + "  earlyStopping:\n    - {kind: metric_early_stopping, metric: loss, value: 0.1,"
    + " optimization: minimize,\n       policy: {kind: truncation, percent: 50,"
    + " evaluationInterval: 1}}\n"
    + "hooks: [{hubRef: slack, trigger: failed}]\n",
}
NESTED_HOVER_COMPONENT = {
    "block": "kind: component\nrun:\n  kind: job\n  environment:\n    tolerations:\n"
    + "      - key: gpu\n        operator: Exists\n"
    + "  container:\n    image: python\n    resources:\n      limits:\n        cpu: 1\n"
    + "    env:\n      - name: A\n        valueFrom:\n          secretKeyRef: {name: s, key: k}\n",
    "flow": "kind: component\nrun:\n  kind: job\n"
    + "  environment: {tolerations: [{key: gpu, operator: Exists}]}\n"
    + "  container: {image: python, resources: {limits: {cpu: 1}},"
    + " env: [{name: A, valueFrom: {secretKeyRef: {name: s, key: k}}}]}\n",
}


@pytest.mark.parametrize("style", STYLES)
async def test_hover_on_keys_below_the_first_level(
    client: LanguageClient, workspace: Path, style: str
) -> None:
    text = NESTED_HOVER_DOCS[style]
    uri = await opened(client, workspace, text)
    assert codes(client.diagnostics.get(uri, [])) == []  # Polyaxon accepts it (oracle)
    about = await hover_at(client, uri, at_word(text, "step: 1", "step"))
    assert "step" in about and "range" in about
    needle = "      value:" if style == "block" else "value: {start"
    about = await hover_at(client, uri, at_word(text, needle, "value"))
    assert "start, stop, step" in about
    about = await hover_at(client, uri, at_word(text, "optimization: minimize", "optimization"))
    assert "optimization" in about and "early stopping" in about
    about = await hover_at(client, uri, at_word(text, "percent: 50", "percent"))
    assert "truncation" in about and "Required" in about
    about = await hover_at(client, uri, at_word(text, "trigger: failed", "trigger"))
    assert "`succeeded`" in about
    text = NESTED_HOVER_COMPONENT[style]
    uri = await opened(client, workspace, text)
    assert codes(client.diagnostics.get(uri, [])) == []
    about = await hover_at(client, uri, at_word(text, "operator: Exists", "operator"))
    assert "V1Toleration" in about
    about = await hover_at(client, uri, at_word(text, "limits", "limits"))
    assert "V1ResourceRequirements" in about
    about = await hover_at(client, uri, at_word(text, "valueFrom", "valueFrom"))
    assert "V1EnvVar" in about and "V1EnvVarSource" in about
    about = await hover_at(client, uri, at_word(text, "secretKeyRef", "secretKeyRef"))
    assert "V1EnvVarSource" in about


@pytest.mark.parametrize("style", STYLES)
async def test_hover_on_an_input_declaration(
    client: LanguageClient, workspace: Path, style: str
) -> None:
    decl = (
        "  - name: threshold\n    type: float\n    value: 0.5\n"
        if style == "block"
        else "  - {name: threshold, type: float, value: 0.5}\n"
    )
    text = (
        "kind: component\ninputs:\n" + decl + "run:\n  kind: job\n"
        '  container: {image: python, args: ["{{ threshold }}"]}\n'
    )
    uri = await opened(client, workspace, text)
    at = at_word(text, "threshold", "threshold")
    about = await hover_at(client, uri, at)
    assert "threshold" in about and "float" in about and "0.5" in about
    found = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc_id(uri), position=at)
    )
    assert isinstance(found, list) and found[0].range.start == at_word(text, "threshold", "t", 0)


@pytest.mark.parametrize("style", STYLES)
async def test_definition_of_a_path_ref(
    client: LanguageClient, workspace: Path, style: str
) -> None:
    op = (
        "      - name: t\n        pathRef: train.yaml\n"
        if style == "block"
        else "      - {name: t, pathRef: train.yaml}\n"
    )
    text = "kind: operation\ncomponent:\n  run:\n    kind: dag\n    operations:\n" + op
    uri = await opened(client, workspace, text)
    found = await client.text_document_definition_async(
        types.DefinitionParams(
            text_document=doc_id(uri), position=at_word(text, "train.yaml", "train")
        )
    )
    assert isinstance(found, list) and found[0].uri == (workspace / "train.yaml").as_uri()


@pytest.mark.parametrize("style", STYLES)
async def test_hover_and_definition_of_ref_values(
    client: LanguageClient, workspace: Path, style: str
) -> None:
    text = DAG[style]
    uri = await opened(client, workspace, text)
    about = await hover_at(client, uri, at_word(text, "value: outputs.dataset", "dataset"))
    assert "prepare" in about and "path" in about
    about = await hover_at(client, uri, at_word(text, "ops.prepare", "prepare"))
    assert "op prepare" in about
    found = await client.text_document_definition_async(
        types.DefinitionParams(
            text_document=doc_id(uri), position=at_word(text, "value: outputs.dataset", "dataset")
        )
    )
    assert isinstance(found, list) and found[0].uri == (workspace / "prepare.yaml").as_uri()
    prepare_lines = PREPARE.split("\n")
    assert found[0].range.start.line == prepare_lines.index("  - name: dataset")
    found = await client.text_document_definition_async(
        types.DefinitionParams(
            text_document=doc_id(uri), position=at_word(text, "ops.prepare", "prepare")
        )
    )
    assert isinstance(found, list) and found[0].uri == uri
    assert found[0].range.start == at_word(text, "- name: prepare", "prepare", 0)
    deps = at_word(text, "dependencies", "prepare") if style == "flow" else None
    if deps is None:
        lines = text.split("\n")
        line = lines.index("          - prepare")
        deps = pos(line, 13)
    found = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc_id(uri), position=deps)
    )
    assert isinstance(found, list) and found[0].range.start.line == deps.line - (
        9 if style == "block" else 6
    )


@pytest.mark.parametrize("style", STYLES)
async def test_definition_of_matrix_and_join_param_keys(
    client: LanguageClient, workspace: Path, style: str
) -> None:
    text = HOVER_DOCS[style]
    uri = await opened(client, workspace, text)
    train = (workspace / "train.yaml").as_uri()
    join_needle = "      epochs:" if style == "block" else "params: {epochs: {value"
    for needle, word, decl in (
        ("learning_rate", "learning_rate", "  - name: learning_rate"),
        (join_needle, "epochs", "  - name: epochs"),
    ):
        found = await client.text_document_definition_async(
            types.DefinitionParams(text_document=doc_id(uri), position=at_word(text, needle, word))
        )
        assert isinstance(found, list) and found[0].uri == train
        train_lines = (workspace / "train.yaml").read_text().split("\n")
        assert found[0].range.start == pos(train_lines.index(decl), 10)


# ---------------------------------------------------------------- references and rename


async def workspace_codes(client: LanguageClient, uris: list[str]) -> dict[str, list[str]]:
    return {uri: codes(client.diagnostics.get(uri, [])) for uri in uris}


def apply_edits(text: str, edits: list[types.TextEdit]) -> str:
    """Apply non-overlapping edits (UTF-16 columns; the texts here are ASCII)."""
    lines = text.split("\n")
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character))[::-1]:
        start, end = edit.range.start, edit.range.end
        assert start.line == end.line
        line = lines[start.line]
        lines[start.line] = line[: start.character] + edit.new_text + line[end.character :]
    return "\n".join(lines)


class Docs:
    """Open documents of one rename test: their texts and versions, for applying edits."""

    def __init__(self, client: LanguageClient, folder: Path) -> None:
        self.client = client
        self.folder = folder
        self.texts: dict[str, str] = {}
        self.versions: dict[str, int] = {}

    async def open(self, name: str, text: str) -> str:
        uri = open_doc(self.client, self.folder / name, text)
        self.texts[uri] = text
        self.versions[uri] = 1
        await wait_diagnostics(self.client, uri, 1)
        return uri

    async def settle(self) -> None:
        # The documents re-check each other (a component's users): let that finish.
        await asyncio.sleep(0.3)
        for uri, version in self.versions.items():
            await wait_diagnostics(self.client, uri, version)

    async def apply(self, edit: types.WorkspaceEdit | None) -> set[str]:
        assert edit is not None and edit.changes is not None
        for uri, edits in edit.changes.items():
            assert uri in self.texts, f"edit of a file that is not open: {uri}"
            self.texts[uri] = apply_edits(self.texts[uri], list(edits))
            self.versions[uri] += 1
            change_doc(self.client, uri, self.versions[uri], self.texts[uri])
        for uri in edit.changes:
            await wait_diagnostics(self.client, uri, self.versions[uri])
        await self.settle()
        return set(edit.changes)


USER_BLOCK = """\
kind: operation
pathRef: ../train.yaml
params:
  dataset: /data
  epochs: 3
matrix:
  kind: grid
  params:
    learning_rate:
      kind: choice
      value: [0.1, 0.01]
joins:
  - query: 'status: succeeded'
    params:
      epochs:
        value: globals.uuid
"""
USER_FLOW = """\
kind: operation
pathRef: ../train.yaml
params: {dataset: /data, epochs: 3}
matrix: {kind: grid, params: {learning_rate: {kind: choice, value: [0.1, 0.01]}}}
joins:
  - {query: 'status: succeeded', params: {epochs: {value: globals.uuid}}}
"""
TRAIN_USES = """\
kind: component
name: train
inputs:
  - name: dataset
    type: path
  - name: learning_rate
    type: float
    value: 0.001
  - name: epochs
    type: int
outputs:
  - name: model
    type: path
run:
  kind: job
  container:
    image: python:3.11
    args: ["--lr={{ learning_rate }}", "{{ params.learning_rate.as_arg }}", "{{ epochs }}"]
"""


@pytest.mark.parametrize("style", STYLES)
async def test_rename_an_input_everywhere_it_is_used(
    client: LanguageClient, workspace: Path, style: str
) -> None:
    folder = workspace / f"rename-input-{style}"
    (folder / "ops").mkdir(parents=True)
    docs = Docs(client, folder)
    component = await docs.open("train.yaml", TRAIN_USES)
    user = await docs.open("ops/user.yaml", USER_BLOCK if style == "block" else USER_FLOW)
    await docs.settle()
    before = await workspace_codes(client, [component, user])
    for name, new in (("learning_rate", "lr"), ("epochs", "n_epochs")):
        text = docs.texts[user]
        where = at_word(text, "learning_rate" if name == "learning_rate" else "epochs", name)
        prepared = await client.text_document_prepare_rename_async(
            types.PrepareRenameParams(text_document=doc_id(user), position=where)
        )
        assert isinstance(prepared, types.PrepareRenamePlaceholder)
        assert prepared.placeholder == name
        assert prepared.range.start <= where <= prepared.range.end
        edit = await client.text_document_rename_async(
            types.RenameParams(text_document=doc_id(user), position=where, new_name=new)
        )
        assert await docs.apply(edit) == {component, user}
        assert not re.search(rf"\b{name}\b", docs.texts[user])
        assert f"{{{{ {name} }}}}" not in docs.texts[component]
    assert "{{ lr }}" in docs.texts[component] and "params.lr.as_arg" in docs.texts[component]
    assert "{{ n_epochs }}" in docs.texts[component]
    assert await workspace_codes(client, [component, user]) == before


@pytest.mark.parametrize("style", STYLES)
async def test_rename_an_output_updates_downstream_ref_values(
    client: LanguageClient, workspace: Path, style: str
) -> None:
    folder = workspace / f"rename-output-{style}"
    folder.mkdir()
    (folder / "train.yaml").write_text((workspace / "train.yaml").read_text())
    docs = Docs(client, folder)
    prepare = await docs.open("prepare.yaml", PREPARE)
    # A second ref to the same output, as a template in a value.
    extra = '{ref: ops.prepare, value: "{{ outputs.dataset }}"}'
    text = DAG[style].replace("epochs: 3", f"epochs: 3, learning_rate: {extra}")
    if style == "block":
        text = DAG[style].replace("          epochs: 3", f"          learning_rate: {extra}")
    pipeline = await docs.open("pipeline.yaml", text)
    await docs.settle()
    before = await workspace_codes(client, [prepare, pipeline])
    decl = at_word(PREPARE, "- name: dataset", "dataset")
    refs = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=doc_id(prepare),
            position=decl,
            context=types.ReferenceContext(include_declaration=False),
        )
    )
    assert refs is not None
    assert {(r.uri, r.range.start.line) for r in refs} == {
        (pipeline, at_word(text, "value: outputs.dataset", "dataset").line),
        (pipeline, at_word(text, "{{ outputs.dataset }}", "dataset").line),
    }
    assert len(refs) == 2
    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=doc_id(prepare), position=decl, new_name="prepared")
    )
    assert await docs.apply(edit) == {prepare, pipeline}
    assert "outputs.prepared" in docs.texts[pipeline]
    assert "{{ outputs.prepared }}" in docs.texts[pipeline]
    assert "outputs.dataset" not in docs.texts[pipeline]
    assert await workspace_codes(client, [prepare, pipeline]) == before


@pytest.mark.parametrize("style", STYLES)
async def test_rename_an_op(client: LanguageClient, workspace: Path, style: str) -> None:
    folder = workspace / f"rename-op-{style}"
    folder.mkdir()
    for name in ("train.yaml", "prepare.yaml"):
        (folder / name).write_text((workspace / name).read_text())
    docs = Docs(client, folder)
    pipeline = await docs.open("pipeline.yaml", DAG[style])
    before = await workspace_codes(client, [pipeline])
    where = at_word(DAG[style], "ops.prepare", "prepare")
    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=doc_id(pipeline), position=where, new_name="clean")
    )
    await docs.apply(edit)
    assert "prepare" not in docs.texts[pipeline].replace("prepare.yaml", "")
    assert await workspace_codes(client, [pipeline]) == before


async def test_rename_refuses_what_it_cannot_do_cleanly(
    client: LanguageClient, workspace: Path
) -> None:
    text = OP + "params: {epochs: 3, extra: {value: 1, contextOnly: true}}\n"
    uri = await opened(client, workspace, text)
    where = at_word(text, "epochs", "epochs")
    with pytest.raises(JsonRpcException, match="already has an input or output named"):
        await client.text_document_rename_async(
            types.RenameParams(text_document=doc_id(uri), position=where, new_name="dataset")
        )
    with pytest.raises(JsonRpcException, match="already passes a param named `extra`"):
        await client.text_document_rename_async(
            types.RenameParams(text_document=doc_id(uri), position=where, new_name="extra")
        )
    with pytest.raises(JsonRpcException, match="Nothing to rename here"):
        await client.text_document_prepare_rename_async(
            types.PrepareRenameParams(text_document=doc_id(uri), position=pos(0, 2))
        )


# ---------------------------------------------------------------- right after didOpen


async def test_requests_right_after_did_open_get_the_full_answer(
    client: LanguageClient, workspace: Path
) -> None:
    text, at = cursor(OP + "params:\n  epochs: 3\n  dataset: '{{ globals.uuid }}'\n  |\n")
    uri = open_doc(client, workspace / "fresh.yaml", text)
    # No wait for diagnostics: every request below is sent right after didOpen.
    everything = types.Range(start=pos(0, 0), end=pos(len(text.split("\n")), 0))
    symbols, tokens, completion, hover, hints, links = await asyncio.gather(
        client.text_document_document_symbol_async(
            types.DocumentSymbolParams(text_document=doc_id(uri))
        ),
        client.text_document_semantic_tokens_full_async(
            types.SemanticTokensParams(text_document=doc_id(uri))
        ),
        client.text_document_completion_async(
            types.CompletionParams(text_document=doc_id(uri), position=at)
        ),
        client.text_document_hover_async(
            types.HoverParams(text_document=doc_id(uri), position=pos(3, 3))
        ),
        client.text_document_inlay_hint_async(
            types.InlayHintParams(text_document=doc_id(uri), range=everything)
        ),
        client.text_document_document_link_async(
            types.DocumentLinkParams(text_document=doc_id(uri))
        ),
    )
    assert hints and any("int" in str(hint.label) for hint in hints)
    assert links and links[0].target == (workspace / "train.yaml").as_uri()
    assert symbols and tokens is not None and tokens.data
    assert completion is not None
    items = completion.items if isinstance(completion, types.CompletionList) else completion
    assert "learning_rate" in labels(items)
    assert hover is not None and "epochs" in str(hover.contents)


# ---------------------------------------------------------------- quick fixes


async def actions_for(
    client: LanguageClient, uri: str, code: str, titled: str
) -> list[types.CodeAction]:
    """The code actions offered on the first `code` diagnostic whose title holds ``titled``."""
    diagnostics = [d for d in client.diagnostics[uri] if d.code == code]
    assert diagnostics, f"no {code}: {codes(client.diagnostics[uri])}"
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=doc_id(uri),
            range=diagnostics[0].range,
            context=types.CodeActionContext(diagnostics=diagnostics),
        )
    )
    return [a for a in result or [] if isinstance(a, types.CodeAction) and titled in a.title]


async def fixes_for(client: LanguageClient, uri: str, code: str) -> list[types.CodeAction]:
    return await actions_for(client, uri, code, "Replace")


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("where", ["ref", "dependencies"])
async def test_did_you_mean_an_op(
    client: LanguageClient, workspace: Path, style: str, where: str
) -> None:
    text = DAG[style]
    if where == "ref":
        typo = text.replace("ops.prepare", "ops.prepar")
    else:
        typo = text.replace("- prepare\n", "- prepar\n").replace("[prepare]", "[prepar]")
    folder = workspace / f"typo-{where}-{style}"
    folder.mkdir()
    for name in ("train.yaml", "prepare.yaml"):
        (folder / name).write_text((workspace / name).read_text())
    uri = open_doc(client, folder / "pipeline.yaml", typo)
    await wait_diagnostics(client, uri, 1)
    (fix,) = await fixes_for(client, uri, "PLX509")
    assert fix.title == "Replace with `prepare`"
    assert fix.edit is not None and fix.edit.changes is not None
    fixed = apply_edits(typo, list(fix.edit.changes[uri]))
    assert fixed == text
    change_doc(client, uri, 2, fixed)
    assert "PLX509" not in codes(await wait_diagnostics(client, uri, 2))


@pytest.mark.parametrize("style", STYLES)
async def test_did_you_mean_an_option(client: LanguageClient, workspace: Path, style: str) -> None:
    params = "params:\n  optimizer: adma\n" if style == "block" else "params: {optimizer: adma}\n"
    text = (
        "kind: operation\n" + params + "component:\n  inputs:\n"
        "    - {name: optimizer, type: str, options: [adam, sgd]}\n"
        "  run: {kind: job, container: {image: python}}\n"
    )
    uri = await opened(client, workspace, text)
    (fix,) = await fixes_for(client, uri, "PLX302")
    assert fix.title == "Replace with `adam`"
    assert fix.edit is not None and fix.edit.changes is not None
    fixed = apply_edits(text, list(fix.edit.changes[uri]))
    assert fixed == text.replace("adma", "adam")
    change_doc(client, uri, 2, fixed)
    assert codes(await wait_diagnostics(client, uri, 2)) == []


@pytest.mark.parametrize("style", STYLES)
async def test_a_misspelt_key_and_a_yaml_typed_value_are_fixed_in_the_editor(
    client: LanguageClient, workspace: Path, style: str
) -> None:
    # Polyaxon 2.18 rejects both mistakes (extra_forbidden; string_type on the boolean `yes`).
    run = (
        "  run:\n    kind: job\n    contaier:\n      image: python\n"
        if style == "block"
        else "  run: {kind: job, contaier: {image: python}}\n"
    )
    text = "kind: operation\nname: yes\ncomponent:\n" + run
    uri = await opened(client, workspace, text)
    (rename,) = await fixes_for(client, uri, "PLX110")
    assert rename.title == "Replace with `container`" and rename.is_preferred
    assert rename.edit is not None and rename.edit.changes is not None
    fixed = apply_edits(text, list(rename.edit.changes[uri]))
    assert fixed == text.replace("contaier", "container")
    change_doc(client, uri, 2, fixed)
    assert codes(await wait_diagnostics(client, uri, 2)) == ["PLX111"]
    (quote,) = await actions_for(client, uri, "PLX111", "Quote")
    assert quote.edit is not None and quote.edit.changes is not None
    quoted = apply_edits(fixed, list(quote.edit.changes[uri]))
    assert quoted == fixed.replace("name: yes", 'name: "yes"')
    change_doc(client, uri, 3, quoted)
    assert codes(await wait_diagnostics(client, uri, 3)) == []


@pytest.mark.parametrize(
    ("params", "fixed"),
    [
        ("params: {extra: {value: 1}}\n", "params: {extra: {value: 1, contextOnly: true}}\n"),
        (
            "params:\n  extra:\n    value: 1\n",
            "params:\n  extra:\n    value: 1\n    contextOnly: true\n",
        ),
        (
            "params:\n  extra: {value: 1,\n    }\n",
            "params:\n  extra: {value: 1, contextOnly: true\n    }\n",
        ),
    ],
)
async def test_a_context_value_can_be_declared_one_in_the_editor(
    client: LanguageClient, workspace: Path, params: str, fixed: str
) -> None:
    # Polyaxon 2.18 accepts both versions (an unknown param is a context value); the warning
    # goes once `contextOnly: true` says it is one on purpose.
    head = "kind: operation\n"
    tail = "component:\n  run: {kind: job, container: {image: python}}\n"
    text = head + params + tail
    uri = await opened(client, workspace, text)
    (action,) = await actions_for(client, uri, "PLX303", "contextOnly")
    assert action.title == "Set `contextOnly: true` on `extra`"
    assert action.edit is not None and action.edit.changes is not None
    assert apply_edits(text, list(action.edit.changes[uri])) == head + fixed + tail
    change_doc(client, uri, 2, head + fixed + tail)
    assert codes(await wait_diagnostics(client, uri, 2)) == []


async def test_typing_inside_a_flow_mapping_written_over_several_lines(
    client: LanguageClient, workspace: Path
) -> None:
    text = OP + "params: {\n  epochs: 3,\n  learning_rate: 0.1\n}\n"
    uri = await opened(client, workspace, text)
    typed, at = cursor(OP + "params: {\n  epochs: 3,\n  learning_rate: 0.1,\n  |\n}\n")
    change_doc(client, uri, 2, typed)
    # Asked at once: answered from the last good tree plus the line being typed, or from the
    # new tree when its analysis is already done; the same items either way.
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=doc_id(uri), position=at)
    )
    assert result is not None
    items = result.items if isinstance(result, types.CompletionList) else result
    got = labels(items)
    assert "dataset" in got and "epochs" not in got and "learning_rate" not in got


# ------------------------------------------ templates in escaped and multi-line scalars
# Polyaxon accepts every file below (checked with the oracle, before and after the rename);
# the expected texts are the same files with the name replaced.

ESCAPED_COMPONENT = {
    "block": """\
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
      - "echo \\"\\u00e9 {{ epochs }}\\"\\t{{ lr }}"
      - 'it''s {{ epochs }}'
      - echo {{ lr }}
        then {{ epochs }}
    args: >
      --epochs={{ epochs }}
      --lr={{ lr }}
      --again={{ params.epochs.as_arg }}
""",
    "flow": """\
kind: component
name: train
inputs:
  - {name: epochs, type: int}
  - {name: lr, type: float}
run:
  kind: job
  container: {image: "python:3.11", command: ["echo \\"\\u00e9 {{ epochs }}\\"\\t{{ lr }}",
    'it''s {{ epochs }}', "echo {{ lr }}\\
      then {{ epochs }}"],
    args: "--epochs={{ epochs }}
      --lr={{ lr }} --again={{ params.epochs.as_arg }}"}
""",
}
# Templates whose text is not the source text: an escape inside the name, a line break
# inside the `{{ }}`.
UNMAPPABLE = {
    "block": '    env:\n      - name: E\n        value: "{{ ep\\u006fchs }}"\n',
    "flow": '    env: [{name: E, value: "--e={{\n        epochs }}"}]\n',
}


@pytest.mark.parametrize("style", STYLES)
async def test_rename_inside_escaped_and_multi_line_scalars(
    client: LanguageClient, workspace: Path, style: str
) -> None:
    folder = workspace / f"rename-escaped-{style}"
    folder.mkdir()
    docs = Docs(client, folder)
    text = ESCAPED_COMPONENT[style]
    uri = await docs.open("train.yaml", text)
    await docs.settle()
    before = await workspace_codes(client, [uri])
    where = at_word(text, "name: epochs", "epochs")
    refs = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=doc_id(uri),
            position=where,
            context=types.ReferenceContext(include_declaration=False),
        )
    )
    assert refs is not None and len(refs) == 5
    lines = text.split("\n")
    for ref in refs:
        rng = ref.range
        assert rng.start.line == rng.end.line
        assert lines[rng.start.line][rng.start.character : rng.end.character] == "epochs"
    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=doc_id(uri), position=where, new_name="n_epochs")
    )
    assert await docs.apply(edit) == {uri}
    expected = (
        text.replace("name: epochs", "name: n_epochs")
        .replace("{{ epochs }}", "{{ n_epochs }}")
        .replace("params.epochs.", "params.n_epochs.")
    )
    assert docs.texts[uri] == expected
    assert await workspace_codes(client, [uri]) == before


@pytest.mark.parametrize("style", STYLES)
async def test_rename_refuses_templates_it_cannot_map_to_the_source(
    client: LanguageClient, workspace: Path, style: str
) -> None:
    text = ESCAPED_COMPONENT["block"] + UNMAPPABLE[style]
    uri = await opened(client, workspace, text)
    where = at_word(text, "name: epochs", "epochs")
    with pytest.raises(JsonRpcException, match="cannot be mapped"):
        await client.text_document_rename_async(
            types.RenameParams(text_document=doc_id(uri), position=where, new_name="n_epochs")
        )
    refs = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=doc_id(uri),
            position=where,
            context=types.ReferenceContext(include_declaration=False),
        )
    )
    assert refs is not None
    # The five exact sites, and the scalar holding the unmappable template.
    env_line = next(
        i for i, line in enumerate(text.split("\n")) if "{{ ep\\u" in line or "--e={{" in line
    )
    assert len(refs) == 6 and any(ref.range.start.line == env_line for ref in refs)


ESCAPED_REF_VALUE = {
    "block": ("value: outputs.dataset", 'value: "outputs.data\\x73et"'),
    "flow": ("value: outputs.dataset}", "value: 'outputs.dataset'}"),
}


@pytest.mark.parametrize("style", STYLES)
async def test_rename_of_an_output_named_in_a_quoted_ref_value(
    client: LanguageClient, workspace: Path, style: str
) -> None:
    folder = workspace / f"rename-quoted-ref-{style}"
    folder.mkdir()
    (folder / "train.yaml").write_text((workspace / "train.yaml").read_text())
    docs = Docs(client, folder)
    prepare = await docs.open("prepare.yaml", PREPARE)
    old, new = ESCAPED_REF_VALUE[style]
    text = DAG[style].replace(old, new)
    assert new in text
    pipeline = await docs.open("pipeline.yaml", text)
    await docs.settle()
    before = await workspace_codes(client, [prepare, pipeline])
    decl = at_word(PREPARE, "- name: dataset", "dataset")
    rename = types.RenameParams(text_document=doc_id(prepare), position=decl, new_name="prepared")
    if style == "block":  # an escape inside the name: no exact edit, so no edit at all
        with pytest.raises(JsonRpcException, match="cannot be mapped"):
            await client.text_document_rename_async(rename)
        return
    edit = await client.text_document_rename_async(rename)
    assert await docs.apply(edit) == {prepare, pipeline}
    assert "value: 'outputs.prepared'}" in docs.texts[pipeline]
    assert await workspace_codes(client, [prepare, pipeline]) == before


QUOTED_OP_REF = {
    "block": ("ref: ops.prepare", 'ref: "ops.prep\\x61re"'),
    "flow": ("ref: ops.prepare,", "ref: 'ops.prepare',"),
}


@pytest.mark.parametrize("style", STYLES)
async def test_rename_of_an_op_named_in_a_quoted_ref(
    client: LanguageClient, workspace: Path, style: str
) -> None:
    folder = workspace / f"rename-quoted-op-{style}"
    folder.mkdir()
    for name in ("train.yaml", "prepare.yaml"):
        (folder / name).write_text((workspace / name).read_text())
    docs = Docs(client, folder)
    old, new = QUOTED_OP_REF[style]
    text = DAG[style].replace(old, new)
    assert new in text
    pipeline = await docs.open("pipeline.yaml", text)
    before = await workspace_codes(client, [pipeline])
    where = at_word(text, "- name: prepare", "prepare")
    rename = types.RenameParams(text_document=doc_id(pipeline), position=where, new_name="clean")
    if style == "block":  # `prep\x61re`: no range of the source is the name
        with pytest.raises(JsonRpcException, match="cannot be mapped"):
            await client.text_document_rename_async(rename)
        return
    await docs.apply(await client.text_document_rename_async(rename))
    assert "ref: 'ops.clean'," in docs.texts[pipeline]
    assert "prepare" not in docs.texts[pipeline].replace("prepare.yaml", "")
    assert await workspace_codes(client, [pipeline]) == before
