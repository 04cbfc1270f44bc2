"""/forget: after a confirmation, no row in any table mentions the chat."""

from __future__ import annotations

from datetime import date

from storage import alerts

# Distinctive ids, so "no row mentions it" can be searched for as text too.
USER = 7770001234
GROUP = -7770005678
MEMBER, ADMIN = 7770000001, 7770000002
CHANNEL = -1007770009999


async def rows(app, sql: str, *params) -> list[tuple]:
    async with app.bot_data["services"].db.execute(sql, params) as cursor:
        return [tuple(row) for row in await cursor.fetchall()]


async def mentions(app, chat_id: int) -> dict[str, int]:
    """Rows that hold ``chat_id`` in any column of any table, as a number or inside text."""
    found = {}
    for (table,) in await rows(app, "SELECT name FROM sqlite_master WHERE type = 'table'"):
        columns = [column[1] for column in await rows(app, f"PRAGMA table_info({table})")]
        condition = " OR ".join(
            f"{column} = ? OR CAST({column} AS TEXT) LIKE ?" for column in columns
        )
        params = [value for _ in columns for value in (chat_id, f"%{chat_id}%")]
        (count,) = (await rows(app, f"SELECT count(*) FROM {table} WHERE {condition}", *params))[0]
        if count:
            found[table] = count
    return found


async def queue_alert_for(app, chat_id: int) -> None:
    """A delivery waiting in the outbox, due far in the future so the sender leaves it."""
    db = app.bot_data["services"].db
    alert_id = await alerts.add_alert(db, "test-statement", "statement", date(2026, 11, 25))
    await db.execute(
        "INSERT INTO deliveries (alert_id, chat_id, due_at) VALUES (?, ?, 1e12)",
        (alert_id, chat_id),
    )


def set_up_channel(api) -> None:
    api.add_chat(CHANNEL, "channel", title="Viasna news", username="viasnanews")
    api.set_member(CHANNEL, api.bot_user["id"], "administrator")
    api.set_member(CHANNEL, USER, "creator")


async def test_forget_leaves_nothing_behind(app, api, driver):
    set_up_channel(api)
    as_user = {"user_id": USER}
    await driver.send("/subscribe Rabkova", **as_user)
    await driver.send("/subscribe all", **as_user)
    shown = (await driver.send("/settings", **as_user))[0]
    await driver.press(shown, "Русский")
    await driver.press(shown, "🔔 Дни рождения: включено")
    await driver.send("/channel add @viasnanews", **as_user)
    await driver.send("/channel subscribe @viasnanews Loika", **as_user)
    await queue_alert_for(app, USER)
    assert set(await mentions(app, USER)) == {"chats", "subscriptions", "deliveries"}

    confirm = (await driver.send("/forget", **as_user))[0]
    assert confirm.plain.startswith("Стереть всё, что бот хранит об этом чате?")
    assert "Вы зарегистрировали 1 канал: уведомления для читателей там останутся" in confirm.plain
    assert await mentions(app, USER) != {}  # asking erases nothing
    pressed = await driver.press(confirm, "Стереть всё")
    done = next(reply for reply in pressed if reply.method == "editMessageText")
    # Said in the language the chat had, though that language is erased too.
    assert done.plain.startswith("Готово: бот больше ничего не хранит об этом чате")
    assert "1 канал, зарегистрированный вами, по-прежнему получает уведомления" in done.plain

    assert await mentions(app, USER) == {}
    # The channel keeps its readers' alerts; only the link to the user is gone.
    assert await rows(app, "SELECT id, managed_by, active FROM chats") == [(CHANNEL, None, 1)]
    assert await rows(app, "SELECT chat_id, slug FROM subscriptions") == [(CHANNEL, "nasta-loika")]


async def test_the_chat_starts_afresh_after_forgetting(app, driver):
    await driver.send("/subscribe Rabkova", user_id=USER)
    confirm = (await driver.send("/forget", user_id=USER))[0]
    assert "channel" not in confirm.plain
    await driver.press(confirm, "Erase everything")
    card = (await driver.send("Rabkova", user_id=USER))[0]
    assert card.button_texts[0] == "🔔 Subscribe"  # no stale copy in memory
    assert "Nobody yet." in (await driver.send("/subscriptions", user_id=USER))[0].plain


async def test_cancel_keeps_everything(app, driver):
    await driver.send("/subscribe Rabkova", user_id=USER)
    confirm = (await driver.send("/forget", user_id=USER))[0]
    pressed = await driver.press(confirm, "Cancel")
    assert pressed[-1].plain == "Nothing was erased."
    assert await rows(app, "SELECT chat_id, slug FROM subscriptions") == [(USER, "marfa-rabkova")]


async def test_only_a_groups_admins_may_forget_it(app, api, driver):
    api.add_chat(GROUP, "supergroup", title="Readers")
    api.set_member(GROUP, MEMBER, "member")
    api.set_member(GROUP, ADMIN, "administrator")
    send = {"chat_id": GROUP, "chat_type": "supergroup"}
    await driver.send("/subscribe Rabkova", user_id=ADMIN, **send)
    await queue_alert_for(app, GROUP)
    refused = await driver.send("/forget", user_id=MEMBER, **send)
    assert refused[0].plain.startswith("Only this group's admins")
    confirm = (await driver.send("/forget", user_id=ADMIN, **send))[0]
    pressed = await driver.press(confirm, "Erase everything", user_id=MEMBER)
    assert pressed[0].params["show_alert"] and len(pressed) == 1
    assert await mentions(app, GROUP) != {}
    await driver.press(confirm, "Erase everything", user_id=ADMIN)
    assert await mentions(app, GROUP) == {}
