"""`param-lsp check` on many files: results streamed (the documents are byte for byte those of
the whole-list reporters) and a process pool that keeps the output order."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from param_lsp.cli.main import main
from param_lsp.cli.reporters import json_report, sarif
from param_lsp.cli.results import FileResult
from param_lsp.core.findings import Finding, Severity
from param_lsp.core.span import Span
from param_lsp.engine.analyze import analyze
from tests.corpus_support import corpus_dir

COMPONENT = (
    "kind: component\ninputs:\n  - {name: lr, type: float}\n"
    "run: {kind: job, container: {image: python:3.11}}\n"
)


def folder_of_files(root: Path, count: int) -> None:
    (root / ".git").mkdir()  # the project root: `../comp.yaml` is inside it
    (root / "comp.yaml").write_text(COMPONENT)
    for number in range(count):
        sub = root / f"g{number % 7}"
        sub.mkdir(exist_ok=True)
        # Every fifth file sets an unknown param (PLX303), every seventh misses `lr` (PLX301).
        params = "  lr: {value: 0.1}\n" if number % 7 else "  other: 1\n"
        if number % 5 == 0:
            params += "  extra: {value: 2}\n"
        (sub / f"op{number:03d}.yaml").write_text(
            f"kind: operation\nparams:\n{params}pathRef: ../comp.yaml\n"
        )


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["check", "--no-config", *args])
    return code, capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["json", "text", "sarif", "github"])
def test_two_workers_write_what_one_process_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    folder_of_files(tmp_path, 120)
    one = run(capsys, "--format", fmt, "-j", "1", str(tmp_path))
    two = run(capsys, "--format", fmt, "-j", "2", str(tmp_path))
    assert one == two
    assert one[0] == 1
    if fmt == "json":
        files = json.loads(one[1])["files"]
        assert len(files) == 121
        assert [f["path"] for f in files] == sorted(
            (f["path"] for f in files), key=lambda p: (p.count("/"), p)
        )
        codes = [sorted(d["code"] for d in f["diagnostics"]) for f in files[1:]]
        expected = []
        for number in range(120):
            want = ["PLX301", "PLX303"] if number % 7 == 0 else []
            if number % 5 == 0:
                want = sorted([*want, "PLX303"])
            expected.append((number % 7, f"op{number:03d}", want))
        assert codes == [want for _, _, want in sorted(expected)]


def results_of(root: Path) -> list[FileResult]:
    out = []
    for path in sorted(root.rglob("*.yaml")):
        text = path.read_text()
        out.append(FileResult(str(path), text, analyze(text, path).findings))
    return out


def _edge_results() -> list[FileResult]:
    """Results of every shape: no findings, findings with and without Polyaxon's words,
    characters JSON escapes, lines editors break differently, no text (an unread file)."""
    at = Span.of(0, 2, 1, 0)
    return [
        FileResult("clean.yaml", "a: 1\n", []),
        FileResult(
            'd\u00e9j\u00e0 "q" \\ \x1b\udcff.yaml',
            "kind: x\u2028y\r\nz: \u00e9\n",
            [
                Finding("PLX001", 'Key `\u00e9` "x" \\ \t \u2028 \ud800', at),
                Finding(
                    "PLX002", "second", Span.of(1, 1, 1, 2), Severity.WARNING, polyaxon="\u202e!"
                ),
                Finding("PLX003", "", Span.of(5, 0, 9, 99), Severity.HINT, polyaxon=""),
            ],
        ),
        FileResult("unread.yaml", None, [Finding("PLX009", "too large", at, Severity.INFORMATION)]),
    ]


def test_each_entry_is_the_text_json_dumps_writes() -> None:
    for result in _edge_results():
        whole = json.dumps(json_report.to_json([result]), indent=2, ensure_ascii=False)
        streamed = io.StringIO()
        json_report.report([result], streamed)
        assert streamed.getvalue() == whole + "\n"


@pytest.mark.skipif(not corpus_dir().is_dir(), reason="real corpus not found")
def test_the_real_corpus_report_is_the_text_json_dumps_writes() -> None:
    root = corpus_dir()
    results = [
        FileResult(str(path), text, analyze(text, path).findings)
        for path in sorted(root.rglob("*.y*ml"))
        for text in [path.read_text(errors="replace")]
    ]
    assert sum(len(result.findings) for result in results) > 100
    streamed = io.StringIO()
    json_report.report(results, streamed)
    whole = json.dumps(json_report.to_json(results), indent=2, ensure_ascii=False)
    assert streamed.getvalue() == whole + "\n"


@pytest.mark.parametrize("count", [0, 1, 6])
def test_streamed_documents_are_the_whole_documents(tmp_path: Path, count: int) -> None:
    folder_of_files(tmp_path, count)
    results = results_of(tmp_path)[: max(count, 0)] if count else []
    streamed = io.StringIO()
    json_report.report(iter(results), streamed)
    assert (
        streamed.getvalue()
        == json.dumps(json_report.to_json(results), indent=2, ensure_ascii=False) + "\n"
    )
    streamed = io.StringIO()
    sarif.report(iter(results), streamed, base=tmp_path)
    whole = json.dumps(sarif.to_sarif(results, tmp_path), indent=2, ensure_ascii=False) + "\n"
    assert streamed.getvalue() == whole
    assert json.loads(whole)["runs"][0]["results"] or not any(r.findings for r in results)
