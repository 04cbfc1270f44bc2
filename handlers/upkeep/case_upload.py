"""A cases file an admin sends: checked, summarised, and imported only on Confirm.

(A .csv that is Viasna's export goes to ``handlers.upkeep.sync_review`` instead.)

The file is read with the same rules as ``python bot.py import``; an
invalid one gets the line and field at fault and changes nothing. A valid
one is compared with the database case by case and field by field, so the
admin sees what would be added, what changes where, and what stays.
"""

from __future__ import annotations

import asyncio
from pathlib import PurePosixPath

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes, filters

from alerts.case_changes import Plan
from alerts.updates import describe_change
from cases.codec import CaseFormatError, case_to_dict
from cases.files import FORMATS, read_caseload_text
from cases.model import localised
from handlers.shared.admin_access import admin_message
from handlers.shared.replies import chat_language, send
from handlers.shared.services import services
from handlers.upkeep.case_admin import confirm_keyboard, keep
from handlers.upkeep.sync_review import export_upload
from storage import cases as case_store
from storage.audit import diff

# The summary names this many cases per list; the counts say the rest.
SHOWN_CASES = 25


async def read_upload(update: Update, context: ContextTypes.DEFAULT_TYPE, lang: str):
    """The uploaded file's bytes and format, or None after telling the admin why not."""
    document = update.effective_message.document
    file_name = document.file_name or ""
    fmt = PurePosixPath(file_name).suffix.lower().lstrip(".")
    most = services(context).settings.max_file_bytes
    problem: dict = {}
    if fmt not in FORMATS:
        problem = {"problem": "type"}
    elif (document.file_size or 0) > most:  # said before the download: nothing is fetched
        problem = {"problem": "too_big"}
    else:
        try:
            telegram_file = await context.bot.get_file(document)
            raw = bytes(await telegram_file.download_as_bytearray())
        except TelegramError:
            raw, problem = b"", {"problem": "download"}
        if len(raw) > most:  # file_size is optional in the Bot API
            problem = {"problem": "too_big"}
        elif not problem:
            return raw, fmt
    await upload_problem(update, context, lang, file_name, **problem)
    return None


async def upload_problem(update, context, lang: str, file_name: str, **problem) -> None:
    values = {"line": 0, "field": "", "message": "", **problem}
    limit = f"{services(context).settings.max_file_mb:g}"
    await send(update, context, "upload_problem", lang, file=file_name, limit=limit, **values)


async def cases_file(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Check an uploaded cases file and show what importing it would do.

    Runs beside other updates (block=False) and reads the file in a thread: a
    big or hostile file makes no one else's reply wait.
    """
    lang = await chat_language(update, context)
    upload = await read_upload(update, context, lang)
    if upload is None:
        return
    raw, fmt = upload
    app = services(context)
    file_name = update.effective_message.document.file_name
    # A .csv may be Viasna's export rather than a cases file: its own reader says which.
    if fmt == "csv" and await export_upload(update, context, lang, raw, file_name):
        return
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        await upload_problem(update, context, lang, file_name, problem="not_utf8", line=line)
        return
    try:
        known = await case_store.place_keys(app.db)
        caseload = await asyncio.to_thread(
            read_caseload_text, text, fmt, file_name, app.today(), known
        )
    except CaseFormatError as error:
        await send(
            update,
            context,
            "upload_problem",
            lang,
            problem="invalid",
            file=file_name,
            limit=0,
            line=error.line or 0,
            field=error.field,
            message=error.message,
        )
        return
    incoming = caseload.cases
    report = await case_store.plan_merge(app.db, incoming, caseload.places)
    by_slug = {case.slug: case for case in incoming}
    changed = [
        {
            "name": localised(after.name, lang),
            "slug": after.slug,
            "fields": [change.field for change in diff(case_to_dict(before), case_to_dict(after))],
        }
        for before, after in report.changed
    ]
    alerts = sum(describe_change(before, after) is not None for before, after in report.changed)
    keyboard = None
    places_changed = len(report.places_added) + len(report.places_changed)
    if report.added or report.changed or places_changed:
        plan = Plan("case.import", incoming, report, {"file": file_name}, caseload.places)
        keyboard = confirm_keyboard(context, lang, keep(context, plan))
    await send(
        update,
        context,
        "upload_summary",
        lang,
        keyboard,
        file=file_name,
        added=[
            {"name": localised(by_slug[slug].name, lang), "slug": slug}
            for slug in report.added[:SHOWN_CASES]
        ],
        added_count=len(report.added),
        changed=changed[:SHOWN_CASES],
        changed_count=len(changed),
        unchanged_count=len(report.unchanged),
        alerts=alerts,
        places_changed=places_changed,
    )


def handlers() -> list:
    # Only a document in an admin's private chat: anyone else's file matches nothing.
    return [admin_message(filters.Document.ALL, cases_file, block=False)]
