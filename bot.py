"""casewatch: wiring and the command line.

python bot.py run                 the bot, talking to Telegram (polling or webhook)
python bot.py console             the bot in a terminal, offline
python bot.py import FILE         merge cases from YAML, JSON or CSV
python bot.py export --format F   write every case as yaml, json or csv
python bot.py publish FILE        publish a statement (.md, .txt, .html) to subscribers
python bot.py backup [FILE]       copy the database, checked, while the bot runs
python bot.py restore FILE        put a backup in place of the database (bot stopped)
python bot.py releases FILE --date D --source URL   apply a list of people released that day
python bot.py sync FILE [FILE ...]   Viasna's list of political prisoners against the cases
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import yaml
from telegram import BotCommand, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, Defaults
from telegram.request import BaseRequest, HTTPXRequest

import handlers
from alerts.case_changes import CLI_ACTOR, Plan, StaleCases, apply_plan
from alerts.rate_limits import RateLimiter
from alerts.release_list import apply_list, describe, summary
from alerts.service import AlertOptions, AlertService
from alerts.service import install as install_alerts
from alerts.sync_command import sync_command
from alerts.sync_download import FetchOptions
from alerts.sync_fetch import ListFetcher
from alerts.sync_fetch import install as install_fetcher
from capped_files import FileRefused, read_capped
from cases.catalogue import Catalogue
from cases.codec import CaseFormatError
from cases.edit_words import EditProblem
from cases.files import read_caseload, read_cases, write_cases
from cases.letter_guide import read_letter_guide
from cases.letters import LetterGuide
from cases.model import RELEASED_STATUSES
from cases.releases import MAX_LINES, check_request, names_in
from config import ConfigError, Settings, load_settings
from console import run_console
from handlers.shared import admin_access
from handlers.shared.menu import MENU_COMMANDS
from handlers.shared.services import Services, install
from languages import LANGUAGES
from messages.render import Messages, missing_plural_forms
from metrics import METRICS_KEY, Metrics
from operations.backups import command_backup, command_restore
from operations.logs import setup_logging
from operations.serving import run_bot
from operations.telegram_link import (
    CONTACT_KEY,
    ObservedRequest,
    TelegramContact,
    UpdateReader,
)
from operations.update_timing import MeasuredUpdates
from statements.cli import publish_command
from storage import cases as case_store
from storage.db import (
    BUSY_TIMEOUT_SECONDS,
    DatabaseUnavailable,
    connect,
    disk_problem,
    on_write_failure,
    problem_with,
    storage_failure,
)
from storage.quick_reads import QuickReads

DATA_DIR = Path(__file__).with_name("data")
BUNDLED_CASES = DATA_DIR / "cases.yaml"
BUNDLED_STATS = DATA_DIR / "stats.yaml"
LETTER_GUIDE = DATA_DIR / "letters.yaml"

log = logging.getLogger("casewatch")

# Every text the bot sends is Telegram HTML from messages.render, and a link
# in a card or an alert is a source to open, not a preview to fill the chat.
# Defaults apply to every call through the Application's bot (an ExtBot),
# the alert sender's included.
TELEGRAM_HTML = Defaults(
    parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
)


async def seed_if_empty(db, today: date | None = None) -> int:
    """Fill an empty database from the bundled data; return how many cases were added."""
    if await case_store.count_cases(db):
        return 0
    report = await case_store.merge_cases(db, read_cases(BUNDLED_CASES, today=today))
    return len(report.added)


def load_stats() -> dict:
    # libyaml when PyYAML has it: the figures are read at every start-up.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    stats = yaml.load(BUNDLED_STATS.read_text(encoding="utf-8"), Loader=loader)
    for figure in stats["figures"]:
        # A label counted by the number has a form for every number of each language.
        if missing := missing_plural_forms(figure["label"]):
            where = f"figure {figure['key']}: label"
            raise ConfigError(str(BUNDLED_STATS), f"{where} lacks {', '.join(missing)}")
    # The newest first: today's count leads, older snapshots follow with their
    # dates (a stable sort keeps a figure's "of them" lines after it).
    stats["figures"].sort(key=lambda figure: figure["as_of"], reverse=True)
    return stats


def load_letter_guide(today: date | None = None) -> LetterGuide:
    """The rules for letters; a broken file stops start-up with one line naming the field."""
    try:
        return read_letter_guide(LETTER_GUIDE, today)
    except CaseFormatError as error:
        raise ConfigError(str(LETTER_GUIDE), str(error)) from None
    except OSError as error:
        raise ConfigError(str(LETTER_GUIDE), f"cannot be read: {error.strerror}") from None


async def register_menu(application: Application, messages: Messages, default_lang: str) -> None:
    """The command menu in each language, and the default language for everyone else."""
    for lang in (None, *LANGUAGES):
        texts_lang = lang or default_lang
        commands = [
            BotCommand(name, messages.label(f"cmd_{name}", texts_lang)) for name in MENU_COMMANDS
        ]
        await application.bot.set_my_commands(commands, language_code=lang)


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    clock: Callable[[], date] | None = None,
    rate_limit: bool = True,
    alert_options: AlertOptions | None = None,
    fetch_options: FetchOptions | None = None,
) -> Application:
    """The bot: handlers registered, storage opened in post_init and closed after."""
    # Watched on the way: every call (contact with Telegram, 429s) and every update.
    metrics = Metrics()
    contact = TelegramContact()
    calls = request or HTTPXRequest(connection_pool_size=256)  # PTB's default sizes
    polls = request or HTTPXRequest(connection_pool_size=1)
    # The bot is built here rather than by the builder: an UpdateReader, so an
    # update PTB cannot read costs that update alone (operations/telegram_link.py).
    bot = UpdateReader(
        metrics,
        token=settings.token or "0:offline",
        base_url=f"{settings.api_url}/bot",
        base_file_url=f"{settings.api_url}/file/bot",
        defaults=TELEGRAM_HTML,
        request=ObservedRequest(calls, contact, metrics),
        get_updates_request=ObservedRequest(polls, contact, metrics),
        # Replies retry after a 429; the alert sender's requests don't (its pacer waits).
        rate_limiter=RateLimiter() if rate_limit else None,
    )
    builder = ApplicationBuilder().bot(bot).concurrent_updates(MeasuredUpdates(metrics))
    # The outbox sender and the daily alert job: started once storage is open.
    alerts = AlertService(settings, alert_options)
    # Viasna's list fetched every BOT_SYNC_EVERY hours, when BOT_SYNC_URL is set.
    fetcher = ListFetcher(settings, alerts, fetch_options)

    async def post_init(application: Application) -> None:
        db = await connect(settings.db_path)
        on_write_failure(db, metrics.db_write_failures.inc)
        try:
            messages = Messages()
            today = clock() if clock else None
            added = await seed_if_empty(db, today)
            if added:
                log.info("filled an empty database with %d bundled cases", added)
            places = await case_store.load_places(db)
            catalogue = Catalogue(await case_store.load_cases(db), places)
            app_services = Services(settings, db, messages, catalogue, load_stats(), clock)
            app_services.letters = load_letter_guide(today)
            app_services.case_version = await case_store.case_version(db)
        except BaseException:
            # Not installed yet, so post_shutdown cannot close it; an open
            # connection's thread would keep the process from exiting.
            await db.close()
            raise
        app_services.quick_reads = QuickReads(settings.db_path)
        install(application, app_services)
        await register_menu(application, messages, settings.language)
        await admin_access.start(application)
        await alerts.start(application, app_services)
        fetcher.start(application.job_queue)

    async def post_stop(application: Application) -> None:
        # While the bot can still talk to Telegram: in-flight alerts finish.
        await alerts.stop()

    async def post_shutdown(application: Application) -> None:
        await alerts.stop()  # no-op after post_stop; covers a shutdown without a stop
        app_services = application.bot_data.get("services")
        if app_services is not None:
            await app_services.db.close()
            if app_services.quick_reads is not None:
                app_services.quick_reads.close()

    application = (
        builder.post_init(post_init).post_stop(post_stop).post_shutdown(post_shutdown).build()
    )
    application.bot_data[METRICS_KEY] = metrics
    application.bot_data[CONTACT_KEY] = contact
    install_alerts(application, alerts)
    install_fetcher(application, fetcher)
    handlers.register(application)
    return application


def console_application(settings: Settings, request: BaseRequest) -> Application:
    """The bot as the console runs it: on its fake Bot API, with nothing to rate-limit."""
    return build_application(settings, request=request, rate_limit=False)


def command_run(settings: Settings) -> int:
    return asyncio.run(run_bot(build_application(settings), settings))


async def command_import(settings: Settings, path: Path) -> int:
    db = await connect(settings.db_path)
    try:
        try:
            today = datetime.now(settings.timezone).date()
            known = await case_store.place_keys(db)
            caseload = read_caseload(
                path, today=today, max_bytes=settings.max_file_bytes, known_places=known
            )
        except CaseFormatError as error:
            print(f"import failed, nothing written: {error}", file=sys.stderr)
            return 1
        except OSError as error:
            print(f"import failed, nothing written: {path}: {error.strerror}", file=sys.stderr)
            return 1
        # As an editor's upload is applied: subscribers hear about the changes, and
        # the alerts and the audit entries (actor "cli") commit with the import.
        plan = Plan(
            "case.import", caseload.cases, details={"file": path.name}, places=caseload.places
        )
        report, _ = await apply_plan(
            db, plan, CLI_ACTOR, today=today, stale_days=settings.stale_days
        )
    finally:
        await db.close()
    places = len(report.places_added) + len(report.places_changed)
    print(
        f"imported {path}: {len(report.added)} added, {len(report.changed)} changed, "
        f"{len(report.unchanged)} unchanged; {places} places added or changed"
    )
    return 0


async def command_export(settings: Settings, fmt: str, target: Path | None) -> int:
    if target is None:
        return await export_to(settings, fmt, sys.stdout)
    # Written beside the target and renamed into place: an export that fails
    # (no such folder, no permission, a full disk) leaves the target as it was,
    # and nothing else, the database included, is touched before it can write.
    if target.is_dir():
        print(f"export failed, nothing written: {target} is a folder", file=sys.stderr)
        return 2
    try:
        handle, partial = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
    except OSError as error:
        print(f"export failed, nothing written: {target}: {disk_problem(error)}", file=sys.stderr)
        return 2
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            await export_to(settings, fmt, stream)
        os.chmod(partial, 0o644)
        os.replace(partial, target)
    except OSError as error:
        print(f"export failed, nothing written: {target}: {disk_problem(error)}", file=sys.stderr)
        return 2
    finally:
        Path(partial).unlink(missing_ok=True)
    return 0


async def export_to(settings: Settings, fmt: str, stream) -> int:
    db = await connect(settings.db_path)
    try:
        await seed_if_empty(db)
        every_case = await case_store.load_cases(db)
        places = await case_store.load_places(db)
    finally:
        await db.close()
    every_case.sort(key=lambda case: case.slug)
    places.sort(key=lambda place: place.key)
    write_cases(every_case, fmt, stream, places)
    return 0


async def command_releases(settings: Settings, arguments: argparse.Namespace) -> int:
    """Apply a list of released people (one name a line); print a line per line and a summary."""

    def fail(message: str) -> int:
        print(f"releases failed, nothing changed: {message}", file=sys.stderr)
        return 1

    today = datetime.now(settings.timezone).date()
    try:
        request = check_request(arguments.date, arguments.status, arguments.source, today)
    except EditProblem as problem:
        return fail(RELEASE_PROBLEMS[problem.key].format(**{"today": today, **problem.values}))
    try:
        # Capped, as every file the bot takes.
        text = read_capped(arguments.file, settings.max_file_bytes).decode("utf-8-sig")
    except FileRefused as refused:
        return fail(f"{arguments.file}: {refused}")
    except OSError as error:
        return fail(f"{arguments.file}: {error.strerror}")
    except UnicodeDecodeError:
        return fail(f"{arguments.file}: not UTF-8 text")
    names = names_in(text)
    if not names:
        return fail(f"{arguments.file}: no names in it (one name a line)")
    if len(names) > MAX_LINES:
        return fail(f"{arguments.file}: {len(names)} names; at most {MAX_LINES} in one list")
    db = await connect(settings.db_path)
    try:
        await seed_if_empty(db)
        applied, catalogue = await apply_list(
            db,
            names,
            request,
            today=today,
            stale_days=settings.stale_days,
            messages=Messages(),
            dry_run=arguments.dry_run,
        )
    except StaleCases:
        return fail("a listed case changed while the list was applied; run it again")
    finally:
        await db.close()
    for line in applied.lines:
        print(describe(line, catalogue, applied.refused))
    print(summary(applied, arguments.dry_run))
    return 0


# What a bad --date, --status or --source means, for a person reading a terminal.
RELEASE_PROBLEMS = {
    "bad_date": "--date {given!r} is not a date (YYYY-MM-DD)",
    "future_date": "--date {given} is in the future (today is {today})",
    "bad_status": "--status {given!r}: use released or in_exile",
    "bad_url": "--source {given!r} is not an http(s) link",
}


async def command_sync(settings: Settings, arguments: argparse.Namespace) -> int:
    db = await connect(settings.db_path)
    try:
        await seed_if_empty(db)  # the bundled cases are linked to the list like any others
        return await sync_command(db, settings, arguments)
    finally:
        await db.close()


async def command_publish(settings: Settings, arguments: argparse.Namespace) -> int:
    db = await connect(settings.db_path)
    try:
        await seed_if_empty(db)  # the defenders a statement names must exist to be linked
        return await publish_command(
            db,
            settings,
            arguments.file,
            title=arguments.title,
            on_date=arguments.date,
            source_url=arguments.source,
            again=arguments.again,
            language=arguments.language,
        )
    finally:
        await db.close()


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bot.py", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="run the bot against Telegram (needs BOT_TOKEN)")
    commands.add_parser("console", help="talk to the bot in this terminal, offline")
    importing = commands.add_parser("import", help="merge cases from a YAML, JSON or CSV file")
    importing.add_argument("file", type=Path)
    exporting = commands.add_parser("export", help="write every case to a file or stdout")
    exporting.add_argument("--format", choices=("yaml", "json", "csv"), default="yaml")
    exporting.add_argument("file", type=Path, nargs="?")
    publishing = commands.add_parser("publish", help="publish a statement to its subscribers")
    publishing.add_argument("file", type=Path)
    publishing.add_argument("--title", help="instead of the file's first line")
    publishing.add_argument("--date", help="e.g. 2025-07-14; default: the file's, else today")
    publishing.add_argument("--source", help="a link to the statement's source")
    publishing.add_argument(
        "--again", action="store_true", help="publish even if the same text went out before"
    )
    publishing.add_argument(
        "--language",
        choices=LANGUAGES,
        help="the language it is written in: readers of others see it marked so, and "
        "editors may add it in theirs (default: not known, shown unmarked)",
    )
    backing_up = commands.add_parser("backup", help="copy the database (safe while the bot runs)")
    backing_up.add_argument(
        "file", type=Path, nargs="?", help="default: a dated name in BOT_BACKUP_DIR or here"
    )
    restoring = commands.add_parser("restore", help="replace the database by a backup")
    restoring.add_argument("file", type=Path)
    releasing = commands.add_parser(
        "releases", help="apply a list of people released on one day (one name a line)"
    )
    releasing.add_argument("file", type=Path)
    releasing.add_argument("--date", required=True, help="the day of the release, YYYY-MM-DD")
    releasing.add_argument("--source", required=True, help="a link to the report of the release")
    releasing.add_argument(
        "--status", choices=sorted(RELEASED_STATUSES), default="released", help="default: released"
    )
    releasing.add_argument(
        "--dry-run", action="store_true", help="show what would change; change nothing"
    )
    syncing = commands.add_parser(
        "sync", help="compare Viasna's list (its CSV exports) with the cases; see README"
    )
    syncing.add_argument("files", type=Path, nargs="+", help="one export per language")
    syncing.add_argument("--as-of", help="the exports' date, YYYY-MM-DD; default: today")
    action = syncing.add_mutually_exclusive_group()
    action.add_argument("--dry-run", action="store_true", help="show the changes; store nothing")
    action.add_argument(
        "--apply", action="store_true", help="apply every change but questions and removals"
    )
    syncing.add_argument(
        "--accept-held",
        action="store_true",
        help="with --apply: apply an export that looks cut short (the operator checked it)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run one command; a problem of configuration or database is one line and exit code 2."""
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    settings = None
    try:
        settings = load_settings(need_token=arguments.command == "run")
        if arguments.command == "console":
            return asyncio.run(run_console(settings, console_application))
        setup_logging(settings)
        if arguments.command == "run":
            return command_run(settings)
        if arguments.command == "import":
            return asyncio.run(command_import(settings, arguments.file))
        if arguments.command == "publish":
            return asyncio.run(command_publish(settings, arguments))
        if arguments.command == "releases":
            return asyncio.run(command_releases(settings, arguments))
        if arguments.command == "sync":
            return asyncio.run(command_sync(settings, arguments))
        if arguments.command == "backup":
            return asyncio.run(command_backup(settings, arguments.file))
        if arguments.command == "restore":
            return asyncio.run(command_restore(settings, arguments.file))
        return asyncio.run(command_export(settings, arguments.format, arguments.file))
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    except DatabaseUnavailable as error:
        print(f"database error: {error}", file=sys.stderr)
        return 2
    except sqlite3.Error as error:
        # A write refused by the disk halfway (full, read-only, failing): rolled
        # back, so nothing was written; the operator gets what to fix, not a traceback.
        if settings is None or not storage_failure(error):
            raise
        problem = problem_with(settings.db_path, error, BUSY_TIMEOUT_SECONDS)
        print(f"database error: {DatabaseUnavailable(settings.db_path, problem)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
