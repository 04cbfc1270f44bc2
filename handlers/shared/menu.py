"""The commands Telegram's menus list, in the order they appear.

A leaf: bot.py sets the public menu from it at start-up and admin_access
adds the admin commands to each admin's own menu. Every name needs a
``cmd_<name>`` label in every language.
"""

from __future__ import annotations

# Everyone's menu.
MENU_COMMANDS: tuple[str, ...] = (
    "defender",
    "list",
    "subscribe",
    "unsubscribe",
    "subscriptions",
    "upcoming",
    "letter",
    "statements",
    "stats",
    "settings",
    "language",
    "channel",
    "about",
    "forget",
    "help",
    "start",
)
# Editor commands (owners have them too), after the public ones.
ADMIN_COMMANDS: tuple[str, ...] = (
    "audit",
    "update",
    "setstatus",
    "review",
    "releases",
    "sync",
    "addcase",
    "admin",
    "newstatement",
)
# Commands for owners only, last.
OWNER_COMMANDS: tuple[str, ...] = ("admins",)
