"""The transcript: what the bot did that a user could see."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field

# Calls that put a new message in a chat; the rest of the transcript changes one.
SEND_METHODS = frozenset({"sendMessage", "sendDocument", "sendPhoto"})

# The update whose handling made a call. A ChatDriver sets it around one
# update; tasks started meanwhile inherit it, while the bot's background work
# (the alert sender, jobs) runs in contexts of its own and leaves it unset. So
# a driver returns what the update caused, not whatever else was sent then.
CAUSE: ContextVar[int | None] = ContextVar("fakeapi_cause", default=None)


@dataclass
class SentRecord:
    chat_id: int | str | None
    method: str  # as Telegram spells it: "sendMessage", "editMessageText", ...
    text: str | None  # the text or caption as the bot sent it (HTML when parse_mode=HTML)
    plain: str | None  # what the user reads, after parsing
    reply_markup: dict | None
    message_id: int | None
    time: float
    entities: list[dict] = field(default_factory=list)
    params: dict = field(default_factory=dict)  # the whole call, typed
    message: dict | None = None  # the Message Telegram returned, if any
    cause: int | None = None  # the update_id being handled when the call was made

    @property
    def is_new_message(self) -> bool:
        return self.method in SEND_METHODS

    @property
    def buttons(self) -> list[dict]:
        """Inline buttons in reading order (row by row)."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]

    @property
    def button_texts(self) -> list[str]:
        return [button["text"] for button in self.buttons]


@dataclass
class CallRecord:
    """Every call, answered or refused, for tests about retries and failures."""

    method: str
    params: dict
    reply: dict | None  # None when the reply was lost (a simulated timeout)
    time: float
