"""Is Telegram down? Told by the sender's network failures and answers.

One delivery that keeps failing (Telegram's 500 for one chat) is that
delivery's problem. Several chats failing in a row, with no answer from
Telegram in between, is an outage: it began at the first of those failures
and ends at the next answer. The sender then makes every delivery that waited
it out due at once, instead of each sleeping out the rest of its backoff; and
whoever reports the bot's health can read ``down_since``.
"""

from __future__ import annotations

# This many different chats failing in a row, and nothing answered, is an outage.
CHATS_IN_A_ROW = 3


class OutageWatch:
    def __init__(self, chats_in_a_row: int = CHATS_IN_A_ROW) -> None:
        self.chats_in_a_row = chats_in_a_row
        self.failing_since: float | None = None  # first failure since the last answer
        self.failing_chats: set[int] = set()

    @property
    def down_since(self) -> float | None:
        """When the current outage began (Unix seconds), or None while Telegram answers."""
        if len(self.failing_chats) >= self.chats_in_a_row:
            return self.failing_since
        return None

    def failed(self, chat_id: int, now: float) -> None:
        """A request for ``chat_id`` met a network error or a 5xx."""
        if self.failing_since is None:
            self.failing_since = now
        self.failing_chats.add(chat_id)

    def answered(self) -> float | None:
        """Telegram answered a request (yes or no); when the outage it ends began, if any."""
        ended = self.down_since
        self.failing_since = None
        self.failing_chats.clear()
        return ended
