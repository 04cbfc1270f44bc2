"""An editor's conversation with the bot: what every one shares, so a feature writes its steps.

An editor starts a conversation in the private chat with the bot (a
command, or a button under a preview) and answers its steps there; what it
gathered waits in their ``user_data`` under the conversation's key, one per
editor. /cancel drops it and says so, and so does a long silence (the
timeout, fifteen minutes unless said otherwise); starting again drops what
was left open. Every step is admin-gated (``handlers.shared.admin_access``):
for anyone else nothing here matches, and an update falls through.

PTB tracks a conversation's buttons per chat, not per message: that is the
intent (each button names its step or its preview, and a stale one finds no
state), so its warning about it is silenced here, once.
"""

from __future__ import annotations

import warnings
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, ContextTypes, ConversationHandler, TypeHandler
from telegram.warnings import PTBUserWarning

from handlers.shared.admin_access import admin_command
from handlers.shared.replies import chat_language, send

TIMEOUT_SECONDS = 15 * 60

Callback = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[Any]]


@dataclass(frozen=True)
class Said:
    """A message to the editor: a template and the values it is rendered with."""

    template: str
    values: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class DraftKept:
    """A conversation's draft, ``user_data[key]``, and what the editor hears when it is dropped.

    ``cancelled`` after /cancel, in the chat's language; ``timed_out`` after the
    silence (nothing, if None), in the draft's own language (``language`` of
    the draft) or the chat's when there is none.
    """

    key: str
    cancelled: Said
    timed_out: Said | None = None
    language: Callable[[Any], str] | None = None

    async def cancel(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        """/cancel: drop the draft and say so."""
        context.user_data.pop(self.key, None)
        lang = await chat_language(update, context)
        await send(update, context, self.cancelled.template, lang, **self.cancelled.values)
        return ConversationHandler.END

    async def time_out(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A long silence: drop the draft, and say so in the language it was begun in."""
        draft = context.user_data.pop(self.key, None)
        if self.timed_out is None:
            return
        if draft and self.language is not None:
            lang = self.language(draft)
        else:
            lang = await chat_language(update, context)
        await send(update, context, self.timed_out.template, lang, **self.timed_out.values)


def admin_conversation(
    name: str,
    entry: BaseHandler,
    steps: Mapping[object, Sequence[BaseHandler]],
    *,
    cancel: Callback,
    timed_out: Callback,
    timeout: float = TIMEOUT_SECONDS,
) -> ConversationHandler:
    """The conversation ``name``: begun by ``entry``, then ``steps`` (state -> its handlers);
    /cancel answered by ``cancel``, a silence of ``timeout`` seconds by ``timed_out``."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "If 'per_message=False'", PTBUserWarning)
        return ConversationHandler(
            entry_points=[entry],
            states={
                **{state: list(handlers) for state, handlers in steps.items()},
                ConversationHandler.TIMEOUT: [TypeHandler(Update, timed_out)],
            },
            fallbacks=[admin_command("cancel", cancel)],
            allow_reentry=True,
            conversation_timeout=timeout,
            name=name,
        )
