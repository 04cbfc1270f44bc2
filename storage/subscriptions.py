"""What a chat follows and which alerts it wants: subscriptions and chat settings.

A chat follows people by name (``subscriptions``), everyone (``subscribed_all``),
regions and places of detention (``region_follows``, ``place_follows``), and
may mute someone it hears about only broadly (``mutes``); who hears what is
``storage.audience``'s rule. A chat row is created the first time a chat changes something (a
subscription, a setting); reading never creates one, so a chat that only
looks at cards leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from storage.db import timestamp, transaction, write

# The alert kinds a chat can switch off; each is a want_<name> column.
ALERT_KINDS = ("anniversaries", "birthdays", "updates", "statements")


@dataclass(frozen=True)
class ChatSettings:
    language: str | None  # None: no row yet, the chat speaks the user's language
    subscribed_all: bool
    wants: dict[str, bool]
    active: bool = True
    off_reason: str | None = None


DEFAULTS = ChatSettings(None, False, dict.fromkeys(ALERT_KINDS, True))


async def ensure_chat(db: aiosqlite.Connection, chat_id: int, language: str, kind: str) -> None:
    """Create the chat row if missing; an existing row keeps its language and settings."""
    await write(
        db,
        """INSERT INTO chats (id, language, kind, created_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (id) DO NOTHING""",
        (chat_id, language, kind, timestamp()),
    )


async def get_settings(db: aiosqlite.Connection, chat_id: int) -> ChatSettings:
    columns = ", ".join(f"want_{kind}" for kind in ALERT_KINDS)
    async with db.execute(
        f"SELECT language, subscribed_all, active, off_reason, {columns} FROM chats WHERE id = ?",
        (chat_id,),
    ) as cursor:
        row = await cursor.fetchone()
    if row is None:
        return DEFAULTS
    return ChatSettings(
        language=row["language"],
        subscribed_all=bool(row["subscribed_all"]),
        wants={kind: bool(row[f"want_{kind}"]) for kind in ALERT_KINDS},
        active=bool(row["active"]),
        off_reason=row["off_reason"],
    )


async def set_wanted(db: aiosqlite.Connection, chat_id: int, alert_kind: str, wanted: bool) -> None:
    # The column name comes from our own list, never from the update.
    if alert_kind not in ALERT_KINDS:
        raise ValueError(f"unknown alert kind {alert_kind!r}")
    await write(db, f"UPDATE chats SET want_{alert_kind} = ? WHERE id = ?", (int(wanted), chat_id))


async def subscribe(db: aiosqlite.Connection, chat_id: int, slug: str) -> bool:
    """Follow one case; False when the chat already followed it. A mute of it goes:
    a name beats a mute, and a later unsubscribe should not bring back an old one."""
    async with transaction(db):
        cursor = await db.execute(
            "INSERT INTO subscriptions (chat_id, slug) VALUES (?, ?) ON CONFLICT DO NOTHING",
            (chat_id, slug),
        )
        await db.execute("DELETE FROM mutes WHERE chat_id = ? AND slug = ?", (chat_id, slug))
    return cursor.rowcount > 0


async def unsubscribe(db: aiosqlite.Connection, chat_id: int, slug: str) -> bool:
    """Stop following one case; False when the chat did not follow it."""
    cursor = await write(
        db, "DELETE FROM subscriptions WHERE chat_id = ? AND slug = ?", (chat_id, slug)
    )
    return cursor.rowcount > 0


async def subscribe_all(db: aiosqlite.Connection, chat_id: int) -> bool:
    """Follow every case, present and future; False when it already did."""
    cursor = await write(
        db, "UPDATE chats SET subscribed_all = 1 WHERE id = ? AND subscribed_all = 0", (chat_id,)
    )
    return cursor.rowcount > 0


async def stop_all(db: aiosqlite.Connection, chat_id: int) -> bool:
    """Stop following everyone; single subscriptions, regions, places and mutes stay."""
    cursor = await write(
        db, "UPDATE chats SET subscribed_all = 0 WHERE id = ? AND subscribed_all = 1", (chat_id,)
    )
    return cursor.rowcount > 0


async def unsubscribe_everything(db: aiosqlite.Connection, chat_id: int) -> int:
    """Drop "all", every single subscription, region and place (and the mutes, which
    only meant something beside them); return how many follows were dropped."""
    async with transaction(db):
        flag = await db.execute(
            "UPDATE chats SET subscribed_all = 0 WHERE id = ? AND subscribed_all = 1", (chat_id,)
        )
        dropped = flag.rowcount
        for table in ("subscriptions", "region_follows", "place_follows"):
            rows = await db.execute(f"DELETE FROM {table} WHERE chat_id = ?", (chat_id,))
            dropped += rows.rowcount
        await db.execute("DELETE FROM mutes WHERE chat_id = ?", (chat_id,))
    return dropped


async def mute(db: aiosqlite.Connection, chat_id: int, slug: str) -> bool:
    """No alerts about this person from a broad follow; False when already muted."""
    cursor = await write(
        db,
        "INSERT INTO mutes (chat_id, slug) VALUES (?, ?) ON CONFLICT DO NOTHING",
        (chat_id, slug),
    )
    return cursor.rowcount > 0


async def unmute(db: aiosqlite.Connection, chat_id: int, slug: str) -> bool:
    """Alerts about this person again; False when they were not muted."""
    cursor = await write(db, "DELETE FROM mutes WHERE chat_id = ? AND slug = ?", (chat_id, slug))
    return cursor.rowcount > 0


# Where a chat's follows of each kind of area are kept, and the column naming the area.
_AREAS = {"region": ("region_follows", "region"), "place": ("place_follows", "place_key")}


async def follow_area(db: aiosqlite.Connection, chat_id: int, kind: str, key: str) -> bool:
    """Follow a region or a place (``kind``); False when the chat already did.

    The caller checks the key: a region of ``cases.regions.REGIONS``, a stored place.
    """
    table, column = _AREAS[kind]
    cursor = await write(
        db,
        f"INSERT INTO {table} (chat_id, {column}) VALUES (?, ?) ON CONFLICT DO NOTHING",
        (chat_id, key),
    )
    return cursor.rowcount > 0


async def unfollow_area(db: aiosqlite.Connection, chat_id: int, kind: str, key: str) -> bool:
    """Stop following a region or a place; False when the chat did not follow it."""
    table, column = _AREAS[kind]
    cursor = await write(
        db, f"DELETE FROM {table} WHERE chat_id = ? AND {column} = ?", (chat_id, key)
    )
    return cursor.rowcount > 0


@dataclass(frozen=True)
class ChatAtAGlance:
    """What a card (and /list, /subscriptions) needs to know about the chat it is drawn for."""

    language: str | None  # None: no row, or no choice made
    subscribed_all: bool
    slugs: frozenset[str]
    muted: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()


# Every follow and mute of the chat, each row with the chat's language: one query.
GLANCE_SQL = """SELECT chats.language, chats.subscribed_all, kept.kind, kept.value
                FROM chats LEFT JOIN (
                    SELECT 'slug' AS kind, slug AS value FROM subscriptions WHERE chat_id = :chat
                    UNION ALL SELECT 'muted', slug FROM mutes WHERE chat_id = :chat
                    UNION ALL SELECT 'region', region FROM region_follows WHERE chat_id = :chat
                    UNION ALL SELECT 'place', place_key FROM place_follows WHERE chat_id = :chat
                ) AS kept ON 1
                WHERE chats.id = :chat"""


def glance_from(rows) -> ChatAtAGlance:
    if not rows:
        return ChatAtAGlance(None, False, frozenset())
    kept: dict[str, set[str]] = {"slug": set(), "muted": set(), "region": set(), "place": set()}
    for row in rows:
        if row[2] is not None:
            kept[row[2]].add(row[3])
    return ChatAtAGlance(
        rows[0][0],
        bool(rows[0][1]),
        frozenset(kept["slug"]),
        frozenset(kept["muted"]),
        frozenset(kept["region"]),
        frozenset(kept["place"]),
    )


async def at_a_glance(db: aiosqlite.Connection, chat_id: int) -> ChatAtAGlance:
    """The chat's language and what it follows, in one query (one trip to aiosqlite's thread)."""
    return glance_from(await db.execute_fetchall(GLANCE_SQL, {"chat": chat_id}))


async def subscribed_slugs(db: aiosqlite.Connection, chat_id: int) -> list[str]:
    async with db.execute(
        "SELECT slug FROM subscriptions WHERE chat_id = ? ORDER BY slug", (chat_id,)
    ) as cursor:
        return [row[0] for row in await cursor.fetchall()]


async def muted_slugs(db: aiosqlite.Connection, chat_id: int) -> list[str]:
    async with db.execute(
        "SELECT slug FROM mutes WHERE chat_id = ? ORDER BY slug", (chat_id,)
    ) as cursor:
        return [row[0] for row in await cursor.fetchall()]


async def forget_chat(db: aiosqlite.Connection, chat_id: int) -> int:
    """Erase the chat; return how many channels it had registered.

    Subscriptions, regions and places followed, mutes and deliveries cascade
    from the chat row. Channels the
    chat registered are not deleted: their readers rely on them, and any
    other admin of the channel can manage them. Only the link to this chat
    is erased, so no row anywhere still holds its id.
    """
    async with transaction(db):
        unlinked = await db.execute(
            "UPDATE chats SET managed_by = NULL WHERE managed_by = ?", (chat_id,)
        )
        await db.execute("DELETE FROM chats WHERE id = ?", (chat_id,))
    return unlinked.rowcount
