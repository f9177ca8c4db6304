"""Output formats of `param-lsp check`. Positions are converted here (1-based for humans)."""
