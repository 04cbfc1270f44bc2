"""``python bot.py releases`` on a list of 250 and 5,000 names against 10,000 cases.

Run by hand from the repository root: ``.venv/bin/python bench/bench_releases.py``
(``--cases 10000 --lists 250,5000``). The cases come from ``bench/caseload.py``;
a list holds held people's names as a report would print them (Latin,
passport style) and one name in sixteen that is in no case. Each run is a
process of its own, as an operator runs it, into a fresh copy of the
database: a dry run, the real run (every change, its audit entry and release
alert in one transaction), and the same list again (nothing changes).

Target: 250 names in a few seconds; a list of 5,000 under a minute.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.caseload import generate, place_records
from cases.model import localised
from storage import cases as case_store
from storage.db import connect

ROOT = Path(__file__).resolve().parents[1]
SOURCE = "https://example.org/pardon"


async def fill(db_path: Path, count: int) -> list:
    cases = generate(count)
    db = await connect(db_path)
    try:
        await case_store.merge_cases(db, cases, places=place_records())
    finally:
        await db.close()
    return cases


def names_for(cases: list, size: int, rng: random.Random) -> list[str]:
    held = [case for case in cases if case.is_held]
    chosen = rng.sample(held, min(size, len(held)))
    lines = [f"{number}. {localised(case.name, 'en')}" for number, case in enumerate(chosen, 1)]
    for index in range(0, len(lines), 16):
        lines[index] = f"{index + 1}. Zzyzx Unknownovich {index}"
    return lines


def run(db_path: Path, listed: Path, *extra: str) -> tuple[float, str]:
    env = {**os.environ, "BOT_DB": str(db_path)}
    command = [sys.executable, "bot.py", "releases", str(listed), "--date", "2026-03-19"]
    started = time.perf_counter()
    done = subprocess.run(
        [*command, "--source", SOURCE, *extra],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"releases failed: {done.stderr.strip()}")
    return time.perf_counter() - started, done.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--lists", default="250,5000")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder) / "base.sqlite3"
        cases = asyncio.run(fill(base, arguments.cases))
        print(f"{arguments.cases:,} cases, {sum(case.is_held for case in cases):,} held")
        for size in (int(part) for part in arguments.lists.split(",")):
            listed = Path(folder) / f"list-{size}.txt"
            listed.write_text("\n".join(names_for(cases, size, random.Random(size))) + "\n")
            db_path = Path(folder) / f"db-{size}.sqlite3"
            shutil.copy(base, db_path)
            for label, extra in (("dry run", ("--dry-run",)), ("apply", ()), ("again", ())):
                seconds, summary = run(db_path, listed, *extra)
                print(f"{size:>5} names, {label:<7}: {seconds:6.2f} s  {summary}")


if __name__ == "__main__":
    main()
