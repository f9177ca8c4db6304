"""References and rename with a workspace index that keeps only sites (not views) of the files
that are not open: its answers are merged in, and the files it names are read to check their
params before anything is renamed."""

from __future__ import annotations

from pathlib import Path

import pytest

from param_lsp.core.model import IODef
from param_lsp.core.settings import Settings
from param_lsp.core.span import Position
from param_lsp.core.workspace import Workspace
from param_lsp.features.document import DocumentView, view_of
from param_lsp.features.navigation import RenameError, io_uses, references, rename
from param_lsp.features.results import Location
from tests.e2e.support import COMPONENT

USER = "kind: operation\npathRef: train.yaml\nparams:\n  learning_rate: 0.1\n"
CLASHING = (
    "kind: operation\npathRef: train.yaml\n"
    "params:\n  learning_rate: 0.1\n  lr: {value: 1, contextOnly: true}\n"
)


def views(tmp_path: Path, user_text: str) -> tuple[DocumentView, DocumentView]:
    (tmp_path / "train.yaml").write_text(COMPONENT)
    (tmp_path / "user.yaml").write_text(user_text)
    settings = Settings(root=str(tmp_path))
    workspace = Workspace(root=tmp_path)
    component = view_of(COMPONENT, tmp_path / "train.yaml", settings, workspace)
    user = view_of(user_text, tmp_path / "user.yaml", settings, workspace)
    return component, user


def index_of(user: DocumentView):  # type: ignore[no-untyped-def]
    def indexed(io: IODef) -> list[Location]:
        return [Location(user.path, span) for span in io_uses(user, io)]

    return indexed


DECL = Position(COMPONENT.split("\n").index("  - name: learning_rate"), 12)


def test_index_answers_are_merged_into_references(tmp_path: Path) -> None:
    component, user = views(tmp_path, USER)
    found = references(component, DECL, [], indexed=index_of(user))
    assert Location(user.path, user.index.root.params["learning_rate"].key_node.span) in found  # type: ignore[union-attr]
    assert any(loc.path == component.path for loc in found)


def test_rename_edits_indexed_files(tmp_path: Path) -> None:
    component, user = views(tmp_path, USER)
    edits = rename(component, DECL, "lr", [], lambda path: user, indexed=index_of(user))
    by_path = {e.path: e for e in edits}
    assert user.path in by_path and [t.new_text for t in by_path[user.path].edits] == ["lr"]


def test_rename_reads_indexed_files_to_refuse_a_clash(tmp_path: Path) -> None:
    component, user = views(tmp_path, CLASHING)
    with pytest.raises(RenameError, match="already passes a param named `lr`"):
        rename(component, DECL, "lr", [], lambda path: user, indexed=index_of(user))
    with pytest.raises(RenameError, match="cannot be read"):
        rename(component, DECL, "lr", [], lambda path: None, indexed=index_of(user))
