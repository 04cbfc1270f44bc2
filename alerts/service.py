"""Alerts inside a running bot: the sender task, the daily job and the start-up catch-up.

One AlertService per Application (kept in ``bot_data["alerts"]``), started in
post_init and stopped in post_stop/post_shutdown, so bot.py only wires it.
The outbox has its own database connection: handlers run their own
transactions on theirs, and a statement of the sender must never land
inside one of those (a rollback there would forget a message already sent).
"""

from __future__ import annotations

import logging
import time as time_module
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, time
from typing import Protocol

from telegram.ext import Application, ContextTypes

from alerts import daily
from alerts.asks import Editors
from alerts.digest import compose_digest
from alerts.editors import editor_ids
from alerts.fanout import fan_out_leftovers
from alerts.send_times import due, offered_hours
from alerts.sender import Sender, SenderOptions
from alerts.texts import Composed, Reader, compose_alert
from cases.catalogue import Catalogue
from cases.letters import LetterGuide
from config import Settings
from messages.render import Messages
from metrics import metrics_of
from storage import cases as case_store
from storage import digests as digest_store
from storage.db import connect
from storage.deliveries import Delivery

log = logging.getLogger(__name__)

ALERTS_KEY = "alerts"
DAILY_JOB = "daily-alerts"
# At each digest hour /settings offers before the alert time: the day is run then if a
# chat that gets digests chose that hour (or an earlier one).
DIGEST_HOUR_JOB = "daily-alerts-early"


@dataclass(frozen=True)
class AlertOptions:
    sender: SenderOptions = field(default_factory=SenderOptions)
    # Local time in the bot's time zone; tests pin it to check the catch-up.
    now: Callable[[], datetime] | None = None
    # Unix seconds for the outbox (due times, give-up deadlines); tests step it.
    wall_clock: Callable[[], float] = time_module.time


class TextSource(Protocol):
    """What alerts are written from: the templates, the cases served now, the letter guide.

    The handler layer's Services is one; its catalogue is replaced after every
    import, so the sender reads it at each send rather than keeping a copy.
    """

    messages: Messages
    catalogue: Catalogue
    letters: LetterGuide


class AlertService:
    def __init__(self, settings: Settings, options: AlertOptions | None = None) -> None:
        self.settings = settings
        self.options = options or AlertOptions()
        self.texts: TextSource | None = None
        self.sender: Sender | None = None
        self.recovered = 0  # rows found 'sending' at start-up: the most that may double

    def now(self) -> datetime:
        if self.options.now is not None:
            return self.options.now()
        return datetime.now(self.settings.timezone)

    async def start(self, application: Application, texts: TextSource) -> None:
        """Recover the outbox, catch up on today's run, then start sending and scheduling."""
        self.texts = texts
        db = await connect(self.settings.db_path)
        options = replace(self.options.sender, give_up_after=self.settings.give_up_hours * 3600)
        self.sender = Sender(
            application.bot,
            db,
            self.settings.broadcast_rate,
            self._compose,
            options,
            wall_clock=self.options.wall_clock,
            metrics=metrics_of(application),
        )
        # Before anything can send: rows left 'sending' go back in the queue.
        self.recovered = await self.sender.recover()
        await fan_out_leftovers(db)
        await self.catch_up()
        self.sender.start()
        self._schedule(application)

    def _schedule(self, application: Application) -> None:
        job_queue = application.job_queue
        if job_queue is None:
            log.warning("no job queue (python-telegram-bot[job-queue]): no daily alerts")
            return
        for name in (DAILY_JOB, DIGEST_HOUR_JOB):
            for job in job_queue.get_jobs_by_name(name):
                job.schedule_removal()
        # APScheduler drops a run more than a second late by default (a busy loop, a
        # suspended host); the run is idempotent, so run late rather than never.
        late_is_fine = {"misfire_grace_time": None, "coalesce": True}
        zone, alert_time = self.settings.timezone, self.settings.alert_time
        job_queue.run_daily(
            self._daily_job,
            time=alert_time.replace(tzinfo=zone),
            name=DAILY_JOB,
            job_kwargs=late_is_fine,
        )
        for hour in offered_hours(alert_time):
            if time(hour) < alert_time:
                job_queue.run_daily(
                    self._digest_hour_job,
                    time=time(hour, tzinfo=zone),
                    name=DIGEST_HOUR_JOB,
                    data=hour,
                    job_kwargs=late_is_fine,
                )

    async def catch_up(self) -> daily.RunReport:
        """Run every day owed: days missed (the bot was down at the alert time), then
        today once the alert time (or an earlier hour a digest chat chose) has passed."""
        return await self._run(None)

    async def _daily_job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Turn today's calendar into alerts (the scheduler says it is the alert time)."""
        await self._run(self.settings.alert_time)

    async def _digest_hour_job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Run today now if a digest chat chose this hour (the scheduler says it is)."""
        await self._run(time(context.job.data))

    async def _run(self, scheduled: time | None) -> daily.RunReport:
        """Run what is owed now; ``scheduled``: the job's time, which has come whatever
        the clock says (a job may fire a moment early)."""
        now = self.now()
        if scheduled is not None:
            now = max(now, datetime.combine(now.date(), scheduled, tzinfo=now.tzinfo))
        # A connection of its own: fanning out holds a write transaction that
        # the sender's single statements must not be mixed into.
        settings = self.settings
        db = await connect(settings.db_path)
        try:
            report = await daily.run_owed(
                db,
                now,
                settings.alert_time,
                settings.catch_up_days,
                await self.policy(db),
                self.audience(),
                wall_now=self.options.wall_clock(),
            )
        finally:
            await db.close()
        for day, queued in report.queued.items():
            if day < report.today:
                late = (report.today - day).days
                log.info(
                    "daily alerts for %s, %d days late: %d deliveries queued", day, late, queued
                )
            else:
                log.info("daily alerts for %s: %d deliveries queued", day, queued)
        # Whatever the run queued, the editors' reports of its trouble included.
        self.wake()
        return report

    async def policy(self, db) -> daily.StatusPolicy:
        """Stale statuses hold alerts back; the owners and today's editors are asked."""
        settings = self.settings
        editors = Editors(tuple(await editor_ids(db, settings.admins)), settings.language)
        return daily.StatusPolicy(settings.stale_days, editors, settings.review_day)

    def audience(self) -> daily.Audience:
        """Digests for chats that follow many; card reminders ahead of birthdays."""
        return daily.Audience(self.settings.digest_over, self.settings.card_lead_days)

    async def digest_hour_chosen(self, db, chat_id: int, hour: int | None) -> int:
        """A chat chose another hour for its digest: today's, if still waiting, moves to it
        (or goes now, if that hour has passed). Returns how many deliveries moved."""
        now = self.now()
        at = self.settings.alert_time if hour is None else time(hour)
        due_at = due(now.date(), at, now, self.options.wall_clock())
        moved = await digest_store.move_pending_digests(db, chat_id, now.date(), due_at)
        if moved:
            self.wake()
        return moved

    def wake(self) -> None:
        if self.sender is not None:
            self.sender.wake()

    def sender_alive(self) -> bool:
        """The sender's loop is running (it ends only when stopped, or by a bug)."""
        task = self.sender.loop_task if self.sender is not None else None
        return task is not None and not task.done()

    async def _case(self, slug: str):
        case = self.texts.catalogue.get(slug)
        if case is None:  # imported by another process since start-up
            case = await case_store.get_case(self.sender.db, slug)
        return case

    def telegram_down_since(self) -> float | None:
        """When deliveries began failing for an outage of Telegram or the network (Unix
        seconds), or None while Telegram answers: for whoever reports the bot's health."""
        return self.sender.outage.down_since if self.sender is not None else None

    def telegram_down_for(self) -> float | None:
        """Seconds since deliveries began failing for an outage, on the sender's clock."""
        since = self.telegram_down_since()
        return None if since is None else max(0.0, self.sender.wall_clock() - since)

    async def _compose(self, delivery: Delivery) -> Composed:
        texts = self.texts
        today = self.now().date()
        reader = Reader(self.sender.bot.username, self.settings.stale_days)
        if delivery.kind == "digest":
            return await compose_digest(
                texts.messages, self.sender.db, delivery, self._case, today, reader, texts.letters
            )
        case = await self._case(delivery.slug) if delivery.slug is not None else None
        # The people a statement names, whose cards its buttons open.
        named = [texts.catalogue.get(slug) for slug in delivery.payload.get("defenders", [])]
        return compose_alert(
            texts.messages,
            delivery,
            case,
            today,
            texts.letters,
            reader,
            [case for case in named if case is not None],
        )

    async def stop(self) -> None:
        """Let in-flight sends finish and close the outbox connection; safe to call twice."""
        sender, self.sender = self.sender, None
        if sender is not None:
            await sender.stop()
            await sender.db.close()


def install(application: Application, service: AlertService) -> None:
    application.bot_data[ALERTS_KEY] = service


def alert_service(application: Application) -> AlertService:
    return application.bot_data[ALERTS_KEY]
