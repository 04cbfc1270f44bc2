"""The list of political prisoners, applied: read it, store what it proposes, apply changes.

One path for every caller (``python bot.py sync``, an editor's upload, the
bot's own fetch, an editor's Apply in Telegram):

1. ``read_sync`` reads the exports, compares them with the cases
   (``sync.reconcile``) and stores a snapshot with its proposed changes. An
   export with under 80% of the rows of the last one applied, or without a
   column it had, is *held*: its changes wait until an editor trusts it.
2. ``apply_changes`` applies stored changes in one transaction: each case
   changed as its kind says (``sync.changes``), linked to its person on the
   list, checked by the codec like any import, audited (``case.sync``), and
   its alert queued (release, case update, re-arrest, death) with the change
   itself as its key, so the same export read twice, or a change applied
   twice, tells nobody anything twice.

Questions, removals and disagreements are never applied: an editor reads them.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

import aiosqlite

from alerts.case_changes import Plan, apply_plan
from alerts.sync_notices import Telling, queue_notice
from cases.codec import CaseFormatError, case_from_dict, case_to_dict
from cases.model import Case, Place
from messages.case_texts import CaseTexts
from messages.render import Messages
from storage import cases as case_store
from storage import sync as sync_store
from storage.cases import MergeReport
from storage.db import transaction
from sync.changes import APPLY, Context, linked, new_case, with_address
from sync.export import Export
from sync.listed import HELD, ListedPerson, listed
from sync.people import join_languages
from sync.reconcile import APPLICABLE, Proposal, Reconciliation, reconcile

ACTION = "case.sync"
# An export this much smaller than the last one applied is more likely cut short
# (a failed download, a filtered page) than a list that lost a fifth of its people.
SMALLEST_SHARE = 0.8
# The order changes to one case are applied in: the person first, then what
# happened, newest last; a confirmation only of what is left.
ORDER = {
    kind: n
    for n, kind in enumerate(
        (
            "place_address",
            "new",
            "corrected",
            "re_arrested",
            "released",
            "died",
            "moved",
            "sentenced",
            "sentence_changed",
            "confirmed",
        )
    )
}


class ChangedMeanwhile(Exception):
    """A case changed between reading it and writing the change: nothing was written."""


@dataclass
class Read:
    snapshot_id: int
    reconciliation: Reconciliation
    held_reason: str | None
    new_changes: int  # changes waiting now that did not before
    row_count: int
    confirmed: int = 0  # statuses confirmed as of the export, at once


@dataclass(frozen=True)
class Confirming:
    """What applying the export's confirmations needs (see ``read_sync``)."""

    today: date
    stale_days: int
    messages: Messages


@dataclass
class Applied:
    applied: list[str] = field(default_factory=list)  # change keys
    done: list[str] = field(default_factory=list)  # already so: nothing changed
    refused: dict[str, str] = field(default_factory=dict)  # key -> why not
    queued: int = 0  # alert deliveries
    slugs: list[str] = field(default_factory=list)  # cases changed or added


def checksum(exports: Iterable[Export]) -> str:
    return checksum_of(export.sha256 for export in exports)


def checksum_of(file_digests: Iterable[str]) -> str:
    """A set of files' checksum from each file's sha256 (hex), whatever their order."""
    digest = hashlib.sha256()
    for file_digest in sorted(file_digests):
        digest.update(file_digest.encode())
    return digest.hexdigest()


def suspicion(exports: list[Export], last) -> str | None:
    """Why these exports should not be trusted without an editor's word, or None."""
    if last is None:
        return None
    rows = sum(export.row_count for export in exports)
    # Compare like with like: the same number of files (one per language).
    rows_per_file = rows / max(len(exports), 1)
    last_per_file = last.row_count / max(len(last.files), 1)
    if rows_per_file < SMALLEST_SHARE * last_per_file:
        return (
            f"{rows} rows in {len(exports)} file(s), under {SMALLEST_SHARE:.0%} of the "
            f"{last.row_count} in {len(last.files)} of the last export applied ({last.as_of})"
        )
    columns = frozenset().union(*(export.columns for export in exports))
    missing = sorted(last.columns - columns)
    if missing:
        return f"columns the last export applied had are missing: {', '.join(missing)}"
    return None


async def read_sync(
    db: aiosqlite.Connection,
    exports: list[Export],
    *,
    as_of: date,
    origin: str,
    confirm: Confirming | None = None,
    tell: Telling | None = None,
) -> Read:
    """Compare the exports with the cases and store the snapshot and its proposed changes.

    With ``confirm``, a trusted export's confirmations are applied at once: a row
    that says what the case says confirms its status as of the export's date, as
    an editor's "Still true" does, so a weekly export keeps a thousand statuses
    current without an editor touching each. They change no fact and tell
    nobody anything (a calendar alert held back for a stale status may go out).
    Everything else waits for an editor.

    With ``tell``, each editor is told in the same transaction what now waits
    (``alerts.sync_notices``): one message, only when something new waits.
    """
    cases = await case_store.load_cases(db)
    places = await case_store.load_places(db)
    # Pure, and seconds at the list's size: off the event loop, so a bot that
    # fetches the list itself (alerts/sync_fetch.py) keeps answering meanwhile.
    found = await asyncio.to_thread(_compare, exports, cases, places, as_of)
    held_reason = suspicion(exports, await sync_store.last_applied(db))
    files = [
        {
            "name": export.file_name,
            "language": export.language,
            "header_set": export.header_set,
            "rows": export.row_count,
            "sha256": export.sha256,
        }
        for export in exports
    ]
    async with transaction(db):
        snapshot_id = await sync_store.store_snapshot(
            db,
            as_of=as_of,
            origin=origin,
            files=files,
            row_count=sum(export.row_count for export in exports),
            checksum=checksum(exports),
            columns=frozenset().union(*(export.columns for export in exports)),
            held_reason=held_reason,
        )
        new = await sync_store.store_changes(
            db, snapshot_id, found.proposals, held=held_reason is not None
        )
        await sync_store.forget_old(db, as_of)
        if tell is not None:
            # The confirmations a trusted export brings are applied below: nobody decides them.
            at_once = ("confirmed",) if confirm is not None and held_reason is None else ()
            await queue_notice(db, snapshot_id, tell, on_date=as_of, leave_out=at_once)
    read = Read(snapshot_id, found, held_reason, new, sum(e.row_count for e in exports))
    if confirm is not None and held_reason is None:
        confirmed = await apply_changes(
            db,
            None,
            actor=origin,
            today=confirm.today,
            stale_days=confirm.stale_days,
            messages=confirm.messages,
            kinds=("confirmed",),
            # As read just now: 9,000 cases decoded once, not twice. Were one changed
            # meanwhile, the applier's check refuses the whole and nothing is written.
            loaded=(cases, places),
        )
        read.confirmed = len(confirmed.applied)
    return read


def _compare(
    exports: list[Export], cases: list[Case], places: list[Place], as_of: date
) -> Reconciliation:
    people = [listed(person) for person in join_languages(exports)]
    return reconcile(people, cases, places, as_of=as_of)


async def apply_changes(
    db: aiosqlite.Connection,
    keys: list[str] | None,
    *,
    actor: int | str,
    today: date,
    stale_days: int,
    messages: Messages,
    kinds: tuple[str, ...] = APPLICABLE,
    loaded: tuple[list[Case], list[Place]] | None = None,
) -> Applied:
    """Apply the pending changes ``keys`` (None: every pending one of ``kinds``).

    Held, skipped and already decided changes are left alone; shown-only kinds
    (questions, removals) are never applied.
    """
    wanted = tuple(kind for kind in kinds if kind in APPLICABLE)
    stored = await sync_store.changes(db, states=("pending",), kinds=wanted, keys=keys)
    result = Applied()
    if not stored:
        return result
    stored.sort(key=lambda change: (change.slug or "", ORDER[change.kind], change.snapshot_id))
    if loaded is None:
        loaded = (await case_store.load_cases(db), await case_store.load_places(db))
    cases = {case.slug: case for case in loaded[0]}
    places = {place.key: place for place in loaded[1]}
    before = {slug: case_to_dict(case) for slug, case in cases.items()}
    texts = CaseTexts(messages)
    working = dict(cases)
    changed_places: dict[str, Place] = {}
    outcomes: dict[str, tuple[str, str | None]] = {}
    kinds_by_slug: defaultdict[str, list[str]] = defaultdict(list)
    for change in stored:
        context = Context(change.as_of, texts, places, lambda slug: slug in working)
        if change.kind == "place_address":
            place = places.get(change.place or "")
            if place is None:
                outcomes[change.key] = ("refused", "the place is no longer stored")
                continue
            facts = change.facts
            updated = with_address(place, facts["address_lines"], facts["postcode"], change.as_of)
            if updated.address == place.address:
                outcomes[change.key] = ("done", None)
                continue
            places[place.key] = changed_places[place.key] = updated
            outcomes[change.key] = ("applied", None)
            continue
        person = ListedPerson.from_dict(change.facts)
        known = len(places)
        if change.kind == "new":
            taken_by = next((c for c in working.values() if c.list_person == person.key), None)
            if taken_by is not None:
                outcomes[change.key] = ("done", None)
                continue
            after: Case | None = new_case(person, context)
            case_before = None
        else:
            case_before = working.get(change.slug or "")
            if case_before is None:
                outcomes[change.key] = ("refused", "the case is no longer stored")
                continue
            after = APPLY[change.kind](case_before, person, context)
            if after is not None:
                after = linked(after, person)
            elif case_before.list_person != person.key:
                # Nothing to change but the link itself: the case is that person.
                after = linked(case_before, person)
        if after is None or (case_before is not None and after == case_before):
            outcomes[change.key] = ("done", None)
            continue
        try:
            after = _checked(after, today)
        except CaseFormatError as error:
            outcomes[change.key] = ("refused", f"{error.field}: {error.message}")
            for key in list(places)[known:]:  # a place made for it goes with it
                del places[key]
            continue
        working[after.slug] = after
        kinds_by_slug[after.slug].append(change.kind)
        outcomes[change.key] = ("applied", None)
        for key in list(places)[known:]:
            changed_places[key] = places[key]
    result.applied = [key for key, (state, _) in outcomes.items() if state == "applied"]
    result.done = [key for key, (state, _) in outcomes.items() if state == "done"]
    result.refused = {
        key: why or "" for key, (state, why) in outcomes.items() if state == "refused"
    }
    incoming = [working[slug] for slug in kinds_by_slug]
    snapshots = {change.snapshot_id for change in stored if outcomes[change.key][0] == "applied"}

    async def finish(db: aiosqlite.Connection, report: MergeReport) -> None:
        # Every case as it was read, or the whole application rolls back: an
        # editor's change made meanwhile is kept, and the changes stay pending.
        found = {old.slug: case_to_dict(old) for old, _ in report.changed}
        if found != {slug: before.get(slug) for slug in found} or any(
            slug in before for slug in report.added
        ):
            raise ChangedMeanwhile
        await sync_store.decide(db, outcomes, str(actor))
        await sync_store.mark_applied(db, snapshots)

    if incoming or changed_places:
        plan = Plan(
            ACTION,
            incoming,
            places=list(changed_places.values()),
            case_details={slug: {"changes": sorted(set(k))} for slug, k in kinds_by_slug.items()},
            then=finish,
        )
        _, result.queued = await apply_plan(db, plan, actor, today=today, stale_days=stale_days)
    else:
        async with transaction(db):
            await sync_store.decide(db, outcomes, str(actor))
    result.slugs = [case.slug for case in incoming]
    return result


@dataclass
class Answer:
    """What an editor's answer to a question did."""

    result: str  # linked | new | nothing | decided (already) | taken | missing
    applied: Applied = field(default_factory=Applied)
    waiting: list[str] = field(default_factory=list)  # changes left for the editors


async def answer_question(
    db: aiosqlite.Connection,
    key: str,
    slug: str | None,
    *,
    actor: int | str,
    today: date,
    stale_days: int,
    messages: Messages,
) -> Answer:
    """An editor says who the person of question ``key`` is: the case ``slug``, or someone else.

    "This is X" links case X to the person and applies what the person's facts
    imply for it: the changes ``reconcile`` proposes for the case once linked,
    stored beside the others and applied like any (so audited, on the
    timeline and told once); one only to be shown (the list disagrees) waits
    for the editors. Someone else: a new case when the list holds the person,
    else nothing. A case linked to another person meanwhile is not taken over.
    """
    question = await sync_store.change(db, key)
    if question is None or question.kind != "question":
        raise ValueError(f"no question {key!r}")
    if slug is not None and slug not in question.candidates:
        raise ValueError(f"{slug!r} is not a candidate of {key!r}")
    if question.state != "pending":
        return Answer("decided")
    person = ListedPerson.from_dict(question.facts)
    facts = question.facts
    proposals: list[Proposal] = []
    if slug is None:
        result = "new" if person.status == HELD else "nothing"
        if result == "new":
            what = f"someone else than {', '.join(question.candidates)}: a new case"
            proposals.append(Proposal("new", person.key, None, facts, what))
    else:
        case = await case_store.get_case(db, slug)
        if case is None:
            return Answer("missing")
        if case.list_person and case.list_person != person.key:
            return Answer("taken")
        result = "linked"
        places = await case_store.load_places(db)
        as_linked = replace(case, list_person=person.key)
        found = reconcile([person], [as_linked], places, as_of=question.as_of)
        proposals = [p for p in found.proposals if p.slug == slug or p.kind == "place_address"]
        if not any(p.slug == slug and p.kind in APPLICABLE for p in proposals):
            # Nothing to change but the link itself: a correction with no names and no
            # birth date changes nothing, and the applier links the case to the person.
            bare = {**facts, "names": {}, "birth_date": None}
            what = "linked to the person on the list by an editor"
            proposals.append(Proposal("corrected", person.key, slug, bare, what))
    outcome = f"{result}: {slug}" if slug else result
    async with transaction(db):
        if not await sync_store.settle_one(db, key, "applied", outcome, str(actor)):
            return Answer("decided")
        stored = await sync_store.add_changes(db, question.snapshot_id, proposals)
    answer = Answer(result)
    applicable = [p.key for p in proposals if p.kind in APPLICABLE and p.key in stored]
    if applicable:
        answer.applied = await apply_changes(
            db,
            applicable,
            actor=actor,
            today=today,
            stale_days=stale_days,
            messages=messages,
        )
    answer.waiting = [p.key for p in proposals if p.kind not in APPLICABLE and p.key in stored]
    return answer


def _checked(case: Case, today: date) -> Case:
    """The case as the codec reads it back (what an import would refuse, sync refuses too)."""
    checked = case_from_dict(case_to_dict(case), case.slug, today)
    if case.detention is not None and case.detention.record is not None:
        checked = replace(
            checked, detention=replace(checked.detention, record=case.detention.record)
        )
    return checked


def summary(read: Read) -> dict[str, int]:
    return dict(Counter(proposal.kind for proposal in read.reconciliation.proposals))


__all__ = [
    "Answer",
    "Applied",
    "ChangedMeanwhile",
    "Read",
    "answer_question",
    "apply_changes",
    "read_sync",
    "summary",
]
