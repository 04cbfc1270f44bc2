"""/audit: the latest admin actions, for editors and owners."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import ContextTypes

from handlers.shared.admin_access import admin_command
from handlers.shared.replies import chat_language, send
from handlers.shared.services import services
from storage import audit
from storage.audit import MISSING, AuditEntry

AUDIT_LIMIT = 20
# Per entry: a case edit may touch many fields; the first ones tell the story.
SHOWN_CHANGES = 12
# Longer values (a biography, a statement) are named, not quoted.
SHORT_VALUE = 60
NO_VALUE = "—"


def shown(value: Any) -> str | None:
    """A value short enough to quote in the log; None when it is too long to."""
    if value is MISSING or value is None:
        return NO_VALUE
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str | int | float):
        text = str(value)
        return text if len(text) <= SHORT_VALUE and "\n" not in text else None
    return None


def entry_view(entry: AuditEntry, zone) -> dict:
    changes = [
        {"field": change.field, "old": shown(change.old), "new": shown(change.new)}
        for change in entry.changes
    ]
    details = entry.details if isinstance(entry.details, dict) else {}
    at = entry.at.astimezone(zone)
    return {
        "at": at,
        "time": at.strftime("%H:%M"),
        "actor_id": entry.actor_id,
        "action": entry.action,
        "target": entry.target,
        "changes": changes[:SHOWN_CHANGES],
        "more": max(0, len(changes) - SHOWN_CHANGES),
        "details": [
            {"field": str(key), "value": shown(value)} for key, value in sorted(details.items())
        ],
    }


async def audit_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show the latest admin actions, newest first, with what each one changed."""
    lang = await chat_language(update, context)
    app = services(context)
    entries = await audit.latest(app.db, AUDIT_LIMIT)
    views = [entry_view(entry, app.settings.timezone) for entry in entries]
    await send(update, context, "audit", lang, entries=views)


def handlers() -> list:
    return [admin_command("audit", audit_command)]
