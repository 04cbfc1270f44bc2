"""Alert -> deliveries: store an alert once and queue it for every chat that wants it.

Nothing here commits, so the caller decides the transaction: the daily run
uses one per alert, an import puts its alerts in the import's own
transaction. Either way an alert never exists half fanned out.
"""

from __future__ import annotations

import time
from datetime import date

import aiosqlite

from alerts.kinds import kind_of
from storage import alerts as alert_store
from storage import deliveries
from storage.db import transaction


async def queue_alert(
    db: aiosqlite.Connection,
    key: str,
    kind: str,
    on_date: date,
    *,
    slug: str | None = None,
    payload: dict | None = None,
    now: float | None = None,
) -> int:
    """Store the alert and fan it out; return the deliveries queued (0 if the key was taken)."""
    spec = kind_of(kind)
    alert_id = await alert_store.add_alert(
        db, key, kind, on_date, slug=slug, priority=spec.priority, payload=payload
    )
    if alert_id is None:
        return 0
    return await deliveries.fan_out(
        db, alert_id, slug, spec.want_column, spec.priority, time.time() if now is None else now
    )


async def fan_out_leftovers(db: aiosqlite.Connection, now: float | None = None) -> int:
    """Fan out alerts that were stored without deliveries; return the deliveries queued."""
    queued = 0
    for alert in await alert_store.alerts_not_fanned_out(db):
        spec = kind_of(alert.kind)
        if spec.editors:  # queued for the editors when stored; never for subscribers
            continue
        async with transaction(db):
            queued += await deliveries.fan_out(
                db,
                alert.id,
                alert.slug,
                spec.want_column,
                alert.priority,
                time.time() if now is None else now,
            )
    return queued
