"""Shared plumbing of the sync and async clients: address parsing and the authenticated stub wrapper."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Optional, Sequence, Tuple
from urllib.parse import urlsplit

Metadata = Sequence[Tuple[str, str]]

#: Default deadline of unary calls, in seconds. Streaming calls (``Connect``, ``WatchDeliveries``) get none.
DEFAULT_TIMEOUT = 30.0


@dataclass(frozen=True)
class Target:
    """A parsed kernel address.

    Attributes:
        host_port: ``host:port`` as grpc expects it.
        secure: ``True`` for ``https://`` (TLS), ``False`` for ``http://`` or a bare ``host:port`` (h2c).
    """

    host_port: str
    secure: bool


def parse_address(address: str) -> Target:
    """Parses ``http://host:port`` (plaintext h2c), ``https://host[:port]`` (TLS) or ``host:port`` (plaintext).

    Raises:
        ValueError: for another scheme, a missing host, or a path.
    """
    if "://" not in address:
        if not address or "/" in address:
            raise ValueError(f"address must be http://host:port, https://host:port or host:port, got {address!r}")
        return Target(address, False)
    parts = urlsplit(address)
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"address scheme must be http (h2c) or https (TLS), got {parts.scheme!r}")
    if not parts.hostname:
        raise ValueError(f"address has no host: {address!r}")
    if parts.path not in ("", "/"):
        raise ValueError(f"address must not have a path: {address!r}")
    secure = parts.scheme == "https"
    port = parts.port or (443 if secure else 80)
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return Target(f"{host}:{port}", secure)


def auth_metadata(api_key: Optional[str]) -> Tuple[Tuple[str, str], ...]:
    """The ``authorization: Bearer <key>`` metadata for ``api_key``; empty when there is no key."""
    return (("authorization", "Bearer " + api_key),) if api_key else ()


class _Method:
    """One RPC of a stub with the client's metadata (prepended) and default timeout (unary calls only)."""

    __slots__ = ("_callable", "_metadata", "_timeout", "__name__")

    def __init__(self, multicallable: Any, metadata: Metadata, timeout: Optional[float], name: str) -> None:
        self._callable = multicallable
        self._metadata = tuple(metadata)
        self._timeout = timeout
        self.__name__ = name

    def _kwargs(self, kwargs: dict) -> dict:
        extra = kwargs.pop("metadata", None) or ()
        kwargs["metadata"] = self._metadata + tuple(extra)
        if self._timeout is not None:
            kwargs.setdefault("timeout", self._timeout)
        return kwargs

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._callable(*args, **self._kwargs(kwargs))

    def with_call(self, *args: Any, **kwargs: Any) -> Any:
        """Like the sync stub's ``with_call``: returns ``(response, call)``."""
        return self._callable.with_call(*args, **self._kwargs(kwargs))

    def future(self, *args: Any, **kwargs: Any) -> Any:
        """Like the sync stub's ``future``."""
        return self._callable.future(*args, **self._kwargs(kwargs))


class AuthedStub:
    """Wraps a generated stub so that every call carries the client's metadata and default timeout.

    Per-call ``metadata=`` is appended to the client's; a per-call ``timeout=`` replaces the default.
    """

    def __init__(self, stub: Any, metadata: Metadata, timeout: Optional[float], is_unary: Callable[[Any], bool]) -> None:
        self._stub = stub
        for name, value in vars(stub).items():
            if name.startswith("_"):
                continue
            setattr(self, name, _Method(value, metadata, timeout if is_unary(value) else None, name))

    @property
    def raw(self) -> Any:
        """The underlying generated stub, without metadata or timeout injection."""
        return self._stub

    def __repr__(self) -> str:
        return f"<AuthedStub {type(self._stub).__name__}>"
