"""Accepted case changes written: the cases, the alerts they cause and their audit entries, at once.

Whoever proposes a change to the cases, it is applied here: an editor's
Confirm in Telegram (/update, /setstatus, /addcase, /releases, /review, an
uploaded cases file: ``handlers.upkeep.case_admin``), ``python bot.py
import`` and ``python bot.py releases`` (``alerts.release_list``). The
proposal is a ``Plan``, read from its source by a pure reader (``cases/``);
``apply_plan`` merges its cases and places, queues the case updates and
releases they cause, settles today's held-back alerts (``queue_after_merge``)
and writes an audit entry for every case and place added or changed, naming
who did it, in one transaction: all of it lands, or none. A plan that was
shown for review remembers what each case looked like then (``expected``),
and is refused (``StaleCases``) when the cases moved since: an editor
confirms what they saw, never something else.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date

import aiosqlite

from alerts.updates import queue_after_merge
from cases.codec import case_to_dict, place_to_dict
from cases.model import Case, Place
from storage import audit
from storage import cases as case_store
from storage.cases import MergeReport

CLI_ACTOR = "cli"  # the audit log's actor for the command line, as for ``publish``


class StaleCases(Exception):
    """The cases changed between the preview and the write: nothing was written."""


@dataclass
class Plan:
    action: str  # the audit action: case.update, case.status, case.add, case.import, ...
    incoming: list[Case]
    # What merging looked like when it was shown for review; None: not shown (an import).
    expected: MergeReport | None = None
    details: dict = field(default_factory=dict)  # for the audit entries
    places: list[Place] = field(default_factory=list)  # places of detention a file brought
    # More for one case's audit entry (sync: which of the list's changes it got).
    case_details: dict[str, dict] = field(default_factory=dict)
    # Last in the transaction, with the merge's report: the source's own records of
    # what was applied (sync's decisions). An exception from it rolls everything back.
    then: Callable[[aiosqlite.Connection, MergeReport], Awaitable[None]] | None = None


def signature(report: MergeReport) -> tuple:
    before = [
        (old.slug, json.dumps(case_to_dict(old), sort_keys=True)) for old, _ in report.changed
    ]
    return sorted(report.added), sorted(before), sorted(report.unchanged)


async def apply_plan(
    db: aiosqlite.Connection,
    plan: Plan,
    actor: int | str,
    *,
    today: date,
    stale_days: int,
) -> tuple[MergeReport, int]:
    """Save the plan's cases, queue their alerts, audit them: one transaction.

    Returns the merge report and the deliveries queued; StaleCases if the
    cases moved since the plan was shown (nothing is written then).
    """
    queued = 0

    async def on_merged(db: aiosqlite.Connection, report: MergeReport) -> None:
        nonlocal queued
        if plan.expected is not None and signature(report) != signature(plan.expected):
            raise StaleCases
        # A status confirmed or changed: today's held-back alerts go out, or are dropped.
        queued = await queue_after_merge(db, report, today=today, stale_days=stale_days)
        details = {**plan.details, "deliveries": queued} if queued else plan.details

        def details_of(slug: str) -> dict | None:
            return {**details, **plan.case_details.get(slug, {})} or None

        incoming = {case.slug: case for case in plan.incoming}
        for slug in report.added:
            after = case_to_dict(incoming[slug])
            await audit.record(db, actor, plan.action, slug, None, after, details_of(slug))
        for before, after in report.changed:
            await audit.record(
                db,
                actor,
                plan.action,
                after.slug,
                case_to_dict(before),
                case_to_dict(after),
                details_of(after.slug),
            )
        places = {place.key: place for place in plan.places}
        for key in report.places_added:
            after = place_to_dict(places[key])
            await audit.record(db, actor, plan.action, f"place:{key}", None, after, details)
        for before, after in report.places_changed:
            await audit.record(
                db,
                actor,
                plan.action,
                f"place:{after.key}",
                place_to_dict(before),
                place_to_dict(after),
                details or None,
            )
        if plan.then is not None:
            await plan.then(db, report)

    report = await case_store.merge_cases(
        db, plan.incoming, on_merged=on_merged, places=plan.places
    )
    return report, queued
