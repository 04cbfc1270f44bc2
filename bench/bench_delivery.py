"""Delivery rate: the real bot broadcasting to 600 chats against a strict fake Bot API.

Run by hand from the repository root: ``.venv/bin/python bench/bench_delivery.py``
(``--chats N``, ``--latency S``, ``--no-limiter``). The fake Bot API enforces
Telegram's limits (30 messages a second, sliding window) and answers 429 over
them; the bot runs with BOT_BROADCAST_RATE=30, as built by bot.build_application
(AIORateLimiter included, as in production), and every request takes
``--latency`` seconds, like a round trip to Telegram. Targets: sustained rate
at least 0.95 of the limit (28.5 messages a second), zero 429 answers.

``--http``: the same over the wire, the bot as ``python bot.py run`` (a process
of its own) and the fake Bot API served over HTTP from this one (target: at
least 0.9 of the limit). tests/test_alerts_flood_http.py checks what this
measures as counts (every chat once, one wait per 429); the rate is timed here.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alerts.sender import SenderOptions
from alerts.service import alert_service
from config import Settings
from fakeapi.request import FakeRequest
from fakeapi.server import FakeBotAPI
from tests.test_alerts_support import (
    Chat,
    Clock,
    alert_bot,
    make_case,
    prepare,
    queue_statements,
    settle,
)

LIMIT = 30


class DistantRequest(FakeRequest):
    """The in-process fake, answered only after a network round trip."""

    __slots__ = ("latency",)

    def __init__(self, api: FakeBotAPI, latency: float) -> None:
        super().__init__(api)
        self.latency = latency

    async def do_request(self, url, method, request_data=None, *args, **kwargs):
        await asyncio.sleep(self.latency / 2)
        answer = await super().do_request(url, method, request_data, *args, **kwargs)
        await asyncio.sleep(self.latency / 2)
        return answer


async def measure(chats: int, latency: float, limiter: bool) -> tuple[float, int, int, float]:
    with tempfile.TemporaryDirectory() as directory:
        settings = Settings(db_path=Path(directory) / "bench.sqlite3")
        # A released person: no calendar alert joins the broadcast at start-up.
        await prepare(
            settings.db_path,
            [make_case(status="released", released_on="2025-12-13")],
            [Chat(chat_id) for chat_id in range(1, chats + 1)],
        )
        api = FakeBotAPI()
        api.rate_limit(per_second=LIMIT, per_chat_per_second=1, per_group_per_minute=20)
        clock = Clock(datetime.now(ZoneInfo("Europe/Minsk")))
        # The production sender: default concurrency, gaps and polling.
        async with alert_bot(
            settings,
            api,
            clock,
            sender=SenderOptions(),
            rate_limit=limiter,
            broadcast_rate=LIMIT,
            request=DistantRequest(api, latency),
        ) as app:
            await queue_statements(settings.db_path, "statement:bench")
            started = time.perf_counter()
            alert_service(app).wake()
            await settle(app, timeout=chats / LIMIT * 3 + 30)
            wall = time.perf_counter() - started
        times = [r.time for r in api.sent if r.method == "sendMessage"]
    sustained = (len(times) - 1) / (max(times) - min(times))
    return sustained, len(times), api.too_many_requests, wall


async def measure_http(chats: int) -> tuple[float, int, int, float]:
    from fakeapi.http import serve
    from tests.test_alerts_crash import FAKE_TOKEN, count, queued_broadcast, start_bot

    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        db_path = folder / "bench.sqlite3"
        await queued_broadcast(db_path, chats)
        api = FakeBotAPI(token=FAKE_TOKEN)
        api.rate_limit(per_second=LIMIT, per_chat_per_second=1, per_group_per_minute=20)
        server, base_url = serve(api)
        started = time.perf_counter()
        bot = start_bot(folder, base_url, db_path, "bot.log", rate=LIMIT)
        try:
            unsent = "SELECT count(*) FROM deliveries WHERE state != 'sent'"
            while count(db_path, unsent):
                await asyncio.sleep(0.05)
            wall = time.perf_counter() - started
            bot.send_signal(signal.SIGTERM)
            bot.wait(60)
        finally:
            if bot.poll() is None:
                bot.kill()
                bot.wait()
            server.shutdown()
    times = [r.time for r in api.sent if r.method == "sendMessage"]
    sustained = (len(times) - 1) / (max(times) - min(times))
    return sustained, len(times), api.too_many_requests, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=600)
    parser.add_argument("--latency", type=float, default=0.05, help="round trip, seconds")
    parser.add_argument("--no-limiter", action="store_true", help="build without AIORateLimiter")
    parser.add_argument("--http", action="store_true", help="python bot.py run, over HTTP")
    arguments = parser.parse_args()
    if arguments.http:
        sustained, sent, refused, wall = asyncio.run(measure_http(arguments.chats))
        how, target = "python bot.py run over HTTP (AIORateLimiter on)", 0.9
    else:
        sustained, sent, refused, wall = asyncio.run(
            measure(arguments.chats, arguments.latency, not arguments.no_limiter)
        )
        how = (
            f"round trip {arguments.latency * 1000:.0f} ms, "
            f"AIORateLimiter {'off' if arguments.no_limiter else 'on'}"
        )
        target = 0.95
    share = sustained / LIMIT
    print(
        f"broadcast of {sent} messages, fake Bot API strict at {LIMIT}/s, "
        f"BOT_BROADCAST_RATE={LIMIT}, {how}:"
    )
    print(
        f"  sustained rate   {sustained:6.2f} msg/s = {share:.3f} of the limit   "
        f"target >= {target:g}  {'ok' if share >= target else 'LOW'}"
    )
    print(
        f"  429 answers      {refused:6d}                           "
        f"target 0      {'ok' if refused == 0 else 'FAIL'}"
    )
    print(f"  wall time        {wall:6.1f} s (queue to last answer)")


if __name__ == "__main__":
    main()
