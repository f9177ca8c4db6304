"""Imports every rule family module so that the registry is complete."""

from param_lsp.core import suppress  # noqa: F401  (declares the suppression rules)
from param_lsp.rules import (  # noqa: F401
    configuration,
    dag,
    document,
    joins,
    matrix,
    params,
    references,
    refs,
    run_patch,
    schema,
    schema_values,
    syntax,
    templates,
)
