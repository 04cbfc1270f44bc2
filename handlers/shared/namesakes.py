"""A person's line in a choice or a list: the name and what tells namesakes apart."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from cases.model import Case, localised
from cases.namesakes import Distinction, distinctions
from handlers.shared.services import Services


def namesake_label(app: Services, lang: str, shown: Distinction, detail_only=False) -> str:
    """One person's line in a choice: the name and what tells them apart."""
    values = {
        "born": shown.born,
        "region_key": shown.region,
        "status": shown.status,
        "year": shown.year,
        "place": shown.place,
        "tag": shown.tag,
    }
    if detail_only:
        return app.messages.label("namesake_detail", lang, **values)
    return app.messages.label("namesake", lang, name=shown.name, **values)


def place_namer(app: Services, lang: str):
    def place_name(case: Case) -> str | None:
        key = app.catalogue.place_key(case)
        return app.messages.loc(app.catalogue.place_name(key), lang) if key else None

    return place_name


def lines_told_apart(app: Services, lang: str, cases: list[Case]) -> dict[str, str]:
    """Every person's line in a choice (by slug): the name and what tells them apart."""
    shown = distinctions(cases, lang, place_namer(app, lang))
    return {case.slug: namesake_label(app, lang, shown[case.slug]) for case in cases}


def names_told_apart(
    app: Services,
    lang: str,
    cases: list[Case],
    among: list[Case] | None = None,
    name_of: Callable[[Case], str] | None = None,
) -> dict[str, str]:
    """Every person's name in ``cases`` (by slug); where a name is shared within
    ``among`` (default: ``cases``, or a whole list of which they are one page), the
    line of a choice instead, so no two buttons of the list read the same.
    ``name_of`` writes a name (default: as it is written in ``lang``).

    Only the namesakes of the people shown are told apart: a page of eight
    costs eight labels, not one per namesake in a caseload of thousands.
    """
    among = cases if among is None else among
    if name_of is None:

        def name_of(case: Case) -> str:
            return localised(case.name, lang)

    names = {case.slug: name_of(case) for case in cases}
    shared = Counter(name_of(case) for case in among)
    repeated = {name for name in names.values() if shared[name] > 1}
    if not repeated:
        return names
    namesakes = [case for case in among if name_of(case) in repeated]
    shown = distinctions(namesakes, lang, place_namer(app, lang), name_of)
    for case in cases:
        if names[case.slug] in repeated:
            names[case.slug] = namesake_label(app, lang, shown[case.slug])
    return names
