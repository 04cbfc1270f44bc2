"""Every handler, registered in one ordered list.

Order matters: PTB gives an update to the first matching handler in a group,
so specific commands and buttons come first, the private-chat text search
after them, and the unknown-command hint last. A feature may also return
handlers for other groups (subscriptions loads a chat's state in group -1,
before any card is drawn) and define ``setup(application)`` to hook into
another feature (subscriptions puts its button under every card).
"""

from __future__ import annotations

from telegram.ext import Application

from handlers import (
    admins,
    audit,
    channels,
    errors,
    forget,
    inline,
    language,
    listing,
    lookup,
    settings,
    start,
    stats,
    subscriptions,
    upcoming,
)

# Every feature's handlers are specific (commands, button prefixes, update
# kinds), so among these the order only decides ties; lookup's private-chat
# text search is the one catch-all and matches no command or service message.
FEATURES = (
    start,
    subscriptions,
    settings,
    forget,
    channels,
    upcoming,
    lookup,
    listing,
    language,
    stats,
    inline,
    # Admin commands match only admins; for anyone else they fall through to
    # the unknown-command hint registered after every feature.
    admins,
    audit,
)

# Commands shown in Telegram's menu, in this order.
MENU_COMMANDS = (
    "defender",
    "list",
    "subscribe",
    "unsubscribe",
    "subscriptions",
    "upcoming",
    "stats",
    "settings",
    "language",
    "channel",
    "about",
    "forget",
    "help",
    "start",
)


def register(application: Application) -> None:
    for feature in FEATURES:
        application.add_handlers(feature.handlers())
        setup = getattr(feature, "setup", None)
        if setup is not None:
            setup(application)
    application.add_handlers(errors.handlers())
    application.add_error_handler(errors.on_error)
