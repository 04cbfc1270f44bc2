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


# Payloads, as the templates read them. Calendar kinds: {"name", "years",
# "days"} (alerts.daily). case_update and release: alerts.updates.describe_change.
# statement: {"title": Text, "text": Text, "url": str | None}, and an optional
# slug: with one it reaches that case's followers, without one every chat
# that follows anything. confirm_status and status_review: alerts.editors.
# Calendar kinds are the ones a stale status holds back (alerts.held).
#
# A release is the news people wait for, so it jumps every queue; a case
# update may change what supporters should do; calendar dates can wait.
KINDS: dict[str, AlertKind] = {
    "release": AlertKind("want_updates", 100),
    # Editors asked to confirm a stale status before a calendar alert about the
    # person may go out; and the weekly review of stale statuses.
    "confirm_status": AlertKind("", 90, editors=True),
    "status_review": AlertKind("", 50, editors=True),
    "case_update": AlertKind("want_updates", 80),
    "statement": AlertKind("want_statements", 60),
    "term_end": AlertKind("want_anniversaries", 40),
    "birthday": AlertKind("want_birthdays", 30),
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
