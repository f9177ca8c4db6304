"""Imports every rule family module so that the registry is complete."""

from param_lsp.rules import params, references, syntax  # noqa: F401
from param_lsp.rules import document  # noqa: F401
from param_lsp.rules import schema  # noqa: F401
from param_lsp.rules import joins  # noqa: F401
from param_lsp.rules import matrix  # noqa: F401
from param_lsp.rules import refs  # noqa: F401
from param_lsp.rules import dag  # noqa: F401
from param_lsp.rules import templates  # noqa: F401
