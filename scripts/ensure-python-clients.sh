#!/usr/bin/env bash
# Makes a virtual environment with the official Python clients of the services the emulator
# stands for (test/integration/python/requirements.txt: azure-keyvault-secrets, azure-identity,
# databricks-sdk), installed from PyPI with pip, built from the machine's Python 3. It is cached
# under $AMLDB_PYTHON_CLIENTS_CACHE (default ~/.cache/pulumi-azureml-databricks/python-clients),
# one per content hash of the requirements, so later runs reuse it; an environment whose install
# did not finish is never used (it is renamed into place only once complete).
# Prints the environment's python as the last line of stdout ("PYTHON_CLIENTS=<path>").
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
REQUIREMENTS="$REPO/test/integration/python/requirements.txt"
CACHE="${AMLDB_PYTHON_CLIENTS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-azureml-databricks/python-clients}"
PYTHON="${AMLDB_PYTHON:-python3}"

log() { echo "[python-clients] $*" >&2; }

command -v "$PYTHON" >/dev/null || { log "no $PYTHON on PATH: install Python 3.9 or later"; exit 1; }
HASH="$( (cat "$REQUIREMENTS"; "$PYTHON" -c 'import sys; print(sys.version)') | sha256sum | cut -c1-16)"
VENV="$CACHE/$HASH"
if [ ! -x "$VENV/bin/python" ]; then
  mkdir -p "$CACHE"
  BUILD="$(mktemp -d "$CACHE/.build-XXXXXX")"
  trap 'rm -rf "$BUILD"' EXIT
  log "creating $VENV from $REQUIREMENTS (first run only)"
  "$PYTHON" -m venv "$BUILD"
  "$BUILD/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$REQUIREMENTS" >&2
  # A venv's scripts name its folder; the python binary does not, so renaming keeps it usable.
  if ! mv -T "$BUILD" "$VENV" 2>/dev/null; then
    log "another run made $VENV first; using it"
  fi
  trap - EXIT
  rm -rf "$BUILD"
fi
echo "PYTHON_CLIENTS=$VENV/bin/python"
