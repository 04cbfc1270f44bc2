"""Who is an admin, the gate admin-only handlers are registered behind, and their menu.

Owners are the user ids in BOT_ADMINS; they grant and revoke editors, who are
kept in the database. Both kinds may use editor commands; only owners manage
admins. A feature registers an admin command where it registers its other
handlers::

    def handlers() -> list:
        return [admin_command("newstatement", new_statement)]

and adds its name to ``ADMIN_COMMANDS`` in ``handlers/shared/menu.py`` (with a
``cmd_newstatement`` label in every language) so it appears in the admins'
command menu.
``admin_callback`` and ``admin_message`` gate buttons and conversation steps
the same way; inside a ConversationHandler they are found and bound too.

The command matches only in a private chat with an admin, only for a new
message (an edit never repeats an action). For anyone else it does not
match at all, so the update falls through to the unknown-command hint:
strangers get exactly the answer they get for a command that does not exist.

One ``AdminGate`` per Application, kept in ``bot_data``: its two
``filters.User`` hold the ids, and are updated in place when an owner adds
or removes an editor, so the change applies to the very next update.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from telegram import BotCommand, BotCommandScopeChat, Chat, Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)

from handlers.shared.menu import ADMIN_COMMANDS, MENU_COMMANDS, OWNER_COMMANDS
from handlers.shared.replies import chat_language
from handlers.shared.services import SERVICES_KEY
from storage import admins as admin_store
from storage import chats

log = logging.getLogger(__name__)

GATE_KEY = "admin_gate"
# Admin work happens in the private chat with the bot: in a group, even an
# owner's /admins would show staff ids to everyone there.
ADMIN_CHAT = filters.ChatType.PRIVATE
# Before every other group, and it never stops an update: it only keeps an
# admin's menu in their language.
MENU_SYNC_GROUP = -10


class AdminGate:
    """The ids behind the admin-only handlers of one Application."""

    def __init__(self) -> None:
        self.owners = filters.User(allow_empty=False)
        # Owners and editors: everyone who may use an editor command.
        self.editors = filters.User(allow_empty=False)
        # The language each admin's command menu was last set in.
        self.menu_languages: dict[int, str] = {}

    def is_owner(self, user_id: int) -> bool:
        return user_id in self.owners.user_ids

    def is_admin(self, user_id: int) -> bool:
        return user_id in self.editors.user_ids

    def load(self, owners: Iterable[int], editors: Iterable[int]) -> None:
        """Replace every id: owners from the settings, editors from the database."""
        owners = frozenset(owners)
        _replace_ids(self.owners, owners)
        _replace_ids(self.editors, owners | frozenset(editors))

    def grant(self, user_id: int) -> None:
        self.editors.add_user_ids(user_id)

    def revoke(self, user_id: int) -> None:
        """Take an editor's rights away now; an owner keeps theirs."""
        if not self.is_owner(user_id):
            self.editors.remove_user_ids(user_id)
            self.menu_languages.pop(user_id, None)

    def commands_for(self, user_id: int) -> tuple[str, ...]:
        """The admin commands this user's menu lists, after the public ones."""
        if self.is_owner(user_id):
            return ADMIN_COMMANDS + OWNER_COMMANDS
        return ADMIN_COMMANDS if self.is_admin(user_id) else ()

    def bind(self, handler: BaseHandler) -> BaseHandler:
        """Put the admin handlers in ``handler`` (a conversation's too) behind this gate."""
        if isinstance(handler, AdminCommandHandler | AdminMessageHandler | AdminCallbackHandler):
            handler.admit(self.owners if handler.owners_only else self.editors)
        elif isinstance(handler, ConversationHandler):
            for state in (handler.entry_points, *handler.states.values(), handler.fallbacks):
                for inner in state:
                    self.bind(inner)
        return handler


def _replace_ids(user_filter: filters.User, user_ids: frozenset[int]) -> None:
    # add/remove take the filter's lock; assigning user_ids would not.
    user_filter.remove_user_ids(user_filter.user_ids - user_ids)
    user_filter.add_user_ids(user_ids)


# Admin handlers let nobody through until start() binds them to the gate
# (an Application whose gate never started fails closed), and then only in
# the admin's private chat with the bot.


class AdminCommandHandler(CommandHandler):
    """``/name`` for admins; new messages only, so an edit never repeats an action."""

    def __init__(self, command: str, callback, owners_only: bool = False) -> None:
        super().__init__(command, callback, filters=filters.User(allow_empty=False))
        self.owners_only = owners_only

    def admit(self, users: filters.User) -> None:
        self.filters = users & ADMIN_CHAT & filters.UpdateType.MESSAGE


class AdminMessageHandler(MessageHandler):
    """Messages from admins that match ``message_filters`` (a conversation's steps)."""

    def __init__(
        self, message_filters, callback, owners_only: bool = False, block: bool = True
    ) -> None:
        super().__init__(filters.User(allow_empty=False), callback, block=block)
        self.message_filters = message_filters
        self.owners_only = owners_only

    def admit(self, users: filters.User) -> None:
        self.filters = users & ADMIN_CHAT & self.message_filters


class AdminCallbackHandler(CallbackQueryHandler):
    """Buttons only admins may press: a removed editor's old buttons stop working."""

    def __init__(self, callback, pattern, owners_only: bool = False, block: bool = True) -> None:
        super().__init__(callback, pattern=pattern, block=block)
        self.owners_only = owners_only
        self.users = filters.User(allow_empty=False)

    def admit(self, users: filters.User) -> None:
        self.users = users

    def check_update(self, update: object):
        # filters.User looks at a message's sender; a button counts as its presser's.
        if not isinstance(update, Update) or update.effective_user is None:
            return None
        chat = update.effective_chat
        if chat is None or chat.type != Chat.PRIVATE:
            return None
        if update.effective_user.id not in self.users.user_ids:
            return None
        return super().check_update(update)


def admin_command(name: str, callback, owners_only: bool = False) -> AdminCommandHandler:
    """``/name`` for editors and owners (``owners_only``: owners alone)."""
    return AdminCommandHandler(name, callback, owners_only)


def admin_message(
    message_filters, callback, owners_only: bool = False, *, block: bool = True
) -> AdminMessageHandler:
    """A MessageHandler for admins only, e.g. a step of an admin conversation.

    ``block=False`` for slow work (reading an uploaded file): other updates,
    other people's included, are answered while it runs.
    """
    return AdminMessageHandler(message_filters, callback, owners_only, block)


def admin_callback(
    callback, pattern, owners_only: bool = False, *, block: bool = True
) -> AdminCallbackHandler:
    """A CallbackQueryHandler for admins only (``block=False`` for slow work, as above)."""
    return AdminCallbackHandler(callback, pattern, owners_only, block)


def gate(application: Application) -> AdminGate:
    """This Application's gate, made on first use."""
    return application.bot_data.setdefault(GATE_KEY, AdminGate())


def gate_of(context: ContextTypes.DEFAULT_TYPE) -> AdminGate:
    return gate(context.application)


async def start(application: Application) -> None:
    """At start-up: owners and editors into the gate, commands bound, admin menus set."""
    app = application.bot_data[SERVICES_KEY]
    admin_gate = gate(application)
    editors = await admin_store.list_editors(app.db)
    admin_gate.load(app.settings.admins, (editor.user_id for editor in editors))
    for group in application.handlers.values():
        for handler in group:
            admin_gate.bind(handler)
    for user_id in sorted(admin_gate.editors.user_ids):
        await show_menu(application, user_id)


async def show_menu(application: Application, user_id: int, language: str | None = None) -> bool:
    """Set the admin's private-chat menu: public commands, then theirs; False if refused.

    One scope per admin, with no language_code: it outranks every
    language-specific public menu, so the admin's chosen language wins over
    their app's. Telegram refuses a chat that never talked to the bot; the
    menu is then set when they first write (``sync_menu``).
    """
    admin_gate = gate(application)
    if not admin_gate.is_admin(user_id):
        return False
    app = application.bot_data[SERVICES_KEY]
    if language is None:
        # Known once they chose one with /language; sync_menu corrects it when they write.
        language = await chats.get_language(app.db, user_id) or app.settings.language
    label = app.messages.label
    names = MENU_COMMANDS + admin_gate.commands_for(user_id)
    commands = [BotCommand(name, label(f"cmd_{name}", language)) for name in names]
    try:
        await application.bot.set_my_commands(commands, scope=BotCommandScopeChat(user_id))
    except TelegramError as error:
        log.warning("could not set the admin menu of %d: %s", user_id, error)
        admin_gate.menu_languages.pop(user_id, None)
        return False
    if not admin_gate.is_admin(user_id):
        # Removed while the call was on its way: hide_menu may have run before it landed.
        await hide_menu(application, user_id)
        return False
    admin_gate.menu_languages[user_id] = language
    return True


async def hide_menu(application: Application, user_id: int) -> None:
    """Back to the public menu in the user's private chat."""
    gate(application).menu_languages.pop(user_id, None)
    try:
        await application.bot.delete_my_commands(scope=BotCommandScopeChat(user_id))
    except TelegramError as error:
        log.warning("could not remove the admin menu of %d: %s", user_id, error)


async def sync_menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Set an admin's menu when it is missing or in another language than the chat's."""
    language = await chat_language(update, context)
    user_id = update.effective_user.id
    if gate_of(context).menu_languages.get(user_id) != language:
        await show_menu(context.application, user_id, language)


def menu_sync_handler(application: Application) -> MessageHandler:
    admin_gate = gate(application)
    return MessageHandler(admin_gate.editors & ADMIN_CHAT, sync_menu, block=False)
