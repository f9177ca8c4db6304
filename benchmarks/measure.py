"""The measurements behind `python -m benchmarks`: analysis vs. YAML parse, CLI, language server.

Every figure is a median (and p95 where a latency distribution matters) over repetitions that
are interleaved with the parse baseline they are compared to, so a busy machine slows both
sides of a ratio alike.
"""

from __future__ import annotations

import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from benchmarks.generate import dag, operation_lines, workspace
from benchmarks.lsp_client import RawClient

LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
CORPUS = Path(os.environ.get("PARAM_LSP_CORPUS", "/work/shared/corpus/real"))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "median": round(statistics.median(values), 2),
        "p95": round(percentile(values, 0.95), 2),
        "max": round(max(values), 2),
        "n": len(values),
    }


def _timed(fn: Callable[[], object]) -> float:
    """Milliseconds to produce ``fn()``'s result. Every call starts from the same state (no
    garbage pending, the young generation empty), and freeing the result is not counted."""
    gc.collect()
    started = time.perf_counter()
    result = fn()
    elapsed = (time.perf_counter() - started) * 1000
    del result
    return elapsed


def documents(quick: bool) -> list[tuple[str, str]]:
    docs = [
        ("operation 100 lines", operation_lines(100)),
        ("operation 1k lines", operation_lines(1000)),
        ("operation 5k lines", operation_lines(5000)),
        ("DAG 50 ops", dag(50)),
        ("DAG 500 ops", dag(500)),
    ]
    return [d for d in docs if not quick or "5k" in d[0] or "500" in d[0]]


# ---------------------------------------------------------------------------- analysis


def analysis_speed(repeat: int, quick: bool) -> list[dict[str, Any]]:
    """analyze() against `yaml.compose` and `yaml.load` (CSafeLoader) of the same text, and
    the analysis of a one-character edit with the document's cache (what the server runs)."""
    from param_lsp.core.memo import DocumentCache
    from param_lsp.core.yaml_tree import parse_yaml
    from param_lsp.engine.analyze import analyze

    rows = []
    for label, text in documents(quick):
        analyze(text)  # imports, rule registry, memo tables
        edits = _one_key_edits(text)
        cache = DocumentCache()
        analyze(text, cache=cache)
        times: dict[str, list[float]] = {
            "compose": [], "load": [], "parse_yaml": [], "analyze": [], "edit": []
        }  # fmt: skip
        for number in range(repeat):
            times["compose"].append(_timed(lambda text=text: yaml.compose(text, Loader=LOADER)))
            times["load"].append(_timed(lambda text=text: yaml.load(text, Loader=LOADER)))
            times["parse_yaml"].append(_timed(lambda text=text: parse_yaml(text)))
            times["analyze"].append(_timed(lambda text=text: analyze(text)))
            edited = edits[number % 2]
            times["edit"].append(
                _timed(lambda edited=edited, cache=cache: analyze(edited, cache=cache))
            )
        med = {key: statistics.median(values) for key, values in times.items()}
        rows.append(
            {
                "document": label,
                "lines": text.count("\n"),
                "findings": len(analyze(text).findings),
                **{f"{key}_ms": round(value, 2) for key, value in med.items()},
                "analyze_over_compose": round(med["analyze"] / med["compose"], 2),
                "analyze_over_load": round(med["analyze"] / med["load"], 2),
                "edit_over_compose": round(med["edit"] / med["compose"], 2),
            }
        )
    return rows


def _one_key_edits(text: str) -> tuple[str, str]:
    """Two versions of ``text`` differing in one digit near the middle (a keystroke)."""
    lines = text.split("\n")
    target = next(i for i in range(len(lines) // 2, len(lines)) if lines[i].rstrip()[-1:].isdigit())
    versions = []
    for digit in "23":
        changed = list(lines)
        changed[target] = changed[target].rstrip()[:-1] + digit
        versions.append("\n".join(changed))
    return versions[0], versions[1]


def workspace_speed(n_components: int) -> dict[str, Any]:
    """300 operation files, each with a pathRef to its own component, in one Workspace."""
    from param_lsp.core.settings import Settings
    from param_lsp.core.workspace import Workspace
    from param_lsp.engine.analyze import analyze

    with tempfile.TemporaryDirectory(prefix="param-lsp-ws-") as tmp:
        root = Path(tmp)
        operations = workspace(root, n_components)
        texts = [(path, path.read_text()) for path in operations]
        settings = Settings(root=str(root))
        space = Workspace(root=root)
        cold = _timed(lambda: [analyze(t, p, settings, space) for p, t in texts])
        warm = [
            _timed(lambda: [analyze(t, p, settings, space) for p, t in texts]) for _ in range(3)
        ]
        findings = sum(len(analyze(t, p, settings, space).findings) for p, t in texts)
        compose = _timed(
            lambda: [
                yaml.compose(path.read_text(), Loader=LOADER)
                for path in [*operations, *sorted((root / "components").iterdir())]
            ]
        )
    return {
        "files": n_components * 2,
        "cold_ms": round(cold, 1),
        "warm_ms": round(statistics.median(warm), 1),
        "findings": findings,
        "compose_all_files_ms": round(compose, 1),
    }


# ---------------------------------------------------------------------------- CLI


def check_throughput(repeat: int) -> dict[str, Any]:
    """`param-lsp check CORPUS` in one process (wall time includes interpreter start)."""
    if not CORPUS.is_dir():
        return {"skipped": f"no corpus at {CORPUS}"}
    files = [p for p in CORPUS.rglob("*") if p.suffix in (".yaml", ".yml")]
    command = [sys.executable, "-m", "param_lsp", "check", "--format", "json", str(CORPUS)]
    walls = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        walls.append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import param_lsp.cli.main"], check=False)
    import_ms = (time.perf_counter() - started) * 1000
    wall = statistics.median(walls)
    # The same run without compiled bytecode (every module compiled at start, as in a source
    # checkout with PYTHONDONTWRITEBYTECODE=1).
    with tempfile.TemporaryDirectory(prefix="param-lsp-pyc-") as empty:
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPYCACHEPREFIX": empty}
        cold = statistics.median(_run_measured(command, env)["wall_s"] for _ in range(repeat))
    floor = compose_floor(files)
    one = _run_measured([*command[:4], "-j", "1", *command[4:]])
    return {
        "yaml_files": len(files),
        "bytecode_compiled": True,
        "wall_ms_without_bytecode": round(cold * 1000, 1),
        "files_per_s_without_bytecode": round(len(files) / cold, 1),
        "compose_wall_s": floor["wall_s"],
        "compose_cpu_s": floor["cpu_s"],
        "cpu_s_one_core": one["cpu_s"],
        "cpu_over_compose": round(one["cpu_s"] / floor["cpu_s"], 2),
        "wall_ms": round(wall, 1),
        "startup_and_import_ms": round(import_ms, 1),
        "files_per_s": round(len(files) / (wall / 1000), 1),
        "ms_per_file": round(wall / len(files), 2),
    }


# ---------------------------------------------------------------------------- language server


def _position_of(text: str, needle: str, after: str = "", occurrence: str = "middle") -> dict:
    lines = text.split("\n")
    hits = [i for i, line in enumerate(lines) if needle in line]
    line = hits[len(hits) // 2] if occurrence == "middle" else hits[0]
    column = lines[line].index(needle) + len(after or needle)
    return {"line": line, "character": column}


#: What each completion probe must offer (a label), so that a figure never times an empty answer.
EXPECTED_LABELS = {"globals": "uuid", "params": "param_0", "ref": "ops.op-0", "template": "param_0"}


def check_answer(name: str, method: str, answer: Any, expected: str | None = None) -> None:
    if method.endswith("completion"):
        items = answer.get("items", []) if isinstance(answer, dict) else (answer or [])
        labels = {item["label"] for item in items}
        wanted = expected or EXPECTED_LABELS[name]
        if wanted not in labels:
            raise AssertionError(
                f"completion {name}: {wanted!r} not offered ({len(labels)} items: "
                f"{sorted(labels)[:5]})"
            )
    elif not (answer and answer.get("contents")):
        raise AssertionError(f"hover {name}: no answer")


def lsp_start(repeat: int) -> dict[str, Any]:
    """Process start → initialize result (no document)."""
    times, cpu = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        client = RawClient()
        client.initialize(None)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append(client.cpu_seconds() * 1000)
        client.close()
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=False)
    bare = (time.perf_counter() - started) * 1000
    # What bounds start-up: the CPU time of importing the protocol types (pygls needs them).
    probe = (
        "import time; t = time.process_time(); import lsprotocol.types; "
        "print((time.process_time() - t) * 1000)"
    )
    imports = [
        float(subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True).stdout)
        for _ in range(3)
    ]
    return {
        "initialize": summary(times),
        "initialize_cpu_ms": summary(cpu),
        "lsprotocol_types_import_cpu_ms": round(statistics.median(imports), 1),
        "bare_interpreter_ms": round(bare, 1),
        "breakdown_cpu_ms": _start_breakdown(),
    }


#: Fresh processes, each doing one step more than the one before (CPU of the whole process).
_START_STEPS = {
    "interpreter": "pass",
    "lsprotocol.types": "import lsprotocol.types",
    "pygls server": "import lsprotocol.types, pygls.lsp.server",
    "param_lsp server module": "import sys; sys.modules['ssl'] = None; import param_lsp.lsp.server",
}


def _start_breakdown(repeat: int = 5) -> dict[str, float]:
    """Where start-up CPU goes: medians of whole-process CPU (user + system) per step."""
    out = {}
    for name, code in _START_STEPS.items():
        cpu = [_run_measured([sys.executable, "-c", code])["cpu_s"] for _ in range(repeat)]
        out[name] = round(statistics.median(cpu) * 1000, 1)
    return out


def lsp_session(label: str, text: str, repeat: int, requests: int, edits: int) -> dict[str, Any]:
    """Open → diagnostics, keystrokes, a burst, completion/hover, RSS over many edits."""
    out: dict[str, Any] = {"document": label, "lines": text.count("\n")}
    with tempfile.TemporaryDirectory(prefix="param-lsp-bench-") as tmp:
        root = Path(tmp)
        path = root / "big.yaml"
        path.write_text(text)
        uri = path.as_uri()
        client = RawClient()
        try:
            client.initialize(root)
            out["rss_idle_kb"] = client.rss_kb()
            opened = time.perf_counter()
            client.open(uri, text)
            first = client.wait_diagnostics(uri, 1, timeout=120)
            out["open_to_diagnostics_ms"] = round((time.perf_counter() - opened) * 1000, 1)
            out["findings_on_open"] = len(first["diagnostics"])
            out["rss_after_open_kb"] = client.rss_kb()
            out["parse_compose_ms"] = round(
                statistics.median(
                    _timed(lambda: yaml.compose(text, Loader=LOADER)) for _ in range(5)
                ),
                1,
            )
            version = 1
            lines = text.split("\n")
            middle = len(lines) // 2
            target = next(i for i in range(middle, len(lines)) if lines[i].rstrip()[-1:].isdigit())
            column = len(lines[target].rstrip()) - 1

            def keystroke(digit: str) -> None:
                nonlocal version
                version += 1
                client.change(uri, version, digit, (target, column, target, column + 1))

            # one keystroke in the middle → diagnostics (debounce included); keystrokes
            # 0.3 s apart, so each is a single edit rather than part of a typing burst
            latencies, cpu_per_key = [], []
            for i in range(repeat):
                time.sleep(0.3)
                cpu_before = client.cpu_seconds()
                started = time.perf_counter()
                keystroke("2" if i % 2 else "3")
                client.wait_diagnostics(uri, version)
                latencies.append((time.perf_counter() - started) * 1000)
                # The index built after the publication is part of a keystroke's cost.
                client.drain(0.1)
                cpu_per_key.append((client.cpu_seconds() - cpu_before) * 1000)
            out["keystroke_to_diagnostics_ms"] = summary(latencies)
            # Server CPU of one keystroke (the index after the diagnostics included); the
            # kernel counts it in clock ticks (10 ms), so only the mean over many means much.
            out["keystroke_server_cpu_ms_mean"] = round(statistics.fmean(cpu_per_key), 1)

            # bursts of 20 keystrokes 50 ms apart
            bursts = []
            for _ in range(max(2, repeat // 3)):
                before = client.request("$/paramLsp/stats", None)["analyses"]
                cpu_before = client.cpu_seconds()
                for i in range(20):
                    keystroke("2" if i % 2 else "3")
                    last_sent = time.perf_counter()
                    if i < 19:
                        time.sleep(0.05)
                client.wait_diagnostics(uri, version)
                after_last = (time.perf_counter() - last_sent) * 1000
                client.drain(0.3)
                analyses = client.request("$/paramLsp/stats", None)["analyses"] - before
                cpu_ms = (client.cpu_seconds() - cpu_before) * 1000
                bursts.append((after_last, analyses, cpu_ms))
            out["burst_20x50ms"] = {
                "last_key_to_diagnostics_ms": summary([b[0] for b in bursts]),
                "analyses_per_burst": [b[1] for b in bursts],
                # Server CPU over a burst (~1 s of typing, the drain after it included).
                "server_cpu_ms_per_burst": summary([b[2] for b in bursts]),
            }

            # completion / hover
            for name, needle, after in (
                ("globals", "{{ globals.", ""),
                ("params", "params:", None),
                ("ref", "  ref: ops.", ""),
                ("template", "{{ param_", "{{ "),
            ):
                if needle not in text:
                    continue
                expected = None
                if after is None:  # the first key under `params:`: its input is offered
                    line = next(i for i, ln in enumerate(lines) if ln.startswith("params:")) + 1
                    position = {"line": line, "character": 2}
                    expected = lines[line].strip().split(":")[0]
                else:
                    position = _position_of(text, needle, after)
                for method in ("textDocument/completion", "textDocument/hover"):
                    times = []
                    params = {"textDocument": {"uri": uri}, "position": position}
                    for _ in range(requests):
                        started = time.perf_counter()
                        answer = client.request(method, params)
                        times.append((time.perf_counter() - started) * 1000)
                    # A latency counts only for a correct, non-empty answer.
                    check_answer(name, method, answer, expected)
                    out[f"{method.split('/')[1]}_{name}_ms"] = summary(times)

            # memory over many edits, each analysed (what leaks per analysis shows up here):
            # RSS after every 250 edits
            rss = []
            before = client.request("$/paramLsp/stats", None)["analyses"]
            for i in range(edits):
                keystroke(str(i % 10))
                client.wait_diagnostics(uri, version, timeout=120)
                if (i + 1) % 250 == 0:
                    rss.append(client.rss_kb())
            out["rss_every_250_edits_kb"] = rss
            out["analyses_over_the_edits"] = (
                client.request("$/paramLsp/stats", None)["analyses"] - before
            )
            out["analyses_total"] = client.request("$/paramLsp/stats", None)["analyses"]
        finally:
            client.close()
    return out


# ---------------------------------------------------------------------------- workspace scale


def _run_measured(command: list[str], env: dict[str, str] | None = None) -> dict[str, float]:
    """Wall and CPU seconds (the process and the workers it waited for) and peak RSS (MB)."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env or os.environ.copy()
    )
    _pid, _status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    return {
        "wall_s": round(wall, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "rss_mb": round(usage.ru_maxrss * 1024 / 1e6, 1),
    }


def compose_floor(files: list[Path]) -> dict[str, float]:
    """Reading and composing every file with the C loader, in one fresh process."""
    script = (
        "import sys, yaml\nL = yaml.CSafeLoader\n"
        "for p in sys.stdin.read().split('\\n'):\n"
        "    try:\n"
        "        p and yaml.compose(open(p, 'rb').read().decode(), Loader=L)\n"
        "    except (yaml.YAMLError, UnicodeDecodeError, RecursionError):\n"
        "        pass\n"
    )
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE)
    assert proc.stdin is not None
    proc.stdin.write("\n".join(str(p) for p in files).encode())
    proc.stdin.close()
    _pid, _status, usage = os.wait4(proc.pid, 0)
    return {
        "wall_s": round(time.perf_counter() - started, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
    }


def workspace_scenario(n_files: int, requests: int = 20) -> dict[str, Any]:
    """A generated monorepo of ``n_files`` polyaxonfiles (benchmarks/monorepo.py): the server's
    index (time, CPU, RSS, completeness), references and rename on a shared component's input
    (latency, completeness against the generator's own count), `param-lsp check` on one and
    two cores; each against the compose floor of the same files in the same run."""
    from benchmarks.monorepo import generate

    out: dict[str, Any] = {"files": n_files}
    with tempfile.TemporaryDirectory(prefix="param-lsp-mono-") as tmp:
        root = Path(tmp)
        (root / ".git").mkdir()
        made = generate(root, n_files)
        out["lines_median"] = statistics.median(made.lines)
        floor = compose_floor(made.files)
        out["compose"] = floor
        check = [sys.executable, "-m", "param_lsp", "check", "--format", "json"]
        for jobs in (1, 2):
            run = _run_measured([*check, "-j", str(jobs), str(root)])
            run["files_per_s"] = round(n_files / run["wall_s"], 1)
            run["cpu_over_compose"] = round(run["cpu_s"] / floor["cpu_s"], 2)
            run["wall_over_compose"] = round(run["wall_s"] / floor["wall_s"], 2)
            out[f"check_j{jobs}"] = run

        cache_env = {"PARAM_LSP_CACHE_DIR": str(Path(tmp) / "index-cache")}
        client = RawClient(scan=True, env=cache_env)
        try:
            started = time.perf_counter()
            client.initialize(root, progress=True)
            cpu_start = client.cpu_seconds()
            ended = client.wait_progress_end(timeout=900)
            stats = client.request("$/paramLsp/stats", None)
            index = {
                "wall_s": round(ended - started, 2),
                "cpu_s": round(client.cpu_seconds() - cpu_start, 2),
                "rss_mb": round(client.rss_kb() * 1024 / 1e6, 1),
                "indexed_files": stats["indexed_files"],
                "complete": stats["indexed_files"] == n_files and stats["index_complete"],
                "progress_reports": sum(
                    1 for _, p in client.progress if p.get("value", {}).get("kind") == "report"
                ),
            }
            index["cpu_over_compose"] = round(index["cpu_s"] / floor["cpu_s"], 2)
            out["index"] = index
            component = made.components[0]
            uri = component.as_uri()
            text = component.read_text()
            client.open(uri, text)
            client.wait_diagnostics(uri, 1, timeout=120)
            line = text.split("\n").index("  - name: lr")
            where = {"textDocument": {"uri": uri}, "position": {"line": line, "character": 12}}
            expected = made.lr_sites[0]
            times, found = [], 0
            for _ in range(requests):
                began = time.perf_counter()
                answer = client.request(
                    "textDocument/references", {**where, "context": {"includeDeclaration": True}}
                )
                times.append((time.perf_counter() - began) * 1000)
                found = len(answer or [])
            if found != expected:
                raise AssertionError(f"references: {found} sites, the generator wrote {expected}")
            out["references"] = {**summary(times), "sites": found, "expected": expected}
            times, edits = [], 0
            for _ in range(max(3, requests // 2)):
                began = time.perf_counter()
                answer = client.request("textDocument/rename", {**where, "newName": "rate"})
                times.append((time.perf_counter() - began) * 1000)
                edits = sum(len(v) for v in (answer or {}).get("changes", {}).values())
            if edits != expected:
                raise AssertionError(f"rename: {edits} edits, the generator wrote {expected}")
            out["rename"] = {**summary(times), "edits": edits, "expected": expected}
            out["server_rss_after_mb"] = round(client.rss_kb() * 1024 / 1e6, 1)
        finally:
            client.close()
        # Reopened: the index read back from the cache the first server wrote.
        client = RawClient(scan=True, env=cache_env)
        try:
            started = time.perf_counter()
            client.initialize(root, progress=True)
            cpu_start = client.cpu_seconds()
            ended = client.wait_progress_end(timeout=900)
            stats = client.request("$/paramLsp/stats", None)
            out["index_reopened"] = {
                "wall_s": round(ended - started, 2),
                "cpu_s": round(client.cpu_seconds() - cpu_start, 2),
                "rss_mb": round(client.rss_kb() * 1024 / 1e6, 1),
                "indexed_files": stats["indexed_files"],
                "from_cache": stats["index_reused"],
            }
        finally:
            client.close()
    return out
