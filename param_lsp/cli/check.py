"""`param-lsp check`: file discovery, configuration, analysis and reporting.

Results are written as files are checked (memory does not grow with their number); large
folders are checked by worker processes, each taking neighbouring files, and the output keeps
the order of the files whatever the number of workers.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from param_lsp.cli import conventions
from param_lsp.cli.results import FileResult, UsageError, shown_path
from param_lsp.core.detect import selected
from param_lsp.core.findings import Finding, Severity
from param_lsp.core.safe_read import read_file
from param_lsp.core.settings import Settings
from param_lsp.core.span import Span
from param_lsp.core.workspace import MAX_FILE_BYTES, Workspace, nearest_upwards
from param_lsp.engine.analyze import analyze
from param_lsp.engine.config import (
    EMPTY_CONFIG,
    ConfigError,
    ConfigFinder,
    ProjectConfig,
    load_config_file,
    settings_from,
)


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
    """(file, explicit): explicit files are always checked, folder files only if they look right
    (the language server's workspace index finds files by the same rule).

    A folder that cannot be listed is added to ``problems`` (never skipped silently).
    """
    from param_lsp.core.detect import walk_yaml_files

    def unlisted(exc: OSError) -> None:
        problems.append(f"cannot read folder {exc.filename}: {exc.strerror or exc}")

    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for found in walk_yaml_files(path, onerror=unlisted):
                yield found, False
        else:
            yield path, True


#: Below this many files one process checks them all (a worker's start-up would cost more).
POOL_MIN_FILES = 200
#: Files per job of a worker: neighbours share components, so they go to the same worker.
POOL_CHUNK = 48


@dataclass(frozen=True, slots=True)
class _Problem:
    """A file that could not be checked (written to stderr after the report)."""

    message: str


Outcome = FileResult | _Problem | None


@dataclass(slots=True)
class _Run:
    """What one process needs to check files; its caches live as long as the run."""

    overrides: dict[str, Any]
    explicit_config: ProjectConfig | None
    only_polyaxonfiles: bool
    select: frozenset[str] | None = None
    ignore: frozenset[str] | None = None
    finder: ConfigFinder = field(default_factory=ConfigFinder)
    workspaces: dict[Path, Workspace] = field(default_factory=dict)
    markers: dict[str, str | None] = field(default_factory=dict)
    settings: dict[int, tuple[ProjectConfig, Settings]] = field(default_factory=dict)
    #: folder → its files' configuration, settings and workspace: the files of a run do not
    #: change, so a folder's are found once (not once per file).
    folders: dict[str, tuple[ProjectConfig, Settings, Workspace]] = field(default_factory=dict)

    def folder_of(self, path: Path) -> tuple[ProjectConfig, Settings, Workspace]:
        """The configuration, settings and workspace of the files in ``path``'s folder."""
        folder = os.path.dirname(os.path.abspath(path))
        known = self.folders.get(folder)
        if known is None:
            config = self.config_for(path)
            known = (config, self._settings_of(config), self.workspace_for(path))
            self.folders[folder] = known
        return known

    def config_for(self, path: Path) -> ProjectConfig:
        if self.explicit_config is not None:
            return self.explicit_config
        try:
            return self.finder.load(path)
        except ConfigError as exc:
            raise UsageError(str(exc)) from exc

    def settings_for(self, path: Path) -> Settings:
        return self._settings_of(self.config_for(path))

    def _settings_of(self, config: ProjectConfig) -> Settings:
        known = self.settings.get(id(config))
        if known is not None and known[0] is config:
            return known[1]
        try:
            made = settings_from(config, self.overrides)
        except ConfigError as exc:
            raise UsageError(str(exc)) from exc
        self.settings[id(config)] = (config, made)
        return made

    def workspace_for(self, path: Path) -> Workspace:
        root = _workspace_root(Path(os.path.dirname(os.path.abspath(path))), self.markers)
        workspace = self.workspaces.get(root)
        if workspace is None:
            workspace = self.workspaces[root] = Workspace(root=root, stable=True, track_users=False)
        return workspace

    def check(self, path: Path, explicit: bool) -> Outcome:
        """A file's result (its findings selected by --select/--ignore); a problem when it
        cannot be read; None when it is not checked."""
        result = self._check(path, explicit)
        if isinstance(result, FileResult):
            result.findings = conventions.selected_findings(
                result.findings, self.select, self.ignore
            )
        return result

    def _check(self, path: Path, explicit: bool) -> Outcome:
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
            return FileResult(display, None, [UNSAFE_DOCUMENT.at(Span.of(0, 0, 0, 0), message)])
        if got.data is None:
            if got.error == "missing" and explicit:
                return _Problem(f"cannot read {path}: No such file or directory")
            if got.error == "not-a-file":
                if explicit:
                    return _Problem(f"cannot read {path}: not a regular file ({got.detail})")
                return None
            if got.error != "missing":
                return _Problem(f"cannot read {path}: {got.detail or got.error}")
            return None
        try:
            text = got.data.decode("utf-8")
        except UnicodeDecodeError as exc:
            from param_lsp.rules.syntax import NOT_UTF8

            return FileResult(
                display,
                None,
                [NOT_UTF8.at(Span.of(0, 0, 0, 0), f"The file is not UTF-8 text ({exc.reason})")],
            )
        config, settings, workspace = self.folder_of(path)
        # Named files are always checked (unless --only-polyaxonfiles); folder files by
        # include/exclude, else by the detection rule (core/detect.py).
        if not selected(text, path, config, explicit=explicit and not self.only_polyaxonfiles):
            return None
        analysis = analyze(text, path, settings, workspace)
        return FileResult(display, text, analysis.findings)


#: The run of a pool worker (set by :func:`_start_worker`).
_WORKER_RUN: _Run | None = None


def _start_worker(run: _Run) -> None:
    global _WORKER_RUN
    _WORKER_RUN = run
    _collector_for_a_run()


def _collector_for_a_run() -> None:
    """What start-up made lives as long as the process: frozen, out of every collection. What
    each analysis leaves is collected as usual, young (not moved to the oldest generation,
    where the garbage of thousands of files would pile up until a rare full collection)."""
    from param_lsp.core.yaml_tree import keep_frozen_objects

    # No collection first: the little garbage of the imports is frozen with them (a full
    # collection here costs ~4 ms of every run).
    gc.freeze()
    keep_frozen_objects()


def _check_chunk(chunk: list[tuple[Path, bool]]) -> list[Outcome]:
    run = _WORKER_RUN
    assert run is not None
    out = [run.check(path, explicit) for path, explicit in chunk]
    for result in out:
        # Reporters read a file's text only to show its findings: none, nothing to send back.
        if isinstance(result, FileResult) and not result.findings:
            result.text = None
    return out


def _chunks(items: list[tuple[Path, bool]], size: int) -> Iterator[list[tuple[Path, bool]]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _jobs(requested: int | None, files: int) -> int:
    if requested is not None and requested > 0:
        return requested
    if files < POOL_MIN_FILES:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, files // POOL_MIN_FILES))


def _checked(run: _Run, files: list[tuple[Path, bool]], jobs: int) -> Iterator[Outcome]:
    """Each file's outcome in the order of ``files``, one process or ``jobs`` workers."""
    if jobs <= 1:
        for path, explicit in files:
            yield run.check(path, explicit)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Forked workers start with the analysis modules imported; elsewhere they are spawned.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_start_worker, initargs=(run,)
    ) as pool:
        for outcomes in pool.map(_check_chunk, _chunks(files, POOL_CHUNK)):
            yield from outcomes


def run_check(args: argparse.Namespace) -> int:
    # CLI flags override the nearest configuration file (see engine/config.py for precedence).
    overrides = {
        "target_version": args.target_version,
        "strict_params": args.strict_params,
        "params": _parse_cli_params(args.param or []),
        "url_map": _parse_url_map(args.url_map or []),
        "public_hub": args.public_hub,
    }
    _collector_for_a_run()
    run = _Run(
        overrides,
        _explicit_config(args),
        bool(args.only_polyaxonfiles),
        conventions.rule_codes(args.select),
        conventions.rule_codes(args.ignore),
    )
    problems: list[str] = []
    files = list(_discover(args.paths, problems))
    show_progress = sys.stderr.isatty() and len(files) > 20
    fixing = bool(args.fix or args.diff)
    # Fixes are written (or printed as diffs) file by file, in one process.
    jobs = 1 if fixing else _jobs(args.jobs, len(files))
    state = {"io_problem": False, "has_error": False, "checked": 0, "fixable": 0}

    def results() -> Iterator[FileResult]:
        for index, outcome in enumerate(_checked(run, files, jobs), 1):
            path = files[index - 1][0]
            if show_progress:
                sys.stderr.write(
                    f"\r[{index}/{len(files)}] {shown_path(str(path))}"[:120].ljust(120)
                )
            if isinstance(outcome, _Problem):
                problems.append(outcome.message)
                continue
            if outcome is None:
                continue
            if fixing and outcome.text is not None:
                text, findings, applied = _fix(args, path, outcome.text, outcome.findings, run)
                if applied < 0:
                    state["io_problem"] = True
                else:
                    state["fixable"] += applied
                outcome = FileResult(outcome.display, text, findings)
            state["checked"] += 1
            if any(f.severity == Severity.ERROR for f in outcome.findings):
                state["has_error"] = True
            yield outcome
        if show_progress:
            sys.stderr.write("\r" + " " * 120 + "\r")

    stream = results()
    out = sys.stdout
    if out is None:  # started with its standard output closed
        problems.append("cannot write the report: the standard output is closed")
        for _ in stream:
            pass  # the verdict still needs every file checked
    else:
        reconfigure = getattr(out, "reconfigure", None)
        if reconfigure is not None:  # a name that is not UTF-8 must not end the report
            with contextlib.suppress(ValueError):
                reconfigure(errors="backslashreplace")
        try:
            _report(args, stream, out)
            out.flush()
        except BrokenPipeError:
            _silence_stdout()  # the reader stopped reading (`| head`): the verdict stands
            for _ in stream:
                pass
        except OSError as exc:
            _silence_stdout()
            problems.append(f"cannot write the report: {exc.strerror or exc}")
            for _ in stream:
                pass
    # Checking nothing is a usage problem, except for pre-commit and editors, which pass every
    # YAML file and expect most of them to be skipped.
    nothing_checked = (
        not state["checked"]
        and not state["io_problem"]
        and not problems
        and not args.only_polyaxonfiles
    )
    if nothing_checked:
        sys.stderr.write(
            "param-lsp: warning: no polyaxonfile was checked (folders are searched for files "
            "with `kind: operation|component` or other Polyaxon-only markers; name a file to "
            "check it anyway)\n"
        )
    for problem in problems:
        sys.stderr.write(f"param-lsp: {shown_path(problem)}\n")
    if problems or state["io_problem"] or nothing_checked:
        return 2
    if args.diff:
        return 1 if state["fixable"] else 0
    return 1 if state["has_error"] and not args.exit_zero else 0


def _fix(
    args: argparse.Namespace, path: Path, text: str, findings: list[Finding], run: _Run
) -> tuple[str, list[Finding], int]:
    """`--fix` writes the safe fixes to the file, `--diff` prints them; the findings left are
    those of the fixed text. The count is the fixes applied (-1: the file cannot be written)."""
    settings, workspace = run.settings_for(path), run.workspace_for(path)

    def analyse(new_text: str) -> list[Finding]:
        found = analyze(new_text, path, settings, workspace).findings
        return conventions.selected_findings(found, run.select, run.ignore)

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
    # Changed on disk: later files that read it must not see the old text.
    workspace.drop_override(path)
    return fixed, left, applied


def _report(args: argparse.Namespace, results: Iterable[FileResult], out: TextIO) -> None:
    if args.statistics:
        # Counts only: the findings are kept, not the texts.
        conventions.statistics([FileResult(r.display, None, r.findings) for r in results], out)
    elif args.diff:
        for _ in results:
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


_ROOT_MARKERS = (".git", "pyproject.toml", ".param-lsp.toml")


def _workspace_root(start: Path, known: dict[str, str | None] | None = None) -> Path:
    """The nearest folder upwards holding a VCS or project marker; else the start folder.
    ``known``: folders already looked at, so the files of one tree share one walk."""
    found = nearest_upwards(str(start), _marked, {} if known is None else known)
    return Path(found) if found is not None else start


def _marked(folder: str) -> str | None:
    if any(os.path.exists(os.path.join(folder, marker)) for marker in _ROOT_MARKERS):
        return folder
    return None
