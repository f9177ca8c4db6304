"""`param-lsp check`: file discovery, configuration, analysis and reporting."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from param_lsp.cli import conventions
from param_lsp.cli.results import FileResult, UsageError
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
from param_lsp.core.settings import Settings
from param_lsp.core.span import Span
from param_lsp.core.workspace import Workspace


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


def _discover(paths: Sequence[str]) -> Iterator[tuple[Path, bool]]:
    """(file, explicit): explicit files are always checked, folder files only if they look right."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for dirpath, dirnames, filenames in os.walk(path):
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
    files = list(_discover(args.paths))
    show_progress = sys.stderr.isatty() and len(files) > 20
    for index, (path, explicit) in enumerate(files, 1):
        if show_progress:
            sys.stderr.write(f"\r[{index}/{len(files)}] {path}"[:120].ljust(120))
        display = str(path)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            if explicit:
                sys.stderr.write(f"param-lsp: cannot read {path}: {exc.strerror or exc}\n")
                io_problem = True
            continue
        try:
            text = raw.decode("utf-8")
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
    nothing_checked = not results and not io_problem and not args.only_polyaxonfiles
    if nothing_checked:
        sys.stderr.write(
            "param-lsp: warning: no polyaxonfile was checked (folders are searched for files "
            "with `kind: operation|component` or other Polyaxon-only markers; name a file to "
            "check it anyway)\n"
        )
    if args.statistics:
        conventions.statistics(results, sys.stdout)
    elif args.diff:
        pass  # the diffs were the output
    elif args.format == "json":
        from param_lsp.cli.reporters import json_report

        json_report.report(results, sys.stdout)
    elif args.format == "sarif":
        from param_lsp.cli.reporters import sarif

        sarif.report(results, sys.stdout)
    elif args.format == "github":
        from param_lsp.cli.reporters import github

        github.report(results, sys.stdout)
    else:
        from param_lsp.cli.reporters import text as text_report

        colour = not args.no_color and sys.stdout.isatty() and "NO_COLOR" not in os.environ
        text_report.report(results, sys.stdout, colour=colour, quiet=args.quiet)
    if io_problem or nothing_checked:
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
        sys.stdout.write(conventions.unified_diff(str(path), text, fixed))
        return text, findings, applied
    try:
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(fixed)
    except OSError as exc:
        sys.stderr.write(f"param-lsp: cannot write {path}: {exc.strerror or exc}\n")
        return text, findings, -1
    if not args.quiet:
        sys.stderr.write(f"param-lsp: fixed {applied} problem(s) in {path}\n")
    return fixed, left, applied


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
