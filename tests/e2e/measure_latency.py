"""Latency measurements of the real server over stdio (a script, not a test).

Run: `.venv/bin/python -m tests.e2e.measure_latency [--lines 5000]`

Prints start → initialize time, keystroke → diagnostics (incl. the debounce) on a generated
DAG of about N lines, and completion/hover round trips (p50/p95): param keys, a `pathRef` file
path, a Jinja filter after `|` and a name after `{{ globals.`.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

COMPONENT = """\
kind: component
name: step
inputs:
  - {name: source, type: path}
  - {name: rate, type: float, value: 0.1}
  - {name: count, type: int}
outputs:
  - {name: result, type: path}
  - {name: score, type: float}
run:
  kind: job
  container: {image: python, args: ["--rate={{ rate }}", "{{ params.count.as_arg }}"]}
"""


def generate(lines: int) -> str:
    head = ["kind: operation", "name: big", 'description: "{{ globals.uuid | up }}"',
            "component:", "  run:", "    kind: dag", "    operations:"]  # fmt: skip
    body: list[str] = []
    index = 0
    while len(head) + len(body) < lines:
        body += [
            f"      - name: op{index}",
            "        pathRef: step.yaml",
            "        params:",
            "          count: 3",
            "          rate: {value: 0.5}",
        ]
        if index:
            body += [
                "          source:",
                f"            ref: ops.op{index - 1}",
                "            value: outputs.result",
            ]
        else:
            body += ["          source: /data"]
        index += 1
    return "\n".join(head + body) + "\n"


class Client:
    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            env=env,
        )  # fmt: skip
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.proc.stdout
        assert stream is not None
        while True:
            length = 0
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            self.messages.put(json.loads(stream.read(length)))

    def send(self, payload: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **payload}).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        wanted = self.next_id
        self.send({"id": wanted, "method": method, "params": params})
        while True:
            message = self.messages.get(timeout=30)
            if message.get("id") == wanted and "method" not in message:
                return message.get("result")
            if "method" in message and "id" in message:  # a server request: answer it
                self.send({"id": message["id"], "result": None})

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def wait_diagnostics(self, uri: str, version: int) -> dict[str, Any]:
        while True:
            message = self.messages.get(timeout=30)
            if message.get("method") == "textDocument/publishDiagnostics":
                params = message["params"]
                if params["uri"] == uri and params.get("version") == version:
                    return params  # type: ignore[no-any-return]
            elif "method" in message and "id" in message:
                self.send({"id": message["id"], "result": None})


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--edits", type=int, default=30)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="param-lsp-bench-"))
    (root / "step.yaml").write_text(COMPONENT)
    text = generate(args.lines)
    path = root / "big.yaml"
    path.write_text(text)
    uri = path.as_uri()
    env = {**os.environ, "PARAM_LSP_NO_SCAN": "1"}
    started = time.perf_counter()
    client = Client([sys.executable, "-m", "param_lsp", "serve"], env)
    client.request(
        "initialize",
        {"processId": os.getpid(), "rootUri": root.as_uri(), "capabilities": {},
         "initializationOptions": {"debounceMs": 30}},
    )  # fmt: skip
    init_ms = (time.perf_counter() - started) * 1000
    client.notify("initialized", {})
    opened = time.perf_counter()
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}},
    )
    first = client.wait_diagnostics(uri, 1)
    open_ms = (time.perf_counter() - opened) * 1000
    lines = text.split("\n")
    target = next(i for i in range(len(lines) // 2, len(lines)) if "count: 3" in lines[i])
    keystroke: list[float] = []
    for version in range(2, 2 + args.edits):
        digit = str(version % 9 + 1)
        start = time.perf_counter()
        client.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [
                    {
                        "range": {
                            "start": {"line": target, "character": 17},
                            "end": {"line": target, "character": 18},
                        },
                        "text": digit,
                    }
                ],
            },
        )
        client.wait_diagnostics(uri, version)
        keystroke.append((time.perf_counter() - start) * 1000)
    hover: list[float] = []
    position = {"line": target, "character": 10}
    path_line = next(i for i in range(target, len(lines)) if "pathRef:" in lines[i])
    description = lines[2]
    # Where each completion kind is asked: (line, character, a label it must offer).
    places: dict[str, tuple[int, int, str | None]] = {
        "completion: param keys": (target + 1, 10, None),
        "completion: pathRef file": (path_line, len(lines[path_line]), "step.yaml"),
        "completion: filter after |": (2, description.index("up") + 2, "upper"),
        "completion: {{ globals.": (2, description.index("uuid") + 2, "uuid"),
    }
    timings: dict[str, list[float]] = {name: [] for name in places}
    for _ in range(args.requests):
        for name, (line, character, expected) in places.items():
            start = time.perf_counter()
            result = client.request(
                "textDocument/completion",
                {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}},
            )
            timings[name].append((time.perf_counter() - start) * 1000)
            offered = {item["label"] for item in (result or {}).get("items", [])}
            if expected is not None and expected not in offered:
                raise SystemExit(f"{name}: `{expected}` not offered")
        start = time.perf_counter()
        client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": position})
        hover.append((time.perf_counter() - start) * 1000)
    client.request("shutdown", None)
    client.notify("exit", None)
    findings = len(first["diagnostics"])
    print(f"file: {len(lines)} lines, {len(text):,} chars; findings on open: {findings}")
    print(f"start → initialize response: {init_ms:.0f} ms")
    print(f"open → first diagnostics: {open_ms:.0f} ms")
    print(
        f"keystroke → diagnostics (debounce 30 ms incl.): p50 {statistics.median(keystroke):.1f}"
        f" ms, p95 {percentile(keystroke, 0.95):.1f} ms, max {max(keystroke):.1f} ms"
    )
    for name, values in (*timings.items(), ("hover", hover)):
        print(
            f"{name}: p50 {statistics.median(values):.2f} ms, "
            f"p95 {percentile(values, 0.95):.2f} ms, max {max(values):.2f} ms"
        )


if __name__ == "__main__":
    main()
