"""Hostile input: what a cloned repository or a 200-byte file can do must stay bounded.

Each test states the bound (time, size of the output) that a pathological input used to break.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.lsp_client import RawClient
from param_lsp.core.settings import Settings
from param_lsp.core.template_scan import has_template, template_span
from param_lsp.core.workspace import Workspace
from param_lsp.engine.analyze import analyze
from param_lsp.lsp.documents import DocumentStore

#: The pattern Polyaxon searches values with; the scanner must give exactly its answers.
POLYAXON_TEMPLATE = re.compile(r"{{\s*(.+)\s*}}")


def _reference_span(text: str) -> tuple[int, int] | None:
    match = POLYAXON_TEMPLATE.search(text)
    return match.span(1) if match else None


# ---------------------------------------------------------------- the template scanner


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="{} \n\t\x0b\x85ab.", max_size=24))
def test_template_scanner_agrees_with_polyaxon_regex(text: str) -> None:
    assert template_span(text) == _reference_span(text)
    assert has_template(text) == (_reference_span(text) is not None)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["{{", "}}", " ", "\n", "inputs.x", " | default('a')", "{", "}", "\t"]),
        max_size=12,
    ).map("".join)
)
def test_template_scanner_agrees_on_template_like_values(text: str) -> None:
    assert template_span(text) == _reference_span(text)


def test_template_scanner_agrees_on_every_short_string() -> None:
    import itertools

    for size in range(7):
        for chars in itertools.product("{} \na", repeat=size):
            text = "".join(chars)
            assert template_span(text) == _reference_span(text), repr(text)


def _seconds(func: object, *args: object) -> float:
    """CPU seconds of ``func(*args)`` (other processes on the machine do not count)."""
    started = time.process_time()
    func(*args)  # type: ignore[operator]
    return time.process_time() - started


def test_template_scanner_is_linear_on_an_unclosed_brace() -> None:
    # The regex takes ~1 s on 1,000 spaces and ~65 s on 8,000 (cubic); the scan, microseconds.
    for text in (
        "{{" + " " * 200_000,
        "{{" + " \n" * 100_000 + "}",
        "{{ a" * 50_000,
        "{{{{" * 50_000,
        "{{" + " " * 100_000 + "\n" * 100_000 + "}}",
    ):
        assert _seconds(template_span, text) < 1.0


def test_document_with_an_unclosed_template_and_many_spaces_is_analysed_quickly() -> None:
    text = "kind: operation\nname: '{{" + " " * 20_000 + "'\nrun: {kind: job}\n"
    started = time.process_time()
    analysis = analyze(text)
    assert time.process_time() - started < 5
    assert analysis.root is not None


# ---------------------------------------------------------------- validation.regex

DATA = Path(__file__).parent / "data" / "hostile"
ORACLE = json.loads((DATA / "oracle.json").read_text())

REGEX_OPERATION = """\
kind: operation
params:
  tag: {{value: "{value}"}}
component:
  inputs: [{{name: tag, type: str, validation: {{regex: '^(a+)+$'}}}}]
  run: {{kind: job, container: {{image: x}}}}
"""


def test_catastrophic_regex_is_stopped_with_an_honest_warning() -> None:
    # Polyaxon runs this match for hours (2^34 backtracking steps); the check is bounded.
    text = REGEX_OPERATION.format(value="a" * 34 + "!")
    started = time.perf_counter()
    analysis = analyze(text)
    assert time.perf_counter() - started < 5
    found = [f for f in analysis.findings if f.code == "PLX309"]
    assert len(found) == 1, [(f.code, f.message) for f in analysis.findings]
    assert "^(a+)+$" in found[0].message and "`tag`" in found[0].message
    assert (found[0].span.start.line, found[0].span.start.character) == (2, 15)
    assert not [f for f in analysis.findings if f.code == "PLX302"]
    # the answer is remembered: the next analysis (an editor's next keystroke) does not wait
    from param_lsp.core import regex_guard

    def not_again(*args: Any) -> None:
        raise AssertionError("the match ran again")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(regex_guard._Worker, "_ask", not_again)
        assert [f.code for f in analyze(text).findings] == ["PLX309"]


def test_backtracking_regex_that_finishes_gives_polyaxons_verdict() -> None:
    name = "regex_backtracking_short.yaml"
    verdict = ORACLE[name]
    analysis = analyze((DATA / name).read_text())
    errors = [f for f in analysis.findings if f.severity.label == "error"]
    assert not verdict["ok"] and len(errors) == 1
    assert errors[0].code == "PLX302"
    assert errors[0].polyaxon == verdict["message"]  # Polyaxon's own wording, kept beside ours


def test_regex_guard_keeps_re_semantics() -> None:
    from param_lsp.core.regex_guard import RegexTimeout, regex_match

    assert regex_match(r"^[a-z]+\d*$", "abc12") is True
    assert regex_match(r"(x+x+)+y", "xxxxy") is True
    assert regex_match(r"(x+x+)+y", "xxxx") is False
    with pytest.raises(re.error):
        regex_match("(", "a")
    with pytest.raises(TypeError):
        regex_match("a+", 5)
    with pytest.raises(RegexTimeout):
        regex_match(r"^(a|aa)+$", "a" * 60 + "!")


# ---------------------------------------------------------------- special files


@pytest.fixture()
def fifo(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    yield path
    # Unblock a reader that a regression left waiting on the pipe.
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)


def _finishes(func: Any, *args: Any, seconds: float = 5.0) -> Any:
    """``func(*args)`` in a thread; fails (instead of hanging the suite) if it blocks."""
    box: list[Any] = []
    worker = threading.Thread(target=lambda: box.append(func(*args)), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"{func.__name__} blocked"
    return box[0]


def test_safe_read_refuses_fifos_devices_and_oversize_files(tmp_path: Path, fifo: Path) -> None:
    from param_lsp.core.safe_read import read_file

    assert _finishes(read_file, fifo, 1000).error == "not-a-file"
    zero = tmp_path / "zero.yaml"
    zero.symlink_to("/dev/zero")
    assert _finishes(read_file, zero, 1000).error == "not-a-file"
    big = tmp_path / "big.yaml"
    with big.open("wb") as handle:
        handle.truncate(50_000_000)  # sparse: nothing is written, nothing must be read
    assert read_file(big, 1000).error == "too-large"
    assert read_file(tmp_path / "nope.yaml", 1000).error == "missing"
    small = tmp_path / "ok.yaml"
    small.write_text("a: 1\n")
    assert read_file(small, 1000).data == b"a: 1\n"


def test_workspace_scan_and_reindex_skip_special_files(tmp_path: Path, fifo: Path) -> None:
    from param_lsp.lsp.indexing import Indexer

    store = DocumentStore(lambda uri: None, lambda *a: None, lambda *a: None)
    store.configure(Settings(), 0.0, tmp_path)
    indexer = Indexer(store)
    zero = tmp_path / "zero.yaml"
    zero.symlink_to("/dev/zero")
    (tmp_path / "op.yaml").write_text("kind: operation\nrun: {kind: job}\n")
    files = indexer.candidates_of([tmp_path])
    assert {p.name for p in files} == {"pipe.yaml", "op.yaml"}  # /dev/zero is outside
    assert _finishes(indexer.index_paths, [fifo]) == [(fifo, None)]
    assert _finishes(indexer.index_paths, [zero]) == [(zero, None)]
    ((_, sites),) = _finishes(indexer.index_paths, [tmp_path / "op.yaml"])
    assert sites is not None


def test_workspace_scan_never_follows_links_out(tmp_path: Path) -> None:
    from param_lsp.lsp.indexing import Indexer

    store = DocumentStore(lambda uri: None, lambda *a: None, lambda *a: None)
    root, outside = tmp_path / "ws", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (outside / "victim.yaml").write_text("kind: component\nrun: {kind: job}\n")
    (root / "link.yaml").symlink_to(outside / "victim.yaml")
    (root / "linked-folder").symlink_to(outside, target_is_directory=True)
    (root / "own.yaml").write_text("kind: operation\n")
    store.configure(Settings(), 0.0, root)
    assert [p.name for p in Indexer(store).candidates_of([root])] == ["own.yaml"]


def test_workspace_read_checks_the_opened_file_not_the_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A symlink switched between the check and the read must not leak outside content."""
    root = tmp_path / "ws"
    root.mkdir()
    secret = tmp_path / "secret.yaml"
    secret.write_text("kind: component\nSECRET-LINE: [\n")
    (root / "c.yaml").symlink_to(secret)
    # The name check passes (as it would just before the link is switched).
    monkeypatch.setattr(Workspace, "allowed", lambda self, path, by=None: True)
    result = Workspace(root=root).read(root / "c.yaml", by=root / "op.yaml")
    assert result.error == "outside" and result.text is None


def test_cli_folder_with_special_files_finishes(tmp_path: Path, fifo: Path) -> None:
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    (tmp_path / "op.yaml").write_text("kind: operation\nrun: {kind: job, container: {image: x}}\n")
    done = subprocess.run(
        [sys.executable, "-m", "param_lsp", "check", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "1 file checked" in done.stdout
    named = subprocess.run(
        [sys.executable, "-m", "param_lsp", "check", str(fifo)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert named.returncode == 2
    assert "not a regular file" in named.stderr


def test_cli_never_reads_past_the_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as handle:
        handle.truncate(400_000_000)  # sparse; reading it whole took 1.6 GB of memory
    code = (
        "import resource, sys; from param_lsp.cli.main import main; rc = main(sys.argv[1:]); "
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss); sys.exit(rc)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "check", "--format", "json", str(big)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1, done.stderr
    *report, rss_kb = done.stdout.strip().splitlines()
    assert int(rss_kb) < 200_000
    diagnostics = json.loads("\n".join(report))["files"][0]["diagnostics"]
    assert [d["code"] for d in diagnostics] == ["PLX005"]
    assert "400,000,000 bytes" in diagnostics[0]["message"]


def test_cli_reports_files_and_folders_it_cannot_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from param_lsp.cli.main import main

    (tmp_path / "loop.yaml").symlink_to(tmp_path / "loop.yaml")  # ELOOP: cannot be opened
    (tmp_path / "locked").mkdir()
    real_scandir = os.scandir

    def scandir(path: Any = ".") -> Any:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert main(["check", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "loop.yaml" in err and "locked" in err and "Permission denied" in err


# ---------------------------------------------------------------- confinement


def test_without_a_root_a_file_reads_only_inside_its_repository(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "sub").mkdir()
    (repo / "c.yaml").write_text("kind: component\nrun: {kind: job}\n")
    secret = tmp_path / "shadow.yaml"
    secret.write_text("root:SECRET-HASH:19000:0:99999:7:::\n")
    space = Workspace(root=None)  # an editor in single-file mode gave no root
    op = repo / "sub" / "op.yaml"
    leaked = analyze("kind: operation\npathRef: ../../shadow.yaml\n", op, Settings(), space)
    assert [f.code for f in leaked.findings] == ["PLX903"]
    assert all("SECRET" not in f.message for f in leaked.findings)
    inside = analyze("kind: operation\npathRef: ../c.yaml\n", op, Settings(), space)
    assert "PLX903" not in [f.code for f in inside.findings]
    # outside any repository: the document's own folder
    lone = tmp_path / "lone"
    lone.mkdir()
    alone = analyze(
        "kind: operation\npathRef: ../shadow.yaml\n", lone / "op.yaml", Settings(), space
    )
    assert [f.code for f in alone.findings] == ["PLX903"]


def test_every_workspace_folder_is_a_root(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (second / "c.yaml").write_text("kind: component\nrun: {kind: job}\n")
    space = Workspace(root=first, extra_roots=(second,))
    analysis = analyze("kind: operation\npathRef: c.yaml\n", second / "op.yaml", Settings(), space)
    assert "PLX903" not in [f.code for f in analysis.findings]
    assert not space.allowed(tmp_path / "other.yaml")


def test_links_and_definitions_never_look_outside(tmp_path: Path) -> None:
    from param_lsp.core.span import Position
    from param_lsp.features.document import view_of
    from param_lsp.features.navigation import definition
    from param_lsp.features.outline import document_links

    root = tmp_path / "ws"
    root.mkdir()
    (tmp_path / "exists.yaml").write_text("kind: component\n")
    (root / "c.yaml").write_text("kind: component\nrun: {kind: job}\n")
    space = Workspace(root=root)
    text = "kind: operation\npathRef: ../exists.yaml\n"
    view = view_of(text, root / "op.yaml", Settings(), space)
    looked: list[Path] = []

    def allowed(path: Path) -> bool:
        looked.append(path)
        return space.allowed(path)

    assert document_links(view, allowed) == []
    assert definition(view, Position(1, 12), allowed) == []
    assert looked  # asked before any look at the file
    inside = view_of("kind: operation\npathRef: c.yaml\n", root / "op.yaml", Settings(), space)
    assert [link.target.name for link in document_links(inside, space.allowed)] == ["c.yaml"]


def test_configuration_search_stops_at_the_repository_root(tmp_path: Path) -> None:
    from param_lsp.engine.config import find_config_file, load_settings

    (tmp_path / ".param-lsp.toml").write_text('[severity]\nPLX303 = "off"\n')
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "pipelines").mkdir()
    op = repo / "pipelines" / "op.yaml"
    assert find_config_file(op) is None
    assert load_settings(op).severity == {}
    # a workspace root stops it too
    work = tmp_path / "work"
    (work / "x").mkdir(parents=True)
    assert find_config_file(work / "x" / "op.yaml", stop=work) is None
    assert find_config_file(work / "x" / "op.yaml") == tmp_path / ".param-lsp.toml"


# ---------------------------------------------------------------- configuration values


@pytest.mark.parametrize(
    ("content", "key"),
    [
        ('[hub-map]\n"acme/t:v1" = "a\\u0000b"\n', "hub-map.acme/t:v1"),
        ('[url-map]\n"https://x/" = "a\\u0000b"\n', "url-map.https://x/"),
        ('[url-map]\n"https://x/" = 3\n', "url-map.https://x/"),
        ("x = " + "[" * 5000 + "]" * 5000 + "\n", "nest too deeply"),
    ],
    ids=["nul-in-hub-map", "nul-in-url-map", "number-in-url-map", "deep-array"],
)
def test_bad_configuration_values_are_usage_errors(tmp_path: Path, content: str, key: str) -> None:
    (tmp_path / ".param-lsp.toml").write_text(content)
    (tmp_path / "op.yaml").write_text("kind: operation\nrun: {kind: job, container: {image: x}}\n")
    done = subprocess.run(
        [sys.executable, "-m", "param_lsp", "check", str(tmp_path / "op.yaml")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert ".param-lsp.toml" in done.stderr and key in done.stderr


# ---------------------------------------------------------------- cost stays near-linear


def test_over_size_document_gets_no_recovery_parse() -> None:
    from param_lsp.core.workspace import MAX_FILE_BYTES
    from param_lsp.features.document import recover_analysis

    text = "kind: operation\nparams:\n" + "  p: 1\n" * (MAX_FILE_BYTES // 7) + "  q: [\n"
    assert len(text) > MAX_FILE_BYTES
    started = time.process_time()
    assert recover_analysis(text, None, Settings(), None) is None
    assert time.process_time() - started < 0.5  # a whole compose alone takes seconds


def _operation(params: int, inputs: int, suffix: str = "") -> str:
    return (
        "kind: operation\nparams:\n"
        + "".join(f"  q{i:05d}{suffix}: {i}\n" for i in range(params))
        + "component:\n  inputs:\n"
        + "".join(f"  - {{name: q{i:05d}, type: int}}\n" for i in range(inputs))
        + "  run: {kind: job, container: {image: x}}\n"
    )


def test_inlay_hints_are_linear() -> None:
    from param_lsp.core.span import Span
    from param_lsp.features.document import view_of
    from param_lsp.features.outline import inlay_hints

    view = view_of(_operation(12_000, 12_000))
    started = time.process_time()
    hints = inlay_hints(view, Span.of(0, 0, 10**9, 0))
    assert time.process_time() - started < 0.5  # 12,000 x 12,000 lookups took ~1.5 s
    assert len(hints) == 12_000 and hints[-1].label == ": int"


def test_did_you_mean_over_thousands_of_misspelt_params_is_bounded() -> None:
    started = time.process_time()
    analysis = analyze(_operation(3000, 3000, suffix="x"))
    assert time.process_time() - started < 10  # every pair compared: ~50 s
    unknown = [f for f in analysis.findings if f.code == "PLX303"]
    assert len(unknown) == 3000
    assert unknown[-1].message.endswith("did you mean `q02999`?")


def test_misspelt_template_names_among_thousands_are_bounded() -> None:
    size = 2000
    text = (
        "kind: operation\ncomponent:\n  inputs:\n"
        + "".join(f"  - {{name: q{i:05d}, type: int, isOptional: true}}\n" for i in range(size))
        + "  run:\n    kind: job\n    container:\n      image: x\n      args:\n"
        + "".join(f"      - '{{{{ q{i:05d}x }}}}'\n" for i in range(size))
    )
    started = time.process_time()
    analysis = analyze(text)
    assert time.process_time() - started < 5  # ~25 s: each name sorted and compared with all
    unknown = [
        f for f in analysis.findings if "is not defined in this template context" in f.message
    ]
    assert len(unknown) == size and unknown[-1].message.endswith("did you mean `q01999`?")


def test_did_you_mean_still_finds_slips_at_either_end_among_many() -> None:
    from param_lsp.core.names import did_you_mean

    names = tuple(f"param_{i}" for i in range(5000))
    assert did_you_mean("parma_4321", names) == "param_4321"
    assert did_you_mean("param_4321x", names) == "param_4321"
    assert did_you_mean("zzzzzzzzzz", names) is None


def test_dag_cycle_and_orphan_messages_stay_short() -> None:
    size = 1000
    ops = "".join(
        f"    - {{name: op{i}, dependencies: [op{(i - 1) % size}], hubRef: x}}\n"
        for i in range(size)
    )
    orphans = "".join(
        f"    - {{name: o{i}, dependencies: [gone{i}], hubRef: x}}\n" for i in range(size)
    )
    text = "kind: operation\ncomponent:\n  run:\n    kind: dag\n    operations:\n" + ops + orphans
    started = time.process_time()
    analysis = analyze(text)
    assert time.process_time() - started < 10  # 2,000 ops: ~7 s and 100 MB of messages before
    cycles = [f for f in analysis.findings if f.code == "PLX510"]
    orphan = [f for f in analysis.findings if f.code == "PLX509"]
    assert len(cycles) == size and len(orphan) == size
    assert max(len(f.message) + len(f.polyaxon or "") for f in cycles + orphan) < 600
    # each message names at most ten ops of the 2,000-op cycle and counts the others
    for finding in cycles[:50]:
        shown = re.findall(r"`(op\d+)`", finding.message)
        hidden = re.search(r"… (\d+) more …", finding.message)
        assert hidden is not None and len(shown) <= 10
        assert len(shown) + int(hidden.group(1)) == size + 1
        assert shown[0] == shown[-1]
    assert "… and 990 more}" in (orphan[0].polyaxon or "")
    assert sum(len(f.message) for f in analysis.findings) < 1_500_000


# ---------------------------------------------------------------- protocol (the real server)


def _frame(body: bytes, length: int | None = None) -> bytes:
    return b"Content-Length: %d\r\n\r\n" % (len(body) if length is None else length) + body


def _request(msg_id: int, method: str, params: Any = None) -> bytes:
    return json.dumps({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params}).encode()


def test_huge_content_length_and_broken_framing_do_not_stop_the_server(tmp_path: Path) -> None:
    client = RawClient()
    try:
        client.initialize(tmp_path)
        assert client.proc.stdin is not None
        # a length nobody could allocate, then a message: it is skipped, the next one is read
        client.proc.stdin.write(b"Content-Length: 100000000000\r\n\r\n")
        client.proc.stdin.write(_frame(_request(901, "$/paramLsp/stats")))
        # a body shorter than its length swallows the next header's start: the one after is read
        client.proc.stdin.write(_frame(b'{"jsonrpc": "2.0"}', 40))
        client.proc.stdin.write(_frame(_request(902, "$/paramLsp/stats")))
        client.proc.stdin.write(_frame(_request(903, "$/paramLsp/stats")))
        # a header line of a megabyte without a line break
        client.proc.stdin.write(b"x" * 1_000_000 + b"\r\n")
        client.proc.stdin.write(_frame(_request(904, "$/paramLsp/stats")))
        client.proc.stdin.flush()
        for msg_id in (901, 903, 904):
            assert "result" in client.wait_response(msg_id, timeout=20)
        assert client.rss_kb() < 400_000
        assert client.proc.poll() is None
    finally:
        client.close()


def test_requests_after_shutdown_are_answered_and_exit_codes_follow_the_protocol(
    tmp_path: Path,
) -> None:
    client = RawClient()
    try:
        client.initialize(tmp_path)
        assert client.request("shutdown", None) is None
        hover = {
            "textDocument": {"uri": (tmp_path / "op.yaml").as_uri()},
            "position": {"line": 0, "character": 0},
        }
        late = client.wait_response(client.request_async("textDocument/hover", hover), 10)
        assert late["error"]["code"] == -32600
        client.notify("exit", None)
        assert client.proc.wait(timeout=10) == 0
    finally:
        client.close()
    abrupt = RawClient()
    try:
        abrupt.initialize(tmp_path)
        abrupt.notify("exit", None)  # without shutdown: LSP says exit code 1
        assert abrupt.proc.wait(timeout=10) == 1
    finally:
        abrupt.close()


# ---------------------------------------------------------------- wrong results and crashes


@pytest.mark.parametrize(
    "text",
    [
        "kind: operation\na: " + "[" * 600 + "]" * 600 + "\n# R&D\n",
        "kind: operation\nx: &x 1\na:\n" + "".join("  " * i + "k:\n" for i in range(1, 600)),
    ],
    ids=["flow-and-comment", "block-and-anchor"],
)
def test_deep_nesting_with_an_ampersand_is_the_nesting_error(tmp_path: Path, text: str) -> None:
    analysis = analyze(text)
    assert [f.code for f in analysis.findings] == ["PLX005"]
    assert "levels deep" in analysis.findings[0].message
    (tmp_path / "deep.yaml").write_text(text)
    done = subprocess.run(
        [sys.executable, "-m", "param_lsp", "check", str(tmp_path / "deep.yaml")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1, done.stdout
    assert "Traceback" not in done.stderr


def test_alias_to_an_enclosing_node_is_refused() -> None:
    analysis = analyze("kind: operation\na: &a [*a]\n")
    assert [f.code for f in analysis.findings] == ["PLX005"]


def test_redundant_double_star_in_exclude_is_matched_in_linear_time(tmp_path: Path) -> None:
    from param_lsp.core.project import ProjectConfig

    config = ProjectConfig(tmp_path, exclude=("**/" * 12 + "a**b**c/" * 10 + "x.yaml",))
    path = tmp_path / ("d/" * 40 + "y.yaml")
    started = time.process_time()
    assert config.selects(path) is None
    assert time.process_time() - started < 0.5  # the regex backtracked exponentially
    assert (
        ProjectConfig(tmp_path, exclude=("**/**/vendor/**",)).selects(
            tmp_path / "a" / "vendor" / "b.yaml"
        )
        is False
    )


HOSTILE_NAME = (
    'kind: operation\nname: "\\e[2J\\e]0;pwned\\a"\nrun: {kind: job, container: {image: x}}\n'
)


def _check(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "param_lsp", "check", *args],
        capture_output=True,
        text=True,
        timeout=60,
        **kwargs,
    )


def test_output_never_carries_terminal_escapes(tmp_path: Path) -> None:
    (tmp_path / "op.yaml").write_text(HOSTILE_NAME)
    for fmt in ("text", "github"):
        done = _check("--format", fmt, str(tmp_path / "op.yaml"))
        assert done.returncode == 1
        assert "\x1b" not in done.stdout and "\x07" not in done.stdout
        assert "\\x1b[2J" in done.stdout


def test_long_source_lines_are_cut_around_the_range(tmp_path: Path) -> None:
    pad = "# " + "x" * 100_000
    text = f"kind: operation\nparams: {{lr: 1}}  {pad}\nrun: {{kind: job}}\n"
    (tmp_path / "op.yaml").write_text(text)
    done = _check(str(tmp_path / "op.yaml"))
    assert done.returncode == 0
    assert len(done.stdout) < 2_000  # the whole 100,000-character line was printed
    source, caret = done.stdout.splitlines()[1:3]
    assert source.startswith("  params: {lr: 1}  # xxx") and source.endswith("…")
    assert caret == "  " + " " * len("params: {") + "^^"


def test_file_names_that_are_not_utf8_are_reported_as_valid_text(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9.yaml")
    (tmp_path / name).write_text("kind: operation\nparams: {x: 1}\nrun: {kind: job}\n")
    for fmt in ("json", "sarif", "text", "github"):
        done = subprocess.run(
            [sys.executable, "-m", "param_lsp", "check", "--format", fmt, "."],
            capture_output=True,
            timeout=60,
            cwd=tmp_path,
        )
        assert done.returncode == 0, done.stderr
        output = done.stdout.decode("utf-8")  # valid UTF-8, or this raises
        assert "Traceback" not in done.stderr.decode("utf-8", "replace")
        if fmt == "json":
            assert json.loads(output)["files"][0]["path"] == "caf\\xe9.yaml"
        elif fmt == "sarif":
            location = json.loads(output)["runs"][0]["results"][0]["locations"][0]
            assert location["physicalLocation"]["artifactLocation"]["uri"] == "caf%E9.yaml"


def test_closed_full_or_abandoned_stdout(tmp_path: Path) -> None:
    (tmp_path / "op.yaml").write_text("kind: operation\nrun: {kind: job, container: {image: x}}\n")
    target = str(tmp_path / "op.yaml")
    run = [sys.executable, "-m", "param_lsp", "check", target]
    gone = subprocess.run(" ".join(run) + " >&-", shell=True, capture_output=True, text=True)
    assert gone.returncode == 2 and "standard output is closed" in gone.stderr
    if Path("/dev/full").exists():
        full = subprocess.run(
            " ".join(run) + " >/dev/full", shell=True, capture_output=True, text=True
        )
        assert full.returncode == 2 and "No space left" in full.stderr
        assert "Traceback" not in full.stderr
    many = tmp_path / "many"
    many.mkdir()
    for i in range(300):
        (many / f"op{i}.yaml").write_text("kind: operation\nparams: {x: 1}\nrun: {kind: job}\n")
    head = subprocess.run(
        " ".join([*run[:-1], str(many)]) + " | head -1; exit ${PIPESTATUS[0]}",
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        text=True,
    )
    assert head.returncode == 0, head.stderr  # warnings only: clean input
    assert "Traceback" not in head.stderr


# ---------------------------------------------------------------- the real server


def _serve(root: Path | None, folders: list[Path] | None = None, scan: bool = False) -> RawClient:
    client = RawClient(env={"PARAM_LSP_NO_SCAN": "0" if scan else "1"})
    params: dict[str, Any] = {
        "processId": os.getpid(),
        "rootUri": root.as_uri() if root is not None else None,
        "capabilities": {"textDocument": {"publishDiagnostics": {"relatedInformation": True}}},
    }
    if folders is not None:
        params["workspaceFolders"] = [{"uri": f.as_uri(), "name": f.name} for f in folders]
    client.request("initialize", params)
    client.notify("initialized", {})
    return client


def _codes_of(published: dict[str, Any]) -> list[str]:
    return [d["code"] for d in published["diagnostics"]]


def test_server_without_a_root_confines_each_document_to_its_repository(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    secret = tmp_path / "shadow.yaml"
    secret.write_text("root:SECRET-HASH:19000:0:99999:7:::\n")
    client = _serve(None)  # Neovim / eglot single-file mode: no rootUri, no folders
    try:
        uri = (repo / "op.yaml").as_uri()
        client.open(uri, "kind: operation\npathRef: ../shadow.yaml\n")
        published = client.wait_diagnostics(uri, 1)
        assert _codes_of(published) == ["PLX903"]
        assert "SECRET" not in json.dumps(published)
        links = client.request("textDocument/documentLink", {"textDocument": {"uri": uri}})
        assert not links  # the file exists, but outside: not even that is revealed
        where = {"textDocument": {"uri": uri}, "position": {"line": 1, "character": 12}}
        assert not client.request("textDocument/definition", where)
    finally:
        client.close()


def test_server_treats_every_workspace_folder_as_a_root(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (second / "c.yaml").write_text(
        "kind: component\ninputs: [{name: lr, type: float}]\nrun: {kind: job}\n"
    )
    client = _serve(first, [first, second])
    try:
        uri = (second / "op.yaml").as_uri()
        client.open(uri, "kind: operation\npathRef: c.yaml\nparams:\n  lr: oops\n")
        assert _codes_of(client.wait_diagnostics(uri, 1)) == ["PLX302"]
    finally:
        client.close()


def test_server_rechecks_users_when_a_component_is_closed_unsaved(tmp_path: Path) -> None:
    component = tmp_path / "c.yaml"
    component.write_text("kind: component\ninputs: [{name: lr, type: float}]\nrun: {kind: job}\n")
    client = _serve(tmp_path)
    try:
        op_uri, c_uri = (tmp_path / "op.yaml").as_uri(), component.as_uri()
        client.open(op_uri, "kind: operation\npathRef: c.yaml\nparams:\n  lr: 0.1\n")
        assert _codes_of(client.wait_diagnostics(op_uri, 1)) == []
        edited = "kind: component\ninputs: [{name: rate, type: float}]\nrun: {kind: job}\n"
        client.open(c_uri, edited)
        deadline = time.monotonic() + 20
        while "PLX301" not in _codes_of(client.wait_diagnostics(op_uri, 1)):
            assert time.monotonic() < deadline
        client.notify("textDocument/didClose", {"textDocument": {"uri": c_uri}})  # discarded
        while _codes_of(client.wait_diagnostics(op_uri, 1, timeout=10)):
            assert time.monotonic() < deadline
    finally:
        client.close()


def test_server_reports_an_unusable_configuration_and_goes_on(tmp_path: Path) -> None:
    (tmp_path / ".param-lsp.toml").write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
    client = _serve(tmp_path)
    try:
        uri = (tmp_path / "op.yaml").as_uri()
        client.open(uri, "kind: operation\nparams: {x: 1}\nrun: {kind: job}\n")
        published = client.wait_diagnostics(uri, 1)
        assert _codes_of(published) == ["PLX008", "PLX303"]
        assert ".param-lsp.toml" in published["diagnostics"][0]["message"]
    finally:
        client.close()


def test_server_scan_skips_special_files_and_links_out(tmp_path: Path) -> None:
    root, outside = tmp_path / "ws", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    os.mkfifo(root / "pipe.yaml")
    (root / "zero.yaml").symlink_to("/dev/zero")
    (outside / "victim.yaml").write_text(
        "kind: component\ninputs: [{name: lr, type: float}]\nrun: {kind: job}\n"
    )
    (root / "victim.yaml").symlink_to(outside / "victim.yaml")
    client = _serve(root, scan=True)
    try:
        uri = (root / "op.yaml").as_uri()
        text = (
            "kind: operation\ncomponent:\n  inputs:\n  - name: lr\n    type: float\n"
            "  run: {kind: job}\nparams:\n  lr: 0.1\n"
        )
        client.open(uri, text)
        client.wait_diagnostics(uri, 1, timeout=20)  # the analysis thread is not stuck
        # The scan ends (a rename answers once it has; refused while it runs) despite the files.
        deadline = time.monotonic() + 20
        while True:
            response = client.wait_response(
                client.request_async(
                    "textDocument/rename",
                    {
                        "textDocument": {"uri": uri},
                        "position": {"line": 7, "character": 3},
                        "newName": "rate",
                    },
                )
            )
            error = response.get("error", {}).get("message", "")
            if "rename again when indexing is done" not in error or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert "error" not in response
        rename = response.get("result")
        changed = set((rename or {}).get("changes", {}))
        assert changed == {uri}
    finally:
        with contextlib.suppress(OSError):
            os.close(os.open(root / "pipe.yaml", os.O_WRONLY | os.O_NONBLOCK))
        client.close()


def test_edits_and_locations_outside_the_roots_are_never_sent(tmp_path: Path) -> None:
    from types import SimpleNamespace

    from pygls.workspace.position_codec import PositionCodec

    from param_lsp.core.span import Span
    from param_lsp.features.document import view_of
    from param_lsp.features.results import FileEdits, Location, TextEdit
    from param_lsp.lsp.render import locations, workspace_edit
    from param_lsp.lsp.server import ParamLanguageServer

    root = tmp_path / "ws"
    root.mkdir()
    (tmp_path / "victim.yaml").write_text("kind: component\n")
    (root / "c.yaml").write_text("kind: component\n")
    space = Workspace(root=root)
    view = view_of("kind: operation\n", root / "op.yaml", Settings(), space)
    ls = SimpleNamespace(
        store=SimpleNamespace(workspace=space),
        workspace=SimpleNamespace(position_codec=PositionCodec()),
        _lines_of_path=lambda path, by=None: None,
    )
    ls.inside_for = lambda document: ParamLanguageServer.inside_for(ls, document)  # type: ignore[arg-type]
    at = Span.of(0, 0, 0, 0)
    edits = [
        FileEdits(tmp_path / "victim.yaml", (TextEdit(at, "x"),)),
        FileEdits(root / "c.yaml", (TextEdit(at, "x"),)),
    ]
    sent = workspace_edit(ls, "file:///op", view, edits)
    assert set(sent.changes or {}) == {(root / "c.yaml").as_uri()}
    found = [Location(tmp_path / "victim.yaml", at), Location(root / "c.yaml", at)]
    assert [loc.uri for loc in locations(ls, "file:///op", view, found)] == [
        (root / "c.yaml").as_uri()
    ]


def test_server_does_no_work_on_an_over_size_document(tmp_path: Path) -> None:
    from param_lsp.core.workspace import MAX_FILE_BYTES

    client = _serve(tmp_path)
    try:
        big_uri, small_uri = (tmp_path / "big.yaml").as_uri(), (tmp_path / "op.yaml").as_uri()
        big = "kind: operation\nparams:\n" + "  p: {a: 1, b: [x, y]}\n" * (MAX_FILE_BYTES // 22)
        client.open(big_uri, big + "  q: [\n")  # broken at the end: nothing to recover from
        assert _codes_of(client.wait_diagnostics(big_uri, 1, timeout=30)) == ["PLX005"]
        started = time.monotonic()
        client.open(small_uri, "kind: operation\nparams: {x: 1}\nrun: {kind: job}\n")
        assert _codes_of(client.wait_diagnostics(small_uri, 1)) == ["PLX303"]
        assert time.monotonic() - started < 3  # recovering the big one stalled it ~10 s
        symbols = client.request("textDocument/documentSymbol", {"textDocument": {"uri": big_uri}})
        assert not symbols
        assert client.rss_kb() < 300_000
    finally:
        client.close()


def _children(pid: int) -> list[str]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError):
            if stat.read_text().rsplit(")", 1)[1].split()[1] == str(pid):
                found.append(stat.parent.name)
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_regex_helper_does_not_outlive_its_process() -> None:
    """Killed in the middle of a catastrophic match, the process leaves no helper spinning."""
    code = (
        "from param_lsp.core import regex_guard\nregex_guard.TIMEOUT_S = 60\n"
        "print('go', flush=True)\nregex_guard.regex_match(r'^(a+)+$', 'a' * 40 + '!')\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None and parent.stdout.readline().strip() == "go"
    deadline = time.monotonic() + 10
    helpers: list[str] = []
    while not helpers and time.monotonic() < deadline:
        helpers = _children(parent.pid)
        time.sleep(0.05)
    assert helpers
    parent.kill()
    parent.wait()
    time.sleep(0.5)
    for pid in helpers:
        stat = Path(f"/proc/{pid}/stat")
        if stat.exists():  # a zombie no one reaped yet is dead, not spinning
            assert stat.read_text().rsplit(")", 1)[1].split()[0] == "Z"


def test_server_reindex_of_a_watched_special_file_does_not_block(tmp_path: Path) -> None:
    client = _serve(tmp_path, scan=True)
    fifo = tmp_path / "late.yaml"
    try:
        client.request("$/paramLsp/stats", None)  # the (empty) scan is under way or done
        os.mkfifo(fifo)
        (tmp_path / "zero.yaml").symlink_to("/dev/zero")
        changes = [
            {"uri": fifo.as_uri(), "type": 1},
            {"uri": (tmp_path / "zero.yaml").as_uri(), "type": 1},
        ]
        client.notify("workspace/didChangeWatchedFiles", {"changes": changes})
        uri = (tmp_path / "op.yaml").as_uri()
        client.open(uri, "kind: operation\nparams: {x: 1}\nrun: {kind: job}\n")
        assert _codes_of(client.wait_diagnostics(uri, 1, timeout=20)) == ["PLX303"]
    finally:
        with contextlib.suppress(OSError):
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        client.close()


def test_fix_never_writes_through_a_link_out_of_the_project(tmp_path: Path) -> None:
    repo, outside = tmp_path / "repo", tmp_path / "outside"
    (repo / ".git").mkdir(parents=True)
    outside.mkdir()
    text = (
        "kind: operation\nparams:\n  learning_rat: 0.1\ncomponent:\n"
        "  inputs: [{name: learning_rate, type: float}]\n  run: {kind: job}\n"
    )
    (outside / "op.yaml").write_text(text)
    (repo / "op.yaml").symlink_to(outside / "op.yaml")
    (repo / "own.yaml").write_text(text)
    done = _check("--fix", str(repo))
    assert done.returncode == 2, done.stderr
    assert "not fixing" in done.stderr
    assert (outside / "op.yaml").read_text() == text  # untouched
    assert "learning_rate: 0.1" in (repo / "own.yaml").read_text()  # the project's own: fixed


def test_graph_of_a_special_file_is_an_io_problem(tmp_path: Path, fifo: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "param_lsp", "graph", str(fifo)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "not a regular file" in done.stderr


def test_messages_that_arrive_together_are_read_in_one_read() -> None:
    """Header lines and bodies that arrived together are taken from one read of the input (one
    wake-up of the event loop per piece of input, not per line), and a line longer than the
    limit is still cut into pieces of the limit."""
    import asyncio
    import io
    import threading

    from param_lsp.lsp import stdio

    long_line = b"x" * (stdio.MAX_LINE_BYTES + 10) + b"\r\n"
    data = b"".join(_frame(_request(i, "$/paramLsp/stats")) for i in (1, 2, 3))
    reads: list[int] = []

    class Counted(io.BufferedReader):
        def read1(self, size: int = -1, /) -> bytes:
            chunk = super().read1(size)
            reads.append(len(chunk))
            return chunk

    class Protocol:
        def __init__(self) -> None:
            self.ids: list[int] = []

        def structure_message(self, data: dict[str, Any]) -> dict[str, Any]:
            return data

        def handle_message(self, message: dict[str, Any]) -> None:
            self.ids.append(message["id"])

    protocol = Protocol()
    reader = stdio.StdinReader(Counted(io.BytesIO(data + long_line + data), 1 << 20))
    asyncio.run(stdio.read_messages(threading.Event(), reader, protocol))
    assert protocol.ids == [1, 2, 3, 1, 2, 3]
    # as much as could be read at once each time, then the end
    total = len(data + long_line + data)
    assert reads == [stdio.READ_BYTES, total - stdio.READ_BYTES, 0]


@pytest.mark.parametrize(
    "text",
    [
        "\x85" * 7 + "{{ \ud800",  # a lone surrogate an editor buffer can hold
        "{kind: job, x: \ud800}",
        "{a: " + "[" * 20_000,  # nested deeper than the composer's recursion allows
    ],
)
def test_detection_of_an_unreadable_flow_document_says_no(text: str) -> None:
    from param_lsp.core.detect import looks_like_polyaxonfile

    assert looks_like_polyaxonfile(text) is False


def test_a_flow_polyaxonfile_with_a_lone_surrogate_is_still_detected() -> None:
    from param_lsp.core.detect import looks_like_polyaxonfile

    # Decided from its top-level `kind` without composing (the rule editors use while typing).
    assert looks_like_polyaxonfile("{kind: operation, x: \ud800}") is True


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # LibYAML cannot read a lone surrogate on any line: blanking lines does not cure it.
        ("kind: operation\nx: [\nname: \ud800\n", None),
        # The unclosed nesting is on one line: blanking it leaves a readable document.
        ("kind: operation\nx: " + "[" * 20_000, "kind: operation\n"),
    ],
)
def test_recovering_a_broken_buffer_gives_up_on_what_no_blanked_line_cures(
    text: str, expected: str | None
) -> None:
    from param_lsp.features.document import recover_text

    recovered = recover_text(text)
    assert recovered is None or "\ud800" not in recovered
    assert recovered == expected
