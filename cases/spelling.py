"""Spelling folds: any way of writing a Belarusian name, reduced to one skeleton.

A Belarusian name reaches us in Belarusian or Russian Cyrillic, in English
passport style, in Łacinka or Polish with diacritics, in ISO 9 with carons,
or in any of those with the diacritics lost. ``normalise`` reduces each word
to a phonetic Latin skeleton, so most variants of one name become the very
same string: "Bialiatski", "Bialacki", "Bjaljacki", "Byalyatski" and
"Бяляцкі" are all ``bialacki``. ``stem`` takes off case endings, for names
declined in running text.
"""

from __future__ import annotations

import functools
import operator
import re
import unicodedata

# Cyrillic becomes *uppercase* Latin so the Latin spelling folds below, which
# only touch lowercase, cannot rewrite it a second time: Cyrillic "сх" must
# stay s+h and not turn into the English digraph "sh". The letters chosen are
# already the folded forms (ч and ц both C, ш S, ж Z, г and х H).
_CYRILLIC = {
    "а": "A", "б": "B", "в": "V", "г": "H", "ґ": "H", "д": "D", "е": "E", "ё": "IO", "є": "IE",
    "ж": "Z", "з": "Z", "и": "I", "і": "I", "ї": "I", "й": "I", "к": "K", "л": "L",
    "м": "M", "н": "N", "о": "O", "п": "P", "р": "R", "с": "S", "т": "T", "у": "U",
    "ў": "U", "ф": "F", "х": "H", "ц": "C", "ч": "C", "ш": "S", "щ": "SC", "ъ": "",
    "ы": "I", "ь": "", "э": "E", "ю": "IU", "я": "IA",
}  # fmt: skip
# Letters NFKD does not decompose into a base letter plus marks.
_LATIN_SPECIAL = {
    "ł": "l", "đ": "d", "ð": "d", "ø": "o", "æ": "ae", "œ": "oe", "ı": "i", "þ": "t",
    "ŀ": "l",
}  # fmt: skip
# Soft signs and separators written as apostrophes (Ales', Вераб'ёў) carry no sound.
_APOSTROPHES = "'’ʼʹ`´‘ʻ"
_TRANSLATE = str.maketrans({**_CYRILLIC, **_LATIN_SPECIAL, **dict.fromkeys(_APOSTROPHES, None)})
# е is "ye" at the start of a word or after a vowel, "e" after a consonant,
# the way every transliteration writes it.
_CYRILLIC_E = re.compile(r"(?<![бвгґджзклмнпрстфхцчшщ])е")
_COMBINING = re.compile(r"[\u0300-\u036f]")
# One sound, many spellings: Polish cz/sz, English ch/sh/zh/kh/ts, German tsch,
# w for v. g folds into h because Belarusian г is h (Ihar/Igor, Homel/Gomel),
# and y/j into i because ja/ia/ya, ju/iu/yu and -ij/-iy/-y endings are one thing.
# Łacinka and Polish "ch" (х) lands on c instead of h; that costs one edit.
_LATIN_FOLDS = {
    "tsch": "c", "tch": "c", "ch": "c", "cz": "c", "ts": "c", "tz": "c", "sh": "s",
    "sz": "s", "zh": "z", "kh": "h", "ph": "f", "x": "ks", "w": "v", "q": "k", "g": "h",
    "y": "i", "j": "i",
}  # fmt: skip
_LATIN_FOLD = re.compile("|".join(sorted(_LATIN_FOLDS, key=len, reverse=True)))
# ў after a vowel is written u, ŭ, w or v: Prakapau, Prakapaŭ, Prakapaw, Прокопов.
_NON_SYLLABIC_U = re.compile(r"(?<=[aeo])u(?![aeiou])")
_DOUBLE = re.compile(r"([a-z])\1+")
# Łacinka writes a soft l without an i (Bialacki = Бяляцкі = Bialiatski).
_SOFT_L = re.compile(r"li(?=[aeou])")
_SKELETON_WORD = re.compile(r"[a-z]+")


# Characters that print nothing: zero-width spaces and joiners, soft hyphens,
# direction marks, byte-order marks, variation selectors. Pasted names carry
# them; they must not split or change a word.
_INVISIBLE = dict.fromkeys(
    [code for code in range(0x10000) if unicodedata.category(chr(code)) == "Cf"]
    + [*range(0xFE00, 0xFE10), 0x034F, 0x115F, 0x1160, 0x3164, 0xFFA0]
)


def without_invisible(text: str) -> str:
    return text.translate(_INVISIBLE)


def normalise(text: str) -> list[str]:
    """The skeleton of every word in ``text``: folded, lowercase ASCII."""
    # No fold reaches across whitespace, so chunks can be cached: first names
    # and the words of a statement repeat a lot.
    return [word for chunk in text.translate(_INVISIBLE).split() for word in _folded_cached(chunk)]


def fold_word(text: str) -> tuple[str, ...]:
    """The skeletons of one whitespace-free chunk ("Ales'", "Бяляцкі", "Łabkowicz")."""
    text = text.casefold()
    if not text.isascii():
        # NFC first: a decomposed ё or й must reach the Cyrillic table whole.
        text = _CYRILLIC_E.sub("IE", unicodedata.normalize("NFC", text)).translate(_TRANSLATE)
        if not text.isascii():
            text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    if not text.isupper():  # a Cyrillic word is all capitals here: no Latin spelling to fold
        text = _LATIN_FOLD.sub(_fold, text)
    text = _DOUBLE.sub(_first_group, _NON_SYLLABIC_U.sub("v", text.lower()))
    return tuple(_SKELETON_WORD.findall(_SOFT_L.sub("l", text)))


_first_group = operator.itemgetter(1)  # a C callable: cheaper than the template r"\1"


def _fold(found: re.Match) -> str:
    return _LATIN_FOLDS[found.group()]


# What people type and what statements say: a small cache is enough (an index
# build keeps its own, for the whole caseload).
_folded_cached = functools.lru_cache(maxsize=4096)(fold_word)


# Case endings of Belarusian, Russian and Polish names, as skeletons, longest
# first: statements decline names ("Марфы Рабковай", "Беляцкого"), and so do
# Polish letters ("list do Białackiego", "uwolnienie Rabkowej"). Polish soft
# endings keep the i the nominative has lost: Białacki -> Białack-iego,
# -iemu, -iej (his wife's), -iem (Alesiem); -owi is the dative of a consonant
# (Łabkowiczowi), -ej a woman's (Rabkowej), -ie a name's in -a (Marfie).
# Whose form it is, a man's or a woman's, is cases.genders' to say.
_ENDINGS = ("ieho", "iemu",
            "oho", "aho", "aha", "eho", "omu", "amu", "emu", "iei", "iem", "ovi",
            "oi", "ai", "ei", "om", "am", "em", "im", "ih", "ia", "ie", "iu",
            "a", "e", "i", "o", "u")  # fmt: skip
MIN_STEM = 4


# A father's name: Віктаравіч, Александрович, Аляксандраўна, Ильинична, as skeletons
# (with case endings: "Алесю Віктаравічу").
_PATRONYMIC = re.compile(r"[a-z]{3,}(?:ovic|evic|avic|ovn|evn|avn|icn)[a-z]{0,3}")


def is_patronymic(skeleton: str) -> bool:
    return _PATRONYMIC.fullmatch(skeleton) is not None


# The endings by length, longest first, so "-aha" is taken off before "-a".
_ENDINGS_BY_LENGTH = tuple(
    (length, frozenset(e for e in _ENDINGS if len(e) == length)) for length in (4, 3, 2, 1)
)


def strip_ending(skeleton: str) -> str:
    for length, endings in _ENDINGS_BY_LENGTH:
        if len(skeleton) - length >= MIN_STEM and skeleton[-length:] in endings:
            return skeleton[:-length]
    return skeleton
