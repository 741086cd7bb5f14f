"""Fixtures: the REAL kernel (started once per session) and helpers shared by the tests.

The kernel is the Release build of kernel/ClawScale.Kernel (``dotnet build -c Release``, as tests/run-tests.sh does);
``CLAWSCALE_KERNEL_DLL`` overrides the path. It runs on two free ports, a temporary data directory (SQLite) and a
known bootstrap platform-admin key, and is stopped at the end of the session.
"""
from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

HERE = Path(__file__).resolve().parent
PACKAGE = HERE.parent
REPO = PACKAGE.parent.parent
sys.path.insert(0, str(PACKAGE / "src"))  # works without installing the package (the generated stubs are committed)


def free_port() -> int:
    """A TCP port that was free a moment ago on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Kernel:
    """A running kernel: its addresses and the platform-admin key."""

    grpc_address: str
    http_base: str
    admin_key: str
    log_path: Path

    def log_tail(self, n: int = 60) -> str:
        """The last lines of the kernel's output, for failure messages."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(no log)"


def _kernel_command() -> list:
    dll = Path(os.environ.get("CLAWSCALE_KERNEL_DLL",
                              REPO / "kernel" / "ClawScale.Kernel" / "bin" / "Release" / "net10.0" / "ClawScale.Kernel.dll"))
    if not dll.exists():
        pytest.fail(f"kernel not built: {dll} is missing (run: dotnet build ClawScale.sln -c Release)", pytrace=False)
    dotnet = shutil.which("dotnet")
    if dotnet is None:
        pytest.fail("dotnet not found on PATH", pytrace=False)
    return [dotnet, str(dll)]


@pytest.fixture(scope="session")
def kernel() -> Iterator[Kernel]:
    """Starts the real kernel once for the whole test session and stops it afterwards."""
    http_port, grpc_port = free_port(), free_port()
    while grpc_port == http_port:
        grpc_port = free_port()
    admin_key = "csk_" + secrets.token_urlsafe(32).replace("-", "a").replace("_", "b")
    data = Path(tempfile.mkdtemp(prefix="clawscale-py-"))
    log_path = data / "kernel.log"
    args = _kernel_command() + [
        f"--ClawScale:HttpPort={http_port}",
        f"--ClawScale:GrpcPort={grpc_port}",
        f"--ClawScale:DataDirectory={data / 'data'}",
        f"--ClawScale:Bootstrap:AdminApiKey={admin_key}",
        f"--ClawScale:PluginsManifest={REPO / 'plugins.json'}",
        "--ClawScale:Pipeline:PollInterval=00:00:00.200",
        # The fake Telegram Bot API runs on 127.0.0.1, a target the kernel refuses by default.
        "--ClawScale:Security:AllowPrivateNetworkTargets=true",
    ]
    env = dict(os.environ, ASPNETCORE_ENVIRONMENT="Production", DOTNET_ENVIRONMENT="Production",
               DOTNET_CLI_TELEMETRY_OPTOUT="1", DOTNET_NOLOGO="1")
    log = open(log_path, "wb")
    proc = subprocess.Popen(args, cwd=str(REPO), stdout=log, stderr=subprocess.STDOUT, env=env)
    k = Kernel(f"http://127.0.0.1:{grpc_port}", f"http://127.0.0.1:{http_port}", admin_key, log_path)
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                pytest.fail(f"the kernel exited with {proc.returncode} at start:\n{k.log_tail()}", pytrace=False)
            try:
                with urllib.request.urlopen(k.http_base + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        break
            except Exception:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the kernel did not answer /healthz within 120s:\n{k.log_tail()}", pytrace=False)
            time.sleep(0.25)
        yield k
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        shutil.rmtree(data, ignore_errors=True)


def unique(prefix: str) -> str:
    """A unique, slug-safe name."""
    return f"{prefix}-{secrets.token_hex(4)}"
