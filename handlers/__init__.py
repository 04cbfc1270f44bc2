"""Every handler of the bot, registered in one ordered list.

PTB offers an update to its handler groups in ascending order and, within a
group, to each handler in turn until one matches it. The groups before 0
only prepare (they answer nothing and let every update through); in group 0
the order decides which feature answers when two could.

A feature module exports ``handlers()`` (for group 0) and may define
``setup(application)`` for what needs the Application itself: a job, or a
filter kept per Application.
"""

from __future__ import annotations

from telegram.ext import Application

from handlers.following import (
    alert_mode,
    channels,
    forget,
    language,
    settings,
    subscriptions,
)
from handlers.publishing import conversation as publishing
from handlers.publishing import translations as statement_translations
from handlers.reading import (
    card_views,
    inline,
    letters,
    listing,
    lookup,
    newcomers,
    start,
    statements,
    stats,
    upcoming,
)
from handlers.shared import (
    admin_access,
    choices,
    errors,
    flood,
    follows,
    statement_counts,
)
from handlers.upkeep import (
    add_case,
    admins,
    audit,
    case_admin,
    case_updates,
    case_upload,
    dashboard,
    data_refresh,
    releases,
    status_review,
    sync_review,
    translations,
)

# Before group 0, on every update: a card's keyboard is built without
# awaiting, so what its rows show is loaded here (handlers/shared/card_buttons.py).
PREPARING = (
    (-2, statement_counts),  # "Statements (N)": read at most once a minute
    (-1, follows),  # Subscribe or Unsubscribe: this chat's subscriptions
)

# Group 0, top to bottom. Nearly every handler matches what only it handles
# (a command, a button prefix, an update kind); where two could match the
# same update, the comment says why one comes first.
FEATURES = (
    start,
    # Before lookup: while an editor answers /addcase's questions, their plain
    # text is an answer, not a name to search.
    add_case,
    # Before lookup too: a /releases list is pasted as plain text, and so is
    # an /update's entry in another language.
    releases,
    translations,
    # Before lookup too, and before publishing: a statement's text in another language is
    # plain text, and /cancel then drops that, not the statement's draft.
    statement_translations,
    # Before lookup too: a /newstatement draft waits for the statement's text.
    # Its setup adds /cancel and Stop for running broadcasts after the
    # conversation, so a draft's own /cancel drops the draft first.
    publishing,
    subscriptions,
    statements,
    settings,
    alert_mode,
    forget,
    channels,
    upcoming,
    letters,
    # The private-chat name search: any plain text nobody above took.
    lookup,
    # A card's timeline and sources, and back to the card.
    card_views,
    # The pages of a choice between namesakes, whoever asked (a search,
    # /letter, /subscribe, an editor's /update).
    choices,
    listing,
    # The people new to the bot an alert named, a page at a time.
    newcomers,
    language,
    stats,
    inline,
    # Admin commands match only admins; for anyone else they fall through to
    # the unknown-command hint registered after every feature.
    admins,
    audit,
    case_admin,
    case_updates,
    case_upload,
    dashboard,
    status_review,
    sync_review,
    # No handlers: a job that serves cases another process changed.
    data_refresh,
)


def register(application: Application) -> None:
    """Register the handlers in the order above, then the catch-alls."""
    # First of all: a chat flooding the bot goes no further (handlers/shared/flood.py),
    # nor does a button press without data (every button handler would take it).
    application.add_handler(flood.handler(), group=flood.FLOOD_GROUP)
    application.add_handlers(errors.early_handlers(), group=flood.FLOOD_GROUP + 1)
    # A channel's posts are not written to the bot: none is answered in the channel,
    # but /channel's pointer to a private chat (handlers/following/channels.py).
    application.add_handlers(channels.channel_post_handlers(), group=flood.FLOOD_GROUP + 2)
    # Ahead of everything, and it never stops an update: an admin's command
    # menu stays present and in their language.
    application.add_handler(
        admin_access.menu_sync_handler(application), group=admin_access.MENU_SYNC_GROUP
    )
    for group, preparing in PREPARING:
        application.add_handlers(preparing.handlers(), group=group)
    for feature in FEATURES:
        application.add_handlers(feature.handlers())
        setup = getattr(feature, "setup", None)
        if setup is not None:
            setup(application)
    # Last in group 0: a command nobody took gets a hint.
    application.add_handlers(errors.handlers())
    application.add_error_handler(errors.on_error)
