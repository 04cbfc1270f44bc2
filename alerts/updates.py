"""Case changes -> alerts (a release, a re-arrest, a death, news in the case, people new
to the bot), queued inside the import's transaction.

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
from cases.citations import citation, distinct, status_citations
from cases.facts import days_behind_bars
from cases.model import HELD_STATUSES, RELEASED_STATUSES, Case, PastDetention
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
    """What the change is, as its followers hear it.

    A death, a re-arrest (someone free detained again) and a release each have
    an alert of their own; any other change (free at home to in exile, say) is
    news in the case: "X is free" twice would tell of a release that was not,
    and nothing about a death or a new detention may read as freedom.
    """
    status = change["status"]
    if status is None:
        return "case_update"
    before, after = status["before"], status["after"]
    if after == "deceased":
        return "death"
    if after in HELD_STATUSES and before in RELEASED_STATUSES:
        return "re_arrest"
    if after in RELEASED_STATUSES and before not in RELEASED_STATUSES:
        return "release"
    return "case_update"


def _partial(case: Case | PastDetention) -> str | None:
    """A detention's start as far as it is known: "2026-10-01", "2026-10", "2026"."""
    known = case.detained_known
    return str(known) if known else None


def told(kind: str, before: Case, after: Case, today: date) -> dict[str, Any]:
    """What a re-arrest's or a death's text says beyond the change itself.

    Kept out of the change (and so out of its key): these follow from it. A
    re-arrest: the new detention's date, known in part or not at all, and the
    earlier detention it follows. A death: whether in custody, the day when
    the case knows it (the end of the detention of someone who died held), the
    days of the last detention when known.
    """
    if kind == "re_arrest":
        ended = after.earlier[-1] if len(after.earlier) > len(before.earlier) else None
        earlier = None
        if ended is not None and (ended.detained_known or ended.released_on):
            earlier = {
                "detained_on": _iso(ended.detained_on),
                "detained_in": None if ended.detained_on else _partial(ended),
                "released_on": _iso(ended.released_on),
            }
        return {"detained": _partial(after), "earlier": earlier}
    if kind == "death":
        in_custody = before.is_held
        died_on = (
            after.released_on if in_custody and after.released_on != before.released_on else None
        )
        return {
            "in_custody": in_custody,
            "died_on": _iso(died_on),
            "released_on": None if in_custody else _iso(after.released_on),
            "days": days_behind_bars(after, today),
        }
    return {}


def cited(after: Case, change: dict[str, Any]) -> list[dict]:
    """The sources of what the change tells, each once, with its date: the status's source
    for a new status, each new timeline entry's own, the place of detention's and the
    sentence's for a move or a new term, else the status's (a date corrected).

    Kept out of the change's key, as ``told`` is: a source re-dated or renamed is
    no news, and the same change re-imported queues nothing new.
    """
    status = citation(after.source(after.status_source), after.status_as_of)
    found = [status] if change["status"] else []
    told_events = [(event["on"], event["text"]) for event in change["events"]]
    for event in sorted(after.events, key=lambda event: event.on):
        if (event.on.isoformat(), event.text) in told_events:
            found.append(citation(after.source(event.source), event.on))
    detention, sentence = after.detention, after.sentence
    if change["place"] and detention is not None:
        found.append(citation(after.source(detention.source), detention.as_of))
    if change["term"] and sentence is not None:
        found.append(citation(after.source(sentence.source), sentence.as_of))
    return distinct(found) or distinct([status])


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
    today = today or date.today()
    queued = 0
    for before, after in report.changed:
        alert = change_alert(before, after, today)
        if alert is None:
            continue
        kind, key, payload = alert
        queued += await queue_alert(db, key, kind, today, slug=after.slug, payload=payload)
    return queued + await queue_newcomers(db, report, today)


def change_alert(before: Case, after: Case, today: date) -> tuple[str, str, dict] | None:
    """The alert a change to a case causes, as (kind, key, payload); None when it is no news.

    What the editors' preview shows, and what is queued: one function for both.
    """
    change = describe_change(before, after)
    if change is None:
        return None
    kind = alert_kind(change)
    payload = {**change, **told(kind, before, after, today), "sources": cited(after, change)}
    return kind, change_key(kind, after.slug, change), payload


def newcomer(case: Case) -> dict[str, Any]:
    """A person new to the bot as the alert lists them: name, where held, since when, and
    the source of their status (None when the case names no such source)."""
    detention = case.detention
    return {
        "slug": case.slug,
        "name": case.name,
        "place": detention.place if detention is not None else None,
        "detained": _partial(case),
        "source": next(iter(status_citations(case)), None),
    }


async def queue_newcomers(db: aiosqlite.Connection, report: MergeReport, today: date) -> int:
    """One alert for every held person the merge added, for the chats that follow everyone.

    One alert however many (a first sync adds hundreds), keyed by who they are:
    the same people are never announced twice. Someone added free (an old case
    imported) is no news for those who follow the people behind bars.
    """
    held = sorted(
        (case for case in report.new_cases if case.is_held),
        key=lambda case: (case.name["en"].casefold(), case.slug),
    )
    if not held:
        return 0
    slugs = sorted(case.slug for case in held)
    digest = hashlib.sha256("\n".join(slugs).encode("utf-8")).hexdigest()[:16]
    return await queue_alert(
        db,
        f"new_person:{digest}",
        "new_person",
        today,
        payload={"people": [newcomer(case) for case in held], "total": len(held)},
    )


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
