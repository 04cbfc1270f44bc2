"""Belarusian and Russian Cyrillic written in Latin letters, for slugs and English names.

A list that gives a person's name only in Cyrillic still needs an English
name (the case format requires one) and a slug. This is the passport-style
romanisation Belarusian documents use (Ales Bialiatski, Uladzimir
Labkovich), applied to either language: good enough for a name a reader
recognises and an editor may correct, not a scholarly transliteration.
"""

from __future__ import annotations

import re

_LETTERS = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "ё": "io", "є": "ie",
    "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ў": "u", "ф": "f",
    "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "iu", "я": "ia", "’": "", "'": "", "ʼ": "",
}  # fmt: skip
# е, ё, ю, я at the start of a word or after a vowel carry a y/i sound: Yelena, Iosif.
_IOTATED = {"е": "ye", "ё": "yo", "ю": "yu", "я": "ya"}
_VOWELS = set("аеёиіоуыэюяєї")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def has_cyrillic(text: str) -> bool:
    return _CYRILLIC.search(text) is not None


def to_latin(text: str) -> str:
    """``text`` with its Cyrillic romanised, case kept: "Алесь Бяляцкі" -> "Ales Bialiatski"."""
    out: list[str] = []
    previous = ""
    for character in text:
        lower = character.lower()
        if lower in _LETTERS:
            starts_word = not previous.isalpha() or previous.lower() in _VOWELS
            latin = _IOTATED[lower] if starts_word and lower in _IOTATED else _LETTERS[lower]
            if character != lower and latin:
                latin = latin[0].upper() + latin[1:]
            out.append(latin)
        else:
            out.append(character)
        previous = character
    return "".join(out)
