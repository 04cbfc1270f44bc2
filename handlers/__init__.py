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
    add_case,
    admins,
    audit,
    case_admin,
    case_updates,
    case_upload,
    channels,
    dashboard,
    data_refresh,
    errors,
    forget,
    inline,
    language,
    listing,
    lookup,
    publishing,
    settings,
    start,
    statements,
    stats,
    subscriptions,
    upcoming,
)

# Every feature's handlers are specific (commands, button prefixes, update
# kinds), so among these the order only decides ties; lookup's private-chat
# text search is the one catch-all and matches no command or service message.
FEATURES = (
    start,
    # Before lookup: while an editor answers /addcase's questions, their plain
    # text is an answer, not a name to search.
    add_case,
    # Before lookup too: a /newstatement draft waits for the statement's text.
    publishing,
    subscriptions,
    # After subscriptions: its row under a card comes below the Subscribe button.
    statements,
    settings,
    forget,
    channels,
    upcoming,
    lookup,
    listing,
    language,
    stats,
    inline,
    data_refresh,
    # Admin commands match only admins; for anyone else they fall through to
    # the unknown-command hint registered after every feature.
    admins,
    audit,
    case_admin,
    case_updates,
    case_upload,
    dashboard,
)

# Commands shown in Telegram's menu, in this order.
MENU_COMMANDS = (
    "defender",
    "list",
    "subscribe",
    "unsubscribe",
    "subscriptions",
    "upcoming",
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


def register(application: Application) -> None:
    for feature in FEATURES:
        application.add_handlers(feature.handlers())
        setup = getattr(feature, "setup", None)
        if setup is not None:
            setup(application)
    application.add_handlers(errors.handlers())
    application.add_error_handler(errors.on_error)
