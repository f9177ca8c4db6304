"""`param-lsp graph FILE`: the DAG of a polyaxonfile as Mermaid, Graphviz DOT or JSON.

The file is analysed exactly as `param-lsp check` analyses it (same configuration and workspace
root), so the graph shows the same errors, in red, with a legend.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from param_lsp.cli.check import _explicit_config, _workspace_root
from param_lsp.cli.results import UsageError, shown_path
from param_lsp.core.safe_read import read_file
from param_lsp.core.workspace import MAX_FILE_BYTES, Workspace
from param_lsp.engine.analyze import analyze
from param_lsp.engine.config import ConfigError, load_config, settings_from


def run_graph(args: argparse.Namespace) -> int:
    from param_lsp.features.graph import build_graph
    from param_lsp.features.graph_formats import render

    path = Path(args.file)
    # Opened once without blocking, a regular file only, never more than the analysed size.
    got = read_file(path, MAX_FILE_BYTES)
    if got.data is None:
        reason = {
            "missing": "No such file or directory",
            "not-a-file": f"not a regular file ({got.detail})",
            "too-large": f"larger than {MAX_FILE_BYTES:,} bytes",
        }.get(got.error or "", got.detail or str(got.error))
        raise UsageError(f"cannot read {shown_path(str(path))}: {reason}")
    try:
        text = got.data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{shown_path(str(path))} is not UTF-8 text ({exc.reason})") from exc
    explicit = _explicit_config(args)
    try:
        config = explicit if explicit is not None else load_config(path)
        settings = settings_from(
            config, {"target_version": args.target_version, "strict_params": None, "params": {}}
        )
    except ConfigError as exc:
        raise UsageError(str(exc)) from exc
    root = Path(os.path.abspath(path)).parent
    analysis = analyze(text, path, settings, Workspace(root=_workspace_root(root)))
    graph = build_graph(analysis)
    graph.path = path  # as the user named it
    if graph.dag_file is not None:
        sys.stderr.write(f"param-lsp: {path} runs the DAG of {graph.dag_file}: graph that file\n")
    elif not graph.is_dag:
        sys.stderr.write(f"param-lsp: {path} defines no DAG (`run.kind: dag` with operations)\n")
    sys.stdout.write(render(graph, args.format))
    return 1 if graph.error_count else 0
