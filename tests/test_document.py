"""Document header rules (kind, version, sections), checked against Polyaxon's verdicts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from param_lsp.core.context import CheckContext
from param_lsp.core.findings import Finding, Severity
from param_lsp.core.settings import Settings
from param_lsp.core.workspace import Workspace
from param_lsp.core.yaml_tree import YMap, parse_yaml
from param_lsp.engine.analyze import analyze
from param_lsp.rules.document import check_header
from param_lsp.rules.schema import check_schema

DATA = Path(__file__).parent / "data" / "schema"
ORACLE: dict[str, dict[str, object]] = json.loads(
    (DATA / "oracle-verdicts.json").read_text(encoding="utf-8")
)


def header(text: str, version: str = "2.18") -> tuple[str | None, CheckContext]:
    root = parse_yaml(text).root
    assert isinstance(root, YMap)
    ctx = CheckContext(Settings.from_mapping({"targetVersion": version}))
    return check_header(root, ctx), ctx


def test_unexpected_sections_each_reported_at_the_key() -> None:
    name = "unexpected_sections.yaml"
    assert ORACLE[name]["stage"] == "schema"
    assert "Unexpected section `hub_ref`" in str(ORACLE[name]["message"])
    kind, ctx = header((DATA / name).read_text(encoding="utf-8"))
    assert kind == "operation"
    got = [
        (f.code, f.span.start.line, f.span.start.character, f.span.end.character)
        for f in ctx.findings
    ]
    assert got == [("PLX102", 2, 0, 7), ("PLX102", 3, 0, 15)]
    assert ctx.findings[0].message.startswith("Unknown top-level section `hub_ref`")
    assert "Unexpected section `hub_ref` in Polyaxonfile version `1.1`" in ctx.findings[0].polyaxon
    assert "use `hubRef`" in ctx.findings[0].message
    assert "`secretResources`" in ctx.findings[1].message
    # the schema check leaves those keys to the header (no double report)
    root = parse_yaml((DATA / name).read_text(encoding="utf-8")).root
    assert isinstance(root, YMap)
    invalid = check_schema(root, ctx, where="file")
    assert len(ctx.findings) == 2
    assert invalid == {"hub_ref", "secretResources"}


def test_a_v0_kind_gets_one_notice() -> None:
    name = "unsupported_kind.yaml"
    assert ORACLE[name]["message"] == "The Polyaxonfile with kind `group` is not a supported value."
    kind, ctx = header((DATA / name).read_text(encoding="utf-8"))
    assert kind == "v0"
    [finding] = ctx.findings
    assert finding.code == "PLX104" and finding.severity == Severity.INFORMATION
    assert (finding.span.start.line, finding.span.start.character) == (0, 6)
    assert (finding.span.end.line, finding.span.end.character) == (0, 11)
    assert "kind `group` is not a supported value" in finding.polyaxon
    assert finding.message.startswith("Polyaxon v0 polyaxonfile (`kind: group`): not checked")


DOCUMENT = Path(__file__).parent / "data" / "document"
DOC_ORACLE: dict[str, dict[str, object]] = json.loads(
    (DOCUMENT / "oracle-verdicts.json").read_text(encoding="utf-8")
)


def _analyze_document(name: str) -> list[Finding]:
    path = DOCUMENT / name
    text = path.read_text(encoding="utf-8")
    return analyze(text, path, Settings(root=str(DOCUMENT)), Workspace(root=DOCUMENT)).findings


@pytest.mark.parametrize("name", sorted(n for n in DOC_ORACLE if n.startswith("v0_")))
def test_v0_files_get_exactly_one_notice(name: str) -> None:
    """Polyaxon rejects every v0 file; param-lsp says once that it is not checked."""
    assert DOC_ORACLE[name]["ok"] is False
    findings = _analyze_document(name)
    assert [(f.code, f.severity) for f in findings] == [("PLX104", Severity.INFORMATION)]
    assert "`version: 1.1`" in findings[0].message


@pytest.mark.parametrize("name", sorted(n for n in DOC_ORACLE if n.startswith("preset_")))
def test_presets_are_checked_like_polyaxon_lints_them(name: str) -> None:
    """A preset alone fails `polyaxon check` (no run: it is meant to be merged into an
    operation); `polyaxon check --lint` checks its sections' schema, and so do we."""
    findings = _analyze_document(name)
    errors = [f for f in findings if f.severity == Severity.ERROR]
    assert bool(errors) == (not DOC_ORACLE[name]["lint_ok"]), [f.message for f in findings]
    assert "PLX905" not in {f.code for f in findings}  # never told to add a run


def test_a_kind_less_v0_file_quotes_polyaxons_own_error() -> None:
    message = str(DOC_ORACLE["v0_kindless_declarations.yaml"]["message"])
    assert "declarations\n  Extra inputs are not permitted" in message
    (finding,) = _analyze_document("v0_kindless_declarations.yaml")
    assert finding.code == "PLX104"
    assert "Polyaxon: Extra inputs are not permitted" in finding.full_text


@pytest.mark.parametrize(
    ("name", "anchor", "what"),
    [
        ("v0_headerless_build_run.yaml", (0, 0, 5), "a `build` section with `image`"),
        ("v0_kindless_build_override.yaml", (3, 0, 5), "a `build` section with `build_steps`"),
        ("v0_kindless_run_override.yaml", (1, 0, 3), "a `run` section with `cmd`"),
        ("v0_kindless_project.yaml", (3, 0, 7), "a `project` section"),
    ],
)
def test_a_kind_less_v0_file_is_named_by_its_v0_section(
    name: str, anchor: tuple[int, int, int], what: str
) -> None:
    """Early 0.x files (a `project`, no `kind`), override files with a v0 `build` or `run`, and
    experiments missing their header: one notice on the v0 section, quoting Polyaxon's error."""
    (finding,) = _analyze_document(name)
    span = finding.span
    assert (span.start.line, span.start.character, span.end.character) == anchor
    assert finding.message.startswith(f"Polyaxon v0 polyaxonfile ({what}): not checked")
    assert finding.polyaxon in str(DOC_ORACLE[name]["message"])


@pytest.mark.parametrize("name", sorted(n for n in DOC_ORACLE if n.startswith("shortcut_")))
def test_root_shortcuts_create_the_run(name: str) -> None:
    """Polyaxon 2.18's root shortcuts (`container`, `cmd`, `env`, `ports`, ...) create a job (a
    service for `ports`) when nothing else defines a run; only a null one creates nothing."""
    verdict = DOC_ORACLE[name]
    errors = [f for f in _analyze_document(name) if f.severity == Severity.ERROR]
    assert bool(errors) == (not verdict["ok"]), [f.message for f in errors]
    if verdict["stage"] == "compile":
        assert [f.code for f in errors] == ["PLX905"]
        assert errors[0].polyaxon in str(verdict["message"])
    elif verdict["stage"] == "schema":
        assert [f.code for f in errors] == ["PLX118"]  # the blank `cmd`, not a missing run


def test_preset_schema_errors_are_the_lint_errors() -> None:
    lint = str(DOC_ORACLE["preset_schema_errors.yaml"]["lint_message"])
    assert "queue\n  Input should be a valid string" in lint and "dockr" in lint
    codes = sorted(f.code for f in _analyze_document("preset_schema_errors.yaml"))
    assert codes == ["PLX110", "PLX111"]


def test_an_unsupported_kind_that_is_not_v0() -> None:
    name = "kind_operations.yaml"
    expected = "The Polyaxonfile with kind `operations` is not a supported value."
    assert DOC_ORACLE[name]["message"] == expected
    [finding] = [f for f in _analyze_document(name) if f.severity == Severity.ERROR]
    assert finding.code == "PLX101" and finding.polyaxon == expected
    assert finding.message == (
        "`kind` must be `operation` or `component`; got `operations`; did you mean `operation`?"
    )


def test_version_must_be_a_number() -> None:
    name = "version_string.yaml"
    assert "valid number" in str(ORACLE[name]["message"])
    _, ctx = header((DATA / name).read_text(encoding="utf-8"))
    [finding] = ctx.findings
    assert finding.code == "PLX103"
    assert (finding.span.start.character, finding.span.end.character) == (9, 11)
    assert "must be a number" in finding.message


@pytest.mark.parametrize("name", ["ok_version_any.yaml", "ok_kindless_snake.yaml"])
def test_accepted_headers(name: str) -> None:
    assert ORACLE[name]["stage"] != "schema"
    _, ctx = header((DATA / name).read_text(encoding="utf-8"))
    assert ctx.findings == []


def test_kindless_file_returns_none() -> None:
    kind, ctx = header("hubRef: x\n")
    assert kind is None
    assert ctx.findings == []


def test_216_requires_kind_and_version() -> None:
    # Polyaxon 2.16.4: "The Polyaxonfile `kind` must be specified." (spec §3)
    kind, ctx = header("version: 1.1\nhubRef: x\n", version="2.16")
    assert kind is None
    assert [f.code for f in ctx.findings] == ["PLX100"]
    kind, ctx = header("kind: operation\nhubRef: x\nstrictParams: true\n", version="2.16")
    codes = sorted(f.code for f in ctx.findings)
    assert codes == ["PLX102", "PLX103"]  # strictParams is not a 2.16 section; version missing
    _, ctx = header("version: 1.0\nkind: operation\nhubRef: x\n", version="2.16")
    assert [f.code for f in ctx.findings] == ["PLX103"]
    assert "1.1 <= v <= 1.1" in ctx.findings[0].polyaxon
    assert ctx.findings[0].message == "`version` must be 1.1; got `1.0`; use `version: 1.1`."
