"""The generated stubs in src/clawscale/v1 are committed (so that ``pip install ./clients/python`` needs no generation
step); this test regenerates them from protos/ into a temporary folder and fails when they differ."""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from conftest import PACKAGE


def test_committed_stubs_match_the_protos() -> None:
    if not shutil.which("protoc") or not shutil.which("grpc_python_plugin"):
        if os.environ.get("CLAWSCALE_REQUIRE_PYTHON") == "1":
            pytest.fail("protoc and grpc_python_plugin are required (apt-get install protobuf-compiler protobuf-compiler-grpc)")
        pytest.skip("protoc or grpc_python_plugin not installed")
    result = subprocess.run(["bash", str(PACKAGE / "scripts" / "generate.sh"), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
