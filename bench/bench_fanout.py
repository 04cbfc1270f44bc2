"""Fan-out: one alert queued for 100,000 subscribed chats.

Run by hand from the repository root: ``.venv/bin/python bench/bench_fanout.py``
(``--chats N``). Builds a temporary database with N chats following one case
(a fifth of them through "follow everything"), plus a tenth as many chats
that must not get it (switched off, setting off, another case), so the
WHERE clause does real work, then times
``queue_alert`` inside its transaction, as the daily run does, and measures
memory: Python's peak allocations during the fan-out (tracemalloc) and the
process's peak resident size. Target: under 2 s for 100,000 chats.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sqlite3
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alerts.fanout import queue_alert
from storage import cases as case_store
from storage.db import connect, transaction
from tests.test_alerts_support import make_case

TARGET_SECONDS = 2.0


async def build(path: Path, chats: int) -> int:
    """N chats that should get the alert, and N/10 more that should not.

    Of the N, 80 % follow the case and 20 % follow everything. The others
    are switched off, have anniversaries switched off, or follow another case.
    """
    db = await connect(path)
    await case_store.merge_cases(db, [make_case(), make_case("other-person")])
    await db.close()
    with sqlite3.connect(path) as raw:
        rows, subscriptions = [], []
        for chat_id in range(1, chats + chats // 10 + 1):
            recipient = chat_id <= chats
            follows_all = recipient and chat_id % 5 == 0
            active = recipient or chat_id % 3 != 0
            wants = recipient or chat_id % 3 != 1
            slug = "test-person" if recipient or chat_id % 3 != 2 else "other-person"
            rows.append(
                (chat_id, "en", "private", "2026-01-01", int(active), int(follows_all), int(wants))
            )
            if not follows_all:
                subscriptions.append((chat_id, slug))
        raw.executemany(
            "INSERT INTO chats (id, language, kind, created_at, active, subscribed_all, "
            "want_anniversaries) VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        raw.executemany("INSERT INTO subscriptions (chat_id, slug) VALUES (?, ?)", subscriptions)
    return chats


async def fan_out(path: Path) -> tuple[int, float, int]:
    db = await connect(path)
    try:
        tracemalloc.start()
        started = time.perf_counter()
        async with transaction(db):
            queued = await queue_alert(
                db,
                "detention_anniversary:test-person:2026-05-05",
                "detention_anniversary",
                date(2026, 5, 5),
                slug="test-person",
                payload={"years": 5, "days": None},
            )
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        await db.close()
    return queued, elapsed, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=100_000)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "bench.sqlite3"
        expected = asyncio.run(build(path, arguments.chats))
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        queued, elapsed, peak = asyncio.run(fan_out(path))
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert queued == expected, (queued, expected)
    verdict = "ok" if elapsed < TARGET_SECONDS else "SLOW"
    print(
        f"fan-out of one alert to {queued:,} subscribed chats "
        f"(of {arguments.chats + arguments.chats // 10:,} chats):"
    )
    print(f"  time                      {elapsed:8.3f} s    target < {TARGET_SECONDS} s  {verdict}")
    print(f"  rate                      {queued / elapsed:8,.0f} deliveries/s")
    print(f"  Python peak (tracemalloc) {peak / 1024:8,.0f} KiB  (one INSERT ... SELECT: flat)")
    print(
        f"  process peak RSS          {rss_after / 1024:8,.1f} MiB  "
        f"(+{(rss_after - rss_before) / 1024:,.1f} MiB during the fan-out)"
    )


if __name__ == "__main__":
    main()
