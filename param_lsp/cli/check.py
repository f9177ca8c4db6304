"""`param-lsp check`: file discovery, configuration, analysis and reporting."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from param_lsp.cli import conventions
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
from param_lsp.core.detect import selected
from param_lsp.core.findings import Finding, Severity
from param_lsp.core.safe_read import read_file
from param_lsp.core.settings import Settings
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


def _parse_url_map(values: Sequence[str]) -> dict[str, str]:
    """`--url-map PREFIX=DIR` (DIR relative to the current folder)."""
    url_map: dict[str, str] = {}
    for item in values:
        prefix, sep, folder = item.rpartition("=")
        if not sep or not prefix or not folder:
            raise UsageError(f"Invalid --url-map '{item}'. Use --url-map URL_PREFIX=FOLDER.")
        url_map[prefix] = str(Path(folder).resolve())
    return url_map


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
        "url_map": _parse_url_map(args.url_map or []),
        "public_hub": args.public_hub,
    }
    explicit_config = _explicit_config(args)
    select = conventions.rule_codes(args.select)
    ignore = conventions.rule_codes(args.ignore)
    results: list[FileResult] = []
    fixable = 0
    io_problem = False
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
        # include/exclude, else by the detection rule (core/detect.py).
        if not selected(text, path, config, explicit=explicit and not args.only_polyaxonfiles):
            continue
        root = Path(os.path.abspath(path)).parent
        workspace = workspaces.setdefault(root, Workspace(root=_workspace_root(root)))
        findings = conventions.selected_findings(
            analyze(text, path, settings, workspace).findings, select, ignore
        )
        if args.fix or args.diff:
            rules = (select, ignore)
            text, findings, applied = _fix(args, path, text, findings, settings, workspace, rules)
            if applied < 0:
                io_problem = True
            else:
                fixable += applied
        results.append(FileResult(display, text, findings))
    if show_progress:
        sys.stderr.write("\r" + " " * 120 + "\r")
    for result in results:
        result.findings = conventions.selected_findings(result.findings, select, ignore)
    # Checking nothing is a usage problem, except for pre-commit and editors, which pass every
    # YAML file and expect most of them to be skipped.
    nothing_checked = (
        not results and not io_problem and not problems and not args.only_polyaxonfiles
    )
    if nothing_checked:
        sys.stderr.write(
            "param-lsp: warning: no polyaxonfile was checked (folders are searched for files "
            "with `kind: operation|component` or other Polyaxon-only markers; name a file to "
            "check it anyway)\n"
        )
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
    if problems or io_problem or nothing_checked:
        return 2
    has_error = any(f.severity == Severity.ERROR for r in results for f in r.findings)
    if args.diff:
        return 1 if fixable else 0
    return 1 if has_error and not args.exit_zero else 0


def _fix(
    args: argparse.Namespace,
    path: Path,
    text: str,
    findings: list[Finding],
    settings: Settings,
    workspace: Workspace,
    rules: tuple[frozenset[str] | None, frozenset[str] | None],
) -> tuple[str, list[Finding], int]:
    """`--fix` writes the safe fixes to the file, `--diff` prints them; the findings left are
    those of the fixed text. The count is the fixes applied (-1: the file cannot be written)."""

    def analyse(new_text: str) -> list[Finding]:
        found = analyze(new_text, path, settings, workspace).findings
        return conventions.selected_findings(found, *rules)

    fixed, left, applied = conventions.fix_text(text, findings, analyse)
    if not applied:
        return text, findings, 0
    if args.diff:
        if sys.stdout is not None:
            sys.stdout.write(conventions.unified_diff(str(path), text, fixed))
        return text, findings, applied
    if not workspace.allowed(path):  # a link out of the project: never written through
        sys.stderr.write(
            f"param-lsp: not fixing {shown_path(str(path))}: it leads outside {workspace.root}\n"
        )
        return text, findings, -1
    try:
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(fixed)
    except OSError as exc:
        sys.stderr.write(f"param-lsp: cannot write {path}: {exc.strerror or exc}\n")
        return text, findings, -1
    if not args.quiet:
        sys.stderr.write(f"param-lsp: fixed {applied} problem(s) in {path}\n")
    return fixed, left, applied


def _report(args: argparse.Namespace, results: list[FileResult], out: TextIO) -> None:
    if args.statistics:
        conventions.statistics(results, out)
    elif args.diff:
        pass  # the diffs were the output
    elif args.format == "json":
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
        text_report.report(results, out, colour=colour, quiet=args.quiet)


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
