"""Inline mode: cards to share from any chat, each with a deep link back."""

from fakeapi.harness import ChatDriver
from fakeapi.telegram_html import parse_html
from tests.conftest import running_bot
from tests.test_lookup import add_case


def answered(replies):
    (answer,) = [reply for reply in replies if reply.method == "answerInlineQuery"]
    return answer.params["results"]


async def test_typing_part_of_a_name_offers_the_card(driver):
    results = answered(await driver.inline("Bial"))
    assert [result["title"] for result in results] == ["Ales Bialiatski"]
    content = results[0]["input_message_content"]
    plain, _ = parse_html(content["message_text"])
    assert plain.startswith("Ales Bialiatski")
    # The status as the card words it: one status, explained, never "released, in exile".
    assert "\nIn exile (released and forced out of the country), as of 15 December 2025.\n" in (
        plain
    )
    assert len(plain) < 800  # short, like the card it links to
    button = results[0]["reply_markup"]["inline_keyboard"][0][0]
    assert button["url"] == "https://t.me/casewatch_bot?start=ales-bialiatski"


async def test_cyrillic_and_language(driver, api):
    api.add_user(3003, "Reader", language_code="ru")
    results = answered(await driver.inline("Раб", user_id=3003))
    assert [result["title"] for result in results] == ["Марфа Рабкова"]
    plain, _ = parse_html(results[0]["input_message_content"]["message_text"])
    assert "по состоянию на" in plain and "🕊 На свободе с 19 марта 2026" in plain
    # Free: no prison address to write to.
    assert "Письма:" not in plain


async def test_empty_query_lists_people_still_held_first(settings, api):
    await add_case(settings, slug="zed-person", name="Zed Person")
    async with running_bot(settings, api) as app:
        results = answered(await ChatDriver(app, api).inline(""))
    titles = [result["title"] for result in results]
    assert len(titles) == 6
    assert titles[0] == "Zed Person"


async def test_unknown_name_offers_nothing_wrong(driver):
    assert answered(await driver.inline("Lukashenka")) == []


async def test_a_relatives_name_offers_no_card_to_share(driver):
    """A sister's or wife's name is not his: no card of his to share as hers. A
    typo, or another first name, still offers the person it may be."""
    for query in ("Алеся Бяляцкая", "Bialiatskaya", "Aliaksandra Bialiatskaya", "Анастас Лойко"):
        assert answered(await driver.inline(query)) == [], query
    for query, title in (("Bialatsky Ales", "Ales Bialiatski"), ("Марта Рабкова", "Marfa Rabkova")):
        assert [result["title"] for result in answered(await driver.inline(query))] == [title]


async def test_shared_card_opens_the_full_card_through_the_deep_link(driver):
    results = answered(await driver.inline("Loika"))
    slug = results[0]["reply_markup"]["inline_keyboard"][0][0]["url"].split("start=")[1]
    card = (await driver.send(f"/start {slug}"))[0]
    assert card.plain.startswith("Nasta Loika")
