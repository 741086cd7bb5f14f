#!/usr/bin/env bash
# Generates the clawscale.v1 Python stubs from the repository's protos/ into src/clawscale/v1/.
# Needs protoc (Debian: protobuf-compiler) and grpc_python_plugin (Debian: protobuf-compiler-grpc); no network.
# The generated *_pb2*.py / *.pyi files are not committed (.gitignore); run this after every proto change.
set -euo pipefail
HERE="$(cd "$(dirname "$0")/.." && pwd)"
PROTOS="${CLAWSCALE_PROTOS:-$HERE/../../protos}"
PLUGIN="${GRPC_PYTHON_PLUGIN:-$(command -v grpc_python_plugin || true)}"
command -v protoc >/dev/null 2>&1 || { echo "generate.sh: protoc not found (apt-get install protobuf-compiler)" >&2; exit 1; }
[ -n "$PLUGIN" ] || { echo "generate.sh: grpc_python_plugin not found (apt-get install protobuf-compiler-grpc)" >&2; exit 1; }
OUT="$HERE/src"
rm -f "$OUT"/clawscale/v1/*_pb2*.py "$OUT"/clawscale/v1/*_pb2*.pyi
# -I protos makes protoc name the files clawscale/v1/x.proto, so the generated imports read
# `from clawscale.v1 import resources_pb2`, which resolves inside this package.
protoc -I "$PROTOS" \
  --python_out="$OUT" --pyi_out="$OUT" \
  --grpc_out="$OUT" --plugin=protoc-gen-grpc="$PLUGIN" \
  "$PROTOS"/clawscale/v1/*.proto
echo "generated: $(cd "$OUT" && ls clawscale/v1/*_pb2*.py | tr '\n' ' ')"
