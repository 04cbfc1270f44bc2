"""Name search latency at 1,000, 10,000 and 100,000 cases.

Run by hand from the repository root: ``.venv/bin/python bench/bench_search.py``
(``--sizes 1000,10000`` to pick sizes, ``--queries N`` per kind).

The synthetic people are built the way Belarusian names are: a first name
from a list of common ones, a surname made of two syllables, an optional
coda and a common suffix (-enka, -ski/-skaya, -ovich, -au/-ava, -uk ...). A
pool of about half as many surnames as cases makes namesakes as common as
they are in life. Each case gets its Belarusian Cyrillic name, an English
passport-style transliteration and a rough Russian form, plus the five real
defenders. Target: p99 under 5 ms per lookup at 10,000 cases.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cases.search import NameIndex

# (English, Belarusian, Russian)
MALE = [
    ("Aliaksandr", "Аляксандр", "Александр"), ("Aliaksei", "Аляксей", "Алексей"),
    ("Andrei", "Андрэй", "Андрей"), ("Anton", "Антон", "Антон"), ("Artsiom", "Арцём", "Артём"),
    ("Dzmitry", "Дзмітрый", "Дмитрий"), ("Mikalai", "Мікалай", "Николай"),
    ("Siarhei", "Сяргей", "Сергей"), ("Uladzimir", "Уладзімір", "Владимир"),
    ("Ihar", "Ігар", "Игорь"), ("Yury", "Юрый", "Юрий"), ("Viktar", "Віктар", "Виктор"),
    ("Pavel", "Павел", "Павел"), ("Maksim", "Максім", "Максим"), ("Raman", "Раман", "Роман"),
    ("Yauhen", "Яўген", "Евгений"), ("Vasil", "Васіль", "Василий"),
    ("Mikhail", "Міхаіл", "Михаил"), ("Aleh", "Алег", "Олег"), ("Leanid", "Леанід", "Леонид"),
    ("Ivan", "Іван", "Иван"), ("Yan", "Ян", "Ян"), ("Kanstantsin", "Канстанцін", "Константин"),
    ("Valery", "Валерый", "Валерий"), ("Uladzislau", "Уладзіслаў", "Владислав"),
    ("Stanislau", "Станіслаў", "Станислав"), ("Ales", "Алесь", "Алесь"),
    ("Zmitser", "Зміцер", "Дмитрий"), ("Piatro", "Пятро", "Пётр"), ("Ryhor", "Рыгор", "Григорий"),
    ("Eduard", "Эдуард", "Эдуард"), ("Vadzim", "Вадзім", "Вадим"), ("Yahor", "Ягор", "Егор"),
    ("Kiryl", "Кірыл", "Кирилл"), ("Mikita", "Мікіта", "Никита"), ("Hleb", "Глеб", "Глеб"),
    ("Illia", "Ілья", "Илья"), ("Stsiapan", "Сцяпан", "Степан"),
]  # fmt: skip
FEMALE = [
    ("Maryia", "Марыя", "Мария"), ("Volha", "Вольга", "Ольга"), ("Nasta", "Наста", "Настя"),
    ("Anastasiya", "Анастасія", "Анастасия"), ("Katsiaryna", "Кацярына", "Екатерина"),
    ("Tatsiana", "Тацяна", "Татьяна"), ("Natallia", "Наталля", "Наталья"),
    ("Iryna", "Ірына", "Ирина"), ("Alena", "Алена", "Елена"),
    ("Sviatlana", "Святлана", "Светлана"), ("Hanna", "Ганна", "Анна"),
    ("Yulia", "Юлія", "Юлия"), ("Darya", "Дар'я", "Дарья"), ("Ksenia", "Ксенія", "Ксения"),
    ("Palina", "Паліна", "Полина"), ("Liudmila", "Людміла", "Людмила"),
    ("Valiantsina", "Валянціна", "Валентина"), ("Halina", "Галіна", "Галина"),
    ("Nina", "Ніна", "Нина"), ("Veranika", "Вераніка", "Вероника"),
    ("Aksana", "Аксана", "Оксана"), ("Viktoryia", "Вікторыя", "Виктория"),
    ("Yana", "Яна", "Яна"), ("Larysa", "Ларыса", "Лариса"), ("Liubou", "Любоў", "Любовь"),
    ("Nadzeya", "Надзея", "Надежда"), ("Alesia", "Алеся", "Олеся"),
    ("Marfa", "Марфа", "Марфа"), ("Kristsina", "Крысціна", "Кристина"),
]  # fmt: skip
SYLLABLES = [
    "ба", "ва", "да", "жа", "за", "ка", "ла", "ма", "на", "па", "ра", "са", "та", "ха", "ца",
    "ча", "ша", "бя", "ля", "мя", "ня", "ко", "ло", "ро", "бу", "лу", "ру", "сі", "лі", "мі",
    "ні", "дзе", "ле", "ме", "ге", "кі", "то", "шу", "чу", "зе", "вы", "ры", "мы",
]  # fmt: skip
# Surnames for "unknown" queries are built from other syllables, so that they
# are new names rather than a synthetic person's name by chance.
UNKNOWN_SYLLABLES = ["гу", "дзю", "фі", "шы", "цё", "жо", "хі", "пу", "ві", "го", "ды", "тэ"]
CODAS = ["", "б", "к", "н", "р", "с", "ш", "л", "т"]
# (masculine, feminine) surname endings
SUFFIXES = [
    ("енка", "енка"), ("ёнак", "ёнак"), ("скі", "ская"), ("цкі", "цкая"), ("овіч", "овіч"),
    ("евіч", "евіч"), ("ук", "ук"), ("юк", "юк"), ("ік", "ік"), ("ец", "ец"), ("аў", "ава"),
    ("еў", "ева"), ("ін", "іна"), ("чык", "чык"), ("ка", "ка"), ("ель", "ель"),
]  # fmt: skip

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

_PASSPORT = {
    "а": "a", "б": "b", "в": "v", "г": "h", "д": "d", "ж": "zh", "з": "z", "і": "i", "й": "i",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ў": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "ы": "y",
    "ь": "", "э": "e", "'": "",
}  # fmt: skip
_IOTATED = {"е": "e", "ё": "o", "ю": "u", "я": "a"}
_VOWELS = set("аеёіоуыэюя")


def passport(cyrillic: str) -> str:
    """English passport-style transliteration of a Belarusian name."""
    out = []
    previous = ""
    for char in cyrillic.lower():
        if char in _IOTATED:
            glide = "y" if not previous or previous in _VOWELS or previous in "ь'" else "i"
            out.append(glide + _IOTATED[char])
        else:
            out.append(_PASSPORT.get(char, char))
        previous = char
    return "".join(out).capitalize()


def russian(belarusian: str) -> str:
    """A rough Russian form: enough to give each case a second Cyrillic spelling."""
    text = belarusian.replace("і", "и").replace("ў", "в").replace("э", "е").replace("'", "ь")
    return re.sub(r"ав$", "ов", re.sub(r"ава$", "ова", text))


def surname_pool(
    size: int, rng: random.Random, syllables: list[str] = SYLLABLES
) -> list[tuple[str, str]]:
    pool: set[tuple[str, str]] = set()
    while len(pool) < size:
        root = rng.choice(syllables) + rng.choice(syllables) + rng.choice(CODAS)
        pool.add(tuple(root + ending for ending in rng.choice(SUFFIXES)))
    return sorted(pool)


def synthetic_cases(count: int, seed: int = 1) -> list[tuple[str, list[str]]]:
    """``count`` people, the five real ones among them."""
    rng = random.Random(seed)
    surnames = surname_pool(max(200, count // 2), rng)
    cases: list[tuple[str, list[str]]] = list(REAL)
    for number in range(count - len(REAL)):
        female = rng.random() < 0.4
        first_en, first_be, first_ru = rng.choice(FEMALE if female else MALE)
        surname_be = rng.choice(surnames)[1 if female else 0].capitalize()
        names = [
            f"{first_en} {passport(surname_be)}",
            f"{first_be} {surname_be}",
            f"{first_ru} {russian(surname_be)}",
        ]
        cases.append((f"person-{number}", names))
    return cases


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
    people = cases[len(REAL) :]
    unknown_surnames = surname_pool(1000, random.Random(99), UNKNOWN_SYLLABLES)

    def exact_latin() -> str:
        return rng.choice(people)[1][0]

    def exact_cyrillic() -> str:
        return rng.choice(people)[1][1]

    def surname_only() -> str:
        return rng.choice(people)[1][0].split()[1]

    def typo_full_name() -> str:
        first, last = rng.choice(people)[1][0].split()
        return f"{first} {typo(last, rng)}"

    def unknown() -> str:
        first = rng.choice(MALE + FEMALE)[0]
        return f"{first} {passport(rng.choice(unknown_surnames)[0].capitalize())}"

    def real() -> str:
        return rng.choice(REAL_QUERIES)

    return {
        "exact latin": exact_latin,
        "exact cyrillic": exact_cyrillic,
        "surname only": surname_only,
        "typo": typo_full_name,
        "unknown": unknown,
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


def run(size: int, queries_per_kind: int) -> None:
    cases = synthetic_cases(size)
    started = time.perf_counter()
    index = NameIndex.build(cases)
    build_seconds = time.perf_counter() - started

    rng = random.Random(size)
    kinds = query_kinds(cases, rng)
    for make in kinds.values():  # warm caches before timing
        index.lookup(make())

    # Wall time is what a user waits; CPU time leaves out the moments another
    # process held the core, which on a shared machine dominate the tail.
    all_wall: list[float] = []
    all_cpu: list[float] = []
    print(f"\n{size:,} cases: build {build_seconds:.2f} s; milliseconds per lookup:")
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
    for size in (int(value) for value in arguments.sizes.split(",")):
        run(size, arguments.queries)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS {peak_mib:.0f} MiB (all sizes in one process)")


if __name__ == "__main__":
    main()
