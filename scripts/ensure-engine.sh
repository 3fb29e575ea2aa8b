#!/usr/bin/env bash
# Makes the Pulumi engine available: `pulumi` (and `pulumi-language-nodejs` where it can be had).
#
# Order of preference:
#   1. binaries already on PATH that are at least $PULUMI_ENGINE_MIN (the official installer's);
#   2. binaries built earlier into the cache ($PULUMI_ENGINE_CACHE, outside the repository);
#   3. a build from the official Go modules through the Go module proxy.
# Prints the directory holding the binaries as the last line of stdout ("ENGINE_BIN=<dir>").
set -euo pipefail

VERSION="${PULUMI_ENGINE_VERSION:-v3.259.0}"
MIN="${PULUMI_ENGINE_MIN:-3.200.0}"
CACHE="${PULUMI_ENGINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-azureml-databricks/engine}"
BIN="$CACHE/$VERSION/bin"
PKG=github.com/pulumi/pulumi/pkg/v3
SDK=github.com/pulumi/pulumi/sdk/v3
LANG_NODE=github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3

log() { echo "[engine] $*" >&2; }

# The dynamic-provider shim is a generic script (it resolves @pulumi/pulumi from the program's
# directory); the official install ships it next to the CLI, and so do we for our builds.
install_shim() {
  local shim
  shim="$(cd "$(dirname "$0")/.." && pwd)/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
  if [ -f "$shim" ] && ! cmp -s "$shim" "$1/pulumi-resource-pulumi-nodejs"; then
    cp "$shim" "$1/pulumi-resource-pulumi-nodejs.tmp" && chmod +x "$1/pulumi-resource-pulumi-nodejs.tmp"
    mv "$1/pulumi-resource-pulumi-nodejs.tmp" "$1/pulumi-resource-pulumi-nodejs"
  fi
}

version_ok() { # $1 = "3.x.y" ; true when >= MIN
  [ "$(printf '%s\n%s\n' "$MIN" "$1" | sort -V | head -n1)" = "$MIN" ]
}

if command -v pulumi >/dev/null 2>&1; then
  have=$(pulumi version 2>/dev/null | sed 's/^v//')
  if [ -n "$have" ] && version_ok "$have"; then
    log "using pulumi $have from PATH ($(command -v pulumi))"
    echo "ENGINE_BIN=$(dirname "$(command -v pulumi)")"
    exit 0
  fi
  log "pulumi on PATH is ${have:-unknown}, older than $MIN: building $VERSION instead"
fi

if [ -x "$BIN/pulumi" ] && "$BIN/pulumi" version >/dev/null 2>&1; then
  log "using cached pulumi $("$BIN/pulumi" version) from $BIN"
  install_shim "$BIN"
  echo "ENGINE_BIN=$BIN"
  exit 0
fi

command -v go >/dev/null 2>&1 || { log "step 'find go' failed: Go is required to build the Pulumi CLI when it is not installed"; exit 1; }

WORK="$CACHE/$VERSION/build"
mkdir -p "$WORK" "$BIN"
cd "$WORK"
export GOFLAGS="${GOFLAGS:-} -mod=mod" CGO_ENABLED=0 GOTOOLCHAIN=local
start=$(date +%s)

step() { log "step '$1' ($(( $(date +%s) - start ))s)"; }

step "read pkg go.mod"
pkgmod=$(go mod download -json "$PKG@$VERSION" 2>&1) || { log "step 'download $PKG@$VERSION' failed: $pkgmod"; exit 1; }
pkgdir=$(printf '%s' "$pkgmod" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
[ -n "$pkgdir" ] || { log "step 'download $PKG@$VERSION' failed: $(printf '%s' "$pkgmod" | sed -n 's/.*"Error": "\(.*\)".*/\1/p')"; exit 1; }

step "write wrapper module"
{
  echo "module pulumi-engine-build"
  echo
  echo "go $(go env GOVERSION | sed 's/^go//; s/^\([0-9]*\.[0-9]*\).*/\1/')"
  echo
  echo "require ("
  echo "  $PKG $VERSION"
  echo "  $SDK $VERSION"
  echo ")"
  # pkg's own non-local replace directives (forks of third-party modules) apply only in the main module.
  grep -E '^replace .* => [^.][^ ]* v' "$pkgdir/go.mod" || true
} > go.mod
cat > tools.go <<GO
//go:build tools

package tools

import _ "$PKG/cmd/pulumi"
GO

step "resolve dependencies (first run downloads several hundred modules)"
go get "$PKG/cmd/pulumi@$VERSION" 2>&1 | sed -u 's/^/[engine]   /' >&2

step "compile pulumi (several minutes on two cores)"
go build -trimpath -ldflags "-s -w -X $SDK/go/common/version.Version=$VERSION" -o "$BIN/pulumi.tmp" "$PKG/cmd/pulumi"
mv "$BIN/pulumi.tmp" "$BIN/pulumi"

step "language host $LANG_NODE"
if lh=$(go get "$LANG_NODE@$VERSION" 2>&1) && go build -trimpath -o "$BIN/pulumi-language-nodejs" "$LANG_NODE" 2>&1; then
  log "built pulumi-language-nodejs"
else
  log "pulumi-language-nodejs could not be built from the module proxy: $(printf '%s' "$lh" | tail -n1)"
  log "plain 'pulumi up' then needs the language host from the official installer; this package's"
  log "commands run programs through the Automation API's in-process language runtime instead."
fi

install_shim "$BIN"
log "built pulumi $("$BIN/pulumi" version) in $(( $(date +%s) - start ))s into $BIN"
echo "ENGINE_BIN=$BIN"
