"""An export's first row: which column holds which field, in which header set and language.

Viasna writes two header sets. The machine one names fields in English
(``MACHINE_COLUMNS``); the labelled one titles them in the page's language
("Name and surname", "Имя и фамилия", "Імя і прозвішча"). A column is
recognised by its folded title (``sync.words.fold``: case, ё/е, apostrophes,
spaces and a byte-order mark do not matter), and becomes one of the machine
field names whatever the header set.

Judges', counsels' and prosecutors' names are never read: their columns are
``DROPPED``, with the photo (a link to a picture we do not show) and the
description (long free text, written for Viasna's page, that a card does not
show). A column nobody knows is listed once, by its title, and ignored.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sync.words import fold

MACHINE_COLUMNS = (
    "id", "url", "name", "status", "gender", "photo", "description", "birthday", "arrested",
    "articles", "prison", "declaration", "decision", "penalty", "judge", "councel",
    "penalty_start_date", "release_date", "verdict_date", "appeal_date", "fake_terrorist_list",
    "died", "clusters",
)  # fmt: skip
# Never kept (see the module docstring); "prosecutor" is a labelled export's column.
DROPPED = frozenset({"judge", "councel", "prosecutor", "photo", "description"})
REQUIRED = ("name", "status")

# Labelled titles, folded, by field: "languages: title" (the languages it is written in).
_TITLES = {
    "name": ("en: name and surname", "ru: имя и фамилия", "be: імя і прозвішча"),
    "status": ("en ru be: статус",),
    "birthday": ("en: date of birth", "ru: дата рождения", "be: дата нараджэння"),
    "gender": ("en: sex", "ru be: пол"),
    "arrested": ("en: date of detention", "ru: дата задержания", "be: дата затрымання"),
    "articles": (
        "en: charges indicted",
        "ru: предъявлены обвинения",
        "ru: предъявленные обвинения",
        "be: прад'яўлены абвінавачванні",
        "be: прад'яўленыя абвінавачванні",
    ),
    "verdict_date": ("en: date of verdict", "ru: дата приговора", "be: дата прысуду"),
    "decision": ("en: sentence", "ru: решение суда", "be: рашэнне суда"),
    "penalty": ("ru: вид наказания", "be: від пакарання"),
    "judge": ("ru: судья", "be: суддзя"),
    "prosecutor": ("en: prosecutor", "ru: прокурор", "be: пракурор"),
    "councel": ("en: counsel", "en: lawyer", "ru: адвокат", "be: адвакат"),
    "prison": ("ru: место заключения", "be: месца зняволення"),
    "release_date": ("en: date of release", "ru: дата освобождения", "be: дата вызвалення"),
}
# "Status", "Gender", "Penalty", "Judge" and "Prison" are English titles and machine names.
_LABELS: dict[str, tuple[str, tuple[str, ...]]] = {
    label: (field, tuple(languages.split()))
    for field, titles in _TITLES.items()
    for languages, _, label in (title.partition(": ") for title in titles)
}
_SHARED = frozenset({"status", "gender", "prison", "penalty", "judge"})


@dataclass(frozen=True, slots=True)
class Header:
    """What the first row says. ``columns``: field -> index, for the fields that are kept."""

    columns: dict[str, int]
    titles: dict[str, str]  # field -> its title as the file writes it
    width: int
    header_set: str  # "machine" | "labelled"
    language: str | None  # a labelled header's language, when its titles tell
    unknown: tuple[str, ...]
    dropped: tuple[str, ...]

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(field for field in REQUIRED if field not in self.columns)


def _title(cell: str) -> str:
    return fold(cell).strip(" \"'*:")


def read_header(cells: list[str]) -> Header:
    columns: dict[str, int] = {}
    titles: dict[str, str] = {}
    unknown: list[str] = []
    dropped: list[str] = []
    machine = labelled = 0
    languages: Counter[str] = Counter()
    seen: set[str] = set()
    for index, cell in enumerate(cells):
        title = _title(cell)
        if title in MACHINE_COLUMNS:
            field = title
            machine += field not in _SHARED
        elif title in _LABELS:
            field, in_languages = _LABELS[title]
            labelled += 1
            if len(in_languages) == 1:
                languages[in_languages[0]] += 1
        else:
            if title:
                unknown.append(cell.strip())
            continue
        if field in seen:
            unknown.append(f"{cell.strip()} (repeated)")
            continue
        seen.add(field)
        if field in DROPPED:
            dropped.append(cell.strip())
            continue
        columns[field] = index
        titles[field] = cell.strip().lstrip("\ufeff")
    ranked = languages.most_common(2)
    language = None
    if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        language = ranked[0][0]
    return Header(
        columns=columns,
        titles=titles,
        width=len(cells),
        header_set="machine" if machine >= labelled else "labelled",
        language=language if labelled > machine else None,
        unknown=tuple(unknown),
        dropped=tuple(dropped),
    )
