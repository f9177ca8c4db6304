"""The pipeline graph over LSP: `workspace/executeCommand` and code lenses.

`param-lsp.graph` with arguments `[uri, format]` (format `mermaid`, the default, `dot` or
`json`) answers the graph of the open document as text (Mermaid, DOT) or as the JSON object,
whose ranges are in the client's position encoding (the ranges of a nested DAG written in another
file, whose nodes name it in `file`, in that file's; such an object also gets its `uri`). Code
lenses: one above `operations:` ("Pipeline graph: 3 ops · 1 error") and one above each op ("2
upstream · 3 downstream"); they run the client's graph command when it named one in
`initializationOptions.graphCommand` (the VS Code extension opens its graph view), else
`param-lsp.graph`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from lsprotocol import types

if TYPE_CHECKING:
    from param_lsp.features.document import DocumentView
    from param_lsp.features.graph import PipelineGraph
    from param_lsp.lsp.convert import Lines
    from param_lsp.lsp.server import ParamLanguageServer

GRAPH_COMMAND = "param-lsp.graph"
log = logging.getLogger(__name__)


def graph_of(
    ls: ParamLanguageServer, uri: str, *, nested: bool = True
) -> tuple[PipelineGraph, Any] | None:
    """The graph of an open document and its view (None when the document is not ours);
    ``nested``: with the graphs of nested DAGs."""
    from param_lsp.features.graph import build_graph

    view = ls.view_of(uri)
    if view is None:
        return None
    return build_graph(view.analysis, findings=view.findings or None, nested=nested), view


def _lines(ls: ParamLanguageServer, view: DocumentView) -> Lines:
    from param_lsp.lsp.convert import Lines

    return Lines(view.lines, ls.workspace.position_codec, view.text)


def _file_lines(ls: ParamLanguageServer, view: DocumentView) -> Callable[[str], Lines | None]:
    """The lines of another file (a pathRef's DAG), as the analysis read it."""
    from pathlib import Path

    from param_lsp.lsp.convert import Lines

    workspace = view.analysis.workspace if view.analysis is not None else None
    cache: dict[str, Lines | None] = {}

    def lines_of(file: str) -> Lines | None:
        if file not in cache:
            got = workspace.read(Path(file), track=False, parse=False) if workspace else None
            text = got.text if got is not None else None
            cache[file] = Lines.of(text, ls.workspace.position_codec) if text is not None else None
        return cache[file]

    return lines_of


def _client_ranges(
    data: Any, lines: Lines, lines_of: Callable[[str], Lines | None] | None = None
) -> Any:
    """The JSON with every `range` converted to the client's position encoding (within an
    object that names its `file`, with that file's lines)."""
    from pathlib import Path

    from param_lsp.core.span import Position, Span

    if isinstance(data, list):
        return [_client_ranges(item, lines, lines_of) for item in data]
    if not isinstance(data, dict):
        return data
    out: dict[str, Any] = {}
    file = data.get("file")
    if isinstance(file, str) and lines_of is not None:
        lines = lines_of(file) or lines
        out["uri"] = Path(file).as_uri()
    for key, value in data.items():
        if key == "range" and isinstance(value, dict):
            start, end = value["start"], value["end"]
            span = Span(
                Position(start["line"], start["character"]),
                Position(end["line"], end["character"]),
            )
            converted = lines.range_to_client(span)
            out[key] = {
                "start": {"line": converted.start.line, "character": converted.start.character},
                "end": {"line": converted.end.line, "character": converted.end.character},
            }
        else:
            out[key] = _client_ranges(value, lines, lines_of)
    return out


def execute_graph(ls: ParamLanguageServer, arguments: list[Any] | None) -> Any:
    from param_lsp.features.graph_formats import FORMATS, render

    args = list(arguments or [])
    if not args or not isinstance(args[0], str):
        raise ValueError(f"{GRAPH_COMMAND} expects the arguments [uri, format]")
    uri = args[0]
    fmt = args[1] if len(args) > 1 and args[1] is not None else "mermaid"
    if fmt not in FORMATS:
        raise ValueError(f"unknown graph format {fmt!r}; expected one of {', '.join(FORMATS)}")
    found = graph_of(ls, uri)
    if found is None:
        raise ValueError(f"{uri} is not an open polyaxonfile")
    graph, view = found
    if fmt == "json":
        data = _client_ranges(graph.to_json(), _lines(ls, view), _file_lines(ls, view))
        data["uri"] = uri
        return data
    return render(graph, fmt)


def graph_command_name(ls: ParamLanguageServer) -> str:
    options = ls.init_options
    if isinstance(options, dict):
        nested = options.get("param-lsp")
        for value in (options.get("graphCommand"), (nested or {}).get("graphCommand")):
            if isinstance(value, str) and value:
                return value
    return GRAPH_COMMAND


def code_lenses(ls: ParamLanguageServer, uri: str) -> list[types.CodeLens]:
    from param_lsp.core.findings import Severity
    from param_lsp.features.graph import OP, lens_counts

    # The lenses count the document's own ops and findings: nested DAGs are not expanded.
    found = graph_of(ls, uri, nested=False)
    if found is None:
        return []
    graph, view = found
    if not graph.is_dag or graph.operations_span is None:
        return []
    lines = _lines(ls, view)
    name = graph_command_name(ls)
    arguments: list[Any] = [uri, "mermaid"] if name == GRAPH_COMMAND else [uri]
    ops = sum(1 for node in graph.nodes if node.kind == OP)
    errors = graph.error_count
    warnings = graph.count(Severity.WARNING)
    summary = [f"{ops} op{'s' if ops != 1 else ''}"]
    if errors:
        summary.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        summary.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    lenses = [
        types.CodeLens(
            range=lines.range_to_client(graph.operations_span),
            command=types.Command(
                title="Show pipeline graph: " + " · ".join(summary), command=name,
                arguments=arguments,
            ),
        )
    ]  # fmt: skip
    for node, upstream, downstream in lens_counts(graph):
        if node.span is None:
            continue
        lenses.append(
            types.CodeLens(
                range=lines.range_to_client(node.span),
                command=types.Command(
                    title=f"{upstream} upstream · {downstream} downstream",
                    command=name,
                    arguments=arguments,
                ),
            )
        )
    return lenses


async def _current(ls: ParamLanguageServer, uri: str) -> None:
    """Wait for the analysis of the document as it is now (right after opening or an edit)."""
    state = ls.state_of(uri)
    if state is not None:
        await ls.store.ensure_current(state)


def register(server: Any, guarded: Any) -> None:
    """Adds the graph command and the code lenses to the server (pygls reads the handlers'
    annotations at run time: they name only what is imported at run time)."""

    @server.command(GRAPH_COMMAND)
    async def graph_command(ls: Any, *arguments: Any) -> Any:
        from pygls.exceptions import JsonRpcInternalError, JsonRpcInvalidParams

        try:
            if arguments and isinstance(arguments[0], str):
                await _current(ls, arguments[0])
            return execute_graph(ls, list(arguments))
        except ValueError as exc:
            raise JsonRpcInvalidParams(str(exc)) from None
        except Exception as exc:
            log.exception("param-lsp: %s failed", GRAPH_COMMAND)
            raise JsonRpcInternalError(f"{GRAPH_COMMAND} failed: {exc}") from None

    @server.feature(types.TEXT_DOCUMENT_CODE_LENS, types.CodeLensOptions(resolve_provider=False))
    @guarded(None)
    async def code_lens(ls: Any, params: types.CodeLensParams) -> Any:
        await _current(ls, params.text_document.uri)
        return code_lenses(ls, params.text_document.uri) or None
