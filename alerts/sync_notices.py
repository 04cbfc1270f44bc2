"""The editors told what Viasna's list proposes: one message per export read, with buttons.

When a sync (``python bot.py sync``, an upload, the bot's own fetch) stores
changes that wait for an editor, each editor (``alerts.editors``: the owners
and the editors) gets one ``sync_review`` alert, queued inside the
transaction that stored the changes (``read_sync(..., tell=...)``), so it has
the outbox's guarantees: stored once under ``sync_review:<snapshot>``, sent
after a crash, retried, paced. Reading the same export again stores nothing
new and tells nobody anything.

The message is the counts by kind (``summary``) with the buttons of
``summary_keyboard``: "Review one by one" and an "Apply all" per kind that
can be applied; for a held export (``alerts.sync_apply.suspicion``) why it is
held and "Trust this export" / "Leave it" instead. /sync answers with the
same summary, read live. The buttons are handled by
``handlers/upkeep/sync_review.py``; their data (at most 64 bytes):

- ``sync:r``: the next change waiting, one by one;
- ``sync:all:<snapshot>:<kind>``: every waiting change of ``kind`` that the
  snapshot (or an earlier one) proposed: never one a later export added
  after the message was written;
- ``sync:t:<snapshot>`` / ``sync:l:<snapshot>``: trust a held export, leave it held;
- under one change (``<key>`` is the change's key, ``kind:`` and a 20-digit
  hash): ``sync:a:<key>`` apply, ``sync:s:<key>`` skip, and for a question
  ``sync:x:<key>:<n>`` "this is candidate n", ``sync:n:<key>`` someone else.

Nothing here commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import aiosqlite
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from alerts.editors import editor_ids, queue_for_editors
from messages.render import Messages
from storage import sync as sync_store
from storage.sync import Snapshot
from sync.reconcile import APPLICABLE, KINDS

KIND = "sync_review"
SYNC_PREFIX = "sync:"


@dataclass(frozen=True)
class Telling:
    """Whom ``read_sync`` tells of what waits, and in which language when their chat chose none."""

    owners: tuple[int, ...]  # BOT_ADMINS
    language: str = "en"
    # Editors answered in their own chat already (who uploaded the export).
    skip: tuple[int, ...] = ()


def _ordered(counts: dict[str, int], leave_out: Iterable[str] = ()) -> list[list]:
    left_out = set(leave_out)
    return [[kind, counts[kind]] for kind in KINDS if counts.get(kind) and kind not in left_out]


def _described(snapshot: Snapshot) -> dict:
    return {
        "id": snapshot.id,
        "as_of": snapshot.as_of.isoformat(),
        "rows": snapshot.row_count,
        "files": len(snapshot.files),
        "languages": sorted({f["language"] for f in snapshot.files if f.get("language")}),
        "origin": snapshot.origin,
    }


async def why_held(db: aiosqlite.Connection, snapshot: Snapshot) -> dict:
    """The figures behind a held export: its rows and files against the last export
    applied, and the columns that one had and this one lacks."""
    last = await sync_store.last_applied(db)
    return {
        "rows": snapshot.row_count,
        "files": len(snapshot.files),
        "last": None if last is None else _described(last),
        "missing": sorted(last.columns - snapshot.columns) if last is not None else [],
    }


async def summary(
    db: aiosqlite.Connection, snapshot_id: int | None = None, leave_out: Iterable[str] = ()
) -> dict:
    """What waits for the editors, as JSON (an alert's payload; /sync renders it live).

    ``snapshot``: the export read (``snapshot_id``, else the latest; None when
    none was ever read); ``held``: why it is held, when it is, with
    ``held_counts`` (its changes by kind, waiting for "Trust this export");
    ``counts``: the changes waiting for a decision, by kind, in the order of
    ``sync.reconcile.KINDS`` (``leave_out``: kinds applied at once anyway);
    ``bound``: the snapshot an "Apply all" reaches up to.
    """
    shown = (
        await sync_store.snapshot(db, snapshot_id)
        if snapshot_id is not None
        else await sync_store.latest(db)
    )
    if shown is None:
        return {"snapshot": None, "held": None, "held_counts": [], "counts": [], "bound": 0}
    held = shown.state == "held"
    pending = await sync_store.counts(db, ("pending",))
    return {
        "snapshot": _described(shown),
        "held": await why_held(db, shown) if held else None,
        "held_counts": _ordered(await sync_store.counts(db, ("held",), shown.id)) if held else [],
        "counts": _ordered(pending, leave_out),
        "bound": shown.id,
    }


async def queue_notice(
    db: aiosqlite.Connection,
    snapshot_id: int,
    telling: Telling,
    *,
    on_date: date,
    leave_out: Iterable[str] = (),
) -> int:
    """Tell each editor what the snapshot left waiting, once; return the deliveries queued.

    Nothing when the snapshot added nothing that waits (the same export read
    again): only changes stored (or revived) under this snapshot count, but
    the kinds in ``leave_out`` (confirmations applied at once).
    """
    left_out = set(leave_out)
    added = await sync_store.counts(db, ("pending", "held"), snapshot_id)
    if not any(count for kind, count in added.items() if kind not in left_out):
        return 0
    editors = set(await editor_ids(db, telling.owners)) - set(telling.skip)
    return await queue_for_editors(
        db,
        f"{KIND}:{snapshot_id}",
        KIND,
        on_date,
        editors=editors,
        language=telling.language,
        payload=await summary(db, snapshot_id, leave_out),
    )


def summary_keyboard(messages: Messages, lang: str, shown: dict) -> InlineKeyboardMarkup | None:
    """Trust / Leave for a held export; Review one by one and an Apply all per kind."""
    label = messages.label
    rows = []
    if shown.get("held"):
        snapshot = shown["snapshot"]["id"]
        rows.append(
            [
                InlineKeyboardButton(
                    label("btn_sync_trust", lang), callback_data=f"{SYNC_PREFIX}t:{snapshot}"
                ),
                InlineKeyboardButton(
                    label("btn_sync_leave", lang), callback_data=f"{SYNC_PREFIX}l:{snapshot}"
                ),
            ]
        )
    if shown["counts"]:
        review = label("btn_sync_review", lang)
        rows.append([InlineKeyboardButton(review, callback_data=f"{SYNC_PREFIX}r")])
        for kind, count in shown["counts"]:
            if kind in APPLICABLE:
                text = label("btn_sync_apply_all", lang, kind=kind, count=count)
                data = f"{SYNC_PREFIX}all:{shown['bound']}:{kind}"
                rows.append([InlineKeyboardButton(text, callback_data=data)])
    return InlineKeyboardMarkup(rows) if rows else None
