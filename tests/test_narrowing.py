"""A birth year or region typed with a name: read in every spelling, applied after the name."""

from __future__ import annotations

from datetime import date

import pytest

from cases.catalogue import Catalogue, narrowing
from cases.model import Case, Source
from cases.regions import regions_named
from cases.search import Unmet


@pytest.mark.parametrize(
    ("word", "regions"),
    [
        ("Гомель", {"homel"}), ("Homel", {"homel"}), ("Gomel", {"homel"}),
        ("Гомельская", {"homel"}), ("Гомельскай", {"homel"}), ("Homla", {"homel"}),
        ("Гародня", {"hrodna"}), ("Grodno", {"hrodna"}), ("Брэст", {"brest"}),
        ("Brześć", {"brest"}), ("Магілёў", {"mahiliou"}), ("Могилёв", {"mahiliou"}),
        ("Віцебск", {"vitsebsk"}), ("Witebsk", {"vitsebsk"}),
        ("Мінск", {"minsk", "minsk-city"}), ("Mińsk", {"minsk", "minsk-city"}),
        ("Kavaliou", set()), ("Ales", set()), ("Гом", set()),
    ],
)  # fmt: skip
def test_a_region_in_any_language_and_spelling(word, regions):
    assert regions_named(word) == regions


def test_a_query_splits_into_a_name_and_what_narrows_it():
    assert narrowing("Kavaliou 1979") == narrowing("1979 Kavaliou")
    found = narrowing("Ковалёв, Гомельская область 1979")
    assert (found.name, found.year, found.regions) == ("Ковалёв,", 1979, frozenset({"homel"}))
    assert narrowing("Kavaliou") is None
    assert narrowing("1979") is None  # nothing left to search by


def person(slug: str, name: str, born: int, region: str | None) -> Case:
    return Case(
        slug=slug,
        name={"en": name},
        status="detained",
        status_as_of=date(2026, 1, 1),
        status_source="s",
        sources=[Source("s", "S", "https://example.org")],
        birth_date=date(born, 5, 1),
        region=region,
    )


CATALOGUE = Catalogue(
    [
        person("ivan-kavaliou", "Ivan Kavaliou", 1979, "homel"),
        person("ivan-kavaliou-2", "Ivan Kavaliou", 1985, "homel"),
        person("ivan-kavaliou-3", "Ivan Kavaliou", 1979, "brest"),
        person("ivan-mogilevsky", "Ivan Mogilevsky", 1990, None),
        person("ivan-petrou", "Ivan Petrou", 1990, "mahiliou"),
    ]
)


def test_a_year_and_a_region_narrow_namesakes_to_one_card():
    assert CATALOGUE.search("Ivan Kavaliou").total == 3
    narrowed = CATALOGUE.search("Ivan Kavaliou Гомель")
    assert (narrowed.kind, narrowed.all_slugs) == ("choose", ("ivan-kavaliou", "ivan-kavaliou-2"))
    assert CATALOGUE.search("Kavaliou Homel 1979").slugs == ("ivan-kavaliou",)
    assert CATALOGUE.search("Kavaliou 1985").kind == "match"


def test_nobody_fitting_leaves_the_name_alone():
    assert CATALOGUE.search("Ivan Kavaliou 2001").total == 3


def test_a_surname_that_reads_like_a_region_is_still_found():
    assert CATALOGUE.search("Ivan Mogilevsky").slugs == ("ivan-mogilevsky",)


def test_a_year_never_turns_someone_elses_form_into_a_card():
    """ "Kavaliova 1985" may be his genitive or a woman born that year: only he is
    born then, but he is suggested, not opened; a clearly masculine form is his."""
    narrowed = CATALOGUE.search("Kavaliova 1985")
    assert (narrowed.kind, narrowed.suggestions) == ("none", ("ivan-kavaliou-2",))
    assert CATALOGUE.search("Kavaliovym 1985").slugs == ("ivan-kavaliou-2",)
    assert CATALOGUE.search("Кавалёвым 1985").kind == "match"


def test_a_region_that_fits_nobody_is_said_and_the_namesakes_kept():
    """ "no Ivan Kavaliou from Minsk": the choice holds them all, and says so."""
    narrowed = CATALOGUE.search("Ivan Kavaliou Мінск")
    assert (narrowed.kind, narrowed.total) == ("choose", 3)
    assert narrowed.unmet == Unmet("Ivan Kavaliou", None, ("minsk", "minsk-city"))
    assert CATALOGUE.search("Ivan Kavaliou 2001").unmet == Unmet("Ivan Kavaliou", 2001)
    # What fits somebody says nothing more.
    assert CATALOGUE.search("Ivan Kavaliou Гомель").unmet is None


def test_a_lone_namesake_who_does_not_fit_is_suggested_not_opened():
    narrowed = CATALOGUE.search("Petrou Homel 1990")
    assert (narrowed.kind, narrowed.suggestions, narrowed.unsure) == (
        "none",
        ("ivan-petrou",),
        ("ivan-petrou",),
    )
    assert narrowed.unmet == Unmet("Petrou", 1990, ("homel",))
    assert CATALOGUE.search("Petrou Mahiliou").kind == "match"
