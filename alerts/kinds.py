"""Every kind of alert: which chat setting switches it off, and how urgent it is.

Fan-out and the sender are generic over this table, so a new kind (the
publishing issue's statements) is one line here and one template per
language (``messages/<lang>/alert_<kind>.j2``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AlertKind:
    want_column: str  # the chats.want_* setting that must be on ("" for the editors' kinds)
    priority: int  # higher goes first when the outbox is long
    # For the editors alone (alerts.editors), never fanned out to subscribers.
    editors: bool = False
    # Who gets it, when not the case's followers: "reminded" (the chats that asked
    # for a card reminder about the person), "digest" (each chat that gets the
    # day's calendar alerts in one message), "everyone" (the chats that follow
    # everyone: one by one to those that take single alerts, in the next daily
    # digest for the others). Queued for them when stored.
    audience: str = "followers"


# Payloads, as the templates read them. Calendar kinds: {"name", "years",
# "days"} (alerts.daily). case_update and release: alerts.updates.describe_change;
# re_arrest and death: the same, and what their texts say more (alerts.updates.told);
# all four "sources", the citations of what they tell (alerts.updates.cited; an
# alert queued before them cites the status's source, as calendar kinds do).
# new_person: {"people": [...], "total"}, the held people a change added
# (alerts.updates.queue_newcomers).
# statement: {"title": Text, "text": Text, "url": str | None, "defenders": [slug]},
# and an optional slug: with one it reaches that case's followers, without one
# every chat that follows anything. confirm_status and status_review: alerts.editors.
# days_missed and clock_back: alerts.daily (the run's own trouble, for the editors).
# sync_fetch_failed: alerts.sync_fetch.tell_editors ({"reason", "url", "status",
# "title", "detail", "limit_mb", "every_hours"}).
# sync_review: alerts.sync_notices.summary (one per export of Viasna's list read).
# card_reminder: {"name", "years", "birthday", "days"} (alerts.card_reminders).
# digest: {} (its items are the day's calendar alerts: alerts.digest).
# Calendar kinds and card reminders are the ones a stale status holds back
# (alerts.held).
#
# A release is the news people wait for, so it jumps every queue; a re-arrest
# or a death is as grave, and as urgent; a case update may change what
# supporters should do; people new to the bot can wait a little, calendar
# dates longer.
KINDS: dict[str, AlertKind] = {
    "release": AlertKind("want_updates", 100),
    "re_arrest": AlertKind("want_updates", 95),
    "death": AlertKind("want_updates", 95),
    # Editors asked to confirm a stale status before a calendar alert about the
    # person may go out; and the weekly review of stale statuses.
    "confirm_status": AlertKind("", 90, editors=True),
    "status_review": AlertKind("", 50, editors=True),
    # The daily run could not do its work: days too old to catch up, a clock gone back.
    "days_missed": AlertKind("", 90, editors=True),
    "clock_back": AlertKind("", 90, editors=True),
    # The bot could not read Viasna's list it fetches (BOT_SYNC_URL): nothing changed.
    "sync_fetch_failed": AlertKind("", 50, editors=True),
    # What an export of Viasna's list proposes, waiting for the editors' decisions.
    "sync_review": AlertKind("", 70, editors=True),
    "case_update": AlertKind("want_updates", 80),
    # Held people a change added (a sync, /addcase, an import), for the chats that follow everyone.
    "new_person": AlertKind("want_updates", 70, audience="everyone"),
    "statement": AlertKind("want_statements", 60),
    "term_end": AlertKind("want_anniversaries", 40),
    # Asked for, and a card must be posted that day to arrive in time.
    "card_reminder": AlertKind("", 35, audience="reminded"),
    "birthday": AlertKind("want_birthdays", 30),
    "digest": AlertKind("", 30, audience="digest"),
    "detention_anniversary": AlertKind("want_anniversaries", 20),
    "sentence_anniversary": AlertKind("want_anniversaries", 20),
    "days_milestone": AlertKind("want_anniversaries", 20),
}


def kind_of(name: str) -> AlertKind:
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown alert kind {name!r}") from None


# The kinds the daily run makes from the calendar: about someone held, on a day.
CALENDAR_KINDS = (
    "birthday",
    "detention_anniversary",
    "sentence_anniversary",
    "days_milestone",
    "term_end",
)
# Alerts about a person behind bars: held back on a stale status, dropped unsent
# when the person is no longer held.
HELD_ONLY_KINDS = (*CALENDAR_KINDS, "card_reminder")
# The kinds about people new to the bot: an item of the next daily digest for the
# chats that take digests (alerts.digest).
NEWCOMER_KINDS = tuple(name for name, kind in KINDS.items() if kind.audience == "everyone")


# A day caught up late (alerts.daily): its calendar alerts and digest go before
# today's and the oldest day first, yet after anything more urgent (statements,
# case updates, releases, the editors' questions), whatever their kind's own
# priority; a day this many or more days late counts as this many.
CATCH_UP_PRIORITY = 41
MOST_DAYS_LATE = 9


def catch_up_priority(days_late: int) -> int:
    """The priority of a calendar alert or digest ``days_late`` days after its day."""
    return CATCH_UP_PRIORITY + min(max(days_late, 1), MOST_DAYS_LATE) - 1
