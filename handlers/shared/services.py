"""What every handler needs, built once in post_init and kept in bot_data.

Kept in ``application.bot_data`` rather than module globals so each
Application (a test, the console, the real bot) has its own.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

import aiosqlite
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.ext import Application, ContextTypes

from cases.catalogue import Catalogue
from cases.letters import LetterGuide
from config import Settings
from messages.render import Messages
from storage import cases as case_store
from storage.quick_reads import QuickReads

SERVICES_KEY = "services"
CARD_CACHE_SIZE = 3000
KEYBOARDS_KEPT = 3000


class Button(NamedTuple):
    """A button as it is worked out: its label (a key of labels*.j2, with the label's
    values) and the callback data it carries."""

    label: str
    data: str
    values: tuple[tuple[str, Any], ...] = ()


@dataclass
class Services:
    settings: Settings
    db: aiosqlite.Connection
    messages: Messages
    catalogue: Catalogue
    stats: dict[str, Any]
    # Tests pin the date; the bot uses the clock in its own time zone.
    clock: Any = field(default=None)
    # Rendered cards by (slug, language, day): a card is the reply people ask
    # for most, and it only changes with the data or the date.
    rendered_cards: dict[tuple[str, str, date], list[str]] = field(default_factory=dict)
    # storage.cases.case_version when the catalogue was loaded.
    case_version: int = 0
    # What gets a letter delivered (data/letters.yaml), for /letter.
    letters: LetterGuide = field(default_factory=lambda: LetterGuide(rules=()))
    # Point reads on the event loop's thread (storage/quick_reads.py); None: ask aiosqlite.
    quick_reads: QuickReads | None = None
    # Keyboards by language and what their buttons say and do (``keyboard``).
    keyboards: dict[tuple, InlineKeyboardMarkup] = field(default_factory=dict)

    def replace_catalogue(self, catalogue: Catalogue) -> None:
        """Serve new case data from now on; every rendered card is stale."""
        self.catalogue = catalogue
        self.rendered_cards.clear()

    async def reload_catalogue(self, off_loop: bool = True) -> None:
        """Serve the database's cases from now on.

        At 100,000 cases the index takes seconds to build: ``off_loop`` builds
        it in a thread so replies to other people go on meanwhile. An admin's
        own edit builds it in place instead, so nothing (the alert it queued
        included) can run against the old data in between.
        """
        version = await case_store.case_version(self.db)
        cases = await case_store.load_cases(self.db)
        places = await case_store.load_places(self.db)
        if off_loop:
            catalogue = await asyncio.to_thread(Catalogue, cases, places)
        else:
            catalogue = Catalogue(cases, places)
        self.replace_catalogue(catalogue)
        self.case_version = version

    def card_parts(self, case, lang: str, render) -> list[str]:
        """The card's message parts, rendered by ``render()`` on a miss."""
        key = (case.slug, lang, self.today())
        parts = self.rendered_cards.get(key)
        if parts is None:
            if len(self.rendered_cards) >= CARD_CACHE_SIZE:
                self.rendered_cards.clear()  # yesterday's and rare cards go together
            parts = self.rendered_cards[key] = render()
        return parts

    def keyboard(self, lang: str, rows: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup:
        """The keyboard of ``rows`` in ``lang``, made once and then kept.

        Kept by what the buttons say and do, which the caller works out for
        each message: it is never the state of anything, only its picture
        (the labels are fixed for the life of the process). A keyboard, like
        any PTB object, cannot change once made, so one may go under many
        messages.
        """
        key = (lang, rows)
        keyboard = self.keyboards.get(key)
        if keyboard is None:
            if len(self.keyboards) >= KEYBOARDS_KEPT:
                self.keyboards.clear()
            label = self.messages.label
            keyboard = self.keyboards[key] = InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(
                            label(button.label, lang, **dict(button.values)),
                            callback_data=button.data,
                        )
                        for button in row
                    ]
                    for row in rows
                ]
            )
        return keyboard

    def today(self) -> date:
        if self.clock is not None:
            return self.clock()
        return datetime.now(self.settings.timezone).date()


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    return context.application.bot_data[SERVICES_KEY]


def install(application: Application, value: Services) -> None:
    application.bot_data[SERVICES_KEY] = value
