"""Exports shaped like Viasna's list of political prisoners, of any size: for benchmarks and tests.

EVERY PERSON HERE IS FICTIONAL. Names come from ``bench/caseload.py``'s
generator (Zipf-like surnames, so namesakes are everywhere), addresses of
the generated places are made up, judges and prosecutors are invented
names; none of it describes a real person or a real row of Viasna's list.
Page addresses are on prisoners.example.org, not Viasna's site.

What makes the exports realistic, for sync's purposes:

- one row per prosecution: about one person in seven has two or three rows
  (re-arrested after release), each with its own ``id``; the ru, be and en
  exports list the same ids and page addresses (``/ru/``, ``/be/``, ``/en/``)
  in a different order (each sorted by its names);
- statuses in the list's proportions on 30 August 2026: 889 active, 3,953
  former, 3,854 np of 8,696 (only a person's latest row can be active);
- dates as the site writes them: ``DD.MM.YYYY``, ``YYYY-MM-DD``, in words in
  the page's language, partial (``04.2021``, ``2021-04``, "April 2021",
  ``1984``) or unknown;
- about forty places of detention, the name in the page's language and the
  postal address on a second line; "released" in the page's language for
  some of those freed;
- the machine header set (``id,url,name,...``) or the labelled one in the
  page's language; comma or semicolon; with or without a byte-order mark.

``python bench/viasna_export.py --rows 9000 --language ru > ru.csv`` writes
one export; ``--folder DIR`` writes all three languages (``viasna-en.csv``,
``viasna-be.csv``, ``viasna-ru.csv``) with matching ids. Seeded: the same
arguments give the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.caseload import (
    ARTICLES,
    MASS_ARREST_DAYS,
    PLACES,
    REGIONS,
    TERM_WEIGHTS,
    TERMS,
    Person,
    passport,
    people,
)

LANGUAGES = ("en", "be", "ru")
AS_OF = date(2026, 8, 30)
FIRST_ARREST = date(2011, 1, 1)
SITE = "https://prisoners.example.org"
MACHINE_HEADER = (
    "id", "url", "name", "status", "gender", "photo", "description", "birthday", "arrested",
    "articles", "prison", "declaration", "decision", "penalty", "judge", "councel",
    "penalty_start_date", "release_date", "verdict_date", "appeal_date", "fake_terrorist_list",
    "died", "clusters",
)  # fmt: skip
LABELLED_HEADER = {
    "en": "Name and surname,Status,Date of birth,Gender,Date of detention,Charges indicted,"
    "Date of verdict,Sentence,Penalty,Judge,Prosecutor,Prison",
    "ru": "Имя и фамилия,Статус,Дата рождения,Пол,Дата задержания,Предъявлены обвинения,"
    "Дата приговора,Решение суда,Вид наказания,Судья,Прокурор,Место заключения",
    "be": "Імя і прозвішча,Статус,Дата нараджэння,Пол,Дата затрымання,"
    "Прад'яўлены абвінавачванні,Дата прысуду,Рашэнне суда,Від пакарання,Суддзя,Пракурор,"
    "Месца зняволення",
}
# The labelled columns, by the machine names of the same fields.
LABELLED_FIELDS = (
    "name", "status", "birthday", "gender", "arrested", "articles", "verdict_date", "decision",
    "penalty", "judge", "prosecutor", "prison",
)  # fmt: skip
# 889 active, 3,953 former, 3,854 np of 8,696 rows on 30 August 2026.
STATUS_WEIGHTS = {"active": 889, "former": 3953, "np": 3854}

MONTHS_NOMINATIVE = {
    "en": "January February March April May June July August September October November December",
    "ru": "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь",
    "be": "студзень люты сакавік красавік травень чэрвень ліпень жнівень верасень кастрычнік "
    "лістапад снежань",
}
MONTHS_GENITIVE = {
    "en": MONTHS_NOMINATIVE["en"],
    "ru": "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "be": "студзеня лютага сакавіка красавіка траўня чэрвеня ліпеня жніўня верасня кастрычніка "
    "лістапада снежня",
}
UNKNOWN_DATE = {"en": "unknown", "ru": "неизвестно", "be": "невядома"}
STATUS_WORDS = {  # (masculine, feminine) per language; np is an empty cell
    "active": {
        "en": ("Political prisoner",) * 2,
        "ru": ("Политзаключённый", "Политзаключённая"),
        "be": ("Палітвязень", "Палітвязынка"),
    },
    "former": {
        "en": ("Former political prisoner",) * 2,
        "ru": ("Бывший политзаключённый", "Бывшая политзаключённая"),
        "be": ("Былы палітвязень", "Былая палітвязынка"),
    },
}
EX_POST_FACTO = {
    "en": ("Recognized ex post facto",) * 2,
    "ru": ("Признан постфактум", "Признана постфактум"),
    "be": ("Прызнаны постфактум", "Прызнаная постфактум"),
}
GENDER_WORDS = {
    "en": ("Male", "Female"),
    "ru": ("Мужской", "Женский"),
    "be": ("Мужчына", "Жанчына"),
}
RELEASED_WORDS = {
    "en": ("released",) * 2,
    "ru": ("освобожден", "освобождена"),
    "be": ("вызвалены", "вызвалена"),
}
AT_LIBERTY = {
    "en": "at liberty before serving the sentence",
    "ru": "находится на свободе до начала отбывания наказания",
    "be": "знаходзіцца на волі да пачатку адбывання пакарання",
}
PENALTIES = {
    "colony": {
        "en": "imprisonment in a penal colony",
        "ru": "лишение свободы",
        "be": "пазбаўленне волі",
    },
    "restricted": {
        "en": "restricted freedom",
        "ru": "ограничение свободы",
        "be": "абмежаванне волі",
    },
    "fine": {"en": "fine", "ru": "штраф", "be": "штраф"},
}
# Invented judges and prosecutors (en, be, ru): columns the reader must drop.
OFFICIALS = [
    ("Zmyshliayeu Ian", "Змышляеў Ян", "Змышляев Ян"),
    ("Vydumkina Alla", "Выдумкіна Ала", "Выдумкина Алла"),
    ("Nebylitsa Kim", "Небыліца Кім", "Небылица Ким"),
    ("Skazachny Lev", "Сказачны Леў", "Сказочный Лев"),
]
# Towns for the generated places (en, be, ru, postcode, region): made-up addresses.
TOWNS = [
    ("Orsha", "Орша", "Орша", "211030", "vitsebsk"),
    ("Mazyr", "Мазыр", "Мозырь", "247760", "homel"),
    ("Baranavichy", "Баранавічы", "Барановичи", "225410", "brest"),
    ("Lida", "Ліда", "Лида", "231300", "hrodna"),
    ("Asipovichy", "Асіповічы", "Осиповичи", "213760", "mahiliou"),
    ("Slutsk", "Слуцк", "Слуцк", "223610", "minsk"),
    ("Pinsk", "Пінск", "Пинск", "225710", "brest"),
    ("Vaukavysk", "Ваўкавыск", "Волковыск", "231900", "hrodna"),
    ("Rechytsa", "Рэчыца", "Речица", "247500", "homel"),
]
KINDS = [  # (en, be, ru, short): a numbered facility
    ("Penal colony No. {n}, {town}", "Папраўчая калонія № {n}, {town}",
     "Исправительная колония № {n}, {town}", "ИК-{n}"),
    ("Remand prison No. {n}, {town}", "СІЗА № {n}, {town}", "СИЗО № {n}, {town}", "СИЗО-{n}"),
    ("Colony-settlement No. {n}, {town}", "Калонія-пасяленне № {n}, {town}",
     "Колония-поселение № {n}, {town}", "КП-{n}"),
]  # fmt: skip
STREETS = ["ул. Заводская", "ул. Полевая", "ул. Лесная", "ул. Садовая", "пер. Тихий"]
CITY_OF = {  # a region's main town, as a cluster names it
    "minsk-city": ("Minsk city", "г. Мінск", "г. Минск"),
    "homel": ("Homel", "Гомель", "Гомель"),
    "brest": ("Brest", "Брэст", "Брест"),
    "hrodna": ("Hrodna", "Гродна", "Гродно"),
    "mahiliou": ("Mahiliou", "Магілёў", "Могилёв"),
    "vitsebsk": ("Vitsebsk", "Віцебск", "Витебск"),
    "minsk": ("Minsk region", "Мінская вобласць", "Минская область"),
}


@dataclass(frozen=True)
class Place:
    name: dict[str, str]
    address: str | None  # one line, in Russian, as envelopes are written


def places() -> list[Place]:
    """caseload's places and enough generated ones to make about forty."""
    found = [Place(_by_language(names), address) for _, *names, address, _ in PLACES]
    for number in range(40 - len(found)):
        en_town, be_town, ru_town, postcode, _ = TOWNS[number % len(TOWNS)]
        *names, short = KINDS[number % len(KINDS)]
        n = 31 + number
        towns = _by_language((en_town, be_town, ru_town))
        name = {
            lang: names[index].format(n=n, town=towns[lang]) for index, lang in enumerate(LANGUAGES)
        }
        street = STREETS[number % len(STREETS)]
        address = f"{short.format(n=n)}, {street}, {number % 40 + 1}, {postcode}, г. {ru_town}"
        found.append(Place(name, address))
    return found


def _by_language(texts) -> dict[str, str]:
    return dict(zip(LANGUAGES, texts, strict=True))


@dataclass(frozen=True)
class Day:
    """A date as one row writes it: how much is known, and in which shape."""

    on: date
    precision: str  # day | month | year | unknown
    shape: str  # dotted | iso | words


@dataclass(frozen=True)
class Row:
    """One prosecution, its facts in every language (rendered by ``cells``)."""

    record_id: int
    person: Person
    patronymic_be: str
    status: str
    ex_post_facto: bool
    birthday: Day
    arrested: Day
    verdict: Day | None
    released: Day | None
    penalty: str | None  # colony | restricted | fine
    term: tuple[int, int] | None
    articles: tuple[str, ...]
    prison: tuple[str, int]  # ("place", index) | ("released", 0) | ("at_liberty", 0) | ("", 0)
    died: Day | str | None  # a date, "flag", or None
    terrorist: bool
    clusters: tuple[str, ...]  # region keys
    official: int
    articles_style: int


def records(rows: int, seed: int = 1) -> list[Row]:
    """``rows`` rows of fictional people, about one person in seven with several."""
    rng = random.Random(seed + 15)
    found: list[Row] = []
    ids = iter(rng.sample(range(1000, 1000 + rows * 4), rows))
    for person in people(rows, seed):
        if len(found) >= rows:
            break
        count = min(rng.choices((1, 2, 3), (85, 12, 3))[0], rows - len(found))
        found += _prosecutions(person, count, ids, rng)
    return found


def _prosecutions(person: Person, count: int, ids, rng: random.Random) -> list[Row]:
    statuses = rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()), k=count)
    if "active" in statuses[:-1]:  # only the latest prosecution can be a current one
        index = statuses.index("active")
        statuses[index], statuses[-1] = statuses[-1], statuses[index]
    statuses[:-1] = ["former" if status == "active" else status for status in statuses[:-1]]
    birth = date(rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28))
    birthday = _day(rng, birth, (80, 6, 9, 5))
    patronymic_be = person.aliases[0].split()[-1]
    region = rng.choices([key for key, *_ in REGIONS], [row[-1] for row in REGIONS])[0]
    start = max(FIRST_ARREST, date(birth.year + 18, birth.month, birth.day))
    span = (AS_OF - start).days // count
    rows = []
    for number, status in enumerate(statuses):
        arrested_on = _arrest_day(rng, start + timedelta(days=span * number), span)
        record_id = next(ids)
        rows.append(
            _row(person, patronymic_be, status, record_id, birthday, arrested_on, region, rng)
        )
    return rows


def _arrest_day(rng: random.Random, earliest: date, span: int) -> date:
    mass = [day for day, _ in MASS_ARREST_DAYS if earliest <= day < earliest + timedelta(span)]
    if mass and rng.random() < 0.5:
        return rng.choice(mass) + timedelta(days=int(abs(rng.gauss(0, 3))))
    return earliest + timedelta(days=rng.randrange(max(span - 30, 1)))


def _day(rng: random.Random, on: date, weights=(85, 8, 4, 3)) -> Day:
    precision = rng.choices(("day", "month", "year", "unknown"), weights)[0]
    shape = rng.choices(("dotted", "iso", "words"), (70, 15, 15))[0]
    return Day(on, precision, shape)


def _row(person, patronymic_be, status, record_id, birthday, arrested_on, region, rng) -> Row:
    verdict_on = arrested_on + timedelta(days=rng.randint(60, 300))
    sentenced = verdict_on < AS_OF and rng.random() < (0.95 if status != "np" else 0.6)
    term = (rng.choices(TERMS, TERM_WEIGHTS)[0], rng.choice((0, 0, 0, 6))) if sentenced else None
    penalty = None
    if sentenced:
        penalty = "colony" if status != "np" else rng.choice(("colony", "restricted", "fine"))
    released = None
    if status == "former":
        years, months = term or (1, 0)
        ends = arrested_on + timedelta(days=365 * years + 30 * months)
        released_on = min(ends, AS_OF - timedelta(days=rng.randint(1, 400)))
        released = _day(rng, max(released_on, arrested_on + timedelta(days=3)), (75, 15, 5, 5))
    prison = ("", 0)
    if status == "active":
        roll = rng.random()
        if roll < 0.01:
            prison = ("at_liberty", 0)
        elif roll > 0.04:
            prison = ("place", _place_index(rng))
    elif status == "former" and rng.random() < 0.4:
        prison = ("released", 0)
    died: Day | str | None = None
    if status == "former" and rng.random() < 0.004:
        died = (
            "flag"
            if rng.random() < 0.3
            else Day(released.on if released else AS_OF, "day", "dotted")
        )
    clusters = (region,) if rng.random() < 0.7 else ()
    if clusters and rng.random() < 0.1:
        clusters += (rng.choice([key for key, *_ in REGIONS]),)
    return Row(
        record_id=record_id,
        person=person,
        patronymic_be=patronymic_be,
        status=status,
        ex_post_facto=status == "former" and rng.random() < 0.2,
        birthday=birthday,
        arrested=_day(rng, arrested_on, (88, 8, 2, 2)),
        verdict=_day(rng, verdict_on, (90, 6, 2, 2)) if sentenced else None,
        released=released,
        penalty=penalty,
        term=term,
        articles=tuple(sorted(rng.sample(ARTICLES, rng.randint(1, 3)))),
        prison=prison,
        died=died,
        terrorist=status != "np" and rng.random() < 0.1,
        clusters=clusters,
        official=rng.randrange(len(OFFICIALS)),
        articles_style=rng.randrange(3),
    )


_PLACES = places()
# A few colonies hold most people, as in life.
_PLACE_WEIGHTS = [1 / (rank + 1) ** 0.7 for rank in range(len(_PLACES))]


def _place_index(rng: random.Random) -> int:
    return rng.choices(range(len(_PLACES)), _PLACE_WEIGHTS)[0]


# --- one row in one language --------------------------------------------------------


def full_name(row: Row, language: str) -> str:
    """Surname, first name and patronymic, as Viasna's list writes them."""
    if language == "be":
        return row.person.aliases[0]
    if language == "ru":
        return row.person.aliases[1]
    first, last = row.person.name["en"].split(" ", 1)
    return f"{last} {first} {passport(row.patronymic_be)}"


def date_text(day: Day | None, language: str) -> str:
    if day is None:
        return ""
    on = day.on
    if day.precision == "unknown":
        return UNKNOWN_DATE[language] if day.shape == "words" else ""
    if day.precision == "year":
        return str(on.year)
    if day.precision == "month":
        if day.shape == "words":
            return f"{MONTHS_NOMINATIVE[language].split()[on.month - 1]} {on.year}"
        return f"{on.year}-{on.month:02d}" if day.shape == "iso" else f"{on.month:02d}.{on.year}"
    if day.shape == "words":
        return f"{on.day} {MONTHS_GENITIVE[language].split()[on.month - 1]} {on.year}"
    return on.isoformat() if day.shape == "iso" else on.strftime("%d.%m.%Y")


def _article_text(code: str, language: str, style: int) -> str:
    article, _, part = code.partition(".")
    if language == "ru":
        return f"ч. {part} ст. {article} УК" if part else f"ст. {article} УК"
    if language == "be":
        return f"ч. {part} арт. {article} КК" if part else f"арт. {article} КК"
    if part and style == 1:
        return f"Art. {article} part {part}"
    if part:
        return f"Part {part} of Art. {article} of the Criminal Code"
    return f"Art. {article} of the Criminal Code"


def _plural(number: int, language: str, words: tuple[str, ...]) -> str:
    """words: (one, few, many) for ru and be, (one, many) for en."""
    if language == "en":
        return words[0] if number == 1 else words[1]
    if number % 10 == 1 and number % 100 != 11:
        return words[0]
    if 2 <= number % 10 <= 4 and not 12 <= number % 100 <= 14:
        return words[1]
    return words[2]


def decision_text(row: Row, language: str) -> str:
    if row.term is None:
        return ""
    years, months = row.term
    if row.penalty == "fine":
        return PENALTIES["fine"][language]
    if language == "en":
        written = f"{years} {_plural(years, 'en', ('year', 'years'))}"
        if months == 6:
            written = f"{years} 1/2 years"
        return written + (" of restricted freedom" if row.penalty == "restricted" else "")
    unit = {"ru": ("год", "года", "лет"), "be": ("год", "гады", "гадоў")}[language]
    month_unit = {"ru": "месяцев", "be": "месяцаў"}[language]
    written = f"{years} {_plural(years, language, unit)}"
    if months:
        written += f" {months} {month_unit}"
    return written + (" колонии" if language == "ru" and row.penalty == "colony" else "")


def prison_text(row: Row, language: str) -> str:
    kind, index = row.prison
    female = row.person.female
    if kind == "released":
        return RELEASED_WORDS[language][female]
    if kind == "at_liberty":
        return AT_LIBERTY[language]
    if kind != "place":
        return ""
    place = _PLACES[index]
    if place.address is None:
        return place.name[language]
    separator = ";" if row.record_id % 23 == 0 else "\n"
    return f"{place.name[language]}{separator}{place.address}"


def status_text(row: Row, language: str, machine: bool) -> str:
    if machine:
        return row.status
    if row.status == "np":
        return ""
    words = STATUS_WORDS[row.status][language][row.person.female]
    if row.ex_post_facto:
        words += "\n" + EX_POST_FACTO[language][row.person.female]
    return words


def cells(row: Row, language: str, machine: bool) -> dict[str, str]:
    """The row's cells in ``language``, by machine field name."""
    female = row.person.female
    joiner = ("\n", "; ", ", ")[row.articles_style]
    official = OFFICIALS[row.official][LANGUAGES.index(language)]
    died = ""
    if row.died == "flag":
        died = "1"
    elif isinstance(row.died, Day):
        died = date_text(row.died, language) or "1"
    cities = [CITY_OF[key][LANGUAGES.index(language)] for key in row.clusters]
    return {
        "id": str(row.record_id),
        "url": f"{SITE}/{language}/person/{row.person.slug}",
        "name": full_name(row, language),
        "status": status_text(row, language, machine),
        "gender": ("female" if female else "male") if machine else GENDER_WORDS[language][female],
        "photo": f"{SITE}/photo/{row.record_id}.jpg",
        "description": f'A fictional sample person, "{row.person.slug}".\nNot a real case.',
        "birthday": date_text(row.birthday, language),
        "arrested": date_text(row.arrested, language),
        "articles": joiner.join(
            _article_text(code, language, row.articles_style) for code in row.articles
        ),
        "prison": prison_text(row, language),
        "declaration": f"{SITE}/{language}/news/{row.record_id}" if row.status != "np" else "",
        "decision": decision_text(row, language),
        "penalty": PENALTIES[row.penalty][language] if row.penalty else "",
        "judge": official,
        "councel": "",
        "prosecutor": official,
        "penalty_start_date": "",
        "release_date": date_text(row.released, language),
        "verdict_date": date_text(row.verdict, language),
        "appeal_date": "",
        "fake_terrorist_list": "1" if row.terrorist else "",
        "died": died,
        "clusters": ", ".join(cities),
    }


def export_text(
    rows: list[Row],
    language: str,
    headers: str = "machine",
    delimiter: str = ",",
    bom: bool = False,
) -> str:
    """One export of ``rows`` in ``language``, sorted by name as the list is."""
    machine = headers == "machine"
    fields = MACHINE_HEADER if machine else LABELLED_FIELDS
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(MACHINE_HEADER if machine else LABELLED_HEADER[language].split(","))
    written = sorted(((full_name(row, language), row.record_id), row) for row in rows)
    for _, row in written:
        values = cells(row, language, machine)
        writer.writerow([values[field] for field in fields])
    return ("\ufeff" if bom else "") + out.getvalue()


def export_bytes(rows: list[Row], language: str, **options) -> bytes:
    return export_text(rows, language, **options).encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=9000)
    parser.add_argument("--language", choices=LANGUAGES, default="ru")
    parser.add_argument("--headers", choices=("machine", "labelled"), default="machine")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--semicolon", action="store_true", help="';' between cells")
    parser.add_argument("--bom", action="store_true", help="start with a byte-order mark")
    parser.add_argument("--folder", type=Path, help="write viasna-{en,be,ru}.csv here")
    arguments = parser.parse_args()
    rows = records(arguments.rows, arguments.seed)
    options = {
        "headers": arguments.headers,
        "delimiter": ";" if arguments.semicolon else ",",
        "bom": arguments.bom,
    }
    if arguments.folder is None:
        sys.stdout.buffer.write(export_bytes(rows, arguments.language, **options))
        return
    arguments.folder.mkdir(parents=True, exist_ok=True)
    for language in LANGUAGES:
        (arguments.folder / f"viasna-{language}.csv").write_bytes(
            export_bytes(rows, language, **options)
        )


if __name__ == "__main__":
    main()
