"""A person's line in a choice or a list: the name and what tells namesakes apart."""

from __future__ import annotations

from cases.model import Case, localised
from cases.namesakes import Distinction
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
        return localised(app.catalogue.place_name(key), lang) if key else None

    return place_name
