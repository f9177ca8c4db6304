"""The stable JSON contract (version 1), documented in the README."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TextIO

from param_lsp.cli.results import FileResult


def to_json(results: Sequence[FileResult]) -> dict[str, Any]:
    return {
        "version": 1,
        "files": [
            {
                "path": result.display,
                "diagnostics": [
                    {
                        "code": f.code,
                        "severity": f.severity.label,
                        "message": f.message,
                        "range": f.span.to_json(),
                    }
                    for f in result.findings
                ],
            }
            for result in results
        ],
    }


def report(results: Sequence[FileResult], out: TextIO) -> None:
    json.dump(to_json(results), out, indent=2, ensure_ascii=False)
    out.write("\n")
