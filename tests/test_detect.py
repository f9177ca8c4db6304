"""The polyaxonfile detection rule (core/detect.py) on real foreign YAML and real polyaxonfiles.

`tests/data/foreign/` holds real non-Polyaxon YAML files from public repositories (sources and
licences in its SOURCES.md, licence texts in LICENSES/): none of them may be picked by a folder
check, the pre-commit hook or the server. Every `kind: operation|component` file of the shared
corpus must still be found.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.generate import dag, operation
from param_lsp.cli.main import main
from param_lsp.core import detect as detect_module
from param_lsp.core.detect import (
    Detection,
    detect,
    looks_like_polyaxonfile,
    polyaxon_kind,
    selected,
)
from param_lsp.core.settings import Settings
from param_lsp.core.workspace import Workspace
from param_lsp.engine.config import load_config
from param_lsp.lsp.documents import _compute
from tests.corpus_support import corpus_dir
from tests.licence_support import licence_file, licence_problems

FOREIGN = Path(__file__).parent / "data" / "foreign"
FOREIGN_FILES = sorted(p for p in FOREIGN.rglob("*") if p.suffix in (".yaml", ".yml"))
CORPUS = corpus_dir()


def test_the_foreign_set_is_large_and_varied() -> None:
    assert len(FOREIGN_FILES) >= 700
    repos = {p.relative_to(FOREIGN).parts[0] for p in FOREIGN_FILES}
    assert len(repos) >= 35
    sources = (FOREIGN / "SOURCES.md").read_text(encoding="utf-8")
    recorded = set(re.findall(r"^\| (\S+) \| `([^`]+)` \|", sources, re.MULTILINE))
    on_disk = {(p.relative_to(FOREIGN).parts[0].replace("__", "/", 1),
                "/".join(p.relative_to(FOREIGN).parts[1:])) for p in FOREIGN_FILES}  # fmt: skip
    assert on_disk == recorded


def test_every_foreign_file_has_its_repository_and_licence_text() -> None:
    sources = (FOREIGN / "SOURCES.md").read_text(encoding="utf-8")
    listed = dict(re.findall(r"^\| (\S+/\S+) \| [0-9a-f]+ \| (\S+) \| \[`LICENSES/", sources, re.M))
    rows = re.findall(r"^\| (\S+) \| `([^`]+)` \| `[0-9a-f]+` \| (\S+) \|$", sources, re.M)
    files = {f"{repo.replace('/', '__', 1)}/{path}": (repo, lic) for repo, path, lic in rows}
    assert len(listed) >= 35 and len(files) == len(FOREIGN_FILES)
    assert {repo for repo, _ in files.values()} == set(listed)
    assert all(licence_file(FOREIGN, repo).is_file() for repo in listed)
    assert licence_problems(FOREIGN, files) == []


def test_no_foreign_file_is_a_polyaxonfile() -> None:
    found = [str(p.relative_to(FOREIGN)) for p in FOREIGN_FILES
             if looks_like_polyaxonfile(p.read_text(encoding="utf-8"))]  # fmt: skip
    assert found == []


def test_folder_check_and_pre_commit_find_nothing_in_the_foreign_set(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["check", "--no-config", "--format", "json", str(FOREIGN)]) == 2
    out = json.loads(capsys.readouterr().out)
    assert out["files"] == []
    # pre-commit passes every staged YAML file with --only-polyaxonfiles
    files = [str(p) for p in FOREIGN_FILES]
    code = main(["check", "--no-config", "--only-polyaxonfiles", "--format", "json", *files])
    assert json.loads(capsys.readouterr().out)["files"] == []
    assert code == 0  # the hook lets the commit through


def test_the_server_analyses_no_foreign_file() -> None:
    workspace = Workspace(root=FOREIGN)
    eligible = [
        str(p.relative_to(FOREIGN))
        for p in FOREIGN_FILES
        if _compute(p.read_text(encoding="utf-8"), p, p.as_uri(), Settings(), workspace).eligible
    ]
    assert eligible == []


@pytest.mark.skipif(not (CORPUS / "oracle-verdicts.jsonl").exists(), reason="no corpus")
def test_every_operation_and_component_of_the_corpus_is_found() -> None:
    rows = [json.loads(line) for line in (CORPUS / "oracle-verdicts.jsonl").open()]
    kinds = re.compile(r"^kind:[ \t]*['\"]?(?:operation|component)\b", re.MULTILINE)
    files = [CORPUS / str(row["file"]) for row in rows]
    texts = {f: f.read_bytes().decode("utf-8", errors="replace") for f in files}
    v1 = [f for f, text in texts.items() if kinds.search(text)]
    assert len(v1) >= 250
    missed = [str(f) for f in v1 if polyaxon_kind(texts[f]) != "v1"]
    assert missed == []


#: Hand-written shapes seen in real repositories (the foreign set holds real ones of most),
#: shared with the VS Code extension's tests, which apply the same rule.
CASES = json.loads((Path(__file__).parent / "data" / "detect" / "cases.json").read_text("utf-8"))


@pytest.mark.parametrize("name", sorted(CASES["not_polyaxon"]))
def test_foreign_shapes_are_not_polyaxonfiles(name: str) -> None:
    assert polyaxon_kind(CASES["not_polyaxon"][name]) is None


@pytest.mark.parametrize("name", sorted(CASES["polyaxon"]))
def test_polyaxon_shapes_are_found(name: str) -> None:
    expected, text = CASES["polyaxon"][name]
    assert polyaxon_kind(text) == expected


def test_explicit_and_included_files_are_always_checked_excluded_never(tmp_path: Path) -> None:
    (tmp_path / ".param-lsp.toml").write_text(
        'include = ["pipelines/**"]\nexclude = ["vendor/"]\n', encoding="utf-8"
    )
    foreign = "stages:\n  a: {cmd: x}\n"
    ours = "kind: operation\nhubRef: x\n"
    config = load_config(tmp_path / "x.yaml")
    assert selected(foreign, tmp_path / "pipelines" / "a.yaml", config)
    assert not selected(ours, tmp_path / "vendor" / "op.yaml", config)
    assert selected(foreign, tmp_path / "vendor" / "a.yaml", config, explicit=True)


def test_the_server_honours_exclude(tmp_path: Path) -> None:
    (tmp_path / ".param-lsp.toml").write_text('exclude = ["vendor/"]\n', encoding="utf-8")
    text = "version: 1.1\nkind: operation\nhubRef: tensorboard\n"
    workspace = Workspace(root=tmp_path)
    inside = tmp_path / "vendor" / "op.yaml"
    outside = tmp_path / "op.yaml"
    assert not _compute(text, inside, inside.as_uri(), Settings(), workspace).eligible
    assert _compute(text, outside, outside.as_uri(), Settings(), workspace).eligible


@pytest.mark.parametrize(
    "text",
    [
        "a" + " " * 200_000 + "b\n",
        "run:\n  x" + " \t" * 100_000 + "\n",
        "component: {" + "run: {" * 40_000,
        "kind: operation\n" + "a:" * 100_000 + "\n",
    ],
)
def test_hostile_lines_are_read_in_linear_time(text: str) -> None:
    import time

    started = time.perf_counter()
    polyaxon_kind(text)
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{name: train, run: {kind: job, container: {image: python}}}\n", "v1"),
        ("{name: sweep, matrix: {kind: grid, params: {}}, hubRef: tensorboard}\n", "v1"),
        ("{name: x, run: {kind: deploy}}\n", None),
        ("{name: x, steps: [], run: {kind: job}}\n", None),
        ("{name: x, spec: {kind: component}}\n", None),
        ("{run: {kind: job}, kind: operation, params: {\n", "v1"),
    ],
    ids=[
        "runtime",
        "matrix-and-hubref",
        "foreign-run-kind",
        "foreign-key",
        "nested-kind-only",
        "top-kind-after-a-nested-one-half-typed",
    ],
)
def test_a_flow_document_without_kind_follows_the_kind_less_rule(
    text: str, expected: str | None
) -> None:
    # Composed like a block document's top level: every key a Polyaxon section plus a marker.
    assert polyaxon_kind(text) == expected


# ------------------------------------------------------------ a new version of an open document

_INNER_EDITS = ("  ", "x", "\n  y: 1", "# note", "\n", "\n# c\n", "{{ a }}", ":")
_TOP_EDITS = (
    "\napiVersion: v1\n",
    "\nkind: component\n",
    "\nkind: ",
    "\n---\n",
    "\n- x\n",
    "\nstages: []\n",
    "\nrun:\n  kind: job\n",
    "\nhubRef: x\n",
    "\n%YAML 1.1\n",
    "k",
)


def _edits(text: str, rng: random.Random, count: int) -> Iterator[str]:
    for _ in range(count):
        where = rng.randrange(len(text) + 1)
        if rng.random() < 0.3:
            text = text[:where] + text[where + rng.randint(1, 8) :]
        else:
            snippets = _INNER_EDITS if rng.random() < 0.7 else _TOP_EDITS
            text = text[:where] + rng.choice(snippets) + text[where:]
        yield text


def test_detection_of_each_new_version_equals_a_fresh_detection() -> None:
    """`detect` given the previous version's detection decides every version as the rule
    does from scratch, whatever the edit (indented lines, top-level keys, markers)."""
    rng = random.Random(7)
    texts = [operation(60), dag(5), "# c\n\nkind: operation\nrun:\n  kind: job\n"]
    if CORPUS is not None:
        texts += [
            p.read_text(encoding="utf-8") for p in rng.sample(sorted(CORPUS.rglob("*.y*ml")), 40)
        ]
    kept = 0
    for text in texts:
        found = detect(text)
        for edited in _edits(text, rng, 30):
            again = detect(edited, found)
            assert again.kind == polyaxon_kind(edited), edited
            kept += again.by_top_level and found.by_top_level and again.kind == found.kind
            found = again
    assert kept > 100


def test_an_edit_inside_indented_lines_is_decided_without_reading_the_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = operation(200)
    first = detect(text)
    assert (first.kind, first.by_top_level) == ("v1", True)
    at = text.index("    value: 0.5\n") + len("    value: 0.")
    edited = text[:at] + "7" + text[at + 1 :]

    def unread(_text: str) -> None:
        raise AssertionError("the text was read again")

    monkeypatch.setattr(detect_module, "_top_level", unread)
    assert detect(edited, first) == Detection(edited, "v1", True)
    # a top-level line is read again
    with pytest.raises(AssertionError, match="read again"):
        detect(
            "version: 1.1\n" + edited[len("version: 1.1\n") :].replace("name:", "nam:", 1), first
        )
