#!/usr/bin/env bash
# Bundles the language server into the extension (bundled/libs), so that the .vsix works with any
# Python >= 3.11 and nothing else installed: the project's wheel plus its dependencies at the
# versions in uv.lock (hash-checked), as binary wheels for one VS Code target platform and each
# CPython release from 3.11 to 3.14. Pure-Python files are shared; the compiled modules of
# pydantic-core and PyYAML sit side by side, one per CPython release (their file names differ).
# Usage: scripts/bundle-server.sh [VSCODE_TARGET]   (default linux-x64; see PLATFORMS below)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
EXT=$(dirname "$HERE")
REPO=$(dirname "$EXT")
TARGET=${1:-linux-x64}
PYTHONS=(3.11 3.12 3.13 3.14)
case "$TARGET" in  # VS Code target → the platform uv resolves wheels for
  linux-x64) PLATFORM=x86_64-manylinux_2_17 ;;
  linux-arm64) PLATFORM=aarch64-manylinux_2_17 ;;
  darwin-x64) PLATFORM=x86_64-apple-darwin ;;
  darwin-arm64) PLATFORM=aarch64-apple-darwin ;;
  win32-x64) PLATFORM=x86_64-pc-windows-msvc ;;
  *) echo "unknown VS Code target $TARGET" >&2; exit 2 ;;
esac

make -C "$REPO" --no-print-directory dist >/dev/null  # the wheel, and the pinned uv in .uv/
UV="$REPO/.uv/bin/uv"
WHEEL=$(ls "$REPO"/dist/polyaxon_param_lsp-*-py3-none-any.whl)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
(cd "$REPO" && "$UV" export --quiet --frozen --no-dev --no-emit-project --no-header \
  --output-file "$WORK/requirements.txt")

LIBS="$EXT/bundled/libs"
rm -rf "$LIBS"
mkdir -p "$LIBS"
for py in "${PYTHONS[@]}"; do
  "$UV" pip install --quiet --target "$WORK/py$py" --python-platform "$PLATFORM" \
    --python-version "$py" --only-binary :all: --no-deps --require-hashes -r "$WORK/requirements.txt"
  "$UV" pip install --quiet --target "$WORK/py$py" --python-platform "$PLATFORM" \
    --python-version "$py" --no-deps "$WHEEL"
  cp -a "$WORK/py$py/." "$LIBS/"
done
rm -rf "$LIBS/bin"
# PyYAML's compiled module carries its debug symbols (2.7 MB → 0.4 MB without); code unchanged.
if [[ $TARGET == linux-* ]] && command -v strip >/dev/null; then
  find "$LIBS" -name "*.so" -exec strip --strip-debug {} +
fi
find "$LIBS" -name __pycache__ -prune -exec rm -rf {} +
printf '%s\n' "VS Code target: $TARGET ($PLATFORM), CPython ${PYTHONS[*]}" \
  "$(basename "$WHEEL")" "from uv.lock:" >"$LIBS/BUNDLED.txt"
grep -E '^[A-Za-z0-9]' "$WORK/requirements.txt" | sed 's/ *\\$//' >>"$LIBS/BUNDLED.txt"
echo "bundled/libs: $(du -sh "$LIBS" | cut -f1) for $TARGET" >&2
