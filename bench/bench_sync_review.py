"""The editors' review of Viasna's list at its size: /sync, one by one, Apply all.

Run by hand from the repository root: ``.venv/bin/python bench/bench_sync_review.py``
(``--rows N`` per export, ``--freed N`` people freed in the second export,
``--lookups N``). Every person is fictional (bench/viasna_export.py). Steps:

1. the first sync of an empty bot, applied (every held person a new case);
2. a second export where ``--freed`` of them are free: a plain sync, which
   stores the releases for the editors and queues their notice;
3. through the real bot on the fake Bot API: /sync, Review one by one, one
   Apply, then "Apply all N releases", timed from the press until the answer
   is sent; meanwhile another user's /defender, timed (p50/p95).

Prints the seconds of each, and the alert deliveries the releases queued.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_sync import AS_OF, LATER, percentile, run_sync, write_exports  # noqa: E402
from viasna_export import Day, records  # noqa: E402

from config import Settings  # noqa: E402
from fakeapi.harness import ChatDriver  # noqa: E402
from fakeapi.server import FakeBotAPI  # noqa: E402
from tests.test_alerts_support import Clock, alert_bot, rows  # noqa: E402

OWNER = 9001


def freed(rows, count: int):
    """The same rows with ``count`` held people freed on 1 September 2026."""
    held = [index for index, row in enumerate(rows) if row.status == "active"]
    chosen = random.Random(3).sample(held, min(count, len(held)))
    changed = list(rows)
    released = Day(date(2026, 9, 1), "day", "dotted")
    for index in chosen:
        changed[index] = replace(
            changed[index], status="former", released=released, prison=("released", 0)
        )
    return changed


async def review(db: Path, lookups: int) -> None:
    settings = Settings(db_path=db, admins=frozenset({OWNER}), max_file_mb=50)
    api = FakeBotAPI()
    now = datetime(2026, 9, 6, 12, 0, tzinfo=ZoneInfo("Europe/Minsk"))
    async with alert_bot(settings, api, Clock(now)) as app:
        editor = ChatDriver(app, api, user_id=OWNER, settle_timeout=600)
        reader = ChatDriver(app, api)

        started = time.perf_counter()
        [status] = await editor.send("/sync")
        print(f"/sync:                       {time.perf_counter() - started:6.3f} s")
        started = time.perf_counter()
        first = (await editor.press(status, 0))[-1]
        print(f"Review one by one:           {time.perf_counter() - started:6.3f} s")
        started = time.perf_counter()
        await editor.press(first, 0)
        print(f"Apply (one change):          {time.perf_counter() - started:6.3f} s")
        [status] = await editor.send("/sync")
        button = next(text for text in status.button_texts if "releases" in text)

        timings: list[float] = []
        started = time.perf_counter()
        pressing = asyncio.create_task(editor.press(status, button))
        number = 0
        while not pressing.done():
            begun = time.perf_counter()
            await reader.send("/defender Bialiatski", user_id=700_000 + number)
            timings.append(time.perf_counter() - begun)
            number += 1
            await asyncio.sleep(0.05)
            if number >= lookups:
                break
        await pressing
        seconds = time.perf_counter() - started
        [(queued,)] = await rows(app, "SELECT count(*) FROM deliveries")
        print(f"{button}: {seconds:6.3f} s ({queued} deliveries in the outbox)")
        if len(timings) > 1:
            print(
                f"/defender meanwhile:         p50 {statistics.median(timings) * 1000:5.1f} ms, "
                f"p95 {percentile(timings, 0.95) * 1000:5.1f} ms ({len(timings)} lookups)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=9000, help="rows in each export")
    parser.add_argument("--freed", type=int, default=500, help="held people freed")
    parser.add_argument("--lookups", type=int, default=300)
    arguments = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-sync-review-"))
    try:
        listed = records(arguments.rows)
        db = work / "casewatch.sqlite3"
        seconds, _, line = run_sync(
            db, write_exports(work / "first", listed), "--as-of", AS_OF, "--apply"
        )
        print(f"1. first sync, applied:      {seconds:6.2f} s | {line}")
        second = write_exports(work / "second", freed(listed, arguments.freed))
        seconds, _, line = run_sync(db, second, "--as-of", LATER)
        print(f"2. releases queued:          {seconds:6.2f} s | {line}")
        asyncio.run(review(db, arguments.lookups))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
