"""Viasna's list, fetched by the bot itself: BOT_SYNC_URL every BOT_SYNC_EVERY hours.

A job on PTB's JobQueue (only when BOT_SYNC_URL is set) fetches every URL
(``alerts.sync_download``: https only, capped at BOT_MAX_FILE_MB, timed), reads
the exports in a thread, and stores the snapshot and its proposed changes with
``read_sync(..., origin="fetch")``: the changes wait for the editors, never
applied here. A set of files identical to the last snapshot stores nothing.

Anything that is not the export (a login or challenge page, HTML without a
CSV link, an empty file, a 4xx/5xx, a timeout, a file too big, a file that is
not Viasna's export) changes nothing: it is one log line, and one message to
the editors (``sync_fetch_failed``) a day per reason, however often it fails.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from dataclasses import dataclass
from datetime import date

import aiosqlite
from telegram.ext import Application, ContextTypes, JobQueue

from alerts.editors import editor_ids, queue_for_editors
from alerts.service import AlertService
from alerts.sync_apply import Confirming, Read, checksum_of, read_sync
from alerts.sync_download import Download, FetchFailed, FetchOptions, fetch_export
from alerts.sync_notices import Telling
from config import Settings
from storage import sync as sync_store
from storage.db import connect, transaction
from sync.export import Export, read_export
from sync.sniff import ExportError

log = logging.getLogger(__name__)

FETCHER_KEY = "sync_fetch"
SYNC_JOB = "sync-fetch"
ORIGIN = "fetch"
# The first fetch waits this long after start-up: the bot answers first.
FIRST_FETCH_SECONDS = 60


@dataclass(frozen=True)
class Fetched:
    """What one run did: "stored" (``read``), "unchanged", or "failed" (``failure``)."""

    outcome: str
    read: Read | None = None
    failure: FetchFailed | None = None


class ListFetcher:
    def __init__(
        self, settings: Settings, alerts: AlertService, options: FetchOptions | None = None
    ) -> None:
        self.settings = settings
        self.alerts = alerts  # the bot's clock and the outbox to wake
        self.options = options or FetchOptions()

    def start(self, job_queue: JobQueue | None) -> None:
        """Fetch every BOT_SYNC_EVERY hours, the first time a minute after start-up."""
        if not self.settings.sync_urls:
            return
        if job_queue is None:
            log.warning("no job queue (python-telegram-bot[job-queue]): BOT_SYNC_URL not fetched")
            return
        for job in job_queue.get_jobs_by_name(SYNC_JOB):
            job.schedule_removal()
        job_queue.run_repeating(
            self._job,
            interval=self.settings.sync_every_hours * 3600,
            first=FIRST_FETCH_SECONDS,
            name=SYNC_JOB,
            # Late rather than never, once however many runs were missed (a suspended host).
            job_kwargs={"misfire_grace_time": None, "coalesce": True},
        )

    async def _job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Fetch Viasna's list and queue its changes for the editors (the scheduler says when)."""
        await self.run()

    async def run(self) -> Fetched:
        """Fetch, read and store once; tell the editors when the list could not be read."""
        today = self.alerts.now().date()
        try:
            downloads = await self._fetch_all()
        except FetchFailed as failure:
            return await self._failed(failure, today)
        db = await connect(self.settings.db_path)
        try:
            digests = await asyncio.to_thread(_digests, downloads)
            latest = await sync_store.latest(db)
            if latest is not None and latest.checksum == checksum_of(digests):
                log.info("Viasna's list fetched: unchanged since the snapshot of %s", latest.as_of)
                return Fetched("unchanged")
            try:
                exports = await asyncio.to_thread(_read_all, downloads)
                # Rows that say what the cases say confirm those statuses at once.
                confirming = Confirming(today, self.settings.stale_days, self.alerts.texts.messages)
                # Each editor hears once of what waits (alerts.sync_notices).
                telling = Telling(tuple(self.settings.admins), self.settings.language)
                read = await read_sync(
                    db, exports, as_of=today, origin=ORIGIN, confirm=confirming, tell=telling
                )
            except ExportError as error:
                failure = FetchFailed("not_export", downloads[0].url, detail=str(error))
                return await self._failed(failure, today, db)
        finally:
            await db.close()
        self.alerts.wake()
        held = f"; held: {read.held_reason}" if read.held_reason else ""
        log.info(
            "Viasna's list fetched: %d rows in %d files; %d changes for the editors%s",
            read.row_count,
            len(exports),
            read.new_changes,
            held,
        )
        return Fetched("stored", read=read)

    async def _fetch_all(self) -> list[Download]:
        max_bytes = self.settings.max_file_bytes
        downloads = []
        async with self.options.client() as client:
            for url in self.settings.sync_urls:
                try:
                    async with asyncio.timeout(self.options.whole_download):
                        downloads.append(await fetch_export(client, url, max_bytes))
                except TimeoutError:
                    raise FetchFailed("timeout", url) from None
        return downloads

    async def _failed(
        self, failure: FetchFailed, today: date, db: aiosqlite.Connection | None = None
    ) -> Fetched:
        log.warning("Viasna's export could not be read: %s", failure.line())
        own = db is None
        db = db or await connect(self.settings.db_path)
        try:
            async with transaction(db):
                await tell_editors(db, failure, today, self.settings)
        finally:
            if own:
                await db.close()
        self.alerts.wake()
        return Fetched("failed", failure=failure)


async def tell_editors(
    db: aiosqlite.Connection, failure: FetchFailed, today: date, settings: Settings
) -> int:
    """The editors' message that the list could not be read: once a day per reason."""
    reason = failure.reason
    if failure.status is not None:
        reason += f":{failure.status}"
    detail = failure.detail
    if detail and detail.startswith(f"{failure.url}: "):
        detail = detail[len(failure.url) + 2 :]  # the URL is said once, beside it
    payload = {
        "reason": failure.reason,
        "url": failure.url,
        "status": failure.status,
        "title": failure.title,
        "detail": detail,
        "limit_mb": settings.max_file_mb,
        "every_hours": settings.sync_every_hours,
    }
    return await queue_for_editors(
        db,
        f"sync_fetch_failed:{today.isoformat()}:{reason}",
        "sync_fetch_failed",
        today,
        editors=await editor_ids(db, settings.admins),
        language=settings.language,
        payload=payload,
    )


def _digests(downloads: list[Download]) -> list[str]:
    return [hashlib.sha256(download.data).hexdigest() for download in downloads]


def _read_all(downloads: list[Download]) -> list[Export]:
    return [read_export(download.data, download.url) for download in downloads]


def install(application: Application, fetcher: ListFetcher) -> None:
    application.bot_data[FETCHER_KEY] = fetcher


def list_fetcher(application: Application) -> ListFetcher:
    return application.bot_data[FETCHER_KEY]
