"""Real polyaxonfiles from public repositories other than Polyaxon's, judged by Polyaxon 2.18.0.

`tests/data/public/` holds the files verbatim under `<owner>__<repo>/<commit>/<path>` (sources and
licences in its SOURCES.md, licence texts in LICENSES/) and `verdicts.json`, Polyaxon's verdict
on each with what is expected of param-lsp: `v0` (an old-format file: exactly one PLX104 notice),
`reject` (at least one error, from `rule` on `line` when given) or `accept` (no error). Each
repository snapshot is its own workspace, so `pathRef`s resolve as they do in the repository.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest

from param_lsp.core.detect import polyaxon_kind
from param_lsp.core.findings import Severity
from param_lsp.core.settings import Settings
from param_lsp.core.workspace import Workspace
from param_lsp.engine.analyze import Analysis, analyze
from tests.licence_support import licence_file, licence_problems

DATA = Path(__file__).parent / "data" / "public"
VERDICTS: dict[str, dict[str, object]] = json.loads(
    (DATA / "verdicts.json").read_text(encoding="utf-8")
)["files"]


def _root(name: str) -> Path:
    owner_repo, commit = name.split("/")[:2]
    return DATA / owner_repo / commit


@cache
def _workspace(root: Path) -> Workspace:
    return Workspace(root=root)


def _analyze(name: str) -> Analysis:
    root = _root(name)
    path = DATA / name
    text = path.read_bytes().decode("utf-8", errors="replace")
    return analyze(text, path, Settings(root=str(root)), _workspace(root))


def _errors(analysis: Analysis) -> list[str]:
    return [
        f"{f.code} {f.span[0].line + 1}:{f.span[0].character + 1} {f.message}"
        for f in analysis.findings
        if f.severity == Severity.ERROR
    ]


@pytest.mark.parametrize("name", sorted(VERDICTS))
def test_verdict_is_polyaxons(name: str) -> None:
    verdict = VERDICTS[name]
    oracle = verdict["oracle"]
    assert isinstance(oracle, dict)
    analysis = _analyze(name)
    errors = _errors(analysis)
    expect = verdict["expect"]
    if expect == "v0":
        assert not oracle["ok"], "Polyaxon 2.x rejects every v0 file"
        assert [f.code for f in analysis.findings] == ["PLX104"], analysis.findings
    elif expect == "reject":
        assert errors, f"Polyaxon rejects it ({oracle['message']!r}); we report no error"
        rule, line = verdict.get("rule"), verdict.get("line")
        if rule is not None:
            assert any(e.startswith(f"{rule} {line}:") for e in errors), (rule, line, errors)
    else:
        assert expect == "accept"
        assert oracle["ok"] or verdict.get("reason"), "a difference needs its reason"
        assert not errors, f"Polyaxon accepts it; we report {errors}"


@pytest.mark.parametrize("name", sorted(VERDICTS))
def test_detection_picks_it(name: str) -> None:
    """A folder check (and the editor) picks every one of these files, v0 files as v0."""
    text = (DATA / name).read_bytes().decode("utf-8", errors="replace")
    expected = "v0" if VERDICTS[name]["expect"] == "v0" else "v1"
    assert polyaxon_kind(text) == expected


def test_the_set_covers_many_repositories_and_both_formats() -> None:
    repos = {str(v["repo"]) for v in VERDICTS.values()}
    expects = [v["expect"] for v in VERDICTS.values()]
    assert len(repos) >= 20 and not any(r.startswith("polyaxon/") for r in repos)
    assert expects.count("v0") >= 100 and expects.count("accept") >= 80
    assert expects.count("reject") >= 5


def test_every_file_has_its_repository_and_licence_text() -> None:
    sources = (DATA / "SOURCES.md").read_text(encoding="utf-8")
    listed = dict(re.findall(r"^\| github\.com/(\S+) \| (\S+) \(", sources, re.MULTILINE))
    rows = re.findall(r"^\| (.+?) \| (\S+) \| [0-9a-f]{40} \| .+ \| (\S+) \|$", sources, re.M)
    files = {local: (repo, licence) for local, repo, licence in rows}
    assert len(listed) >= 20 and len(files) == len(VERDICTS)
    assert {repo for repo, _ in files.values()} == set(listed)
    assert all(listed[repo] == licence for repo, licence in files.values())
    assert all(licence_file(DATA, repo).is_file() for repo in listed)
    assert all(files[name][0] == VERDICTS[name]["repo"] for name in VERDICTS)
    assert licence_problems(DATA, files) == []
