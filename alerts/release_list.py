"""``python bot.py releases FILE``: a list of released people applied from a script.

The same rules as /releases in Telegram (``cases.releases``): every line is
matched by the name search; matched people still held are released in one
transaction, each with a timeline entry, an audit entry (actor "cli") and
one release alert (``alerts.case_changes``, as Confirm in Telegram applies
it); uncertain lines are never applied; nothing changes for lines that name
nobody. Sending is the running bot's work: its sender finds
the queued alerts at its next look at the outbox, within seconds.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import aiosqlite

from alerts.case_changes import CLI_ACTOR, Plan, apply_plan
from cases.catalogue import Catalogue
from cases.model import Case, localised
from cases.releases import ReleaseLine, ReleaseRequest, changes, match_lines
from messages.case_texts import status_event
from messages.render import Messages
from storage import cases as case_store
from storage.cases import MergeReport

ACTION = "case.releases"


@dataclass(frozen=True)
class Applied:
    lines: list[ReleaseLine]
    changed: list[str]  # slugs released now
    queued: int  # deliveries of release alerts
    refused: dict[str, str] = field(default_factory=dict)  # slug -> why not


def describe(line: ReleaseLine, catalogue: Catalogue, refused: dict[str, str]) -> str:
    """One line of the report, in English (operators read the command line in English)."""

    def named(slug: str) -> str:
        return f"{localised(catalogue.get(slug).name, 'en')} ({slug})"

    text = f"line {line.number}: "
    if line.kind == "matched" and line.slug in refused:
        return text + f"matched    {line.text} -> {named(line.slug)}: refused, {refused[line.slug]}"
    if line.kind == "matched":
        return text + f"matched    {line.text} -> {named(line.slug)}"
    if line.kind == "free":
        status = catalogue.get(line.slug).status
        return text + f"matched    {line.text} -> {named(line.slug)}: already {status}, unchanged"
    if line.kind == "repeated":
        return text + f"matched    {line.text} -> {named(line.slug)}: listed before, unchanged"
    if line.kind == "uncertain":
        choices = " or ".join(named(slug) for slug in line.candidates)
        return text + f"uncertain  {line.text} -> {choices}: not applied"
    return text + f"not found  {line.text}"


def summary(applied: Applied, dry_run: bool) -> str:
    counts = Counter(line.kind for line in applied.lines)
    matched = counts["matched"] + counts["free"] + counts["repeated"]
    unchanged = matched - len(applied.changed) - len(applied.refused)
    refused = f", {len(applied.refused)} refused" if applied.refused else ""
    head = (
        f"{matched} matched ({len(applied.changed)} released now, {unchanged} unchanged"
        f"{refused}), "
        f"{counts['uncertain']} uncertain, {counts['not_found']} not found"
    )
    if dry_run:
        return f"{head}; dry run: nothing changed"
    return f"{head}; {applied.queued} release alert deliveries queued (the running bot sends them)"


async def apply_list(
    db: aiosqlite.Connection,
    names: list[tuple[int, str]],
    request: ReleaseRequest,
    *,
    today: date,
    stale_days: int,
    messages: Messages,
    dry_run: bool = False,
) -> tuple[Applied, Catalogue]:
    """Match ``names`` against the stored cases and, unless ``dry_run``, release the matched."""
    catalogue = Catalogue(await case_store.load_cases(db))
    lines = match_lines(names, catalogue.search, catalogue.get)

    def entry(case: Case):
        return status_event(messages, case.status, request.status)

    planned = changes(lines, request, catalogue.get, today, entry)
    pairs = planned.pairs
    if dry_run or not pairs:
        released = [after.slug for _, after in pairs] if dry_run else []
        return Applied(lines, released, 0, planned.refused), catalogue
    details = {"date": request.on.isoformat(), "status": request.status, "url": request.url}
    plan = Plan(ACTION, [after for _, after in pairs], MergeReport(changed=pairs), details)
    # A case changed meanwhile rolls the whole list back (StaleCases): an editor's change is kept.
    report, queued = await apply_plan(db, plan, CLI_ACTOR, today=today, stale_days=stale_days)
    released = [after.slug for _, after in report.changed]
    return Applied(lines, released, queued, planned.refused), catalogue
