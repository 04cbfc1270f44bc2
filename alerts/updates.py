"""Case changes -> case-update and release alerts, queued inside the import's transaction.

``queue_case_updates`` is the ``on_merged`` hook of ``storage.cases.merge_cases``:
the alerts commit with the import or not at all, so an import that fails
tells nobody anything, and one that lands always tells its subscribers.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

import aiosqlite

from alerts.fanout import queue_alert
from alerts.held import settle_after_merge
from cases.model import RELEASED_STATUSES, Case
from storage.cases import MergeReport


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _dates(case: Case) -> dict[str, str | None]:
    sentence = case.sentence
    return {
        "detained_on": _iso(case.detained_on),
        "released_on": _iso(case.released_on),
        "sentenced_on": _iso(sentence.sentenced_on if sentence else None),
        "term_ends_on": _iso(case.term_ends_on()),
    }


def _term(case: Case) -> list[int] | None:
    return [case.sentence.years, case.sentence.months] if case.sentence else None


def _place(case: Case) -> dict | None:
    detention = case.detention
    if detention is None:
        return None
    return {"place": detention.place, "address": detention.address}


def describe_change(before: Case, after: Case) -> dict[str, Any] | None:
    """What a subscriber should hear about the change, or None when nothing of note changed.

    Status, dates, the term, the place of detention and new timeline events
    count; re-confirmed as-of dates, sources and wording do not, so a routine
    data refresh does not wake anyone. Always the same keys, so templates
    (StrictUndefined) can test each one.
    """
    old_dates, new_dates = _dates(before), _dates(after)
    known_events = {(event.on, json.dumps(event.text, sort_keys=True)) for event in before.events}
    new_events = [
        {"on": event.on.isoformat(), "text": event.text}
        for event in sorted(after.events, key=lambda event: event.on)
        if (event.on, json.dumps(event.text, sort_keys=True)) not in known_events
    ]
    change: dict[str, Any] = {
        "name": after.name,
        "status": None,
        "status_as_of": after.status_as_of.isoformat(),
        "dates": {
            field: {"before": old_dates[field], "after": new_dates[field]}
            for field in new_dates
            if old_dates[field] != new_dates[field]
        },
        "term": None,
        "place": None,
        "events": new_events,
    }
    if before.status != after.status:
        change["status"] = {"before": before.status, "after": after.status}
    if _term(before) != _term(after) and _term(after) is not None:
        change["term"] = {"before": _term(before), "after": _term(after)}
    # A place of detention is news only about someone held: it is no address for a free person.
    if _place(before) != _place(after) and _place(after) is not None and after.is_held:
        change["place"] = _place(after)
    noteworthy = ("status", "dates", "term", "place", "events")
    return change if any(change[key] for key in noteworthy) else None


def alert_kind(change: dict[str, Any]) -> str:
    """A release when someone comes out; any other change (free at home to in exile,
    say) is news in the case: "X is free" twice would tell of a release that was not."""
    status = change["status"]
    coming_out = (
        status is not None
        and status["after"] in RELEASED_STATUSES
        and status["before"] not in RELEASED_STATUSES
    )
    return "release" if coming_out else "case_update"


def change_key(kind: str, slug: str, change: dict[str, Any]) -> str:
    """Same change, same key: re-importing a file (or a half-applied one) queues nothing."""
    canonical = json.dumps(change, sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]
    return f"{kind}:{slug}:{digest}"


async def queue_case_updates(
    db: aiosqlite.Connection, report: MergeReport, today: date | None = None
) -> int:
    """Queue an alert per changed case; return the deliveries queued.

    Meant to run inside merge_cases' transaction (it does not commit).
    """
    queued = 0
    for before, after in report.changed:
        change = describe_change(before, after)
        if change is None:
            continue
        kind = alert_kind(change)
        queued += await queue_alert(
            db,
            change_key(kind, after.slug, change),
            kind,
            today or date.today(),
            slug=after.slug,
            payload=change,
        )
    return queued


async def queue_after_merge(
    db: aiosqlite.Connection, report: MergeReport, *, today: date, stale_days: int
) -> int:
    """Everything a merge of cases causes: updates, releases, and held alerts settled.

    The ``on_merged`` hook of an import: case updates and releases are queued,
    today's held-back alerts of a case whose status the file confirmed go out,
    and whatever no longer holds (a birthday behind bars of someone now free)
    is taken off the queue, all in the import's transaction.
    """
    queued = await queue_case_updates(db, report, today=today)
    return queued + await settle_after_merge(db, report, today=today, stale_days=stale_days)
