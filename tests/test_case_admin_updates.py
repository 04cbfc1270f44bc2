"""/update and /setstatus end to end: preview, confirm or cancel, the alert, the audit."""

from __future__ import annotations

import pytest

from alerts.kinds import KINDS
from tests.test_alerts_support import settle, texts
from tests.test_case_admin_support import (
    OTHER,
    OWNER,
    as_dict,
    audit_entries,
    case_bot,
    make_case,
    nothing_queued,
    rows,
    stored_case,
    stored_cases,
    with_buttons,
)

TRANSFER = "/update Test Person | Transferred to penal colony No. 2 https://example.org/news/2"


async def test_update_preview_is_the_alert_and_confirm_sends_it_once(settings, api):
    async with case_bot(settings, api) as (app, driver):
        preview = await driver.send(TRANSFER, user_id=OWNER)
        header, alert = preview
        assert "Test Person (test-person)" in header.plain
        assert "“Transferred to penal colony No. 2”" in header.plain
        # Chat 1 follows the case, chat 2 everything; 3 follows another, 4 switched updates off.
        assert "2 chats will get this alert" in header.plain
        text, cited = alert.plain.split("\nSource: ")
        assert text == (
            "🔔 Test Person: news in the case.\n• 1 June 2026: Transferred to penal colony No. 2"
        )
        # The entry's own source, the editor's link, and its day.
        assert cited.endswith("1 June 2026")
        assert "https://example.org/news/2" in {entity.get("url") for entity in alert.entities}
        assert await nothing_queued(app)

        done = await driver.press(alert, "✅ Confirm")
        assert (
            done[-1].plain == "Saved: Test Person. The card shows it now.\n2 alerts are on the way."
        )
        await settle(app)
        sent = api.messages_to(1)
        assert [record.text for record in sent] == [alert.text]  # byte for byte, once
        # The editor wrote it in English: a Russian reader sees it marked as such.
        [russian] = texts(api, 2)
        assert russian.startswith(
            "🔔 Тест Персона: новости по делу.\n"
            "• 1 июня 2026: Transferred to penal colony No. 2 (на английском)\nИсточник: "
        )
        assert russian.endswith(", 1 июня 2026")
        assert texts(api, 3) == texts(api, 4) == []
        assert await rows(app, "SELECT kind, priority FROM alerts") == [
            ("case_update", KINDS["case_update"].priority)
        ]

        case = await stored_case(app, "test-person")
        assert case["events"] == [
            {
                "on": "2026-06-01",
                "text": {"en": "Transferred to penal colony No. 2"},
                "source": "example-org-2026-06-01",
            }
        ]
        assert case["sources"][-1] == {
            "id": "example-org-2026-06-01",
            # The site, the same in every language: the date is the entry's, shown per reader.
            "title": dict.fromkeys(["en", "be", "pl", "ru"], "example.org"),
            "url": "https://example.org/news/2",
        }
        [card] = await driver.send("/defender test-person")
        *_, timeline = await driver.press(card, "🗓 Timeline")
        assert "1 June 2026: Transferred to penal colony No. 2" in timeline.plain


async def test_update_is_audited_with_the_case_before_and_after(settings, api):
    async with case_bot(settings, api) as (app, driver):
        await driver.press(with_buttons(await driver.send(TRANSFER, user_id=OWNER)), 0)
        [entry] = await audit_entries(app)
        assert (entry.actor_id, entry.action, entry.target) == (OWNER, "case.update", "test-person")
        assert entry.before == as_dict(make_case())
        assert entry.after == await stored_case(app, "test-person")
        assert entry.details == {"alert": "case_update", "deliveries": 2}
        assert {change.field for change in entry.changes} == {"events", "sources"}


async def test_update_in_russian_keeps_the_text_as_russian_and_english(settings, api):
    async with case_bot(settings, api) as (app, driver):
        replies = await driver.send(
            "/update Тест Персона | Переведён в колонию № 2", user_id=OWNER, language_code="ru"
        )
        assert "запись ссылается на редакцию" in replies[0].plain
        await driver.press(with_buttons(replies), 0)
        case = await stored_case(app, "test-person")
        text = "Переведён в колонию № 2"
        assert case["events"][0]["text"] == {"en": text, "ru": text}
        # No link given: the entry cites the editors, with a link to the bot.
        assert case["sources"][-1]["url"] == "https://t.me/casewatch_bot"


async def test_update_without_a_separator_takes_the_leading_name(settings, api):
    async with case_bot(settings, api) as (_app, driver):
        replies = await driver.send(
            "/update Test Person moved to the prison hospital", user_id=OWNER
        )
        assert "Test Person (test-person)" in replies[0].plain
        assert "“moved to the prison hospital”" in replies[0].plain


async def test_cancel_changes_nothing(settings, api):
    async with case_bot(settings, api) as (app, driver):
        before = await stored_cases(app)
        preview = await driver.send(TRANSFER, user_id=OWNER)
        done = await driver.press(with_buttons(preview), "✖️ Cancel")
        assert done[-1].plain == "Cancelled: nothing was changed."
        # The buttons are gone: the preview cannot be confirmed afterwards.
        assert api.message(OWNER, preview[-1].message_id).get("reply_markup") is None
        assert await stored_cases(app) == before
        assert await nothing_queued(app)
        assert await audit_entries(app) == []


async def test_a_change_made_after_the_preview_is_not_overwritten(settings, api):
    async with case_bot(settings, api) as (app, driver):
        first = await driver.send(TRANSFER, user_id=OWNER)
        second = await driver.send(
            "/update Test Person | Visited by a lawyer https://example.org/3", user_id=OWNER
        )
        await driver.press(with_buttons(second), 0)
        done = await driver.press(with_buttons(first), 0)
        assert done[-1].plain.startswith("Not saved: the case changed after this preview")
        events = (await stored_case(app, "test-person"))["events"]
        assert [event["text"]["en"] for event in events] == ["Visited by a lawyer"]


async def test_ambiguous_name_asks_which_case(settings, api):
    async with case_bot(settings, api) as (app, driver):
        choice = await driver.send("/update Person | Moved https://example.org/m", user_id=OWNER)
        assert choice[0].plain.startswith("2 people match “Person”. Which one?")
        assert choice[0].button_texts == [
            "Other Person, b. 1980, held since 2021",
            "Test Person, b. 1980, held since 2021",
        ]
        preview = await driver.press(choice[0], "Test Person, b. 1980, held since 2021")
        assert "Test Person (test-person)" in preview[-2].plain
        await driver.press(with_buttons(preview), 0)
        assert (await stored_case(app, "test-person"))["events"][0]["text"] == {"en": "Moved"}
        assert (await stored_case(app, "other-person")).get("events") is None


async def test_an_editor_tells_namesakes_apart_and_changes_only_the_one_chosen(settings, api):
    elder = make_case("test-person", birth_date="1961-02-03")
    younger = make_case("test-person-2", birth_date="1990-07-08", region="homel")
    async with case_bot(settings, api, cases=[elder, younger], chats=[]) as (app, driver):
        choice = await driver.send(
            "/update Test Person | Moved https://example.org/m", user_id=OWNER
        )
        assert choice[0].plain.startswith("2 people match “Test Person”. Which one?")
        assert choice[0].button_texts == [
            "Test Person, b. 1961, held since 2021",
            "Test Person, b. 1990, Homel region, held since 2021",
        ]
        preview = await driver.press(
            choice[0], "Test Person, b. 1990, Homel region, held since 2021"
        )
        assert "Test Person (test-person-2)" in preview[-2].plain
        await driver.press(with_buttons(preview), 0)
        assert (await stored_case(app, "test-person-2"))["events"][0]["text"] == {"en": "Moved"}
        assert (await stored_case(app, "test-person")).get("events") is None


async def test_unknown_name_offers_the_nearest_cases(settings, api):
    async with case_bot(settings, api) as (_app, driver):
        replies = await driver.send(
            "/setstatus Zzzz Person released 2026-05-30 https://example.org/r", user_id=OWNER
        )
        assert replies[0].plain == "No case is called “Zzzz Person”. Did you mean one of these?"
        preview = await driver.press(replies[0], "Test Person, b. 1980, held since 2021")
        assert "serving a sentence → released" in preview[-2].plain


async def test_release_goes_first_and_sets_the_release_day(settings, api):
    async with case_bot(settings, api) as (app, driver):
        preview = await driver.send(
            "/setstatus test-person вызвалены 30.05.2026 https://www.hrw.org/news/r", user_id=OWNER
        )
        assert "release alert (sent before any other)" in preview[0].plain
        assert "serving a sentence → released, as of 30 May 2026" in preview[0].plain
        await driver.press(with_buttons(preview), 0)
        await settle(app)
        assert await rows(app, "SELECT kind, priority FROM alerts") == [
            ("release", KINDS["release"].priority)
        ]
        assert KINDS["release"].priority == max(kind.priority for kind in KINDS.values())
        assert [record.text for record in api.messages_to(1)] == [preview[-1].text]
        # How long the person was held, and the timeline entry in the reader's language.
        [russian] = texts(api, 2)
        assert "Освобождение: 30 мая 2026; в заключении: 1\xa0851 день.\n" in russian
        assert "• 30 мая 2026: Освобождение из заключения.\n" in russian
        case = await stored_case(app, "test-person")
        assert (case["status"], case["status_as_of"], case["released_on"]) == (
            "released",
            "2026-05-30",
            "2026-05-30",
        )
        assert case["status_source"] == "hrw-org-2026-06-01"
        # The release is on the timeline, in every language.
        assert case["events"] == [
            {
                "on": "2026-05-30",
                "text": {
                    "en": "Released from custody.",
                    "be": "Вызваленне з зняволення.",
                    "pl": "Zwolnienie z więzienia.",
                    "ru": "Освобождение из заключения.",
                },
                "source": "hrw-org-2026-06-01",
            }
        ]
        [entry] = await audit_entries(app)
        assert entry.action == "case.status"
        assert {change.field for change in entry.changes} == {
            "events",
            "released_on",
            "sources",
            "status",
            "status_as_of",
            "status_source",
        }


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/setstatus", "To change a case's status:"),
        ("/setstatus Test Person freedom 2026-05-30 https://e.org/x", "“freedom” is not a status"),
        (
            "/setstatus Test Person transferred 2026-05-30 https://e.org/x",
            "“transferred” is something that happened, not a status",
        ),
        (
            "/setstatus Test Person released 2026-02-30 https://e.org/x",
            "“2026-02-30” is not a date",
        ),
        (
            "/setstatus Test Person released 2026-06-02 https://e.org/x",
            "2 June 2026 is in the future",
        ),
        ("/setstatus Test Person released 2026-05-30", "A status change needs a source"),
        ("/setstatus Test Person released 2020-01-01 https://e.org/x", "released_on: must not be"),
        ("/update", "To add an event to a case's timeline:"),
        ("/update Test Person | Moved ftp://e.org/x", "“ftp://e.org/x” is not a web link"),
    ],
)
async def test_bad_requests_are_explained_and_change_nothing(settings, api, command, expected):
    async with case_bot(settings, api) as (app, driver):
        before = await stored_cases(app)
        replies = await driver.send(command, user_id=OWNER)
        assert len(replies) == 1 and expected in replies[0].plain, replies[0].plain
        assert not replies[0].reply_markup
        assert await stored_cases(app) == before
        assert await nothing_queued(app)


async def test_setting_the_status_a_case_already_has_is_refused(settings, api):
    async with case_bot(settings, api) as (_app, driver):
        command = "/setstatus Test Person sentenced 2025-01-01 https://example.org/src"
        replies = await driver.send(command, user_id=OWNER)
        assert replies[0].plain == "The case already says exactly this: nothing to change."


async def test_reconfirming_a_status_saves_without_an_alert(settings, api):
    async with case_bot(settings, api) as (app, driver):
        command = "/setstatus Test Person sentenced 2026-05-01 https://example.org/src"
        [preview] = await driver.send(command, user_id=OWNER)
        assert "No alert: this change does not alter what subscribers are told." in preview.plain
        # Nothing goes on the timeline, so there is nothing to add a note under.
        assert preview.button_texts == ["✅ Confirm", "✖️ Cancel"]
        done = await driver.press(preview, "✅ Confirm")
        assert done[-1].plain == "Saved: Test Person. The card shows it now.\nNo alerts to send."
        assert (await stored_case(app, "test-person"))["status_as_of"] == "2026-05-01"
        assert await nothing_queued(app)
        [entry] = await audit_entries(app)
        assert [change.field for change in entry.changes] == ["status_as_of"]
        assert entry.details is None


async def test_update_offers_the_other_languages_and_readers_see_their_own(settings, api):
    async with case_bot(settings, api) as (app, driver):
        preview = await driver.send(TRANSFER, user_id=OWNER)
        assert with_buttons(preview).button_texts == [
            "✅ Confirm",
            "✖️ Cancel",
            "+ in Belarusian",
            "+ in Polish",
            "+ in Russian",
        ]
        asked = await driver.press(with_buttons(preview), "+ in Russian")
        assert asked[-1].plain.startswith("Send the entry in Russian, in one message")
        again = await driver.send("Переведён в исправительную колонию № 2", user_id=OWNER)
        assert "In Russian: “Переведён в исправительную колонию № 2”" in again[0].plain
        assert with_buttons(again).button_texts[2:] == ["+ in Belarusian", "+ in Polish"]
        # Only what the editor saw last can be saved.
        stale = await driver.press(with_buttons(preview), "✅ Confirm")
        assert stale[-1].plain.startswith("This request is no longer open")
        await driver.press(with_buttons(again), "✅ Confirm")
        await settle(app)
        assert (await stored_case(app, "test-person"))["events"][0]["text"] == {
            "en": "Transferred to penal colony No. 2",
            "ru": "Переведён в исправительную колонию № 2",
        }
        # Chat 2 reads Russian: its own words, no mark.
        [russian] = texts(api, 2)
        assert russian.startswith(
            "🔔 Тест Персона: новости по делу.\n"
            "• 1 июня 2026: Переведён в исправительную колонию № 2\nИсточник: "
        )
        # A Belarusian reader has no translation: English, marked as such, on the card too.
        [card] = await driver.send("/defender test-person", user_id=5005, language_code="be")
        *_, timeline = await driver.press(card, "🗓 Храналогія", user_id=5005)
        assert "1 чэрвеня 2026: Transferred to penal colony No. 2 (па-англійску)" in timeline.plain


async def test_a_status_change_takes_an_optional_note_in_any_language(settings, api):
    async with case_bot(settings, api) as (app, driver):
        command = "/setstatus Test Person released 2026-05-30 https://example.org/r"
        preview = await driver.send(command, user_id=OWNER)
        assert with_buttons(preview).button_texts == [
            "✅ Confirm",
            "✖️ Cancel",
            "+ note in English",
            "+ note in Belarusian",
            "+ note in Polish",
            "+ note in Russian",
        ]
        asked = await driver.press(with_buttons(preview), "+ note in English")
        assert asked[-1].plain.startswith("Send the note in English, in one message")
        again = await driver.send("Taken to Lithuania the same day.", user_id=OWNER)
        assert "Note in English: “Taken to Lithuania the same day.”" in again[0].plain
        assert with_buttons(again).button_texts[2:] == [
            "+ note in Belarusian",
            "+ note in Polish",
            "+ note in Russian",
        ]
        await driver.press(with_buttons(again), "✅ Confirm")
        await settle(app)
        assert [event["text"] for event in (await stored_case(app, "test-person"))["events"]] == [
            {
                "en": "Released from custody.",
                "be": "Вызваленне з зняволення.",
                "pl": "Zwolnienie z więzienia.",
                "ru": "Освобождение из заключения.",
            },
            {"en": "Taken to Lithuania the same day."},
        ]
        # The release alert carries the note; a Russian reader sees it marked as English.
        [english] = texts(api, 1)
        assert "• 30 May 2026: Taken to Lithuania the same day.\n" in english
        [russian] = texts(api, 2)
        assert "• 30 мая 2026: Taken to Lithuania the same day. (на английском)\n" in russian
        assert "• 30 мая 2026: Освобождение из заключения.\n" in russian


async def test_a_status_change_without_a_note_has_only_the_standard_entry(settings, api):
    async with case_bot(settings, api) as (app, driver):
        command = "/setstatus Test Person released 2026-05-30 https://example.org/r"
        preview = await driver.send(command, user_id=OWNER)
        asked = await driver.press(with_buttons(preview), "+ note in Russian")
        assert asked[-1].plain.startswith("Send the note in Russian")
        left = await driver.send("/cancel", user_id=OWNER)
        assert left[-1].plain == "The entry stays as it is: Confirm on its preview saves it."
        await driver.press(with_buttons(preview), "✅ Confirm")
        events = (await stored_case(app, "test-person"))["events"]
        assert [event["text"]["en"] for event in events] == ["Released from custody."]


async def test_a_note_asked_for_and_never_sent_is_left_out_without_a_word(settings, api):
    async with case_bot(settings, api) as (app, driver):
        command = "/setstatus Test Person released 2026-05-30 https://example.org/r"
        preview = await driver.send(command, user_id=OWNER)
        await driver.press(with_buttons(preview), "+ note in Russian")
        assert await driver.stay_silent() == []
        # The text that follows is no longer taken as the note: it is a search.
        [card] = await driver.send("Test Person", user_id=OWNER)
        assert card.plain.startswith("Test Person")
        await driver.press(with_buttons(preview), "✅ Confirm")
        events = (await stored_case(app, "test-person"))["events"]
        assert [event["text"]["en"] for event in events] == ["Released from custody."]


async def test_a_free_person_moving_from_exile_home_is_news_not_a_second_release(settings, api):
    exiled = make_case(status="in_exile", status_as_of="2026-03-19", released_on="2026-03-19")
    async with case_bot(settings, api, cases=[exiled, OTHER]) as (app, driver):
        command = "/setstatus Test Person released 2026-05-30 https://example.org/home"
        preview = await driver.send(command, user_id=OWNER)
        assert "release alert" not in preview[0].plain
        assert preview[-1].plain.startswith(
            "🔔 Test Person: news in the case.\n"
            "Status: released, in exile → released as of 30 May 2026"
        )
        await driver.press(with_buttons(preview), "✅ Confirm")
        await settle(app)
        assert await rows(app, "SELECT kind FROM alerts") == [("case_update",)]
        case = await stored_case(app, "test-person")
        assert case["events"][-1]["text"]["en"] == "No longer in exile."
        # Still free since the day she came out, not since the day she came home.
        assert (await stored_case(app, "test-person"))["released_on"] == "2026-03-19"
