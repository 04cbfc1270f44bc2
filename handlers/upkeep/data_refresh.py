"""Notice case data changed by another process and serve it.

``python bot.py import`` writes to the database while the bot runs; its
alerts reach the sender through the outbox, and this job makes /defender,
/list and the search see the new facts within a few seconds.
"""

from __future__ import annotations

import logging

from telegram.ext import Application, ContextTypes

from handlers.shared.services import services
from storage import cases as case_store

log = logging.getLogger(__name__)

RELOAD_JOB = "reload-changed-cases"
RELOAD_SECONDS = 5


async def reload_if_changed(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Rebuild the catalogue when the database's case version moved."""
    app = services(context)
    version = await case_store.case_version(app.db)
    if version == app.case_version:
        return
    await app.reload_catalogue()
    log.info("case data changed elsewhere: %d cases reloaded", len(app.catalogue))


def handlers() -> list:
    return []


def setup(application: Application) -> None:
    application.job_queue.run_repeating(
        reload_if_changed, interval=RELOAD_SECONDS, first=RELOAD_SECONDS, name=RELOAD_JOB
    )
