"""Play the users' side of Telegram against a real Application.

A test builds the real Application on a FakeBotAPI, initialises it, and lets a
ChatDriver send what users send::

    api = FakeBotAPI()
    app = (
        Application.builder()
        .token("123:TEST")
        .request(FakeRequest(api))
        .get_updates_request(FakeRequest(api))
        .build()
    )
    # register handlers (or build the real bot's application this way)
    await app.initialize()
    driver = ChatDriver(app, api)
    replies = await driver.send("/start")
    assert "Welcome" in replies[0].plain
    replies = await driver.press(replies[0], "English")
    await app.shutdown()

Updates are JSON dicts shaped like Telegram's, turned into Update objects by
PTB itself and fed through ``application.process_update``; the bot's answers
come back as the transcript records (``fakeapi.records.SentRecord``) the call
produced: new messages, edits, deletions, callback and inline answers.
Handlers that run with ``block=False`` are awaited before a call returns.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import warnings

from telegram import Message, Update
from telegram.ext import Application, ContextTypes
from telegram.warnings import PTBUserWarning

from fakeapi import objects
from fakeapi.records import CAUSE, SentRecord
from fakeapi.server import FakeBotAPI
from fakeapi.telegram_html import utf16_len

_LOGGER = logging.getLogger(__name__)


class ChatDriver:
    """Sends updates as users (one default user, or any ``user_id``) and collects replies."""

    def __init__(
        self,
        application: Application,
        api: FakeBotAPI,
        *,
        user_id: int = 1001,
        first_name: str = "Alice",
        language_code: str = "en",
        raise_errors: bool = False,
        settle_timeout: float = 60.0,
    ) -> None:
        """``raise_errors``: re-raise the first exception a handler raised, after the
        application's own error handlers ran. Off by default because a bot's error
        handler is often the behaviour under test (a blocked chat being switched off).
        Exceptions are always kept in ``driver.errors``.
        ``settle_timeout``: the longest wait for non-blocking handlers to finish: a
        safety net, long enough for a machine busy with other work.
        """
        self.application = application
        self.api = api
        self.user_id = user_id
        self.first_name = first_name
        self.language_code = language_code
        self.raise_errors = raise_errors
        self.settle_timeout = settle_timeout
        self.errors: list[BaseException] = []
        self._ids = itertools.count(1)
        # PTB logs handler errors only when no error handler exists; keep that visible.
        self._log_errors = not application.error_handlers
        application.add_error_handler(self._collect_error)

    async def _collect_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        self.errors.append(context.error)
        if self._log_errors:
            _LOGGER.error("A handler raised", exc_info=context.error)

    # -- what users do ----------------------------------------------------------

    async def send(
        self,
        text: str,
        *,
        chat_id: int | None = None,
        user_id: int | None = None,
        language_code: str | None = None,
        chat_type: str = "private",
        title: str | None = None,
        reply_to: SentRecord | dict | Message | int | None = None,
    ) -> list[SentRecord]:
        """A user writes ``text`` (a command gets its bot_command entity, as Telegram adds)."""
        user = self._user(user_id, language_code)
        chat = self._chat(chat_id, chat_type, user, title)
        message = self._message(chat, user)
        message["text"] = text
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": utf16_len(command)}
            ]
        if reply_to is not None:
            replied = self.api.message(chat["id"], _message_id(reply_to))
            if replied is None:
                raise LookupError(f"no message {_message_id(reply_to)} in chat {chat['id']}")
            message["reply_to_message"] = replied
        self.api.store_user_message(message)
        key = "channel_post" if chat["type"] == "channel" else "message"
        return await self.feed({key: message})

    async def press(
        self,
        message: SentRecord | dict | Message,
        button: str | int,
        *,
        user_id: int | None = None,
    ) -> list[SentRecord]:
        """A user presses an inline button (by its text or flat index) under a bot message."""
        chat_id = _chat_id(message)
        current = self.api.message(chat_id, _message_id(message))
        if current is None:
            raise LookupError(f"message {_message_id(message)} in chat {chat_id} is gone")
        chosen = _find_button(current, button)
        if "callback_data" not in chosen:
            raise ValueError(f"button {chosen['text']!r} has no callback_data to send")
        return await self.press_data(message, chosen["callback_data"], user_id=user_id)

    async def press_data(
        self,
        message: SentRecord | dict | Message,
        data: str | None,
        *,
        user_id: int | None = None,
    ) -> list[SentRecord]:
        """A callback query with ``data``, from ``message`` as it is now, whatever its buttons.

        What a client sends for a button on an outdated view of a message (its
        keyboard since changed or gone), or what a forged query carries; ``None``
        is a query with no data at all. A deleted message arrives as Telegram
        sends one it can no longer show: its chat, its id and date 0.
        """
        chat_id = _chat_id(message)
        current = self.api.message(chat_id, _message_id(message))
        if current is None:
            chat = self.api.chats.get(chat_id) or {"id": chat_id, "type": "private"}
            current = {"chat": chat, "message_id": _message_id(message), "date": 0}
        if user_id is None and current["chat"]["type"] == "private":
            user_id = chat_id
        query_id = f"cq{next(self._ids)}"
        self.api.register_callback_query(query_id, chat_id)
        query = {
            "id": query_id,
            "from": self._user(user_id, None),
            "message": current,
            "chat_instance": f"ci{chat_id}",
        }
        if data is not None:
            query["data"] = data
        return await self.feed({"callback_query": query})

    async def inline(
        self,
        query: str,
        *,
        user_id: int | None = None,
        offset: str = "",
        chat_type: str = "sender",
    ) -> list[SentRecord]:
        """A user types ``@casewatch_bot query`` in some chat."""
        user = self._user(user_id, None)
        query_id = f"iq{next(self._ids)}"
        self.api.register_inline_query(query_id, user["id"])
        inline_query = {
            "id": query_id,
            "from": user,
            "query": query,
            "offset": offset,
            "chat_type": chat_type,
        }
        return await self.feed({"inline_query": inline_query})

    async def my_chat_member(
        self,
        chat_id: int,
        new_status: str,
        *,
        old_status: str | None = None,
        chat_type: str | None = None,
        title: str | None = None,
        by_user_id: int | None = None,
        **rights,
    ) -> list[SentRecord]:
        """The bot's own membership changed: added to a group, made admin, removed, blocked.

        The fake API follows: a private chat whose new status is "kicked" is
        blocked, a group the bot left or was kicked from refuses further calls.
        """
        chat_type = chat_type or self.api.chat_type(chat_id)
        actor = self._user(chat_id if chat_type == "private" else by_user_id, None)
        chat = self._chat(chat_id, chat_type, actor, title)
        bot_id = self.api.bot_user["id"]
        old = self.api.members.get((chat_id, bot_id))
        if old is None or old_status is not None:
            default_old = "member" if chat_type == "private" else "left"
            old = objects.member(self.api.bot_user, old_status or default_old, chat_type)
        if chat_type == "private":
            if new_status == "kicked":
                self.api.block(chat_id)
            else:
                self.api.unblock(chat_id)
        elif new_status in ("left", "kicked"):
            self.api.kick(chat_id)
        else:
            self.api.unkick(chat_id)
        new = self.api.set_member(chat_id, bot_id, new_status, **rights)
        update = {
            "chat": chat,
            "from": actor,
            "date": int(self.api.clock()),
            "old_chat_member": old,
            "new_chat_member": new,
        }
        return await self.feed({"my_chat_member": update})

    async def migrate(
        self, chat_id: int, new_chat_id: int, *, by_user_id: int | None = None
    ) -> list[SentRecord]:
        """A group becomes a supergroup: Telegram posts a service message in each."""
        user = self._user(by_user_id, None)
        old_chat = self._chat(chat_id, "group", user, None)
        self.api.migrate(chat_id, new_chat_id)
        new_chat = self.api.add_chat(new_chat_id, "supergroup", title=old_chat.get("title"))
        in_old = self._message(old_chat, user)
        in_old["migrate_to_chat_id"] = new_chat_id
        in_new = self._message(new_chat, user)
        in_new["migrate_from_chat_id"] = chat_id
        replies = await self.feed({"message": in_old})
        return replies + await self.feed({"message": in_new})

    async def stay_silent(self) -> list[SentRecord]:
        """The user stops answering until every conversation waiting on a reply times out.

        Runs the timeout jobs that PTB's ConversationHandler scheduled, now, instead
        of waiting for them in real time; returns what they sent.
        """
        first_record = len(self.api.sent)
        for group in self.application.handlers.values():
            for handler in group:
                for job in list(getattr(handler, "timeout_jobs", {}).values()):
                    job.schedule_removal()  # it runs here, not again later
                    await job.run(self.application)
        with self.api.lock:
            return self.api.sent[first_record:]

    async def feed(self, update: dict) -> list[SentRecord]:
        """Process one raw update (``update_id`` added) and return what the bot did."""
        update_id = self.api.next_update_id()
        update = {"update_id": update_id, **update}
        first_record = len(self.api.sent)
        first_error = len(self.errors)
        before = asyncio.all_tasks()
        cause = CAUSE.set(update_id)
        try:
            with warnings.catch_warnings():
                # PTB warns that tasks of a stopped application go unawaited; _settle awaits them.
                warnings.filterwarnings("ignore", "Tasks created via", PTBUserWarning)
                await self.application.process_update(Update.de_json(update, self.application.bot))
            await self._settle(before)
        finally:
            CAUSE.reset(cause)
        if self.raise_errors and len(self.errors) > first_error:
            raise self.errors[first_error]
        with self.api.lock:
            # Only what this update caused: an alert the sender happened to send
            # meanwhile is not a reply (api.sent and api.messages_to show those).
            return [record for record in self.api.sent[first_record:] if record.cause == update_id]

    # -- building blocks --------------------------------------------------------

    async def _settle(self, before: set[asyncio.Task]) -> None:
        """Wait for tasks the update started (block=False handlers, create_task)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settle_timeout
        current = asyncio.current_task()
        while True:
            started = {
                task
                for task in asyncio.all_tasks()
                if task not in before and task is not current and not task.done()
            }
            remaining = deadline - loop.time()
            if not started or remaining <= 0:
                return
            await asyncio.wait(started, timeout=remaining)

    def _user(self, user_id: int | None, language_code: str | None) -> dict:
        user_id = self.user_id if user_id is None else user_id
        known = self.api.users.get(user_id)
        if known is not None and language_code in (None, known.get("language_code")):
            return dict(known)
        first_name = self.first_name if user_id == self.user_id else None
        code = language_code or (known or {}).get("language_code") or self.language_code
        return dict(self.api.add_user(user_id, first_name, language_code=code))

    def _chat(self, chat_id: int | None, chat_type: str, user: dict, title: str | None) -> dict:
        if chat_id is None:
            if chat_type != "private":
                raise ValueError(f"a {chat_type} chat needs a chat_id")
            chat_id = user["id"]
        known = self.api.chats.get(chat_id)
        if known is not None and known["type"] == chat_type and title in (None, known.get("title")):
            return dict(known)
        first_name = user["first_name"] if chat_type == "private" else None
        return dict(self.api.add_chat(chat_id, chat_type, title=title, first_name=first_name))

    def _message(self, chat: dict, user: dict) -> dict:
        message = {
            "message_id": self.api.next_message_id(chat["id"]),
            "date": int(self.api.clock()),
            "chat": chat,
        }
        if chat["type"] == "channel":
            message["sender_chat"] = chat
        else:
            message["from"] = user
        return message


def _chat_id(message: SentRecord | dict | Message) -> int:
    if isinstance(message, SentRecord):
        return message.chat_id
    if isinstance(message, Message):
        return message.chat_id
    return message["chat"]["id"]


def _message_id(message: SentRecord | dict | Message | int) -> int:
    if isinstance(message, int):
        return message
    if isinstance(message, SentRecord | Message):
        return message.message_id
    return message["message_id"]


def _find_button(message: dict, button: str | int) -> dict:
    buttons = [b for row in message.get("reply_markup", {}).get("inline_keyboard", []) for b in row]
    if isinstance(button, int):
        if not 0 <= button < len(buttons):
            raise LookupError(f"no button #{button}; the message has {len(buttons)}")
        return buttons[button]
    for candidate in buttons:
        if candidate["text"] == button:
            return candidate
    texts = [candidate["text"] for candidate in buttons]
    raise LookupError(f"no button {button!r}; the message has {texts}")
