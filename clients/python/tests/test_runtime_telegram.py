"""clawscale.runtime.Runtime against the real kernel, through the Telegram plugin: a private-chat Update reaches the
runtime and its reply goes back to the same Telegram chat, quoting the user's message.

The Telegram Bot API is a small fake served on 127.0.0.1 (``config.api_base_url``). The channel runs in polling mode,
so the kernel needs no public URL: the fake answers ``getMe`` and ``deleteWebhook`` at connect, serves the queued
Update from ``getUpdates`` (then long-polls empty) and records every ``sendMessage``.

Skipped (with the reason) while the kernel's RuntimeService answers UNIMPLEMENTED; a probe checks that first.
"""
from __future__ import annotations

import asyncio
import copy
import json
import secrets
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, Iterator, List, Optional

import pytest

import clawscale
from clawscale.runtime import Runtime, RuntimeTurn
from clawscale.v1 import admin_pb2, resources_pb2
from conftest import Kernel, unique
from test_runtime_kernel import probe, runtime_connected

#: An Update as documented at https://core.telegram.org/bots/api#update (a private text message; the same shape as
#: tests/ClawScale.Plugins.Telegram.Tests/Payloads/private_text.json).
PRIVATE_TEXT_UPDATE: Dict[str, Any] = {
    "update_id": 734012001,
    "message": {
        "message_id": 1365,
        "from": {"id": 111111111, "is_bot": False, "first_name": "Ada", "last_name": "Lovelace",
                 "username": "ada_l", "language_code": "en"},
        "chat": {"id": 111111111, "first_name": "Ada", "last_name": "Lovelace", "username": "ada_l",
                 "type": "private"},
        "date": 1735732800,
        "text": "Hello, can you summarise my notes?",
    },
}

BOT_ID = 123456789


class FakeTelegram:
    """A fake Bot API: ``POST /bot<token>/<method>`` with a JSON body, answered with ``{"ok": true, "result": …}``."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.calls: List[str] = []  # method names, in order
        self.sent: List[dict] = []  # sendMessage bodies
        self.unknown: List[str] = []  # paths that are not this bot's known methods
        self._lock = threading.Lock()
        self._pending: List[dict] = []
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._next_message_id = 9000
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_POST(self) -> None:
                fake._serve(self)

            def do_GET(self) -> None:
                fake._serve(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, name="fake-telegram", daemon=True)

    def start(self) -> "FakeTelegram":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        self.server.shutdown()
        self.server.server_close()

    def push_update(self, update: dict) -> None:
        """Queues an Update for the next getUpdates."""
        with self._lock:
            self._pending.append(copy.deepcopy(update))
        self._wake.set()

    def sends(self) -> List[dict]:
        with self._lock:
            return list(self.sent)

    def called(self, method: str) -> bool:
        with self._lock:
            return method in self.calls

    # --- HTTP -------------------------------------------------------------------------------------------------

    @staticmethod
    def _read_body(request: BaseHTTPRequestHandler) -> bytes:
        if "chunked" in request.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(request.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while request.rfile.readline() not in (b"\r\n", b"\n", b""):  # trailers
                        pass
                    return b"".join(chunks)
                chunks.append(request.rfile.read(size))
                request.rfile.readline()  # CRLF after the chunk
        length = int(request.headers.get("Content-Length") or 0)
        return request.rfile.read(length) if length else b""

    @staticmethod
    def _answer(request: BaseHTTPRequestHandler, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        request.wfile.write(data)

    def _serve(self, request: BaseHTTPRequestHandler) -> None:
        raw = self._read_body(request)
        prefix = f"/bot{self.token}/"
        path = request.path.split("?", 1)[0]
        if not path.startswith(prefix):
            with self._lock:
                self.unknown.append(path)
            self._answer(request, 401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
            return
        method = path[len(prefix):]
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            body = {}
        with self._lock:
            self.calls.append(method)

        if method == "getMe":
            self._answer(request, 200, {"ok": True, "result": {
                "id": BOT_ID, "is_bot": True, "first_name": "Py Test Bot", "username": "py_test_bot",
                "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}})
        elif method in ("setWebhook", "deleteWebhook"):
            self._answer(request, 200, {"ok": True, "result": True, "description": "done"})
        elif method == "getUpdates":
            self._answer(request, 200, {"ok": True, "result": self._updates(body)})
        elif method == "sendMessage":
            with self._lock:
                self.sent.append(body)
                self._next_message_id += 1
                message_id = self._next_message_id
            chat_id = body.get("chat_id")
            self._answer(request, 200, {"ok": True, "result": {
                "message_id": message_id, "date": int(time.time()), "text": body.get("text", ""),
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "Py Test Bot", "username": "py_test_bot"},
                "chat": {"id": int(chat_id) if str(chat_id).lstrip("-").isdigit() else chat_id, "type": "private"}}})
        else:
            with self._lock:
                self.unknown.append(path.replace(self.token, "<token>"))
            self._answer(request, 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"})

    def _updates(self, body: dict) -> List[dict]:
        """Pending updates at or after ``offset``; when there are none, waits up to the long-poll timeout (≤ 1 s)."""
        offset = body.get("offset")
        timeout = min(float(body.get("timeout") or 0), 1.0)
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                if offset is not None:  # confirmed: forget them, as Telegram does
                    self._pending = [u for u in self._pending if u["update_id"] >= offset]
                ready = list(self._pending)
                if not ready:
                    self._wake.clear()
            remaining = deadline - time.monotonic()
            if ready or remaining <= 0 or self._stopping.is_set():
                return ready
            self._wake.wait(remaining)


@dataclass
class TelegramSetup:
    """A tenant with an external agent bound by default, a runtime key for it, and a Telegram channel (polling)."""

    tenant_id: str
    agent_id: str
    runtime_key: str
    channel_id: str


@pytest.fixture
def telegram() -> Iterator[FakeTelegram]:
    token = f"{BOT_ID}:AAE" + secrets.token_urlsafe(24)[:32]
    fake = FakeTelegram(token).start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def setup(kernel: Kernel, telegram: FakeTelegram) -> Iterator[TelegramSetup]:
    with clawscale.Client(kernel.grpc_address, api_key=kernel.admin_key) as cs:
        tenant = cs.admin.CreateTenant(admin_pb2.CreateTenantRequest(slug=unique("pytg"), display_name="Telegram")).tenant
        agent = cs.admin.CreateAgent(admin_pb2.CreateAgentRequest(tenant_id=tenant.id, name="py-runtime", kind="external")).agent
        key = cs.admin.CreateApiKey(admin_pb2.CreateApiKeyRequest(
            tenant_id=tenant.id, name="py-runtime", scope=resources_pb2.API_KEY_SCOPE_RUNTIME, agent_ids=[agent.id])).secret
        cs.admin.CreateAgentBinding(admin_pb2.CreateAgentBindingRequest(tenant_id=tenant.id, agent_id=agent.id))
    s = TelegramSetup(tenant.id, agent.id, key, "")
    reason = asyncio.run(probe(kernel, s))  # type: ignore[arg-type]  # probe reads agent_id and runtime_key only
    if reason:
        pytest.skip(reason)
    with clawscale.Client(kernel.grpc_address, api_key=kernel.admin_key) as cs:
        channel = cs.admin.CreateChannel(admin_pb2.CreateChannelRequest(
            tenant_id=tenant.id, kind="telegram", display_name="Telegram bot",
            credentials={"bot_token": telegram.token},
            config={"mode": "polling", "api_base_url": telegram.base_url, "polling_timeout_seconds": "1"},
            webhook_secret="py-" + secrets.token_hex(16))).channel
    s.channel_id = channel.id
    try:
        yield s
    finally:
        # Stops the kernel's poller before the fake goes away (the kernel lives for the whole session).
        try:
            with clawscale.Client(kernel.grpc_address, api_key=kernel.admin_key) as cs:
                cs.admin.DeleteChannel(admin_pb2.DeleteChannelRequest(channel_id=channel.id))
        except Exception:
            pass


async def wait_until(condition, what: str, kernel: Kernel, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}\n{kernel.log_tail(40)}")
        await asyncio.sleep(0.1)


def test_runtime_answers_a_telegram_private_message(kernel: Kernel, setup: TelegramSetup,
                                                     telegram: FakeTelegram) -> None:
    turns: List[RuntimeTurn] = []

    async def handler(turn: RuntimeTurn) -> str:
        turns.append(turn)
        return "py: " + turn.message.text

    update = PRIVATE_TEXT_UPDATE
    chat_id = update["message"]["chat"]["id"]
    text = update["message"]["text"]

    async def main() -> None:
        runtime = Runtime(kernel.grpc_address, setup.runtime_key, [setup.agent_id], runtime_name="pytest-telegram")
        task = asyncio.ensure_future(runtime.run(handler))
        try:
            await asyncio.wait_for(runtime_connected(runtime), 15)
            assert setup.agent_id in runtime.agent_ids
            # The channel is connected and polling once getUpdates has been called.
            await wait_until(lambda: telegram.called("getUpdates"), "the kernel to poll getUpdates", kernel)
            assert telegram.called("getMe")
            telegram.push_update(update)

            await wait_until(lambda: len(telegram.sends()) >= 1, "a sendMessage to the fake Telegram", kernel)
            assert not task.done(), task
            # No second message arrives (one turn, one reply): give a retry or duplicate a moment to show up.
            quiet_until = time.monotonic() + 1.5
            while time.monotonic() < quiet_until:
                await asyncio.sleep(0.1)
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    asyncio.run(main())

    sends = telegram.sends()
    assert len(sends) == 1, sends
    sent = sends[0]
    assert str(sent["chat_id"]) == str(chat_id), sent
    assert sent["text"] == "py: " + text, sent
    assert (sent.get("reply_parameters") or {}).get("message_id") == update["message"]["message_id"], sent
    assert "message_thread_id" not in sent or sent["message_thread_id"] in (None, 0), sent
    assert telegram.unknown == [], telegram.unknown

    assert len(turns) == 1, turns
    turn = turns[0]
    assert turn.tenant_id == setup.tenant_id and turn.agent_id == setup.agent_id
    assert turn.message.text == text
    assert turn.delivery_route.channel_id == setup.channel_id
    assert turn.delivery_route.external_chat_id == str(chat_id)
    assert turn.delivery_route.external_thread_id == ""
