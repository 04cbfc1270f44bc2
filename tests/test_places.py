"""Places of detention as records: the file format, storage, and what cards show."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import date

import pytest

from bench.caseload import generate, place_records
from bot import command_export, command_import
from cases.codec import CaseFormatError
from cases.files import read_caseload_text, read_cases, write_cases
from cases.model import Address, Case, Detention, Place, Source
from fakeapi.harness import ChatDriver
from storage import cases as case_store
from storage.db import connect
from tests.conftest import running_bot

IK4 = Place(
    key="ik-4",
    name={"en": "Penal colony No. 4, Homel", "ru": "ИК-4, Гомель"},
    source=Source("ik-4", "Places of detention", "https://example.org/places/ik-4"),
    as_of=date(2026, 11, 1),
    region="homel",
    address=Address(["ИК-4", "ул. Антошкина, 3", "г. Гомель"], "246035"),
)


def held_in(slug: str, name: str, place: str = "ik-4", **facts) -> Case:
    return Case(
        slug=slug,
        name={"en": name},
        status="sentenced",
        status_as_of=date(2026, 10, 1),
        status_source="s",
        sources=[Source("s", "A source", "https://example.org/s")],
        detained_on=date(2021, 3, 25),
        detention=Detention("s", date(2026, 10, 1), place_key=place),
        **facts,
    )


def write(cases, fmt, places=()) -> str:
    stream = io.StringIO()
    write_cases(cases, fmt, stream, places)
    return stream.getvalue()


@pytest.mark.parametrize("fmt", ["yaml", "json", "csv"])
def test_places_round_trip_in_every_format(fmt):
    cases = [
        held_in("first-person", "First Person", region="brest"),
        held_in("second-person", "Second Person"),
        replace(held_in("third-person", "Third"), detention=None),
    ]
    text = write(cases, fmt, [IK4])
    loaded = read_caseload_text(text, fmt, f"cases.{fmt}")
    assert loaded.cases == cases and loaded.places == [IK4]
    assert write(loaded.cases, fmt, loaded.places) == text
    if fmt == "csv":  # the place's columns ride on each row that names it
        assert text.count("ул. Антошкина, 3") == 2


def test_the_generated_caseload_round_trips():
    cases, places = generate(300), place_records()
    for fmt in ("yaml", "json", "csv"):
        loaded = read_caseload_text(write(cases, fmt, places), fmt, f"x.{fmt}")
        assert loaded.cases == cases
        # CSV carries the places some case names; YAML and JSON every place.
        named = {case.detention.place_key for case in cases if case.detention}
        assert {place.key for place in loaded.places} >= named


def test_a_file_in_the_old_format_still_imports():
    bundled = read_cases(__import__("bot").BUNDLED_CASES)
    # The bundled five are free; one as it was while held, its place written on the case.
    colony = Detention(
        "hrw-2025-12-15",
        date(2025, 7, 14),
        inline_place={"en": "Penal colony No. 4, Homel"},
        inline_address="ИК № 4, вул. Антошкина, 3, 246035, г. Гомель",
    )
    old = [replace(bundled[0], status="sentenced", released_on=None, detention=colony)]
    old += bundled[1:]
    held = old[0]
    assert held.detention.place_key is None and held.detention.inline_place
    text = write(old, "yaml")
    assert "places:" not in text  # no places: the same list of cases as before
    assert read_caseload_text(text, "yaml", "old.yaml").cases == old


@pytest.mark.parametrize(
    ("fmt", "text", "line", "field", "message"),
    [
        (
            "yaml",
            "cases:\n  - slug: one-person\n    name: {en: One}\n    status: detained\n"
            "    status_as_of: 2026-01-01\n    status_source: s\n"
            "    detention: {place: ik-99, source: s, as_of: 2026-01-01}\n"
            "    sources: [{id: s, title: S, url: 'https://example.org'}]\n",
            7,
            "detention.place",
            "unknown place 'ik-99': add it to places (known: none)",
        ),
        (
            "yaml",
            "places:\n  - key: ik-1\n    name: {en: Colony}\n    source: {title: S, url: x}\n"
            "    as_of: 2026-01-01\ncases: []\n",
            4,
            "places[0].source.url",
            'must be an http(s) URL, got "x"',
        ),
        (
            "yaml",
            "places:\n  - key: ik-1\n    name: {en: Colony}\n    region: Atlantis\n"
            "    source: {title: S, url: 'https://e.org'}\n    as_of: 2026-01-01\ncases: []\n",
            4,
            "places[0].region",
            "must be one of brest, homel, hrodna, mahiliou, minsk, minsk-city, vitsebsk; "
            'got "Atlantis"',
        ),
        (
            "yaml",
            "cases:\n  - slug: one-person\n    name: {en: One}\n    status: detained\n"
            "    status_as_of: 2026-01-01\n    status_source: s\n"
            "    detention: {place: ik-1, address: Somewhere, source: s, as_of: 2026-01-01}\n"
            "    sources: [{id: s, title: S, url: 'https://example.org'}]\n",
            7,
            "detention.address",
            "belongs to the place record when place is a key",
        ),
    ],
)  # fmt: skip
def test_bad_places_are_refused_with_line_and_field(fmt, text, line, field, message):
    with pytest.raises(CaseFormatError) as caught:
        read_caseload_text(
            text, fmt, f"cases.{fmt}", known_places={"ik-1"} if "ik-1" in text else ()
        )
    assert (caught.value.line, caught.value.field, caught.value.message) == (line, field, message)


def test_csv_rows_naming_one_place_must_agree():
    text = write(
        [held_in("first-person", "First"), held_in("second-person", "Second")], "csv", [IK4]
    )
    lines = text.splitlines()
    lines[2] = lines[2].replace("246035", "246036")
    with pytest.raises(CaseFormatError) as caught:
        read_caseload_text("\n".join(lines), "csv", "cases.csv")
    assert caught.value.line == 3
    assert caught.value.message == "place 'ik-4' differs from the one on line 2"


def test_a_case_may_name_a_place_already_stored():
    text = write([held_in("first-person", "First")], "json")
    assert json.loads(text)[0]["detention"]["place"] == "ik-4"
    with pytest.raises(CaseFormatError):
        read_caseload_text(text, "json", "cases.json")
    assert read_caseload_text(text, "json", "cases.json", known_places={"ik-4"}).places == []


async def test_one_new_address_changes_every_card(settings, api, tmp_path):
    db = await connect(settings.db_path)
    people = [held_in(f"person-{n}", f"Person Number{n}", region="homel") for n in range(3)]
    await case_store.merge_cases(db, people, places=[IK4])
    await db.close()
    async with running_bot(settings, api) as application:
        driver = ChatDriver(application, api, raise_errors=True)
        card = (await driver.send("/start person-1"))[0].plain
        assert "Held in: Penal colony No. 4, Homel, as of 1 October 2026 [1]" in card
        assert (
            "Letters to: ИК-4, ул. Антошкина, 3, г. Гомель, 246035, "
            "as of 1 November 2026, Places of detention"
        ) in card
        assert "From: Homel region" in card

        # The organisation corrects the colony's address once, by importing the place.
        moved = replace(IK4, address=Address(["ИК-4", "ул. Новая, 1", "г. Гомель"], "246000"))
        file = tmp_path / "places.yaml"
        file.write_text(write([], "yaml", [moved]))
        assert await command_import(settings, file) == 0
        services = application.bot_data["services"]
        await services.reload_catalogue(off_loop=False)
        for number in range(3):
            card = (await driver.send(f"/start person-{number}"))[0].plain
            assert "Letters to: ИК-4, ул. Новая, 1, г. Гомель, 246000" in card

    target = tmp_path / "export.yaml"
    assert await command_export(settings, "yaml", target) == 0
    exported = read_caseload_text(target.read_text(), "yaml", "export.yaml")
    assert exported.places == [moved]
    assert {case.slug for case in exported.cases} >= {"person-0", "person-1", "person-2"}
