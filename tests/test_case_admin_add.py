"""/addcase: the questions, a re-ask after a bad answer, the summary, Confirm, /cancel."""

from __future__ import annotations

from cases.new_case import STEPS
from languages import LANGUAGES
from tests.test_alerts_support import rows
from tests.test_case_admin_support import (
    OWNER,
    audit_entries,
    case_bot,
    stored_case,
    stored_cases,
)


async def say(driver, text: str):
    return await driver.send(text, user_id=OWNER)


KEYS = [step.key for step in STEPS]
# Asked of anyone: released_on only of a released person, where they are held (and a
# new place's three questions) only of someone held.
TOTAL = sum(1 for step in STEPS if step.when({}))


def number(key: str) -> int:
    """Which question ``key`` is: one name question per language the bot speaks."""
    return KEYS.index(key) + 1


NAMES = {"be": "Наста Лойка", "pl": "Nasta Łojka", "ru": "Настя Лойко"}


async def test_full_walk_through_adds_a_case(settings, api):
    async with case_bot(settings, api) as (app, driver):
        first = await say(driver, "/addcase")
        assert first[0].plain.startswith(
            f"New case, step 1 of {TOTAL}.\nThe person's name in English"
        )
        slug_question = (await say(driver, "Nasta Loika"))[0]
        assert slug_question.button_texts == ["Use nasta-loika"]
        question = (await driver.press(slug_question, "Use nasta-loika"))[-1]
        for code in LANGUAGES[1:]:
            assert f"step {number('name_' + code)} of {TOTAL}" in question.plain
            assert question.button_texts == ["Skip"]
            if code == "pl":
                assert "The name in Polish (e.g. Aleś Bialacki)?" in question.plain
            if code in NAMES:
                question = (await say(driver, NAMES[code]))[-1]
            else:
                question = (await driver.press(question, "Skip"))[-1]
        await driver.press(question, "Skip")  # skip the role
        status_question = api.last_message(OWNER)
        assert "Their status now?" in status_question.plain
        assert status_question.button_texts == [
            "detained",
            "serving a sentence",
            "released",
            "released, in exile",
            "deceased",
        ]
        date_question = (await driver.press(status_question, "serving a sentence"))[-1]
        assert "As of which day" in date_question.plain

        # A bad date is explained and the same question asked again.
        retry = (await say(driver, "2026-13-01"))[0]
        assert retry.plain.startswith(
            "“2026-13-01” is not a date: write it as YYYY-MM-DD or DD.MM.YYYY, or today.\n"
            f"Please try again.\n\nNew case, step {number('status_date')} of {TOTAL + 1}.\n"
            "As of which day"
        )
        await say(driver, "20.05.2026")
        title_question = (await say(driver, "https://www.spring96.org/en/news/123"))[0]
        assert title_question.button_texts == ["Use spring96.org"]
        place_question = (await say(driver, "Viasna, person page"))[0]
        assert "Where are they held?" in place_question.plain
        await driver.press(place_question, "Skip")
        await say(driver, "2022-12-06")  # detained
        await say(driver, "1993-02-16")  # born
        summary = (await say(driver, "7 0 2023-06-23 Minsk City Court 130.3 361-1.1"))[0]
        assert summary.plain.startswith("The new case: please check it.\n\n")
        assert "Nasta Loika · Наста Лойка · Nasta Łojka · Настя Лойко" in summary.plain
        assert "Sentence: 7 years, 23 June 2023, Minsk City Court; art. 130 part 3" in summary.plain
        assert await stored_case(app, "nasta-loika") is None

        done = await driver.press(summary, "✅ Confirm")
        assert done[-1].plain.startswith(
            "Added: Nasta Loika. /defender nasta-loika shows the card."
        )
        stored = await stored_case(app, "nasta-loika")
        assert stored["sentence"]["articles"] == ["130.3", "361-1.1"]
        assert stored["sources"] == [
            {
                "id": "spring96-org-2026-06-01",
                "title": "Viasna, person page",
                "url": "https://www.spring96.org/en/news/123",
            }
        ]
        card = await say(driver, "/defender Nasta Loika")
        assert card[0].plain.startswith("Nasta Loika")
        [entry] = await audit_entries(app)
        assert (entry.action, entry.target, entry.before) == ("case.add", "nasta-loika", None)
        assert entry.after == stored
        # A held person new to the bot is news only for the chats that follow everyone:
        # here chat 2, which takes digests, so it reads of them in the next one.
        assert await rows(app, "SELECT kind FROM alerts") == [("new_person",)]
        assert await rows(app, "SELECT count(*) FROM deliveries") == [(0,)]


async def test_released_case_is_asked_its_release_day_and_skips_work(settings, api):
    async with case_bot(settings, api) as (app, driver):
        await say(driver, "/addcase")
        await say(driver, "Free Person")
        await say(driver, "free-person")
        for _ in LANGUAGES:  # a name in each language but English, and the role
            await driver.press(api.last_message(OWNER), "Skip")
        await say(driver, "вызвалены")  # a typed status works too
        question = (await say(driver, "2026-05-30"))[0]
        released = f"step {number('released_on')} of {TOTAL + 1}.\nWhen were they released?"
        assert released in question.plain
        await say(driver, "2026-05-29")
        await say(driver, "https://example.org/free")
        await driver.press(api.last_message(OWNER), "Use example.org")
        retry = (await say(driver, "2026-05-30"))[0]  # detained after the release
        assert retry.plain.startswith("The detention cannot be after the release (29 May 2026).")
        for _ in range(3):
            await driver.press(api.last_message(OWNER), "Skip")
        summary = api.last_message(OWNER)
        assert "Released on: 29 May 2026" in summary.plain
        await driver.press(summary, "✅ Confirm")
        stored = await stored_case(app, "free-person")
        assert (stored["status"], stored["released_on"]) == ("released", "2026-05-29")
        assert "detained_on" not in stored and "sentence" not in stored


async def test_a_taken_slug_is_asked_again(settings, api):
    async with case_bot(settings, api) as (_app, driver):
        await say(driver, "/addcase")
        question = (await say(driver, "Test Person"))[0]
        # The suggestion already steps around the taken slug.
        assert question.button_texts == ["Use test-person-2"]
        retry = (await say(driver, "test-person"))[0]
        assert retry.plain.startswith("The slug test-person is taken by another case.")


async def test_cancel_drops_the_draft_and_text_is_a_search_again(settings, api):
    async with case_bot(settings, api) as (app, driver):
        before = await stored_cases(app)
        await say(driver, "/addcase")
        await say(driver, "Some Body")
        cancelled = await say(driver, "/cancel")
        assert cancelled[0].plain == "The new case was dropped: nothing was saved."
        # Out of the conversation, plain text searches again.
        assert (await say(driver, "Test Person"))[0].plain.startswith("Test Person")
        assert await stored_cases(app) == before
        assert await audit_entries(app) == []


async def test_silence_ends_the_conversation(settings, api):
    async with case_bot(settings, api) as (_app, driver):
        await say(driver, "/addcase")
        await driver.stay_silent()
        assert api.last_message(OWNER).plain.startswith(
            "The new case was dropped after a long silence"
        )
        assert (await say(driver, "Test Person"))[0].plain.startswith("Test Person")
