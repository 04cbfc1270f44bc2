"""When the daily run's alerts may go: at the alert time, and each digest at its chat's hour.

The day's calendar becomes alerts once (``alerts.daily``): at BOT_ALERT_TIME,
or earlier when a chat that gets the daily digest chose an earlier hour, so
that its digest is ready then (``run_time``). Whatever the run queues is due
(``deliveries.due_at``, which the sender respects) at the alert time, and each
digest at its chat's hour; a moment already past is due at once, so a day run
late (a catch-up) goes out as soon as it is run. Pure: the clocks are the
caller's. Hours are wall-clock hours in BOT_TIMEZONE, across DST changes too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

# The hours /settings offers for the daily digest (BOT_TIMEZONE), besides BOT_ALERT_TIME.
DIGEST_HOURS = (7, 8, 9, 10, 12, 15, 18, 21)


def run_time(alert_time: time, earliest_hour: int | None) -> time:
    """When the day must be run: the alert time, or the earliest digest hour a chat chose."""
    if earliest_hour is None:
        return alert_time
    return min(alert_time, time(earliest_hour))


def offered_hours(alert_time: time) -> tuple[int, ...]:
    """The hours /settings offers: ``DIGEST_HOURS`` and the alert time's own hour."""
    return tuple(sorted({*DIGEST_HOURS, alert_time.hour}))


@dataclass(frozen=True)
class SendTimes:
    """When what the run of one day queues is due, in the outbox's Unix seconds."""

    default: float  # single alerts, card reminders, digests of chats that chose no hour
    hours: tuple[float, ...]  # a digest's due time by its chat's hour, 0 to 23


def due(day: date, at: time, local_now: datetime, wall_now: float) -> float:
    """The outbox's time of ``at`` on ``day`` (``local_now``'s zone), or now once past.

    ``local_now`` and ``wall_now`` are the same moment on two clocks (tests
    set each): the wait is measured on one and added on the other.
    """
    moment = datetime.combine(day, at, tzinfo=local_now.tzinfo)
    return wall_now + max(0.0, moment.timestamp() - local_now.timestamp())


def send_times(day: date, local_now: datetime, wall_now: float, alert_time: time) -> SendTimes:
    """When the alerts of ``day``, run at ``local_now``, are due."""
    return SendTimes(
        due(day, alert_time, local_now, wall_now),
        tuple(due(day, time(hour), local_now, wall_now) for hour in range(24)),
    )
