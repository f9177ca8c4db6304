"""Smoke test of an installed polyaxon-param-lsp (a wheel or an sdist in a clean venv).

Usage: python .ci/smoke_installed.py VENV EXAMPLES_DIR [--editable]
       python .ci/smoke_installed.py --vsix FILE.vsix EXAMPLES_DIR
(--editable: the package may be imported from the checkout, as in the development venv;
--vsix: the server bundled in the VS Code extension, run as the extension runs it, by this
Python with `-I bundled/tool/server.py`.)

Standard library only, run from a temporary folder so that nothing is imported from a checkout:
the package must come from VENV; `param-lsp --version` must name this distribution; `check` must
pass the clean examples (exit 0) and fail the mistakes (exit 1, an error in every file); `serve`
must answer `initialize` with this distribution's `serverInfo` and shut down cleanly.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CLEAN = ["train.yaml", "pipeline.yaml", "sweep.yaml", "components"]


def expected_identity() -> tuple[str, str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return project["name"], project["version"]


def run(args: list[str], cwd: Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=120, **kwargs)  # type: ignore[call-overload, no-any-return]


def frame(message: dict[str, object]) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


def read_message(stream: object) -> dict[str, object]:
    headers: dict[str, str] = {}
    while True:
        line = stream.readline()  # type: ignore[attr-defined]
        if not line:
            raise RuntimeError("the server closed its output before answering")
        if line in (b"\r\n", b"\n"):
            break
        name, _, value = line.decode().partition(":")
        headers[name.strip().lower()] = value.strip()
    return json.loads(stream.read(int(headers["content-length"])))  # type: ignore[attr-defined, no-any-return]


def serve_initialize(exe: list[str], cwd: Path) -> dict[str, object]:
    """`param-lsp serve`: initialize, initialized, shutdown, exit; returns the initialize result."""
    proc = subprocess.Popen([*exe, "serve"], cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert proc.stdin is not None and proc.stdout is not None
    try:
        proc.stdin.write(
            frame(
                {
                    "jsonrpc": "2.0",
                    "id": 1,
                    "method": "initialize",
                    "params": {"processId": None, "rootUri": cwd.as_uri(), "capabilities": {}},
                }
            )
        )
        proc.stdin.flush()
        while True:
            message = read_message(proc.stdout)
            if message.get("id") == 1:
                break
        proc.stdin.write(frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
        proc.stdin.write(frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}))
        proc.stdin.flush()
        while read_message(proc.stdout).get("id") != 2:
            pass
        proc.stdin.write(frame({"jsonrpc": "2.0", "method": "exit"}))
        proc.stdin.close()
        code = proc.wait(timeout=10)
        if code != 0:
            raise RuntimeError(f"`param-lsp serve` exited with {code} after shutdown/exit")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    result = message.get("result")
    if not isinstance(result, dict):
        raise RuntimeError(f"initialize failed: {message}")
    return result


def main(argv: list[str]) -> int:
    editable = "--editable" in argv
    vsix = "--vsix" in argv
    argv = [a for a in argv if a not in ("--editable", "--vsix")]
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    target, examples = Path(argv[0]).resolve(), Path(argv[1]).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        if vsix:
            with zipfile.ZipFile(target) as archive:
                archive.extractall(cwd / "vsix")
            server = cwd / "vsix" / "extension" / "bundled" / "tool" / "server.py"
            exe = [sys.executable, "-I", str(server)]
            home = cwd / "vsix"
            where_cmd = [
                sys.executable,
                "-I",
                "-c",
                IMPORT_BUNDLED.format(libs=str(server.parent.parent / "libs")),
            ]
        else:
            exe, python = [str(target / "bin" / "param-lsp")], target / "bin" / "python"
            home = REPO if editable else target
            where_cmd = [str(python), "-c", "import param_lsp; print(param_lsp.__file__)"]
        failures = smoke(exe, where_cmd, home, examples, cwd)
    name, version = expected_identity()
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    print(f"smoke test of {name} {version} in {target}: {'failed' if failures else 'ok'}")
    return 1 if failures else 0


IMPORT_BUNDLED = (
    "import sys; sys.path.insert(0, {libs!r}); import param_lsp; print(param_lsp.__file__)"
)


def smoke(exe: list[str], where_cmd: list[str], home: Path, examples: Path, cwd: Path) -> list[str]:
    name, version = expected_identity()
    failures: list[str] = []
    where = run(where_cmd, cwd)
    if not where.stdout.strip().startswith(str(home)):
        failures.append(f"param_lsp not imported from {home}: {where.stdout}{where.stderr}")
    shown = run([*exe, "--version"], cwd).stdout.strip()
    if shown != f"{name} {version}":
        failures.append(f"--version printed {shown!r}, expected {name} {version!r}")
    clean = run([*exe, "check", *(str(examples / c) for c in CLEAN)], cwd)
    if clean.returncode != 0:
        failures.append(f"check of clean examples exited {clean.returncode}: {clean.stdout}")
    mistakes = run([*exe, "check", "--format", "json", str(examples / "mistakes")], cwd)
    files = json.loads(mistakes.stdout or "{}").get("files", [])
    if mistakes.returncode != 1 or not files:
        failures.append(f"check of the mistakes exited {mistakes.returncode}, expected 1")
    for entry in files:
        if not any(d["severity"] == "error" for d in entry["diagnostics"]):
            failures.append(f"no error reported in {entry['path']}")
    info = serve_initialize(exe, cwd).get("serverInfo")
    if info != {"name": name, "version": version}:
        failures.append(f"serverInfo is {info}, expected name {name} and version {version}")
    return failures


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
