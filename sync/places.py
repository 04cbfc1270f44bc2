"""The prison column: a place of detention with its postal address, or "released".

Viasna writes the facility's name, a line break (sometimes a ";" instead),
then its postal address: ``ИК-9\\n213410, г. Горки, ул. Добролюбова, 16``.
The address becomes envelope lines and a postcode (Belarusian postcodes are
six digits starting with 2), as ``places[].address`` in docs/case-format.md.
A single word, "released" in the page's language, says the person is free;
"at liberty before serving the sentence" that a sentence was passed and not
(yet) served; an empty or "unknown" cell says nothing.

``normalised_key`` lets a stored place be found by the name the export
writes: "ИК №9", "ИК-9", "Исправительная колония № 9" and "IK 9" all give
``ик-9``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from sync.cells import CACHE
from sync.words import AT_LIBERTY_STARTS, RELEASED, UNKNOWN, fold


@dataclass(frozen=True, slots=True)
class PlaceCell:
    kind: str  # "place" | "released" | "at_liberty"
    text: str  # the cell as written
    name: str | None = None  # kind "place": the facility's name
    address_lines: tuple[str, ...] = ()  # top to bottom, without the postcode
    postcode: str | None = None

    @property
    def normalised_key(self) -> str | None:
        return place_key(self.name) if self.name else None


_POSTCODE = re.compile(r"(?<!\d)2\d{5}(?!\d)")


@lru_cache(maxsize=CACHE)
def prison_cell(text: str) -> PlaceCell | None:
    written = text.strip()
    folded = fold(written).rstrip(";.")
    if folded in UNKNOWN:
        return None
    if folded in RELEASED:
        return PlaceCell("released", written)
    if folded.startswith(AT_LIBERTY_STARTS):
        return PlaceCell("at_liberty", written)
    lines = [line.strip(" ;,") for line in written.splitlines()]
    lines = [line for line in lines if line]
    if len(lines) == 1:
        name, _, rest = lines[0].partition(";")
        if not rest and _POSTCODE.search(name):
            # One line, commas only: "ИК-9, ул. Добролюбова, 16, 213410, г. Горки".
            name, _, rest = name.partition(",")
        lines = [name.strip(" ,")] + ([rest.strip(" ;,")] if rest.strip(" ;,") else [])
    if not any(lines):
        return None
    address, postcode = _address(lines[1:]) if lines[1:] else ((), None)
    return PlaceCell("place", written, lines[0] or None, address, postcode)


def _address(lines: list[str]) -> tuple[tuple[str, ...], str | None]:
    """Envelope lines and the postcode from what follows the facility's name.

    One line of commas ("213410, г. Горки, ул. Добролюбова, 16") is cut at
    its commas, a house number kept with its street; lines written apart are
    kept as they are. The postcode is taken out wherever it stands.
    """
    parts = [part.strip() for part in lines[0].split(",")] if len(lines) == 1 else lines
    kept: list[str] = []
    postcode = None
    for part in parts:
        found = _POSTCODE.search(part) if postcode is None else None
        if found:
            postcode = found.group()
            part = (part[: found.start()] + part[found.end() :]).strip(" ,")
        if not part:
            continue
        if kept and len(lines) == 1 and part[:1].isdigit():
            kept[-1] += ", " + part  # "ул. Добролюбова, 16"
        else:
            kept.append(part)
    return tuple(kept), postcode


# Kinds of facility, in any language, and the short name each comes down to.
_KINDS = [
    (re.compile(pattern), short)
    for pattern, short in (
        (r"исправительн\w* колони\w*|выпраўленч\w* калоні\w*|папраўч\w* калоні\w*", "ик"),
        (r"(?:penal|correctional|corrective) colony", "ик"),
        (r"следственн\w* изолятор\w*|следч\w* ізалятар\w*", "сизо"),
        (
            r"remand (?:prison|centre|center)|pre-?trial detention (?:centre|center|facility)",
            "сизо",
        ),
        (r"изолятор\w* временного содержания|ізалятар\w* часовага ўтрымання", "ивс"),
        (r"лечебно-трудов\w* профилактори\w*|лячэбна-працоўн\w* прафілакторы\w*", "лтп"),
        (r"тюрьм\w*|турм\w*|\bprison\b", "тюрьма"),
    )
]
_SHORT = {
    "ik": "ик", "вк": "ик", "пк": "ик", "sizo": "сизо", "сізо": "сизо", "сіза": "сизо",
    "сиза": "сизо", "ivs": "ивс", "ltp": "лтп",
}  # fmt: skip
# Words that say nothing of which place: numbers' signs, "town", "of".
_NOISE = frozenset(
    {"№", "no", "n", "nr", "номер", "г", "гор", "город", "горад", "city", "town", "of", "the"}
)
_TOKEN = re.compile(r"[^\W\d_]+|\d+")
_KEY_FOLD = str.maketrans({"і": "и", "ў": "у", "'": None, "«": None, "»": None, '"': None})


@lru_cache(maxsize=CACHE)
def place_key(name: str) -> str:
    """A place's name reduced for matching: case, quotes, "№", the kind's long name folded."""
    folded = fold(name)
    for pattern, short in _KINDS:
        folded = pattern.sub(short, folded)
    folded = folded.translate(_KEY_FOLD)
    words = [_SHORT.get(word, word) for word in _TOKEN.findall(folded)]
    return "-".join(word for word in words if word not in _NOISE)
