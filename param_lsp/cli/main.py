"""`param-lsp check|rules|serve`: exit 0 = no error, 1 = errors found, 2 = usage or I/O problem."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from param_lsp import __version__
from param_lsp.cli.results import FileResult
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
from param_lsp.core.span import Span
from param_lsp.core.workspace import Workspace


class UsageError(Exception):
    pass


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
    }
    explicit_config = _explicit_config(args)
    results: list[FileResult] = []
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
    if args.format == "json":
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
        text_report.report(results, sys.stdout, colour=colour)
    if io_problem:
        return 2
    has_error = any(f.severity == Severity.ERROR for r in results for f in r.findings)
    return 1 if has_error else 0


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


def run_rules(args: argparse.Namespace) -> int:
    from param_lsp.rules import docs

    if args.format == "json":
        import json

        json.dump(docs.rules_json(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(docs.rules_markdown())
    return 0


def run_serve(args: argparse.Namespace) -> int:
    from param_lsp.lsp.server import serve

    serve()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="param-lsp", description="Language server and linter for Polyaxon polyaxonfiles."
    )
    parser.add_argument("--version", action="version", version=f"param-lsp {__version__}")
    sub = parser.add_subparsers(dest="command")
    check = sub.add_parser("check", help="check polyaxonfiles (files or folders)")
    check.add_argument("paths", nargs="+", metavar="PATH")
    check.add_argument(
        "--format",
        choices=("text", "json", "sarif", "github"),
        default="text",
        help="text (default), json (stable contract), sarif (SARIF 2.1.0), "
        "github (GitHub Actions annotations)",
    )
    check.add_argument(
        "--target-version", choices=("2.18", "2.16"), default=None, help="default: 2.18"
    )
    check.add_argument(
        "--only-polyaxonfiles",
        action="store_true",
        help="named files too are checked only if they look like polyaxonfiles and are not "
        "excluded by the configuration (for pre-commit and editors passing every YAML file)",
    )
    config = check.add_mutually_exclusive_group()
    config.add_argument(
        "--config",
        metavar="FILE",
        help="use this .param-lsp.toml / pyproject.toml instead of the nearest one",
    )
    config.add_argument(
        "--no-config", action="store_true", help="ignore configuration files (defaults + flags)"
    )
    strict = check.add_mutually_exclusive_group()
    strict.add_argument("--strict-params", dest="strict_params", action="store_true", default=None)
    strict.add_argument("--no-strict-params", dest="strict_params", action="store_false")
    check.add_argument("-P", "--param", action="append", metavar="NAME=VALUE")
    check.add_argument("--no-color", action="store_true")
    check.set_defaults(func=run_check)
    rules = sub.add_parser("rules", help="print the rule reference")
    rules.add_argument("--format", choices=("markdown", "json"), default="markdown")
    rules.set_defaults(func=run_rules)
    serve = sub.add_parser("serve", help="start the language server on stdio")
    serve.set_defaults(func=run_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        argv = ["serve"]
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 2 if exc.code not in (0, None) else 0
    try:
        return int(args.func(args))
    except UsageError as exc:
        sys.stderr.write(f"param-lsp: {exc}\n")
        return 2
