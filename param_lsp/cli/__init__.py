"""Command-line adapter: file discovery, reporting and exit codes around `analyze()`."""
