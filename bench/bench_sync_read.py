"""Reading Viasna's three exports and joining them: 3 x 9,000 rows, timed, with peak memory.

Run by hand from the repository root: ``.venv/bin/python bench/bench_sync_read.py``
(``--rows 9000 --headers machine --runs 3``). The exports come from
``bench/viasna_export.py`` (fictional people) and are written to a temporary
folder first; each run is a process of its own, as ``bot.py sync`` will be,
that reads the three files, then ``read_export`` each and ``join_languages``
them, and reports its peak memory (``VmHWM``) beside what the interpreter
and the imports alone take.

Target (issue 15): well under 2 s for reading and joining 27,000 rows.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def peak_mib() -> float:
    """This process's peak resident memory: VmHWM, which starts afresh at exec.

    (``ru_maxrss`` does not: on Linux it keeps the parent's peak across
    fork and exec, and the parent holds the generated exports.)
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(folder: Path) -> None:
    """One run: read, parse and join the exports in ``folder``; print JSON."""
    from sync.export import read_export
    from sync.people import join_languages

    before = peak_mib()
    started = time.perf_counter()
    files = {path.name: path.read_bytes() for path in sorted(folder.glob("viasna-*.csv"))}
    read_files = time.perf_counter()
    exports = [read_export(data, name) for name, data in files.items()]
    parsed = time.perf_counter()
    people = join_languages(exports)
    joined = time.perf_counter()
    print(
        json.dumps(
            {
                "bytes": sum(len(data) for data in files.values()),
                "rows": sum(len(export.rows) for export in exports),
                "problems": sum(len(export.problems) for export in exports),
                "people": len(people),
                "files_s": read_files - started,
                "read_s": parsed - read_files,
                "join_s": joined - parsed,
                "baseline_mib": before,
                "peak_mib": peak_mib(),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=9000)
    parser.add_argument("--headers", choices=("machine", "labelled"), default="machine")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        child(arguments.child)
        return

    from bench.viasna_export import LANGUAGES, export_bytes, records

    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        started = time.perf_counter()
        rows = records(arguments.rows)
        for language in LANGUAGES:
            data = export_bytes(rows, language, headers=arguments.headers)
            (folder / f"viasna-{language}.csv").write_bytes(data)
        print(
            f"generated 3 x {arguments.rows:,} rows ({arguments.headers} headers)"
            f" in {time.perf_counter() - started:.1f} s"
        )
        for run in range(1, arguments.runs + 1):
            output = subprocess.run(
                [sys.executable, __file__, "--child", str(folder)],
                check=True,
                capture_output=True,
                text=True,
                cwd=ROOT,
            ).stdout
            found = json.loads(output)
            total = found["files_s"] + found["read_s"] + found["join_s"]
            print(
                f"run {run}: {found['rows']:,} rows ({found['bytes'] / 1e6:.1f} MB),"
                f" {found['people']:,} people, {found['problems']} problems:"
                f" read {found['read_s']:.2f} s + join {found['join_s']:.2f} s"
                f" = {total:.2f} s with the files;"
                f" peak {found['peak_mib']:.0f} MiB"
                f" ({found['baseline_mib']:.0f} MiB before reading)"
            )


if __name__ == "__main__":
    main()
