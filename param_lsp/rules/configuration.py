"""The configuration family: a project configuration file that cannot be used."""

from __future__ import annotations

from param_lsp.core.findings import Severity
from param_lsp.rules.registry import rule

INVALID_CONFIGURATION = rule(
    "PLX008",
    "invalid-configuration",
    family="configuration",
    severity=Severity.WARNING,
    polyaxon_rejects=False,
    summary="The project configuration file cannot be used; the file is checked with defaults.",
    doc="""
    The nearest `.param-lsp.toml` (or `[tool.param-lsp]` in pyproject.toml) is not valid TOML,
    has an unknown key or a bad value. The language server reports it on every document it
    applies to and checks them with the client's settings and the defaults; `param-lsp check`
    stops with exit code 2 and names the file and the key.
    """,
    bad="""
    # .param-lsp.toml
    target-version = "3.0"
    """,
    good="""
    # .param-lsp.toml
    target-version = "2.18"
    """,
)
