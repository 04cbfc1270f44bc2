"""/statements, /statement, /statement_N, the read-in-full button and the card's Statements row."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from fakeapi.harness import ChatDriver
from fakeapi.telegram_html import parse_html
from messages.split import utf16_len
from statements.documents import read_file
from tests.test_alerts_support import alert_bot
from tests.test_statements_support import (
    NAMED,
    SEED,
    STRANGER,
    clock,
    draft_to_preview,
    entity_text,
    new,
    prepare,
    publish_directly,
)


@pytest.fixture
async def bot(settings, api):
    await prepare(settings.db_path, [])
    async with alert_bot(settings, api, clock()) as application:
        yield application


@pytest.fixture
def reader(bot, api) -> ChatDriver:
    return ChatDriver(bot, api, user_id=STRANGER, raise_errors=True)


async def seed_statement(bot) -> int:
    parsed = read_file(SEED.name, SEED.read_bytes())
    return await publish_directly(bot, parsed.title, parsed.body_html, NAMED, parsed.on_date)


async def test_statement_is_sent_whole_in_safe_parts(bot, reader):
    statement_id = await seed_statement(bot)
    parts = new(await reader.send(f"/statement {statement_id}"))
    assert len(parts) == 2  # the seed is longer than one message
    for part in parts:
        parse_html(part.text)
        assert utf16_len(part.plain) <= 4096
    text = "\n\n".join(part.plain for part in parts)
    assert text.startswith("📣 Belarus: Free the defenders of Viasna")
    assert "Workshop on Sources and Dates" in parts[-1].plain  # the last signatory: nothing lost
    assert "Defenders named: Ales Bialiatski, Valiantsin Stefanovic" in parts[-1].plain
    # The links to "#" keep their words and lose the link, as Telegram would.
    assert "since the detention without grounds of the chair" in text
    assert not any(entity["type"] == "text_link" for part in parts for entity in part.entities)
    bold = [
        entity_text(part, entity)
        for part in parts
        for entity in part.entities
        if entity["type"] == "bold"
    ]
    assert {"Ales Bialiatski", "Marfa Rabkova", "Nasta Loika"} <= set(bold)
    # The tappable command and the button say the same.
    shortcut = new(await reader.send(f"/statement_{statement_id}"))
    assert [part.text for part in shortcut] == [part.text for part in parts]


async def test_read_in_full_button_sends_it_whole(bot, reader):
    statement_id = await seed_statement(bot)
    [listing] = new(await reader.send("/statements"))
    assert listing.buttons[0]["callback_data"] == f"statement:{statement_id}"
    parts = new(await reader.press(listing, 0))
    assert len(parts) == 2 and "Workshop on Sources and Dates" in parts[-1].plain


async def test_deep_link_from_an_alert_sends_it_whole(bot, reader):
    statement_id = await seed_statement(bot)
    parts = new(await reader.send(f"/start statement-{statement_id}"))
    assert len(parts) == 2 and "Workshop on Sources and Dates" in parts[-1].plain


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("/statement", "Send /statement with the statement's number"),
        ("/statement abc", "Send /statement with the statement's number"),
        ("/statement 999", "There is no published statement number 999."),
        ("/statement_999", "There is no published statement number 999."),
    ],
)
async def test_statement_usage_and_missing(bot, reader, text, key):
    [reply] = new(await reader.send(text))
    assert reply.plain.startswith(key)


async def test_a_draft_is_not_readable(bot, api, reader):
    owner = ChatDriver(bot, api, user_id=9001, raise_errors=True)
    await draft_to_preview(owner)  # stored as a draft, not published
    [reply] = new(await reader.send("/statement 1"))
    assert reply.plain.startswith("There is no published statement number 1.")
    [listing] = new(await reader.send("/statements"))
    assert "No statements have been published yet." in listing.plain


async def test_statements_are_listed_newest_first_a_page_at_a_time(bot, reader):
    first = date(2025, 1, 1)
    for number in range(12):
        await publish_directly(
            bot, f"Statement number {number}", f"Body {number}.", [], first + timedelta(days=number)
        )
    [page_one] = new(await reader.send("/statements"))
    assert "page 1 of 3" in page_one.plain
    assert page_one.plain.index("Statement number 11") < page_one.plain.index("number 7")
    assert "number 6" not in page_one.plain
    assert page_one.button_texts[-1] == "Next »"
    page_two = (await reader.press(page_one, "Next »"))[-1]
    assert page_two.method == "editMessageText"  # turned in place
    assert "page 2 of 3" in page_two.plain and "Statement number 6" in page_two.plain
    assert page_two.button_texts[-1] == "Next »" and "« Back" in page_two.button_texts
    page_three = (await reader.press(page_two, "Next »"))[-1]
    assert "Statement number 0" in page_three.plain and "Next »" not in page_three.button_texts
    [again] = new(await reader.send("/statements 3"))
    assert again.plain == page_three.plain


async def test_card_lists_the_statements_naming_that_defender(bot, reader):
    [card] = new(await reader.send("/defender Marfa Rabkova"))
    assert not any("Statements" in text for text in card.button_texts)
    statement_id = await seed_statement(bot)
    await publish_directly(
        bot, "About someone else", "Text.", ["ales-bialiatski"], date(2025, 8, 1)
    )
    [card] = new(await reader.send("/defender Marfa Rabkova"))
    assert "📄 Statements (1)" in card.button_texts
    listed = new(await reader.press(card, "📄 Statements (1)"))[-1]
    assert listed.plain.startswith("Statements naming Marfa Rabkova")
    assert "About someone else" not in listed.plain
    assert listed.buttons[0]["callback_data"] == f"statement:{statement_id}"
    [card] = new(await reader.send("/defender Ales Bialiatski"))
    assert "📄 Statements (2)" in card.button_texts


@pytest.mark.parametrize(
    ("lang", "button"),
    [
        ("en", "📄 Statements (1)"),
        ("be", "📄 Заявы (1)"),
        ("ru", "📄 Заявления (1)"),
        ("pl", "📄 Oświadczenia (1)"),
    ],
)
async def test_statement_texts_in_every_language(bot, api, lang, button):
    reader = ChatDriver(bot, api, user_id=2000, language_code=lang, raise_errors=True)
    await seed_statement(bot)
    [card] = new(await reader.send("/defender Nasta Loika"))
    assert button in card.button_texts
    [listing] = new(await reader.send("/statements"))
    assert {"en": "Statements", "be": "Заявы", "ru": "Заявления", "pl": "Oświadczenia"}[
        lang
    ] in listing.plain
    parts = new(await reader.send("/statement 1"))
    assert {
        "en": "14 March 2025",
        "be": "14 сакавіка 2025",
        "ru": "14 марта 2025",
        "pl": "14 marca 2025",
    }[lang] in parts[0].plain
