"""What every handler needs, built once in post_init and kept in bot_data.

Kept in ``application.bot_data`` rather than module globals so each
Application (a test, the console, the real bot) has its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import aiosqlite
from telegram.ext import Application, ContextTypes

from cases.catalogue import Catalogue
from config import Settings
from messages.render import Messages

SERVICES_KEY = "services"


@dataclass
class Services:
    settings: Settings
    db: aiosqlite.Connection
    messages: Messages
    catalogue: Catalogue
    stats: dict[str, Any]
    # Tests pin the date; the bot uses the clock in its own time zone.
    clock: Any = field(default=None)

    def today(self) -> date:
        if self.clock is not None:
            return self.clock()
        return datetime.now(self.settings.timezone).date()


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    return context.application.bot_data[SERVICES_KEY]


def install(application: Application, value: Services) -> None:
    application.bot_data[SERVICES_KEY] = value
