#!/usr/bin/env bash
# Publishes the kernel and the plugins named in plugins.json into one folder, laid out as the container image's /app
# (kernel/deploy/Dockerfile runs this script; tests/deploy/published-kernel.sh runs the result):
#   <out>/ClawScale.Kernel.dll, appsettings.json, plugins.json, artifacts/plugins/<Project>/…
# Usage: bash kernel/deploy/publish.sh <out-dir> [--no-build]
#   --no-build  reuse an existing Release build (`dotnet build ClawScale.sln -c Release`) instead of building again.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:?usage: publish.sh <out-dir> [--no-build]}
shift
build_args=()
[ "${1:-}" = "--no-build" ] && build_args+=(--no-build)

# The kernel's project references build every plugin of plugins.json into artifacts/plugins/ (never referenced).
dotnet publish kernel/ClawScale.Kernel/ClawScale.Kernel.csproj -c Release -o "$out" -nologo -v q "${build_args[@]}"
cp plugins.json "$out/plugins.json"
# Each "path" of plugins.json, relative to the working directory the kernel runs in (the image's WORKDIR /app).
paths=$(sed -n 's/.*"path"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' plugins.json)
[ -n "$paths" ] || { echo "publish.sh: no plugin paths found in plugins.json" >&2; exit 1; }
for p in $paths; do
  [ -d "$p" ] || { echo "publish.sh: plugin folder $p (plugins.json) was not built" >&2; exit 1; }
  mkdir -p "$out/$(dirname "$p")"
  rm -rf "${out:?}/$p"
  cp -R "$p" "$out/$p"
done
echo "published kernel + $(echo "$paths" | wc -l) plugins to $out"
