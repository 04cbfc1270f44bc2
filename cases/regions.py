"""Belarus's regions: the keys a case file uses, and the words people type for them.

A region's name on screen is a text (``messages/templates/labels_places.j2``);
here are only its keys and the spellings a search recognises, in every
language and transliteration people use ("Гомель", "Homel", "Gomel",
"Гомельская", "Homla"), so "Ковалёв Гомель" narrows a search to the Homel
region.
"""

from __future__ import annotations

import re

# Minsk the city is a region of its own, as in the country's administration.
REGIONS = ("brest", "homel", "hrodna", "mahiliou", "minsk", "minsk-city", "vitsebsk")

# Word beginnings (folded: lower case, ё as е) that name a region, in Belarusian,
# Russian, English and Polish spellings. A stem matches a word that starts with
# it: "гомел" is Гомель, Гомеле, Гомельская, Гомельской.
_STEMS = {
    "brest": "brest brzes brześ bierasc bierašč брест брэст берасц",
    "homel": "homel homiel gomel homl гомел гомл",
    "hrodna": "hrodn grodn grodz гродн гародн гродз",
    "mahiliou": "mahil mogil mohyl mohil магіл магил могил",
    "minsk": "minsk mińsk минск мінск",
    "vitsebsk": "vitsebsk vitebsk witebsk viciebsk віцеб витеб вицеб",
}
# The city and its region share a stem: a bare city name means either.
_BOTH_MINSKS = frozenset({"minsk", "minsk-city"})
# Words that say "region" or "city" next to a region's name: dropped with it.
_REGION_WORDS = (
    "область обл вобласць вобл region oblast obwód obwod voblast г горад город city miasto"
)
REGION_WORDS = frozenset(_REGION_WORDS.split())
_CITY_WORDS = frozenset(["г", "горад", "город", "city", "miasto"])
_FOLD = str.maketrans({"ё": "е", "’": "'"})
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def fold(word: str) -> str:
    return word.casefold().translate(_FOLD)


_BY_STEM: list[tuple[str, str]] = sorted(
    ((stem, region) for region, stems in _STEMS.items() for stem in stems.split()),
    key=lambda pair: -len(pair[0]),
)


def regions_named(word: str) -> frozenset[str]:
    """The regions ``word`` names (empty when it names none)."""
    folded = fold(word)
    if len(folded) < 4:
        return frozenset()
    for stem, region in _BY_STEM:
        if folded.startswith(stem):
            return _BOTH_MINSKS if region == "minsk" else frozenset({region})
    return frozenset()


def is_region_word(word: str) -> bool:
    """A word such as "область" or "region" that goes with a region's name."""
    return fold(word).rstrip(".") in REGION_WORDS


def regions_meant(text: str) -> frozenset[str]:
    """The regions ``text`` names when it is nothing but a region's name ("Homel",
    "Гомельская вобласць", "Minsk region"); empty when any word is something else.

    A bare "Minsk" names both the city and its region, as everywhere here; with
    "region" ("Мінская вобласць") it is the region, with "city" the city.
    """
    found: frozenset[str] = frozenset()
    said: set[str] = set()
    for word in text.split():
        bare = word.strip(",.;:()")
        if is_region_word(bare):
            said.add("city" if fold(bare).rstrip(".") in _CITY_WORDS else "region")
            continue
        named = regions_named(bare)
        if not named:
            return frozenset()
        found |= named
    if found == _BOTH_MINSKS and len(said) == 1:
        return frozenset({"minsk-city" if "city" in said else "minsk"})
    return found
