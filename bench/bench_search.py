"""Name search latency and index cost at 1,000, 10,000 and 100,000 cases.

Run by hand from the repository root: ``.venv/bin/python bench/bench_search.py``
(``--sizes 1000,10000`` to pick sizes, ``--queries N`` per kind). Each size
runs in a process of its own, so its peak memory is its own.

The people come from ``bench/caseload.py``: Belarusian and Russian name
frequencies, so namesakes are as common as in a real caseload; each has a
Belarusian, Russian and English spelling and two full names with a
patronymic, plus the five real defenders. Targets: p99 under 1 ms per lookup
at 10,000 cases and under 2 ms at 100,000; index build at 100,000 under
1.5 s and the process's peak memory under 150 MiB.
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.caseload import FEMALE, MALE, SYLLABLES, passport, people
from cases.search import NameIndex

REAL = [
    ("ales-bialiatski", ["Ales Bialiatski", "Алесь Бяляцкі", "Алесь Беляцкий", "Aleś Bialacki",
                         "Ales' Bjaljacki", "Alex Belyatsky"]),
    ("valiantsin-stefanovic", ["Valiantsin Stefanovic", "Валянцін Стэфановіч",
                               "Валентин Стефанович", "Walancin Stefanowicz", "Valik"]),
    ("uladzimir-labkovich", ["Uladzimir Labkovich", "Уладзімір Лабковіч", "Владимир Лабкович",
                             "Uładzimir Łabkowicz"]),
    ("marfa-rabkova", ["Marfa Rabkova", "Марфа Рабкова", "Maryia Rabkova"]),
    ("nasta-loika", ["Nasta Loika", "Наста Лойка", "Настя Лойко", "Анастасія Лойка"]),
]  # fmt: skip
REAL_QUERIES = ["Ales Bialiatski", "Бяляцкі", "Valjancin Stefanovič", "Łabkowicz",
                "Marfa Rapkova", "Настя Лойко"]  # fmt: skip
# Surnames for "unknown" queries are built from syllables no generated name
# uses, so that they are new names rather than someone's name by chance.
UNKNOWN_SYLLABLES = ["гу", "дзю", "фі", "шы", "цё", "жо", "хі", "пу", "ві", "го", "ды", "тэ"]
UNKNOWN_ENDINGS = ["енка", "овіч", "скі", "ук", "аў"]
assert not set(UNKNOWN_SYLLABLES) & set(SYLLABLES)


def entries(count: int) -> list[tuple[str, list[str]]]:
    """``count`` people for the index: the five real ones and generated ones."""
    generated = people(count - len(REAL))
    return [*REAL, *((person.slug, person.all_names()) for person in generated)]


def unknown_surnames(count: int) -> list[str]:
    rng = random.Random(99)
    return [
        passport(rng.choice(UNKNOWN_SYLLABLES) + rng.choice(UNKNOWN_SYLLABLES) + ending)
        for ending in rng.choices(UNKNOWN_ENDINGS, k=count)
    ]


def typo(word: str, rng: random.Random) -> str:
    position = rng.randrange(1, len(word))
    letter = rng.choice("aeioubdklmnrstv")
    edit = rng.choice(("substitute", "delete", "insert", "swap"))
    if edit == "substitute":
        return word[:position] + letter + word[position + 1 :]
    if edit == "delete":
        return word[:position] + word[position + 1 :]
    if edit == "insert":
        return word[:position] + letter + word[position:]
    if position + 1 < len(word):
        return word[:position] + word[position + 1] + word[position] + word[position + 2 :]
    return word[:-1]


def query_kinds(
    cases: list[tuple[str, list[str]]], rng: random.Random
) -> dict[str, Callable[[], str]]:
    generated = cases[len(REAL) :]
    unknown = unknown_surnames(1000)

    def exact_latin() -> str:
        return rng.choice(generated)[1][0]

    def exact_cyrillic() -> str:
        return rng.choice(generated)[1][1]

    def surname_only() -> str:
        return rng.choice(generated)[1][0].split()[1]

    def typo_full_name() -> str:
        first, last = rng.choice(generated)[1][0].split()
        return f"{first} {typo(last, rng)}"

    def unknown_name() -> str:
        return f"{rng.choice(MALE + FEMALE)[0]} {rng.choice(unknown)}"

    def real() -> str:
        return rng.choice(REAL_QUERIES)

    return {
        "exact latin": exact_latin,
        "exact cyrillic": exact_cyrillic,
        "surname only": surname_only,
        "typo": typo_full_name,
        "unknown": unknown_name,
        "real five": real,
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def latencies(wall: list[float], cpu: list[float]) -> str:
    return (
        f"{statistics.median(wall):>9.3f}{percentile(wall, 0.99):>7.2f}{max(wall):>7.2f}"
        f"{statistics.median(cpu):>9.3f}{percentile(cpu, 0.99):>7.2f}"
    )


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(size: int, queries_per_kind: int) -> None:
    cases = entries(size)
    gc.collect()
    before_mib = rss_mib()
    started, cpu_started = time.perf_counter(), time.process_time()
    index = NameIndex.build(cases)
    build_seconds = time.perf_counter() - started
    build_cpu = time.process_time() - cpu_started
    rss_growth = rss_mib() - before_mib
    # Measured apart from the timing: tracing slows the build several times over.
    del index
    gc.collect()
    tracemalloc.start()
    index = NameIndex.build(cases)
    index_bytes, build_peak_bytes = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    rng = random.Random(size)
    kinds = query_kinds(cases, rng)
    for make in kinds.values():  # warm caches before timing
        index.lookup(make())

    # Wall time is what a user waits; CPU time leaves out the moments another
    # process held the core, which on a shared machine dominate the tail.
    all_wall: list[float] = []
    all_cpu: list[float] = []
    print(
        f"\n{size:,} cases: build {build_seconds:.2f} s (CPU {build_cpu:.2f} s); "
        f"index {index_bytes / 2**20:.0f} MiB ({build_peak_bytes / 2**20:.0f} MiB while building; "
        f"the process grew {rss_growth:.0f} MiB, to {before_mib + rss_growth:.0f} MiB with "
        f"the {size:,} generated people); milliseconds per lookup:"
    )
    print(
        f"  {'query kind':<16}{'wall p50':>9}{'p99':>7}{'max':>7}"
        f"{'cpu p50':>9}{'p99':>7}   outcomes"
    )
    for kind, make in kinds.items():
        wall: list[float] = []
        cpu: list[float] = []
        outcomes: Counter[str] = Counter()
        for _ in range(queries_per_kind):
            query = make()
            wall_started, cpu_started = time.perf_counter_ns(), time.thread_time_ns()
            result = index.lookup(query)
            cpu.append((time.thread_time_ns() - cpu_started) / 1e6)
            wall.append((time.perf_counter_ns() - wall_started) / 1e6)
            outcomes[result.kind] += 1
        all_wall += wall
        all_cpu += cpu
        summary = ", ".join(f"{name} {count}" for name, count in outcomes.most_common())
        print(f"  {kind:<16}{latencies(wall, cpu)}   {summary}")
    print(f"  {'all':<16}{latencies(all_wall, all_cpu)}")

    statement = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "statement-sample.md"
    if statement.exists():
        text = statement.read_text(encoding="utf-8")
        started = time.perf_counter()
        mentions = index.find_mentions(text)
        took = (time.perf_counter() - started) * 1000
        print(f"  find_mentions(statement, {len(text):,} chars): {took:.1f} ms -> {mentions}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--queries", type=int, default=2000, help="lookups per query kind")
    arguments = parser.parse_args()
    sizes = [int(value) for value in arguments.sizes.split(",")]
    if len(sizes) > 1:
        for size in sizes:
            command = [sys.executable, __file__, "--sizes", str(size)]
            subprocess.run([*command, "--queries", str(arguments.queries)], check=True)
        return
    run(sizes[0], arguments.queries)


if __name__ == "__main__":
    main()
