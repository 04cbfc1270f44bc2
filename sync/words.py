"""The words Viasna's export writes, in English, Russian and Belarusian, folded for comparison.

``fold`` is how every word of the export is compared: lower case, ё as е,
every apostrophe (’ ʼ ` ') as ', no byte-order mark or invisible character,
one space between words. Every vocabulary below is written folded.

A word is recognised in any of the three languages whatever the page's
language: the words do not overlap, and a Russian month in an English
export is still a month.
"""

from __future__ import annotations

import re

_FOLD = str.maketrans(
    {
        "ё": "е",
        "’": "'",
        "ʼ": "'",
        "‘": "'",
        "`": "'",
        "´": "'",
        "\u00a0": " ",
        "\ufeff": None,
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
    }
)
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """``text`` lowered, its variant letters and spaces made one (see the module docstring)."""
    folded = text.translate(_FOLD).casefold()
    if "  " in folded or "\n" in folded or "\t" in folded or "\r" in folded:
        folded = _SPACES.sub(" ", folded)
    return folded.strip()


# Month names, nominative and genitive ("апрель", "апреля"), with English abbreviations.
MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            "january jan январь января студзень студзеня",
            "february feb февраль февраля люты лютага",
            "march mar март марта сакавік сакавіка",
            "april apr апрель апреля красавік красавіка",
            "may май мая травень траўня",
            "june jun июнь июня чэрвень чэрвеня",
            "july jul июль июля ліпень ліпеня",
            "august aug август августа жнівень жніўня",
            "september sep sept сентябрь сентября верасень верасня",
            "october oct октябрь октября кастрычнік кастрычніка",
            "november nov ноябрь ноября лістапад лістапада",
            "december dec декабрь декабря снежань снежня",
        ),
        start=1,
    )
    for name in names.split()
}

# A date nobody knows.
UNKNOWN = frozenset(
    {"", "unknown", "неизвестно", "не известно", "невядома", "n/a", "na", "-", "—", "–", "?"}
)

# The status column of a machine export, and the words of a labelled one.
MACHINE_STATUSES = frozenset({"active", "former", "np"})
STATUS_WORDS: dict[str, str] = {
    **dict.fromkeys(
        (
            "political prisoner",
            "политзаключенный",
            "политзаключенная",
            "палітвязень",
            "палітвязынка",
            "палітвязніца",
        ),
        "active",
    ),
    **dict.fromkeys(
        (
            "former political prisoner",
            "бывший политзаключенный",
            "бывшая политзаключенная",
            "былы палітвязень",
            "былая палітвязынка",
            "былая палітвязніца",
        ),
        "former",
    ),
}
# "Recognized ex post facto" on a status's second line: recognised after release.
EX_POST_FACTO = frozenset(
    {
        "recognized ex post facto",
        "recognised ex post facto",
        "признан постфактум",
        "признана постфактум",
        "признан политзаключенным постфактум",
        "признана политзаключенной постфактум",
        "прызнаны постфактум",
        "прызнана постфактум",
        "прызнаная постфактум",
    }
)

GENDERS: dict[str, str] = {
    **dict.fromkeys(
        ("male", "m", "man", "м", "муж", "муж.", "мужской", "мужчина", "мужчына", "мужчынскі"),
        "male",
    ),
    **dict.fromkeys(
        ("female", "f", "woman", "ж", "жен", "жен.", "женский", "женщина", "жанчына", "жаночы"),
        "female",
    ),
}

# The prison column of someone freed: the single word, in each language and gender.
RELEASED = frozenset(
    {
        "released",
        "freed",
        "освобожден",
        "освобождена",
        "освобождены",
        "вызвалены",
        "вызвалена",
        "вызваленая",
    }
)
# "At liberty before serving the sentence": sentenced, not (yet) taken in.
AT_LIBERTY_STARTS = (
    "at liberty before",
    "находится на свободе до",
    "на свободе до",
    "знаходзіцца на волі да",
    "на волі да",
)

YES = frozenset({"1", "true", "yes", "y", "да", "так", "x", "+", "✓", "✔"})
NO = frozenset({"0", "false", "no", "n", "нет", "не", "-", "—", "–"})
