"""Asynchronous ClawScale client on a ``grpc.aio`` channel."""
from __future__ import annotations

from types import TracebackType
from typing import Any, Optional, Sequence, Tuple, Type

import grpc
import grpc.aio

from clawscale._common import DEFAULT_TIMEOUT, AuthedStub, auth_metadata, parse_address
from clawscale.v1 import (
    admin_pb2_grpc,
    delivery_pb2_grpc,
    identity_pb2_grpc,
    routing_pb2_grpc,
    runtime_pb2_grpc,
)

__all__ = ["AsyncClient"]


def _is_unary(multicallable: Any) -> bool:
    return isinstance(multicallable, grpc.aio.UnaryUnaryMultiCallable)


class AsyncClient:
    """An asyncio client of the kernel's gRPC port (``grpc.aio``). Same arguments as :class:`clawscale.Client`.

    Example::

        async with clawscale.AsyncClient("http://127.0.0.1:4041", api_key=key) as cs:
            tenants = (await cs.admin.ListTenants(admin_pb2.ListTenantsRequest())).tenants

    Create it inside the running event loop that uses it.
    """

    def __init__(
        self,
        address: str,
        api_key: Optional[str] = None,
        *,
        timeout: Optional[float] = DEFAULT_TIMEOUT,
        root_certificates: Optional[bytes] = None,
        options: Optional[Sequence[Tuple[str, Any]]] = None,
    ) -> None:
        target = parse_address(address)
        opts = list(options or ())
        if target.secure:
            creds = grpc.ssl_channel_credentials(root_certificates=root_certificates)
            self.channel: grpc.aio.Channel = grpc.aio.secure_channel(target.host_port, creds, options=opts)
        else:
            self.channel = grpc.aio.insecure_channel(target.host_port, options=opts)
        self.address = address
        md = auth_metadata(api_key)
        self.admin = AuthedStub(admin_pb2_grpc.AdminServiceStub(self.channel), md, timeout, _is_unary)
        self.identity = AuthedStub(identity_pb2_grpc.IdentityServiceStub(self.channel), md, timeout, _is_unary)
        self.routing = AuthedStub(routing_pb2_grpc.RoutingServiceStub(self.channel), md, timeout, _is_unary)
        self.delivery = AuthedStub(delivery_pb2_grpc.DeliveryServiceStub(self.channel), md, timeout, _is_unary)
        self.runtime = AuthedStub(runtime_pb2_grpc.RuntimeServiceStub(self.channel), md, timeout, _is_unary)

    async def close(self, grace: Optional[float] = None) -> None:
        """Closes the channel; pending calls are cancelled after ``grace`` seconds."""
        await self.channel.close(grace)

    async def __aenter__(self) -> "AsyncClient":
        return self

    async def __aexit__(
        self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException], tb: Optional[TracebackType]
    ) -> None:
        await self.close()

    def __repr__(self) -> str:  # never shows the key
        return f"<clawscale.aio.AsyncClient {self.address}>"
