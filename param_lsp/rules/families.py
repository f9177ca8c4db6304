"""Imports every rule family module so that the registry is complete."""

from __future__ import annotations

from param_lsp.rules import (  # noqa: F401
    configuration,
    dag,
    document,
    inputs_outputs,
    joins,
    matrix,
    matrix_inputs,
    params,
    references,
    refs,
    run_patch,
    schema,
    schema_values,
    suppressions,
    syntax,
    templates,
)
from param_lsp.rules.registry import RULES, Rule


def load_all() -> dict[str, Rule]:
    """The registry with every rule family's rules (importing this module registered them)."""
    return RULES
