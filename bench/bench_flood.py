"""Reply time for everyone else while one chat sends a hundred messages a second.

Run by hand from the repository root: ``.venv/bin/python bench/bench_flood.py``
(``--seconds S``, ``--rate N``, ``--latency S``). The real bot
(bot.build_application, AIORateLimiter on) takes its updates from its own update
queue, one at a time as polling hands them over, and every request to the fake
Bot API takes ``--latency`` seconds. One chat floods it with /defender lookups
at ``--rate`` a second; other people look a defender up twice a second; each
time is from the update entering the queue to Telegram's answer to the reply.
The same again with the flood gate opened wide shows what it saves. Target:
p95 under 1 s during the flood.
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
from telegram import Update

from config import Settings
from fakeapi.server import FakeBotAPI
from handlers.shared.flood import GATE_KEY, FloodGate
from tests.test_alerts_support import Chat, Clock, alert_bot, make_case, prepare

TARGET_P95 = 1.0
FLOODER = 600_000_001
USERS = iter(range(700_000_001, 700_010_001))


def message(api: FakeBotAPI, user_id: int, text: str) -> dict:
    user = {"id": user_id, "is_bot": False, "first_name": "U", "language_code": "en"}
    return {
        "update_id": api.next_update_id(),
        "message": {
            "message_id": api.next_message_id(user_id),
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": "U"},
            "from": user,
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}],
        },
    }


async def flood(app, api: FakeBotAPI, rate: float, stop: asyncio.Event) -> int:
    sent, started = 0, time.perf_counter()
    while not stop.is_set():
        due = started + sent / rate
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        update = message(api, FLOODER, "/defender Test Person")
        await app.update_queue.put(Update.de_json(update, app.bot))
        sent += 1
    return sent


async def lookups(app, api: FakeBotAPI, seconds: float) -> list[float]:
    timings = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        user = next(USERS)
        started = time.perf_counter()
        await app.update_queue.put(
            Update.de_json(message(api, user, "/defender Test Person"), app.bot)
        )
        while not api.messages_to(user):
            if time.perf_counter() - started > 30:
                raise TimeoutError("no reply in 30 s")
            await asyncio.sleep(0.002)
        timings.append(time.perf_counter() - started)
        await asyncio.sleep(max(0.0, 0.5 - timings[-1]))
    return timings


async def measure(seconds: float, rate: float, latency: float, gate: bool) -> dict:
    with tempfile.TemporaryDirectory() as directory:
        settings = Settings(db_path=Path(directory) / "bench.sqlite3")
        await prepare(settings.db_path, [make_case()], [Chat(1)])
        api = FakeBotAPI()
        clock = Clock(datetime.now(ZoneInfo("Europe/Minsk")))
        async with alert_bot(
            settings, api, clock, rate_limit=True, request=DistantRequest(api, latency)
        ) as app:
            if not gate:  # opened wide: every update goes through
                app.bot_data[GATE_KEY] = FloodGate(burst=10**9, per_second=10**9)
            idle = await lookups(app, api, 3)
            stop = asyncio.Event()
            flooding = asyncio.create_task(flood(app, api, rate, stop))
            await asyncio.sleep(1.0)
            loaded = await lookups(app, api, seconds)
            stop.set()
            flooded = await flooding
            answered = len(api.messages_to(FLOODER))
    return {"idle": idle, "loaded": loaded, "flooded": flooded, "answered": answered}


def percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def report(name: str, found: dict) -> None:
    loaded = found["loaded"]
    p95 = percentile(loaded, 0.95)
    print(
        f"  {name}: others' replies during the flood p50 {statistics.median(loaded) * 1000:5.0f} ms"
        f"  p95 {p95 * 1000:6.0f} ms  max {max(loaded) * 1000:6.0f} ms ({len(loaded)} lookups;"
        f" idle p95 {percentile(found['idle'], 0.95) * 1000:.0f} ms); the flooding chat got"
        f" {found['answered']} answers to {found['flooded']} messages"
        f"   target p95 < {TARGET_P95 * 1000:.0f} ms  {'ok' if p95 < TARGET_P95 else 'SLOW'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=100.0, help="the flood's messages a second")
    parser.add_argument("--latency", type=float, default=0.05, help="round trip, seconds")
    arguments = parser.parse_args()
    print(
        f"one chat sending {arguments.rate:.0f} messages a second for {arguments.seconds:.0f} s,"
        f" others looking up twice a second, round trip {arguments.latency * 1000:.0f} ms:"
    )
    for name, gate in (("flood gate on ", True), ("flood gate off", False)):
        found = asyncio.run(measure(arguments.seconds, arguments.rate, arguments.latency, gate))
        report(name, found)


if __name__ == "__main__":
    main()
