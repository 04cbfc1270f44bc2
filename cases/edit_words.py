"""What admins type into case commands: statuses in four languages, dates, links.

Shared by /setstatus, /update and /addcase. A problem is an ``EditProblem``
whose ``key`` and ``values`` a template turns into an explanation.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

# What admins type, folded by ``_fold``: English, Belarusian, Russian and Polish
# (with and without its diacritics), the status names the bot itself shows included.
STATUS_WORDS: dict[str, tuple[str, ...]] = {
    "released": (
        "released", "free", "freed", "вызвалены", "вызваленая", "на_волі", "освобожден",
        "освобождена", "на_свободе", "zwolniony", "zwolniona", "uwolniony", "uwolniona",
        "na_wolności", "na_wolnosci",
    ),
    "in_exile": (
        "in_exile", "exile", "exiled", "deported", "у_выгнанні", "выгнанне", "на_волі_у_выгнанні",
        "дэпартаваны", "дэпартаваная", "в_изгнании", "изгнание", "депортирован", "депортирована",
        "на_свободе_в_изгнании", "na_wygnaniu", "wygnanie", "na_emigracji", "deportowany",
        "deportowana", "wydalony", "wydalona", "na_wolności_na_wygnaniu", "na_wolnosci_na_wygnaniu",
    ),
    "detained": (
        "detained", "arrested", "затрыманы", "затрыманая", "арыштаваны", "арыштаваная",
        "пад_вартай", "задержан", "задержана", "арестован", "арестована", "под_стражей",
        "zatrzymany", "zatrzymana", "aresztowany", "aresztowana", "w_areszcie",
    ),
    "sentenced": (
        "sentenced", "convicted", "асуджаны", "асуджаная", "адбывае_пакаранне", "осужден",
        "осуждена", "приговорен", "приговорена", "отбывает_наказание", "skazany", "skazana",
        "odbywa_karę", "odbywa_kare",
    ),
    "deceased": (
        "deceased", "died", "dead", "памёр", "памерла", "загінуў", "загінула", "няма_ў_жывых",
        "умер", "умерла", "погиб", "погибла", "скончался", "скончалась", "нет_в_живых",
        "zmarł", "zmarla", "zmarła", "zmarl", "nie_żyje", "nie_zyje", "zginął", "zginal",
        "zginęła", "zginela",
    ),
}  # fmt: skip
# A move between prisons is news for the timeline, not a status: /update says it.
EVENT_WORDS = frozenset(
    {
        "transferred", "moved", "transfer", "перавезены", "перавезеная", "пераведзены",
        "пераведзеная", "этапаваны", "этапаваная", "переведен", "переведена", "этапирован",
        "этапирована", "перевод", "этап", "przeniesiony", "przeniesiona", "przewieziony",
        "przewieziona", "przeniesienie",
    }
)  # fmt: skip
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


def _fold(words: str) -> str:
    return re.sub(r"[\s_-]+", "_", words.casefold().replace("ё", "е").strip())


_STATUS_BY_WORD = {_fold(word): status for status, words in STATUS_WORDS.items() for word in words}
_EVENT_WORDS = frozenset(_fold(word) for word in EVENT_WORDS)


def parse_date(text: str, today: date) -> date:
    """YYYY-MM-DD or DD.MM.YYYY, a real day, not after ``today``."""
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
    return _fold(text.replace(",", " ")) in _STATUS_BY_WORD


def status_from_words(text: str) -> str:
    """A status from any of its words; a transfer gets its own explanation."""
    folded = _fold(text.replace(",", " "))
    if folded in _STATUS_BY_WORD:
        return _STATUS_BY_WORD[folded]
    key = "event_not_status" if folded in _EVENT_WORDS else "bad_status"
    raise EditProblem(key, given=text.strip())
