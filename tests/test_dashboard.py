"""/admin: the numbers, against a database prepared for them; and who may see it."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime

from storage.backups import record_backup
from tests.test_case_admin_support import (
    EDITOR,
    OWNER,
    STRANGER,
    answer,
    case_bot,
    db_of,
)

DAY = 24 * 3600

# (id, kind, language, active, off_reason, subscribed_all)
CHAT_ROWS = [
    (1, "private", "en", 1, None, 0),
    (2, "private", "en", 1, None, 1),
    (3, "private", "be", 1, None, 0),
    (4, "private", "ru", 0, "blocked", 1),
    (5, "private", "en", 0, "Forbidden: bot was blocked by the user", 0),
    (-10, "group", "ru", 1, None, 0),
    (-11, "group", "en", 0, "removed", 0),
    (-1001, "channel", "be", 1, None, 0),
    (-1002, "channel", "en", 0, "blocked", 0),
]
# (chat, slug): test-person has three followers, one of them switched off.
SUBSCRIPTIONS = [(1, "test-person"), (3, "test-person"), (4, "test-person"), (-10, "other-person")]


async def fill(db, now: float) -> None:
    """Chats, subscriptions, an outbox with recent and old rows, and one daily run."""
    created = datetime.now(UTC).isoformat()
    await db.executemany(
        """INSERT INTO chats (id, kind, language, active, off_reason, subscribed_all, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        [(*row, created) for row in CHAT_ROWS],
    )
    await db.executemany("INSERT INTO subscriptions (chat_id, slug) VALUES (?, ?)", SUBSCRIPTIONS)
    # (state, updated seconds ago, error); pending rows are due far ahead so the
    # running sender leaves them alone.
    outbox = [
        ("pending", 60, None),
        ("pending", 3 * DAY, None),
        ("sent", 3600, None),
        ("sent", 7200, None),
        ("sent", 2 * DAY, None),
        ("failed", 600, "Bad Request: message is too long"),
        ("failed", 3 * DAY, "Bad Request: chat not found"),
        ("dropped", 900, "Forbidden: bot was blocked by the user"),
        ("dropped", 950, "Forbidden: bot was blocked by the user"),
    ]
    for number, (state, age, error) in enumerate(outbox, start=1):
        await db.execute(
            """INSERT INTO alerts (id, key, kind, slug, on_date, created_at)
               VALUES (?, ?, 'case_update', 'test-person', '2026-06-01', ?)""",
            (number, f"test:{number}", created),
        )
        await db.execute(
            """INSERT INTO deliveries (alert_id, chat_id, state, due_at, error, updated_at)
               VALUES (?, 1, ?, ?, ?, ?)""",
            (number, state, now + 100 * DAY, error, now - age),
        )
    await db.execute(
        "INSERT INTO runs (name, last_day, ran_at) VALUES ('daily_alerts', ?, ?)",
        ("2026-06-01", "2026-06-01T07:00:05+00:00"),
    )
    await db.commit()


async def test_dashboard_numbers(settings, api):
    async with case_bot(settings, api, chats=[]) as (app, driver):
        await fill(db_of(app), time.time())
        text = (await driver.send("/admin", user_id=OWNER))[0].plain
    assert text == (
        "At a glance\n\n"
        "Chats: 5 active, 4 switched off\n"
        "• Channels: 1 active, 1 off\n"
        "• Groups: 1 active, 1 off\n"
        "• Private chats: 3 active, 2 off\n"
        "Languages of active chats: be 2 · en 2 · ru 1\n"
        "Switched off because: blocked the bot (2); "
        "Forbidden: bot was blocked by the user (1); removed the bot (1)\n\n"
        "Most followed (active chats)\n"
        "1. Test Person: 2\n"
        "2. Other Person: 1\n"
        "Following every case: 1\n\n"
        "Alerts\n"
        "Waiting to be sent: 2\n"
        "Last 24 hours: 2 sent, 1 failed, 2 dropped\n"
        "Main reasons:\n"
        "• Forbidden: bot was blocked by the user (2)\n"
        "• Bad Request: message is too long (1)\n\n"
        "Daily alerts: last run for 1 June 2026, finished 1 June 2026 at 10:00\n"
        "Backups: no daily backups (BOT_BACKUP_DIR is not set)."
    )


async def test_dashboard_of_an_empty_bot(settings, api):
    async with case_bot(settings, api, chats=[]) as (_app, driver):
        text = (await driver.send("/admin", user_id=OWNER, language_code="ru"))[0].plain
    assert "Чаты: активных 0, отключённых 0" in text
    assert "Пока никто не подписан ни на одно дело." in text
    assert text.endswith(
        "Ежедневные уведомления: ещё не запускались.\n"
        "Резервные копии: ежедневных копий нет (BOT_BACKUP_DIR не задан)."
    )


async def test_a_failed_backup_shows(settings, api, tmp_path):
    """With BOT_BACKUP_DIR set, the last backup's fate is on /admin, in the reader's language."""
    settings = replace(settings, backup_dir=tmp_path / "backups")
    async with case_bot(settings, api, chats=[]) as (app, driver):
        backups_line = (await driver.send("/admin", user_id=OWNER))[0].plain.splitlines()[-1]
        assert backups_line == "Backups: none made yet."
        db = db_of(app)
        await record_backup(db, "2026-11-24T07:00:02+00:00", tmp_path / "a", 4096, None)
        text = (await driver.send("/admin", user_id=OWNER, language_code="pl"))[0].plain
        assert text.endswith("Kopie zapasowe: ostatnią wykonano 24 listopada 2026 o 10:00.")
        await record_backup(
            db, "2026-11-25T07:00:02+00:00", tmp_path / "b", None, "No space left on device"
        )
        text = (await driver.send("/admin", user_id=OWNER, language_code="en"))[0].plain
        assert text.endswith(
            "Backups: ⚠️ the last one failed, 25 November 2026 at 10:00: No space left on device"
        )


async def test_only_editors_see_the_dashboard(settings, api):
    async with case_bot(settings, api, chats=[]) as (_app, driver):
        hint = answer(await driver.send("/nosuchcommand", user_id=STRANGER))
        assert answer(await driver.send("/admin", user_id=STRANGER)) == hint
        await driver.send(f"/admins add {EDITOR}", user_id=OWNER)
        assert (await driver.send("/admin", user_id=EDITOR))[0].plain.startswith("At a glance")
