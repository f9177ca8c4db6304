"""`param-lsp check`: file discovery, configuration, analysis and reporting."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from param_lsp.cli.results import FileResult, UsageError, shown_path
from param_lsp.core.analyze import analyze
from param_lsp.core.config import (
    EMPTY_CONFIG,
    ConfigError,
    ProjectConfig,
    load_config,
    load_config_file,
    settings_from,
)
from param_lsp.core.detect import looks_like_polyaxonfile
from param_lsp.core.findings import Severity
from param_lsp.core.safe_read import read_file
from param_lsp.core.span import Span
from param_lsp.core.workspace import MAX_FILE_BYTES, Workspace


def _parse_cli_params(values: Sequence[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageError(f"Invalid format for -P parameter: '{item}'. Use -P name=value.")
        if name in params:
            raise UsageError(f"Repeated parameter: '{name}'")
        params[name] = value
    return params


def _discover(paths: Sequence[str], problems: list[str]) -> Iterator[tuple[Path, bool]]:
    """(file, explicit): explicit files are always checked, folder files only if they look right.

    A folder that cannot be listed is added to ``problems`` (never skipped silently).
    """

    def unlisted(exc: OSError) -> None:
        problems.append(f"cannot read folder {exc.filename}: {exc.strerror or exc}")

    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for dirpath, dirnames, filenames in os.walk(path, onerror=unlisted):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "node_modules")))
                for name in sorted(filenames):
                    if name.endswith((".yaml", ".yml")):
                        yield Path(dirpath) / name, False
        else:
            yield path, True


def run_check(args: argparse.Namespace) -> int:
    # CLI flags override the nearest configuration file (see core/config.py for precedence).
    overrides = {
        "target_version": args.target_version,
        "strict_params": args.strict_params,
        "params": _parse_cli_params(args.param or []),
    }
    explicit_config = _explicit_config(args)
    results: list[FileResult] = []
    workspaces: dict[Path, Workspace] = {}
    problems: list[str] = []
    files = list(_discover(args.paths, problems))
    show_progress = sys.stderr.isatty() and len(files) > 20
    for index, (path, explicit) in enumerate(files, 1):
        if show_progress:
            sys.stderr.write(f"\r[{index}/{len(files)}] {shown_path(str(path))}"[:120].ljust(120))
        display = str(path)
        # Opened once without blocking (a FIFO), regular files only (not /dev/zero), and never
        # more than the analysed size read.
        got = read_file(path, MAX_FILE_BYTES)
        if got.error == "too-large":
            from param_lsp.rules.syntax import UNSAFE_DOCUMENT

            size = f"{got.key[1]:,} bytes" if got.key is not None else "more bytes"
            message = (
                f"Not analysed: the file has {size}, more than the {MAX_FILE_BYTES:,} analysed"
            )
            results.append(
                FileResult(display, None, [UNSAFE_DOCUMENT.at(Span.of(0, 0, 0, 0), message)])
            )
            continue
        if got.data is None:
            if got.error == "missing" and explicit:
                problems.append(f"cannot read {path}: No such file or directory")
            elif got.error == "not-a-file":
                if explicit:
                    problems.append(f"cannot read {path}: not a regular file ({got.detail})")
            elif got.error != "missing":
                problems.append(f"cannot read {path}: {got.detail or got.error}")
            continue
        try:
            text = got.data.decode("utf-8")
        except UnicodeDecodeError as exc:
            from param_lsp.rules.syntax import NOT_UTF8

            results.append(
                FileResult(
                    display,
                    None,
                    [
                        NOT_UTF8.at(
                            Span.of(0, 0, 0, 0), f"The file is not UTF-8 text ({exc.reason})"
                        )
                    ],
                )
            )
            continue
        try:
            config = explicit_config if explicit_config is not None else load_config(path)
            settings = settings_from(config, overrides)
        except ConfigError as exc:
            raise UsageError(str(exc)) from exc
        # Named files are always checked (unless --only-polyaxonfiles); folder files by
        # include/exclude, else by content.
        forced = explicit and not args.only_polyaxonfiles
        selected = None if forced else config.selects(path)
        if selected is None:
            selected = forced or looks_like_polyaxonfile(text)
        if not selected:
            continue
        root = Path(os.path.abspath(path)).parent
        workspace = workspaces.setdefault(root, Workspace(root=_workspace_root(root)))
        analysis = analyze(text, path, settings, workspace)
        results.append(FileResult(display, text, analysis.findings))
    if show_progress:
        sys.stderr.write("\r" + " " * 120 + "\r")
    out = sys.stdout
    if out is None:  # started with its standard output closed
        problems.append("cannot write the report: the standard output is closed")
    else:
        reconfigure = getattr(out, "reconfigure", None)
        if reconfigure is not None:  # a name that is not UTF-8 must not end the report
            with contextlib.suppress(ValueError):
                reconfigure(errors="backslashreplace")
        try:
            _report(args, results, out)
            out.flush()
        except BrokenPipeError:
            _silence_stdout()  # the reader stopped reading (`| head`): the verdict stands
        except OSError as exc:
            _silence_stdout()
            problems.append(f"cannot write the report: {exc.strerror or exc}")
    for problem in problems:
        sys.stderr.write(f"param-lsp: {shown_path(problem)}\n")
    if problems:
        return 2
    has_error = any(f.severity == Severity.ERROR for r in results for f in r.findings)
    return 1 if has_error else 0


def _report(args: argparse.Namespace, results: list[FileResult], out: TextIO) -> None:
    if args.format == "json":
        from param_lsp.cli.reporters import json_report

        json_report.report(results, out)
    elif args.format == "sarif":
        from param_lsp.cli.reporters import sarif

        sarif.report(results, out)
    elif args.format == "github":
        from param_lsp.cli.reporters import github

        github.report(results, out)
    else:
        from param_lsp.cli.reporters import text as text_report

        colour = not args.no_color and out.isatty() and "NO_COLOR" not in os.environ
        text_report.report(results, out, colour=colour)


def _silence_stdout() -> None:
    """Nothing more can be written: what is still buffered goes nowhere, without a second
    error when the interpreter flushes it at exit."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _explicit_config(args: argparse.Namespace) -> ProjectConfig | None:
    """`--no-config`: defaults only; `--config FILE`: that file for every checked file."""
    if args.no_config:
        return EMPTY_CONFIG
    if args.config is None:
        return None
    path = Path(args.config)
    if not path.is_file():
        raise UsageError(f"configuration file not found: {path}")
    try:
        return load_config_file(path)
    except ConfigError as exc:
        raise UsageError(str(exc)) from exc


def _workspace_root(start: Path) -> Path:
    """The nearest folder upwards holding a VCS or project marker; else the start folder."""
    for folder in (start, *start.parents):
        if any((folder / marker).exists() for marker in (".git", "pyproject.toml",
                                                          ".param-lsp.toml")):  # fmt: skip
            return folder
    return start
