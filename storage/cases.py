"""The cases table: load, store and merge case documents."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import aiosqlite

from cases.codec import case_from_dict, case_to_dict
from cases.model import Case
from storage.db import timestamp, transaction


@dataclass
class MergeReport:
    added: list[str] = field(default_factory=list)
    changed: list[tuple[Case, Case]] = field(default_factory=list)  # (before, after)
    unchanged: list[str] = field(default_factory=list)


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
    )


def _from_row(row: aiosqlite.Row) -> Case:
    return case_from_dict(json.loads(row["record"]), f"database case {row['slug']}")


async def load_cases(db: aiosqlite.Connection) -> list[Case]:
    async with db.execute("SELECT slug, record FROM cases ORDER BY name_en") as cursor:
        return [_from_row(row) for row in await cursor.fetchall()]


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
                              released_on, record, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (slug) DO UPDATE SET
               name_en = excluded.name_en, status = excluded.status,
               status_as_of = excluded.status_as_of, birth_date = excluded.birth_date,
               detained_on = excluded.detained_on, released_on = excluded.released_on,
               record = excluded.record, updated_at = excluded.updated_at"""


async def save_case(db: aiosqlite.Connection, case: Case) -> None:
    await db.execute(_UPSERT, _row_values(case))


async def plan_merge(db: aiosqlite.Connection, incoming: list[Case]) -> MergeReport:
    """What merging ``incoming`` by slug would add, change and leave alone."""
    # One query for the stored records, not one per case: a file may hold thousands.
    async with db.execute("SELECT slug, record FROM cases") as cursor:
        stored = {row["slug"]: row["record"] for row in await cursor.fetchall()}
    report = MergeReport()
    for case in incoming:
        record = stored.get(case.slug)
        if record is None:
            report.added.append(case.slug)
        elif json.loads(record) != case_to_dict(case):
            before = case_from_dict(json.loads(record), f"database case {case.slug}")
            report.changed.append((before, case))
        else:
            report.unchanged.append(case.slug)
    return report


async def merge_cases(
    db: aiosqlite.Connection, incoming: list[Case], on_merged=None
) -> MergeReport:
    """Merge by slug in one transaction: all of ``incoming`` lands, or none of it.

    ``on_merged(db, report)`` runs inside the same transaction, so work that
    follows from the change (queuing case-update alerts) commits with it.
    """
    async with transaction(db):
        report = await plan_merge(db, incoming)
        await db.executemany(_UPSERT, [_row_values(case) for case in incoming])
        if on_merged is not None:
            await on_merged(db, report)
    return report
