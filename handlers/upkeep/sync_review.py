"""Viasna's list in Telegram: editors decide what an export proposes.

An export read (``python bot.py sync``, an upload here, the bot's own fetch)
stores its proposed changes and tells each editor once
(``alerts.sync_notices``): the counts by kind, with buttons. This module
answers those buttons and /sync, which shows the same summary read live:

- **Apply all** (``sync:all:<snapshot>:<kind>``) applies every waiting change
  of the kind that the message's export (or an earlier one) proposed, in one
  go through ``alerts.sync_apply.apply_changes``: audited, on the timeline in
  every language, one alert per person per change. Pressed twice, or after
  another editor, it finds nothing left and says so.
- **Review one by one** (``sync:r``) shows the oldest waiting change: the
  list's row and the card side by side, with Apply, Skip and Open card (the
  card as /defender shows it); a question has "This is …" per candidate,
  Someone else and Skip; what is only shown (gone, no longer recognised, a
  disagreement) has Skip alone. Each decision edits the message into the
  next change. A change decided meanwhile (another editor, the same button
  twice) is said to be decided already and nothing happens to it.
- A held export (it may be cut short) has **Trust this export**
  (``storage.sync.release_held``, then its unchanged statuses are confirmed
  as a trusted export's are) and **Leave it**.

An editor can also send the export here as a .csv (``export_upload``, from
``case_upload``): each file is read in a thread and kept for
``KEEP_UPLOADS_MINUTES`` with the other languages the editor sends; the
three of the list (ru, be, en) are compared as soon as all are here, fewer
on "Compare now". One comparison is one snapshot, like ``bot.py sync`` with
the same files; the other editors are told as after any sync, the sender
gets the summary in the chat.

A button's data is checked before anything is done: a change key that is
not stored, a kind a button cannot apply, a candidate that is not one, a
snapshot that is not stored: ``button_expired``.
"""

from __future__ import annotations

import asyncio
import re
import time

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from alerts import service as alert_runtime  # the module: alerts.service imports handlers
from alerts.case_changes import StaleCases
from alerts.sync_apply import (
    Applied,
    ChangedMeanwhile,
    Confirming,
    answer_question,
    apply_changes,
    read_sync,
)
from alerts.sync_notices import SYNC_PREFIX, Telling, summary, summary_keyboard
from alerts.texts import with_dates
from cases.model import localised
from handlers.shared.admin_access import admin_callback, admin_command
from handlers.shared.button_titles import shorten
from handlers.shared.errors import button_expired
from handlers.shared.namesakes import lines_told_apart
from handlers.shared.replies import chat_language, edit_or_send, send
from handlers.shared.services import Services, services
from handlers.upkeep.case_admin import drop_buttons
from storage import sync as sync_store
from storage.db import transaction
from storage.sync import StoredChange
from sync.export import Export, read_export
from sync.listed import ListedPerson
from sync.reconcile import APPLICABLE
from sync.sniff import ExportError

PREFIX = SYNC_PREFIX
KEY = r"[a-z_]+:[0-9a-f]{20}"
CARD_PREFIX = "card:"  # the card as /defender shows it (handlers.reading.lookup)
CALLBACK_DATA_BYTES = 64
# Uploaded exports wait this long for the other languages, in the sender's user_data.
KEEP_UPLOADS_MINUTES = 15
UPLOADS_KEY = "sync_uploads"
LIST_LANGUAGES = ("ru", "be", "en")  # the list's own: all three here, they are compared
MOST_KEPT = len(LIST_LANGUAGES)
PROBLEMS_SHOWN = 10
# bot_data: an "Apply all" or a trust running (they run beside other updates).
BUSY_KEY = "sync_busy"
# Actions under one change: a(pply), s(kip), n (someone else), x (this is candidate n).
CHANGE_DATA = re.compile(rf"^(?:a|s|n):({KEY})$|^x:({KEY}):([0-9]{{1,2}})$")


def outcome(result: str | None = None, **values) -> dict:
    """What a button did, for sync_status (every value a branch may read)."""
    return {
        "result": result,
        "kind": "",
        "applied": 0,
        "done": 0,
        "refused": [],
        "queued": 0,
        "confirmed": 0,
        "as_of": None,
        **values,
    }


def decision(result: str, name: str, **values) -> dict:
    """What the last button under a change did, for sync_change."""
    return {"result": result, "name": name, "queued": 0, "why": "", "state": "", **values}


async def show_summary(
    update: Update, context: ContextTypes.DEFAULT_TYPE, lang: str, done: dict | None = None
) -> None:
    """What waits (read now), with Review, Apply all, or Trust and Leave for a held export."""
    app = services(context)
    shown = await summary(app.db)
    keyboard = summary_keyboard(app.messages, lang, shown)
    await send(
        update,
        context,
        "sync_status",
        lang,
        keyboard,
        shown=with_dates(shown),
        outcome=done or outcome(),
    )


async def sync_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/sync: the latest export read and what waits for a decision."""
    await show_summary(update, context, await chat_language(update, context))


async def changed_cases(context: ContextTypes.DEFAULT_TYPE, applied: Applied) -> None:
    """Cards and search show the changes now; the alerts they queued go out."""
    if applied.slugs or applied.applied:
        await services(context).reload_catalogue(off_loop=False)
    if applied.queued:
        alert_runtime.alert_service(context.application).wake()


def change_name(app: Services, change: StoredChange, lang: str) -> str:
    """Whom (or which place) a change is about, as this editor reads names."""
    case = app.catalogue.get(change.slug) if change.slug else None
    if case is not None:
        return localised(case.name, lang)
    if change.kind == "place_address":
        place = app.catalogue.places.get(change.place or "")
        return localised(place.name, lang) if place else (change.place or "")
    names = change.facts.get("names") or {}
    if names:
        person = ListedPerson.from_dict(change.facts)
        shown = person.shown_names
        return shown.get(lang) or next(iter(shown.values()))
    return change.slug or change.person


# --- Apply all, Trust, Leave -----------------------------------------------------------


def start_bulk(context: ContextTypes.DEFAULT_TYPE) -> bool:
    """One bulk application at a time: False while one runs (a second press is told so)."""
    running: set = context.bot_data.setdefault(BUSY_KEY, set())
    if running:
        return False
    running.add(True)
    return True


def end_bulk(context: ContextTypes.DEFAULT_TYPE) -> None:
    context.bot_data.setdefault(BUSY_KEY, set()).discard(True)


async def apply_all(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Apply every waiting change of one kind that the message's export knew."""
    query = update.callback_query
    app = services(context)
    lang = await chat_language(update, context)
    _, bound_text, kind = query.data.removeprefix(PREFIX).split(":")
    bound = int(bound_text)
    if kind not in APPLICABLE or await sync_store.snapshot(app.db, bound) is None:
        await button_expired(update, context)
        return
    if not start_bulk(context):
        await query.answer(app.messages.label("toast_sync_busy", lang))
        return
    try:
        await query.answer()
        await drop_buttons(query)
        waiting = [
            change.key
            for change in await sync_store.changes(app.db, states=("pending",), kinds=(kind,))
            if change.snapshot_id <= bound
        ]
        if not waiting:
            await show_summary(update, context, lang, outcome("none_left"))
            return
        try:
            applied = await apply_changes(
                app.db,
                waiting,
                actor=update.effective_user.id,
                today=app.today(),
                stale_days=app.settings.stale_days,
                messages=app.messages,
                kinds=(kind,),
            )
        except (ChangedMeanwhile, StaleCases):
            await show_summary(update, context, lang, outcome("changed"))
            return
        await changed_cases(context, applied)
        refused = []
        if applied.refused:
            stored = {c.key: c for c in await sync_store.changes(app.db, states=("refused",))}
            refused = [
                {"name": change_name(app, stored[key], lang) if key in stored else key, "why": why}
                for key, why in applied.refused.items()
            ]
        done = outcome(
            "applied",
            kind=kind,
            applied=len(applied.applied),
            done=len(applied.done),
            refused=refused,
            queued=applied.queued,
        )
        await show_summary(update, context, lang, done)
    finally:
        end_bulk(context)


async def held_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Trust this export (its changes wait like any others), or leave it held."""
    query = update.callback_query
    app = services(context)
    lang = await chat_language(update, context)
    op, _, snapshot_text = query.data.removeprefix(PREFIX).partition(":")
    snapshot = await sync_store.snapshot(app.db, int(snapshot_text))
    if snapshot is None:
        await button_expired(update, context)
        return
    if not start_bulk(context):
        await query.answer(app.messages.label("toast_sync_busy", lang))
        return
    try:
        await query.answer()
        await drop_buttons(query)
        if snapshot.state != "held":
            await show_summary(update, context, lang, outcome("not_held"))
            return
        if op == "l":
            await show_summary(update, context, lang, outcome("left"))
            return
        async with transaction(app.db):
            await sync_store.release_held(app.db, snapshot.id)
        # As a trusted export's are when it is read: what the list restates is confirmed.
        try:
            confirmed = await apply_changes(
                app.db,
                None,
                actor=update.effective_user.id,
                today=app.today(),
                stale_days=app.settings.stale_days,
                messages=app.messages,
                kinds=("confirmed",),
            )
        except (ChangedMeanwhile, StaleCases):
            confirmed = Applied()  # they wait, like the other changes
        await changed_cases(context, confirmed)
        done = outcome("trusted", as_of=snapshot.as_of, confirmed=len(confirmed.applied))
        await show_summary(update, context, lang, done)
    finally:
        end_bulk(context)


# --- one by one ---------------------------------------------------------------------------


def _pick(texts: dict[str, str], lang: str) -> str | None:
    """A text of the list in the reader's language, else in the list's own."""
    for language in (lang, "ru", "be", "en"):
        if texts.get(language):
            return texts[language]
    return next(iter(texts.values()), None)


def listed_row(change: StoredChange, lang: str) -> dict | None:
    """The list's row as the list writes it: what the editor compares with the card."""
    if change.kind in ("gone", "place_address"):
        return None
    person = ListedPerson.from_dict(change.facts)
    current = person.current
    place = None
    if current is not None and current.place is not None:
        listed_place = current.place
        lines = [_pick(listed_place.names, lang) or listed_place.key, *listed_place.address_lines]
        place = ", ".join([*lines, *([listed_place.postcode] if listed_place.postcode else [])])
    return {
        "name": _pick(person.names, lang) or person.key,
        "status": person.status,
        "born": person.birth_date,
        "arrested": current.arrested_on if current else None,
        "released": current.released_on if current else None,
        "died": person.died_on,
        "place": place,
        "sentence": _pick(current.sentence, lang) if current else None,
        "verdict": current.verdict_on if current else None,
        "articles": list(current.articles) if current else [],
        "earlier": max(len(person.detentions) - 1, 0),
        "url": person.url(lang),
    }


def place_view(app: Services, change: StoredChange) -> dict | None:
    if change.kind != "place_address":
        return None
    place = app.catalogue.places.get(change.place or "")
    facts = change.facts
    listed = ", ".join(
        [*facts["address_lines"], *([facts["postcode"]] if facts["postcode"] else [])]
    )
    return {"listed": listed, "stored": place.address.one_line() if place and place.address else ""}


def change_keyboard(app: Services, change: StoredChange, lang: str, candidates: dict[str, str]):
    label = app.messages.label
    key = change.key
    rows = []
    if change.kind == "question":
        for number, slug in enumerate(change.candidates, start=1):
            if slug in candidates:
                text = label(
                    "btn_sync_this_is", lang, number=number, name=shorten(candidates[slug])
                )
                rows.append([InlineKeyboardButton(text, callback_data=f"{PREFIX}x:{key}:{number}")])
        someone = label("btn_sync_someone_else", lang)
        rows.append([InlineKeyboardButton(someone, callback_data=f"{PREFIX}n:{key}")])
    skip = InlineKeyboardButton(label("btn_sync_skip", lang), callback_data=f"{PREFIX}s:{key}")
    if change.kind in APPLICABLE:
        apply = InlineKeyboardButton(
            label("btn_sync_apply", lang), callback_data=f"{PREFIX}a:{key}"
        )
        rows.append([apply, skip])
    else:
        rows.append([skip])
    card_data = f"{CARD_PREFIX}{change.slug}"
    if (
        change.slug
        and app.catalogue.get(change.slug) is not None
        and len(card_data.encode()) <= CALLBACK_DATA_BYTES
    ):
        card = label("btn_sync_open_card", lang)
        rows.append([InlineKeyboardButton(card, callback_data=card_data)])
    return InlineKeyboardMarkup(rows)


async def show_next(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    lang: str,
    decided: dict | None = None,
    edit: bool = True,
) -> None:
    """The oldest waiting change with its buttons (in place of the one just decided)."""
    app = services(context)
    change = await sync_store.next_pending(app.db)
    reply = edit_or_send if edit else send
    if change is None:
        await reply(update, context, "sync_change", lang, None, decided=decided, kind=None)
        return
    left = sum((await sync_store.counts(app.db, ("pending",))).values())
    found = [app.catalogue.get(slug) for slug in change.candidates]
    candidates = lines_told_apart(app, lang, [case for case in found if case is not None])
    await reply(
        update,
        context,
        "sync_change",
        lang,
        change_keyboard(app, change, lang, candidates),
        decided=decided,
        kind=change.kind,
        left=left,
        name=change_name(app, change, lang),
        slug=change.slug,
        as_of=change.as_of,
        person=change.person,
        listed=listed_row(change, lang),
        case=app.catalogue.get(change.slug) if change.slug else None,
        place=place_view(app, change),
        candidates=[
            (number, candidates[slug])
            for number, slug in enumerate(change.candidates, start=1)
            if slug in candidates
        ],
    )


async def review_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Review one by one: the oldest waiting change, in a message of its own."""
    await update.callback_query.answer()
    await show_next(update, context, await chat_language(update, context), edit=False)


async def change_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Apply, Skip, This is …, Someone else: then the next waiting change."""
    query = update.callback_query
    app = services(context)
    data = query.data.removeprefix(PREFIX)
    match = CHANGE_DATA.match(data)
    op = data[0]
    key = match and (match[1] or match[2])
    change = await sync_store.change(app.db, key) if key else None
    number = int(match[3]) if match and match[3] else 0
    fits = change is not None and (
        op == "s"
        or (op == "a" and change.kind in APPLICABLE)
        or (op == "n" and change.kind == "question")
        or (op == "x" and change.kind == "question" and 1 <= number <= len(change.candidates))
    )
    if not fits:
        await button_expired(update, context)
        return
    await query.answer()
    lang = await chat_language(update, context)
    name = change_name(app, change, lang)
    if change.state != "pending":
        await show_next(update, context, lang, decision("decided", name, state=change.state))
        return
    actor = update.effective_user.id
    if op == "s":
        async with transaction(app.db):
            skipped = await sync_store.settle_one(app.db, key, "skipped", None, str(actor))
        decided = decision("skipped", name) if skipped else decision("decided", name)
    elif op == "a":
        decided = await apply_one(context, change, name, actor)
    else:
        slug = change.candidates[number - 1] if op == "x" else None
        decided = await answer(context, change, slug, lang, actor)
    if decided["result"] == "decided" and not decided["state"]:
        now = await sync_store.change(app.db, key)
        decided["state"] = now.state if now else ""
    await show_next(update, context, lang, decided)


async def apply_one(
    context: ContextTypes.DEFAULT_TYPE, change: StoredChange, name: str, actor: int
) -> dict:
    app = services(context)
    try:
        applied = await apply_changes(
            app.db,
            [change.key],
            actor=actor,
            today=app.today(),
            stale_days=app.settings.stale_days,
            messages=app.messages,
            kinds=(change.kind,),
        )
    except (ChangedMeanwhile, StaleCases):
        return decision("changed", name)
    await changed_cases(context, applied)
    if change.key in applied.applied:
        return decision("applied", name, queued=applied.queued)
    if change.key in applied.done:
        return decision("done", name)
    if change.key in applied.refused:
        return decision("refused", name, why=applied.refused[change.key])
    return decision("decided", name)


async def answer(
    context: ContextTypes.DEFAULT_TYPE,
    change: StoredChange,
    slug: str | None,
    lang: str,
    actor: int,
) -> dict:
    """This is the case ``slug`` (None: someone else)."""
    app = services(context)
    case = app.catalogue.get(slug) if slug else None
    name = localised(case.name, lang) if case else change_name(app, change, lang)
    try:
        answered = await answer_question(
            app.db,
            change.key,
            slug,
            actor=actor,
            today=app.today(),
            stale_days=app.settings.stale_days,
            messages=app.messages,
        )
    except (ChangedMeanwhile, StaleCases):
        # The link is decided; what it implies waits among the other changes.
        await app.reload_catalogue(off_loop=False)
        return decision("changed", name)
    await changed_cases(context, answered.applied)
    if answered.result == "new" and answered.applied.slugs:
        added = app.catalogue.get(answered.applied.slugs[0])
        name = localised(added.name, lang) if added else name
    return decision(answered.result, name, queued=answered.applied.queued)


# --- uploads -------------------------------------------------------------------------------


async def export_upload(
    update: Update, context: ContextTypes.DEFAULT_TYPE, lang: str, raw: bytes, file_name: str
) -> bool:
    """Read an uploaded .csv as Viasna's export; False when it is none (a cases file, say).

    Kept with the other languages this editor sent in the last minutes; the
    three of the list are compared at once, fewer on "Compare now".
    """
    try:
        export = await asyncio.to_thread(read_export, raw, file_name)
    except ExportError:
        return False
    kept = _kept(context)
    kept[export.language or file_name] = export
    while len(kept) > MOST_KEPT:
        kept.pop(next(iter(kept)))
    missing = [language for language in LIST_LANGUAGES if language not in kept]
    problems = [str(problem) for problem in export.problems]
    count = len(kept)
    keyboard = None
    if missing:
        label = services(context).messages.label("btn_sync_compare", lang, count=count)
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=f"{PREFIX}u")]])
    await send(
        update,
        context,
        "sync_upload",
        lang,
        keyboard,
        file=file_name,
        language=export.language,
        rows=export.row_count,
        problems=problems[:PROBLEMS_SHOWN],
        problem_count=len(problems),
        unknown=list(export.unknown_columns),
        missing=missing,
        minutes=KEEP_UPLOADS_MINUTES,
    )
    if not missing:
        await compare(update, context, lang)
    return True


def _kept(context: ContextTypes.DEFAULT_TYPE) -> dict[str, Export]:
    """This editor's uploaded exports still waiting to be compared (older ones dropped)."""
    uploads = context.user_data.get(UPLOADS_KEY)
    now = time.monotonic()
    if uploads is None or now - uploads["at"] > KEEP_UPLOADS_MINUTES * 60:
        uploads = context.user_data[UPLOADS_KEY] = {"at": now, "exports": {}}
    uploads["at"] = now
    return uploads["exports"]


async def compare_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Compare now: the exports kept so far, however many languages."""
    uploads = context.user_data.get(UPLOADS_KEY)
    fresh = uploads and time.monotonic() - uploads["at"] <= KEEP_UPLOADS_MINUTES * 60
    if not fresh or not uploads["exports"]:
        await button_expired(update, context)
        return
    await update.callback_query.answer()
    await drop_buttons(update.callback_query)
    await compare(update, context, await chat_language(update, context))


async def compare(update: Update, context: ContextTypes.DEFAULT_TYPE, lang: str) -> None:
    """The kept exports against the cases: one snapshot, the editors told, the summary here."""
    uploads = context.user_data.pop(UPLOADS_KEY, None)
    exports = list(uploads["exports"].values()) if uploads else []
    if not exports:
        return
    app = services(context)
    today = app.today()
    telling = Telling(
        tuple(app.settings.admins), app.settings.language, (update.effective_user.id,)
    )
    try:
        read = await read_sync(
            app.db,
            exports,
            as_of=today,
            origin="upload",
            confirm=Confirming(today, app.settings.stale_days, app.messages),
            tell=telling,
        )
        confirmed = read.confirmed
    except (ChangedMeanwhile, StaleCases):
        confirmed = 0  # stored; the confirmations wait with the rest
    if confirmed:
        await app.reload_catalogue(off_loop=False)
    alert_runtime.alert_service(context.application).wake()  # the other editors' notices
    await show_summary(update, context, lang, outcome("read", confirmed=confirmed, as_of=today))


def handlers() -> list:
    return [
        admin_command("sync", sync_command),
        admin_callback(review_button, pattern=f"^{PREFIX}r$"),
        # Many changes at once: beside other updates (each is one transaction).
        admin_callback(
            apply_all, pattern=rf"^{PREFIX}all:[0-9]{{1,12}}:[a-z_]{{1,20}}$", block=False
        ),
        admin_callback(held_button, pattern=rf"^{PREFIX}[tl]:[0-9]{{1,12}}$", block=False),
        admin_callback(change_button, pattern=rf"^{PREFIX}[asnx]:"),
        admin_callback(compare_button, pattern=rf"^{PREFIX}u$", block=False),
    ]
