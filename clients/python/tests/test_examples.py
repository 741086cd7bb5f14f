"""The example runtimes: the OpenAI-compatible one against a local fake chat-completions server."""
from __future__ import annotations

import importlib.util
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, Dict, List

import pytest

from clawscale.v1 import resources_pb2, runtime_pb2

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def load_openai_example(monkeypatch: pytest.MonkeyPatch, base_url: str) -> Any:
    monkeypatch.setenv("OPENAI_BASE_URL", base_url)
    monkeypatch.setenv("OPENAI_MODEL", "test-model")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("SYSTEM_PROMPT", "Be brief.")
    spec = importlib.util.spec_from_file_location("openai_runtime", EXAMPLES / "openai_runtime.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_openai_runtime_calls_chat_completions(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: List[Dict[str, Any]] = []

    class Fake(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            seen.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
            answer = json.dumps({"choices": [{"message": {"role": "assistant", "content": "Hi Ada"}}]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Fake)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        example = load_openai_example(monkeypatch, f"http://127.0.0.1:{server.server_port}/v1/")
        turn = runtime_pb2.RuntimeTurn(
            message=resources_pb2.Message(text="I'm Ada", role=resources_pb2.MESSAGE_ROLE_USER),
            history=[resources_pb2.Message(text="hello", role=resources_pb2.MESSAGE_ROLE_USER),
                     resources_pb2.Message(text="hi!", role=resources_pb2.MESSAGE_ROLE_AGENT)])
        assert example.complete(example.build_messages(turn)) == "Hi Ada"
    finally:
        server.shutdown()
        server.server_close()
    assert seen[0]["path"] == "/v1/chat/completions"
    assert seen[0]["auth"] == "Bearer sk-test"
    assert seen[0]["body"]["model"] == "test-model"
    assert seen[0]["body"]["messages"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "hello"},
        {"role": "assistant", "content": "hi!"},
        {"role": "user", "content": "I'm Ada"},
    ]


def test_echo_example_is_the_readme_snippet() -> None:
    snippet = (EXAMPLES / "echo_runtime.py").read_text()
    readme = (EXAMPLES.parent / "README.md").read_text()
    code = snippet.split('"""', 2)[2].strip()
    assert code in readme
