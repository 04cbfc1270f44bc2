"""Name search latency and index cost at 1,000, 10,000 and 100,000 cases.

Run by hand from the repository root: ``.venv/bin/python bench/bench_search.py``
(``--sizes 1000,10000`` to pick sizes, ``--queries N`` per kind). Each size
runs in a process of its own, so its peak memory is its own.

The people come from ``bench/caseload.py``: Belarusian and Russian name
frequencies, so namesakes are as common as in a real caseload, and families
(a man's wife, sister or daughter under the feminine form of his surname);
each has a Belarusian, Russian and English spelling and two full names with
a patronymic, and a gender, plus the five real defenders. Targets: p99
under 1 ms per lookup at 10,000 cases and under 2 ms at 100,000; index
build at 100,000 under 1.5 s and the process's peak memory under 150 MiB.

Never the wrong person: of the "unknown" names (surnames no generated
person has) none may open a card ("match" 0), nor may a "relative" (the
other gender's form of a generated person's name, with another first
name: "wrong cards" 0, a card of someone called exactly that being right);
a "typo" (one slip in a surname) must still find its person: a card, or
first in a choice or among the suggestions ("their person").
"""

from __future__ import annotations

import argparse
import functools
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

from bench.caseload import FEMALE, MALE, SYLLABLES, Person, passport, people
from cases.search import NameIndex, normalise

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
# uses, so that they are new names rather than someone's name by chance. Not
# as letters but as the search reads them: "шы" and "ві" were "сі" and "вы" to
# it (і and ы are one vowel in Latin letters), so a name made with them could
# be a generated person's, or one slip from it.
UNKNOWN_SYLLABLES = ["гу", "дзю", "фі", "шэ", "цё", "жо", "хі", "пу", "вэ", "го", "ды", "тэ"]
UNKNOWN_ENDINGS = ["енка", "овіч", "скі", "ук", "аў"]
assert not {"".join(normalise(s)) for s in UNKNOWN_SYLLABLES} & {
    "".join(normalise(s)) for s in SYLLABLES
}


REAL_GENDERS = {
    "ales-bialiatski": "male", "valiantsin-stefanovic": "male", "uladzimir-labkovich": "male",
    "marfa-rabkova": "female", "nasta-loika": "female",
}  # fmt: skip


@functools.cache
def generated_people(count: int) -> list[Person]:
    return people(count - len(REAL))


def entries(count: int) -> list[tuple[str, list[str]]]:
    """``count`` people for the index: the five real ones and generated ones."""
    return [*REAL, *((person.slug, person.all_names()) for person in generated_people(count))]


def genders(count: int) -> dict[str, str]:
    """Each person's gender, as a case file gives it (and the catalogue passes it)."""
    generated = generated_people(count)
    return {**REAL_GENDERS, **{p.slug: "female" if p.female else "male" for p in generated}}


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


Query = tuple[str, str | None]  # what is typed, and whose name it is (typo, relative)


def query_kinds(
    cases: list[tuple[str, list[str]]], rng: random.Random
) -> dict[str, Callable[[], Query]]:
    generated = cases[len(REAL) :]
    unknown = unknown_surnames(1000)
    # People whose surname changes with gender (Kavaliou, Kavaliova), for relatives.
    gendered = [p for p in generated_people(len(cases)) if p.other_surname[0] not in p.name["en"]]

    def exact_latin() -> Query:
        return rng.choice(generated)[1][0], None

    def exact_cyrillic() -> Query:
        return rng.choice(generated)[1][1], None

    def surname_only() -> Query:
        return rng.choice(generated)[1][0].split()[1], None

    def typo_full_name() -> Query:
        slug, names = rng.choice(generated)
        first, last = names[0].split()
        return f"{first} {typo(last, rng)}", slug

    def unknown_name() -> Query:
        return f"{rng.choice(MALE + FEMALE)[0]} {rng.choice(unknown)}", None

    families = random.Random(len(cases) + 1)  # the other kinds draw as they always did

    def relative() -> Query:
        """His wife's, sister's or daughter's name, or her husband's or brother's."""
        person = families.choice(gendered)
        lang = families.randrange(3)
        first = families.choice(MALE if person.female else FEMALE)[lang]
        return f"{first} {person.other_surname[lang]}", person.slug

    def real() -> Query:
        return rng.choice(REAL_QUERIES), None

    return {
        "exact latin": exact_latin,
        "exact cyrillic": exact_cyrillic,
        "surname only": surname_only,
        "typo": typo_full_name,
        "unknown": unknown_name,
        "relative": relative,
        "real five": real,
    }


class Judge:
    """Whether an answer found the person a query was for, or opened someone else's card."""

    def __init__(self, cases: list[tuple[str, list[str]]]) -> None:
        self.english = {slug: names[0] for slug, names in cases}
        self.words = {slug: {w for name in names for w in normalise(name)} for slug, names in cases}

    def found(self, result, slug: str) -> str:
        """card, first (in a choice or the suggestions), listed, or missed."""
        listed = result.all_slugs or result.slugs or result.suggestions
        if result.kind == "match" and self._same(listed[0], slug):
            return "card"
        if listed and self._same(listed[0], slug):
            return "first"
        return "listed" if slug in listed else "missed"

    def wrong_card(self, result, query: str) -> bool:
        """A card of someone whose names do not hold every word typed, as typed."""
        return result.kind == "match" and not set(normalise(query)) <= self.words[result.slugs[0]]

    def _same(self, listed: str, slug: str) -> bool:
        # A namesake of the very same name is as right: a choice tells them apart.
        return listed == slug or self.english[listed] == self.english[slug]


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
    known = genders(size)
    gc.collect()
    before_mib = rss_mib()
    started, cpu_started = time.perf_counter(), time.process_time()
    index = NameIndex.build(cases, known)
    build_seconds = time.perf_counter() - started
    build_cpu = time.process_time() - cpu_started
    rss_growth = rss_mib() - before_mib
    # Measured apart from the timing: tracing slows the build several times over.
    del index
    gc.collect()
    tracemalloc.start()
    index = NameIndex.build(cases, known)
    index_bytes, build_peak_bytes = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    rng = random.Random(size)
    kinds = query_kinds(cases, rng)
    judge = Judge(cases)
    for make in kinds.values():  # warm caches before timing
        index.lookup(make()[0])

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
        found: Counter[str] = Counter()
        wrong = 0
        for _ in range(queries_per_kind):
            query, whose = make()
            wall_started, cpu_started = time.perf_counter_ns(), time.thread_time_ns()
            result = index.lookup(query)
            cpu.append((time.thread_time_ns() - cpu_started) / 1e6)
            wall.append((time.perf_counter_ns() - wall_started) / 1e6)
            outcomes[result.kind] += 1
            if kind == "typo":
                found[judge.found(result, whose)] += 1
            wrong += judge.wrong_card(result, query)
        all_wall += wall
        all_cpu += cpu
        summary = ", ".join(f"{name} {count}" for name, count in outcomes.most_common())
        if found:
            summary += "; their person: " + ", ".join(
                f"{how} {found[how]}" for how in ("card", "first", "listed", "missed")
            )
        if kind in ("unknown", "relative"):
            summary += f"; wrong cards {wrong}"
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
