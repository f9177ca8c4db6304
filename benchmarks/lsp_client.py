"""A minimal raw JSON-RPC/LSP client over stdio (Content-Length framing), for measurements.

No LSP library sits between the clock and the server: a reader thread parses frames into a
queue, requests wait for their own id, and server-to-client requests are answered with null.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

SERVER_COMMAND = [sys.executable, "-m", "param_lsp", "serve"]


class ServerGone(RuntimeError):
    pass


class RawClient:
    def __init__(
        self,
        command: list[str] | None = None,
        env: dict[str, str] | None = None,
        *,
        scan: bool = False,
    ) -> None:
        self.proc = subprocess.Popen(
            command or SERVER_COMMAND,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "PARAM_LSP_NO_SCAN": "0" if scan else "1", **(env or {})},
        )
        #: `$/progress` notifications seen, with the monotonic time they arrived.
        self.progress: list[tuple[float, dict[str, Any]]] = []
        self.messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.next_id = 0
        #: Every publishDiagnostics seen, with the monotonic time it arrived.
        self.published: list[tuple[float, dict[str, Any]]] = []
        self.unanswered: dict[int | str, str] = {}
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    # ------------------------------------------------------------ wire

    def _read(self) -> None:
        stream = self.proc.stdout
        assert stream is not None
        try:
            while True:
                length = -1
                while True:
                    line = stream.readline()
                    if not line:
                        return
                    if line in (b"\r\n", b"\n"):
                        break
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                if length < 0:
                    continue
                body = stream.read(length)
                message = json.loads(body)
                if message.get("method") == "textDocument/publishDiagnostics":
                    self.published.append((time.perf_counter(), message["params"]))
                elif message.get("method") == "$/progress":
                    self.progress.append((time.perf_counter(), message["params"]))
                self.messages.put(message)
        finally:
            self.messages.put(None)

    def send_raw(self, body: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def send(self, payload: dict[str, Any]) -> None:
        self.send_raw(json.dumps({"jsonrpc": "2.0", **payload}).encode())

    def _next(self, timeout: float) -> dict[str, Any]:
        try:
            message = self.messages.get(timeout=timeout)
        except queue.Empty:
            raise TimeoutError("no message from the server") from None
        if message is None:
            raise ServerGone(f"server exited with {self.proc.poll()}")
        if "method" in message and "id" in message:  # a request from the server
            self.send({"id": message["id"], "result": None})
        return message

    # ------------------------------------------------------------ API

    def request_async(self, method: str, params: Any) -> int:
        self.next_id += 1
        self.unanswered[self.next_id] = method
        self.send({"id": self.next_id, "method": method, "params": params})
        return self.next_id

    def wait_response(self, wanted: int | str, timeout: float = 30) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            message = self._next(max(0.001, deadline - time.monotonic()))
            if message.get("id") == wanted and "method" not in message:
                self.unanswered.pop(wanted, None)
                return message

    def request(self, method: str, params: Any, timeout: float = 30) -> Any:
        response = self.wait_response(self.request_async(method, params), timeout)
        if "error" in response:
            raise RuntimeError(f"{method}: {response['error']}")
        return response.get("result")

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def wait_diagnostics(self, uri: str, version: int, timeout: float = 30) -> dict[str, Any]:
        """The publication for ``version`` (earlier ones are skipped)."""
        deadline = time.monotonic() + timeout
        while True:
            message = self._next(max(0.001, deadline - time.monotonic()))
            if message.get("method") == "textDocument/publishDiagnostics":
                params = message["params"]
                if params["uri"] == uri and params.get("version") == version:
                    return params  # type: ignore[no-any-return]

    def drain(self, seconds: float) -> list[dict[str, Any]]:
        """Everything that arrives within ``seconds``."""
        got: list[dict[str, Any]] = []
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                got.append(self._next(left))
            except TimeoutError:
                break
        return got

    # ------------------------------------------------------------ session helpers

    def initialize(
        self, root: Path | None, options: dict[str, Any] | None = None, *, progress: bool = False
    ) -> Any:
        capabilities: dict[str, Any] = {
            "textDocument": {
                "publishDiagnostics": {"relatedInformation": True},
                "completion": {"completionItem": {"snippetSupport": True}},
            }
        }
        if progress:
            capabilities["window"] = {"workDoneProgress": True}
        result = self.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": root.as_uri() if root is not None else None,
                "capabilities": capabilities,
                "initializationOptions": options or {},
            },
        )
        self.notify("initialized", {})
        return result

    def open(self, uri: str, text: str, version: int = 1) -> None:
        self.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "yaml", "version": version, "text": text}},
        )

    def change(
        self, uri: str, version: int, text: str, rng: tuple[int, int, int, int] | None = None
    ) -> None:
        change: dict[str, Any] = {"text": text}
        if rng is not None:
            change["range"] = {
                "start": {"line": rng[0], "character": rng[1]},
                "end": {"line": rng[2], "character": rng[3]},
            }
        self.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]},
        )

    def wait_progress_end(self, timeout: float = 600) -> float:
        """Waits for a `$/progress` end; the monotonic time it arrived."""
        deadline = time.monotonic() + timeout
        while True:
            for at, params in self.progress:
                if params.get("value", {}).get("kind") == "end":
                    return at
            self._next(max(0.001, deadline - time.monotonic()))

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process so far."""
        with open(f"/proc/{self.proc.pid}/stat") as stat:
            fields = stat.read().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_kb(self) -> int:
        with open(f"/proc/{self.proc.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return -1

    def close(self) -> None:
        try:
            if self.proc.poll() is None:
                self.request("shutdown", None, timeout=10)
                self.notify("exit", None)
                self.proc.wait(timeout=10)
        except Exception:
            pass
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
