#!/usr/bin/env bash
# The test command (README "Running the tests"). Needs: .NET SDK 10; for the PostgreSQL, Python grpcio and buf
# tests, CLAWSCALE_TEST_POSTGRES set and python3-grpcio / protoc / grpc_python_plugin / buf installed
# (.ci/run does all of that). Tests whose prerequisite is missing are skipped unless CLAWSCALE_REQUIRE_* is set.
# Then the Python client tests (clients/python, Debian /usr/bin/python3 with python3-grpcio and python3-pytest).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build ClawScale.sln -c Release -nologo -v q
dotnet test ClawScale.sln -c Release --no-build -nologo
# The deployable layout (kernel/deploy/publish.sh, as the Dockerfile builds it) started as the image starts it.
bash tests/deploy/published-kernel.sh
# The Python client (clients/python): its pytest suite against the Release kernel built above. The generated stubs are
# committed; tests/test_stubs_fresh.py fails when they no longer match protos/ (fix: clients/python/scripts/generate.sh).
# pytest's exit code 5 (no tests collected) fails the script like any other non-zero code.
/usr/bin/python3 -m pytest -q -rs -p no:cacheprovider clients/python/tests
