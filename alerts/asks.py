"""What editors are asked about stale statuses, as alerts addressed to them.

Two questions, each an alert stored once under its key (``alerts.editors``):

- ``confirm_status``: a calendar alert about someone whose status is stale
  on its day is (or will be) held back. Asked three days ahead and again on
  the day (key ``confirm_status:<slug>:<day>:ahead|day``).
- ``status_review``: the weekly list of stale statuses, the stalest first
  (key ``status_review:<day>``).

Each carries the status it asks about (``cases.facts.status_check``), so
"Still true" confirms exactly what the editor read. Nothing here commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import aiosqlite

from alerts.calendar import CalendarEvent
from alerts.editors import queue_for_editors
from cases.facts import stale_cases, status_check
from cases.model import Case

# Editors are asked this many days before a held-back alert's day, and on the day.
ASK_AHEAD_DAYS = 3
# The weekly review lists this many statuses; /review walks all of them.
REVIEW_SIZE = 10


@dataclass(frozen=True)
class Editors:
    """Who is asked, and in which language when their chat chose none."""

    ids: tuple[int, ...] = ()
    language: str = "en"


def status_payload(case: Case) -> dict:
    return {
        "slug": case.slug,
        "name": case.name,
        "status": case.status,
        "confirmed_on": case.status_confirmed.isoformat(),
        "check": status_check(case),
    }


async def ask_to_confirm(
    db: aiosqlite.Connection,
    case: Case,
    events: Iterable[CalendarEvent],
    day: date,
    when: str,
    editors: Editors,
    now: float | None = None,
) -> int:
    """Ask whether ``case``'s status still holds, for its alerts of ``day``; ``when``: ahead|day."""
    payload = {
        **status_payload(case),
        "when": when,
        "events": [{"kind": e.kind, "years": e.years, "days": e.days} for e in events],
    }
    return await queue_for_editors(
        db,
        f"confirm_status:{case.slug}:{day.isoformat()}:{when}",
        "confirm_status",
        day,
        editors=editors.ids,
        language=editors.language,
        slug=case.slug,
        payload=payload,
        now=now,
    )


async def weekly_review(
    db: aiosqlite.Connection,
    cases: Iterable[Case],
    day: date,
    stale_days: int,
    editors: Editors,
    now: float | None = None,
) -> int:
    """The stalest statuses, for the editors to confirm or correct; nothing when none is stale."""
    stale = stale_cases(cases, day, stale_days)
    if not stale:
        return 0
    payload = {
        "total": len(stale),
        "stale_days": stale_days,
        "cases": [status_payload(case) for case in stale[:REVIEW_SIZE]],
    }
    return await queue_for_editors(
        db,
        f"status_review:{day.isoformat()}",
        "status_review",
        day,
        editors=editors.ids,
        language=editors.language,
        payload=payload,
        now=now,
    )
