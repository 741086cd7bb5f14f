"""An asyncio external runtime: receives its agents' turns over ``RuntimeService.Connect`` and replies.

Example (the README's "For runtime teams" snippet)::

    import asyncio, os
    from clawscale.runtime import Runtime

    async def handle(turn):
        return "You said: " + turn.message.text

    runtime = Runtime(os.environ["CLAWSCALE_ADDRESS"], os.environ["CLAWSCALE_API_KEY"])
    asyncio.run(runtime.run(handle))

Protocol (see ``protos/clawscale/v1/runtime.proto``): the runtime sends ``hello``, the kernel answers ``welcome``
and then sends turns; the runtime acknowledges each turn at once, runs the handler, and sends one
``reply(final=True)`` or a ``failure``. Heartbeats flow both ways at the welcome's interval. On a stream error the
runtime reconnects with exponential backoff and jitter; acknowledged turns whose handler was still running are
abandoned (the kernel owns their fate), unacknowledged ones are redelivered by the kernel.
"""
from __future__ import annotations

import asyncio
import logging
import random
from typing import Any, Awaitable, Callable, FrozenSet, Iterable, List, Optional, Sequence, Set, Tuple, Union

import grpc
import grpc.aio

from clawscale.aio import AsyncClient
from clawscale.v1 import runtime_pb2
from clawscale.v1.runtime_pb2 import ReplyMessage, RuntimeTurn

__all__ = ["Runtime", "RuntimeTurn", "ReplyMessage", "HandlerResult", "Handler", "FATAL_CODES"]

#: What a handler may return: a text, several texts, one or several ``ReplyMessage`` (e.g. with attachments), or
#: ``None`` for no message (the turn completes without an answer).
HandlerResult = Union[None, str, ReplyMessage, Sequence[Union[str, ReplyMessage]]]
#: The handler: an async function of a :class:`RuntimeTurn`.
Handler = Callable[[RuntimeTurn], Awaitable[HandlerResult]]

#: Status codes that no reconnect can fix: :meth:`Runtime.run` raises them instead of retrying.
FATAL_CODES: FrozenSet[grpc.StatusCode] = frozenset({
    grpc.StatusCode.UNAUTHENTICATED,
    grpc.StatusCode.PERMISSION_DENIED,
    grpc.StatusCode.UNIMPLEMENTED,
    grpc.StatusCode.INVALID_ARGUMENT,
    grpc.StatusCode.NOT_FOUND,
})

_log = logging.getLogger("clawscale.runtime")


class _StreamEnded(Exception):
    """The current stream is over (dropped, silent kernel, protocol error); reconnect."""


def to_reply_messages(result: HandlerResult) -> List[ReplyMessage]:
    """Converts a handler's result to ``ReplyMessage`` objects.

    Raises:
        TypeError: for anything else than ``None``, ``str``, ``ReplyMessage`` or a sequence of those.
    """
    if result is None:
        return []
    if isinstance(result, (str, ReplyMessage)):
        result = [result]
    if not isinstance(result, (list, tuple)):
        raise TypeError(f"a handler must return str, ReplyMessage or a list of them, not {type(result).__name__}")
    out: List[ReplyMessage] = []
    for item in result:
        if isinstance(item, str):
            out.append(ReplyMessage(text=item))
        elif isinstance(item, ReplyMessage):
            out.append(item)
        else:
            raise TypeError(f"a handler's list may hold str or ReplyMessage, not {type(item).__name__}")
    return out


class Runtime:
    """An external agent runtime connected to the kernel through ``RuntimeService.Connect``.

    Args:
        address: the kernel's gRPC address (``http://host:port`` h2c, ``https://host:port`` TLS).
        api_key: a runtime-scoped key (``CreateApiKey`` with scope ``API_KEY_SCOPE_RUNTIME``) bound to the agents.
        agent_ids: the agents to serve; empty means every agent of the key.
        runtime_name: free-form name shown in the kernel's logs.
        instance_id: distinguishes replicas; the kernel generates one when empty.
        max_in_flight: how many unacknowledged turns the kernel may send at once (0: the kernel's default, 16).
        initial_backoff: first reconnect delay in seconds; doubles per failed attempt up to ``max_backoff``, with
            jitter (each delay is drawn from [d/2, d]). Reset once a connection is welcomed.
        max_backoff: the longest reconnect delay, in seconds.
        handler_timeout: seconds a handler may run before the turn is reported as failed; ``None``: no limit.
        fatal_codes: status codes that end :meth:`run` with the error instead of reconnecting.
        root_certificates / options: passed to the channel, as in :class:`clawscale.aio.AsyncClient`.

    Attributes:
        session_id: the current session's id (from the welcome), ``None`` while disconnected.
        connections: how many times a connection was welcomed (1 after the first connect, 2 after one reconnect…).
        connected: an ``asyncio.Event`` set while a welcomed stream is open (created by :meth:`run`).
        agent_ids: the agents the kernel confirmed in the last welcome.
    """

    def __init__(
        self,
        address: str,
        api_key: str,
        agent_ids: Iterable[str] = (),
        *,
        runtime_name: str = "clawscale-python",
        instance_id: str = "",
        max_in_flight: int = 0,
        initial_backoff: float = 0.5,
        max_backoff: float = 30.0,
        handler_timeout: Optional[float] = None,
        fatal_codes: Iterable[grpc.StatusCode] = FATAL_CODES,
        root_certificates: Optional[bytes] = None,
        options: Optional[Sequence[Tuple[str, Any]]] = None,
    ) -> None:
        if not api_key:
            raise ValueError("api_key is required (a runtime-scoped key)")
        if initial_backoff <= 0 or max_backoff < initial_backoff:
            raise ValueError("need 0 < initial_backoff <= max_backoff")
        self.address = address
        self._api_key = api_key
        self.requested_agent_ids: Tuple[str, ...] = tuple(agent_ids)
        self.runtime_name = runtime_name
        self.instance_id = instance_id
        self.max_in_flight = max_in_flight
        self.initial_backoff = initial_backoff
        self.max_backoff = max_backoff
        self.handler_timeout = handler_timeout
        self.fatal_codes: FrozenSet[grpc.StatusCode] = frozenset(fatal_codes)
        self._root_certificates = root_certificates
        self._options = options
        self.session_id: Optional[str] = None
        self.agent_ids: Tuple[str, ...] = ()
        self.connections = 0
        self.connected: Optional[asyncio.Event] = None
        self._call: Optional[Any] = None
        self._drop_reason: Optional[str] = None

    def __repr__(self) -> str:  # never shows the key
        return f"<clawscale.runtime.Runtime {self.runtime_name} {self.address} session={self.session_id}>"

    def backoff_delay(self, attempt: int) -> float:
        """The delay before reconnect ``attempt`` (0-based): exponential, capped, with jitter in [d/2, d]."""
        delay = min(self.max_backoff, self.initial_backoff * (2 ** min(attempt, 30)))
        return delay / 2 + random.uniform(0, delay / 2)

    def drop_connection(self, reason: str = "dropped by the application") -> None:
        """Ends the current stream (if any); :meth:`run` then reconnects. Safe to call from the event loop only."""
        call = self._call
        if call is not None:
            self._drop_reason = reason
            call.cancel()

    async def run(self, handler: Handler) -> None:
        """Serves turns with ``handler`` until cancelled; reconnects after stream errors.

        Raises:
            grpc.aio.AioRpcError: when the kernel answers one of :attr:`fatal_codes` (e.g. a revoked key, or a
                kernel without RuntimeService: ``UNIMPLEMENTED``).
            asyncio.CancelledError: when the task running it is cancelled (the stream is closed first).
        """
        self.connected = asyncio.Event()
        client = AsyncClient(self.address, self._api_key, timeout=None,
                             root_certificates=self._root_certificates, options=self._options)
        attempt = 0
        try:
            while True:
                welcomed_before = self.connections
                try:
                    await self._session(client, handler)
                    reason = "the kernel ended the stream"
                except grpc.aio.AioRpcError as e:
                    if e.code() in self.fatal_codes:
                        _log.error("RuntimeService.Connect failed: %s: %s", e.code().name, e.details())
                        raise
                    reason = f"{e.code().name}: {e.details()}"
                except _StreamEnded as e:
                    reason = str(e)
                except (asyncio.InvalidStateError, grpc.aio.UsageError) as e:  # wrote to a stream that had ended
                    reason = f"stream closed: {type(e).__name__}"
                if self.connections > welcomed_before:
                    attempt = 0
                delay = self.backoff_delay(attempt)
                attempt += 1
                _log.warning("runtime stream ended (%s); reconnecting in %.2fs", reason, delay)
                await asyncio.sleep(delay)
        finally:
            self.session_id = None
            self.connected.clear()
            await client.close()

    async def _session(self, client: AsyncClient, handler: Handler) -> None:
        """One Connect stream: hello, welcome, then turns until the stream ends."""
        loop = asyncio.get_running_loop()
        call = client.runtime.Connect()
        self._call = call
        self._drop_reason = None
        write_lock = asyncio.Lock()
        tasks: Set[asyncio.Task] = set()
        heartbeat: Optional[asyncio.Task] = None
        last_seen = [loop.time()]

        async def send(request: runtime_pb2.ConnectRequest) -> None:
            async with write_lock:
                await call.write(request)

        async def read() -> Any:
            try:
                message = await call.read()
            except asyncio.CancelledError:
                task = asyncio.current_task()
                really_cancelled = task is not None and getattr(task, "cancelling", lambda: 0)() > 0
                if self._drop_reason is not None and not really_cancelled:
                    raise _StreamEnded(self._drop_reason) from None
                raise
            except grpc.aio.AioRpcError as e:
                if self._drop_reason is not None and e.code() == grpc.StatusCode.CANCELLED:
                    raise _StreamEnded(self._drop_reason) from None
                raise
            last_seen[0] = loop.time()
            return message

        async def beat(interval: float) -> None:
            while True:
                await asyncio.sleep(interval)
                if loop.time() - last_seen[0] > 3 * interval:
                    self.drop_connection(f"no message from the kernel for {3 * interval:.0f}s")
                    return
                hb = runtime_pb2.Heartbeat()
                hb.time.GetCurrentTime()
                try:
                    await send(runtime_pb2.ConnectRequest(heartbeat=hb))
                except Exception:  # the read loop reports the stream's error
                    return

        try:
            await send(runtime_pb2.ConnectRequest(hello=runtime_pb2.RuntimeHello(
                agent_ids=self.requested_agent_ids, runtime_name=self.runtime_name,
                instance_id=self.instance_id, max_in_flight=self.max_in_flight)))
            first = await read()
            if first is grpc.aio.EOF:
                return
            if first.WhichOneof("kind") != "welcome":
                raise _StreamEnded(f"protocol error: expected welcome, got {first.WhichOneof('kind')}")
            welcome = first.welcome
            self.session_id = welcome.session_id
            self.agent_ids = tuple(welcome.agent_ids)
            self.connections += 1
            assert self.connected is not None
            self.connected.set()
            interval = float(welcome.heartbeat_interval_seconds or 30)
            _log.info("runtime connected: session %s, agents %s, heartbeat %.0fs",
                      self.session_id, ",".join(self.agent_ids) or "-", interval)
            heartbeat = asyncio.create_task(beat(interval))
            while True:
                message = await read()
                if message is grpc.aio.EOF:
                    return
                kind = message.WhichOneof("kind")
                if kind == "turn":
                    turn = message.turn
                    await send(runtime_pb2.ConnectRequest(ack=runtime_pb2.TurnAck(turn_id=turn.turn_id)))
                    task = asyncio.create_task(self._handle(turn, handler, send))
                    tasks.add(task)
                    task.add_done_callback(tasks.discard)
                elif kind == "reply_accepted":
                    _log.debug("reply to turn %s accepted: %d deliveries",
                               message.reply_accepted.turn_id, len(message.reply_accepted.delivery_ids))
                # heartbeats only refresh last_seen
        finally:
            self._call = None
            self.session_id = None
            if self.connected is not None:
                self.connected.clear()
            pending = [t for t in ([heartbeat] if heartbeat else []) + list(tasks) if not t.done()]
            for t in pending:
                t.cancel()
            call.cancel()
            if pending:
                await asyncio.gather(*pending, return_exceptions=True)

    async def _handle(self, turn: RuntimeTurn, handler: Handler,
                      send: Callable[[runtime_pb2.ConnectRequest], Awaitable[None]]) -> None:
        """Runs the handler for one turn and sends its final reply, or a failure when it raises."""
        try:
            if self.handler_timeout is not None:
                result = await asyncio.wait_for(handler(turn), self.handler_timeout)
            else:
                result = await handler(turn)
            request = runtime_pb2.ConnectRequest(reply=runtime_pb2.TurnReply(
                turn_id=turn.turn_id, messages=to_reply_messages(result), final=True))
        except asyncio.CancelledError:
            raise
        except Exception as e:  # the handler's failure is reported to the kernel, never fatal to the runtime
            error = f"{type(e).__name__}: {e}"[:2000]
            _log.warning("handler failed on turn %s: %s", turn.turn_id, error)
            request = runtime_pb2.ConnectRequest(failure=runtime_pb2.TurnFailure(turn_id=turn.turn_id, error=error))
        try:
            await send(request)
        except Exception as e:  # the stream broke; the session loop reconnects
            _log.warning("could not send the result of turn %s: %s", turn.turn_id, type(e).__name__)
