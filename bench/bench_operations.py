"""Operations at scale: a backup, a health check and a metrics scrape with 100,000 chats.

Run by hand from the repository root: ``.venv/bin/python bench/bench_operations.py``
(``--chats N``). Builds a temporary database with N chats, each following
the test case, and a statement fanned out to all of them (N deliveries
pending, the worst outbox a scrape must count), then times:

- ``make_copy``: the online backup with its integrity check (what ``python
  bot.py backup`` and the daily backup do), and the copy's size;
- the database reads behind ``/healthz`` and ``/metrics`` (every gauge), as
  one scrape runs them, median of 20.

Targets: a scrape well under a second, so a monitor polling every 15 s
costs nothing; a backup in seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from metrics import Metrics
from operations.gauges import refresh_gauges
from storage import alerts as alert_store
from storage import monitoring
from storage.backups import make_copy
from storage.db import connect
from tests.test_alerts_support import make_case, prepare, queue_statements


async def build(path: Path, chats: int) -> None:
    await prepare(path, [make_case()], [])
    with sqlite3.connect(path) as raw:
        raw.executemany(
            "INSERT INTO chats (id, language, kind, created_at) VALUES (?, 'en', 'private', 'x')",
            ((chat_id,) for chat_id in range(1, chats + 1)),
        )
        raw.executemany(
            "INSERT INTO subscriptions (chat_id, slug) VALUES (?, 'test-person')",
            ((chat_id,) for chat_id in range(1, chats + 1)),
        )
    await queue_statements(path, "statement:bench")


async def scrape_seconds(path: Path, rounds: int = 20) -> float:
    db = await connect(path)
    metrics = Metrics()
    timings = []
    try:
        for _ in range(rounds):
            started = time.perf_counter()
            await monitoring.ping(db)
            await alert_store.last_run_day(db, "daily_alerts")
            await refresh_gauges(metrics, db, date(2026, 11, 25), 90)
            timings.append(time.perf_counter() - started)
    finally:
        await db.close()
    return statistics.median(timings)


async def main(chats: int) -> None:
    with tempfile.TemporaryDirectory(prefix="casewatch-bench-") as folder:
        path = Path(folder) / "casewatch.sqlite3"
        await build(path, chats)
        started = time.perf_counter()
        copy = await asyncio.to_thread(make_copy, path, Path(folder) / "copy.sqlite3")
        backup = time.perf_counter() - started
        scrape = await scrape_seconds(path)
    print(f"{chats:,} chats, {chats:,} deliveries pending")
    print(f"backup with integrity check: {backup:.2f} s, {copy.size / 1024 / 1024:.1f} MiB")
    print(f"health and metrics reads per scrape: median {scrape * 1000:.1f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=100_000)
    asyncio.run(main(parser.parse_args().chats))
