"""The workspace index (every polyaxonfile, reduced to its sites) and the work shared between
the files of one workspace (a referenced component checked and composed once)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from param_lsp.core.compose import Composer
from param_lsp.core.detect import skipped_folder, walk_yaml_files
from param_lsp.core.settings import Settings
from param_lsp.core.span import Span
from param_lsp.core.workspace import Workspace
from param_lsp.engine.analyze import analyze
from param_lsp.engine.config import ConfigFinder
from param_lsp.features.sites import FileSites
from param_lsp.features.workspace_index import WorkspaceIndex, index_file
from param_lsp.rules import references

COMPONENT = """\
kind: component
inputs:
  - {name: lr, type: float}
  - name: epochs
    type: int
    isOptional: true
    value: 1
run: {kind: job, container: {image: python:3.11, args: ["--lr={{ lr }}"]}}
"""
OPERATION = "kind: operation\nparams:\n  lr: {value: 0.1}\npathRef: ../comp.yaml\n"
DAG = """\
kind: operation
component:
  run:
    kind: dag
    operations:
      - name: a
        pathRef: ../comp.yaml
        params:
          lr: {value: 0.2}
      - name: b
        pathRef: ../comp.yaml
        params:
          lr: {value: 0.3}
          epochs: {value: 2}
        dependencies: [a]
"""


def lines_with(text: str, needle: str) -> list[int]:
    return [i for i, line in enumerate(text.split("\n")) if needle in line]


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "comp.yaml").write_text(COMPONENT)
    ops = tmp_path / "ops"
    ops.mkdir()
    for number in range(3):
        (ops / f"op{number}.yaml").write_text(OPERATION)
    (ops / "dag.yaml").write_text(DAG)
    (ops / "notes.yaml").write_text("title: not a polyaxonfile\nitems: [1, 2]\n")
    for skipped in ("node_modules", ".hidden", "venv"):
        (tmp_path / skipped).mkdir()
        (tmp_path / skipped / "op.yaml").write_text(OPERATION)
    return tmp_path


def build(root: Path) -> WorkspaceIndex:
    index = WorkspaceIndex()
    workspace = Workspace(root=root)
    for path in walk_yaml_files(root):
        sites = index_file(path, Settings(), workspace)
        if sites is not None:
            index.put(sites)
    return index


def test_every_site_of_an_input_is_indexed_and_nothing_else(tree: Path) -> None:
    index = build(tree)
    comp = tree / "comp.yaml"
    assert set(index.files) == {
        comp,
        *(tree / "ops" / f"op{n}.yaml" for n in range(3)),
        tree / "ops" / "dag.yaml",
    }
    found = {(loc.path, loc.span.start.line) for loc in index.uses((comp, "lr", False))}
    expected = {(comp, line) for line in lines_with(COMPONENT, "{{ lr }}")}
    expected |= {(tree / "ops" / f"op{n}.yaml", 2) for n in range(3)}
    expected |= {(tree / "ops" / "dag.yaml", line) for line in lines_with(DAG, "lr: {value")}
    assert found == expected
    epochs = index.uses((comp, "epochs", False))
    assert [(loc.path.name, loc.span.start.line) for loc in epochs] == [
        ("dag.yaml", lines_with(DAG, "epochs:")[0])
    ]
    # The exact span of a param key.
    (op0,) = [loc for loc in index.uses((comp, "lr", False)) if loc.path.name == "op0.yaml"]
    assert op0.span == Span.of(2, 2, 2, 4)


def test_entries_hold_spans_only(tree: Path) -> None:
    for sites in build(tree).files.values():
        assert isinstance(sites, FileSites)
        for spans in sites.io_uses.values():
            assert all(isinstance(span, Span) for span in spans)


def test_files_are_replaced_and_removed_one_by_one(tree: Path) -> None:
    index = build(tree)
    comp = tree / "comp.yaml"
    op0 = tree / "ops" / "op0.yaml"
    op0.write_text(OPERATION.replace("  lr: {value: 0.1}\n", "  epochs: {value: 4}\n"))
    sites = index_file(op0, Settings(), Workspace(root=tree))
    assert sites is not None
    index.put(sites)
    assert op0 not in {loc.path for loc in index.uses((comp, "lr", False))}
    assert op0 in {loc.path for loc in index.uses((comp, "epochs", False))}
    index.remove(op0)
    assert op0 not in index
    assert op0 not in {loc.path for loc in index.uses((comp, "epochs", False))}
    # Files named by the caller are left to it (open documents).
    assert op0 not in index.files
    dag = tree / "ops" / "dag.yaml"
    assert dag not in {loc.path for loc in index.uses((comp, "lr", False), exclude=[dag])}


def test_no_cap_on_the_number_of_files(tmp_path: Path) -> None:
    (tmp_path / "comp.yaml").write_text(COMPONENT)
    count = 2100
    for number in range(count):
        folder = tmp_path / f"d{number // 100}"
        folder.mkdir(exist_ok=True)
        (folder / f"op{number}.yaml").write_text(OPERATION)
    index = build(tmp_path)
    assert len(index) == count + 1
    assert len(index.uses((tmp_path / "comp.yaml", "lr", False))) == count + 1


def test_the_walk_skips_hidden_and_tool_folders(tree: Path) -> None:
    names = {path.relative_to(tree).as_posix() for path in walk_yaml_files(tree)}
    assert names == {
        "comp.yaml",
        "ops/dag.yaml",
        "ops/notes.yaml",
        "ops/op0.yaml",
        "ops/op1.yaml",
        "ops/op2.yaml",
    }
    assert skipped_folder(tree, tree / "node_modules" / "op.yaml")
    assert skipped_folder(tree, tree / ".hidden" / "x" / "op.yaml")
    assert not skipped_folder(tree, tree / "ops" / "op0.yaml")


# ---------------------------------------------------------------- shared work


def test_a_component_used_by_many_files_is_checked_and_composed_once(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Path] = []
    real = Composer._check_referenced

    def counting(self: Composer, parsed: object, text: str, target: Path) -> object:
        calls.append(target)
        return real(self, parsed, text, target)

    monkeypatch.setattr(Composer, "_check_referenced", counting)
    workspace = Workspace(root=tree)
    ops = [*sorted((tree / "ops").glob("op*.yaml")), tree / "ops" / "dag.yaml"]
    for path in ops:
        analysis = analyze(path.read_text(), path, Settings(), workspace)
        assert [f.code for f in analysis.findings] == []
    assert calls == [tree / "comp.yaml"]


def test_a_changed_component_is_composed_again(tree: Path) -> None:
    workspace = Workspace(root=tree)
    op0 = tree / "ops" / "op0.yaml"
    assert analyze(OPERATION, op0, Settings(), workspace).findings == []
    comp = tree / "comp.yaml"
    comp.write_text(COMPONENT.replace("name: lr", "name: rate").replace("{{ lr }}", "{{ rate }}"))
    stat = comp.stat()
    os.utime(comp, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))
    # Polyaxon 2.18: "Input rate is required, no param was passed." (and `lr` is unknown).
    codes = sorted(f.code for f in analyze(OPERATION, op0, Settings(), workspace).findings)
    assert codes == ["PLX301", "PLX303"]


def test_a_component_in_a_chain_is_not_shared_across_a_cycle(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("kind: component\npathRef: b.yaml\n")
    (tmp_path / "b.yaml").write_text("kind: component\npathRef: a.yaml\n")
    (tmp_path / "op.yaml").write_text("kind: operation\npathRef: b.yaml\n")
    workspace = Workspace(root=tmp_path)
    for name in ("op.yaml", "a.yaml", "op.yaml"):
        path = tmp_path / name
        codes = [f.code for f in analyze(path.read_text(), path, Settings(), workspace).findings]
        assert references.REFERENCE_CYCLE.code in codes, name


# ---------------------------------------------------------------- configuration per folder


def test_the_config_finder_looks_at_each_folder_once_until_cleared(tmp_path: Path) -> None:
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    (tmp_path / ".param-lsp.toml").write_text('target-version = "2.16"\n')
    finder = ConfigFinder()
    assert finder.for_file(deep / "x.yaml") == tmp_path / ".param-lsp.toml"
    (deep / ".param-lsp.toml").write_text('target-version = "2.18"\n')
    assert finder.for_file(deep / "y.yaml") == tmp_path / ".param-lsp.toml"  # remembered
    finder.clear()
    assert finder.for_file(deep / "y.yaml") == deep / ".param-lsp.toml"
    assert finder.for_file(tmp_path / "a" / "z.yaml") == tmp_path / ".param-lsp.toml"


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        (OPERATION, True),
        (OPERATION.replace("kind: operation\n", "kind: operation\ndescription: é😀\n"), False),
        (OPERATION.replace("\n", "\r\n"), False),
    ],
)
def test_files_whose_positions_need_converting_are_marked(
    tree: Path, text: str, plain: bool
) -> None:
    path = tree / "ops" / "op0.yaml"
    path.write_bytes(text.encode())
    sites = index_file(path, Settings(), Workspace(root=tree))
    assert sites is not None and sites.plain is plain
    (span,) = sites.io_uses[(tree / "comp.yaml", "lr", False)]
    line = text.replace("\r\n", "\n").split("\n").index("  lr: {value: 0.1}")
    assert span == Span.of(line, 2, line, 4)


def test_a_rename_clash_in_an_indexed_file_is_found_without_reading_it(tree: Path) -> None:
    from param_lsp.core.span import Position
    from param_lsp.features.document import view_of
    from param_lsp.features.navigation import RenameError, rename

    # Op `b` of dag.yaml already passes `epochs`: renaming `lr` to `epochs` would clash there.
    index = build(tree)
    comp = tree / "comp.yaml"
    view = view_of(COMPONENT, comp, Settings(), Workspace(root=tree))
    declaration = Position(COMPONENT.split("\n").index("  - {name: lr, type: float}"), 12)
    uses = index.io_uses(exclude=[comp])

    def clash(io: object, new_name: str, known: set[Path]) -> object:
        return index.rename_clash(io, new_name, exclude=known)  # type: ignore[arg-type]

    def unreadable(path: Path) -> None:
        return None  # a file that had to be read would make the rename refuse differently

    with pytest.raises(RenameError, match=r"`dag\.yaml` already passes a param named `epochs`"):
        rename(view, declaration, "epochs", [], unreadable, indexed=uses, indexed_clash=clash)
    edits = rename(view, declaration, "rate", [], unreadable, indexed=uses, indexed_clash=clash)
    edited = {e.path.name if e.path else comp.name: len(e.edits) for e in edits}
    assert edited == {"comp.yaml": 2, "op0.yaml": 1, "op1.yaml": 1, "op2.yaml": 1, "dag.yaml": 2}


CORPUS = Path(os.environ.get("PARAM_LSP_CORPUS", "/work/shared/corpus/real"))


def test_one_pass_extraction_gives_each_input_the_sites_io_uses_gives(tree: Path) -> None:
    """What a file contributes to the index, made in one pass, against navigation.io_uses per
    input/output (the references of open documents), on the real corpus, the examples and a
    generated workspace."""
    from param_lsp.features.document import view_of
    from param_lsp.features.navigation import io_uses
    from param_lsp.features.sites import io_key
    from param_lsp.features.uses import all_io_sites

    examples = Path(__file__).parent.parent / "examples"
    files = [*sorted(CORPUS.rglob("*.y*ml")), *sorted(examples.rglob("*.yaml"))]
    files += sorted(tree.rglob("*.yaml"))
    checked = 0
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        view = view_of(text, path, Settings(), Workspace(root=path.parent))
        batch = all_io_sites(view, io_key)
        firsts = {}
        for site in view.index.sites():
            for io in (*site.inputs, *site.outputs):
                firsts.setdefault(io_key(io), io)
        assert set(batch) == set(firsts), path
        for key, io in firsts.items():
            assert batch[key] == io_uses(view, io), (path, key)
            checked += 1
    assert checked > 400  # 431 inputs/outputs when written
