"""clawscale.runtime.Runtime against an in-process fake RuntimeService (grpc.aio server from the same protos).

These pin the runtime's side of the protocol (hello → welcome, ack, reply/failure, heartbeats, reconnects, fatal
codes, cancellation) independently of the kernel; test_runtime_kernel.py runs the same helper against the real one.
"""
from __future__ import annotations

import asyncio
from typing import Awaitable, Callable, List, Optional

import grpc
import grpc.aio
import pytest

from clawscale.runtime import ReplyMessage, Runtime, RuntimeTurn, to_reply_messages
from clawscale.v1 import resources_pb2, runtime_pb2, runtime_pb2_grpc

KEY = "csk_fake_runtime_key_0123456789abcdef"


class Session:
    """What one Connect stream received."""

    def __init__(self, metadata: dict) -> None:
        self.metadata = metadata
        self.received: List[runtime_pb2.ConnectRequest] = []
        self.ended = asyncio.Event()

    def kinds(self) -> List[str]:
        return [r.WhichOneof("kind") for r in self.received]

    def of(self, kind: str) -> list:
        return [getattr(r, kind) for r in self.received if r.WhichOneof("kind") == kind]


Behaviour = Callable[["FakeRuntimeService", Session, grpc.aio.ServicerContext], Awaitable[None]]


async def serve(fake: "FakeRuntimeService", session: Session, context: grpc.aio.ServicerContext) -> None:
    """Welcomes, then sends queued turns and records every request until the runtime goes away."""
    await welcome(session, context, 1)

    async def reader() -> None:
        while True:
            request = await context.read()
            if request is grpc.aio.EOF:
                return
            session.received.append(request)

    read = asyncio.ensure_future(reader())
    get: "Optional[asyncio.Future]" = None
    try:
        while not read.done():
            get = asyncio.ensure_future(fake.turns.get())
            done, _ = await asyncio.wait({get, read}, timeout=1, return_when=asyncio.FIRST_COMPLETED)
            if get in done:
                await context.write(runtime_pb2.ConnectResponse(turn=get.result()))
            else:
                get.cancel()
                if not read.done():  # a second without a turn: heartbeat, as the kernel does
                    hb = runtime_pb2.Heartbeat()
                    hb.time.GetCurrentTime()
                    await context.write(runtime_pb2.ConnectResponse(heartbeat=hb))
    finally:
        read.cancel()
        if get is not None and not get.done():
            get.cancel()  # never let a dead session steal the next turn


async def welcome(session: Session, context: grpc.aio.ServicerContext, interval: int) -> None:
    hello = await context.read()
    session.received.append(hello)
    await context.write(runtime_pb2.ConnectResponse(welcome=runtime_pb2.RuntimeWelcome(
        session_id=f"session-{id(session)}", heartbeat_interval_seconds=interval, agent_ids=hello.hello.agent_ids)))


async def abort_after_welcome(fake: "FakeRuntimeService", session: Session, context: grpc.aio.ServicerContext) -> None:
    await welcome(session, context, 1)
    await context.abort(grpc.StatusCode.UNAVAILABLE, "kernel restarting")


async def unauthenticated(fake: "FakeRuntimeService", session: Session, context: grpc.aio.ServicerContext) -> None:
    await context.abort(grpc.StatusCode.UNAUTHENTICATED, "unknown API key")


async def silent(fake: "FakeRuntimeService", session: Session, context: grpc.aio.ServicerContext) -> None:
    """Welcomes with a 1 s heartbeat interval, then never sends anything again."""
    await welcome(session, context, 1)
    while (await context.read()) is not grpc.aio.EOF:
        pass


class FakeRuntimeService(runtime_pb2_grpc.RuntimeServiceServicer):
    """Runs behaviours[n] for the n-th Connect (the last one for later connects)."""

    def __init__(self, *behaviours: Behaviour) -> None:
        self.behaviours = list(behaviours) or [serve]
        self.sessions: List[Session] = []
        self.turns: "asyncio.Queue[runtime_pb2.RuntimeTurn]" = asyncio.Queue()

    async def Connect(self, request_iterator, context):  # noqa: N802 (gRPC method name)
        session = Session(dict(context.invocation_metadata()))
        self.sessions.append(session)
        behaviour = self.behaviours[min(len(self.sessions) - 1, len(self.behaviours) - 1)]
        try:
            await behaviour(self, session, context)
        finally:
            session.ended.set()


async def start(fake: FakeRuntimeService) -> "tuple[grpc.aio.Server, str]":
    server = grpc.aio.server()
    runtime_pb2_grpc.add_RuntimeServiceServicer_to_server(fake, server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    return server, f"http://127.0.0.1:{port}"


async def eventually(predicate: Callable[[], bool], timeout: float = 10, what: str = "condition") -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


def turn(turn_id: str, text: str) -> runtime_pb2.RuntimeTurn:
    return runtime_pb2.RuntimeTurn(turn_id=turn_id, tenant_id="t", agent_id="ag1", attempt=1,
                                   message=resources_pb2.Message(text=text, role=resources_pb2.MESSAGE_ROLE_USER))


def run_with(fake_factory: Callable[[], FakeRuntimeService],
             body: Callable[[FakeRuntimeService, str], Awaitable[None]]) -> None:
    async def main() -> None:
        fake = fake_factory()
        server, address = await start(fake)
        try:
            await asyncio.wait_for(body(fake, address), 30)
        finally:
            await server.stop(None)

    asyncio.run(main())


async def stop(task: "asyncio.Task[None]") -> None:
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


def test_to_reply_messages() -> None:
    assert to_reply_messages(None) == []
    assert [m.text for m in to_reply_messages("a")] == ["a"]
    assert [m.text for m in to_reply_messages(["a", ReplyMessage(text="b")])] == ["a", "b"]
    with pytest.raises(TypeError):
        to_reply_messages(42)  # type: ignore[arg-type]


def test_backoff_is_exponential_capped_and_jittered() -> None:
    r = Runtime("http://127.0.0.1:1", KEY, initial_backoff=1, max_backoff=8)
    for attempt, full in [(0, 1), (1, 2), (2, 4), (3, 8), (10, 8)]:
        delays = [r.backoff_delay(attempt) for _ in range(50)]
        assert all(full / 2 <= d <= full for d in delays)
        assert len(set(delays)) > 1


def test_hello_ack_reply_and_heartbeats() -> None:
    async def handler(t: RuntimeTurn):
        return ["echo: " + t.message.text, ReplyMessage(text="second")]

    async def body(fake: FakeRuntimeService, address: str) -> None:
        runtime = Runtime(address, KEY, ["ag1"], runtime_name="pytest")
        task = asyncio.ensure_future(runtime.run(handler))
        await eventually(lambda: runtime.connections == 1, what="welcome")
        assert runtime.agent_ids == ("ag1",) and runtime.session_id
        await fake.turns.put(turn("t1", "hi"))
        s = fake.sessions[0]
        await eventually(lambda: s.of("reply"), what="reply")
        assert s.metadata["authorization"] == "Bearer " + KEY
        hello = s.of("hello")[0]
        assert list(hello.agent_ids) == ["ag1"] and hello.runtime_name == "pytest"
        assert s.kinds().index("ack") < s.kinds().index("reply")
        assert s.of("ack")[0].turn_id == "t1"
        reply = s.of("reply")[0]
        assert reply.turn_id == "t1" and reply.final
        assert [m.text for m in reply.messages] == ["echo: hi", "second"]
        await eventually(lambda: s.of("heartbeat"), timeout=5, what="heartbeat")
        assert s.of("heartbeat")[0].time.seconds > 0
        await stop(task)
        await asyncio.wait_for(s.ended.wait(), 5)
        assert not runtime.connected.is_set()

    run_with(FakeRuntimeService, body)


def test_a_failing_handler_reports_failure_and_keeps_serving() -> None:
    async def handler(t: RuntimeTurn) -> str:
        if t.message.text == "boom":
            raise ValueError("the model is down")
        return "ok"

    async def body(fake: FakeRuntimeService, address: str) -> None:
        runtime = Runtime(address, KEY)
        task = asyncio.ensure_future(runtime.run(handler))
        await fake.turns.put(turn("t1", "boom"))
        await fake.turns.put(turn("t2", "fine"))
        await eventually(lambda: fake.sessions and fake.sessions[0].of("failure") and fake.sessions[0].of("reply"))
        failure = fake.sessions[0].of("failure")[0]
        assert failure.turn_id == "t1" and failure.error == "ValueError: the model is down"
        assert fake.sessions[0].of("reply")[0].turn_id == "t2"
        assert runtime.connections == 1
        await stop(task)

    run_with(FakeRuntimeService, body)


def test_reconnects_after_a_stream_error() -> None:
    async def handler(t: RuntimeTurn) -> str:
        return "after reconnect"

    async def body(fake: FakeRuntimeService, address: str) -> None:
        runtime = Runtime(address, KEY, initial_backoff=0.05, max_backoff=0.2)
        task = asyncio.ensure_future(runtime.run(handler))
        await eventually(lambda: runtime.connections == 2, what="reconnect")
        await fake.turns.put(turn("t1", "hi"))
        await eventually(lambda: len(fake.sessions) == 2 and fake.sessions[1].of("reply"))
        assert len(fake.sessions[0].of("hello")) == 1 and len(fake.sessions[1].of("hello")) == 1
        await stop(task)

    run_with(lambda: FakeRuntimeService(abort_after_welcome, serve), body)


def test_drop_connection_reconnects() -> None:
    async def handler(t: RuntimeTurn) -> str:
        return "x"

    async def body(fake: FakeRuntimeService, address: str) -> None:
        runtime = Runtime(address, KEY, initial_backoff=0.05, max_backoff=0.2)
        task = asyncio.ensure_future(runtime.run(handler))
        await eventually(lambda: runtime.connections == 1)
        first = runtime.session_id
        runtime.drop_connection()
        await asyncio.wait_for(fake.sessions[0].ended.wait(), 5)
        await eventually(lambda: runtime.connections == 2, what="reconnect")
        assert runtime.session_id != first and not task.done()
        await fake.turns.put(turn("t9", "hi"))
        await eventually(lambda: fake.sessions[1].of("reply"))
        await stop(task)

    run_with(FakeRuntimeService, body)


def test_a_silent_kernel_is_detected_and_left() -> None:
    async def handler(t: RuntimeTurn) -> str:
        return "x"

    async def body(fake: FakeRuntimeService, address: str) -> None:
        runtime = Runtime(address, KEY, initial_backoff=0.05, max_backoff=0.2)
        task = asyncio.ensure_future(runtime.run(handler))
        await eventually(lambda: runtime.connections == 2, timeout=10, what="reconnect after 3 missed heartbeats")
        await stop(task)

    run_with(lambda: FakeRuntimeService(silent, serve), body)


def test_fatal_codes_end_run() -> None:
    async def handler(t: RuntimeTurn) -> str:
        return "x"

    async def body(fake: FakeRuntimeService, address: str) -> None:
        runtime = Runtime(address, KEY, initial_backoff=0.05)
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await runtime.run(handler)
        assert err.value.code() == grpc.StatusCode.UNAUTHENTICATED
        assert len(fake.sessions) == 1

    run_with(lambda: FakeRuntimeService(unauthenticated), body)
