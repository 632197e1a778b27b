#!/usr/bin/env bash
# One idempotent setup for a fresh Debian machine (run as root): system packages, npm packages, the native addon
# and the app bundles. Each step checks first and does nothing when it is already done, so a second run takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

# 1. Debian packages: the browser for e2e, libtorch for the engine, the test oracles, and strace (kill -9 at exact
#    system calls in the crash tests).
APT_PACKAGES=(g++ make python3 chromium libtorch-dev dcmtk libgdcm-tools libopenjp2-tools dicom3tools
  python3-pydicom python3-torch python3-sklearn python3-numpy python3-qutip python3-onnx poppler-utils strace
  libgloo-dev)
missing=()
installed=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${APT_PACKAGES[@]}" 2>/dev/null || true)
for package in "${APT_PACKAGES[@]}"; do
  grep -qx "$package installed" <<<"$installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing Debian packages: ${missing[*]} — run this script as root (or apt-get install them)" >&2
    exit 1
  fi
  log "installing ${missing[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# 2. npm packages, when the lockfile changed since the last install. Nothing may download from outside the npm
#    registry: Electron's binary and onnxruntime's extra providers are skipped.
export ELECTRON_SKIP_BINARY_DOWNLOAD=1 ONNXRUNTIME_NODE_INSTALL=skip
lock_hash=$(sha256sum package-lock.json | cut -c1-64)
if [ "$(cat node_modules/.setup-lock-hash 2>/dev/null)" != "$lock_hash" ]; then
  log "npm ci"
  npm ci --no-audit --no-fund
  echo "$lock_hash" >node_modules/.setup-lock-hash
fi
export PATH="$PWD/node_modules/.bin:$PATH" # Node 24 from the node@24 devDependency from here on

# Hash of a set of files, to rebuild only what changed.
tree_hash() { find "$@" -type f ! -path '*/build/*' -print0 2>/dev/null | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-64; }

# 3. The native addon (simulator + libtorch engine), against the Node headers on this machine.
addon_hash=$(tree_hash src-main/native package-lock.json)
if [ ! -f src-main/native/build/Release/angio_native.node ] || [ "$(cat src-main/native/build/.source-hash 2>/dev/null)" != "$addon_hash" ]; then
  log "building the native addon (a few minutes on a fresh machine)"
  # Build against the headers that ship with the node@24 package: the exact Node the addon runs on, no download.
  # Incremental: configure picks up new source files, make recompiles only what changed.
  npm run --silent build:addon
  echo "$addon_hash" >src-main/native/build/.source-hash
fi

# 4. The Electron bundles (main, preload, renderer), the harness bridge and the e2e screen-check page.
bundle_hash=$(tree_hash src-main src-preload src-renderer e2e/screen-check electron.vite.config.ts package-lock.json)
if [ ! -f out/renderer/index.html ] || [ ! -f out/screen-check/index.html ] || [ "$(cat out/.source-hash 2>/dev/null)" != "$bundle_hash" ]; then
  log "building the app bundles"
  npm run --silent build
  echo "$bundle_hash" >out/.source-hash
fi
log "ready (node $(node --version))"
