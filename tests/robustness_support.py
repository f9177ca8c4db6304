"""Shared pieces of the robustness tests and the long fuzz run (`make fuzz`).

A session drives the real server over stdio with the raw client of `benchmarks/`, applies an
edit sequence to a corpus file, and compares the last published diagnostics with a fresh
`analyze()` of the final text.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from pygls.workspace.position_codec import PositionCodec

from benchmarks.lsp_client import RawClient
from param_lsp.core.detect import looks_like_polyaxonfile
from param_lsp.core.settings import Settings
from param_lsp.core.workspace import Workspace
from param_lsp.engine.analyze import analyze
from param_lsp.lsp.convert import Lines, to_diagnostic

CORPUS = Path(os.environ.get("PARAM_LSP_CORPUS", "/work/shared/corpus/real"))

# Line breaks: "\n", and U+0085, U+2028, U+2029, which break lines for YAML and not for the
# client (the server maps positions). No "\r": an offset between "\r" and "\n" has no position.
FRAGMENTS = [
    "\x85", "\u2028", "\u2029",
    "{{ ", "{{ globals.", "{{ params.", "}}", "{{ inputs.x }}", "ref: ops.", "- ", ": ", "\t",
    "é", "😀", "\ud800", "\udfff", "  ", "\n", "\n  - name: x\n", "&a ", "*a", "[", "]", "{", "}",
    "'", '"', "#", "kind: ", "params:\n", "value: ", "!!int ", "---\n", "<<: ", "?", "|",
    # hostile input: an unclosed template before a run of spaces, a backtracking regex, an
    # anchor in a comment, deep flow nesting, an alias to its own node, terminal escapes and
    # bidi overrides, a DAG self-cycle and a dependency on a missing op
    "{{" + " " * 300, "validation: {regex: '^(a+)+$'}", "value: aaaaaaaaaaaaaaaaaaaaaaaaaaaa!",
    "# R&D", "[" * 60, "&s [*s]", "\x1b[2J", "\u202e", "dependencies: [", "dependencies: [gone]",
]  # fmt: skip
payloads = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.text(alphabet=st.characters(blacklist_categories=("Cc",)), max_size=12),
    st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=4).map("".join),
)
#: (kind, where as a fraction of the text, how much to delete, what to insert)
edits = st.lists(
    st.tuples(
        st.sampled_from(["insert", "delete", "replace", "full"]),
        st.floats(0, 1),
        st.integers(0, 40),
        payloads,
    ),
    min_size=1,
    max_size=12,
)


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(
        p for p in CORPUS.rglob("*") if p.suffix in (".yaml", ".yml") and p.stat().st_size < 20_000
    )


def utf16_position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    prefix = text[start:offset]
    return line, len(prefix.encode("utf-16-le", "surrogatepass")) // 2


@dataclass
class SessionResult:
    final_text: str
    published_versions: list[int]
    final_diagnostics: list[dict[str, Any]]
    expected: list[dict[str, Any]]


def expected_diagnostics(text: str, path: Path, root: Path) -> list[dict[str, Any]]:
    analysis = analyze(text, path, Settings(), Workspace(root=root))
    lines = Lines.of(text, PositionCodec())
    uri = path.as_uri()
    expected = []
    for finding in analysis.findings:
        diagnostic = to_diagnostic(finding, lines, uri, related_support=True)
        rng = diagnostic.range
        expected.append(
            normalise(
                {
                    "code": diagnostic.code,
                    "message": diagnostic.message,
                    "severity": diagnostic.severity,
                    "range": {
                        "start": {"line": rng.start.line, "character": rng.start.character},
                        "end": {"line": rng.end.line, "character": rng.end.character},
                    },
                }
            )
        )
    return expected


def normalise(diagnostic: dict[str, Any]) -> dict[str, Any]:
    """What the comparison looks at: code, message, severity and the exact range."""
    severity = diagnostic.get("severity")
    return {
        "code": diagnostic.get("code"),
        "message": diagnostic["message"],
        "severity": int(severity) if severity is not None else None,
        "range": diagnostic["range"],
    }


def run_session(
    client: RawClient, root: Path, name: str, text: str, sequence: list[tuple[str, float, int, str]]
) -> SessionResult:
    """Open ``text`` as ``name``, apply ``sequence`` quickly, wait for the final diagnostics."""
    path = root / name
    uri = path.as_uri()
    start_count = len(client.published)
    client.open(uri, text, 1)
    version = 1
    for kind, where, length, raw_payload in sequence:
        # What the server receives: JSON joins an escaped surrogate pair into one character.
        payload = json.loads(json.dumps(raw_payload))
        version += 1
        offset = int(where * len(text))
        if kind == "full":
            text = json.loads(json.dumps(text[:offset] + payload))
            client.change(uri, version, text)
            continue
        end = offset if kind == "insert" else min(len(text), offset + length)
        inserted = "" if kind == "delete" else payload
        start_pos = utf16_position(text, offset)
        end_pos = utf16_position(text, end)
        text = text[:offset] + inserted + text[end:]
        client.change(uri, version, inserted, (*start_pos, *end_pos))
        time.sleep(0.002)
    if looks_like_polyaxonfile(text):
        final = client.wait_diagnostics(uri, version, timeout=60)
    else:
        # Not a polyaxonfile (any more): nothing is published, or an empty list once.
        client.request("$/paramLsp/stats", None)
        client.drain(0.5)
        final = {"diagnostics": []}
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    versions = [
        params.get("version")
        for _at, params in client.published[start_count:]
        if params["uri"] == uri and params.get("version") is not None
    ]
    return SessionResult(
        final_text=text,
        published_versions=versions,
        final_diagnostics=[normalise(d) for d in final["diagnostics"]],
        expected=expected_diagnostics(text, path, root) if looks_like_polyaxonfile(text) else [],
    )
