"""A runtime that answers with an OpenAI-compatible chat-completions endpoint, using only the standard library.

Environment:
    CLAWSCALE_ADDRESS    the kernel's gRPC address (default http://127.0.0.1:4041)
    CLAWSCALE_API_KEY    a runtime-scoped key (AdminService.CreateApiKey, scope API_KEY_SCOPE_RUNTIME)
    CLAWSCALE_AGENT_IDS  comma-separated agent ids to serve (default: every agent of the key)
    OPENAI_BASE_URL      e.g. https://api.openai.com/v1 or http://127.0.0.1:11434/v1 (Ollama)
    OPENAI_MODEL         e.g. gpt-4o-mini
    OPENAI_API_KEY       the provider's key (optional for local servers)
    SYSTEM_PROMPT        optional system prompt
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import urllib.error
import urllib.request
from typing import Dict, List

from clawscale.runtime import Runtime, RuntimeTurn
from clawscale.v1 import resources_pb2

BASE_URL = os.environ.get("OPENAI_BASE_URL", "https://api.openai.com/v1").rstrip("/")
MODEL = os.environ.get("OPENAI_MODEL", "gpt-4o-mini")
API_KEY = os.environ.get("OPENAI_API_KEY", "")
SYSTEM_PROMPT = os.environ.get("SYSTEM_PROMPT", "")


def build_messages(turn: RuntimeTurn) -> List[Dict[str, str]]:
    """The chat-completions messages: system prompt, the conversation's recent history, the new message."""
    messages: List[Dict[str, str]] = [{"role": "system", "content": SYSTEM_PROMPT}] if SYSTEM_PROMPT else []
    for m in turn.history:
        if m.text:
            role = "assistant" if m.role == resources_pb2.MESSAGE_ROLE_AGENT else "user"
            messages.append({"role": role, "content": m.text})
    messages.append({"role": "user", "content": turn.message.text})
    return messages


def complete(messages: List[Dict[str, str]]) -> str:
    """POST {BASE_URL}/chat/completions and return the first choice's text (blocking; run it in a thread)."""
    headers = {"Content-Type": "application/json"}
    if API_KEY:
        headers["Authorization"] = "Bearer " + API_KEY
    body = json.dumps({"model": MODEL, "messages": messages}).encode()
    request = urllib.request.Request(BASE_URL + "/chat/completions", data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            data = json.loads(response.read())
    except urllib.error.HTTPError as e:  # the status is useful to admins; the body may echo input, keep it short
        raise RuntimeError(f"chat completions answered HTTP {e.code}") from None
    return data["choices"][0]["message"]["content"] or ""


async def handle(turn: RuntimeTurn) -> str:
    """Answers one turn; an exception is reported to the kernel as the turn's failure (the user gets an apology)."""
    return await asyncio.to_thread(complete, build_messages(turn))


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    runtime = Runtime(
        os.environ.get("CLAWSCALE_ADDRESS", "http://127.0.0.1:4041"),
        os.environ["CLAWSCALE_API_KEY"],
        [a for a in os.environ.get("CLAWSCALE_AGENT_IDS", "").split(",") if a],
        runtime_name="openai-runtime",
        handler_timeout=150,
    )
    try:
        asyncio.run(runtime.run(handle))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
