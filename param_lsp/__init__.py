"""param-lsp: a language server and headless linter for Polyaxon polyaxonfiles."""

#: The distribution's name on the package index; the command it installs is `param-lsp`. Another
#: project owns the name `param-lsp` there (with its own `param-lsp` command), so `--version`
#: and the language server's `serverInfo` give this name, which editors check.
DISTRIBUTION = "polyaxon-param-lsp"

__version__ = "0.1.0"

#: What `param-lsp --version` prints and what `serverInfo` holds: `polyaxon-param-lsp 0.1.0`.
IDENTITY = f"{DISTRIBUTION} {__version__}"
