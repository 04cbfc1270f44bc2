"""Importing a caseload and starting the bot on it, at 1,200 and 10,000 cases.

Run by hand from the repository root: ``.venv/bin/python bench/bench_import.py``
(``--sizes 1200,10000``). The cases come from ``bench/caseload.py``.

- import: ``python bot.py import FILE`` in a process of its own, into an empty
  database, for each format: wall time and the process's peak memory;
- re-import: the same file again (everything unchanged);
- start-up: the bot's own start (open the database, load every case, build
  the name index, set the menus) against the in-process fake Bot API, until
  it can answer.

Targets: import of 1,200 cases under 2 s and 10,000 under 15 s; start-up with
10,000 cases under 3 s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot import build_application
from config import Settings
from fakeapi.request import FakeRequest
from fakeapi.server import FakeBotAPI

ROOT = Path(__file__).resolve().parents[1]


def run_import(db_path: Path, file: Path) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak MiB) of ``bot.py import`` in a child process.

    CPU time (user and system) leaves out the moments another process held
    the core: on a shared machine it is the steadier figure.
    """
    # 10,000 cases are more than the 5 MB a file may have by default.
    env = {**os.environ, "BOT_DB": str(db_path), "BOT_MAX_FILE_MB": "100"}
    env.pop("BOT_TOKEN", None)
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, str(ROOT / "bot.py"), "import", str(file)],
        env=env,
        cwd=file.parent,
        stdout=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"import of {file} failed")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


async def start_up(db_path: Path) -> tuple[float, float]:
    """(wall, CPU) seconds from building the Application to a bot ready to answer."""
    settings = Settings(db_path=db_path)
    started, cpu_started = time.perf_counter(), time.process_time()
    application = build_application(settings, request=FakeRequest(FakeBotAPI()), rate_limit=False)
    await application.initialize()
    await application.post_init(application)
    ready = time.perf_counter() - started, time.process_time() - cpu_started
    await application.post_stop(application)
    await application.shutdown()
    await application.post_shutdown(application)
    return ready


def write_caseload(size: int, fmt: str, file: Path) -> None:
    # In a child process: this one stays small, so the import children it
    # forks start small and their peak memory is their own.
    with file.open("w", encoding="utf-8", newline="") as stream:
        command = [sys.executable, str(ROOT / "bench" / "caseload.py"), "--count", str(size)]
        subprocess.run([*command, "--format", fmt], stdout=stream, check=True)


def run(size: int, work: Path) -> None:
    print(f"\n{size:,} cases")
    for fmt in ("yaml", "json", "csv"):
        file = work / f"cases-{size}.{fmt}"
        write_caseload(size, fmt, file)
        db_path = work / f"import-{size}-{fmt}.sqlite3"
        seconds, cpu, peak = run_import(db_path, file)
        again, again_cpu, _ = run_import(db_path, file)
        size_mb = file.stat().st_size / 1e6
        print(
            f"  import {fmt:<4} ({size_mb:5.1f} MB): {seconds:5.2f} s (CPU {cpu:5.2f} s),"
            f" peak {peak:4.0f} MiB; again, unchanged: {again:5.2f} s (CPU {again_cpu:5.2f} s)"
        )
    db_path = work / f"import-{size}-yaml.sqlite3"
    timings = sorted(asyncio.run(start_up(db_path)) for _ in range(3))
    wall, cpu = timings[1]
    print(f"  start-up with {size:,} cases: {wall:.2f} s (CPU {cpu:.2f} s; median of 3)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1200,10000")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        for size in (int(value) for value in arguments.sizes.split(",")):
            run(size, Path(work))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory of this process: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
