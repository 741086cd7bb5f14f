#!/usr/bin/env bash
# The test command (README "Running the tests"). Needs: .NET SDK 10; for the PostgreSQL, Python grpcio and buf
# tests, CLAWSCALE_TEST_POSTGRES set and python3-grpcio / protoc / grpc_python_plugin / buf installed
# (.ci/run does all of that). Tests whose prerequisite is missing are skipped unless CLAWSCALE_REQUIRE_* is set.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build ClawScale.sln -c Release -nologo -v q
dotnet test ClawScale.sln -c Release --no-build -nologo
