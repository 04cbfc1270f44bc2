"""/admin: chats, subscriptions, deliveries, the daily run and backups at a glance, for editors."""

from __future__ import annotations

import time
from datetime import timedelta

from telegram import Update
from telegram.ext import ContextTypes

from cases.model import localised
from handlers.shared.admin_access import admin_command
from handlers.shared.replies import chat_language, send
from handlers.shared.services import services
from storage import dashboard
from storage import held_alerts as held_store

# The most followed cases shown; the rest are the long tail.
TOP_FOLLOWED = 10
# Alerts held back for a stale status: those of the last month are listed.
HELD_DAYS_SHOWN = 30


async def dashboard_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show who the bot reaches, what it has sent lately, and how the daily run and backup went."""
    lang = await chat_language(update, context)
    app = services(context)
    board = await dashboard.load(app.db, time.time(), TOP_FOLLOWED)
    followed = []
    for slug, count in board.followers:
        case = app.catalogue.get(slug)
        followed.append({"name": localised(case.name, lang) if case else slug, "count": count})
    zone = app.settings.timezone
    runs = [
        {"name": run.name, "last_day": run.last_day, "ran_at": run.ran_at.astimezone(zone)}
        for run in board.runs
    ]
    backup = None
    if board.backup is not None:
        backup = {
            "ok": board.backup.ok,
            "at": board.backup.at.astimezone(zone),
            "error": board.backup.error,
        }
    by_kind = board.chats.by_kind
    since = app.today() - timedelta(days=HELD_DAYS_SHOWN)
    held = [
        {
            "kind": alert.kind,
            "name": localised(alert.payload.get("name") or alert.slug, lang),
            "on": alert.on_date,
            "state": alert.state,
        }
        for alert in await held_store.since(app.db, since)
    ]
    await send(
        update,
        context,
        "admin_dashboard",
        lang,
        chats=board.chats,
        active=sum(active for active, _ in by_kind.values()),
        switched_off=sum(off for _, off in by_kind.values()),
        followed=followed,
        follow_everyone=board.follow_everyone,
        deliveries=board.deliveries,
        runs=runs,
        held=held,
        held_days=HELD_DAYS_SHOWN,
        # Daily backups are on with BOT_BACKUP_DIR; a failed one must be seen here.
        backups_on=app.settings.backup_dir is not None,
        backup=backup,
    )


def handlers() -> list:
    return [admin_command("admin", dashboard_command)]
