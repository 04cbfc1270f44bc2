"""Snapshots of the list of political prisoners and the changes they propose.

Nothing here commits: every function runs inside the caller's transaction
(``storage.db.transaction``), so a snapshot and its changes land together, and
an applied change's state with the cases it changed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

import aiosqlite

from storage.db import timestamp
from sync.reconcile import Proposal


@dataclass(frozen=True)
class Snapshot:
    id: int
    read_at: str
    as_of: date
    origin: str  # "cli", "upload", "fetch"
    files: list[dict]
    row_count: int
    checksum: str
    columns: frozenset[str]
    held_reason: str | None
    state: str


@dataclass(frozen=True)
class StoredChange:
    key: str
    snapshot_id: int
    kind: str
    person: str
    slug: str | None
    place: str | None
    what: str
    facts: dict
    candidates: tuple[str, ...]
    state: str
    outcome: str | None
    as_of: date  # its snapshot's: what the change's facts are as of


def _snapshot(row: aiosqlite.Row) -> Snapshot:
    return Snapshot(
        id=row["id"],
        read_at=row["read_at"],
        as_of=date.fromisoformat(row["as_of"]),
        origin=row["origin"],
        files=json.loads(row["files"]),
        row_count=row["row_count"],
        checksum=row["checksum"],
        columns=frozenset(json.loads(row["columns"])),
        held_reason=row["held_reason"],
        state=row["state"],
    )


_CHANGE_COLUMNS = """c.rowid, c.key, c.snapshot_id, c.kind, c.person, c.slug, c.place, c.what,
    c.facts, c.candidates, c.state, c.outcome, s.as_of"""


def _change(row: aiosqlite.Row) -> StoredChange:
    return StoredChange(
        key=row["key"],
        snapshot_id=row["snapshot_id"],
        kind=row["kind"],
        person=row["person"],
        slug=row["slug"],
        place=row["place"],
        what=row["what"],
        facts=json.loads(row["facts"]),
        candidates=tuple(json.loads(row["candidates"])),
        state=row["state"],
        outcome=row["outcome"],
        as_of=date.fromisoformat(row["as_of"]),
    )


async def last_applied(db: aiosqlite.Connection) -> Snapshot | None:
    """The newest snapshot any change was applied from: what a new export is compared with."""
    async with db.execute(
        "SELECT * FROM sync_snapshots WHERE state = 'applied' ORDER BY id DESC LIMIT 1"
    ) as cursor:
        row = await cursor.fetchone()
    return _snapshot(row) if row else None


async def latest(db: aiosqlite.Connection) -> Snapshot | None:
    async with db.execute("SELECT * FROM sync_snapshots ORDER BY id DESC LIMIT 1") as cursor:
        row = await cursor.fetchone()
    return _snapshot(row) if row else None


async def snapshot(db: aiosqlite.Connection, snapshot_id: int) -> Snapshot | None:
    async with db.execute("SELECT * FROM sync_snapshots WHERE id = ?", (snapshot_id,)) as cursor:
        row = await cursor.fetchone()
    return _snapshot(row) if row else None


async def store_snapshot(
    db: aiosqlite.Connection,
    *,
    as_of: date,
    origin: str,
    files: list[dict],
    row_count: int,
    checksum: str,
    columns: frozenset[str],
    held_reason: str | None,
) -> int:
    cursor = await db.execute(
        """INSERT INTO sync_snapshots
               (read_at, as_of, origin, files, row_count, checksum, columns, held_reason, state)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            timestamp(),
            as_of.isoformat(),
            origin,
            json.dumps(files, ensure_ascii=False),
            row_count,
            checksum,
            json.dumps(sorted(columns)),
            held_reason,
            "held" if held_reason else "pending",
        ),
    )
    return cursor.lastrowid


async def store_changes(
    db: aiosqlite.Connection, snapshot_id: int, proposals: list[Proposal], held: bool
) -> int:
    """Store what ``proposals`` add; return how many changes now wait that did not before.

    A change already stored is the same change (its key is its facts): it keeps
    its state, except that one superseded or held comes back to wait under this
    snapshot. A pending change this (trusted) export no longer proposes is
    superseded: the list moved on. One an editor skipped stays skipped.
    """
    now = timestamp()
    state = "held" if held else "pending"
    await _remember_keys(db, "proposed", [proposal.key for proposal in proposals])
    async with db.execute(
        "SELECT key, state FROM sync_changes WHERE key IN (SELECT key FROM proposed)"
    ) as cursor:
        stored = {key: old_state for key, old_state in await cursor.fetchall()}
    revived = [key for key, old in stored.items() if old in ("held", "superseded")]
    fresh = [proposal for proposal in proposals if proposal.key not in stored]
    await db.executemany(
        """INSERT INTO sync_changes
               (key, snapshot_id, kind, person, slug, place, what, facts, candidates, state,
                created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            (
                proposal.key,
                snapshot_id,
                proposal.kind,
                proposal.person,
                proposal.slug,
                proposal.place,
                proposal.what,
                json.dumps(proposal.facts, ensure_ascii=False, sort_keys=True),
                json.dumps(list(proposal.candidates)),
                state,
                now,
            )
            for proposal in fresh
        ],
    )
    await db.executemany(
        "UPDATE sync_changes SET state = ?, snapshot_id = ?, decided_at = NULL WHERE key = ?",
        [(state, snapshot_id, key) for key in revived],
    )
    if not held:
        await db.execute(
            """UPDATE sync_changes SET state = 'superseded', decided_at = ?
               WHERE state IN ('pending', 'held') AND key NOT IN (SELECT key FROM proposed)""",
            (now,),
        )
    await db.execute("DELETE FROM proposed")
    return len(fresh) + len(revived)


async def _remember_keys(db: aiosqlite.Connection, table: str, keys: list[str]) -> None:
    """``keys`` in a temporary table of this connection (thousands do not fit in an IN list)."""
    await db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table} (key TEXT PRIMARY KEY)")
    await db.execute(f"DELETE FROM {table}")
    await db.executemany(f"INSERT OR IGNORE INTO {table} VALUES (?)", [(k,) for k in keys])


async def changes(
    db: aiosqlite.Connection,
    *,
    states: tuple[str, ...] = ("pending",),
    kinds: tuple[str, ...] | None = None,
    keys: list[str] | None = None,
) -> list[StoredChange]:
    """Changes in ``states`` (of ``kinds``; or of ``keys``), the oldest first. Read only."""
    sql = f"""SELECT {_CHANGE_COLUMNS} FROM sync_changes c
              JOIN sync_snapshots s ON s.id = c.snapshot_id
              WHERE c.state IN ({",".join("?" * len(states))})"""
    parameters: list = list(states)
    if kinds is not None:
        sql += f" AND c.kind IN ({','.join('?' * len(kinds))})"
        parameters += kinds
    if keys is None:
        async with db.execute(sql + " ORDER BY c.snapshot_id, c.rowid", parameters) as cursor:
            return [_change(row) for row in await cursor.fetchall()]
    found = []
    for start in range(0, len(keys), _KEYS_AT_ONCE):
        chunk = keys[start : start + _KEYS_AT_ONCE]
        query = sql + f" AND c.key IN ({','.join('?' * len(chunk))})"
        async with db.execute(query, [*parameters, *chunk]) as cursor:
            found += [
                (row["snapshot_id"], row["rowid"], _change(row)) for row in await cursor.fetchall()
            ]
    return [stored for *_, stored in sorted(found, key=lambda item: item[:2])]


_KEYS_AT_ONCE = 500  # SQLite's limit on parameters is far above; a statement stays small


async def change(db: aiosqlite.Connection, key: str) -> StoredChange | None:
    async with db.execute(
        f"""SELECT {_CHANGE_COLUMNS} FROM sync_changes c
            JOIN sync_snapshots s ON s.id = c.snapshot_id WHERE c.key = ?""",
        (key,),
    ) as cursor:
        row = await cursor.fetchone()
    return _change(row) if row else None


async def counts(
    db: aiosqlite.Connection,
    states: tuple[str, ...] = ("pending",),
    snapshot_id: int | None = None,
) -> dict:
    """Changes by kind in ``states`` (of one snapshot, with ``snapshot_id``)."""
    sql = f"SELECT kind, count(*) FROM sync_changes WHERE state IN ({','.join('?' * len(states))})"
    parameters: list = list(states)
    if snapshot_id is not None:
        sql += " AND snapshot_id = ?"
        parameters.append(snapshot_id)
    async with db.execute(sql + " GROUP BY kind", parameters) as cursor:
        return {kind: count for kind, count in await cursor.fetchall()}


async def next_pending(db: aiosqlite.Connection) -> StoredChange | None:
    """The change an editor reviewing one by one sees next: the oldest pending one."""
    async with db.execute(
        f"""SELECT {_CHANGE_COLUMNS} FROM sync_changes c
            JOIN sync_snapshots s ON s.id = c.snapshot_id
            WHERE c.state = 'pending' ORDER BY c.snapshot_id, c.rowid LIMIT 1"""
    ) as cursor:
        row = await cursor.fetchone()
    return _change(row) if row else None


async def latest_held(db: aiosqlite.Connection) -> Snapshot | None:
    """The newest snapshot that waits for an editor to trust it."""
    async with db.execute(
        "SELECT * FROM sync_snapshots WHERE state = 'held' ORDER BY id DESC LIMIT 1"
    ) as cursor:
        row = await cursor.fetchone()
    return _snapshot(row) if row else None


async def settle_one(
    db: aiosqlite.Connection, key: str, state: str, outcome: str | None, actor: str
) -> bool:
    """Decide one waiting change; False when it was decided already (by anyone)."""
    cursor = await db.execute(
        """UPDATE sync_changes SET state = ?, outcome = ?, decided_at = ?, decided_by = ?
           WHERE key = ? AND state = 'pending'""",
        (state, outcome, timestamp(), actor, key),
    )
    return cursor.rowcount == 1


async def add_changes(
    db: aiosqlite.Connection, snapshot_id: int, proposals: list[Proposal]
) -> list[str]:
    """Store ``proposals`` as pending beside the others (an editor's answer to a question
    proposes them): none is superseded. One stored already waits again unless it was
    applied or found done. Returns the keys that now wait."""
    now = timestamp()
    waiting = []
    for proposal in proposals:
        await db.execute(
            """INSERT INTO sync_changes
                   (key, snapshot_id, kind, person, slug, place, what, facts, candidates,
                    state, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)
               ON CONFLICT (key) DO UPDATE SET state = 'pending', decided_at = NULL,
                   decided_by = NULL, outcome = NULL
               WHERE sync_changes.state IN ('held', 'superseded', 'skipped', 'refused')""",
            (
                proposal.key,
                snapshot_id,
                proposal.kind,
                proposal.person,
                proposal.slug,
                proposal.place,
                proposal.what,
                json.dumps(proposal.facts, ensure_ascii=False, sort_keys=True),
                json.dumps(list(proposal.candidates)),
                now,
            ),
        )
        async with db.execute(
            "SELECT state FROM sync_changes WHERE key = ?", (proposal.key,)
        ) as cursor:
            (state,) = await cursor.fetchone()
        if state == "pending":
            waiting.append(proposal.key)
    return waiting


async def decide(
    db: aiosqlite.Connection, outcomes: dict[str, tuple[str, str | None]], actor: str
) -> None:
    """Record each change's end: key -> (state, outcome)."""
    now = timestamp()
    await db.executemany(
        """UPDATE sync_changes SET state = ?, outcome = ?, decided_at = ?, decided_by = ?
           WHERE key = ? AND state IN ('pending', 'held')""",
        [(state, outcome, now, actor, key) for key, (state, outcome) in outcomes.items()],
    )


async def mark_applied(db: aiosqlite.Connection, snapshot_ids: set[int]) -> None:
    await db.executemany(
        "UPDATE sync_snapshots SET state = 'applied' WHERE id = ?",
        [(snapshot_id,) for snapshot_id in snapshot_ids],
    )


async def release_held(db: aiosqlite.Connection, snapshot_id: int) -> int:
    """An editor trusts a held export: its changes wait for decisions like any others."""
    await db.execute(
        "UPDATE sync_snapshots SET state = 'pending', held_reason = NULL WHERE id = ?",
        (snapshot_id,),
    )
    cursor = await db.execute(
        "UPDATE sync_changes SET state = 'pending' WHERE snapshot_id = ? AND state = 'held'",
        (snapshot_id,),
    )
    return cursor.rowcount


# Decided changes are history once the audit log holds what they did: kept this long.
KEEP_DECIDED_DAYS = 90


async def forget_old(db: aiosqlite.Connection, today: date) -> None:
    """Changes decided (or superseded) long ago, and snapshots nothing refers to any more."""
    cutoff = (today - timedelta(days=KEEP_DECIDED_DAYS)).isoformat()
    await db.execute(
        """DELETE FROM sync_changes
           WHERE state NOT IN ('pending', 'held') AND decided_at IS NOT NULL
             AND decided_at < ?""",
        (cutoff,),
    )
    await db.execute(
        """DELETE FROM sync_snapshots
           WHERE id NOT IN (SELECT snapshot_id FROM sync_changes)
             AND id NOT IN (SELECT max(id) FROM sync_snapshots WHERE state = 'applied')
             AND id NOT IN (SELECT max(id) FROM sync_snapshots)
             AND as_of < ?""",
        (cutoff,),
    )
