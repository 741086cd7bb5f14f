#!/usr/bin/env bash
# Generates the clawscale.v1 Python stubs from the repository's protos/ into src/clawscale/v1/.
# Needs protoc (Debian: protobuf-compiler) and grpc_python_plugin (Debian: protobuf-compiler-grpc); no network.
# The generated *_pb2.py / *_pb2_grpc.py / *_pb2.pyi files are committed, so that `pip install ./clients/python` needs
# no generation step (and no grpcio-tools). Run this after every proto change and commit the result;
# `generate.sh --check` regenerates into a temporary folder and fails when the committed stubs differ
# (tests/test_stubs_fresh.py runs it).
set -euo pipefail
HERE="$(cd "$(dirname "$0")/.." && pwd)"
PROTOS="${CLAWSCALE_PROTOS:-$HERE/../../protos}"
PLUGIN="${GRPC_PYTHON_PLUGIN:-$(command -v grpc_python_plugin || true)}"
command -v protoc >/dev/null 2>&1 || { echo "generate.sh: protoc not found (apt-get install protobuf-compiler)" >&2; exit 1; }
[ -n "$PLUGIN" ] || { echo "generate.sh: grpc_python_plugin not found (apt-get install protobuf-compiler-grpc)" >&2; exit 1; }

generate() {
  # -I protos makes protoc name the files clawscale/v1/x.proto, so the generated imports read
  # `from clawscale.v1 import resources_pb2`, which resolves inside this package.
  protoc -I "$PROTOS" \
    --python_out="$1" --pyi_out="$1" \
    --grpc_out="$1" --plugin=protoc-gen-grpc="$PLUGIN" \
    "$PROTOS"/clawscale/v1/*.proto
}

if [ "${1:-}" = "--check" ]; then
  TMP="$(mktemp -d)"
  trap 'rm -rf "$TMP"' EXIT
  generate "$TMP"
  stale=0
  for f in "$TMP"/clawscale/v1/*_pb2*.py "$TMP"/clawscale/v1/*_pb2*.pyi; do
    name="clawscale/v1/$(basename "$f")"
    if ! cmp -s "$f" "$HERE/src/$name"; then echo "stale or missing: src/$name" >&2; stale=1; fi
  done
  for f in "$HERE"/src/clawscale/v1/*_pb2*.py "$HERE"/src/clawscale/v1/*_pb2*.pyi; do
    [ -e "$TMP/clawscale/v1/$(basename "$f")" ] || { echo "no longer generated: src/clawscale/v1/$(basename "$f")" >&2; stale=1; }
  done
  if [ "$stale" -ne 0 ]; then
    echo "generate.sh --check: the committed stubs do not match protos/ ($(protoc --version)); run clients/python/scripts/generate.sh and commit src/clawscale/v1/" >&2
    exit 1
  fi
  echo "generate.sh --check: src/clawscale/v1 is up to date with protos/ ($(protoc --version))"
  exit 0
fi

OUT="$HERE/src"
rm -f "$OUT"/clawscale/v1/*_pb2*.py "$OUT"/clawscale/v1/*_pb2*.pyi
generate "$OUT"
echo "generated: $(cd "$OUT" && ls clawscale/v1/*_pb2*.py | tr '\n' ' ')"
