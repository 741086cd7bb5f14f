"""ClawScale: Python client and async runtime helper for the ClawScale gateway kernel.

* :class:`clawscale.Client` — a synchronous client (``grpc`` channel) with the ``admin``, ``identity``,
  ``routing``, ``delivery`` and ``runtime`` stubs; every call carries ``authorization: Bearer <key>``.
* :class:`clawscale.aio.AsyncClient` — the same on ``grpc.aio``.
* :class:`clawscale.runtime.Runtime` — an asyncio external runtime: subscribes to its agents' turns over
  ``RuntimeService.Connect`` and answers them with your handler.

The message classes live in the generated modules, e.g. ``from clawscale.v1 import admin_pb2``
(generated from protos/ and shipped with the package).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Client", "AsyncClient", "Runtime", "ReplyMessage", "__version__"]

if TYPE_CHECKING:  # pragma: no cover
    from clawscale.aio import AsyncClient
    from clawscale.client import Client
    from clawscale.runtime import ReplyMessage, Runtime


def __getattr__(name: str) -> Any:
    """Imports lazily, so ``import clawscale`` works before the stubs are generated (e.g. in generate scripts)."""
    if name == "Client":
        from clawscale.client import Client

        return Client
    if name == "AsyncClient":
        from clawscale.aio import AsyncClient

        return AsyncClient
    if name in ("Runtime", "ReplyMessage"):
        from clawscale import runtime

        return getattr(runtime, name)
    raise AttributeError(f"module 'clawscale' has no attribute {name!r}")
