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
from alerts.kinds import HELD_ONLY_KINDS
from alerts.sync_notices import summary_keyboard
from cases.catalogue import name_sort_key
from cases.citations import status_citations
from cases.letters import Letter, LetterGuide, letter_for
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


# The kinds about one person, each with the card a tap away and the source of what it
# tells: a release, a re-arrest, a death, news in the case, a held person's day.
CASE_KINDS = ("release", "re_arrest", "death", "case_update", *HELD_ONLY_KINDS)


@dataclass(frozen=True)
class Reader:
    """Where an alert is read, for what it may offer there.

    ``bot_username`` (from getMe) makes deep links into the reader's own private
    chat with the bot; ``stale_days`` is the bot's, for whether a letter may be
    written (``cases.letters.letter_for``). Without them (an editor's preview)
    an alert offers no deep link and no letter.
    """

    bot_username: str | None = None
    stale_days: int | None = None


@dataclass(frozen=True)
class Acts:
    """What an alert about a person lets its reader do: open the card, write a letter,
    read the source."""

    public: bool  # a group or a channel: its readers cannot type to the bot there
    known: bool  # the person is in the catalogue: their card opens
    card_url: str | None  # the card's deep link, when the bot's username is known
    letter: Letter | None  # the envelope, for a held person who may be written to
    sources: list[dict]  # citations ({"url", "title", "on"}), the first the main one


def deep_link(bot_username: str | None, payload: str) -> str | None:
    """``https://t.me/<bot>?start=<payload>``: it opens the bot in the reader's own chat."""
    return create_deep_linked_url(bot_username, payload) if bot_username else None


def acts_of(
    delivery: Delivery,
    case: Case | None,
    today: date,
    letters: LetterGuide | None,
    reader: Reader,
) -> Acts:
    """What the alert (of ``CASE_KINDS``) offers: the source it was queued with (the status's
    for a held person's day, or an alert queued before alerts cited them), the card, the
    envelope where ``letter_for`` gives one, as the card's "Write a letter" does."""
    public = not delivery.in_private
    if delivery.kind not in CASE_KINDS:
        return Acts(public, False, None, None, [])
    sources = delivery.payload.get("sources")
    if sources is None and case is not None:
        sources = status_citations(case)
    letter = letter_of(case, letters, today, reader)
    card_url = deep_link(reader.bot_username, case.slug) if case is not None else None
    return Acts(public, case is not None, card_url, letter, with_dates(sources or []))


def letter_of(
    case: Case | None, letters: LetterGuide | None, today: date, reader: Reader
) -> Letter | None:
    """The envelope of someone who may be written to, as the card's "Write a letter" and
    /letter have it (``cases.letters.letter_for``: held, letters not barred, the status
    fresh, the place's address verified); None otherwise, or without the guide."""
    if case is None or letters is None or reader.stale_days is None:
        return None
    found = letter_for(case, letters, today, reader.stale_days)
    return found if isinstance(found, Letter) else None


def alert_parts(
    messages: Messages,
    delivery: Delivery,
    case: Case | None,
    today: date | None = None,
    letters: LetterGuide | None = None,
    reader: Reader | None = None,
) -> list[str]:
    """The Telegram HTML parts of ``alert_<kind>`` for this delivery's chat.

    ``today``: the day it is sent. A calendar alert about an earlier day (a
    day caught up late, a queue that ran past midnight) says which day it is
    about instead of "today"; without ``today``, it is sent on its day.
    ``letters``: the letter guide, whose first rules (whose letters are handed
    over) a birthday card reminder carries beside its "Write a letter", and
    whose envelope a birthday alert shows. ``reader``: see ``Reader``.
    """
    return compose_alert(messages, delivery, case, today, letters, reader).parts


def compose_alert(
    messages: Messages,
    delivery: Delivery,
    case: Case | None,
    today: date | None = None,
    letters: LetterGuide | None = None,
    reader: Reader | None = None,
    named: list[Case] | None = None,
) -> Composed:
    """The alert for this delivery's chat: its parts, and the buttons under the last.

    In a group or a channel, where readers cannot type to the bot, every person
    the alert names links to their card in the reader's own chat, and no line
    asks for a command. ``named``: the people a statement names, whose cards its
    buttons open.
    """
    reader = reader or Reader()
    today = today or delivery.on_date
    payload = with_dates(delivery.payload)
    acts = acts_of(delivery, case, today, letters, reader)
    name_source = case.name if case is not None else payload.get("name")
    letter_rules = []
    reminder_or_envelope = delivery.kind == CARD_REMINDER or (
        delivery.kind == "birthday" and acts.letter is not None
    )
    if letters is not None and case is not None and reminder_or_envelope:
        letter_rules = letters.first_rules(case)
    more = {}
    if "people" in payload:  # people new to the bot, in the reader's order
        entries = newcomer_entries(delivery.payload["people"], delivery.language)
        if acts.public:
            entries = linked_entries(entries, reader.bot_username)
        more["newcomers"] = entries
    parts = messages.parts(
        f"alert_{delivery.kind}",
        delivery.language,
        case=case,
        name=localised(name_source, delivery.language) if name_source else "",
        payload=payload,
        on_date=delivery.on_date,
        today=today,
        letter_rules=letter_rules,
        public=acts.public,
        name_link=acts.card_url if acts.public else None,
        sources=acts.sources,
        letter=acts.letter,
        **more,
    )
    if delivery.kind in CASE_KINDS:
        keyboard = case_keyboard(messages, delivery, acts, reader.bot_username)
    else:
        keyboard = alert_keyboard(messages, delivery, reader.bot_username, named or [])
    return Composed(parts, keyboard)


def newcomer_entries(people: list[dict], language: str) -> list[dict]:
    """People new to the bot as a message lists them, by name in ``language``: each with
    "slug", "name", "place" (a Text or None), "detained" (a date, a partial date's text
    such as "2026-10", or None), "source" (a citation, or None) and "url" (None:
    ``linked_entries`` gives their cards')."""
    entries = [
        {
            "slug": person["slug"],
            "name": localised(person["name"], language),
            "place": person["place"],
            "detained": with_dates(person["detained"]),
            "source": with_dates(person.get("source")),  # None in alerts queued before
            "url": None,
        }
        for person in people
    ]
    return sorted(entries, key=lambda entry: (name_sort_key(entry["name"]), entry["slug"]))


def linked_entries(entries: list[dict], bot_username: str | None) -> list[dict]:
    """The entries with each name linked to the person's card (a deep link)."""
    return [{**entry, "url": deep_link(bot_username, entry["slug"])} for entry in entries]


# A case card (``card:<slug>``): handled by handlers/reading/lookup.py.
CARD_PREFIX = "card:"
# The letter view of a case opened from a group or a channel, in the reader's own
# chat (``t.me/<bot>?start=letter-<slug>``): handled by handlers/reading/start.py.
LETTER_LINK = "letter-"
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


def opening_button(
    text: str, delivery: Delivery, callback: str, link: str, bot_username: str | None
) -> InlineKeyboardButton | None:
    """A button that opens something of the bot's: in a private chat a callback (the
    answer comes in that chat); in a group or a channel a deep link into the reader's
    own chat (a press there comes from any reader, and the answer would be posted to
    everyone); None there when the bot's username is unknown."""
    if delivery.in_private:
        return InlineKeyboardButton(text, callback_data=callback)
    url = deep_link(bot_username, link)
    return InlineKeyboardButton(text, url=url) if url else None


def case_keyboard(
    messages: Messages, delivery: Delivery, acts: Acts, bot_username: str | None
) -> InlineKeyboardMarkup | None:
    """Under an alert about a person: the card and, for a held person who may be written to,
    Write a letter; then the source. A card reminder always offers the letter view (it
    says why there is no envelope, if there is none) and its switch-off."""
    label, lang, slug = messages.label, delivery.language, delivery.slug
    first = []
    if acts.known and slug:
        first.append(
            opening_button(
                label("btn_alert_card", lang), delivery, CARD_PREFIX + slug, slug, bot_username
            )
        )
    if slug and (acts.letter is not None or delivery.kind == CARD_REMINDER):
        first.append(
            opening_button(
                label("btn_write_letter", lang),
                delivery,
                LETTER_PREFIX + slug,
                LETTER_LINK + slug,
                bot_username,
            )
        )
    rows = [[button for button in first if button is not None]]
    if acts.sources:
        rows.append([InlineKeyboardButton(label("btn_source", lang), url=acts.sources[0]["url"])])
    if delivery.kind == CARD_REMINDER and slug:
        stop = label("btn_stop_reminders", lang)
        rows.append([InlineKeyboardButton(stop, callback_data=f"{REMINDER_PREFIX}x:{slug}")])
    rows = [row for row in rows if row]
    return InlineKeyboardMarkup(rows) if rows else None


def alert_keyboard(
    messages: Messages,
    delivery: Delivery,
    bot_username: str | None,
    named: list[Case] | None = None,
) -> InlineKeyboardMarkup | None:
    """Buttons under an alert about no one person: a statement links to its full text, the
    cards of the people it names and its source; an editor's question has Still true and
    It changed; what an export of Viasna's list proposes has Review and Apply all
    (``alerts.sync_notices``); people new to the bot open their cards
    (``newcomer_keyboard``).

    A statement's are deep links (t.me/<bot>?start=statement-N) in a group or a
    channel, not callbacks: there a callback would post the whole statement to
    every reader of the channel. The editors' buttons are callbacks: they are
    only ever in an editor's private chat.
    """
    payload = delivery.payload
    if delivery.kind == "new_person":
        entries = newcomer_entries(payload["people"], delivery.language)
        return newcomer_keyboard(
            messages, delivery.language, entries, delivery.alert_id, bot_username
        )
    if delivery.kind == "statement":
        return statement_keyboard(messages, delivery, bot_username, named or [])
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
    return None


def statement_keyboard(
    messages: Messages, delivery: Delivery, bot_username: str | None, named: list[Case]
) -> InlineKeyboardMarkup | None:
    """Under a statement: Read in full (when shortened), a button to the card of each
    person it names (up to ``NEWCOMER_BUTTONS``), and its source."""
    payload, label, lang = delivery.payload, messages.label, delivery.language
    rows = []
    full = deep_link(bot_username, f"statement-{payload.get('statement_id')}")
    if payload.get("more") and full:
        rows.append([InlineKeyboardButton(label("btn_read_in_full", lang), url=full)])
    for case in named[:NEWCOMER_BUTTONS]:
        text = label("btn_newcomer", lang, name=localised(case.name, lang))
        button = opening_button(text, delivery, CARD_PREFIX + case.slug, case.slug, bot_username)
        if button is not None:
            rows.append([button])
    if payload.get("url"):
        rows.append([InlineKeyboardButton(label("btn_source", lang), url=payload["url"])])
    return InlineKeyboardMarkup(rows) if rows else None
