#!/usr/bin/env bash
# Build the theme studio's frontend (`reflex export`), offline: bun comes from
# the npm registry into var/node (no download from GitHub or bun.sh).
# Idempotent: skips when the build matches the studio's sources, rxconfig and
# the Reflex and bun versions. Output: themes/studio/.web (git-ignored).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STUDIO="$ROOT/themes/studio"
PY="${PY:-$ROOT/.venv/bin/python}"
NODE_DIR="$ROOT/var/node"
BUN_VERSION="1.4.5"
INDEX="$STUDIO/.web/build/client/studio/index.html"
STAMP="$STUDIO/.web/.blanche-build-stamp"

fingerprint="$(
  {
    cat "$STUDIO/rxconfig.py" "$STUDIO/app.py" "$STUDIO/state.py"
    "$PY" -c 'import importlib.metadata as m; print(m.version("reflex"))'
    echo "bun $BUN_VERSION"
  } | sha256sum | cut -d' ' -f1
)"
if [[ -f "$INDEX" && -f "$STAMP" && "$(cat "$STAMP")" == "$fingerprint" ]]; then
  echo "studio build up to date"
  exit 0
fi

command -v npm > /dev/null || { echo "build-studio.sh needs npm (to fetch bun)" >&2; exit 1; }
if [[ ! -x "$NODE_DIR/node_modules/.bin/bun" ]] \
  || [[ "$("$NODE_DIR/node_modules/.bin/bun" --version)" != "$BUN_VERSION" ]]; then
  mkdir -p "$NODE_DIR"
  [[ -f "$NODE_DIR/package.json" ]] || echo '{"private": true}' > "$NODE_DIR/package.json"
  (cd "$NODE_DIR" && npm install --no-audit --no-fund --silent "bun@$BUN_VERSION")
fi

export PATH="$NODE_DIR/node_modules/.bin:$PATH"
export REFLEX_USE_SYSTEM_BUN=1 REFLEX_TELEMETRY_ENABLED=false REFLEX_CHECK_LATEST_VERSION=false
# Reflex finds the app module (themes.studio.app) by scanning sys.path.
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
cd "$STUDIO"
"$PY" -m reflex export --no-zip --frontend-only --loglevel warning
rm -rf "$STUDIO/requirements.txt" "$STUDIO/uploaded_files"
echo "$fingerprint" > "$STAMP"
echo "studio built: $INDEX"
