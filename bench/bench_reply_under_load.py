"""Reply time of a /defender lookup while a 10,000-chat broadcast is going out.

Run by hand from the repository root:
``.venv/bin/python bench/bench_reply_under_load.py`` (``--chats N``,
``--lookups N``, ``--latency S``). The real bot (bot.build_application, with
AIORateLimiter, BOT_BROADCAST_RATE at its default 25) runs against the fake
Bot API in strict mode (Telegram's 30 a second) with a network round trip of
``--latency`` on every request. A user looks a defender up twice a second,
first with the bot idle, then while the broadcast runs; the time is from the
update reaching the bot to Telegram's answer to the reply. Target: p95 under
1 s during the broadcast.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_delivery import DistantRequest

from alerts.sender import SenderOptions
from alerts.service import alert_service
from config import Settings
from fakeapi.harness import ChatDriver
from fakeapi.server import FakeBotAPI
from tests.test_alerts_support import (
    Chat,
    Clock,
    alert_bot,
    make_case,
    prepare,
    queue_statements,
)

TARGET_P95 = 1.0
# Users, none among the broadcast's chats. Each lookup comes from the next one:
# Telegram allows one message a second per chat, and this is about many people.
USERS = range(900_000_001, 900_001_001)


async def lookups(driver: ChatDriver, users, count: int, every: float) -> list[float]:
    timings = []
    for _ in range(count):
        user = next(users)
        started = time.perf_counter()
        sent = await driver.send("/defender Test Person", user_id=user)
        timings.append(time.perf_counter() - started)
        # What went out meanwhile includes the broadcast: pick the reply.
        [reply] = [record for record in sent if record.chat_id == user]
        assert reply.plain.startswith("Test Person")
        await asyncio.sleep(max(0.0, every - timings[-1]))
    return timings


def percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


async def measure(chats: int, count: int, latency: float) -> dict:
    with tempfile.TemporaryDirectory() as directory:
        settings = Settings(db_path=Path(directory) / "bench.sqlite3")
        await prepare(
            settings.db_path,
            [make_case(status="released", released_on="2025-12-13")],
            [Chat(chat_id) for chat_id in range(1, chats + 1)],
        )
        api = FakeBotAPI()
        api.rate_limit(per_second=30, per_chat_per_second=1, per_group_per_minute=20)
        clock = Clock(datetime.now(ZoneInfo("Europe/Minsk")))
        async with alert_bot(
            settings,
            api,
            clock,
            sender=SenderOptions(stop_timeout=2.0),
            rate_limit=True,
            broadcast_rate=25,
            request=DistantRequest(api, latency),
        ) as app:
            # settle_timeout=0: time the reply only, not the broadcast's own tasks.
            driver = ChatDriver(app, api, raise_errors=True, settle_timeout=0)
            users = iter(USERS)
            idle = await lookups(driver, users, count // 2, 0.5)

            queued = await queue_statements(settings.db_path, "statement:bench")
            alert_service(app).wake()
            await asyncio.sleep(1.0)  # let the broadcast reach its pace
            first_broadcast = sum(1 for r in api.sent if r.chat_id not in USERS)
            window_start = time.perf_counter()
            loaded = await lookups(driver, users, count, 0.5)
            window = time.perf_counter() - window_start
            broadcast_in_window = (
                sum(1 for r in api.sent if r.chat_id not in USERS) - first_broadcast
            )
    return {
        "queued": queued,
        "idle": idle,
        "loaded": loaded,
        "broadcast_rate": broadcast_in_window / window,
        "refused": api.too_many_requests,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=10_000)
    parser.add_argument("--lookups", type=int, default=40)
    parser.add_argument("--latency", type=float, default=0.05, help="round trip, seconds")
    arguments = parser.parse_args()
    found = asyncio.run(measure(arguments.chats, arguments.lookups, arguments.latency))
    loaded, idle = found["loaded"], found["idle"]
    p95 = percentile(loaded, 0.95)
    print(
        f"/defender lookups, twice a second, round trip {arguments.latency * 1000:.0f} ms, "
        f"fake Bot API strict at 30/s, AIORateLimiter on:"
    )
    print(
        f"  idle bot              p50 {statistics.median(idle) * 1000:6.0f} ms   "
        f"p95 {percentile(idle, 0.95) * 1000:6.0f} ms   ({len(idle)} lookups)"
    )
    print(
        f"  during the broadcast  p50 {statistics.median(loaded) * 1000:6.0f} ms   "
        f"p95 {p95 * 1000:6.0f} ms   max {max(loaded) * 1000:6.0f} ms   ({len(loaded)} lookups)"
        f"   target p95 < {TARGET_P95 * 1000:.0f} ms  {'ok' if p95 < TARGET_P95 else 'SLOW'}"
    )
    print(
        f"  broadcast meanwhile   {found['broadcast_rate']:6.1f} msg/s to {found['queued']:,} "
        f"queued chats (BOT_BROADCAST_RATE=25); 429 answers: {found['refused']}"
    )


if __name__ == "__main__":
    main()
