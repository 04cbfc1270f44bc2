"""Viasna's list at its size: ``python bot.py sync`` on three exports of 9,000 rows.

Run by hand from the repository root: ``.venv/bin/python bench/bench_sync.py``
(``--rows N`` per export, ``--cases N`` in the bot, ``--lookups N``). Every
person is fictional (bench/viasna_export.py, bench/caseload.py). Each sync runs
in a process of its own, as an operator runs it, and reports its own peak
memory (VmHWM). Prints:

1. the first sync of an empty bot (the bundled five): every held person a
   new case, applied (``--apply``);
2. a sync against ``--cases`` cases (the ones the first made, linked, and
   generated ones that are not on the list and not linked: the worst case, each
   looked up among the list's names);
3. a second sync with 20 changes (10 releases, 10 moves), applied;
4. the bot's reply to ``/defender`` (p50/p95) while a sync runs beside it on
   the same database, against the same replies with nothing beside them.

Targets (issue 15): 1 and 2 under 10 s and 300 MiB; 3 under 5 s; 4 p95 under
100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from viasna_export import Day, export_bytes, records  # noqa: E402

from config import Settings  # noqa: E402
from fakeapi.harness import ChatDriver  # noqa: E402
from fakeapi.server import FakeBotAPI  # noqa: E402
from tests.test_alerts_support import Clock, alert_bot  # noqa: E402

LANGUAGES = ("en", "be", "ru")
AS_OF = "2026-08-30"
LATER = "2026-09-06"
# A sync in a process of its own, reporting its peak memory when it is done.
RUNNER = """
import sys
sys.argv = ["bot.py", *sys.argv[1:]]
sys.path.insert(0, ".")
import bot
code = bot.main(sys.argv[1:])
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM"))
print("PEAK", int(peak.split()[1]) // 1024, file=sys.stderr)
sys.exit(code)
"""


def write_exports(folder: Path, rows) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for language in LANGUAGES:
        path = folder / f"viasna-{language}.csv"
        path.write_bytes(export_bytes(rows, language))
        paths.append(path)
    return paths


def run_sync(db: Path, paths: list[Path], *options: str) -> tuple[float, int, str]:
    """(seconds, peak MiB, the summary line) of one ``bot.py sync`` in its own process."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, "sync", *map(str, paths), *options],
        cwd=ROOT,
        env={"BOT_DB": str(db), "BOT_MAX_FILE_MB": "50", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"sync failed ({done.returncode}): {done.stderr[-2000:]}")
    [peak_line] = [line for line in done.stderr.splitlines() if line.startswith("PEAK")]
    peak = int(peak_line.split()[1])
    return seconds, peak, done.stdout.strip().splitlines()[-1]


def import_generated(db: Path, count: int, folder: Path) -> None:
    cases = folder / "generated.yaml"
    generated = subprocess.run(
        [sys.executable, "bench/caseload.py", "--count", str(count), "--seed", "7"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # Slugs of their own: an import merges by slug, and a generated namesake's slug
    # would replace a case the first sync made.
    cases.write_text(generated.replace("- slug: ", "- slug: g-"))
    subprocess.run(
        [sys.executable, "bot.py", "import", str(cases)],
        cwd=ROOT,
        env={"BOT_DB": str(db), "BOT_MAX_FILE_MB": "50", "PATH": "/usr/bin:/bin"},
        check=True,
        capture_output=True,
    )


def twenty_changes(rows):
    """The same rows with 10 held people freed and 10 moved to another place."""
    rng = random.Random(5)
    held = [index for index, row in enumerate(rows) if row.status == "active"]
    chosen = rng.sample(held, 20)
    changed = list(rows)
    for index in chosen[:10]:
        row = changed[index]
        released = Day(datetime(2026, 9, 1).date(), "day", "dotted")
        changed[index] = replace(row, status="former", released=released, prison=("released", 0))
    for index in chosen[10:]:
        row = changed[index]
        kind, number = row.prison
        changed[index] = replace(row, prison=("place", (number + 7) % 40 if kind else 3))
    return changed


async def replies(db: Path, count: int, beside: subprocess.Popen | None) -> list[float]:
    """``count`` lookups through the whole bot; while ``beside`` (a sync) runs, if given."""
    settings = Settings(db_path=db, admins=frozenset())
    api = FakeBotAPI()
    now = datetime(2026, 9, 6, 12, 0, tzinfo=ZoneInfo("Europe/Minsk"))
    timings = []
    async with alert_bot(settings, api, Clock(now)) as app:
        driver = ChatDriver(app, api)
        for number in range(count):
            if beside is not None and beside.poll() is not None and number > 5:
                break
            started = time.perf_counter()
            await driver.send("/defender Bialiatski", user_id=700_000 + number)
            timings.append(time.perf_counter() - started)
            await asyncio.sleep(0.05)
    return timings


def percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100)[int(share * 100) - 1] if len(values) > 1 else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=9000, help="rows in each export")
    parser.add_argument("--cases", type=int, default=9000, help="cases in the bot for step 2")
    parser.add_argument("--lookups", type=int, default=300)
    arguments = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    try:
        rows = records(arguments.rows)
        first = write_exports(work / "first", rows)
        size = sum(path.stat().st_size for path in first) / 1e6
        print(f"exports: 3 x {arguments.rows} rows, {size:.1f} MB")
        db = work / "casewatch.sqlite3"

        seconds, peak, line = run_sync(db, first, "--as-of", AS_OF, "--apply")
        print(f"1. first sync, applied:           {seconds:5.2f} s, {peak} MiB  | {line}")

        big = work / "big.sqlite3"
        shutil.copy(db, big)
        extra = max(0, arguments.cases - int(line.split(" new")[0].split()[-1]) - 5)
        import_generated(big, extra, work)
        seconds, peak, line = run_sync(big, first, "--as-of", LATER)
        print(f"2. sync against {arguments.cases} cases:    {seconds:5.2f} s, {peak} MiB  | {line}")

        second = write_exports(work / "second", twenty_changes(rows))
        seconds, peak, line = run_sync(db, second, "--as-of", LATER, "--apply")
        print(f"3. 20 changes, applied:           {seconds:5.2f} s, {peak} MiB  | {line}")

        quiet = asyncio.run(replies(big, arguments.lookups // 2, None))
        beside = subprocess.Popen(
            [sys.executable, "-c", RUNNER, "sync", *map(str, second), "--as-of", LATER],
            cwd=ROOT,
            env={"BOT_DB": str(big), "BOT_MAX_FILE_MB": "50", "PATH": "/usr/bin:/bin"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        busy = asyncio.run(replies(big, arguments.lookups, beside))
        beside.wait()
        print(
            f"4. /defender alone:   p50 {statistics.median(quiet) * 1000:5.1f} ms, "
            f"p95 {percentile(quiet, 0.95) * 1000:5.1f} ms ({len(quiet)} lookups)"
        )
        print(
            f"   beside a sync:     p50 {statistics.median(busy) * 1000:5.1f} ms, "
            f"p95 {percentile(busy, 0.95) * 1000:5.1f} ms ({len(busy)} lookups)"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
