"""The cases table: load, store and merge case documents."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import aiosqlite

from cases.codec import case_from_dict, case_to_dict, place_from_dict, place_to_dict
from cases.model import Case, Place, attach_places
from storage.db import timestamp, transaction


@dataclass
class MergeReport:
    added: list[str] = field(default_factory=list)
    # The added cases themselves, their places attached: what a newcomer's alert names.
    new_cases: list[Case] = field(default_factory=list, compare=False, repr=False)
    changed: list[tuple[Case, Case]] = field(default_factory=list)  # (before, after)
    unchanged: list[str] = field(default_factory=list)
    places_added: list[str] = field(default_factory=list)
    places_changed: list[tuple[Place, Place]] = field(default_factory=list)  # (before, after)


def _row_values(case: Case) -> tuple:
    iso = lambda day: day.isoformat() if day else None  # noqa: E731
    return (
        case.slug,
        case.name["en"],
        case.status,
        case.status_as_of.isoformat(),
        iso(case.birth_date),
        iso(case.detained_on),
        iso(case.released_on),
        json.dumps(case_to_dict(case), ensure_ascii=False),
        timestamp(),
        case.detention.place_key if case.detention else None,
        case.region,
    )


def _place_values(place: Place) -> tuple:
    record = json.dumps(place_to_dict(place), ensure_ascii=False)
    return (place.key, place.name["en"], place.region, record, timestamp())


def _from_row(row: aiosqlite.Row) -> Case:
    return case_from_dict(json.loads(row["record"]), f"database case {row['slug']}")


async def load_cases(db: aiosqlite.Connection) -> list[Case]:
    async with db.execute("SELECT slug, record FROM cases ORDER BY name_en") as cursor:
        return [_from_row(row) for row in await cursor.fetchall()]


def _place_from_row(row: aiosqlite.Row) -> Place:
    return place_from_dict(json.loads(row["record"]), f"database place {row['key']}")


async def load_places(db: aiosqlite.Connection) -> list[Place]:
    async with db.execute("SELECT key, record FROM places ORDER BY name_en") as cursor:
        return [_place_from_row(row) for row in await cursor.fetchall()]


async def place_keys(db: aiosqlite.Connection) -> set[str]:
    async with db.execute("SELECT key FROM places") as cursor:
        return {row[0] for row in await cursor.fetchall()}


async def get_case(db: aiosqlite.Connection, slug: str) -> Case | None:
    async with db.execute("SELECT slug, record FROM cases WHERE slug = ?", (slug,)) as cursor:
        row = await cursor.fetchone()
    return _from_row(row) if row else None


async def case_version(db: aiosqlite.Connection) -> int:
    """A number that changes whenever any process adds, changes or removes a case."""
    async with db.execute("SELECT version FROM case_version WHERE id = 1") as cursor:
        return (await cursor.fetchone())[0]


async def count_cases(db: aiosqlite.Connection) -> int:
    async with db.execute("SELECT count(*) FROM cases") as cursor:
        return (await cursor.fetchone())[0]


_UPSERT = """INSERT INTO cases (slug, name_en, status, status_as_of, birth_date, detained_on,
                              released_on, record, updated_at, place_key, region)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (slug) DO UPDATE SET
               name_en = excluded.name_en, status = excluded.status,
               status_as_of = excluded.status_as_of, birth_date = excluded.birth_date,
               detained_on = excluded.detained_on, released_on = excluded.released_on,
               record = excluded.record, updated_at = excluded.updated_at,
               place_key = excluded.place_key, region = excluded.region"""
_UPSERT_PLACE = """INSERT INTO places (key, name_en, region, record, updated_at)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (key) DO UPDATE SET
               name_en = excluded.name_en, region = excluded.region,
               record = excluded.record, updated_at = excluded.updated_at"""


async def save_case(db: aiosqlite.Connection, case: Case) -> None:
    await db.execute(_UPSERT, _row_values(case))


async def plan_merge(
    db: aiosqlite.Connection, incoming: list[Case], places: list[Place] = ()
) -> MergeReport:
    """What merging ``incoming`` by slug (and ``places`` by key) would add, change and
    leave alone."""
    # One query for the stored records, not one per case: a file may hold thousands.
    async with db.execute("SELECT slug, record FROM cases") as cursor:
        stored = {row["slug"]: row["record"] for row in await cursor.fetchall()}
    async with db.execute("SELECT key, record FROM places") as cursor:
        stored_places = {row["key"]: row for row in await cursor.fetchall()}
    report = MergeReport()
    for case in incoming:
        record = stored.get(case.slug)
        if record is None:
            report.added.append(case.slug)
            report.new_cases.append(case)
        elif json.loads(record) != case_to_dict(case):
            before = case_from_dict(json.loads(record), f"database case {case.slug}")
            report.changed.append((before, case))
        else:
            report.unchanged.append(case.slug)
    # What a change alert says of a place is its name and address, before and after;
    # of a new case, where it is held.
    if any(case.detention for pair in report.changed for case in pair) or any(
        case.detention for case in report.new_cases
    ):
        old = {key: _place_from_row(row) for key, row in stored_places.items()}
        attach_places((before for before, _ in report.changed), old)
        attach_places(incoming, {**old, **{place.key: place for place in places}})
    for place in places:
        row = stored_places.get(place.key)
        if row is None:
            report.places_added.append(place.key)
        elif json.loads(row["record"]) != place_to_dict(place):
            report.places_changed.append((_place_from_row(row), place))
    return report


async def merge_cases(
    db: aiosqlite.Connection, incoming: list[Case], on_merged=None, places: list[Place] = ()
) -> MergeReport:
    """Merge by slug (places by key) in one transaction: all of ``incoming`` and
    ``places`` lands, or none of it. A case may name a place stored before.

    ``on_merged(db, report)`` runs inside the same transaction, so work that
    follows from the change (queuing case-update alerts) commits with it.
    """
    async with transaction(db):
        report = await plan_merge(db, incoming, places)
        # Places first: a case's place_key must name a stored place.
        await db.executemany(_UPSERT_PLACE, [_place_values(place) for place in places])
        await db.executemany(_UPSERT, [_row_values(case) for case in incoming])
        if on_merged is not None:
            await on_merged(db, report)
    return report
