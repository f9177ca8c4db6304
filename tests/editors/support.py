"""Running a real editor as the LSP client: each check script prints one JSON line per step."""

from __future__ import annotations

import json
import subprocess
from typing import Any


def run_editor(
    command: list[str], env: dict[str, str], *, timeout: int, stderr_tail: int
) -> dict[str, dict[str, Any]]:
    """Run the editor's check script; its steps by name, after asserting it finished `ok`."""
    proc = subprocess.run(
        command,
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=timeout,
    )
    steps = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    report = proc.stdout + proc.stderr[-stderr_tail:]
    assert proc.returncode == 0 and steps and steps[-1].get("ok") is True, report
    return {s["step"]: s for s in steps if "step" in s}
