#!/usr/bin/env bash
# Makes a headless browser available for the page tests (test/emulator/pages/browser.test.ts):
# Debian's `chromium` package. When `chromium` is on PATH (or $AMLDB_CHROMIUM names one) it only
# prints its path; otherwise it installs the package with apt-get, as root or through `sudo -n`, and
# fails saying what to install when it can do neither. The test drives it with puppeteer-core, which
# downloads no browser of its own.
# Prints the browser's path as the last line of stdout ("CHROMIUM=<path>").
set -euo pipefail

log() { echo "[chromium] $*" >&2; }

found() {
  local bin="${AMLDB_CHROMIUM:-}"
  [ -n "$bin" ] && [ -x "$bin" ] && { echo "$bin"; return 0; }
  command -v chromium 2>/dev/null
}

if bin="$(found)"; then
  echo "CHROMIUM=$bin"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  log "chromium is not installed and this user cannot install it: install Debian's package (as root: apt-get install -y --no-install-recommends chromium), or set AMLDB_CHROMIUM to a Chromium or Chrome binary"
  exit 1
fi
command -v apt-get >/dev/null 2>&1 || {
  log "chromium is not installed and there is no apt-get: install Chromium with this system's package manager, or set AMLDB_CHROMIUM to a Chromium or Chrome binary"
  exit 1
}

start=$(date +%s)
export DEBIAN_FRONTEND=noninteractive
# A machine whose package lists were never fetched knows no candidate for chromium.
# (The policy is read whole first: grep -q would end the pipe early and pipefail fail it.)
policy="$(apt-cache policy chromium 2>/dev/null || true)"
if ! grep -q 'Candidate: [0-9]' <<<"$policy"; then
  log "fetching the package lists (apt-get update)"
  "${as_root[@]}" apt-get update -qq >&2
fi
log "installing Debian's chromium package (first run only)"
"${as_root[@]}" apt-get install -y -qq --no-install-recommends chromium >&2 || {
  log "apt-get install chromium failed (see above)"
  exit 1
}
bin="$(found)" || { log "chromium was installed but is not on PATH"; exit 1; }
log "installed $("$bin" --version 2>/dev/null || echo chromium) in $(( $(date +%s) - start ))s"
echo "CHROMIUM=$bin"
