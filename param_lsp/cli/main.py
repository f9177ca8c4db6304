"""`param-lsp check|graph|rules|serve`: exit 0 = no error, 1 = errors found, 2 = usage or I/O
problem.

Only argument parsing happens here; each command imports what it needs, so that `serve`
starts without loading the analysis core.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from param_lsp import IDENTITY
from param_lsp.cli.results import UsageError


def run_check(args: argparse.Namespace) -> int:
    from param_lsp.cli.check import run_check as check

    return check(args)


def run_graph(args: argparse.Namespace) -> int:
    from param_lsp.cli.graph import run_graph as graph

    return graph(args)


def run_rules(args: argparse.Namespace) -> int:
    from param_lsp.rules import docs

    if args.rule:
        rule = docs.find_rule(args.rule)
        if rule is None:
            raise UsageError(f"no rule has the code or name `{args.rule}`; run `param-lsp rules`")
        if args.format == "json":
            import json

            json.dump(rule.to_json(), sys.stdout, indent=2)
            sys.stdout.write("\n")
        else:
            sys.stdout.write("\n".join([*docs.rule_section(rule), "", rule.url]) + "\n")
        return 0
    if args.format == "json":
        import json

        json.dump(docs.rules_json(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(docs.rules_markdown())
    return 0


def run_serve(args: argparse.Namespace) -> int:
    # The server talks over stdio and never opens a connection, so TLS stays out of the
    # process: asyncio imports `ssl` only if it can, and OpenSSL's libraries cost ~4.5 MB of
    # resident memory and ~8 ms of start-up.
    sys.modules.setdefault("ssl", None)  # type: ignore[arg-type]
    from param_lsp.lsp.server import serve

    return serve()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="param-lsp", description="Language server and linter for Polyaxon polyaxonfiles."
    )
    parser.add_argument("--version", action="version", version=IDENTITY)
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
    check.add_argument(
        "--url-map",
        action="append",
        metavar="URL_PREFIX=FOLDER",
        help="read a urlRef starting with URL_PREFIX from FOLDER + the rest of the URL",
    )
    check.add_argument(
        "--no-public-hub",
        dest="public_hub",
        action="store_const",
        const=False,
        default=None,
        help="do not resolve hubRefs with the bundled public hub facts",
    )
    check.add_argument("--no-color", action="store_true")
    check.add_argument(
        "--select",
        action="append",
        metavar="RULES",
        help="report only these rules: codes, code prefixes (PLX3), names or ALL, comma-separated",
    )
    check.add_argument(
        "--ignore", action="append", metavar="RULES", help="never report these rules (same forms)"
    )
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when errors are found")
    check.add_argument(
        "--statistics",
        action="store_true",
        help="print how often each rule fired, not the findings",
    )
    check.add_argument(
        "-q", "--quiet", action="store_true", help="print the findings only (no source, no summary)"
    )
    fixing = check.add_mutually_exclusive_group()
    fixing.add_argument(
        "--fix",
        action="store_true",
        help="apply the safe fixes (quote an unquoted template, a did-you-mean with one "
        "unambiguous candidate) and report what is left",
    )
    fixing.add_argument(
        "--diff", action="store_true", help="print the safe fixes as a diff, change no file"
    )
    check.set_defaults(func=run_check)
    graph = sub.add_parser(
        "graph",
        help="print the DAG of a polyaxonfile (Mermaid, Graphviz DOT or JSON); errors in red",
    )
    graph.add_argument("file", metavar="FILE")
    graph.add_argument(
        "--format",
        choices=("mermaid", "dot", "json"),
        default="mermaid",
        help="mermaid (default; renders in GitHub Markdown), dot (Graphviz), json (for tools)",
    )
    graph.add_argument(
        "--target-version", choices=("2.18", "2.16"), default=None, help="default: 2.18"
    )
    graph_config = graph.add_mutually_exclusive_group()
    graph_config.add_argument("--config", metavar="FILE")
    graph_config.add_argument("--no-config", action="store_true")
    graph.set_defaults(func=run_graph)
    rules = sub.add_parser("rules", help="print the rule reference, or one rule")
    rules.add_argument("rule", nargs="?", metavar="CODE|NAME", help="only this rule")
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
    except BrokenPipeError:
        # The reader went away (`param-lsp check … | head`): no traceback, and none at exit
        # when the interpreter flushes stdout again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
