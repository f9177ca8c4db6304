"""Robustness: hostile documents, confinement to the workspace, protocol misuse, random edits.

The long random-edit run is `make fuzz` (tests/fuzz/); here a few sessions keep the property
honest in the default suite.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.generate import dag, operation_lines
from benchmarks.lsp_client import RawClient
from param_lsp.core.settings import Settings
from param_lsp.core.workspace import Workspace
from param_lsp.engine.analyze import analyze
from tests.robustness_support import corpus_files, edits, run_session


def _codes(text: str, **kwargs: Any) -> list[str]:
    return [f.code for f in analyze(text, **kwargs).findings]


def _bounded(text: str, seconds: float = 5.0, megabytes: float = 200.0) -> Any:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        analysis = analyze(text)
        elapsed = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < seconds, f"took {elapsed:.1f} s"
    assert peak < megabytes * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"
    return analysis


# ---------------------------------------------------------------- hostile documents


def test_alias_bomb_is_refused_with_a_clear_finding() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 12)]
    analysis = _bounded("\n".join(lines))
    assert analysis.root is None
    assert any("expand" in f.message for f in analysis.findings)


def test_ten_megabyte_file_is_not_analysed() -> None:
    text = "kind: operation\nparams:\n" + "".join(f"  p{i}: {i}\n" for i in range(800_000))
    assert len(text) > 10_000_000
    analysis = _bounded(text, seconds=2)
    assert analysis.root is None
    assert "Not analysed" in analysis.findings[0].message


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 10_000 + "]" * 10_000,
        "a: " + "{b: " * 10_000 + "1" + "}" * 10_000,
        "a:\n  " + "- " * 10_000 + "x\n",
        "".join(" " * i + "k:\n" for i in range(0, 4_000, 2)),
    ],
    ids=["flow-seq", "flow-map", "compact-seq", "block-map"],
)
def test_ten_thousand_deep_nesting_is_refused_quickly(text: str) -> None:
    analysis = _bounded(text, seconds=10)  # about 0.3 s; the bound allows for a busy machine
    assert analysis.root is None
    assert any("levels deep" in f.message for f in analysis.findings)


def test_very_long_lines_are_analysed() -> None:
    long_value = "x" * 2_000_000
    analysis = _bounded(f"kind: operation\nname: {long_value}\nrun: {{kind: job}}\n", seconds=5)
    assert analysis.root is not None


def test_binary_garbage_and_lone_surrogates_never_raise() -> None:
    for text in ("\x00\x01\x02", "a: \ud800\n", "kind: operation\n\tparams: 1\n", "\ufeffa: b"):
        analysis = analyze(text)
        assert analysis.findings, text


# ---------------------------------------------------------------- confinement


@pytest.fixture()
def recorded_reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """Every file the analysis reads or stats."""
    seen: list[Path] = []
    real_read, real_stat = Path.read_bytes, Path.stat

    def read_bytes(self: Path) -> bytes:
        seen.append(Path(os.path.realpath(self)))
        return real_read(self)

    def stat(self: Path, **kwargs: Any) -> os.stat_result:
        seen.append(Path(os.path.realpath(self)))
        return real_stat(self, **kwargs)

    real_open = os.open

    def open_fd(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        fd = real_open(path, flags, *args, **kwargs)
        with contextlib.suppress(OSError):
            seen.append(Path(os.readlink(f"/proc/self/fd/{fd}")))
        return fd

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(Path, "stat", stat)
    monkeypatch.setattr(os, "open", open_fd)
    yield seen


@pytest.mark.parametrize(
    "ref", ["/etc/passwd", "../../../../etc/passwd", "../../..", "outside/link.yaml"]
)
def test_path_refs_never_leave_the_workspace(
    tmp_path: Path, ref: str, recorded_reads: list[Path]
) -> None:
    root = tmp_path / "ws"
    (root / "outside").mkdir(parents=True)
    secret = tmp_path / "secret.yaml"
    secret.write_text("kind: component\nrun: {kind: job}\n")
    (root / "outside" / "link.yaml").symlink_to(secret)
    op = root / "op.yaml"
    text = f"kind: operation\npathRef: {ref}\n"
    analysis = analyze(text, op, Settings(), Workspace(root=root))
    real_root = Path(os.path.realpath(root))
    assert all(p.is_relative_to(real_root) for p in recorded_reads), recorded_reads
    refs = [f for f in analysis.findings if "pathRef" in f.message or "outside" in f.message]
    assert refs, [f.message for f in analysis.findings]


def test_recursive_path_refs_terminate_with_a_finding(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("kind: component\npathRef: b.yaml\n")
    (tmp_path / "b.yaml").write_text("kind: component\npathRef: a.yaml\n")
    text = "kind: operation\npathRef: a.yaml\n"
    started = time.perf_counter()
    analysis = analyze(text, tmp_path / "op.yaml", Settings(), Workspace(root=tmp_path))
    assert time.perf_counter() - started < 2
    assert any("cycle" in f.message.lower() for f in analysis.findings), [
        f.message for f in analysis.findings
    ]


def test_file_changing_on_disk_is_reread(tmp_path: Path) -> None:
    component = tmp_path / "c.yaml"
    component.write_text("kind: component\ninputs: [{name: lr, type: float}]\nrun: {kind: job}\n")
    space = Workspace(root=tmp_path)
    text = "kind: operation\npathRef: c.yaml\nparams:\n  lr: 0.1\n"
    assert analyze(text, tmp_path / "op.yaml", Settings(), space).findings == []
    component.write_text("kind: component\ninputs: [{name: rate, type: float}]\nrun: {kind: job}\n")
    os.utime(component, ns=(time.time_ns(), time.time_ns() + 10_000_000))
    changed = analyze(text, tmp_path / "op.yaml", Settings(), space)
    assert any("lr" in f.message for f in changed.findings)


def test_file_truncated_while_being_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = b"kind: component\nrun: {kind: job}\ninputs:\n- name: lr\n  type: float\n  value: 0.1\n"
    component = tmp_path / "c.yaml"
    component.write_bytes(whole)
    text = "kind: operation\npathRef: c.yaml\n"
    # Polyaxon 2.18.0 accepts the operation with the whole component.
    assert analyze(text, tmp_path / "op.yaml", Settings(), Workspace(tmp_path)).findings == []
    real_read = os.read
    truncated: list[bytes] = []

    def read_then_truncate(fd: int, size: int) -> bytes:
        data = real_read(fd, size)
        if not truncated and os.readlink(f"/proc/self/fd/{fd}") == str(component.resolve()):
            component.write_bytes(b"")  # changed under our feet: the bytes read stay consistent
            truncated.append(data[: data.index(b"  value:")])
            return truncated[0]
        return data

    monkeypatch.setattr(os, "read", read_then_truncate)
    os.utime(component, ns=(time.time_ns(), time.time_ns() + 10_000_000))
    analysis = analyze(text, tmp_path / "op.yaml", Settings(), Workspace(tmp_path))
    monkeypatch.undo()
    assert truncated == [b"kind: component\nrun: {kind: job}\ninputs:\n- name: lr\n  type: float\n"]
    # The component as read (`lr` without default) is what is checked. Polyaxon 2.18.0 on a
    # file holding those bytes: "The Polyaxonfile has non optional inputs/outputs, you need to
    # pass valid params".
    assert [f.code for f in analysis.findings] == ["PLX300"]  # the rule of that message
    assert "`lr`" in analysis.findings[0].message


def test_no_network_for_remote_references(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    for ref in ("hubRef: acme/train:v1", "urlRef: https://example.com/c.yaml"):
        codes = _codes(f"kind: operation\n{ref}\nparams:\n  lr: 0.1\n")
        assert codes, ref


# ---------------------------------------------------------------- protocol misuse


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RawClient, Path]]:
    root = tmp_path_factory.mktemp("robust")
    client = RawClient()
    try:
        yield client, root
    finally:
        client.close()


def test_protocol_misuse_is_answered_and_the_server_keeps_serving(
    server: tuple[RawClient, Path],
) -> None:
    client, root = server
    # a request before initialize is refused, not ignored
    early = client.wait_response(client.request_async("textDocument/hover", {}), timeout=20)
    assert "error" in early
    client.initialize(root)
    # malformed JSON and a body that is not an object: no answer possible, no crash
    client.send_raw(b"{not json")
    client.send_raw(b"[1, 2")
    # unknown method → MethodNotFound
    unknown = client.wait_response(client.request_async("param/doesNotExist", {}))
    assert unknown["error"]["code"] == -32601
    # invalid params → InvalidParams
    bad = client.wait_response(client.request_async("textDocument/hover", {"nonsense": 1}))
    assert bad["error"]["code"] == -32602
    # didChange for a document never opened
    client.change((root / "never.yaml").as_uri(), 3, "x", (0, 0, 0, 0))
    # out-of-range positions
    uri = (root / "op.yaml").as_uri()
    client.open(uri, "kind: operation\nparams:\n  lr: 0.1\n")
    client.wait_diagnostics(uri, 1)
    for line, character in ((999, 0), (0, 9999), (1, 10**9)):
        position = {"line": line, "character": character}
        for method in ("textDocument/completion", "textDocument/hover"):
            response = client.wait_response(
                client.request_async(method, {"textDocument": {"uri": uri}, "position": position})
            )
            assert "error" not in response, (method, position, response)
    # a cancellation storm: every request still gets exactly one answer
    ids = []
    for _ in range(100):
        ids.append(
            client.request_async(
                "textDocument/completion",
                {"textDocument": {"uri": uri}, "position": {"line": 2, "character": 2}},
            )
        )
        client.notify("$/cancelRequest", {"id": ids[-1]})
    for request_id in ids:
        response = client.wait_response(request_id)
        assert "result" in response or response["error"]["code"] == -32800
    # and it still serves
    stats = client.request("$/paramLsp/stats", None)
    assert stats["open_documents"] >= 1
    assert client.proc.poll() is None


@contextlib.contextmanager
def _serving_one_operation(root: Path) -> Iterator[tuple[RawClient, str]]:
    """A fresh server with `op.yaml` (`lr: 0.1` on line 2) open and its diagnostics in."""
    client = RawClient()
    try:
        client.initialize(root)
        uri = (root / "op.yaml").as_uri()
        client.open(uri, "kind: operation\nparams:\n  lr: 0.1\n")
        client.wait_diagnostics(uri, 1)
        yield client, uri
    finally:
        client.close()


def test_handled_notifications_leave_nothing_behind(tmp_path: Path) -> None:
    """pygls files each didChange's future among the pending requests and never removes it:
    the server must, or every keystroke grows its memory for good."""
    with _serving_one_operation(tmp_path) as (client, uri):
        for version in range(2, 62):
            client.change(uri, version, str(version % 10), (2, 8, 2, 9))
        client.wait_diagnostics(uri, 61)
        assert client.request("$/paramLsp/stats", None)["pending_futures"] == 0


def test_the_served_process_holds_no_tls_library(tmp_path: Path) -> None:
    """The server never opens a connection: OpenSSL (~4.5 MB resident) is not loaded."""
    with _serving_one_operation(tmp_path) as (client, _uri):
        maps = Path(f"/proc/{client.proc.pid}/maps")
        if not maps.exists():
            pytest.skip("no /proc on this system")
        mapped = {line.split()[-1] for line in maps.read_text().splitlines() if "/" in line}
        assert not [name for name in mapped if "libssl" in name or "libcrypto" in name]
        assert not [name for name in mapped if "/_ssl." in name]


# ---------------------------------------------------------------- random edit sessions

CORPUS_FILES = corpus_files()
#: Large documents, so that sessions also go through the incremental parse and the remembered
#: checks (corpus files are mostly too small to be cut into regions).
LARGE_DOCUMENTS = [
    dag(60),
    operation_lines(400),
    (Path(__file__).parent / "data" / "incremental" / "dag_with_problems.yaml").read_text(),
    (Path(__file__).parent / "data" / "hostile" / "fuzz_hostile.yaml").read_text(),
]


@pytest.mark.skipif(not CORPUS_FILES, reason="corpus not available (PARAM_LSP_CORPUS)")
@settings(
    max_examples=int(os.environ.get("PARAM_LSP_FUZZ_EXAMPLES", "6")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=os.environ.get("PARAM_LSP_FUZZ_EXAMPLES") is None,
)
@given(index=st.integers(0, 10_000), sequence=edits)
def test_random_edits_end_with_fresh_diagnostics(
    server: tuple[RawClient, Path], index: int, sequence: list[tuple[str, float, int, str]]
) -> None:
    client, root = server
    if client.proc.poll() is None and not getattr(client, "_ready", False):
        with contextlib.suppress(RuntimeError):  # already initialised by the protocol test
            client.initialize(root)
        client._ready = True  # type: ignore[attr-defined]
    if index % 5 == 0:
        name, text = "generated", LARGE_DOCUMENTS[index // 5 % len(LARGE_DOCUMENTS)]
    else:
        source = CORPUS_FILES[index % len(CORPUS_FILES)]
        name, text = source.name, source.read_text(encoding="utf-8", errors="replace")
    result = run_session(client, root, f"f{index}-{len(sequence)}.yaml", text, sequence)
    assert result.final_diagnostics == result.expected, json.dumps(
        {"final": result.final_text[:2000]}, ensure_ascii=True
    )
    assert result.published_versions == sorted(result.published_versions)
    assert client.proc.poll() is None
    progress = os.environ.get("PARAM_LSP_FUZZ_LOG")
    if progress:  # the long run reports how many sessions passed even if it is stopped
        with open(progress, "a") as log:
            log.write(f"{name} {len(sequence)} {len(result.final_diagnostics)}\n")
