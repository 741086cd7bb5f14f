"""A runtime that echoes every message (CLAWSCALE_ADDRESS, CLAWSCALE_API_KEY: a runtime key; CLAWSCALE_AGENT_IDS)."""
import asyncio, os
from clawscale.runtime import Runtime

async def handle(turn):
    return "You said: " + turn.message.text

runtime = Runtime(os.environ.get("CLAWSCALE_ADDRESS", "http://127.0.0.1:4041"), os.environ["CLAWSCALE_API_KEY"],
                  [a for a in os.environ.get("CLAWSCALE_AGENT_IDS", "").split(",") if a])
asyncio.run(runtime.run(handle))
