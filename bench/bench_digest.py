"""Digests at scale: a follower of everyone in the generated caseload gets one digest a day.

Run by hand from the repository root: ``.venv/bin/python bench/bench_digest.py``
(``--counts 1200 10000``, ``--days 30``, ``--chats 10000``). For each caseload
(``bench/caseload.py``, its places as records) in a temporary database: the
subject, one chat following everyone, and ``--chats`` more so the fan-out does
real work (half follow everyone and get digests, half follow two people and
get single alerts). Then the daily run for ``--days`` days from 1 December
2026, as the bot runs it (stale statuses held back, BOT_STALE_DAYS 90,
BOT_DIGEST_OVER 3), and each day the subject's digest composed and split as
the sender does.

Prints, per caseload: the deliveries the subject got each day (one, on every
day with a date: the target), the day's dates (what single alerts would have
been), its digest's parts and characters, the daily run's time (wall and CPU),
the part of it that fans the digest out, and the time to write one digest.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alerts import daily
from alerts.digest import digest_parts
from bench.caseload import generate, place_records
from fakeapi.telegram_html import parse_html, utf16_len
from messages.render import Messages
from storage import cases as case_store
from storage import deliveries
from storage.db import connect

FIRST_DAY = date(2026, 12, 1)
SUBJECT = 1


async def build(path: Path, count: int, chats: int) -> list[str]:
    db = await connect(path)
    try:
        cases = generate(count)
        await case_store.merge_cases(db, cases, places=place_records())
    finally:
        await db.close()
    slugs = [case.slug for case in cases]
    with sqlite3.connect(path) as raw:
        rows = [(SUBJECT, "en", 1)]
        subscriptions = []
        for chat_id in range(2, chats + 2):
            everyone = chat_id % 2 == 0
            rows.append((chat_id, ("en", "be", "ru", "pl")[chat_id % 4], int(everyone)))
            if not everyone:
                subscriptions += [
                    (chat_id, slugs[chat_id % count]),
                    (chat_id, slugs[-chat_id % count]),
                ]
        raw.executemany(
            "INSERT INTO chats (id, language, created_at, subscribed_all) VALUES (?, ?, 'x', ?)",
            rows,
        )
        raw.executemany(
            "INSERT OR IGNORE INTO subscriptions (chat_id, slug) VALUES (?, ?)", subscriptions
        )
    return slugs


class Timed:
    """queue_digest with its time kept: the digest's share of the daily run."""

    def __init__(self) -> None:
        self.seconds: list[float] = []
        self.original = daily.queue_digest

    async def __call__(self, *args, **kwargs):
        started = time.perf_counter()
        try:
            return await self.original(*args, **kwargs)
        finally:
            self.seconds.append(time.perf_counter() - started)


async def run(path: Path, days: int) -> dict:
    db = await connect(path)
    messages = Messages()
    timed = Timed()
    daily.queue_digest = timed
    by_slug = {case.slug: case for case in await case_store.load_cases(db)}
    places = {place.key: place for place in await case_store.load_places(db)}
    for case in by_slug.values():
        if case.detention and case.detention.place_key:
            case.detention.record = places.get(case.detention.place_key)

    async def case_of(slug):
        return by_slug.get(slug)

    found: dict[str, list] = {
        key: [] for key in ("per_day", "items", "parts", "chars", "wall", "cpu", "compose")
    }
    try:
        for number in range(days):
            day = FIRST_DAY + timedelta(days=number)
            wall, cpu = time.perf_counter(), time.process_time()
            await daily.run_day(db, day)
            found["wall"].append(time.perf_counter() - wall)
            found["cpu"].append(time.process_time() - cpu)
            async with db.execute(
                """SELECT count(*) FROM deliveries AS d JOIN alerts AS a ON a.id = d.alert_id
                   WHERE d.chat_id = ? AND a.on_date = ?""",
                (SUBJECT, day.isoformat()),
            ) as cursor:
                [(received,)] = await cursor.fetchall()
            async with db.execute(
                "SELECT count(*) FROM alerts WHERE digest_day = ?", (day.isoformat(),)
            ) as cursor:
                [(items,)] = await cursor.fetchall()
            found["per_day"].append(received)
            found["items"].append(items)
            # Everyone else's deliveries count as sent: the subject's are what is left.
            await db.execute(
                "UPDATE deliveries SET state = 'sent' WHERE state = 'pending' AND chat_id != ?",
                (SUBJECT,),
            )
            await db.commit()
            [digest] = await deliveries.next_due(db, 1e12, [], limit=10)
            assert digest.kind == "digest"
            started = time.perf_counter()
            parts = await digest_parts(messages, db, digest, case_of)
            found["compose"].append(time.perf_counter() - started)
            found["parts"].append(len(parts))
            found["chars"].append(sum(utf16_len(parse_html(part)[0]) for part in parts))
            assert all(utf16_len(parse_html(part)[0]) <= 4096 for part in parts)
            # Sent: the next day's outbox holds the next day's work only.
            await db.execute("UPDATE deliveries SET state = 'sent' WHERE state = 'pending'")
            await db.commit()
        async with db.execute("SELECT count(*) FROM held_alerts") as cursor:
            [(held,)] = await cursor.fetchall()
        found["held"] = held
    finally:
        daily.queue_digest = timed.original
        await db.close()
    found["digest_fan_out"] = timed.seconds
    return found


def summary(values: list[float], unit: str = "", scale: float = 1.0) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return (
        f"median {statistics.median(values) * scale:,.1f}{unit}, "
        f"p95 {p95 * scale:,.1f}{unit}, max {max(values) * scale:,.1f}{unit}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[1200, 10_000])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--chats", type=int, default=10_000)
    arguments = parser.parse_args()
    for count in arguments.counts:
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "bench.sqlite3"
            asyncio.run(build(path, count, arguments.chats))
            found = asyncio.run(run(path, arguments.days))
        per_day = found["per_day"]
        verdict = "ok" if set(per_day) == {1} else "NOT ONE A DAY"
        print(
            f"{count:,} cases, {arguments.chats + 1:,} chats, {arguments.days} days from "
            f"{FIRST_DAY}: the follower of everyone"
        )
        print(f"  deliveries a day          min {min(per_day)}, max {max(per_day)}  {verdict}")
        print(f"  dates a day (digest items) {summary(found['items'])}")
        print(
            f"  its digest                {summary(found['parts'])} messages; "
            f"{summary(found['chars'])} characters"
        )
        print(f"  writing it                {summary(found['compose'], ' ms', 1000)}")
        print(f"  the daily run, wall       {summary(found['wall'], ' ms', 1000)}")
        print(f"  the daily run, CPU        {summary(found['cpu'], ' ms', 1000)}")
        print(f"  of it, the digest fan-out {summary(found['digest_fan_out'], ' ms', 1000)}")
        print(f"  held back (stale status)  {found['held']:,} alerts in {arguments.days} days")


if __name__ == "__main__":
    main()
