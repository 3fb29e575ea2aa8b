#!/usr/bin/env bash
# Makes the Pulumi engine available: `pulumi`, the Node.js language host `pulumi-language-nodejs`
# and the dynamic-provider shim `pulumi-resource-pulumi-nodejs`, in one directory.
#
# Order of preference:
#   1. `pulumi` and `pulumi-language-nodejs` already on PATH, pulumi at least $PULUMI_ENGINE_MIN
#      (the official installer's);
#   2. binaries built earlier into the cache ($PULUMI_ENGINE_CACHE, outside the repository);
#   3. a build from the official Go modules through the Go module proxy.
# Prints the directory holding the binaries as the last line of stdout ("ENGINE_BIN=<dir>").
#
# The language host: the module proxy reachable here refuses the language host's own module
# (sdk/nodejs/cmd/pulumi-language-nodejs/v3) at every version, but up to v3.68.0 it was a package
# of github.com/pulumi/pulumi/sdk/v3, which builds. That host dates from May 2023: it runs
# TypeScript programs with plain `pulumi up|preview|refresh|destroy`, but lacks newer options of
# the official one (package-manager selection, `pulumi install`); the official installer gives the
# current host.
set -euo pipefail

VERSION="${PULUMI_ENGINE_VERSION:-v3.259.0}"
MIN="${PULUMI_ENGINE_MIN:-3.200.0}"
CACHE="${PULUMI_ENGINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-azureml-databricks/engine}"
BIN="$CACHE/$VERSION/bin"
PKG=github.com/pulumi/pulumi/pkg/v3
SDK=github.com/pulumi/pulumi/sdk/v3
LANG_HOST_SDK="${PULUMI_LANGUAGE_HOST_SDK:-v3.68.0}"
REPO="$(cd "$(dirname "$0")/.." && pwd)"

log() { echo "[engine] $*" >&2; }

# The dynamic-provider shim is a generic script (it resolves @pulumi/pulumi from the program's
# directory); the official install ships it next to the CLI, and so do we for our builds.
install_shim() {
  local shim
  shim="$REPO/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
  if [ -f "$shim" ] && ! cmp -s "$shim" "$1/pulumi-resource-pulumi-nodejs"; then
    cp "$shim" "$1/pulumi-resource-pulumi-nodejs.tmp" && chmod +x "$1/pulumi-resource-pulumi-nodejs.tmp"
    mv "$1/pulumi-resource-pulumi-nodejs.tmp" "$1/pulumi-resource-pulumi-nodejs"
  fi
}

version_ok() { # $1 = "3.x.y" ; true when >= MIN
  [ "$(printf '%s\n%s\n' "$MIN" "$1" | sort -V | head -n1)" = "$MIN" ]
}

if command -v pulumi >/dev/null 2>&1 && command -v pulumi-language-nodejs >/dev/null 2>&1; then
  have=$(pulumi version 2>/dev/null | sed 's/^v//')
  if [ -n "$have" ] && version_ok "$have"; then
    log "using pulumi $have and its language host from PATH ($(command -v pulumi))"
    echo "ENGINE_BIN=$(dirname "$(command -v pulumi)")"
    exit 0
  fi
  log "pulumi on PATH is ${have:-unknown}, older than $MIN: building $VERSION instead"
fi

command -v go >/dev/null 2>&1 || need_go=1
export GOFLAGS="${GOFLAGS:-} -mod=mod" CGO_ENABLED=0 GOTOOLCHAIN=local
start=$(date +%s)
step() { log "step '$1' ($(( $(date +%s) - start ))s)"; }

# The language host, built from sdk/v3 $LANG_HOST_SDK in a wrapper module of its own (~1 min).
build_language_host() {
  [ -z "${need_go:-}" ] || { log "step 'find go' failed: Go is required to build pulumi-language-nodejs when it is not installed"; exit 1; }
  local work="$CACHE/language-host-$LANG_HOST_SDK"
  mkdir -p "$work" "$BIN"
  step "language host from $SDK $LANG_HOST_SDK"
  (
    cd "$work"
    printf 'module pulumi-language-host-build\n\ngo %s\n\nrequire %s %s\n' "$(go env GOVERSION | sed 's/^go//; s/^\([0-9]*\.[0-9]*\).*/\1/')" "$SDK" "$LANG_HOST_SDK" > go.mod
    printf '//go:build tools\n\npackage tools\n\nimport _ "%s/nodejs/cmd/pulumi-language-nodejs"\n' "$SDK" > tools.go
    go mod tidy 2>&1 | sed -u 's/^/[engine]   /' >&2
    go build -trimpath -ldflags "-s -w" -o "$BIN/pulumi-language-nodejs.tmp" "$SDK/nodejs/cmd/pulumi-language-nodejs"
  ) || { log "step 'build pulumi-language-nodejs' failed (see above)"; exit 1; }
  mv "$BIN/pulumi-language-nodejs.tmp" "$BIN/pulumi-language-nodejs"
  log "built pulumi-language-nodejs (from $SDK $LANG_HOST_SDK) in $(( $(date +%s) - start ))s"
}

if [ -x "$BIN/pulumi" ] && "$BIN/pulumi" version >/dev/null 2>&1; then
  [ -x "$BIN/pulumi-language-nodejs" ] || build_language_host
  log "using cached pulumi $("$BIN/pulumi" version) from $BIN"
  install_shim "$BIN"
  echo "ENGINE_BIN=$BIN"
  exit 0
fi

[ -z "${need_go:-}" ] || { log "step 'find go' failed: Go is required to build the Pulumi CLI when it is not installed"; exit 1; }

WORK="$CACHE/$VERSION/build"
mkdir -p "$WORK" "$BIN"
cd "$WORK"
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

build_language_host
install_shim "$BIN"
log "built pulumi $("$BIN/pulumi" version) in $(( $(date +%s) - start ))s into $BIN"
echo "ENGINE_BIN=$BIN"
