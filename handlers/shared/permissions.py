"""Who may change what: a group's admins for a group, a channel's admins for a channel.

Anyone may read cards anywhere; changing what a group or channel receives
is for the people Telegram says run it. Rights are asked of Telegram at the
moment of the change and never stored.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from telegram import Bot, Chat, ChatMember, Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import ContextTypes

from handlers.shared.replies import chat_language, send
from handlers.shared.services import services
from storage import channels

ADMIN_STATUSES = frozenset({ChatMember.OWNER, ChatMember.ADMINISTRATOR})
GROUP_TYPES = frozenset({Chat.GROUP, Chat.SUPERGROUP})


async def is_admin(bot: Bot, chat_id: int | str, user_id: int) -> bool:
    """True when Telegram lists the user as the chat's owner or an administrator."""
    try:
        member = await bot.get_chat_member(chat_id, user_id)
    except (BadRequest, Forbidden):
        # Not a member, or we cannot see the member list: not an admin we can vouch for.
        # Network errors propagate so a timeout is not mistaken for a refusal.
        return False
    return member.status in ADMIN_STATUSES


async def may_change_this_chat(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Private chats belong to their user; a group needs one of its admins."""
    chat = update.effective_chat
    if chat is None or chat.type not in GROUP_TYPES:
        return chat is not None and chat.type == Chat.PRIVATE
    message = update.message
    # An anonymous admin writes as the group itself; only admins can do that.
    if message is not None and message.sender_chat is not None:
        return message.sender_chat.id == chat.id
    user = update.effective_user
    return user is not None and await is_admin(context.bot, chat.id, user.id)


async def refuse(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Say briefly that only the group's admins can do this."""
    lang = await chat_language(update, context)
    if update.callback_query is not None:
        text = services(context).messages.label("not_admin_alert", lang)
        await update.callback_query.answer(text, show_alert=True)
    else:
        await send(update, context, "not_admin", lang)


def group_admins_only(callback):
    """Gate a handler that changes this chat: in groups, admins only."""

    @functools.wraps(callback)
    async def gated(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if await may_change_this_chat(update, context):
            await callback(update, context)
        else:
            await refuse(update, context)

    return gated


@dataclass(frozen=True)
class ChannelCheck:
    # None when everything is in order, else why not: not_found, not_channel,
    # bot_not_admin, bot_cannot_post, user_not_admin; channel_target adds not_registered.
    problem: str | None
    chat: Chat | None = None


async def check_channel(bot: Bot, reference: int | str, user_id: int) -> ChannelCheck:
    """Is ``reference`` a channel where the bot may post and the user is an admin?

    The bot is checked first: without admin rights it cannot even see who
    else administers the channel.
    """
    try:
        chat = await bot.get_chat(reference)
    except (BadRequest, Forbidden):
        return ChannelCheck("not_found")
    if chat.type != Chat.CHANNEL:
        return ChannelCheck("not_channel", chat)
    try:
        me = await bot.get_chat_member(chat.id, bot.id)
    except (BadRequest, Forbidden):
        return ChannelCheck("bot_not_admin", chat)
    if me.status != ChatMember.ADMINISTRATOR:
        return ChannelCheck("bot_not_admin", chat)
    if not getattr(me, "can_post_messages", False):
        return ChannelCheck("bot_cannot_post", chat)
    if not await is_admin(bot, chat.id, user_id):
        return ChannelCheck("user_not_admin", chat)
    return ChannelCheck(None, chat)


@dataclass(frozen=True)
class Target:
    """The chat whose subscriptions and settings a command changes."""

    chat_id: int
    kind: str
    channel: str | None = None  # the channel's name, when managed from a private chat

    @property
    def ref(self) -> str:
        """How buttons name the target: empty for the chat the button is in."""
        return "" if self.channel is None else str(self.chat_id)


def this_chat(update: Update) -> Target:
    return Target(update.effective_chat.id, update.effective_chat.type)


def channel_name(chat: Chat) -> str:
    return chat.title or (f"@{chat.username}" if chat.username else str(chat.id))


async def refuse_channel(
    update: Update, context: ContextTypes.DEFAULT_TYPE, problem: str, channel: str
) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer()
    lang = await chat_language(update, context)
    await send(update, context, "channel_refused", lang, problem=problem, channel=channel)


async def channel_target(
    update: Update, context: ContextTypes.DEFAULT_TYPE, reference: int | str
) -> Target | None:
    """The registered channel, if the user may manage it now; else refuse and None."""
    check = await check_channel(context.bot, reference, update.effective_user.id)
    shown = channel_name(check.chat) if check.chat is not None else str(reference)
    if (
        check.problem is None
        and await channels.get_channel(services(context).db, check.chat.id) is None
    ):
        check = ChannelCheck("not_registered", check.chat)
    if check.problem is not None:
        await refuse_channel(update, context, check.problem, shown)
        return None
    return Target(check.chat.id, Chat.CHANNEL, shown)


async def target_for(update: Update, context: ContextTypes.DEFAULT_TYPE, ref: str) -> Target | None:
    """Resolve a button's target and check the presser's rights; None when refused."""
    if not ref:
        if await may_change_this_chat(update, context):
            return this_chat(update)
        await refuse(update, context)
        return None
    # Channel buttons only ever appear in the manager's private chat.
    if update.effective_chat.type != Chat.PRIVATE or not ref.lstrip("-").isdigit():
        await update.callback_query.answer()
        return None
    return await channel_target(update, context, int(ref))
