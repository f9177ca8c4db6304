"""param-lsp: a language server and headless linter for Polyaxon polyaxonfiles."""

__version__ = "0.1.0"
