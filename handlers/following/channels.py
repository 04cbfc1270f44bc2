"""/channel: a channel's own subscriptions and settings, managed from a private chat;
and what follows when the bot's place in a chat changes (removed, demoted, migrated).

Every /channel action asks Telegram again whether the user administers the
channel and the bot may post there; nothing about rights is stored.

A channel's own posts are not written to the bot, and whatever the bot posts
in a channel every reader sees: no post is ever answered in the channel (PTB
offers channel posts to message handlers like any message, so the catch-all
would answer a command there), except /channel itself, which says where
channels are managed. Nor is a channel's post copied into its discussion group
(an automatic forward) answered there.
"""

from __future__ import annotations

import logging
import re

from telegram import Chat, ChatMember, Update
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import (
    ApplicationHandlerStop,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from handlers.following.settings import settings_view
from handlers.following.subscriptions import answer, list_view
from handlers.shared.follows import FOLLOWS_KEY
from handlers.shared.permissions import channel_name, channel_target, check_channel, refuse_channel
from handlers.shared.replies import chat_language, send
from handlers.shared.services import services
from messages.render import language_for
from storage import channels, chats

log = logging.getLogger(__name__)

ACTIONS = ("add", "settings", "subscribe", "unsubscribe", "remove")
CHANNEL_ID = re.compile(r"-100\d{5,16}")
USERNAME = re.compile(r"(?:https?://)?(?:t\.me/|@)?([A-Za-z][A-Za-z0-9_]{3,31})")
# The bot's rights a channel needs; losing them switches it off, regaining them on.
RIGHTS_PROBLEMS = ("bot_not_admin", "bot_cannot_post")


def parse_reference(text: str) -> int | str | None:
    """@name, a t.me link or a channel id (-100...) as getChat accepts it."""
    if CHANNEL_ID.fullmatch(text):
        return int(text)
    match = USERNAME.fullmatch(text)
    return f"@{match[1]}" if match else None


def handle(chat: Chat) -> str:
    """What the user types to name this channel in later commands."""
    return f"@{chat.username}" if chat.username else str(chat.id)


async def channel_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Dispatch /channel add|list|settings|subscribe|unsubscribe|remove."""
    lang = await chat_language(update, context)
    if update.effective_chat.type != Chat.PRIVATE:
        await send(update, context, "channel_private_only", lang)
        return
    args = context.args or []
    action = args[0].lower() if args else ""
    if action == "list":
        await list_channels(update, context, lang)
        return
    reference = parse_reference(args[1]) if len(args) > 1 else None
    if action not in ACTIONS or reference is None:
        await send(update, context, "channel_usage", lang)
        return
    if action == "add":
        await add(update, context, reference, lang)
    elif action == "remove":
        await remove(update, context, reference, lang)
    elif (target := await channel_target(update, context, reference)) is None:
        return
    elif action == "settings":
        values, keyboard = await settings_view(context, target, lang)
        await send(update, context, "settings", lang, keyboard, **values)
        values, keyboard = await list_view(context, target, lang)
        await send(update, context, "subscriptions", lang, keyboard, **values)
    else:
        query = " ".join(args[2:])
        await answer(update, context, target, query, lang, action == "subscribe")


async def add(update: Update, context: ContextTypes.DEFAULT_TYPE, reference, lang: str) -> None:
    """Register a channel the user administers and where the bot may post."""
    check = await check_channel(context.bot, reference, update.effective_user.id)
    if check.problem is not None:
        shown = channel_name(check.chat) if check.chat else str(reference)
        await refuse_channel(update, context, check.problem, shown)
        return
    db = services(context).db
    new = await channels.register_channel(db, check.chat.id, lang, update.effective_user.id)
    await send(
        update,
        context,
        "channel_added",
        lang,
        channel=channel_name(check.chat),
        handle=handle(check.chat),
        new=new,
    )


async def remove(update: Update, context: ContextTypes.DEFAULT_TYPE, reference, lang: str) -> None:
    """Unregister a channel; its subscriptions and pending alerts go with it."""
    db = services(context).db
    user_id = update.effective_user.id
    check = await check_channel(context.bot, reference, user_id)
    channel_id = check.chat.id if check.chat else reference if isinstance(reference, int) else None
    row = await channels.get_channel(db, channel_id) if channel_id is not None else None
    shown = channel_name(check.chat) if check.chat else str(reference)
    # A channel that removed the bot cannot tell us who its admins are: the
    # user who registered it may still take it off the list.
    allowed = check.problem is None or (
        row is not None
        and row.managed_by == user_id
        and (check.problem in RIGHTS_PROBLEMS or check.chat is None)
    )
    if row is None or not allowed:
        await refuse_channel(update, context, "not_registered" if allowed else check.problem, shown)
        return
    await channels.remove_channel(db, row.id)
    await send(update, context, "channel_removed", lang, channel=shown)


async def list_channels(update: Update, context: ContextTypes.DEFAULT_TYPE, lang: str) -> None:
    """The channels this user registered, with their state; names asked of Telegram."""
    listed = []
    for channel in await channels.channels_of(services(context).db, update.effective_user.id):
        try:
            chat = await context.bot.get_chat(channel.id)
            name, typed = channel_name(chat), handle(chat)
        except (BadRequest, Forbidden):
            name = typed = str(channel.id)
        listed.append(
            {
                "name": name,
                "handle": typed,
                "active": channel.active,
                "off_reason": channel.off_reason,
            }
        )
    await send(update, context, "channel_list", lang, channels=listed)


async def my_status_changed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Switch a chat's alerts off when the bot is removed or may not post; on when it may."""
    change = update.my_chat_member
    chat, member = change.chat, change.new_chat_member
    if member.status in (ChatMember.LEFT, ChatMember.BANNED):
        active, reason = False, "blocked" if chat.type == Chat.PRIVATE else "removed"
    elif chat.type == Chat.CHANNEL:
        may_post = member.status == ChatMember.ADMINISTRATOR and member.can_post_messages
        active, reason = bool(may_post), "cannot_post"
    elif member.status == ChatMember.RESTRICTED and not member.can_send_messages:
        active, reason = False, "cannot_post"
    else:
        active, reason = True, None
    db = services(context).db
    before = await channels.get_channel(db, chat.id)
    if not await channels.switch(db, chat.id, active, reason):
        return  # a chat we keep nothing for: nothing to switch
    if before is not None and before.managed_by and before.active != active:
        await tell_manager(update, context, before.managed_by, active, reason)


async def tell_manager(update, context, user_id: int, active: bool, reason) -> None:
    """Let the user who registered a channel know it was switched off or on."""
    app = services(context)
    lang = await chats.get_language(app.db, user_id)
    actor = update.effective_user
    if lang is None and actor is not None and actor.id == user_id:
        # The manager changed the rights themselves: Telegram says their language.
        lang = language_for(actor.language_code, app.settings.language)
    channel = channel_name(update.effective_chat)
    values = {"channel": channel, "active": active, "off_reason": reason}
    try:
        for text in app.messages.parts("channel_switched", lang or app.settings.language, **values):
            await context.bot.send_message(user_id, text)
    except TelegramError as error:
        # The user may have blocked the bot; the channel's state is stored either way.
        log.info("could not tell a channel's manager about its switch: %s", error)


async def migrated(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Keep a group's subscriptions and settings when it becomes a supergroup."""
    message = update.effective_message
    old_id = message.migrate_from_chat_id or message.chat.id
    new_id = message.migrate_to_chat_id or message.chat.id
    await channels.migrate_chat(services(context).db, old_id, new_id)
    application = context.application
    # Telegram sends two service messages; only the first still finds the old data.
    if application.chat_data.get(old_id):
        application.migrate_chat_data(old_chat_id=old_id, new_chat_id=new_id)
    new_data = application.chat_data.get(new_id)
    if new_data is not None:
        new_data.pop(FOLLOWS_KEY, None)  # reread under the new id on the next update


async def channel_in_a_channel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/channel posted in a channel: channels are managed in a private chat; nothing else."""
    try:
        await send(update, context, "channel_private_only", await chat_language(update, context))
    except TelegramError as error:
        log.info("could not answer /channel in a channel: %s", error)
    except Exception:
        # A bug: logged, and still no other handler may answer the post.
        log.exception("answering /channel in a channel failed")
    raise ApplicationHandlerStop


async def a_channels_post(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A channel's post (or its copy in the discussion group) goes no further: no answer."""
    raise ApplicationHandlerStop


def channel_post_handlers() -> list:
    """For a group ahead of the features: a channel's posts stop there."""
    return [
        CommandHandler("channel", channel_in_a_channel, filters=filters.UpdateType.CHANNEL_POST),
        MessageHandler(
            filters.UpdateType.CHANNEL_POSTS | filters.IS_AUTOMATIC_FORWARD, a_channels_post
        ),
    ]


def handlers() -> list:
    return [
        CommandHandler("channel", channel_command),
        ChatMemberHandler(my_status_changed, ChatMemberHandler.MY_CHAT_MEMBER),
        MessageHandler(filters.StatusUpdate.MIGRATE, migrated),
    ]
