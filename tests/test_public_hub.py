"""The public hub checked offline: the bundled facts, hubRef resolution and Polyaxon's verdicts
with the hub snapshot (`oracle-verdicts-hub.jsonl`, Polyaxon 2.18.0 run with `--hub-dir`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from param_lsp.core import public_hub
from param_lsp.core.findings import Severity
from param_lsp.core.settings import Settings
from param_lsp.core.workspace import Workspace
from param_lsp.engine.analyze import analyze
from tests.corpus_support import (
    HUB_VERDICTS,
    corpus_dir,
    corpus_settings,
    expected_rejects,
    load_verdicts,
)

CORPUS = corpus_dir()
HUB_DIR = Path(os.environ.get("PARAM_LSP_HUB", CORPUS.parent.parent / "hub"))
ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "param_lsp" / "data" / "public_hub.json"


def _codes(text: str, **settings: object) -> list[tuple[str, str]]:
    analysis = analyze(text, None, Settings(**settings))  # type: ignore[arg-type]
    return [(f.code, f.message) for f in analysis.findings]


@pytest.mark.skipif(not (CORPUS / HUB_VERDICTS).exists(), reason=f"no {HUB_VERDICTS} in {CORPUS}")
def test_all_fully_checkable_hub_files_agree_with_polyaxon() -> None:
    rows = [row for row in load_verdicts(CORPUS, HUB_VERDICTS) if row["complete"]]
    settings = corpus_settings(CORPUS)
    workspace = Workspace(root=CORPUS)
    disagreements, unresolved, rejected = [], [], 0
    for row in rows:
        path = CORPUS / str(row["file"])
        analysis = analyze(path.read_text(encoding="utf-8"), path, settings, workspace)
        ours = any(f.severity == Severity.ERROR for f in analysis.findings)
        expected = expected_rejects(row)
        rejected += expected
        if ours != expected:
            disagreements.append(f"{row['file']}: polyaxon={row['message']!r:.200}")
        # Files Polyaxon rejected before resolving their refs count as complete too; what must
        # hold is that no hub component of the snapshot is left unresolved.
        for finding in analysis.findings:
            ref = finding.message.split("`")[1] if finding.code == "PLX904" else ""
            if finding.message.startswith("hubRef") and public_hub.facts(ref) is not None:
                unresolved.append(f"{row['file']}: {ref}")
    assert (len(rows), rejected) == (57, 24)
    assert not disagreements, "\n".join(disagreements)
    assert not unresolved, f"not checked offline: {unresolved}"


def test_bundled_facts_hold_no_descriptions_and_carry_the_attribution() -> None:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    assert "Apache" in data["attribution"] and data["license"] == "Apache-2.0"
    for versions in data["components"].values():
        for fact in versions.values():
            ios = [*fact.get("inputs", []), *fact.get("outputs", [])]
            assert "description" not in fact and all("description" not in io for io in ios)
    kaniko = data["components"]["kaniko"]["latest"]
    assert kaniko["runKind"] == "job"
    assert [io["name"] for io in kaniko["inputs"]] == ["context", "cache", "cache_ttl"]


@pytest.mark.skipif(not HUB_DIR.is_dir(), reason=f"hub snapshot not found at {HUB_DIR}")
def test_bundled_facts_are_what_the_script_extracts(tmp_path: Path) -> None:
    out = tmp_path / "hub.json"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "extract_hub.py"), str(HUB_DIR), str(out)],
        check=True,
        capture_output=True,
    )
    assert out.read_text(encoding="utf-8") == DATA.read_text(encoding="utf-8")


def test_hub_param_checked_like_a_path_ref() -> None:
    # Polyaxon 2.18.0 with the hub snapshot: "Could not parse value `maybe` for `cache` ...".
    codes = _codes("kind: operation\nhubRef: kaniko\nparams:\n  cache: {value: maybe}\n")
    assert [c for c, _ in codes] == ["PLX302"]
    assert "cache" in codes[0][1]


def test_hub_tag_is_looked_up() -> None:
    # Polyaxon with the snapshot: "Input path is required, no param was passed."
    codes = _codes("kind: operation\nhubRef: tensorboard:path\nparams:\n  pathh: {value: a}\n")
    assert [c for c, _ in codes] == ["PLX301", "PLX303"]
    # ... and, without any params, "The Polyaxonfile has non optional inputs/outputs, ..."
    assert [c for c, _ in _codes("kind: operation\nhubRef: tensorboard:path\n")] == ["PLX300"]


def test_misspelt_hub_name_gets_a_did_you_mean() -> None:
    codes = _codes("kind: operation\nhubRef: dokerizer\n")
    assert codes[0][0] == "PLX907" and "`dockerizer`" in codes[0][1]
    analysis = analyze("kind: operation\nhubRef: dokerizer\n")
    assert [fix.new_text for fix in analysis.findings[0].fixes] == ["dockerizer"]


def test_names_the_snapshot_lacks_keep_the_information_note() -> None:
    for ref in ("slack", "org/mycomponent:v1.1"):
        codes = _codes(f"kind: operation\nhubRef: {ref}\n")
        assert [c for c, _ in codes] == ["PLX904"], ref
    codes = _codes("kind: operation\nhubRef: tensorboard:multi-run\n")
    assert [c for c, _ in codes] == ["PLX904"] and "`multi-runs`" in codes[0][1]


def test_hub_map_wins_and_the_bundled_hub_can_be_turned_off(tmp_path: Path) -> None:
    (tmp_path / "k.yaml").write_text(
        "kind: component\ninputs: [{name: other, type: int}]\nrun: {kind: job}\n", "utf-8"
    )
    text = "kind: operation\nhubRef: kaniko\nparams:\n  other: {value: x}\n"
    mapped = analyze(text, tmp_path / "op.yaml", Settings(hub_map={"kaniko": "k.yaml"}))
    assert [f.code for f in mapped.findings] == ["PLX302"]  # against the mapped file
    off = analyze(text, tmp_path / "op.yaml", Settings(public_hub=False))
    assert [f.code for f in off.findings] == ["PLX904"]


def test_hub_inputs_have_no_file_to_point_at() -> None:
    analysis = analyze("kind: operation\nhubRef: tensorboard:path\n")
    assert all(not r.path for f in analysis.findings for r in f.related)
    root = public_hub.component("kaniko")
    assert root is not None and public_hub.is_virtual(public_hub.virtual_path("kaniko"))


def test_editor_features_use_the_hub_component_without_a_file() -> None:
    from param_lsp.core.span import Position
    from param_lsp.features import completion, hover, navigation
    from param_lsp.features.document import view_of

    view = view_of("kind: operation\nhubRef: kaniko\nparams:\n  cache: {value: true}\n  \n")
    assert [item.label for item in completion.complete(view, Position(4, 2))] == [
        "context",
        "cache_ttl",
        "destination",
    ]
    shown = hover.hover(view, Position(3, 3))
    assert shown is not None and "`kaniko:latest` (Polyaxon public hub)" in shown.markdown
    assert navigation.definition(view, Position(3, 3)) == []  # nothing to jump to


def test_hub_ref_completion_offers_the_hub_map_first_then_the_public_hub() -> None:
    from param_lsp.core.span import Position
    from param_lsp.features.completion import complete
    from param_lsp.features.document import view_of

    text = "kind: operation\nhubRef: \n"
    mapped = Settings(hub_map={"acme/trainer:v2": "components/trainer.yaml"})
    labels = [item.label for item in complete(view_of(text, None, mapped), Position(1, 8))]
    assert labels[0] == "acme/trainer:v2"
    assert {"tensorboard", "tensorboard:multi-runs", "kaniko"} <= set(labels)
    off = Settings(hub_map={"acme/trainer:v2": "t.yaml"}, public_hub=False)
    assert [item.label for item in complete(view_of(text, None, off), Position(1, 8))] == [
        "acme/trainer:v2"
    ]
