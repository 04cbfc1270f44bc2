"""Alerts for the editors alone: the question whether a stale status still holds, the weekly review.

They go through the outbox like every alert rather than straight from the
daily job: a held-back alert can only go out after an editor answers, so
the question gets the outbox's guarantees (stored once under its key,
retried when Telegram or the network fails, sent after a crash, paced with
everything else). The price is a chats row per editor (an id and a
language, as for anyone who uses /language), which /admin counts among the
private chats. Nothing here commits.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import date

import aiosqlite

from alerts.kinds import kind_of
from storage import admins as admin_store
from storage import alerts as alert_store
from storage import chats, deliveries


async def editor_ids(db: aiosqlite.Connection, owners: Iterable[int]) -> list[int]:
    """Everyone who may confirm a status: the owners (BOT_ADMINS) and the editors."""
    editors = {editor.user_id for editor in await admin_store.list_editors(db)}
    return sorted(set(owners) | editors)


async def queue_for_editors(
    db: aiosqlite.Connection,
    key: str,
    kind: str,
    on_date: date,
    *,
    editors: Iterable[int],
    language: str,
    slug: str | None = None,
    payload: dict | None = None,
    now: float | None = None,
) -> int:
    """Store the alert once and queue it for each editor's private chat; return the count.

    ``language``: for an editor whose chat never chose one (their Telegram
    language is not stored anywhere the daily run can read).
    """
    spec = kind_of(kind)
    if not spec.editors:
        raise ValueError(f"{kind!r} is an alert for subscribers")
    editors = sorted(set(editors))
    if not editors:
        return 0
    alert_id = await alert_store.add_alert(
        db, key, kind, on_date, slug=slug, priority=spec.priority, payload=payload
    )
    if alert_id is None:
        return 0
    for user_id in editors:
        await chats.ensure_staff_chat(db, user_id, language)
    return await deliveries.queue_for_chats(
        db, alert_id, editors, spec.priority, time.time() if now is None else now
    )
