"""`python -m param_lsp`: the CLI; with no arguments it starts the language server."""

from param_lsp.cli.main import main

raise SystemExit(main())
