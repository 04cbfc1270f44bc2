"""Dates as people write them at the top of a statement or type them to the bot."""

from __future__ import annotations

import re
from datetime import date

# Month names by the first letters that tell them apart, in English, Belarusian,
# Russian and Polish, nominative or genitive ("July", "ліпеня", "июля", "lipca", "Jul").
_MONTHS: tuple[tuple[str, ...], ...] = (
    ("jan", "студз", "янв", "sty"),
    ("feb", "лют", "фев", "lut"),
    ("mar", "сакав", "мар"),
    ("apr", "красав", "апр", "kwi"),
    ("may", "тра", "мая", "май", "maj"),
    ("jun", "чэрв", "июн", "cze"),
    ("jul", "ліп", "июл", "lip"),
    ("aug", "жні", "жнi", "авг", "sie"),
    ("sep", "верас", "сен", "wrz"),
    ("oct", "кастр", "окт", "paź", "paz"),
    ("nov", "ліст", "лiст", "ноя", "lis"),
    ("dec", "снеж", "дек", "gru"),
)
# "14 July 2025", "14 июля 2025 г.", "14 lipca 2025 r."
_WORDY = re.compile(
    r"(?:^|\W)(\d{1,2})\s+([^\W\d_]+)\.?,?\s+(\d{4})(?:\s*(?:г\.?|года|году|r\.?|roku))?\s*$"
)
_MONTH_FIRST = re.compile(r"(?:^|\W)([^\W\d_]+)\.?\s+(\d{1,2}),?\s+(\d{4})\s*$")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DOTTED = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})")
# A line that is a date and nothing else may start with a weekday ("Monday 14 July 2025").
_DATE_LINE_MAX = 40


def month_number(word: str) -> int | None:
    word = word.casefold()
    for number, prefixes in enumerate(_MONTHS, start=1):
        if any(word.startswith(prefix) for prefix in prefixes):
            return number
    return None


def _valid(year: int, month: int | None, day: int) -> date | None:
    if month is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_date(text: str) -> date | None:
    """The date ``text`` states (14 July 2025, July 14, 2025, 2025-07-14, 14.07.2025), else None."""
    text = text.strip()
    if match := _ISO.fullmatch(text):
        return _valid(int(match[1]), int(match[2]), int(match[3]))
    if match := _DOTTED.fullmatch(text):
        return _valid(int(match[3]), int(match[2]), int(match[1]))
    if match := _WORDY.search(text):
        return _valid(int(match[3]), month_number(match[2]), int(match[1]))
    if match := _MONTH_FIRST.search(text):
        return _valid(int(match[3]), month_number(match[1]), int(match[2]))
    return None


def date_line(line: str) -> date | None:
    """The date of a line that only states a date (a weekday may precede it)."""
    line = line.strip().strip("*_#> ").strip()
    if not line or len(line) > _DATE_LINE_MAX:
        return None
    return parse_date(line)
