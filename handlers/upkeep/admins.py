"""/admins: owners list the admins, and add or remove editors."""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import ContextTypes

from handlers.shared.admin_access import (
    admin_command,
    gate_of,
    hide_menu,
    show_menu,
)
from handlers.shared.replies import chat_language, send
from handlers.shared.services import services
from storage import admins as admin_store

ACTIONS = ("add", "remove")
# Telegram user ids have at most 52 significant bits; groups and channels are negative.
MAX_USER_ID = 2**52


def parse_user_id(text: str) -> int | None:
    """A Telegram user id, or None for anything else (names, group ids, junk)."""
    if not re.fullmatch(r"[0-9]{1,16}", text):
        return None
    user_id = int(text)
    return user_id if 0 < user_id < MAX_USER_ID else None


async def admins_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List owners and editors; ``add ID`` and ``remove ID`` change the editors."""
    lang = await chat_language(update, context)
    args = context.args or []
    if not args:
        await show_admins(update, context, lang)
        return
    action = args[0].lower()
    if action not in ACTIONS or len(args) != 2:
        await send(update, context, "admins_usage", lang)
        return
    user_id = parse_user_id(args[1])
    if user_id is None:
        # Quoted short and cleaned by the template (messages/quoting.py).
        await send(update, context, "admins_bad_id", lang, given=args[1])
    elif action == "add":
        await add_editor(update, context, user_id, lang)
    else:
        await remove_editor(update, context, user_id, lang)


async def show_admins(update: Update, context: ContextTypes.DEFAULT_TYPE, lang: str) -> None:
    app = services(context)
    admin_gate = gate_of(context)
    zone = app.settings.timezone
    editors = [
        {
            "user_id": editor.user_id,
            "granted_by": editor.granted_by,
            "granted_on": editor.granted_at.astimezone(zone).date(),
        }
        for editor in await admin_store.list_editors(app.db)
        if not admin_gate.is_owner(editor.user_id)
    ]
    owners = sorted(app.settings.admins)
    await send(update, context, "admins", lang, owners=owners, editors=editors)


async def add_editor(
    update: Update, context: ContextTypes.DEFAULT_TYPE, user_id: int, lang: str
) -> None:
    """Make the user an editor: stored and audited, then let through and shown the menu."""
    admin_gate = gate_of(context)
    if admin_gate.is_owner(user_id):
        await send(update, context, "admins_refused", lang, problem="owner_add", user_id=user_id)
        return
    db = services(context).db
    if not await admin_store.grant(db, user_id, update.effective_user.id):
        await send(
            update, context, "admins_refused", lang, problem="already_editor", user_id=user_id
        )
        return
    admin_gate.grant(user_id)
    menu_set = await show_menu(context.application, user_id)
    await send(update, context, "admins_added", lang, user_id=user_id, menu_set=menu_set)


async def remove_editor(
    update: Update, context: ContextTypes.DEFAULT_TYPE, user_id: int, lang: str
) -> None:
    """Take an editor's rights away: their next command already falls through."""
    admin_gate = gate_of(context)
    if admin_gate.is_owner(user_id):
        await send(update, context, "admins_refused", lang, problem="owner_remove", user_id=user_id)
        return
    db = services(context).db
    if await admin_store.revoke(db, user_id, update.effective_user.id) is None:
        await send(update, context, "admins_refused", lang, problem="not_editor", user_id=user_id)
        return
    admin_gate.revoke(user_id)
    await hide_menu(context.application, user_id)
    await send(update, context, "admins_removed", lang, user_id=user_id)


def handlers() -> list:
    return [admin_command("admins", admins_command, owners_only=True)]
