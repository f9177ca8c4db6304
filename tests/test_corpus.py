"""Verdict agreement with Polyaxon 2.18.0 on the 346 real polyaxonfiles of the shared corpus."""

from __future__ import annotations

import pytest

from tests.corpus_support import corpus_dir, judge, load_known

CORPUS = corpus_dir()
VERDICT_FILES = {"2.18": "oracle-verdicts.jsonl", "2.16": "oracle-verdicts-2.16.4.jsonl"}
pytestmark = pytest.mark.skipif(
    not (CORPUS / "oracle-verdicts.jsonl").exists(),
    reason=f"corpus not found at {CORPUS} (set PARAM_LSP_CORPUS)",
)


@pytest.mark.parametrize(
    ("version", "public_hub"), [("2.18", True), ("2.18", False), ("2.16", False)]
)
def test_corpus_verdicts_agree_with_polyaxon(version: str, public_hub: bool) -> None:
    """With the bundled hub, the files using it are judged against the verdicts Polyaxon gave
    with the hub snapshot; without it, against the offline verdicts."""
    if not (CORPUS / VERDICT_FILES[version]).exists():
        pytest.skip(f"no Polyaxon {version} verdicts in {CORPUS}")
    known = load_known()
    results = judge(CORPUS, version, public_hub)
    unexplained = [
        v for v in results if not v.agrees and not v.stricter_only and v.file not in known
    ]
    report = "\n".join(
        f"{'we reject' if v.ours_rejects else 'we accept'} {v.file}: ours={v.our_codes} "
        f"polyaxon={v.oracle_message[:200]!r}"
        for v in unexplained
    )
    assert not unexplained, f"{len(unexplained)} unexplained disagreements:\n{report}"
    stale = sorted(f for f in known if any(v.file == f and v.agrees for v in results))
    assert not stale, f"listed as known disagreements but now agree (remove them): {stale}"
    assert len(results) >= 340


def test_every_finding_lies_inside_its_own_file() -> None:
    """Problems found in other files (components, pathRefs) are reported through the reference,
    never with a range that belongs to another document."""
    from param_lsp.core.settings import Settings
    from param_lsp.core.workspace import Workspace
    from param_lsp.engine.analyze import analyze
    from tests.corpus_support import load_verdicts

    settings = Settings(root=str(CORPUS))
    workspace = Workspace(root=CORPUS)
    outside = []
    for row in load_verdicts(CORPUS):
        path = CORPUS / str(row["file"])
        text = path.read_bytes().decode("utf-8", errors="replace")
        lines = text.split("\n")
        for finding in analyze(text, path, settings, workspace).findings:
            start, end = finding.span
            if end.line >= len(lines) or end.character > len(lines[end.line]) or start > end:
                outside.append(f"{row['file']}: {finding.code} {finding.span}")
    assert not outside, "\n".join(outside)
