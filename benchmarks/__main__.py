"""`python -m benchmarks` (or `make bench`): every performance figure, as a table and JSON.

Options: --quick (fewer documents and repetitions), --skip-lsp, --json PATH,
--workspace-files N (the generated monorepo: 10,000 files, 2,000 with --quick; 0 skips it),
--only-workspace (just that scenario), --only-lsp (just the language server's start-up and
typing sessions: a run of a few minutes, to repeat on a shared machine).
Results go to benchmarks/results/latest.json (git-ignored); the README's "Performance"
section holds a copy of a full run's table.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import time
from pathlib import Path
from typing import Any

import param_lsp
from benchmarks import measure
from benchmarks.generate import dag, operation_lines

RESULTS = Path(__file__).parent / "results" / "latest.json"


def _load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


def table(results: dict[str, Any]) -> str:
    out = []
    out.append(
        "Analysis vs. the bare YAML parse (CSafeLoader), medians in ms; edit = re-analysis after "
        "one keystroke with the document's cache (what the server runs):"
    )
    out.append(
        f"{'document':<22}{'lines':>6}{'compose':>9}{'load':>8}{'tree':>8}{'analyze':>9}"
        f"{'/compose':>10}{'/load':>7}{'edit':>7}{'/compose':>10}"
    )
    for row in results["analysis"]:
        out.append(
            f"{row['document']:<22}{row['lines']:>6}{row['compose_ms']:>9.1f}{row['load_ms']:>8.1f}"
            f"{row['parse_yaml_ms']:>8.1f}{row['analyze_ms']:>9.1f}"
            f"{row['analyze_over_compose']:>9.2f}x{row['analyze_over_load']:>6.2f}x"
            f"{row['edit_ms']:>7.1f}{row['edit_over_compose']:>9.2f}x"
        )
    ws = results.get("workspace")
    if ws:
        out.append(
            f"workspace ({ws['files']} files, pathRefs): cold {ws['cold_ms']:.0f} ms, warm "
            f"{ws['warm_ms']:.0f} ms (compose of every file: {ws['compose_all_files_ms']:.0f} ms)"
        )
    check = results.get("check", {})
    if "wall_ms" in check:
        out.append(
            f"param-lsp check corpus ({check['yaml_files']} YAML files, bytecode compiled): "
            f"{check['wall_ms']:.0f} ms wall = {check['files_per_s']:.0f} files/s, "
            f"{check['ms_per_file']:.2f} ms/file (interpreter start + imports alone: "
            f"{check['startup_and_import_ms']:.0f} ms); without bytecode "
            f"{check['wall_ms_without_bytecode']:.0f} ms = "
            f"{check['files_per_s_without_bytecode']:.0f} files/s; one core "
            f"{check['cpu_s_one_core']:.2f} s CPU = {check['cpu_over_compose']:.1f}x the compose "
            f"floor ({check['compose_cpu_s']:.2f} s CPU)"
        )
    mono = results.get("monorepo")
    if mono:
        floor = mono["compose"]
        out.append(
            f"monorepo of {mono['files']} files (median {mono['lines_median']:.0f} lines): "
            f"compose floor {floor['cpu_s']:.2f} s CPU ({floor['wall_s']:.2f} s wall)"
        )
        for jobs in (1, 2):
            run = mono[f"check_j{jobs}"]
            out.append(
                f"  check -j{jobs}: {run['wall_s']:.2f} s wall ({run['files_per_s']:.0f} files/s, "
                f"{run['wall_over_compose']:.1f}x compose wall), {run['cpu_s']:.2f} s CPU "
                f"({run['cpu_over_compose']:.1f}x compose CPU), peak RSS {run['rss_mb']:.0f} MB"
            )
        index = mono["index"]
        out.append(
            f"  server index: {index['indexed_files']} files (complete: {index['complete']}) in "
            f"{index['wall_s']:.2f} s wall, {index['cpu_s']:.2f} s CPU "
            f"({index['cpu_over_compose']:.1f}x compose CPU), RSS {index['rss_mb']:.0f} MB, "
            f"{index['progress_reports']} progress reports"
        )
        again = mono.get("index_reopened")
        if again:
            out.append(
                f"  reopened (index cache): {again['indexed_files']} files, "
                f"{again['from_cache']} from the cache, in {again['wall_s']:.2f} s wall, "
                f"{again['cpu_s']:.2f} s CPU, RSS {again['rss_mb']:.0f} MB"
            )
        refs, rename = mono["references"], mono["rename"]
        out.append(
            f"  references: {refs['sites']}/{refs['expected']} sites, median "
            f"{refs['median']:.1f} ms, p95 {refs['p95']:.1f} ms; rename: {rename['edits']}/"
            f"{rename['expected']} edits, median {rename['median']:.1f} ms, p95 "
            f"{rename['p95']:.1f} ms; RSS after {mono['server_rss_after_mb']:.0f} MB"
        )
    start = results.get("lsp_start")
    if start:
        init = start["initialize"]
        out.append(
            f"server start → initialize result: median {init['median']:.0f} ms, p95 "
            f"{init['p95']:.0f} ms, server CPU median {start['initialize_cpu_ms']['median']:.0f} "
            f"ms, of which importing lsprotocol.types "
            f"{start['lsprotocol_types_import_cpu_ms']:.0f} ms "
            f"(bare `python -c pass`: {start['bare_interpreter_ms']:.0f} ms)"
        )
        steps = start.get("breakdown_cpu_ms", {})
        out.append(
            "  process CPU up to each step (ms): "
            + ", ".join(f"{name} {ms:.0f}" for name, ms in steps.items())
        )
    for session in results.get("lsp", []):
        out.append(f"LSP, {session['document']} ({session['lines']} lines):")
        out.append(
            f"  open → diagnostics {session['open_to_diagnostics_ms']:.0f} ms "
            f"(compose alone {session['parse_compose_ms']:.0f} ms)"
        )
        key = session["keystroke_to_diagnostics_ms"]
        out.append(
            f"  keystroke → diagnostics: median {key['median']:.0f} ms, p95 {key['p95']:.0f} ms; "
            f"server CPU per keystroke mean {session.get('keystroke_server_cpu_ms_mean', '?')} ms"
        )
        burst = session["burst_20x50ms"]
        out.append(
            "  burst 20 keys × 50 ms: last key → final diagnostics median "
            f"{burst['last_key_to_diagnostics_ms']['median']:.0f} ms, p95 "
            f"{burst['last_key_to_diagnostics_ms']['p95']:.0f} ms; analyses per burst "
            f"{burst['analyses_per_burst']}; server CPU per burst median "
            f"{burst['server_cpu_ms_per_burst']['median']:.0f} ms"
        )
        for name, value in session.items():
            if name.startswith(("completion_", "hover_")):
                out.append(
                    f"  {name[:-3]:<22} median {value['median']:.2f} ms, p95 {value['p95']:.2f} ms"
                )
        rss = session["rss_every_250_edits_kb"]

        def mb(kib: float) -> str:
            return f"{kib * 1024 / 1e6:.1f}"

        out.append(
            f"  RSS (MB = 10^6 bytes): idle {mb(session['rss_idle_kb'])}, after open "
            f"{mb(session['rss_after_open_kb'])}, after every 250 edits "
            + ", ".join(mb(kb) for kb in rss)
            + f" ({session.get('analyses_over_the_edits', '?')} analyses)"
        )
    out.append(f"({results['machine']})")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--skip-lsp", action="store_true")
    parser.add_argument("--json", type=Path, default=RESULTS)
    parser.add_argument("--workspace-files", type=int, default=None)
    parser.add_argument("--only-workspace", action="store_true")
    parser.add_argument("--only-lsp", action="store_true")
    args = parser.parse_args()
    n_files = args.workspace_files
    if args.only_lsp:
        n_files = 0
    elif n_files is None:
        n_files = 2000 if args.quick else 10000
    repeat = 5 if args.quick else 15
    results: dict[str, Any] = {
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
        "python": platform.python_version(),
        "load_before": _load(),
    }
    # Measure the server as it runs once installed: pip compiles a package's bytecode at
    # install time, while a source checkout (or PYTHONDONTWRITEBYTECODE) compiles every module
    # on each start, which costs ~100 ms and a few MB.
    compileall.compile_dir(Path(param_lsp.__file__).parent, quiet=1)
    if n_files:
        results["monorepo"] = measure.workspace_scenario(n_files)
    if args.only_workspace:
        args.skip_lsp = True
    only = args.only_workspace or args.only_lsp
    results["analysis"] = [] if only else measure.analysis_speed(repeat, args.quick)
    if not only:
        results["workspace"] = measure.workspace_speed(300)
        results["check"] = measure.check_throughput(3 if args.quick else 5)
    if not args.skip_lsp:
        results["lsp_start"] = measure.lsp_start(5 if args.quick else 15)
        results["lsp"] = [
            measure.lsp_session(
                "operation 5k lines",
                operation_lines(5000),
                repeat=10 if args.quick else 30,
                requests=50 if args.quick else 200,
                edits=250 if args.quick else 1000,
            ),
            measure.lsp_session(
                "DAG 500 ops",
                dag(500),
                repeat=10 if args.quick else 30,
                requests=50 if args.quick else 200,
                edits=250 if args.quick else 1000,
            ),
        ]
    results["machine"] = f"{platform.machine()}, {_load()} at the end"
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))
    print(f"JSON: {args.json}")


if __name__ == "__main__":
    main()
