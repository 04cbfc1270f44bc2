"""What the form of a name says of whose it is: a man's, a woman's, or another name.

Belarusian, Russian and Polish names change with gender. Ales Bialiatski's
wife, sister or daughter is Bialiatskaya (Бяляцкая, Białacka), Ivan
Petrov's is Petrova, and Aliaksandra is not Aliaksandr. The skeletons of
``cases.spelling`` keep those endings, but a small edit distance and
declension (one step away once the case ending is off) would bridge them:
this module says, for a typed word and a word of a case's names, what the
typed word can be.

- ``case_gender``: a case's gender from its own names, where its file gives
  none: a first name of ``cases.first_names``, a gendered surname form, a
  feminine father's name.
- ``reading``: a typed word set against one written word of a case. Each
  reading is a gender and whether it is that person's own name (as written,
  declined or mistyped) or someone else's: "Бяляцкага" is only his;
  "Рабкова" is Rabkov's genitive and also a woman's nominative, so someone
  else's too; "Марта" is another name than "Марфа" and "Анастас" a man's
  name; and a word more than one slip away counts its slips.
- ``verdict``: the readings of every typed word, against one case: refused
  (the words cannot all be that person's: a woman's form for a man, or the
  reverse), unsure (they may be someone else's: a choice at best, never the
  card) or clean.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from rapidfuzz.distance import OSA

from cases.first_names import FEMININE, MASCULINE, names
from cases.spelling import fold_word, strip_ending

UNKNOWN, MALE, FEMALE = 0, 1, 2
BOTH = MALE | FEMALE
_CODES = {"male": MALE, "female": FEMALE}

# A reading is a bit: the person's own name in the male or female form, or
# someone else's (a relative's, another first name) in either.
OWN_MALE, OWN_FEMALE = MALE, FEMALE
OTHER_MALE, OTHER_FEMALE = MALE << 2, FEMALE << 2
OTHERS = OTHER_MALE | OTHER_FEMALE
AS_WRITTEN = OWN_MALE | OWN_FEMALE  # the person's word, in a form that says nothing more

REFUSED, UNSURE, CLEAN = 0, 1, 2
MAX_SLIPS = 1  # a word further from the person's than this is a choice at best


def gender_code(gender: str | None) -> int:
    """MALE, FEMALE or UNKNOWN for a case's ``gender`` field."""
    return _CODES.get(gender or "", UNKNOWN)


def _skeleton(text: str) -> str:
    return "".join(fold_word(text))


# --- first names -------------------------------------------------------------

_CYRILLIC = re.compile("[а-яёіў]", re.IGNORECASE)
# A nominative's declined forms: by its last letter, what to take off and what to add.
_MALE_CYRILLIC = {
    "consonant": ("", ("а", "у", "ам", "ом", "е")),  # Аляксандра, -у, -ам, Александром, -е
    "ь": ("ь", ("я", "ю", "ем", "і", "и", "е")),  # Алеся, Алесю, Алесем, Алесі; Игоря
    "й": ("й", ("я", "ю", "ем", "і", "и", "е")),  # Андрэя, Сяргею, Мікалаем, Юрыі
    "ў": ("ў", ("ва", "ву", "вам", "вом", "ве")),  # Станіслава, Яраславу
    "а": ("а", ("ы", "і", "и", "е", "у", "ам", "ай", "ой", "ою")),  # Мікіты, Мікіце, Мікітам
    "я": ("я", ("і", "и", "е", "ю", "ём", "ёй", "ем", "ей", "ям")),  # Ільі, Ілью, Ільёй
    "о": ("о", ("а", "у", "ом", "ам", "е")),  # Пятра, Пятру, Пятром
}
_FEMALE_CYRILLIC = {
    "а": ("а", ("ы", "і", "и", "е", "у", "ай", "ой", "ою", "аю")),  # Марфы, Марфе, Марфай
    "я": ("я", ("і", "и", "е", "ю", "яй", "ей", "ею", "яю")),  # Алесі, Настей, Марыяй
}
# Polish and Łacinka: Aleksandra, Aleksandrowi, Aleksandrem; Marfy, Marfie, Marfę, Marfą.
_MALE_LATIN = {"consonant": ("", ("a", "owi", "em", "u", "ie"))}
_FEMALE_LATIN = {"a": ("a", ("y", "i", "ie", "ę", "ą", "e", "o"))}
_VOWELS = set("аеёіоуыэюяaeiouy")


def _declined(spelling: str, rules: dict[str, tuple[str, tuple[str, ...]]]) -> list[str]:
    last = spelling[-1].lower()
    rule = rules.get(last) or (rules.get("consonant") if last not in _VOWELS else None)
    if rule is None:
        return []
    drop, endings = rule
    stem = spelling[: len(spelling) - len(drop)]
    return [stem + ending for ending in endings]


def _first_name_forms() -> tuple[dict[str, tuple[tuple[int, int], ...]], dict[str, frozenset]]:
    """Every form of every listed first name -> its readings (gender, name number);
    every nominative -> the names it is."""
    forms: dict[str, set[tuple[int, int]]] = {}
    nominatives: dict[str, set[int]] = {}
    lines = [(MALE, line) for line in names(MASCULINE)] + [
        (FEMALE, line) for line in names(FEMININE)
    ]
    for number, (gender, spellings) in enumerate(lines):
        cyrillic, latin = (
            (_MALE_CYRILLIC, _MALE_LATIN) if gender == MALE else (_FEMALE_CYRILLIC, _FEMALE_LATIN)
        )
        for spelling in spellings:
            nominative = _skeleton(spelling)
            nominatives.setdefault(nominative, set()).add(number)
            rules = cyrillic if _CYRILLIC.search(spelling) else latin
            for form in [spelling, *_declined(spelling, rules)]:
                forms.setdefault(_skeleton(form), set()).add((gender, number))
    return (
        {form: tuple(sorted(readings)) for form, readings in forms.items()},
        {nominative: frozenset(numbers) for nominative, numbers in nominatives.items()},
    )


_FORMS, _NAMES = _first_name_forms()
_NAME_GENDER = [MALE] * len(names(MASCULINE)) + [FEMALE] * len(names(FEMININE))


def is_first_name(skeleton: str) -> bool:
    """A form of a listed first name (nominative or declined)."""
    return skeleton in _FORMS


# --- surnames ----------------------------------------------------------------

# Adjectival surnames, as skeletons: Бяляцкі, Бяляцкая, Białacka; declined Бяляцкага,
# Беляцкому, Бяляцкай, Беляцкой, Бяляцкую, Białackiej.
_ADJECTIVE = re.compile(
    r"(.+(?:sk|ck|zk))(aia|uiu|oiu|aiu|iei|ieho|iemu|aha|oho|oha|amu|omu|ai|oi|im|om|a|i)"
)
_ADJECTIVE_FORMS = {
    **dict.fromkeys(("i", "aha", "oho", "oha", "amu", "omu", "im", "om", "ieho", "iemu"), MALE),
    **dict.fromkeys(("aia", "a", "ai", "oi", "uiu", "oiu", "aiu", "iei"), FEMALE),
}
# As a case writes it (a nominative), -ской is a man's name (Трубецкой).
_ADJECTIVE_NOMINATIVES = {"i": MALE, "oi": MALE, "aia": FEMALE, "a": FEMALE}
# Possessive surnames: Рабкоў / Рабкова, Petrov / Petrova, Пушкин / Пушкина. The
# genitive of his is her nominative, and his dative her accusative. Polish
# declines his with -owi and -em (Rabkowowi, Rabkowem), hers with -ej (Rabkowej).
_POSSESSIVE = re.compile(r"(.{2,}(?:ov|ev|av|in))(oiu|aiu|ovi|im|oi|ai|ei|em|a|u|e|)")
_POSSESSIVE_FORMS = {
    "": MALE, "im": MALE, "e": MALE, "ovi": MALE, "em": MALE, "a": BOTH, "u": BOTH,
    "oi": FEMALE, "ai": FEMALE, "ei": FEMALE, "oiu": FEMALE, "aiu": FEMALE,
}  # fmt: skip
_POSSESSIVE_NOMINATIVES = {"": MALE, "a": FEMALE}
# A surname ending in a consonant (Стэфановіч, Новік, Жук) is the same for a
# man and a woman, but only a man's is declined: Стэфановіча, Новіку.
_CONSONANT_ENDINGS = frozenset(
    ("a", "u", "am", "om", "em", "e", "i", "ia", "iu", "iam", "iem", "ovi", "ie")
)
_FEMININE_PATRONYMIC = re.compile(r"[a-z]{3,}(?:ovn|evn|avn|icn)a")


def _gendered(found: re.Match | None, nominatives: dict[str, int]) -> int:
    """The gender of a gendered surname's nominative, if ``found`` is one."""
    return nominatives.get(found[2], UNKNOWN) if found else UNKNOWN


def word_gender(written: str) -> int:
    """The gender a word of a case's names (a nominative) says the person has."""
    names_of = _NAMES.get(written)
    if names_of is not None:
        genders = 0
        for number in names_of:
            genders |= _NAME_GENDER[number]
        return genders if genders != BOTH else UNKNOWN
    return (
        _gendered(_ADJECTIVE.fullmatch(written), _ADJECTIVE_NOMINATIVES)
        or _gendered(_POSSESSIVE.fullmatch(written), _POSSESSIVE_NOMINATIVES)
        or (FEMALE if _FEMININE_PATRONYMIC.fullmatch(written) else UNKNOWN)
    )


def case_gender(words: Iterable[str]) -> int:
    """A case's gender from the skeletons of its names; UNKNOWN where they say
    nothing, or both."""
    genders = 0
    for word in words:
        genders |= word_gender(word)
    return genders if genders != BOTH else UNKNOWN


def lemma(skeleton: str) -> str:
    """What every form of a name shares, whatever its gender and case: Бяляцкі,
    Бяляцкая and Бяляцкага; Рабкоў, Рабкова and Рабковай; Лойка and Лойку."""
    for pattern, forms in ((_ADJECTIVE, _ADJECTIVE_FORMS), (_POSSESSIVE, _POSSESSIVE_FORMS)):
        found = pattern.fullmatch(skeleton)
        if found is not None and found[2] in forms:
            return found[1]
    return strip_ending(skeleton)


# --- one typed word against one written word ---------------------------------


def _own_or_other(genders: int, own: int) -> int:
    """Readings of a form of ``genders`` of a surname written in ``own``'s form:
    the person's in that gender, a relative's in the other."""
    return (genders & own) | (genders & ~own & BOTH) << 2


def _surname(typed: str, written: str) -> tuple[int, bool]:
    """(readings, whether the typed word is the written one declined) by the
    surname's form."""
    for pattern, nominatives, forms in (
        (_ADJECTIVE, _ADJECTIVE_NOMINATIVES, _ADJECTIVE_FORMS),
        (_POSSESSIVE, _POSSESSIVE_NOMINATIVES, _POSSESSIVE_FORMS),
    ):
        found = pattern.fullmatch(written)
        if found is None or found[2] not in nominatives:
            continue
        form = pattern.fullmatch(typed)
        if form is None or form[2] == found[2]:
            # The same form as written, mistyped, or one the pattern does not know.
            return AS_WRITTEN, False
        return _own_or_other(forms[form[2]], nominatives[found[2]]), form[1] == found[1]
    declined = typed.startswith(written) and typed[len(written) :] in _CONSONANT_ENDINGS
    if declined and written[-1] not in "aeiou":
        return OWN_MALE, True
    return AS_WRITTEN, False


def reading(typed: str, written: str, names_in_data: Collection[str] = ()) -> tuple[int, int]:
    """What ``typed`` can be if it stands for ``written`` (both skeletons): its
    readings (the bits above) and how many slips it is from the written word
    (0 as written, 1 declined, else the edits, a swap of two letters counting one).

    ``names_in_data``: the ``lemma`` of every word some case's names hold; a
    typed word that is a form of one of them, and not of this word, is
    somebody's name (or a relative's), not a slip.
    """
    if typed == written:
        return AS_WRITTEN, 0
    typed_lemma = lemma(typed)
    declined = typed_lemma == lemma(written) or strip_ending(typed) == strip_ending(written)
    readings = None
    names_of = _NAMES.get(written)
    typed_names = _FORMS.get(typed, ())
    if names_of is not None and typed_names:
        # A first name: the lists say whose forms the typed word can be.
        readings = 0
        for gender, number in typed_names:
            own = number in names_of
            readings |= gender if own else gender << 2
            declined = declined or own
    if readings is None:
        readings, same_stem = _surname(typed, written)
        declined = declined or same_stem
        for gender, _ in typed_names:
            readings |= gender << 2  # a first name typed for another word
    if not declined and typed_lemma in names_in_data:
        readings = (readings | readings << 2) & OTHERS
    return readings, 1 if declined else slips(typed, written)


def slips(typed: str, written: str) -> int:
    """How many slips of the hand ``typed`` is from ``written``: edits, a swap of two
    letters counting one. Another first letter is another name (Luhienka and
    Huhienka; namesakes are told apart by their initials), so it counts one more,
    unless it is the "i" transliterations add or drop (Yermakou, Ermakov)."""
    edits = OSA.distance(typed, written)
    if typed[:1] != written[:1] and typed.removeprefix("i")[:1] != written.removeprefix("i")[:1]:
        edits += 1
    return edits


def verdict(readings: Iterable[tuple[int, int]], gender: int) -> int:
    """REFUSED, UNSURE or CLEAN: whether typed words, each read against the word
    of a case it stands for (``reading``), name that case, of ``gender``."""
    readings = list(readings)
    # The genders the typed words can all be at once: "Алеся Бяляцкага" is a man's,
    # whatever "Алеся" alone might be.
    allowed = BOTH
    for bits, _ in readings:
        allowed &= (bits | bits >> 2) & BOTH
    if not allowed or (gender and not allowed & gender):
        return REFUSED
    wanted = gender or allowed
    for bits, slips in readings:
        if slips > MAX_SLIPS or not bits & wanted or bits >> 2 & allowed:
            return UNSURE
    return CLEAN
