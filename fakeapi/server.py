"""A Telegram Bot API that lives in the test process and answers like the real one.

``FakeBotAPI.handle(method, params)`` returns exactly the JSON Telegram would:
the same results, the same refusals in the same words. The transports in
``fakeapi.request`` (in-process) and ``fakeapi.http`` (a local HTTP server) put
it behind python-telegram-bot, so the real Application runs against it.

On top of validation it can misbehave on demand, because the hard part of a
bot is what happens when Telegram says no: ``block``, ``kick``, ``migrate``,
``fail_next``, ``timeout_next``, ``rate_limit`` and ``go_down``.

All state sits behind one re-entrant lock, so the HTTP server's threads and the
test's own thread can share an instance.
"""

from __future__ import annotations

import copy
import json
import re
import threading
import time
from collections.abc import Callable

from fakeapi import objects
from fakeapi.api_bot import BotMethods, scope_key
from fakeapi.api_chats import ChatMethods
from fakeapi.api_messages import MessageMethods
from fakeapi.errors import ApiError, FakeTimeout, FakeUnreachable, bad_request
from fakeapi.faults import RATE_LIMITED, Plan, RateLimiter, take
from fakeapi.files import FileMethods
from fakeapi.params import Upload, coerce
from fakeapi.records import CAUSE, CallRecord, SentRecord
from fakeapi.registry import collect
from fakeapi.telegram_html import TextRejected

BLOCKED = "Forbidden: bot was blocked by the user"
MIGRATED = "Bad Request: group chat was upgraded to a supergroup chat"
_KICKED = {
    "group": "Forbidden: bot was kicked from the group chat",
    "supergroup": "Forbidden: bot was kicked from the supergroup chat",
    "channel": "Forbidden: bot is not a member of the channel chat",
    "private": BLOCKED,
}
_OUTBOUND_PREFIXES = ("send", "edit", "copy", "forward")
_TOKEN = re.compile(r"\d+:[\w-]+")


class FakeBotAPI(MessageMethods, ChatMethods, BotMethods, FileMethods):
    """Bot API state and answers. See the module docstring."""

    def __init__(
        self,
        *,
        bot_id: int = 5_000_000_001,
        username: str = "casewatch_bot",
        first_name: str = "casewatch",
        token: str | None = None,
        strict_html: bool = True,
        known_chats_only: bool = False,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """``token``: if given, any other token gets 401 as on Telegram.
        ``strict_html``: see fakeapi.telegram_html; False accepts exactly what Telegram does.
        ``known_chats_only``: "chat not found" for chats never added or written to by a user.
        ``clock``: seconds; message dates and the rate limiter read it, so tests can step it.
        """
        self.lock = threading.RLock()
        self._updates_ready = threading.Condition(self.lock)
        self.bot_user = {"id": bot_id, "is_bot": True, "first_name": first_name}
        self.bot_user["username"] = username
        self.token = token
        self.strict_html = strict_html
        self.known_chats_only = known_chats_only
        self.clock = clock

        self.chats: dict[int, dict] = {}
        self.users: dict[int, dict] = {}
        self.members: dict[tuple[int, int], dict] = {}
        self.messages: dict[tuple[int, int], dict] = {}
        self.files: dict[str, tuple[dict, bytes]] = {}
        self.commands: dict[tuple[str, str], list[dict]] = {}
        self.profile_texts: dict[tuple[str, str], str] = {}
        self.menu_buttons: dict[object, dict] = {}
        self.callback_queries: dict[str, dict] = {}
        self.inline_queries: dict[str, dict] = {}
        self.pending_updates: list[dict] = []
        self.webhook_url = ""
        self.webhook_secret: str | None = None
        self.webhook_error: tuple[int, str] | None = None  # (date, message) for getWebhookInfo
        self.chat_actions: list[tuple[int, str]] = []

        self.sent: list[SentRecord] = []
        self.calls: list[CallRecord] = []
        self.too_many_requests = 0

        self._blocked: dict[int, str] = {}
        self._kicked: set[int] = set()
        self._migrated: dict[int, int] = {}
        self._plans: list[Plan] = []
        self._timeouts: list[Plan] = []
        self._limiter: RateLimiter | None = None
        self._down: str | None = None  # "bad_gateway" or "unreachable" while Telegram is down
        self._message_ids: dict[int, int] = {}
        self._update_id = 0

    _methods = (
        collect(MessageMethods) | collect(ChatMethods) | collect(BotMethods) | collect(FileMethods)
    )

    # -- answering -------------------------------------------------------------

    def handle(self, method: str, params: dict, files: dict[str, Upload] | None = None) -> dict:
        """The JSON reply to one Bot API call. Lost replies (timeout_next) do not apply here."""
        with self.lock:
            try:
                typed = coerce(params, files)
            except ApiError as error:
                return self._log(method, params, error.reply())
            return self._execute(method, typed)

    def call(
        self,
        method: str,
        params: dict,
        files: dict[str, Upload] | None = None,
        token: str | None = None,
    ) -> tuple[int, dict]:
        """What a transport needs: HTTP status and JSON body, or FakeTimeout for no reply."""
        with self.lock:
            if token is not None and not _TOKEN.fullmatch(token):
                return 404, ApiError(404).reply()
            if token is not None and self.token is not None and token != self.token:
                return 401, ApiError(401).reply()
            try:
                typed = coerce(params, files)
            except ApiError as error:
                return error.error_code, self._log(method, params, error.reply())
            if self._down == "unreachable":
                self.calls.append(CallRecord(method, typed, None, self.clock()))
                raise FakeUnreachable(method)
            if self._down == "bad_gateway":
                return 502, self._log(method, typed, ApiError(502).reply())
            lost = take(self._timeouts, method, typed)
            if lost is not None:
                if lost.delivered:
                    self._execute(method, typed)
                self.calls.append(CallRecord(method, typed, None, self.clock()))
                raise FakeTimeout(method)
            reply = self._execute(method, typed)
            return reply.get("error_code", 200), reply

    def _execute(self, method: str, params: dict) -> dict:
        try:
            function = self._methods.get(method.lower())
            if function is None:
                raise ApiError(404)
            self._check_faults(method, params)
            reply = {"ok": True, "result": function(self, params)}
        except ApiError as error:
            reply = error.reply()
        except TextRejected as error:
            reply = ApiError(400, error.description).reply()
        # A JSON round trip: the reply is a snapshot, and provably what the wire would carry.
        return self._log(method, params, json.loads(json.dumps(reply)))

    def _log(self, method: str, params: dict, reply: dict) -> dict:
        self.calls.append(CallRecord(method, params, reply, self.clock()))
        return reply

    def _check_faults(self, method: str, params: dict) -> None:
        plan = take(self._plans, method, params)
        if plan is not None:
            raise plan.error
        chat_id = self._resolve_chat_id(params.get("chat_id"))
        if chat_id in self._migrated:
            raise ApiError(400, MIGRATED, {"migrate_to_chat_id": self._migrated[chat_id]})
        if chat_id in self._kicked:
            raise ApiError(403, _KICKED[self.chat_type(chat_id)])
        if chat_id in self._blocked and method.lower().startswith(_OUTBOUND_PREFIXES):
            raise ApiError(403, self._blocked[chat_id])
        if self._limiter is not None and method.lower() in RATE_LIMITED:
            try:
                self._limiter.admit(chat_id, self.clock())
            except ApiError:
                self.too_many_requests += 1
                raise

    # -- helpers for the method mixins ----------------------------------------

    def _resolve_chat_id(self, chat_id: object) -> object:
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            for known in self.chats.values():
                if known.get("username", "").lower() == chat_id[1:].lower():
                    return known["id"]
        return chat_id

    def chat_type(self, chat_id: int) -> str:
        """The chat's type: as added, else what its id implies."""
        known = self.chats.get(chat_id)
        return known["type"] if known else objects.chat_type_for(chat_id)

    def _chat(self, chat_id: object) -> dict:
        if chat_id in (None, ""):
            raise bad_request("chat_id is empty")
        chat_id = self._resolve_chat_id(chat_id)
        if not isinstance(chat_id, int):
            raise bad_request("chat not found")
        if chat_id not in self.chats:
            if self.known_chats_only:
                raise bad_request("chat not found")
            self.chats[chat_id] = objects.chat(chat_id)
        return self.chats[chat_id]

    def _record(
        self,
        method: str,
        params: dict,
        chat_id: int | None,
        text: str | None,
        plain: str | None,
        markup: dict | None,
        message: dict | None,
    ) -> None:
        message = copy.deepcopy(message)
        entities = (message or {}).get("entities") or (message or {}).get("caption_entities")
        self.sent.append(
            SentRecord(
                chat_id=chat_id,
                method=method,
                text=text,
                plain=plain,
                reply_markup=copy.deepcopy(markup),
                message_id=message["message_id"] if message else None,
                time=self.clock(),
                entities=entities or [],
                params=copy.deepcopy(params),
                message=message,
                cause=CAUSE.get(),
            )
        )

    # -- the world the bot lives in -------------------------------------------

    def add_chat(
        self,
        chat_id: int,
        chat_type: str | None = None,
        *,
        title: str | None = None,
        username: str | None = None,
        first_name: str | None = None,
    ) -> dict:
        """Make a chat known (getChat finds it; messages carry these details)."""
        with self.lock:
            self.chats[chat_id] = objects.chat(
                chat_id, chat_type, title=title, username=username, first_name=first_name
            )
            return self.chats[chat_id]

    def add_user(self, user_id: int, first_name: str | None = None, **details) -> dict:
        """Make a user known; ``details``: username, last_name, language_code."""
        with self.lock:
            self.users[user_id] = objects.user(user_id, first_name, **details)
            return self.users[user_id]

    def set_member(self, chat_id: int, user_id: int, status: str, **rights) -> dict:
        """What getChatMember answers for this user (the bot too) in this chat."""
        with self.lock:
            if user_id == self.bot_user["id"]:
                user_data = self.bot_user
            else:
                user_data = self.users.get(user_id) or objects.user(user_id)
            member = objects.member(user_data, status, self.chat_type(chat_id), **rights)
            self.members[(chat_id, user_id)] = member
            return member

    def next_message_id(self, chat_id: int) -> int:
        """Message ids count up per chat, shared by the bot's and the users' messages."""
        with self.lock:
            self._message_ids[chat_id] = self._message_ids.get(chat_id, 0) + 1
            return self._message_ids[chat_id]

    def next_update_id(self) -> int:
        with self.lock:
            self._update_id += 1
            return self._update_id

    def store_user_message(self, message: dict) -> None:
        """Keep a message a user sent, so the bot can reply to it and tests can find it."""
        with self.lock:
            self.messages[(message["chat"]["id"], message["message_id"])] = copy.deepcopy(message)

    def register_callback_query(self, query_id: str, chat_id: int | None = None) -> None:
        with self.lock:
            self.callback_queries[query_id] = {"chat_id": chat_id, "answer": None}

    def register_inline_query(self, query_id: str, user_id: int) -> None:
        with self.lock:
            self.inline_queries[query_id] = {"user_id": user_id, "answer": None}

    def push_update(self, update: dict) -> dict:
        """Queue an update for getUpdates (a polling bot, or a bot in another process).

        It is served as given, whatever its shape (one the library cannot read,
        say), with the next update_id unless it carries its own.
        """
        with self.lock:
            update = {"update_id": self.next_update_id(), **update}
            self.pending_updates.append(update)
            self._updates_ready.notify_all()
            return update

    def wait_for_updates(self, timeout: float) -> bool:
        """Block until an update is queued or ``timeout`` passes: getUpdates' long poll."""
        with self._updates_ready:
            return self._updates_ready.wait_for(lambda: bool(self.pending_updates), timeout)

    # -- faults ------------------------------------------------------------------

    def block(self, chat_id: int, description: str = BLOCKED) -> None:
        """The user blocked the bot: every send to the chat gets 403."""
        with self.lock:
            self._blocked[chat_id] = description

    def unblock(self, chat_id: int) -> None:
        with self.lock:
            self._blocked.pop(chat_id, None)

    def kick(self, chat_id: int) -> None:
        """The bot was removed from the group: every call about it gets 403."""
        with self.lock:
            self._kicked.add(chat_id)
            self.set_member(chat_id, self.bot_user["id"], "kicked")

    def unkick(self, chat_id: int) -> None:
        with self.lock:
            self._kicked.discard(chat_id)
            self.set_member(chat_id, self.bot_user["id"], "member")

    def migrate(self, chat_id: int, new_chat_id: int) -> None:
        """The group became a supergroup: calls about the old id get 400 with the new id."""
        with self.lock:
            old = self.chats.get(chat_id) or objects.chat(chat_id)
            self._migrated[chat_id] = new_chat_id
            self.chats.setdefault(
                new_chat_id,
                objects.chat(new_chat_id, "supergroup", title=old.get("title")),
            )

    def fail_next(
        self,
        method: str | None,
        error_code: int,
        description: str | None = None,
        retry_after: int | None = None,
        chat_id: int | None = None,
        times: int = 1,
        after: int = 0,
    ) -> None:
        """The next ``times`` calls of ``method`` (None: any) fail with this error,
        once ``after`` of them have gone through (the second part of a long message).

        The description defaults to Telegram's for the code: 429 "Too Many
        Requests: retry after N" (with parameters.retry_after), 500 "Internal
        Server Error", 502 "Bad Gateway", ...
        """
        parameters = {"retry_after": retry_after} if retry_after is not None else None
        if error_code == 429 and parameters is None:
            parameters = {"retry_after": 1}
        error = ApiError(error_code, description, parameters)
        with self.lock:
            self._plans.append(Plan(_lower(method), chat_id, times, error=error, after=after))

    def stop_failing(self) -> None:
        """Forget every planned failure that has not happened yet."""
        with self.lock:
            self._plans.clear()

    def timeout_next(
        self,
        method: str | None,
        times: int = 1,
        *,
        delivered: bool = False,
        chat_id: int | None = None,
    ) -> None:
        """The next ``times`` calls get no reply: the transport raises TimedOut.

        ``delivered=True``: Telegram acted on the call before the reply was lost
        (the message did arrive), the case that makes naive retries send twice.
        """
        with self.lock:
            self._timeouts.append(Plan(_lower(method), chat_id, times, delivered=delivered))

    def rate_limit(
        self, per_second: int = 30, per_chat_per_second: int = 1, per_group_per_minute: int = 20
    ) -> None:
        """Enforce Telegram's flood limits on sends; refusals count in ``too_many_requests``."""
        with self.lock:
            self._limiter = RateLimiter(per_second, per_chat_per_second, per_group_per_minute)

    def no_rate_limit(self) -> None:
        with self.lock:
            self._limiter = None

    def go_down(self, *, unreachable: bool = False) -> None:
        """Telegram is down: every call gets 502 Bad Gateway, or (``unreachable``) no
        connection at all. Calls are still recorded, with no reply for the unreachable."""
        with self.lock:
            self._down = "unreachable" if unreachable else "bad_gateway"

    def come_back(self) -> None:
        with self.lock:
            self._down = None

    @property
    def down(self) -> bool:
        return self._down is not None

    # -- reading the transcript -------------------------------------------------

    def messages_to(self, chat_id: int) -> list[SentRecord]:
        """Every new message the bot sent to the chat, oldest first (edits not included)."""
        with self.lock:
            return [r for r in self.sent if r.chat_id == chat_id and r.is_new_message]

    def last_message(self, chat_id: int) -> SentRecord | None:
        sent = self.messages_to(chat_id)
        return sent[-1] if sent else None

    def message(self, chat_id: int, message_id: int) -> dict | None:
        """A message as it is now (after edits), or None if deleted or never sent."""
        with self.lock:
            return copy.deepcopy(self.messages.get((chat_id, message_id)))

    def commands_for(self, scope: dict | None = None, language_code: str = "") -> list[dict]:
        """The commands set for exactly this scope and language."""
        with self.lock:
            return copy.deepcopy(self.commands.get((scope_key(scope), language_code), []))


def _lower(method: str | None) -> str | None:
    return method.lower() if method else None
