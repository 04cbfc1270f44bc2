"""Every handler, registered in one ordered list.

Order matters: PTB gives an update to the first matching handler in a group,
so specific commands and buttons come first, the private-chat text search
after them, and the unknown-command hint last.
"""

from __future__ import annotations

from telegram.ext import Application

from handlers import errors, language, listing, lookup, start, stats

FEATURES = (start, lookup, listing, language, stats)

# Commands shown in Telegram's menu, in this order.
MENU_COMMANDS = ("defender", "list", "stats", "language", "about", "help", "start")


def register(application: Application) -> None:
    for feature in FEATURES:
        application.add_handlers(feature.handlers())
    application.add_handlers(errors.handlers())
    application.add_error_handler(errors.on_error)
