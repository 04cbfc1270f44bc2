"""The statements table, the defenders each one names (statement_cases), and its texts in
other languages (statement_translations).

Nothing here commits: publishing wraps these in ``transaction(db)`` with the
alert, its deliveries and the audit entry, so a statement is never published
without being queued, nor queued without being published.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import aiosqlite

from storage.db import timestamp


@dataclass(frozen=True)
class Translation:
    title: str
    body_html: str  # Telegram HTML, already made safe


@dataclass(frozen=True)
class Statement:
    id: int
    title: str
    on_date: date
    source_url: str | None
    body_html: str  # Telegram HTML, already made safe
    slugs: tuple[str, ...]  # the defenders it names, in the order they were linked
    created_by: int | None  # None: the command line
    published_at: datetime | None  # None: a draft
    language: str | None = None  # what it was written in; None: not known
    # Its text in other languages, by language.
    translations: dict[str, Translation] = field(default_factory=dict)


@dataclass(frozen=True)
class Listed:
    id: int
    title: str
    on_date: date


async def add_draft(
    db: aiosqlite.Connection,
    title: str,
    on_date: date,
    source_url: str | None,
    body_html: str,
    created_by: int | None,
    body_digest: str | None = None,
    language: str | None = None,
) -> int:
    cursor = await db.execute(
        """INSERT INTO statements (title, on_date, source_url, body_html, created_by, created_at,
                                   body_digest, language)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            title,
            on_date.isoformat(),
            source_url,
            body_html,
            created_by,
            timestamp(),
            body_digest,
            language,
        ),
    )
    return cursor.lastrowid


async def set_translation(
    db: aiosqlite.Connection,
    statement_id: int,
    language: str,
    translation: Translation,
    added_by: int | None,
) -> None:
    """The statement's text in ``language`` (replacing the one given before)."""
    await db.execute(
        """INSERT INTO statement_translations
               (statement_id, language, title, body_html, added_by, added_at)
           VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (statement_id, language) DO UPDATE SET
               title = excluded.title, body_html = excluded.body_html,
               added_by = excluded.added_by, added_at = excluded.added_at""",
        (statement_id, language, translation.title, translation.body_html, added_by, timestamp()),
    )


async def translations(db: aiosqlite.Connection, statement_id: int) -> dict[str, Translation]:
    async with db.execute(
        """SELECT language, title, body_html FROM statement_translations
           WHERE statement_id = ? ORDER BY language""",
        (statement_id,),
    ) as cursor:
        return {
            row["language"]: Translation(row["title"], row["body_html"])
            for row in await cursor.fetchall()
        }


async def published_with_digest(
    db: aiosqlite.Connection, body_digest: str, other_than: int | None = None
) -> Listed | None:
    """The first published statement whose text has this fingerprint (not ``other_than``)."""
    async with db.execute(
        """SELECT id, title, on_date FROM statements
           WHERE body_digest = ? AND published_at IS NOT NULL AND id IS NOT ?
           ORDER BY id LIMIT 1""",
        (body_digest, other_than),
    ) as cursor:
        row = await cursor.fetchone()
    return Listed(row["id"], row["title"], date.fromisoformat(row["on_date"])) if row else None


async def without_digest(db: aiosqlite.Connection) -> list[tuple[int, str]]:
    """(id, body_html) of the statements stored before fingerprints were kept."""
    async with db.execute(
        "SELECT id, body_html FROM statements WHERE body_digest IS NULL"
    ) as cursor:
        return [(row["id"], row["body_html"]) for row in await cursor.fetchall()]


async def set_digests(db: aiosqlite.Connection, digests: list[tuple[str, int]]) -> None:
    """(digest, id) pairs."""
    await db.executemany("UPDATE statements SET body_digest = ? WHERE id = ?", digests)


async def set_cases(db: aiosqlite.Connection, statement_id: int, slugs: list[str]) -> None:
    """Link exactly these defenders (slugs no longer in the catalogue are skipped)."""
    await db.execute("DELETE FROM statement_cases WHERE statement_id = ?", (statement_id,))
    await db.executemany(
        """INSERT OR IGNORE INTO statement_cases (statement_id, slug, position)
           SELECT ?, slug, ? FROM cases WHERE slug = ?""",
        [(statement_id, position, slug) for position, slug in enumerate(slugs)],
    )


async def delete_draft(db: aiosqlite.Connection, statement_id: int) -> bool:
    cursor = await db.execute(
        "DELETE FROM statements WHERE id = ? AND published_at IS NULL", (statement_id,)
    )
    return cursor.rowcount == 1


async def mark_published(db: aiosqlite.Connection, statement_id: int) -> bool:
    """Publish a draft; False if it is gone or was published already (a second press)."""
    cursor = await db.execute(
        "UPDATE statements SET published_at = ? WHERE id = ? AND published_at IS NULL",
        (timestamp(), statement_id),
    )
    return cursor.rowcount == 1


async def get_statement(
    db: aiosqlite.Connection, statement_id: int, *, drafts: bool = False
) -> Statement | None:
    """A published statement (``drafts``: or a draft) by its number."""
    async with db.execute("SELECT * FROM statements WHERE id = ?", (statement_id,)) as cursor:
        row = await cursor.fetchone()
    if row is None or (row["published_at"] is None and not drafts):
        return None
    async with db.execute(
        "SELECT slug FROM statement_cases WHERE statement_id = ? ORDER BY position",
        (statement_id,),
    ) as cursor:
        slugs = tuple(slug for (slug,) in await cursor.fetchall())
    published = row["published_at"]
    return Statement(
        id=row["id"],
        title=row["title"],
        on_date=date.fromisoformat(row["on_date"]),
        source_url=row["source_url"],
        body_html=row["body_html"],
        slugs=slugs,
        created_by=row["created_by"],
        published_at=datetime.fromisoformat(published) if published else None,
        language=row["language"],
        translations=await translations(db, statement_id),
    )


def _naming(slug: str | None) -> tuple[str, tuple]:
    if slug is None:
        return "", ()
    return "AND id IN (SELECT statement_id FROM statement_cases WHERE slug = ?)", (slug,)


async def latest(
    db: aiosqlite.Connection,
    limit: int,
    offset: int = 0,
    slug: str | None = None,
    language: str | None = None,
) -> list[Listed]:
    """Published statements, newest first; ``slug``: only those naming that defender.
    Each title in ``language`` where an editor gave one, else as written."""
    where, arguments = _naming(slug)
    async with db.execute(
        f"""SELECT id, coalesce(
                (SELECT title FROM statement_translations
                 WHERE statement_id = statements.id AND language = ?), title) AS title, on_date
            FROM statements
            WHERE published_at IS NOT NULL {where}
            ORDER BY on_date DESC, id DESC LIMIT ? OFFSET ?""",
        (language, *arguments, limit, offset),
    ) as cursor:
        rows = await cursor.fetchall()
    return [Listed(row["id"], row["title"], date.fromisoformat(row["on_date"])) for row in rows]


async def count_published(db: aiosqlite.Connection, slug: str | None = None) -> int:
    where, arguments = _naming(slug)
    async with db.execute(
        f"SELECT count(*) FROM statements WHERE published_at IS NOT NULL {where}", arguments
    ) as cursor:
        (count,) = await cursor.fetchone()
    return count


async def counts_by_case(db: aiosqlite.Connection) -> dict[str, int]:
    """How many published statements name each defender (defenders named by none left out)."""
    async with db.execute(
        """SELECT link.slug, count(*) FROM statement_cases AS link
           JOIN statements ON statements.id = link.statement_id
           WHERE statements.published_at IS NOT NULL
           GROUP BY link.slug"""
    ) as cursor:
        return {slug: count for slug, count in await cursor.fetchall()}
