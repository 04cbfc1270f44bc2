"""``python bot.py sync FILE [FILE ...]``: the list of political prisoners from the command line.

Reads Viasna's exports (one per language, any of en, be, ru), compares them
with the cases and prints a summary by kind and one line per change. Then:

- ``--dry-run``: nothing is stored or changed;
- plain: the snapshot and its changes are stored for the editors, and each
  editor is told in Telegram (``alerts.sync_notices``; ``/sync``);
- ``--apply``: every change but the questions, removals and disagreements is
  applied at once, with the audit actor ``cli``. An export that looks cut
  short is held instead, unless ``--accept-held`` says the operator checked it.

A file that is not an export is one line and exit code 1; a row that cannot
be read is reported with its line and id and left out, the others go on.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import aiosqlite

from alerts.sync_apply import Confirming, apply_changes, read_sync
from alerts.sync_notices import Telling, queue_notice
from capped_files import FileRefused, read_capped
from config import Settings
from messages.render import Messages
from storage import cases as case_store
from storage import sync as sync_store
from storage.db import transaction
from sync.export import Export, read_export
from sync.listed import listed
from sync.people import join_languages
from sync.reconcile import KINDS, Proposal, reconcile
from sync.sniff import ExportError

CLI_ACTOR = "cli"


@dataclass(frozen=True)
class SyncArguments:
    files: list[Path]
    dry_run: bool = False
    apply: bool = False
    accept_held: bool = False
    as_of: str | None = None


class Refused(Exception):
    """Nothing was changed; the message is the one line to print."""


def read_files(paths: list[Path], max_bytes: int) -> list[Export]:
    exports = []
    for path in paths:
        try:
            data = read_capped(path, max_bytes)
        except FileRefused as refused:
            hint = "; raise BOT_MAX_FILE_MB to read it" if refused.reason == "too_big" else ""
            raise Refused(f"{path}: {refused}{hint}") from None
        except OSError as error:
            raise Refused(f"{path}: {error.strerror}") from None
        try:
            exports.append(read_export(data, path.name))
        except ExportError as error:
            raise Refused(str(error)) from None
    return exports


def parse_as_of(given: str | None, today: date) -> date:
    if given is None:
        return today
    try:
        day = date.fromisoformat(given)
    except ValueError:
        raise Refused(f"--as-of {given!r} is not a date (YYYY-MM-DD)") from None
    if day > today:
        raise Refused(f"--as-of {day} is in the future (today is {today})")
    return day


def describe(proposal: Proposal) -> str:
    """One line per change: the kind, the person, the case, what changes."""
    who = proposal.slug or proposal.place or proposal.person
    return f"{proposal.kind:<16} {who}: {proposal.what}"


def summary(proposals: list[Proposal]) -> str:
    counts = Counter(proposal.kind for proposal in proposals)
    parts = [f"{counts[kind]} {kind}" for kind in KINDS if counts[kind]]
    return ", ".join(parts) if parts else "nothing differs"


def report_problems(exports: list[Export]) -> None:
    out = sys.stderr
    for export in exports:
        for problem in export.problems:
            print(f"{export.file_name}: {problem}", file=out)
        if export.unknown_columns:
            columns = ", ".join(export.unknown_columns)
            print(f"{export.file_name}: columns not read: {columns}", file=out)


async def sync_command(db: aiosqlite.Connection, settings: Settings, arguments) -> int:
    today = datetime.now(settings.timezone).date()
    try:
        as_of = parse_as_of(arguments.as_of, today)
        exports = read_files(arguments.files, settings.max_file_bytes)
        people = [listed(person) for person in join_languages(exports)]
    except (Refused, ExportError) as refused:
        print(f"sync failed, nothing changed: {refused}", file=sys.stderr)
        return 1
    report_problems(exports)
    rows = sum(export.row_count for export in exports)
    if arguments.dry_run:
        cases = await case_store.load_cases(db)
        places = await case_store.load_places(db)
        proposals = reconcile(people, cases, places, as_of=as_of).proposals
        for proposal in proposals:
            print(describe(proposal))
        print(f"{rows} rows, {len(people)} people: {summary(proposals)}; dry run: nothing changed")
        return 0
    messages = Messages()
    confirming = Confirming(today, settings.stale_days, messages)
    # The editors hear of what waits (alerts.sync_notices): at once from a plain sync; after
    # --apply, of what it left to them (questions, removals) or of an export held.
    telling = Telling(tuple(settings.admins), settings.language)
    read = await read_sync(
        db,
        exports,
        as_of=as_of,
        origin=CLI_ACTOR,
        confirm=confirming,
        tell=None if arguments.apply else telling,
    )
    proposals = read.reconciliation.proposals
    for proposal in proposals:
        if proposal.kind != "confirmed":
            print(describe(proposal))
    head = f"{rows} rows, {len(people)} people: {summary(proposals)}"
    if read.confirmed:
        head += f"; {read.confirmed} statuses confirmed as of {as_of}"
    if read.held_reason and not (arguments.apply and arguments.accept_held):
        print(f"{head}; held: {read.held_reason}")
        if arguments.apply:
            async with transaction(db):
                await queue_notice(db, read.snapshot_id, telling, on_date=as_of)
            print(
                "nothing applied: an editor confirms the export in Telegram (/sync), or run "
                "again with --apply --accept-held",
                file=sys.stderr,
            )
            return 1
        print("an editor confirms it in Telegram (/sync) before anything is applied")
        return 0
    waiting = [p for p in proposals if p.kind != "confirmed"]
    if not arguments.apply:
        if waiting:
            print(f"{head}; {len(waiting)} changes wait for the editors (/sync)")
        else:
            print(f"{head}; nothing waits for the editors")
        return 0
    if read.held_reason:
        async with transaction(db):
            await sync_store.release_held(db, read.snapshot_id)
    applied = await apply_changes(
        db,
        None,
        actor=CLI_ACTOR,
        today=today,
        stale_days=settings.stale_days,
        messages=messages,
    )
    async with transaction(db):
        await queue_notice(db, read.snapshot_id, telling, on_date=as_of)
    for key, why in applied.refused.items():
        print(f"refused {key}: {why}", file=sys.stderr)
    print(
        f"{head}; applied {len(applied.applied)}, already so {len(applied.done)}, "
        f"refused {len(applied.refused)}; {applied.queued} alert deliveries queued "
        "(the running bot sends them)"
    )
    return 0
