"""Subscribing and unsubscribing, by command and by button, in private chats and groups;
/settings. Through the real bot on the fake Bot API; the database is checked directly."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from cases.catalogue import Catalogue
from cases.model import Case, Source
from languages import LANGUAGES, language_name
from storage import cases as case_store

USER = 1001
GROUP = -500
MEMBER, ADMIN = 1002, 1003


async def rows(app, sql: str, *params) -> list[tuple]:
    async with app.bot_data["services"].db.execute(sql, params) as cursor:
        return [tuple(row) for row in await cursor.fetchall()]


async def add_cases(app, *cases: Case) -> None:
    """Store extra cases and rebuild the catalogue, as an import followed by a reload does."""
    services = app.bot_data["services"]
    for case in cases:
        await case_store.save_case(services.db, case)
    services.catalogue = Catalogue(await case_store.load_cases(services.db))


def extra_case(slug: str, name: dict[str, str]) -> Case:
    return Case(
        slug=slug,
        name=name,
        status="sentenced",
        status_as_of=date(2026, 1, 10),
        status_source="src",
        sources=[Source("src", "A source", "https://example.org/source")],
        detained_on=date(2024, 5, 2),
    )


ALEH_LOIKA = extra_case("aleh-loika", {"en": "Aleh Loika", "be": "Алег Лойка", "ru": "Олег Лойко"})


async def subscriptions_of(app, chat_id: int) -> list[str]:
    return [
        slug
        for (slug,) in await rows(
            app, "SELECT slug FROM subscriptions WHERE chat_id = ? ORDER BY slug", chat_id
        )
    ]


# --- /subscribe by name -------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["Rabkova", "Рабкова", "Марфа Рабкова", "marfa rabkova", "Rabkowa", "marfa-rabkova"],
    ids=["latin", "cyrillic", "full-cyrillic", "lowercase", "polish-spelling", "slug"],
)
async def test_subscribe_by_any_spelling(app, driver, query):
    replies = await driver.send(f"/subscribe {query}")
    assert replies[0].plain.startswith("Subscribed to Marfa Rabkova, who is no longer held")
    assert await subscriptions_of(app, USER) == ["marfa-rabkova"]
    # The chat row: an id, a language, a kind; nothing about the person.
    chat = await rows(app, "SELECT id, language, kind, active, subscribed_all FROM chats")
    assert chat == [(USER, "en", "private", 1, 0)]


async def test_subscribing_stores_the_chats_language(app, driver):
    replies = await driver.send("/subscribe Рабкова", language_code="ru")
    assert replies[0].plain.startswith("Подписка включена: Марфа Рабкова.")
    assert await rows(app, "SELECT language FROM chats WHERE id = ?", USER) == [("ru",)]


async def test_subscribing_in_polish(app, driver):
    replies = await driver.send("/subscribe Rabkowa", language_code="pl")
    assert replies[0].plain.startswith("Subskrypcja włączona: Marfa Rabkowa.")
    assert await rows(app, "SELECT language FROM chats WHERE id = ?", USER) == [("pl",)]
    listed = (await driver.send("/subscriptions", language_code="pl"))[0]
    assert listed.plain.startswith("Subskrypcje tego czatu\n• Marfa Rabkowa")
    assert listed.button_texts == ["✕ Marfa Rabkowa"]


async def test_subscribing_twice_says_so(app, driver):
    await driver.send("/subscribe Rabkova")
    replies = await driver.send("/subscribe Рабкова")
    assert replies[0].plain.startswith("This chat already follows Marfa Rabkova.")
    assert await subscriptions_of(app, USER) == ["marfa-rabkova"]


async def test_ambiguous_name_asks_which_person(app, driver):
    await add_cases(app, ALEH_LOIKA)
    replies = await driver.send("/subscribe Loika")
    assert "2 people match “Loika”" in replies[0].plain
    nasta = "Nasta Loika, b. 1989, in exile since 2026"
    assert [text.split(",")[0] for text in sorted(replies[0].button_texts)] == [
        "Aleh Loika",
        "Nasta Loika",
    ]
    assert nasta in replies[0].button_texts
    assert await rows(app, "SELECT * FROM chats") == []  # nothing stored before the choice
    pressed = await driver.press(replies[0], nasta)
    edit = next(reply for reply in pressed if reply.method == "editMessageText")
    assert edit.plain.startswith("Subscribed to Nasta Loika, who is no longer held")
    assert await subscriptions_of(app, USER) == ["nasta-loika"]


async def test_unknown_name_offers_the_nearest(app, driver):
    replies = await driver.send("/subscribe Rabkovska")
    assert replies[0].plain.startswith("Did you mean Marfa Rabkova, b. 1995, in exile since 2026?")
    assert replies[0].button_texts == [
        "Marfa Rabkova, b. 1995, in exile since 2026",
        "🔎 Search Viasna's list",
    ]
    assert await rows(app, "SELECT * FROM chats") == []
    await driver.press(replies[0], "Marfa Rabkova, b. 1995, in exile since 2026")
    assert await subscriptions_of(app, USER) == ["marfa-rabkova"]


@pytest.mark.parametrize("query", ["ab", "x"])
async def test_too_short_gets_a_hint(app, driver, query):
    replies = await driver.send(f"/subscribe {query}")
    assert "too short" in replies[0].plain
    assert await rows(app, "SELECT * FROM chats") == []


async def test_no_name_explains_the_command(app, driver):
    replies = await driver.send("/subscribe")
    assert "/subscribe Bialiatski" in replies[0].plain
    assert "/subscribe all" in replies[0].plain


async def test_hostile_names_show_literally(app, driver):
    await add_cases(app, extra_case("hostile-case", {"en": "<b>Ann</b> & <Co>"}))
    replies = await driver.send("/subscribe hostile-case")
    # The fake API parses HTML strictly: an unescaped name would have been refused.
    assert replies[0].plain.startswith("Subscribed to <b>Ann</b> & <Co>.")


async def test_nothing_about_the_user_or_the_query_is_stored(app, driver):
    await driver.send("/subscribe Rabkovska")
    await driver.send("/subscribe Rabkova")
    dump = repr(
        [
            await rows(app, f"SELECT * FROM {table}")
            for (table,) in await rows(app, "SELECT name FROM sqlite_master WHERE type = 'table'")
            if table != "cases"
        ]
    )
    assert "Alice" not in dump and "Rabkovska" not in dump and "Rabkova" not in dump


# --- /subscribe all and /unsubscribe ------------------------------------------------


@pytest.mark.parametrize(
    ("word", "language"), [("усе", "be"), ("ўсе", "be"), ("все", "ru"), ("wszystkich", "pl")]
)
async def test_everyone_in_every_language(app, driver, word, language):
    await driver.send(f"/subscribe {word}", language_code=language)
    assert await rows(app, "SELECT subscribed_all FROM chats WHERE id = ?", USER) == [(1,)]
    await driver.send(f"/unsubscribe {word.upper()}", language_code=language)
    assert await rows(app, "SELECT subscribed_all FROM chats WHERE id = ?", USER) == [(0,)]


async def test_subscribe_all_and_unsubscribe_all(app, driver):
    replies = await driver.send("/subscribe all")
    assert "everyone the bot follows" in replies[0].plain
    assert await rows(app, "SELECT subscribed_all FROM chats WHERE id = ?", USER) == [(1,)]
    card = (await driver.send("Rabkova"))[0]
    assert "✓ Following everyone" in card.button_texts
    pressed = await driver.press(card, "✓ Following everyone")
    assert pressed[0].method == "answerCallbackQuery" and pressed[0].params["show_alert"]
    await driver.send("/subscribe Loika")
    replies = await driver.send("/unsubscribe all")
    assert replies[0].plain.startswith("Done: no more alerts in this chat.")
    assert await rows(app, "SELECT subscribed_all FROM chats WHERE id = ?", USER) == [(0,)]
    assert await subscriptions_of(app, USER) == []
    replies = await driver.send("/unsubscribe all")
    assert "no subscriptions to remove" in replies[0].plain


async def test_unsubscribe_by_name(app, driver):
    await driver.send("/subscribe Rabkova")
    await driver.send("/subscribe Stefanovic")
    replies = await driver.send("/unsubscribe Рабкова")
    assert replies[0].plain.startswith("Unsubscribed from Marfa Rabkova.")
    assert await subscriptions_of(app, USER) == ["valiantsin-stefanovic"]
    replies = await driver.send("/unsubscribe Rabkova")
    assert replies[0].plain.startswith("This chat was not subscribed to Marfa Rabkova.")


async def test_unsubscribe_from_an_ambiguous_name_picks_the_one_followed(app, driver):
    await add_cases(app, ALEH_LOIKA)
    await driver.send("/subscribe Nasta Loika")
    replies = await driver.send("/unsubscribe Loika")
    assert replies[0].plain.startswith("Unsubscribed from Nasta Loika.")
    assert await subscriptions_of(app, USER) == []


async def test_unsubscribing_one_while_following_everyone_explains(app, driver):
    await driver.send("/subscribe all")
    await driver.send("/subscribe Rabkova")
    replies = await driver.send("/unsubscribe Rabkova")
    assert "It still follows everyone" in replies[0].plain


# --- the button on every card -------------------------------------------------------


async def test_card_button_toggles_and_shows_the_state(app, driver):
    card = (await driver.send("/defender Rabkova"))[0]
    assert card.button_texts == ["🔔 Subscribe", "🗓 Timeline", "📚 Sources", "All defenders"]
    pressed = await driver.press(card, "🔔 Subscribe")
    assert [reply.method for reply in pressed] == ["answerCallbackQuery", "editMessageReplyMarkup"]
    # She is free: the answer is a popup saying what a subscription still brings.
    assert pressed[0].text == (
        "Subscribed: Marfa Rabkova. No longer held, so only news of the case and statements "
        "will come: no anniversary or birthday alerts."
    )
    assert pressed[0].params["show_alert"] is True
    assert pressed[1].button_texts == [
        "🔕 Unsubscribe",
        "🗓 Timeline",
        "📚 Sources",
        "All defenders",
    ]
    assert await subscriptions_of(app, USER) == ["marfa-rabkova"]
    # A card opened later shows the new state too.
    assert (await driver.send("Rabkova"))[0].button_texts[0] == "🔕 Unsubscribe"
    pressed = await driver.press(card, "🔕 Unsubscribe")
    assert pressed[0].text == "Unsubscribed: Marfa Rabkova"
    assert pressed[1].button_texts[0] == "🔔 Subscribe"
    assert await subscriptions_of(app, USER) == []


async def test_subscribing_to_someone_held_is_a_short_toast(app, driver):
    await add_cases(app, ALEH_LOIKA)
    card = (await driver.send("/defender aleh-loika"))[0]
    pressed = await driver.press(card, "🔔 Subscribe")
    assert pressed[0].text == "Subscribed: Aleh Loika"
    assert not pressed[0].params.get("show_alert")


async def test_a_second_press_on_a_stale_card_is_harmless(app, api, driver):
    card = (await driver.send("/defender Rabkova"))[0]
    for query_id in ("stale-1", "stale-2"):
        # Both presses carry the card as it was sent, as two quick taps do.
        api.register_callback_query(query_id, USER)
        query = {
            "id": query_id,
            "from": {"id": USER, "is_bot": False, "first_name": "Alice"},
            "message": card.message,
            "chat_instance": "ci",
            "data": "sb:c+::marfa-rabkova",
        }
        await driver.feed({"callback_query": query})
    assert api.message(USER, card.message_id)["reply_markup"]["inline_keyboard"][0][0]["text"] == (
        "🔕 Unsubscribe"
    )
    assert await subscriptions_of(app, USER) == ["marfa-rabkova"]


async def test_card_button_follows_commands(app, driver):
    await driver.send("/subscribe Rabkova")
    card = (await driver.send("Rabkova"))[0]
    assert card.button_texts[0] == "🔕 Unsubscribe"


async def test_card_button_speaks_the_chats_language(app, driver):
    card = (await driver.send("Рабкова", language_code="be"))[0]
    assert card.button_texts[0] == "🔔 Падпісацца"


# --- /subscriptions -----------------------------------------------------------------


async def test_subscriptions_list_removes_in_place(app, driver):
    empty = await driver.send("/subscriptions")
    assert "Nobody yet." in empty[0].plain and empty[0].reply_markup is None
    await driver.send("/subscribe Rabkova")
    await driver.send("/subscribe Стефановіч")
    listing = (await driver.send("/subscriptions"))[0]
    assert "• Marfa Rabkova\n• Valiantsin Stefanovic" in listing.plain
    assert listing.button_texts == ["✕ Marfa Rabkova", "✕ Valiantsin Stefanovic"]
    pressed = await driver.press(listing, "✕ Marfa Rabkova")
    edit = next(reply for reply in pressed if reply.method == "editMessageText")
    assert edit.message_id == listing.message_id
    assert "Marfa Rabkova" not in edit.plain and "Valiantsin Stefanovic" in edit.plain
    assert edit.button_texts == ["✕ Valiantsin Stefanovic"]
    assert await subscriptions_of(app, USER) == ["valiantsin-stefanovic"]


async def test_namesakes_in_the_list_read_apart(app, driver):
    # Two men of the same name, followed by the same chat: the list and its
    # buttons tell them apart; a name nobody shares stays as it is.
    elder = replace(ALEH_LOIKA, birth_date=date(1961, 2, 3))
    younger = replace(ALEH_LOIKA, slug="aleh-loika-2", birth_date=date(1990, 7, 8))
    await add_cases(app, elder, younger)
    for slug in ("aleh-loika", "aleh-loika-2", "marfa-rabkova"):
        await driver.send(f"/subscribe {slug}")
    listing = (await driver.send("/subscriptions"))[0]
    assert listing.button_texts == [
        "✕ Aleh Loika, b. 1961, held since 2024",
        "✕ Aleh Loika, b. 1990, held since 2024",
        "✕ Marfa Rabkova",
    ]
    await driver.press(listing, "✕ Aleh Loika, b. 1990, held since 2024")
    assert await subscriptions_of(app, USER) == ["aleh-loika", "marfa-rabkova"]


async def test_subscriptions_list_can_stop_following_everyone(app, driver):
    await driver.send("/subscribe all")
    listing = (await driver.send("/subscriptions"))[0]
    assert "Everyone the bot follows" in listing.plain
    await driver.press(listing, "✕ Stop following everyone")
    assert await rows(app, "SELECT subscribed_all FROM chats WHERE id = ?", USER) == [(0,)]


# --- groups: admins change, everyone reads ----------------------------------------


@pytest.fixture
def group(api):
    api.add_chat(GROUP, "group", title="Friends of <Viasna>")
    api.set_member(GROUP, MEMBER, "member")
    api.set_member(GROUP, ADMIN, "administrator")
    return GROUP


async def test_group_member_cannot_subscribe_the_group(app, driver, group):
    replies = await driver.send(
        "/subscribe Rabkova", chat_id=group, chat_type="group", user_id=MEMBER
    )
    assert replies[0].plain.startswith("Only this group's admins can change")
    assert await rows(app, "SELECT * FROM chats") == []


@pytest.mark.parametrize("status", ["administrator", "creator"])
async def test_group_admin_subscribes_the_group(app, api, driver, group, status):
    api.set_member(group, ADMIN, status)
    replies = await driver.send(
        "/subscribe Rabkova", chat_id=group, chat_type="group", user_id=ADMIN
    )
    assert replies[0].plain.startswith("Subscribed to Marfa Rabkova, who is no longer held")
    assert await rows(app, "SELECT id, kind FROM chats") == [(group, "group")]
    assert await subscriptions_of(app, group) == ["marfa-rabkova"]


async def test_anyone_reads_cards_in_a_group_but_only_admins_press(app, driver, group):
    send = {"chat_id": group, "chat_type": "group"}
    card = (await driver.send("/defender Rabkova", user_id=MEMBER, **send))[0]
    assert card.plain.startswith("Marfa Rabkova")
    refused = await driver.press(card, "🔔 Subscribe", user_id=MEMBER)
    assert refused[0].method == "answerCallbackQuery"
    assert refused[0].text == "Only this group's admins can change that."
    assert await subscriptions_of(app, group) == []
    pressed = await driver.press(card, "🔔 Subscribe", user_id=ADMIN)
    assert pressed[1].button_texts[0] == "🔕 Unsubscribe"
    assert await subscriptions_of(app, group) == ["marfa-rabkova"]


async def test_group_member_may_look_at_the_list_but_not_remove(app, driver, group):
    send = {"chat_id": group, "chat_type": "group"}
    await driver.send("/subscribe Rabkova", user_id=ADMIN, **send)
    listing = (await driver.send("/subscriptions", user_id=MEMBER, **send))[0]
    assert "• Marfa Rabkova" in listing.plain
    await driver.press(listing, "✕ Marfa Rabkova", user_id=MEMBER)
    assert await subscriptions_of(app, group) == ["marfa-rabkova"]


async def test_user_who_left_the_group_is_not_an_admin(app, api, driver, group):
    api.set_member(group, ADMIN, "left")
    replies = await driver.send("/unsubscribe all", chat_id=group, chat_type="group", user_id=ADMIN)
    assert replies[0].plain.startswith("Only this group's admins")


# --- /settings ----------------------------------------------------------------------


async def test_settings_start_all_on(app, driver):
    replies = await driver.send("/settings")
    assert replies[0].plain.startswith("Settings of this chat\nLanguage: English")
    assert replies[0].button_texts == [
        "• English",
        *(language_name(code) for code in LANGUAGES[1:]),
        "🔔 Anniversaries: on",
        "🔔 Birthdays: on",
        "🔔 Case updates: on",
        "🔔 Statements: on",
        "• Automatic",
        "Daily digest",
        "One by one",
    ]
    assert await rows(app, "SELECT * FROM chats") == []  # looking stores nothing


async def test_settings_toggles_persist_and_edit_in_place(app, driver):
    shown = (await driver.send("/settings"))[0]
    pressed = await driver.press(shown, "🔔 Birthdays: on")
    edit = next(reply for reply in pressed if reply.method == "editMessageText")
    assert edit.message_id == shown.message_id
    assert "🔕 Birthdays: off" in edit.button_texts
    await driver.press(shown, "🔔 Statements: on")
    wanted = await rows(
        app,
        "SELECT want_anniversaries, want_birthdays, want_updates, want_statements FROM chats",
    )
    assert wanted == [(1, 0, 1, 0)]
    again = (await driver.send("/settings"))[0]
    assert "🔕 Birthdays (a reminder to send a card, with the address): off" in again.plain
    await driver.press(again, "🔕 Birthdays: off")
    assert await rows(app, "SELECT want_birthdays FROM chats") == [(1,)]


async def test_settings_language_switches_the_chat(app, driver):
    shown = (await driver.send("/settings"))[0]
    pressed = await driver.press(shown, "Русский")
    edit = next(reply for reply in pressed if reply.method == "editMessageText")
    assert edit.plain.startswith("Настройки этого чата\nЯзык: Русский")
    assert await rows(app, "SELECT language FROM chats") == [("ru",)]
    replies = await driver.send("/subscribe Rabkova")
    assert replies[0].plain.startswith("Подписка включена")


async def test_group_member_cannot_change_settings(app, driver, group):
    shown = (await driver.send("/settings", chat_id=group, chat_type="group", user_id=MEMBER))[0]
    refused = await driver.press(shown, "🔔 Birthdays: on", user_id=MEMBER)
    assert refused[0].params["show_alert"] and len(refused) == 1
    assert await rows(app, "SELECT * FROM chats") == []
    await driver.press(shown, "🔔 Birthdays: on", user_id=ADMIN)
    assert await rows(app, "SELECT id, want_birthdays FROM chats") == [(group, 0)]
