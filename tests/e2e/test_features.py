"""Editor features end to end: completion, hover, navigation, rename, code actions, outline."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient

from tests.e2e.support import (
    COMPONENT,
    PIPELINE,
    change_doc,
    codes,
    cursor,
    decode_tokens,
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
    root = tmp_path_factory.mktemp("features")
    write_workspace(root)
    return root


@pytest_lsp.fixture(config=server_config(), scope="module")
async def client(lsp_client: LanguageClient, workspace: Path):
    await start(lsp_client, workspace)
    yield
    await lsp_client.shutdown_session()


opened = open_fresh


async def complete(
    client: LanguageClient, uri: str, position: types.Position
) -> list[types.CompletionItem]:
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=doc_id(uri), position=position)
    )
    assert result is not None
    items = result.items if isinstance(result, types.CompletionList) else result
    return sorted(items, key=lambda i: i.sort_text or i.label)


def labels(items: list[types.CompletionItem]) -> list[str]:
    return [item.label for item in items]


# ---------------------------------------------------------------- completion


async def test_param_names_required_first_as_snippets(
    client: LanguageClient, workspace: Path
) -> None:
    text, at = cursor("kind: operation\npathRef: train.yaml\nparams:\n  epochs: 3\n  |\n")
    uri = await opened(client, workspace, text)
    items = await complete(client, uri, at)
    assert labels(items) == ["dataset", "learning_rate", "model", "accuracy"]
    dataset = items[0]
    assert dataset.detail is not None and "path" in dataset.detail and "required" in dataset.detail
    assert dataset.insert_text_format == types.InsertTextFormat.Snippet
    assert dataset.text_edit is not None and dataset.text_edit.new_text.startswith("dataset: ${1:")
    assert "0.001" in (items[1].detail or "")


async def test_param_keys_of_a_full_form_param(client: LanguageClient, workspace: Path) -> None:
    text, at = cursor(
        "kind: operation\npathRef: train.yaml\nparams:\n  epochs:\n    value: 3\n    |\n"
    )
    uri = await opened(client, workspace, text)
    got = labels(await complete(client, uri, at))
    assert "ref" in got and "toEnv" in got and "value" not in got


async def test_globals_inside_template(client: LanguageClient, workspace: Path) -> None:
    text, at = cursor(COMPONENT.replace("{{ learning_rate }}", "{{ globals.art| }}"))
    uri = await opened(client, workspace, text)
    items = await complete(client, uri, at)
    by_label = {item.label: item for item in items}
    assert "artifacts_path" in by_label and "uuid" in by_label
    doc = by_label["artifacts_path"].documentation
    assert isinstance(doc, types.MarkupContent) and "artifacts" in doc.value
    edit = by_label["artifacts_path"].text_edit
    assert isinstance(edit, types.TextEdit)
    assert edit.range.end.character - edit.range.start.character == len("art")


async def test_template_names_and_params_fields(client: LanguageClient, workspace: Path) -> None:
    text, at = cursor(COMPONENT.replace("{{ learning_rate }}", "{{ | }}"))
    uri = await opened(client, workspace, text)
    got = labels(await complete(client, uri, at))
    assert {"dataset", "learning_rate", "epochs", "model", "globals", "params"} <= set(got)
    assert "inputs" not in got  # only meaningful in a param value with a ref
    text, at = cursor(COMPONENT.replace("{{ learning_rate }}", "{{ params.epochs.| }}"))
    uri = await opened(client, workspace, text)
    assert {"value", "as_arg", "type"} <= set(labels(await complete(client, uri, at)))
    text, at = cursor(COMPONENT.replace("{{ learning_rate }}", "{{ connections.| }}"))
    uri = await opened(client, workspace, text)
    assert labels(await complete(client, uri, at)) == ["my-bucket"]


async def test_inputs_namespace_is_not_offered_without_a_ref(
    client: LanguageClient, workspace: Path
) -> None:
    # `{{ inputs.x }}` is undefined outside a param with a `ref` (PLX802 flags it).
    text = COMPONENT.replace("{{ learning_rate }}", "{{ inputs.learning_rate }}")
    uri = await opened(client, workspace, text)
    assert "PLX802" in codes(await wait_diagnostics(client, uri, 1))
    text, at = cursor(COMPONENT.replace("{{ learning_rate }}", "{{ inputs.| }}"))
    uri = await opened(client, workspace, text)
    assert await complete(client, uri, at) == []


async def test_dag_ref_and_ref_value(client: LanguageClient, workspace: Path) -> None:
    text = PIPELINE.replace("            ref: ops.prepare\n", "            ref: |\n")
    text, at = cursor(text)
    uri = await opened(client, workspace, text)
    got = labels(await complete(client, uri, at))
    assert got[0] == "ops.prepare" and "dag" in got and "runs." in got
    assert "ops.train" not in got  # not the op itself
    text, at = cursor(PIPELINE.replace("value: outputs.dataset", "value: out|"))
    uri = await opened(client, workspace, text)
    items = await complete(client, uri, at)
    assert items[0].label == "outputs.dataset"  # path → path: compatible first
    assert "compatible" in (items[0].detail or "")
    assert "outputs.rows" in labels(items)
    assert labels(items).index("outputs.rows") > labels(items).index("outputs.dataset")


async def test_ref_value_template_uses_the_referenced_op(
    client: LanguageClient, workspace: Path
) -> None:
    text, at = cursor(PIPELINE.replace("value: outputs.dataset", 'value: "{{ outputs.| }}"'))
    uri = await opened(client, workspace, text)
    assert labels(await complete(client, uri, at))[:2] == ["dataset", "rows"]


async def test_io_keys_types_and_sections(client: LanguageClient, workspace: Path) -> None:
    text, at = cursor(
        COMPONENT.replace("  - name: epochs\n    type: int\n", "  - name: epochs\n    type: |\n")
    )
    uri = await opened(client, workspace, text)
    got = labels(await complete(client, uri, at))
    assert {"int", "float", "path", "git"} <= set(got)
    text, at = cursor(COMPONENT.replace("  - name: epochs\n", "  - name: epochs\n    |\n"))
    uri = await opened(client, workspace, text)
    got = labels(await complete(client, uri, at))
    assert "isOptional" in got and "name" not in got and "type" not in got
    text, at = cursor("kind: operation\n|\n")
    uri = await opened(client, workspace, text)
    got = labels(await complete(client, uri, at))
    assert "pathRef" in got and "matrix" in got and "kind" not in got
    text, at = cursor("kind: operation\nmatrix:\n  kind: |\n")
    uri = await opened(client, workspace, text)
    assert {"grid", "random", "bayes"} <= set(labels(await complete(client, uri, at)))
    text, at = cursor("kind: operation\nmatrix:\n  kind: grid\n  params:\n    lr:\n      kind: |\n")
    uri = await opened(client, workspace, text)
    assert {"choice", "uniform", "linspace"} <= set(labels(await complete(client, uri, at)))


async def test_path_ref_completion_stays_in_the_workspace(
    client: LanguageClient, workspace: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.yaml").write_text("kind: component\n")
    folder = workspace / "paths"
    (folder / "components").mkdir(parents=True)
    (folder / "components" / "clean.yml").write_text("kind: component\n")
    (folder / "local.yaml").write_text("kind: component\n")
    (folder / "notes.txt").write_text("not yaml\n")
    (folder / ".hidden.yaml").write_text("kind: component\n")
    (folder / "escape").symlink_to(outside, target_is_directory=True)
    (folder / "inside").symlink_to(folder / "components", target_is_directory=True)
    text, at = cursor("kind: operation\nname: x\npathRef: |\n")
    uri = await opened(client, workspace, text, "paths/op.yaml")
    items = await complete(client, uri, at)
    # YAML files first, then folders; no .txt, no hidden file, no link leaving the workspace.
    assert labels(items) == ["local.yaml", "components/", "inside/", "../"]
    local = items[0]
    assert local.kind == types.CompletionItemKind.File
    assert isinstance(local.text_edit, types.TextEdit) and local.text_edit.new_text == "local.yaml"
    assert local.text_edit.range == types.Range(start=at, end=at)
    assert items[1].kind == types.CompletionItemKind.Folder
    # Inside a quoted, partly typed folder: the edit covers only the last segment.
    text, at = cursor('kind: operation\nname: x\npathRef: "components/cl|"\n')
    change_doc(client, uri, 2, text)
    items = await complete(client, uri, at)
    assert labels(items) == ["clean.yml"]
    edit = items[0].text_edit
    assert isinstance(edit, types.TextEdit)
    assert edit.range.start == pos(at.line, len('pathRef: "components/'))
    # Through a link that leaves the workspace, and above the workspace root: nothing.
    for version, typed in ((3, "escape/"), (4, "../../")):
        text, at = cursor(f"kind: operation\nname: x\npathRef: {typed}|\n")
        change_doc(client, uri, version, text)
        assert labels(await complete(client, uri, at)) == []
    # `../` reaches the root's files (this document's own folder is listed as a folder).
    text, at = cursor("kind: operation\nname: x\npathRef: ../|\n")
    change_doc(client, uri, 5, text)
    found = labels(await complete(client, uri, at))
    assert {"train.yaml", "prepare.yaml", "paths/"} <= set(found) and "../" not in found


async def test_jinja_filter_names_after_a_pipe(client: LanguageClient, workspace: Path) -> None:
    text, at = cursor(
        COMPONENT.replace('"--data={{ dataset }}"', '"--data={{ dataset | lo^ }}"'), "^"
    )
    uri = await opened(client, workspace, text)
    items = await complete(client, uri, at)
    names = labels(items)
    assert {"lower", "default", "join", "map_format", "tojson"} <= set(names)
    assert "dataset" not in names and "globals" not in names  # filters, not variables
    lower = next(i for i in items if i.label == "lower")
    assert lower.kind == types.CompletionItemKind.Function
    assert isinstance(lower.text_edit, types.TextEdit)
    assert lower.text_edit.range.start == pos(at.line, at.character - 2)
    map_format = next(i for i in items if i.label == "map_format")
    assert map_format.detail == "Polyaxon filter"
    # A `|` inside a string literal is not a filter position.
    text, at = cursor(
        COMPONENT.replace('"--data={{ dataset }}"', "\"--data={{ 'a|b' ~ glo^ }}\""), "^"
    )
    change_doc(client, uri, 2, text)
    assert "globals" in labels(await complete(client, uri, at))


async def test_ops_names_are_not_offered_as_template_variables(
    client: LanguageClient, workspace: Path
) -> None:
    # Polyaxon 2.18 has no `ops` in the Jinja context: an upstream value is a param with
    # `ref: ops.<name>` (completed on `ref:`), and `{{ ops.… }}` renders as undefined (PLX802).
    text, at = cursor(
        PIPELINE.replace(
            "          epochs: 3", '          epochs: 3\n          learning_rate: "{{ |"'
        )
    )
    uri = await opened(client, workspace, text)
    roots = labels(await complete(client, uri, at))
    assert "globals" in roots and "ops" not in roots
    text, at = cursor(PIPELINE.replace("ref: ops.prepare", "ref: |"))
    change_doc(client, uri, 2, text)
    assert "ops.prepare" in labels(await complete(client, uri, at))


async def test_completion_below_a_syntax_error(client: LanguageClient, workspace: Path) -> None:
    text, at = cursor(
        'kind: operation\ndescription: "unterminated\npathRef: train.yaml\n'
        "params:\n  epochs: 3\n  |\n"
    )
    uri = open_doc(client, workspace / "broken.yaml", text)
    diagnostics = await wait_diagnostics(client, uri, 1)
    assert [d.code for d in diagnostics] == ["PLX001"]
    assert labels(await complete(client, uri, at))[0] == "dataset"
    # Typing a half key on a good document, then breaking it, keeps completion alive.
    good, at = cursor("kind: operation\npathRef: train.yaml\nparams:\n  epochs: 3\n  da|\n")
    uri = await opened(client, workspace, good.replace("  da\n", ""))
    change_doc(client, uri, 2, good)
    await wait_diagnostics(client, uri, 2)
    items = await complete(client, uri, at)
    assert items[0].label == "dataset"
    assert items[0].text_edit is not None and items[0].text_edit.range.start == pos(4, 2)


async def test_utf16_columns_with_non_ascii_before_the_cursor(
    client: LanguageClient, workspace: Path
) -> None:
    text, at = cursor(COMPONENT.replace('"--lr={{ learning_rate }}"', '"é😀={{ globals.uu| }}"'))
    uri = await opened(client, workspace, text)
    line = text.split("\n")[at.line]
    prefix = line[: at.character]
    utf16 = len(prefix.encode("utf-16-le")) // 2
    assert utf16 == at.character + 1  # the emoji is two UTF-16 units
    items = await complete(client, uri, pos(at.line, utf16))
    uuid = next(item for item in items if item.label == "uuid")
    assert isinstance(uuid.text_edit, types.TextEdit)
    assert uuid.text_edit.range.start.character == utf16 - 2
    assert uuid.text_edit.range.end.character == utf16


# ---------------------------------------------------------------- hover


async def hover_text(client: LanguageClient, uri: str, position: types.Position) -> str:
    result = await client.text_document_hover_async(
        types.HoverParams(text_document=doc_id(uri), position=position)
    )
    assert result is not None
    assert isinstance(result.contents, types.MarkupContent)
    return result.contents.value


async def test_hover_param_ref_global_and_rule(client: LanguageClient, workspace: Path) -> None:
    text = "kind: operation\npathRef: train.yaml\nparams:\n  learning_rate: 0.1\n  learnin: 2\n"
    uri = await opened(client, workspace, text)
    value = await hover_text(client, uri, pos(3, 4))
    assert "float" in value and "0.001" in value and "gt=0" in value
    rule = await hover_text(client, uri, pos(4, 3))
    assert "PLX303" in rule and "unknown-param" in rule
    uri = await opened(client, workspace, PIPELINE)
    lines = PIPELINE.split("\n")
    ref_line = next(i for i, line in enumerate(lines) if "ref: ops.prepare" in line)
    value = await hover_text(client, uri, pos(ref_line, lines[ref_line].index("prepare") + 1))
    assert "op prepare" in value and "dataset" in value and "`path`" in value
    value = await hover_text(client, uri, pos(ref_line + 1, lines[ref_line + 1].index("dataset")))
    assert "path" in value and "compatible" in value
    uri = await opened(client, workspace, COMPONENT)
    lines = COMPONENT.split("\n")
    args = next(i for i, line in enumerate(lines) if "args:" in line)
    col = lines[args].index("learning_rate")
    assert "float" in await hover_text(client, uri, pos(args, col + 2))


async def test_hover_globals(client: LanguageClient, workspace: Path) -> None:
    text = COMPONENT.replace("{{ learning_rate }}", "{{ globals.artifacts_path }}")
    uri = await opened(client, workspace, text)
    lines = text.split("\n")
    args = next(i for i, line in enumerate(lines) if "args:" in line)
    value = await hover_text(client, uri, pos(args, lines[args].index("artifacts_path") + 2))
    assert "artifacts folder" in value


# ---------------------------------------------------------------- navigation


async def test_definition_param_to_input_across_path_ref(
    client: LanguageClient, workspace: Path
) -> None:
    text = "kind: operation\npathRef: train.yaml\nparams:\n  epochs: 3\n"
    uri = await opened(client, workspace, text)
    result = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc_id(uri), position=pos(3, 3))
    )
    assert isinstance(result, list) and len(result) == 1
    assert result[0].uri == (workspace / "train.yaml").as_uri()
    epochs_line = COMPONENT.split("\n").index("  - name: epochs")
    assert result[0].range.start == pos(epochs_line, 10)
    result = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc_id(uri), position=pos(1, 12))
    )
    assert isinstance(result, list) and result[0].uri.endswith("train.yaml")
    assert result[0].range.start == pos(0, 0)


async def test_definition_of_ops_ref(client: LanguageClient, workspace: Path) -> None:
    uri = await opened(client, workspace, PIPELINE)
    lines = PIPELINE.split("\n")
    ref_line = next(i for i, line in enumerate(lines) if "ref: ops.prepare" in line)
    result = await client.text_document_definition_async(
        types.DefinitionParams(
            text_document=doc_id(uri), position=pos(ref_line, lines[ref_line].index("prepare"))
        )
    )
    assert isinstance(result, list) and result[0].uri == uri
    name_line = lines.index("      - name: prepare")
    assert result[0].range.start == pos(name_line, 14)


async def test_references_and_rename_of_an_input(client: LanguageClient, workspace: Path) -> None:
    component_uri = await opened(client, workspace, COMPONENT, "train.yaml")
    user_uri = await opened(
        client,
        workspace,
        "kind: operation\npathRef: train.yaml\nparams:\n  learning_rate: 0.1\n",
        "user1.yaml",
    )
    lines = COMPONENT.split("\n")
    decl = lines.index("  - name: learning_rate")
    refs = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=doc_id(component_uri),
            position=pos(decl, 12),
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    assert refs is not None
    found = {(r.uri, r.range.start.line) for r in refs}
    args = next(i for i, line in enumerate(lines) if "args:" in line)
    assert (component_uri, decl) in found
    assert (component_uri, args) in found  # `{{ learning_rate }}`
    assert (user_uri, 3) in found  # the param key in another document
    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=doc_id(user_uri), position=pos(3, 4), new_name="lr")
    )
    assert edit is not None and edit.changes is not None
    assert {component_uri, user_uri} <= set(edit.changes)
    assert all(e.new_text == "lr" for edits in edit.changes.values() for e in edits)
    assert len(edit.changes[component_uri]) == 2
    with pytest.raises(Exception, match="not a usable"):
        await client.text_document_rename_async(
            types.RenameParams(
                text_document=doc_id(user_uri), position=pos(3, 4), new_name="globals"
            )
        )


async def test_rename_op(client: LanguageClient, workspace: Path) -> None:
    uri = await opened(client, workspace, PIPELINE)
    lines = PIPELINE.split("\n")
    name_line = lines.index("      - name: prepare")
    prepared = await client.text_document_prepare_rename_async(
        types.PrepareRenameParams(text_document=doc_id(uri), position=pos(name_line, 15))
    )
    assert (
        isinstance(prepared, types.PrepareRenamePlaceholder) and prepared.placeholder == "prepare"
    )
    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=doc_id(uri), position=pos(name_line, 15), new_name="clean")
    )
    assert edit is not None and edit.changes is not None
    edited_lines = sorted(e.range.start.line for e in edit.changes[uri])
    deps = next(i for i, line in enumerate(lines) if "dependencies" in line)
    ref = next(i for i, line in enumerate(lines) if "ref: ops.prepare" in line)
    assert edited_lines == [name_line, deps, ref]
    ref_edit = next(e for e in edit.changes[uri] if e.range.start.line == ref)
    assert ref_edit.range.start.character == lines[ref].index("prepare")


# ---------------------------------------------------------------- code actions


async def actions_for(client: LanguageClient, uri: str, code: str) -> list[types.CodeAction]:
    diagnostics = [d for d in client.diagnostics[uri] if d.code == code]
    assert diagnostics, f"no {code}"
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=doc_id(uri),
            range=diagnostics[0].range,
            context=types.CodeActionContext(diagnostics=diagnostics),
        )
    )
    return [a for a in result or [] if isinstance(a, types.CodeAction)]


async def test_quick_fixes(client: LanguageClient, workspace: Path) -> None:
    text = "kind: operation\npathRef: train.yaml\nparams:\n  learning_rat: 0.1\n"
    uri = await opened(client, workspace, text)
    (rename,) = [a for a in await actions_for(client, uri, "PLX303") if "Rename" in a.title]
    assert rename.edit is not None and rename.edit.changes is not None
    (edit,) = rename.edit.changes[uri]
    assert edit.new_text == "learning_rate" and edit.range.start == pos(3, 2)
    assert rename.diagnostics and rename.diagnostics[0].code == "PLX303"
    (add,) = [a for a in await actions_for(client, uri, "PLX301") if "missing" in a.title]
    assert add.edit is not None and add.edit.changes is not None
    (edit,) = add.edit.changes[uri]
    assert edit.new_text == "\n  dataset: null\n  epochs: null"
    assert edit.range.start == pos(3, len("  learning_rat: 0.1"))


async def test_suppression_quick_fixes(client: LanguageClient, workspace: Path) -> None:
    text = "kind: operation\npathRef: train.yaml\nparams:\n  learning_rat: 0.1\n  epochs: 1\n"
    uri = await opened(client, workspace, text)
    actions = await actions_for(client, uri, "PLX303")
    by_title = {a.title: a for a in actions}
    line = by_title["Suppress PLX303 on this line"]
    assert line.edit is not None and line.edit.changes is not None
    (edit,) = line.edit.changes[uri]
    assert edit.range.start == pos(3, len("  learning_rat: 0.1"))
    assert edit.new_text == "  # param-lsp: ignore[PLX303]"
    whole = by_title["Suppress PLX303 in this file"]
    assert whole.edit is not None and whole.edit.changes is not None
    (edit,) = whole.edit.changes[uri]
    assert edit.range.start == pos(0, 0)
    assert edit.new_text == "# param-lsp: ignore-file[PLX303]\n"
    # Applying the line fix silences the finding.
    change_doc(client, uri, 2, text.replace("0.1\n", "0.1  # param-lsp: ignore[PLX303]\n"))
    assert "PLX303" not in codes(await wait_diagnostics(client, uri, 2))


async def test_add_params_section_when_missing(client: LanguageClient, workspace: Path) -> None:
    uri = await opened(client, workspace, "kind: operation\npathRef: train.yaml\n")
    actions = await actions_for(client, uri, "PLX300")
    add = next(a for a in actions if "missing" in a.title)
    assert add.edit is not None and add.edit.changes is not None
    (edit,) = add.edit.changes[uri]
    assert edit.new_text == "\nparams:\n  dataset: null\n  epochs: null"
    assert edit.range.start == pos(0, len("kind: operation"))


async def test_add_missing_params_inside_flow_braces(
    client: LanguageClient, workspace: Path
) -> None:
    cases = {
        "params: {learning_rate: 0.1}": (
            "params: {learning_rate: 0.1, dataset: null, epochs: null}"
        ),
        "params: {}": "params: {dataset: null, epochs: null}",
        "params: {learning_rate: 0.1, }": (
            "params: {learning_rate: 0.1, dataset: null, epochs: null }"
        ),
    }
    for before, after in cases.items():
        text = f"kind: operation\npathRef: train.yaml\n{before}\n"
        uri = await opened(client, workspace, text)
        code = "PLX300" if before == "params: {}" else "PLX301"  # no params at all / some
        add = next(a for a in await actions_for(client, uri, code) if "missing" in a.title)
        assert add.edit is not None and add.edit.changes is not None
        (edit,) = add.edit.changes[uri]
        line = text.split("\n")[2]
        start, end = edit.range.start.character, edit.range.end.character
        assert edit.range.start.line == 2 and start == end
        assert line[:start] + edit.new_text + line[end:] == after
        # The placeholders stay flagged until filled in: Polyaxon rejects `null` for a
        # required input (tests/data/params/required_null_placeholder.yaml).
        change_doc(client, uri, 2, text.replace(before, after))
        assert codes(await wait_diagnostics(client, uri, 2)) == ["PLX302", "PLX302"]


async def test_quote_template_fix(client: LanguageClient, workspace: Path) -> None:
    text = (
        "kind: operation\npathRef: train.yaml\nparams:\n"
        "  dataset: {{ globals.artifacts_path }}\n  epochs: 1\n"
    )
    uri = await opened(client, workspace, text)
    (quote,) = [a for a in await actions_for(client, uri, "PLX002") if "Quote" in a.title]
    assert quote.edit is not None and quote.edit.changes is not None
    (edit,) = quote.edit.changes[uri]
    assert edit.new_text == '"{{ globals.artifacts_path }}"'


# ---------------------------------------------------------------- outline, tokens, hints, links


async def test_document_symbols_tree(client: LanguageClient, workspace: Path) -> None:
    uri = await opened(client, workspace, PIPELINE)
    result = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=doc_id(uri))
    )
    assert result is not None
    (top,) = result
    assert isinstance(top, types.DocumentSymbol) and top.name == "pipeline"
    names = [child.name for child in top.children or []]
    assert names == ["params", "component"]
    component = (top.children or [])[1]
    run = next(c for c in component.children or [] if c.name == "run")
    assert [op.name for op in run.children or []] == ["prepare", "train"]
    train = (run.children or [])[1]
    params = next(c for c in train.children or [] if c.name == "params")
    assert [p.name for p in params.children or []] == ["dataset", "epochs"]


async def test_semantic_tokens_inlay_hints_and_links(
    client: LanguageClient, workspace: Path
) -> None:
    uri = await opened(client, workspace, COMPONENT)
    tokens = await client.text_document_semantic_tokens_full_async(
        types.SemanticTokensParams(text_document=doc_id(uri))
    )
    assert tokens is not None
    decoded = decode_tokens(tokens.data)
    lines = COMPONENT.split("\n")
    args = next(i for i, text in enumerate(lines) if "args:" in text)
    texts = [lines[ln][c : c + n] for ln, c, n, _ in decoded if ln == args]
    assert texts == ["learning_rate", "dataset", "params", "epochs", "as_arg"]
    op_text = (
        "kind: operation\npathRef: train.yaml\nparams:\n  epochs: 3\n"
        "  learning_rate: {value: 0.5}\n"
    )
    op_uri = await opened(client, workspace, op_text)
    hints = await client.text_document_inlay_hint_async(
        types.InlayHintParams(
            text_document=doc_id(op_uri), range=types.Range(start=pos(0, 0), end=pos(5, 0))
        )
    )
    assert hints is not None
    assert [(h.position.line, h.position.character, h.label) for h in hints] == [
        (3, 11, ": int"),
        (4, 28, ": float"),
    ]
    links = await client.text_document_document_link_async(
        types.DocumentLinkParams(text_document=doc_id(op_uri))
    )
    assert links is not None and len(links) == 1
    assert links[0].target == (workspace / "train.yaml").as_uri()
    assert links[0].range.start == pos(1, 9)


async def test_semantic_tokens_and_hover_of_jinja_filters(
    client: LanguageClient, workspace: Path
) -> None:
    text = COMPONENT.replace(
        '"--data={{ dataset }}"', "\"--data={{ dataset | default('a|b') | upper }}\""
    )
    uri = await opened(client, workspace, text)
    tokens = await client.text_document_semantic_tokens_full_async(
        types.SemanticTokensParams(text_document=doc_id(uri))
    )
    assert tokens is not None
    legend = ["namespace", "variable", "property", "function", "keyword"]
    decoded = [(ln, col, n, legend[kind]) for ln, col, n, kind in decode_tokens(tokens.data)]
    lines = text.split("\n")
    args = next(i for i, row in enumerate(lines) if "args:" in row)
    on_args = [(lines[ln][c : c + n], kind) for ln, c, n, kind in decoded if ln == args]
    assert on_args == [
        ("learning_rate", "variable"),
        ("dataset", "variable"),
        ("default", "function"),  # `'a|b'` is a string: no token for `b`
        ("upper", "function"),
        ("params", "namespace"),
        ("epochs", "property"),
        ("as_arg", "property"),
    ]
    hover = await hover_text(client, uri, pos(args, lines[args].index("upper") + 1))
    assert "upper" in hover and "filter" in hover
    # A filter is not a variable: no definition, and rename is refused with a message.
    with pytest.raises(JsonRpcException, match="Nothing to rename here"):
        await client.text_document_prepare_rename_async(
            types.PrepareRenameParams(
                text_document=doc_id(uri), position=pos(args, lines[args].index("default") + 1)
            )
        )
