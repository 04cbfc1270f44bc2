"""Point reads answered on the event loop's own thread, for the hottest path.

aiosqlite runs every statement on a worker thread, and handing a read there
and back costs several times the read itself: most of what a first lookup
from a new chat costs beyond PTB's own work. A chat's language and
subscriptions are one indexed lookup that SQLite answers in microseconds, so
they are read here, on a second connection, from the event loop's thread.

Under WAL a reader does not wait for a writer. Should the file be busy anyway
(a checkpoint, recovery after a crash), the read gives way at once (None) and
the caller asks aiosqlite instead. Only committed data is seen: a change still
inside another task's transaction is not, which for a first look is what the
chat was a moment ago; every change reloads what it changed.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from storage.subscriptions import GLANCE_SQL, ChatAtAGlance, glance_from


class QuickReads:
    def __init__(self, path: Path | str) -> None:
        # timeout=0: busy means "ask aiosqlite", never a wait on the event loop.
        self.connection = sqlite3.connect(str(path), timeout=0, isolation_level=None)
        self.connection.execute("PRAGMA query_only = ON")

    def glance(self, chat_id: int) -> ChatAtAGlance | None:
        """The chat's language and subscriptions, or None if the file is busy right now."""
        try:
            return glance_from(self.connection.execute(GLANCE_SQL, {"chat": chat_id}).fetchall())
        except sqlite3.OperationalError:
            return None

    def close(self) -> None:
        self.connection.close()
