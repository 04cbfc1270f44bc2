"""An alert rendered for one chat, in the chat's language, at send time.

Rendering late (not at fan-out) means a chat that switched language
yesterday reads today's alert in its new language, and the case facts are
the current ones. The payload carries the name and whatever describes the
change, so an alert still renders if its case has left the catalogue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.helpers import create_deep_linked_url

from alerts.card_reminders import KIND as CARD_REMINDER
from alerts.sync_notices import summary_keyboard
from cases.catalogue import name_sort_key
from cases.letters import LetterGuide
from cases.model import Case, localised
from messages.render import Messages
from storage.deliveries import Delivery

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class Composed:
    """An alert ready for one chat: its message parts, and buttons for the last one."""

    parts: list[str]
    keyboard: InlineKeyboardMarkup | None = None


def with_dates(value: Any) -> Any:
    """The payload with ISO date strings turned back into dates (JSON has no date type)."""
    if isinstance(value, dict):
        return {key: with_dates(item) for key, item in value.items()}
    if isinstance(value, list):
        return [with_dates(item) for item in value]
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return date.fromisoformat(value)
    return value


def alert_parts(
    messages: Messages,
    delivery: Delivery,
    case: Case | None,
    today: date | None = None,
    letters: LetterGuide | None = None,
) -> list[str]:
    """The Telegram HTML parts of ``alert_<kind>`` for this delivery's chat.

    ``today``: the day it is sent. A calendar alert about an earlier day (a
    day caught up late, a queue that ran past midnight) says which day it is
    about instead of "today"; without ``today``, it is sent on its day.
    ``letters``: the letter guide, whose first rules (whose letters are handed
    over) a birthday card reminder carries beside its "Write a letter".
    """
    payload = with_dates(delivery.payload)
    name_source = case.name if case is not None else payload.get("name")
    letter_rules = []
    if delivery.kind == CARD_REMINDER and letters is not None and case is not None:
        letter_rules = letters.first_rules(case)
    more = {}
    if "people" in payload:  # people new to the bot, in the reader's order
        more["newcomers"] = newcomer_entries(delivery.payload["people"], delivery.language)
    return messages.parts(
        f"alert_{delivery.kind}",
        delivery.language,
        case=case,
        name=localised(name_source, delivery.language) if name_source else "",
        payload=payload,
        on_date=delivery.on_date,
        today=today or delivery.on_date,
        letter_rules=letter_rules,
        **more,
    )


def newcomer_entries(people: list[dict], language: str) -> list[dict]:
    """People new to the bot as a message lists them, by name in ``language``: each with
    "slug", "name", "place" (a Text or None) and "detained" (a date, a partial date's
    text such as "2026-10", or None)."""
    entries = [
        {
            "slug": person["slug"],
            "name": localised(person["name"], language),
            "place": person["place"],
            "detained": with_dates(person["detained"]),
        }
        for person in people
    ]
    return sorted(entries, key=lambda entry: (name_sort_key(entry["name"]), entry["slug"]))


# Buttons that confirm a status still holds, or say it changed: handled by
# handlers/upkeep/status_review.py. ``<prefix>ok:<slug>:<check>``, ``<prefix>chg:<slug>``.
CONFIRM_PREFIX = "stl:"
# The letter view of a case (``letter:<slug>``) and its birthday card reminder
# (``rmd:<op>:<slug>``, op + on, - off from the letter view, x off from a
# reminder): handled by handlers/reading/letters.py.
LETTER_PREFIX = "letter:"
REMINDER_PREFIX = "rmd:"
# The deep link (t.me/<bot>?start=new-<alert id>) to the list of the people new to
# the bot that an alert or a digest names: handled by handlers/reading/newcomers.py.
NEWCOMERS_LINK = "new-"
# People new to the bot up to this many get a button each under the alert; more
# get one button to the whole list, a page at a time, in the reader's own chat.
NEWCOMER_BUTTONS = 8


def newcomer_keyboard(
    messages: Messages,
    language: str,
    entries: list[dict],
    alert_id: int,
    bot_username: str | None,
) -> InlineKeyboardMarkup | None:
    """Under a message about people new to the bot: a button that opens each one's card,
    or, for many, one that opens the list of them all.

    Only chats that follow everyone hear of them, so they follow these people
    already (``storage.subscriptions.subscribe_all``: everyone, present and
    future): a Follow button would change nothing for the chat, and in a
    channel or a group any reader's press would change the channel's or the
    group's subscriptions (or be refused). So each button is a deep link that
    opens the card in the reader's own private chat, where its Subscribe
    button follows the person for that reader alone, and where the card says
    what to do: the address for letters, the rules. A button per person up to
    ``NEWCOMER_BUTTONS``; past that a column of buttons no one scrolls, so one
    button opens them all in the reader's chat, eight a page with their cards.
    """
    if not entries or not bot_username:
        return None
    if len(entries) <= NEWCOMER_BUTTONS:
        rows = [
            [
                InlineKeyboardButton(
                    messages.label("btn_newcomer", language, name=entry["name"]),
                    url=create_deep_linked_url(bot_username, entry["slug"]),
                )
            ]
            for entry in entries
        ]
        return InlineKeyboardMarkup(rows)
    label = messages.label("btn_all_newcomers", language, count=len(entries))
    url = create_deep_linked_url(bot_username, f"{NEWCOMERS_LINK}{alert_id}")
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, url=url)]])


def confirm_buttons(
    messages: Messages,
    language: str,
    slug: str,
    check: str,
    number: int | None = None,
    prefix: str = CONFIRM_PREFIX,
) -> list[InlineKeyboardButton]:
    """Still true and It changed, for one case (numbered in a list)."""
    label = messages.label
    if number is None:
        still_true, changed = label("btn_still_true", language), label("btn_it_changed", language)
    else:
        still_true = label("btn_still_true_number", language, number=number)
        changed = label("btn_it_changed_number", language, number=number)
    return [
        InlineKeyboardButton(still_true, callback_data=f"{prefix}ok:{slug}:{check}"),
        InlineKeyboardButton(changed, callback_data=f"{prefix}chg:{slug}"),
    ]


def alert_keyboard(
    messages: Messages, delivery: Delivery, bot_username: str | None
) -> InlineKeyboardMarkup | None:
    """Buttons under an alert: a shortened statement links to its full text; an editor's
    question has Still true and It changed; a card reminder opens the letter view; what
    an export of Viasna's list proposes has Review and Apply all (``alerts.sync_notices``);
    people new to the bot open their cards (``newcomer_keyboard``).

    A deep link (t.me/<bot>?start=statement-N), not a callback: in a channel a
    callback would post the whole statement to every reader of the channel.
    The editors' buttons are callbacks: they are only ever in an editor's
    private chat.
    """
    payload = delivery.payload
    if delivery.kind == "new_person":
        entries = newcomer_entries(payload["people"], delivery.language)
        return newcomer_keyboard(
            messages, delivery.language, entries, delivery.alert_id, bot_username
        )
    if delivery.kind == "card_reminder" and delivery.slug:
        label = messages.label
        return InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        label("btn_write_letter", delivery.language),
                        callback_data=f"{LETTER_PREFIX}{delivery.slug}",
                    ),
                    InlineKeyboardButton(
                        label("btn_stop_reminders", delivery.language),
                        callback_data=f"{REMINDER_PREFIX}x:{delivery.slug}",
                    ),
                ]
            ]
        )
    if delivery.kind == "confirm_status":
        return InlineKeyboardMarkup(
            [confirm_buttons(messages, delivery.language, payload["slug"], payload["check"])]
        )
    if delivery.kind == "status_review":
        return InlineKeyboardMarkup(
            [
                confirm_buttons(messages, delivery.language, item["slug"], item["check"], number)
                for number, item in enumerate(payload["cases"], start=1)
            ]
        )
    if delivery.kind == "sync_review":
        return summary_keyboard(messages, delivery.language, payload)
    if delivery.kind != "statement" or not payload.get("more") or not bot_username:
        return None
    url = create_deep_linked_url(bot_username, f"statement-{payload['statement_id']}")
    label = messages.label("btn_read_in_full", delivery.language)
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, url=url)]])
