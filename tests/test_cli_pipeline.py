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
from param_lsp.engine.analyze import analyze

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


@pytest.mark.parametrize(
    "value",
    [
        {},
        [],
        "",
        {"a": [], "b": {}},
        [[], {}, [[]]],
        {'é \u2028 \x1b " \\ \t': ["\u202e", "\ud800", 0, -12, 3.5, 1e300, None, True, False]},
        {"a": {"b": {"c": [1, [2, [3, {"d": "e"}]]]}}},
    ],
    ids=[
        "empty-dict",
        "empty-list",
        "empty-string",
        "empties",
        "nested-empties",
        "scalars",
        "deep",
    ],
)
def test_indented_writes_what_json_dumps_writes(value: object) -> None:
    assert json_report.indented(value) == json.dumps(value, indent=2, ensure_ascii=False)
    expected = json.dumps({"x": value}, indent=2, ensure_ascii=False)
    assert "{\n  " + '"x": ' + json_report.indented(value, "  ") + "\n}" == expected


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
