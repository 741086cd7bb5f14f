"""Synchronous ClawScale client on a ``grpc`` channel."""
from __future__ import annotations

from types import TracebackType
from typing import Any, Optional, Sequence, Tuple, Type

import grpc

from clawscale._common import DEFAULT_TIMEOUT, AuthedStub, auth_metadata, parse_address
from clawscale.v1 import (
    admin_pb2_grpc,
    delivery_pb2_grpc,
    identity_pb2_grpc,
    routing_pb2_grpc,
    runtime_pb2_grpc,
)


def _is_unary(multicallable: Any) -> bool:
    return isinstance(multicallable, grpc.UnaryUnaryMultiCallable)


class Client:
    """A synchronous client of the kernel's gRPC port.

    Example::

        with clawscale.Client("http://127.0.0.1:4041", api_key=key) as cs:
            tenant = cs.admin.CreateTenant(admin_pb2.CreateTenantRequest(slug="acme", display_name="Acme")).tenant

    Args:
        address: ``http://host:port`` (plaintext HTTP/2, the kernel's default), ``https://host:port`` (TLS) or
            ``host:port`` (plaintext).
        api_key: the API key (``csk_…``), sent as ``authorization: Bearer <key>`` on every call. ``None``: no
            header (calls then answer ``UNAUTHENTICATED``, except health and reflection).
        timeout: default deadline of unary calls in seconds (``None``: none); streaming calls get none.
        root_certificates: PEM roots for ``https://`` (default: the system's).
        options: extra grpc channel options, e.g. ``[("grpc.max_receive_message_length", 8 << 20)]``.

    Attributes:
        admin: ``AdminService`` stub. identity: ``IdentityService``. routing: ``RoutingService``.
        delivery: ``DeliveryService``. runtime: ``RuntimeService``. channel: the underlying ``grpc.Channel``.
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
            self.channel: grpc.Channel = grpc.secure_channel(target.host_port, creds, options=opts)
        else:
            self.channel = grpc.insecure_channel(target.host_port, options=opts)
        self.address = address
        md = auth_metadata(api_key)
        self.admin = AuthedStub(admin_pb2_grpc.AdminServiceStub(self.channel), md, timeout, _is_unary)
        self.identity = AuthedStub(identity_pb2_grpc.IdentityServiceStub(self.channel), md, timeout, _is_unary)
        self.routing = AuthedStub(routing_pb2_grpc.RoutingServiceStub(self.channel), md, timeout, _is_unary)
        self.delivery = AuthedStub(delivery_pb2_grpc.DeliveryServiceStub(self.channel), md, timeout, _is_unary)
        self.runtime = AuthedStub(runtime_pb2_grpc.RuntimeServiceStub(self.channel), md, timeout, _is_unary)

    def close(self) -> None:
        """Closes the channel; pending calls are cancelled."""
        self.channel.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(
        self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException], tb: Optional[TracebackType]
    ) -> None:
        self.close()

    def __repr__(self) -> str:  # never shows the key
        return f"<clawscale.Client {self.address}>"
