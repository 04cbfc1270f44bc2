"""A realistic caseload for benchmarks and the large demo: ``generate(1200)``.

The cases look like an organisation's real list of political prisoners, in
the ways that matter to casewatch at scale:

- names follow Belarusian and Russian frequencies: a few dozen common
  surnames carry a large share of people (Zipf-like), so namesakes are
  everywhere, as they are in life; the rest come from a long synthetic tail;
  each person has a patronymic, a Belarusian, Russian and English spelling;
- detention dates cluster around the days of mass arrests (August 2020,
  the March 2021 and July 2021 raids, February 2022), with a steady trickle
  between them;
- people are held in a few dozen real institutions, so a colony is shared by
  hundreds; addresses are written once per institution;
- most statuses were confirmed recently, some long ago (stale);
- families: about one woman in three is the wife, sister or daughter of a
  man earlier in the list, with his surname in its feminine form
  (Кавалёў / Кавалёва, Бабіцкі / Бабіцкая), as political cases often are.

Each case names its place of detention by key and its region; the places
are records of their own (``place_records()``), written once in the file's
``places`` list (or on each CSV row that names one).

``--dense`` gives the issue's worst case instead: 10 first names times 12
common surnames, each name ten times over per 1,200, all detained on one day,
as after a mass arrest.

``python bench/caseload.py --count 1200 --format yaml > cases.yaml`` writes a
file ``python bot.py import`` reads. Everything is seeded: the same count
gives the same cases.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cases.files import write_cases
from cases.model import (
    HELD_STATUSES,
    Address,
    Case,
    Detention,
    Event,
    Place,
    Sentence,
    Source,
    add_months,
)

# (English, Belarusian, Russian), the most frequent first.
MALE = [
    ("Aliaksandr", "Аляксандр", "Александр"), ("Dzmitry", "Дзмітрый", "Дмитрий"),
    ("Siarhei", "Сяргей", "Сергей"), ("Andrei", "Андрэй", "Андрей"),
    ("Aliaksei", "Аляксей", "Алексей"), ("Mikalai", "Мікалай", "Николай"),
    ("Uladzimir", "Уладзімір", "Владимир"), ("Ihar", "Ігар", "Игорь"),
    ("Maksim", "Максім", "Максим"), ("Yury", "Юрый", "Юрий"), ("Pavel", "Павел", "Павел"),
    ("Viktar", "Віктар", "Виктор"), ("Yauhen", "Яўген", "Евгений"), ("Ivan", "Іван", "Иван"),
    ("Artsiom", "Арцём", "Артём"), ("Anton", "Антон", "Антон"), ("Raman", "Раман", "Роман"),
    ("Aleh", "Алег", "Олег"), ("Vadzim", "Вадзім", "Вадим"), ("Kiryl", "Кірыл", "Кирилл"),
    ("Mikhail", "Міхаіл", "Михаил"), ("Vasil", "Васіль", "Василий"),
    ("Kanstantsin", "Канстанцін", "Константин"), ("Leanid", "Леанід", "Леонид"),
    ("Valery", "Валерый", "Валерий"), ("Uladzislau", "Уладзіслаў", "Владислав"),
    ("Stanislau", "Станіслаў", "Станислав"), ("Ales", "Алесь", "Алесь"),
    ("Piatro", "Пятро", "Пётр"), ("Ryhor", "Рыгор", "Григорий"), ("Yahor", "Ягор", "Егор"),
    ("Mikita", "Мікіта", "Никита"), ("Illia", "Ілья", "Илья"), ("Hleb", "Глеб", "Глеб"),
    ("Eduard", "Эдуард", "Эдуард"), ("Stsiapan", "Сцяпан", "Степан"),
]  # fmt: skip
FEMALE = [
    ("Tatsiana", "Тацяна", "Татьяна"), ("Volha", "Вольга", "Ольга"),
    ("Natallia", "Наталля", "Наталья"), ("Alena", "Алена", "Елена"),
    ("Iryna", "Ірына", "Ирина"), ("Sviatlana", "Святлана", "Светлана"),
    ("Katsiaryna", "Кацярына", "Екатерина"), ("Maryia", "Марыя", "Мария"),
    ("Yulia", "Юлія", "Юлия"), ("Hanna", "Ганна", "Анна"),
    ("Anastasiya", "Анастасія", "Анастасия"), ("Darya", "Дар'я", "Дарья"),
    ("Liudmila", "Людміла", "Людмила"), ("Ksenia", "Ксенія", "Ксения"),
    ("Palina", "Паліна", "Полина"), ("Valiantsina", "Валянціна", "Валентина"),
    ("Halina", "Галіна", "Галина"), ("Veranika", "Вераніка", "Вероника"),
    ("Aksana", "Аксана", "Оксана"), ("Viktoryia", "Вікторыя", "Виктория"),
    ("Nasta", "Наста", "Настя"), ("Marfa", "Марфа", "Марфа"),
]  # fmt: skip
# Patronymics: (be masculine, be feminine, ru masculine, ru feminine).
PATRONYMICS = [
    ("Аляксандравіч", "Аляксандраўна", "Александрович", "Александровна"),
    ("Мікалаевіч", "Мікалаеўна", "Николаевич", "Николаевна"),
    ("Сяргеевіч", "Сяргееўна", "Сергеевич", "Сергеевна"),
    ("Уладзіміравіч", "Уладзіміраўна", "Владимирович", "Владимировна"),
    ("Віктаравіч", "Віктараўна", "Викторович", "Викторовна"),
    ("Іванавіч", "Іванаўна", "Иванович", "Ивановна"),
    ("Пятровіч", "Пятроўна", "Петрович", "Петровна"),
    ("Міхайлавіч", "Міхайлаўна", "Михайлович", "Михайловна"),
    ("Анатольевіч", "Анатольеўна", "Анатольевич", "Анатольевна"),
    ("Васільевіч", "Васільеўна", "Васильевич", "Васильевна"),
    ("Юр'евіч", "Юр'еўна", "Юрьевич", "Юрьевна"),
]  # fmt: skip
# Common surnames, most frequent first: (en, be masculine, be feminine, ru m, ru f).
COMMON_SURNAMES = [
    ("Kavaliou", "Kavaliova", "Кавалёў", "Кавалёва", "Ковалёв", "Ковалёва"),
    ("Ivanou", "Ivanova", "Іваноў", "Іванова", "Иванов", "Иванова"),
    ("Novik", "Novik", "Новік", "Новік", "Новик", "Новик"),
    ("Kazlou", "Kazlova", "Казлоў", "Казлова", "Козлов", "Козлова"),
    ("Shauchenka", "Shauchenka", "Шаўчэнка", "Шаўчэнка", "Шевченко", "Шевченко"),
    ("Kavalenka", "Kavalenka", "Каваленка", "Каваленка", "Коваленко", "Коваленко"),
    ("Bandarenka", "Bandarenka", "Бандарэнка", "Бандарэнка", "Бондаренко", "Бондаренко"),
    ("Kuzmich", "Kuzmich", "Кузьміч", "Кузьміч", "Кузьмич", "Кузьмич"),
    ("Melnik", "Melnik", "Мельнік", "Мельнік", "Мельник", "Мельник"),
    ("Kravchenka", "Kravchenka", "Краўчэнка", "Краўчэнка", "Кравченко", "Кравченко"),
    ("Makarevich", "Makarevich", "Макарэвіч", "Макарэвіч", "Макаревич", "Макаревич"),
    ("Lukashevich", "Lukashevich", "Лукашэвіч", "Лукашэвіч", "Лукашевич", "Лукашевич"),
    ("Vasilevich", "Vasilevich", "Васілевіч", "Васілевіч", "Василевич", "Василевич"),
    ("Karpovich", "Karpovich", "Карповіч", "Карповіч", "Карпович", "Карпович"),
    ("Babitski", "Babitskaya", "Бабіцкі", "Бабіцкая", "Бабицкий", "Бабицкая"),
    ("Pashkevich", "Pashkevich", "Пашкевіч", "Пашкевіч", "Пашкевич", "Пашкевич"),
    ("Marozau", "Marozava", "Марозаў", "Марозава", "Морозов", "Морозова"),
    ("Sidarenka", "Sidarenka", "Сідарэнка", "Сідарэнка", "Сидоренко", "Сидоренко"),
    ("Zhuk", "Zhuk", "Жук", "Жук", "Жук", "Жук"),
    ("Klimovich", "Klimovich", "Клімовіч", "Клімовіч", "Климович", "Климович"),
    ("Tkachou", "Tkachova", "Ткачоў", "Ткачова", "Ткачёв", "Ткачёва"),
    ("Hrynevich", "Hrynevich", "Грыневіч", "Грыневіч", "Гриневич", "Гриневич"),
    ("Savitski", "Savitskaya", "Савіцкі", "Савіцкая", "Савицкий", "Савицкая"),
    ("Yakimovich", "Yakimovich", "Якімовіч", "Якімовіч", "Якимович", "Якимович"),
    ("Paliakou", "Paliakova", "Палякоў", "Палякова", "Поляков", "Полякова"),
    ("Martsinkevich", "Martsinkevich", "Марцінкевіч", "Марцінкевіч", "Марцинкевич", "Марцинкевич"),
    ("Hurski", "Hurskaya", "Гурскі", "Гурская", "Гурский", "Гурская"),
    ("Lis", "Lis", "Ліс", "Ліс", "Лис", "Лис"),
    ("Sakalou", "Sakalova", "Сакалоў", "Сакалова", "Соколов", "Соколова"),
    ("Dubouski", "Duboiskaya", "Дубоўскі", "Дубоўская", "Дубовский", "Дубовская"),
]  # fmt: skip
# For the long tail of rarer surnames: Belarusian syllables and endings.
SYLLABLES = [
    "ба", "ва", "да", "жа", "за", "ка", "ла", "ма", "на", "па", "ра", "са", "та", "ха", "ца",
    "ча", "ша", "бя", "ля", "мя", "ня", "ко", "ло", "ро", "бу", "лу", "ру", "сі", "лі", "мі",
    "ні", "дзе", "ле", "ме", "ге", "кі", "то", "шу", "чу", "зе", "вы", "ры", "мы",
]  # fmt: skip
CODAS = ["", "б", "к", "н", "р", "с", "ш", "л", "т"]
ENDINGS = [  # (be masculine, be feminine)
    ("енка", "енка"), ("ёнак", "ёнак"), ("скі", "ская"), ("цкі", "цкая"), ("овіч", "овіч"),
    ("евіч", "евіч"), ("ук", "ук"), ("юк", "юк"), ("ік", "ік"), ("ец", "ец"), ("аў", "ава"),
    ("еў", "ева"), ("ін", "іна"), ("чык", "чык"), ("ка", "ка"), ("ель", "ель"),
]  # fmt: skip

# Where people come from: (key, en, be, ru), with how often.
REGIONS = [
    ("minsk-city", "Minsk", "Мінск", "Минск", 30),
    ("minsk", "Minsk region", "Мінская вобласць", "Минская область", 13),
    ("brest", "Brest region", "Брэсцкая вобласць", "Брестская область", 11),
    ("homel", "Homel region", "Гомельская вобласць", "Гомельская область", 12),
    ("hrodna", "Hrodna region", "Гродзенская вобласць", "Гродненская область", 11),
    ("mahiliou", "Mahiliou region", "Магілёўская вобласць", "Могилёвская область", 10),
    ("vitsebsk", "Vitsebsk region", "Віцебская вобласць", "Витебская область", 13),
]  # fmt: skip
# Places of detention shared by many: (key, en, be, ru, address, who: m / f / any).
PLACES = [
    ("ik-1", "Penal colony No. 1, Navapolatsk", "Папраўчая калонія № 1, Наваполацк",
     "Исправительная колония № 1, Новополоцк",
     "ИК-1, ул. Техническая, 8, 211440, г. Новополоцк", "m"),
    ("ik-2", "Penal colony No. 2, Babruisk", "Папраўчая калонія № 2, Бабруйск",
     "Исправительная колония № 2, Бобруйск",
     "ИК-2, ул. Сикорского, 1, 213800, г. Бобруйск", "m"),
    ("ik-3", "Penal colony No. 3, Vitsba", "Папраўчая калонія № 3, Віцьба",
     "Исправительная колония № 3, Витьба",
     "ИК-3, пос. Витьба, 211300, Витебский р-н", "m"),
    ("ik-9", "Penal colony No. 9, Horki", "Папраўчая калонія № 9, Горкі",
     "Исправительная колония № 9, Горки",
     "ИК-9, ул. Добролюбова, 16, 213410, г. Горки", "m"),
    ("ik-13", "Penal colony No. 13, Hlybokae", "Папраўчая калонія № 13, Глыбокае",
     "Исправительная колония № 13, Глубокое",
     "ИК-13, ул. Ленинская, 2, 211800, г. Глубокое", "m"),
    ("ik-15", "Penal colony No. 15, Mahiliou", "Папраўчая калонія № 15, Магілёў",
     "Исправительная колония № 15, Могилёв",
     "ИК-15, Славгородское ш., 183, 212013, г. Могилёв", "m"),
    ("ik-17", "Penal colony No. 17, Shklou", "Папраўчая калонія № 17, Шклоў",
     "Исправительная колония № 17, Шклов",
     "ИК-17, ул. 1-я Заводская, 22, 213004, г. Шклов", "m"),
    ("ik-22", "Penal colony No. 22, Ivatsevichy", "Папраўчая калонія № 22, Івацэвічы",
     "Исправительная колония № 22, Ивацевичи",
     "ИК-22, 225295, Ивацевичский р-н, д. Доманово", "m"),
    ("ik-4", "Penal colony No. 4, Homel", "Папраўчая калонія № 4, Гомель",
     "Исправительная колония № 4, Гомель",
     "ИК-4, ул. Антошкина, 3, 246035, г. Гомель", "f"),
    ("ik-24", "Penal colony No. 24, Zarechcha", "Папраўчая калонія № 24, Зарэчча",
     "Исправительная колония № 24, Заречье",
     "ИК-24, 247781, Речицкий р-н, пос. Заречье", "f"),
    ("sizo-1", "Remand prison No. 1, Minsk", "СІЗА № 1, Мінск", "СИЗО № 1, Минск",
     "СИЗО-1, ул. Володарского, 2, 220030, г. Минск", "any"),
    ("sizo-kgb", "KGB remand prison, Minsk", "СІЗА КДБ, Мінск", "СИЗО КГБ, Минск",
     None, "any"),
    ("prison-8", "Prison No. 8, Zhodzina", "Турма № 8, Жодзіна", "Тюрьма № 8, Жодино",
     "Тюрьма № 8, ул. Советская, 22а, 222163, г. Жодино", "any"),
]  # fmt: skip
PLACE_REGIONS = {
    "ik-1": "vitsebsk", "ik-2": "mahiliou", "ik-3": "vitsebsk", "ik-9": "mahiliou",
    "ik-13": "vitsebsk", "ik-15": "mahiliou", "ik-17": "mahiliou", "ik-22": "brest",
    "ik-4": "homel", "ik-24": "homel", "sizo-1": "minsk-city", "sizo-kgb": "minsk-city",
    "prison-8": "minsk",
}  # fmt: skip
PLACES_AS_OF = date(2026, 11, 1)
# Of the women, how many are a wife, sister or daughter of a man earlier in the list.
RELATIVES_SHARE = 1 / 3
# The example: Ales and the nine most frequent first names.
DENSE_FIRST_NAMES = [MALE[27], *MALE[:9]]
PLACES_SOURCE = "https://prisoners.example.org/places"
# Days of mass arrests, and how many of every hundred arrests fell around each.
MASS_ARREST_DAYS = [
    (date(2020, 8, 10), 12), (date(2020, 11, 8), 6), (date(2021, 3, 25), 5),
    (date(2021, 7, 14), 8), (date(2022, 2, 27), 7), (date(2023, 1, 19), 3),
]  # fmt: skip
SOURCE_URL = "https://prisoners.example.org/person"
# Every generated person is fictional, and every card of one says so (``Case.sample``).
SAMPLE_SOURCE = {
    "en": "Fictional sample data",
    "be": "Выдуманыя дадзеныя для прыкладу",
    "pl": "Fikcyjne dane przykładowe",
    "ru": "Вымышленные данные для примера",
}
TERMS = [1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 15]
TERM_WEIGHTS = [1, 3, 7, 9, 12, 12, 11, 10, 10, 8, 6]
DETAINED_MALE = {"en": "Detained.", "be": "Затрыманы.", "pl": "Zatrzymany.", "ru": "Задержан."}
DETAINED_FEMALE = {"en": "Detained.", "be": "Затрымана.", "pl": "Zatrzymana.", "ru": "Задержана."}
FIRST_ARREST, LAST_ARREST = date(2020, 5, 1), date(2026, 10, 1)
ARTICLES = ["342.1", "342.2", "130.3", "361-1.1", "361-4", "369", "368.1", "293.2", "339.2"]
COURTS = {
    "minsk-city": ("Minsk City Court", "Мінскі гарадскі суд", "Минский городской суд"),
    "minsk": ("Minsk Regional Court", "Мінскі абласны суд", "Минский областной суд"),
    "brest": ("Brest Regional Court", "Брэсцкі абласны суд", "Брестский областной суд"),
    "homel": ("Homel Regional Court", "Гомельскі абласны суд", "Гомельский областной суд"),
    "hrodna": ("Hrodna Regional Court", "Гродзенскі абласны суд", "Гродненский областной суд"),
    "mahiliou": ("Mahiliou Regional Court", "Магілёўскі абласны суд", "Могилёвский областной суд"),
    "vitsebsk": ("Vitsebsk Regional Court", "Віцебскі абласны суд", "Витебский областной суд"),
}  # fmt: skip

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
    out, previous = [], ""
    for char in cyrillic.lower():
        if char in _IOTATED:
            glide = "y" if not previous or previous in _VOWELS or previous in "ь'" else "i"
            out.append(glide + _IOTATED[char])
        else:
            out.append(_PASSPORT.get(char, char))
        previous = char
    return "".join(out).capitalize()


def russian(belarusian: str) -> str:
    """A rough Russian form of a Belarusian surname."""
    text = belarusian.replace("і", "и").replace("ў", "в").replace("э", "е").replace("'", "ь")
    return (
        text.removesuffix("ава") + "ова"
        if text.endswith("ава")
        else (text.removesuffix("ав") + "ов" if text.endswith("ав") else text)
    )


def _zipf_weights(count: int, exponent: float = 1.0) -> list[float]:
    return [1 / (rank**exponent) for rank in range(1, count + 1)]


class _Surnames:
    """Common surnames for about one person in eight, a long synthetic tail for the rest.

    The most common surname is about one person in eighty, the most common
    first name about one man in nine: a little denser than life.
    """

    TAIL_SIZE = 20_000  # the population's rarer surnames, whatever the sample's size

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.common_weights = _zipf_weights(len(COMMON_SURNAMES), 0.5)
        tail: set[tuple[str, str]] = set()
        while len(tail) < self.TAIL_SIZE:
            root = rng.choice(SYLLABLES) + rng.choice(SYLLABLES) + rng.choice(CODAS)
            tail.add(tuple(root + ending for ending in rng.choice(ENDINGS)))
        self.tail = sorted(tail)
        rng.shuffle(self.tail)  # the most frequent are not the first in the alphabet
        # Rarer surnames still repeat: families, and common roots.
        self.tail_weights = _zipf_weights(len(self.tail), 0.6)

    def pick(self, female: bool) -> tuple[tuple[str, str, str], tuple[str, str, str]]:
        """(en, be, ru) of one surname, and of its form for the other gender (the same
        for many)."""
        if self.rng.random() < 0.12:
            en_m, en_f, be_m, be_f, ru_m, ru_f = self.rng.choices(
                COMMON_SURNAMES, self.common_weights
            )[0]
            his, hers = (en_m, be_m, ru_m), (en_f, be_f, ru_f)
        else:
            masculine, feminine = self.rng.choices(self.tail, self.tail_weights)[0]
            his, hers = (_spelt(masculine.capitalize()), _spelt(feminine.capitalize()))
        return (hers, his) if female else (his, hers)


def _spelt(belarusian: str) -> tuple[str, str, str]:
    return passport(belarusian), belarusian, russian(belarusian)


def _detention_day(rng: random.Random) -> date:
    if rng.random() < sum(share for _, share in MASS_ARREST_DAYS) / 100:
        day = rng.choices(
            [day for day, _ in MASS_ARREST_DAYS], [share for _, share in MASS_ARREST_DAYS]
        )[0]
        return day + timedelta(days=int(abs(rng.gauss(0, 4))))
    span = (LAST_ARREST - FIRST_ARREST).days
    return FIRST_ARREST + timedelta(days=rng.randrange(span))


def _patronymic(rng: random.Random, female: bool) -> tuple[str, str]:
    be_m, be_f, ru_m, ru_f = rng.choice(PATRONYMICS)
    return (be_f, ru_f) if female else (be_m, ru_m)


@dataclass(frozen=True, slots=True)
class Person:
    slug: str
    female: bool
    name: dict[str, str]  # en, be, ru
    aliases: tuple[str, ...]  # full names with patronymics, surname first
    # The surname in the other gender's form (en, be, ru): a wife's or sister's
    # Kavaliova for Kavaliou, a husband's Kavaliou for Kavaliova; Novik for Novik.
    other_surname: tuple[str, str, str] = ("", "", "")
    relative_of: str | None = None  # the slug of the man whose wife, sister or daughter she is

    def all_names(self) -> list[str]:
        return [*self.name.values(), *self.aliases]


def people(count: int, seed: int = 1, dense: bool = False) -> list[Person]:
    """Just the names of ``generate(count, seed)``: enough for the search benchmark."""
    if dense:
        return list(_dense_people(count, random.Random(seed)))
    # Families draw apart, so the rest of the caseload is the same with or without them.
    return list(_people(count, random.Random(seed), random.Random(f"families-{seed}")))


def generate(
    count: int, seed: int = 1, today: date = date(2026, 12, 1), dense: bool = False
) -> list[Case]:
    """``count`` cases, the same ones for the same arguments; their places are
    ``place_records()``."""
    facts = random.Random(seed + 1_000_003)  # names and facts draw apart: people() agrees
    arrested = MASS_ARREST_DAYS[0][0] if dense else None
    return [_case(person, facts, today, arrested) for person in people(count, seed, dense)]


def place_records() -> list[Place]:
    """The places of detention the generated cases name, as records."""
    return [
        Place(
            key=key,
            name={"en": en, "be": be, "ru": ru},
            source=Source(key, "Viasna, places of detention", f"{PLACES_SOURCE}/{key}"),
            as_of=PLACES_AS_OF,
            region=PLACE_REGIONS[key],
            address=address and _address(address),
        )
        for key, en, be, ru, address, _ in PLACES
    ]


def _address(written: str) -> Address:
    """ "ИК-1, ул. Техническая, 8, 211440, г. Новополоцк" as envelope lines and a postcode."""
    lines: list[str] = []
    postcode = None
    for part in written.split(", "):
        if len(part) == 6 and part.isdigit():
            postcode = part
        elif lines and part[:1].isdigit():  # a house number goes with its street
            lines[-1] += ", " + part
        else:
            lines.append(part)
    return Address(lines, postcode)


def _dense_people(count: int, rng: random.Random) -> Iterator[Person]:
    """10 first names x 12 surnames, over and over: every name has many namesakes."""
    slugs: dict[str, int] = {}
    for number in range(count):
        first = DENSE_FIRST_NAMES[number % 10]
        en_m, en_f, be_m, be_f, ru_m, ru_f = COMMON_SURNAMES[number // 10 % 12]
        patronymics = _patronymic(rng, False)
        last = ((en_m, be_m, ru_m), (en_f, be_f, ru_f))
        yield _person(first, last, patronymics, False, slugs)


def _people(count: int, rng: random.Random, families: random.Random) -> Iterator[Person]:
    surnames = _Surnames(rng)
    slugs: dict[str, int] = {}
    men: list[Person] = []
    for _ in range(count):
        female = rng.random() < 0.18
        names = FEMALE if female else MALE
        first = rng.choices(names, _zipf_weights(len(names), 0.6))[0]
        last = surnames.pick(female)
        patronymics = _patronymic(rng, female)
        relative = None
        if female and men and families.random() < RELATIVES_SHARE:
            relative = families.choice(men)
            last = (relative.other_surname, _surname_of(relative))
        person = _person(first, last, patronymics, female, slugs, relative)
        if not female:
            men.append(person)
        yield person


def _surname_of(person: Person) -> tuple[str, str, str]:
    return tuple(person.name[lang].rsplit(" ", 1)[1] for lang in ("en", "be", "ru"))


def _person(
    first: tuple[str, str, str],
    last: tuple[tuple[str, str, str], tuple[str, str, str]],
    patronymics: tuple[str, str],
    female: bool,
    slugs: dict[str, int],
    relative: Person | None = None,
) -> Person:
    """One person from their names (en, be, ru) and their surname's other form;
    ``slugs`` counts namesakes so far."""
    (first_en, first_be, first_ru), ((last_en, last_be, last_ru), other) = first, last
    patronymic_be, patronymic_ru = patronymics
    base = f"{first_en}-{last_en}".lower()
    slugs[base] = slugs.get(base, 0) + 1
    return Person(
        slug=base if slugs[base] == 1 else f"{base}-{slugs[base]}",
        female=female,
        name={
            "en": f"{first_en} {last_en}",
            "be": f"{first_be} {last_be}",
            "ru": f"{first_ru} {last_ru}",
        },
        aliases=(
            f"{last_be} {first_be} {patronymic_be}",
            f"{last_ru} {first_ru} {patronymic_ru}",
        ),
        other_surname=other,
        relative_of=relative and relative.slug,
    )


def _case(person: Person, rng: random.Random, today: date, arrested: date | None) -> Case:
    detained = min(arrested or _detention_day(rng), today - timedelta(days=7))
    region = rng.choices(REGIONS, [weight for *_, weight in REGIONS])[0]
    sentence, status, released_on = _outcome(rng, detained, region[0], today)
    # Most statuses were confirmed in the last two months; some long ago.
    confirmed = today - timedelta(days=int(rng.expovariate(1 / 40)))
    confirmed = max(
        confirmed, released_on or detained, sentence.sentenced_on if sentence else detained
    )
    if sentence is not None:
        sentence.as_of = confirmed
    return Case(
        slug=person.slug,
        name=dict(person.name),
        aliases=list(person.aliases),
        gender="female" if person.female else "male",
        status=status,
        status_as_of=confirmed,
        status_source="viasna",
        sources=[Source("viasna", SAMPLE_SOURCE, f"{SOURCE_URL}/{person.slug}")],
        sample=True,
        birth_date=date(rng.randint(1955, 2004), rng.randint(1, 12), rng.randint(1, 28)),
        region=region[0],
        detained_on=detained,
        released_on=released_on,
        sentence=sentence,
        detention=_held_in(rng, person.female, status, confirmed),
        events=[Event(detained, DETAINED_FEMALE if person.female else DETAINED_MALE, "viasna")],
    )


def _outcome(
    rng: random.Random, detained: date, region: str, today: date
) -> tuple[Sentence | None, str, date | None]:
    """(sentence, status, released_on): awaiting trial, serving, served or pardoned."""
    sentenced_on = detained + timedelta(days=rng.randint(60, 300))
    if sentenced_on >= today:
        return None, "detained", None
    years = rng.choices(TERMS, TERM_WEIGHTS)[0]
    sentence = Sentence(
        years=years, months=rng.choice([0, 0, 0, 6]), sentenced_on=sentenced_on,
        court=dict(zip(("en", "be", "ru"), COURTS[region], strict=True)),
        articles=sorted(rng.sample(ARTICLES, rng.randint(1, 3))),
        source="viasna", as_of=sentenced_on,
    )  # fmt: skip
    term_ends = add_months(detained, years * 12 + sentence.months)
    if term_ends <= today:
        return sentence, "released", term_ends
    if rng.random() < 0.08:  # pardoned before the end of the term
        released_on = sentenced_on + timedelta(days=rng.randrange((today - sentenced_on).days))
        return sentence, rng.choice(["released", "released", "in_exile"]), released_on
    return sentence, "sentenced", None


def _held_in(rng: random.Random, female: bool, status: str, confirmed: date) -> Detention | None:
    if status not in HELD_STATUSES:
        return None
    # Before trial people are in remand prisons; after it, in a colony for their sex.
    who = ("any",) if status == "detained" else ("f",) if female else ("m",)
    key = rng.choice([place[0] for place in PLACES if place[5] in who])
    return Detention(source="viasna", as_of=confirmed, place_key=key)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--format", choices=("yaml", "json", "csv"), default="yaml")
    parser.add_argument(
        "--dense", action="store_true", help="10 first names x 12 surnames, detained on one day"
    )
    arguments = parser.parse_args()
    cases = generate(arguments.count, arguments.seed, dense=arguments.dense)
    write_cases(cases, arguments.format, sys.stdout, place_records())


if __name__ == "__main__":
    main()
