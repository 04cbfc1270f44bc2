"""What admins type into case commands: statuses in four languages, dates, links.

Shared by /setstatus, /update and /addcase. A problem is an ``EditProblem``
whose ``key`` and ``values`` a template turns into an explanation.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

# What admins type, folded by ``_fold`` (case, ё and ў, Polish diacritics and the
# spaces, commas, underscores and hyphens between words do not matter): English,
# Belarusian, Russian and Polish, a man's, a woman's and the plural form, short and
# full, the status names the bot itself shows included (tests hold them to the labels).
STATUS_WORDS: dict[str, tuple[str, ...]] = {
    "released": (
        "released", "free", "freed", "set free",
        "вызвалены", "вызвалена", "вызваленая", "вызваленыя", "вызвалілі", "на волі",
        "выйшаў на волю", "выйшла на волю", "выйшлі на волю", "вольны", "вольная", "вольныя",
        "освобожден", "освобождена", "освобождены", "освобожденный", "освобожденная",
        "освобожденные", "освободили", "на свободе", "вышел на свободу", "вышла на свободу",
        "вышли на свободу",
        "zwolniony", "zwolniona", "zwolnieni", "zwolnione", "uwolniony", "uwolniona",
        "uwolnieni", "uwolnione", "na wolności", "wyszedł na wolność", "wyszła na wolność",
        "wyszli na wolność", "wolny", "wolna", "wolni",
    ),
    "in_exile": (
        "in exile", "exile", "exiled", "deported", "expelled", "released, in exile",
        "у выгнанні", "выгнанне", "на волі, у выгнанні", "у эміграцыі", "дэпартаваны",
        "дэпартавана", "дэпартаваная", "дэпартаваныя", "выдвараны", "выдварана", "выдвараная",
        "выдвараныя", "выгнаны", "выгнана", "выгнаная", "выгнаныя",
        "в изгнании", "изгнание", "на свободе, в изгнании", "в эмиграции", "депортирован",
        "депортирована", "депортированы", "депортированный", "депортированная",
        "депортированные", "выдворен", "выдворена", "выдворены", "выслан", "выслана", "высланы",
        "na wygnaniu", "wygnanie", "na emigracji", "na wolności, na wygnaniu", "deportowany",
        "deportowana", "deportowani", "deportowane", "wydalony", "wydalona", "wydaleni",
        "wydalone",
    ),
    "detained": (
        "detained", "arrested", "in custody", "detained again", "arrested again",
        "затрыманы", "затрымана", "затрыманая", "затрыманыя", "арыштаваны", "арыштавана",
        "арыштаваная", "арыштаваныя", "пад вартай", "зноў затрыманы", "зноў затрымана",
        "зноў затрыманыя",
        "задержан", "задержана", "задержаны", "задержанный", "задержанная", "задержанные",
        "арестован", "арестована", "арестованы", "арестованный", "арестованная",
        "арестованные", "под стражей", "снова задержан", "снова задержана", "снова задержаны",
        "zatrzymany", "zatrzymana", "zatrzymani", "zatrzymane", "aresztowany", "aresztowana",
        "aresztowani", "aresztowane", "w areszcie", "ponownie zatrzymany",
        "ponownie zatrzymana", "ponownie zatrzymani",
    ),
    "sentenced": (
        "sentenced", "convicted", "serving a sentence", "serving",
        "асуджаны", "асуджана", "асуджаная", "асуджаныя", "адбывае пакаранне",
        "адбываюць пакаранне",
        "осужден", "осуждена", "осуждены", "осужденный", "осужденная", "осужденные",
        "приговорен", "приговорена", "приговорены", "отбывает наказание", "отбывают наказание",
        "skazany", "skazana", "skazani", "skazane", "odbywa karę", "odbywają karę",
    ),
    "deceased": (
        "deceased", "died", "dead",
        "памёр", "памерла", "памерлі", "памерлы", "памерлая", "загінуў", "загінула",
        "загінулі", "няма ў жывых",
        "умер", "умерла", "умерли", "умерший", "умершая", "умершие", "погиб", "погибла",
        "погибли", "скончался", "скончалась", "скончались", "нет в живых",
        "zmarł", "zmarła", "zmarli", "zmarły", "nie żyje", "nie żyją", "zginął", "zginęła",
        "zginęli",
    ),
}  # fmt: skip
# A move between prisons is news for the timeline, not a status: /update says it.
EVENT_WORDS = frozenset(
    {
        "transferred", "moved", "transfer", "перавезены", "перавезена", "перавезеная",
        "перавезеныя", "пераведзены", "пераведзена", "пераведзеная", "пераведзеныя",
        "этапаваны", "этапавана", "этапаваная", "этапаваныя", "переведен", "переведена",
        "переведены", "этапирован", "этапирована", "этапированы", "перевод", "этап",
        "przeniesiony", "przeniesiona", "przeniesieni", "przewieziony", "przewieziona",
        "przewiezieni", "przeniesienie",
    }
)  # fmt: skip
# "Today" wherever a date is asked: the day the bot's clock says it is.
TODAY_WORDS = frozenset({"today", "сёння", "сегодня", "dziś", "dzisiaj"})
_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DOTTED = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
# Anything shaped like a link counts, so "ftp://..." is refused rather than read as text.
_URL = re.compile(r"[a-z][a-z0-9+.-]*://\S+", re.IGNORECASE)


class EditProblem(Exception):
    """Why a command cannot be done as written; ``key`` picks the explanation."""

    def __init__(self, key: str, **values) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


# Letters people type both ways: Polish without its diacritics, ё as е, ў as у.
_PLAIN_LETTERS = str.maketrans("ąćęłńóśźżёў", "acelnoszzеу")


def _fold(words: str) -> str:
    folded = words.casefold().translate(_PLAIN_LETTERS).strip()
    return re.sub(r"[\s,_-]+", "_", folded)


_STATUS_BY_WORD = {_fold(word): status for status, words in STATUS_WORDS.items() for word in words}
_EVENT_WORDS = frozenset(_fold(word) for word in EVENT_WORDS)
_TODAY_WORDS = frozenset(_fold(word) for word in TODAY_WORDS)


def is_today(text: str) -> bool:
    """``text`` is a word for today ("today", "сёння", "сегодня", "dziś", "dzisiaj")."""
    return _fold(text.strip(" .!")) in _TODAY_WORDS


def looks_like_date(text: str) -> bool:
    """Written as a date is (YYYY-MM-DD, DD.MM.YYYY), whether or not the day exists."""
    text = text.strip()
    return bool(_ISO.fullmatch(text) or _DOTTED.fullmatch(text))


def parse_date(text: str, today: date) -> date:
    """YYYY-MM-DD, DD.MM.YYYY or a word for today: a real day, not after ``today``."""
    if is_today(text):
        return today
    iso, dotted = _ISO.fullmatch(text), _DOTTED.fullmatch(text)
    try:
        if iso:
            day = date(int(iso[1]), int(iso[2]), int(iso[3]))
        elif dotted:
            day = date(int(dotted[3]), int(dotted[2]), int(dotted[1]))
        else:
            raise ValueError(text)
    except ValueError:
        raise EditProblem("bad_date", given=text) from None
    if day > today:
        raise EditProblem("future_date", given=day, today=today)
    return day


def check_url(text: str) -> str:
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise EditProblem("bad_url", given=text)
    return text


def take_url(words: list[str]) -> tuple[list[str], str | None]:
    """The words without a trailing source URL, and the URL."""
    if words and _URL.fullmatch(words[-1]):
        return words[:-1], check_url(words[-1])
    return words, None


def is_status(text: str) -> bool:
    return _fold(text) in _STATUS_BY_WORD


def status_from_words(text: str) -> str:
    """A status from any of its words; a transfer gets its own explanation."""
    folded = _fold(text)
    if folded in _STATUS_BY_WORD:
        return _STATUS_BY_WORD[folded]
    key = "event_not_status" if folded in _EVENT_WORDS else "bad_status"
    raise EditProblem(key, given=text.strip())
