"""The issue's caseload through the real bot: 1,200 people, 10 first names x 12
surnames, all detained on one day (``bench/caseload.py --dense``)."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from bench.caseload import generate, place_records
from fakeapi.harness import ChatDriver
from handlers.shared.namesakes import names_told_apart
from handlers.shared.services import SERVICES_KEY
from storage import cases as case_store
from storage import subscriptions as storage_subscriptions
from storage.db import connect
from tests.conftest import TODAY, running_bot

# As of the bot's day in the tests: no status is dated after the bot's today.
CASES = generate(1200, dense=True, today=TODAY)
PLACES = place_records()
KAVALIOUS = [case for case in CASES if case.name["en"].endswith(" Kavaliou")]
BY_SLUG = {case.slug: case for case in CASES}


@pytest.fixture
async def crowd(settings, api):
    db = await connect(settings.db_path)
    await case_store.merge_cases(db, CASES, places=PLACES)
    await db.close()
    async with running_bot(settings, api) as application:
        yield ChatDriver(application, api, raise_errors=True)


def slugs(reply) -> list[str]:
    """The people a reply's buttons open, by slug."""
    rows = reply.reply_markup["inline_keyboard"]
    return [
        b["callback_data"].removeprefix("card:")
        for row in rows
        for b in row
        if b.get("callback_data", "").startswith("card:")
    ]


def names(reply) -> list[str]:
    """The people a reply's buttons open."""
    rows = reply.reply_markup["inline_keyboard"]
    return [
        b["text"] for row in rows for b in row if b.get("callback_data", "").startswith("card:")
    ]


async def every_page(driver, reply) -> list[str]:
    """The people a choice offers, page after page."""
    offered = names(reply)
    while "Next »" in reply.button_texts:
        reply = (await driver.press(reply, "Next »"))[-1]
        assert reply.method == "editMessageText"
        offered += names(reply)
    return offered


async def test_namesakes_are_told_apart_on_every_page_of_a_choice(crowd):
    reply = (await crowd.send("/defender Kavaliou"))[0]
    assert reply.plain.startswith("100 people match “Kavaliou”. Which one?\nPage 1 of 13.")
    assert "a birth year or region" in reply.plain
    offered = await every_page(crowd, reply)
    assert len(offered) == 100 and len(set(offered)) == 100
    # What tells them apart, as the issue asks: birth year, region, status and year.
    assert all(re.search(r", b\. \d{4}, .+, (held since|in exile since|free since)", name) or
               re.search(r", b\. \d{4}, .+, ", name) for name in offered)  # fmt: skip

    reply = (await crowd.send("/defender Ales Kavaliou"))[0]
    assert reply.plain.startswith("10 people match “Ales Kavaliou”. Which one?\nPage 1 of 2.")
    assert len(set(await every_page(crowd, reply))) == 10
    reply = (await crowd.send("/defender Ales Kavaliou"))[0]
    chosen = names(reply)[3]
    card = (await crowd.press(reply, chosen))[-1].plain
    assert card.startswith("Ales Kavaliou")
    born = re.search(r"b\. (\d{4})", chosen).group(1)
    assert "Born on" in card and born in card


async def test_suggestions_for_an_unknown_name_tell_namesakes_apart(crowd):
    # Nobody is called Zmitser here; the nearest are ten men called Dzmitry Kavaliou.
    reply = (await crowd.send("/defender Zmitser Kavaliou"))[0]
    # The likely people first, never "Nobody called" before them.
    assert reply.plain.startswith("Did you mean one of these people?\n• ")
    offered = names(reply)
    assert len(offered) >= 2 and len(set(offered)) == len(offered), offered
    assert all(line.startswith("Dzmitry Kavaliou, b. ") for line in offered), offered
    # The text lists the same lines as the buttons.
    listed = [line for line in reply.plain.splitlines() if line.startswith("• ")]
    assert [line.removeprefix("• ") for line in listed] == offered


async def test_subscribing_reaches_every_namesake_and_unsubscribing_only_the_followed(crowd):
    reply = (await crowd.send("/subscribe Kavaliou"))[0]
    assert reply.plain.startswith("100 people match “Kavaliou”. Which one?\nPage 1 of 13.")
    last = reply
    while "Next »" in last.button_texts:
        last = (await crowd.press(last, "Next »"))[-1]
    assert "Page 13 of 13." in last.plain
    chosen = [text for text in last.button_texts if text.startswith("Uladzimir Kavaliou")][-1]
    done = await crowd.press(last, chosen)
    assert done[-1].plain.startswith("Subscribed to Uladzimir Kavaliou")
    await crowd.send("/subscribe Ales Kavaliou")  # a choice of ten: nothing yet
    # Of a hundred Kavalious, the one this chat follows is meant.
    [gone] = await crowd.send("/unsubscribe Kavaliou")
    assert gone.plain.startswith("Unsubscribed from Uladzimir Kavaliou")


async def test_an_editor_reaches_every_namesake_and_changes_only_the_one_chosen(crowd):
    owner = 9001  # BOT_ADMINS in the tests' settings
    command = "/update Kavaliou | Transferred to another colony https://example.org/t"
    reply = (await crowd.send(command, user_id=owner))[0]
    assert reply.plain.startswith("100 people match “Kavaliou”. Which one?\nPage 1 of 13.")
    last = reply
    while "Next »" in last.button_texts:
        last = (await crowd.press(last, "Next »", user_id=owner))[-1]
    chosen = [text for text in last.button_texts if text.startswith("Uladzimir Kavaliou")][-1]
    preview = await crowd.press(last, chosen, user_id=owner)
    slug = re.search(r"Uladzimir Kavaliou \(([a-z0-9-]+)\)", preview[-2].plain).group(1)
    await crowd.press(preview[-1], "✅ Confirm", user_id=owner)
    db = crowd.application.bot_data[SERVICES_KEY].db
    async with db.execute("SELECT slug FROM cases WHERE record LIKE '%another colony%'") as rows:
        assert [row[0] for row in await rows.fetchall()] == [slug]


async def test_a_long_list_of_subscriptions_pages_and_keeps_its_place(crowd):
    # A diaspora channel following 150 people: Telegram takes at most 100 buttons.
    db = crowd.application.bot_data[SERVICES_KEY].db
    followed = [case.slug for case in CASES[:150]]
    await storage_subscriptions.ensure_chat(db, crowd.user_id, "en", "private")
    for slug in followed:
        await storage_subscriptions.subscribe(db, crowd.user_id, slug)
    listing = (await crowd.send("/subscriptions"))[0]
    assert "150 people, page 1 of 15." in listing.plain
    assert len(listing.button_texts) == 11 and listing.button_texts[-1] == "Next »"
    second = (await crowd.press(listing, "Next »"))[-1]
    assert "page 2 of 15." in second.plain
    removing = second.button_texts[3]
    after = (await crowd.press(second, removing))[-1]
    assert "149 people, page 2 of 15." in after.plain  # still on the same page
    assert removing not in after.button_texts
    assert len(await storage_subscriptions.subscribed_slugs(db, crowd.user_id)) == 149


async def test_a_birth_year_or_region_typed_with_the_name_narrows_it(crowd):
    years = Counter(case.birth_date.year for case in KAVALIOUS)
    alone = next(case for case in KAVALIOUS if years[case.birth_date.year] == 1)
    card = (await crowd.send(f"/defender Kavaliou {alone.birth_date.year}"))[0].plain
    assert card.startswith(alone.name["en"])
    assert "Born on" in card and str(alone.birth_date.year) in card

    from_homel = [case for case in KAVALIOUS if case.region == "homel"]
    for query in ("Ковалёв Гомель", "Kavaliou Homel", "Кавалёў Гомельская вобласць"):
        reply = (await crowd.send(query))[0]
        offered = await every_page(crowd, reply)
        assert len(offered) == len(from_homel), query
        assert all("Homel region" in name for name in offered)


async def test_inline_results_carry_the_same_distinguishing_line(crowd):
    replies = await crowd.inline("Ales Kavaliou")
    (answer,) = [reply for reply in replies if reply.method == "answerInlineQuery"]
    results = answer.params["results"]
    assert len(results) == 10
    assert len({result["description"] for result in results}) == 10
    assert all(result["description"].startswith("b. ") for result in results)
    # Each result still opens its card by slug.
    assert all(result["reply_markup"]["inline_keyboard"][0][0]["url"].endswith(result["id"])
               for result in results)  # fmt: skip


async def test_list_narrows_to_a_region_or_a_prison_in_two_taps(crowd):
    listing = (await crowd.send("/list"))[0]
    assert "All: 1,200 defenders, page 1 of 150" in listing.plain
    menu = (await crowd.press(listing, "Region ▾"))[-1]
    homel = sum(case.region == "homel" for case in CASES)
    narrowed = (await crowd.press(menu, f"Homel region ({homel})"))[-1]
    assert narrowed.plain.startswith(f"All · Homel region: {homel} defenders")
    assert all(BY_SLUG[slug].region == "homel" for slug in slugs(narrowed))

    # Filters combine: from the list of everyone again, the place menu.
    listing = (await crowd.send("/list"))[0]
    menu = (await crowd.press(listing, "Place of detention ▾"))[-1]
    held_ik1 = sum(
        case.is_held and case.detention.place_key == "ik-1" for case in CASES if case.detention
    )
    label = f"Penal colony No. 1, Navapolatsk ({held_ik1})"
    narrowed = (await crowd.press(menu, label))[-1]
    assert f"Penal colony No. 1, Navapolatsk: {held_ik1} defenders" in narrowed.plain
    # The counts on the status buttons follow the place chosen.
    assert f"Behind bars ({held_ik1})" in narrowed.button_texts


async def test_list_keeps_its_place_and_jumps_by_letter(crowd):
    listing = (await crowd.send("/list"))[0]
    letters = (await crowd.press(listing, "A–Z"))[-1]
    # The surnames' first letters (Bandarenka, Kavaliou, Melnik, Shauchenka, ...).
    assert {"B", "K", "M", "S"} <= set(letters.button_texts)
    at_m = (await crowd.press(letters, "M"))[-1]
    assert names(at_m)[0].startswith("M") or names(at_m)[-1].startswith("M")
    page = int(re.search(r"page (\d+) of", at_m.plain).group(1))
    assert page > 1

    held = next(text for text in at_m.button_texts if text.startswith("Behind bars"))
    narrowed = (await crowd.press(at_m, held))[-1]
    # Still among the Ms, not back on page 1.
    held_page = int(re.search(r"page (\d+) of", narrowed.plain).group(1))
    assert held_page > 1
    assert any(name.startswith("M") for name in names(narrowed))

    by_date = (await crowd.press(narrowed, "Longest held first"))[-1]
    assert "Longest held first" in by_date.plain


async def test_a_page_of_a_long_list_tells_its_namesakes_apart_among_everyone(crowd):
    # As a statement's "Change defenders" pages through everyone: one page of eight,
    # told apart among all 1,200 (ten men share each name here).
    app = crowd.application.bot_data[SERVICES_KEY]
    everyone = list(app.catalogue.ordered)
    page = everyone[8:16]
    names = names_told_apart(app, "en", page, among=everyone)
    assert len(set(names.values())) == len(page)
    assert all(re.search(r", b\. \d{4}", line) for line in names.values())
    # The same person reads the same whether the list is a page or the whole.
    whole = names_told_apart(app, "en", everyone)
    assert all(whole[slug] == line for slug, line in names.items())
    # A name nobody else bears stays a plain name.
    alone = everyone[:1]
    assert names_told_apart(app, "en", alone) == {alone[0].slug: alone[0].name["en"]}


@pytest.mark.parametrize(
    ("language", "banner"),
    [
        ("en", "⚠️ Fictional sample data: this person does not exist."),
        ("be", "⚠️ Выдуманыя даныя для прыкладу: такога чалавека няма."),
        ("pl", "⚠️ Fikcyjne dane przykładowe: taka osoba nie istnieje."),
        ("ru", "⚠️ Вымышленные данные для примера: такого человека не существует."),
    ],
)
async def test_every_generated_card_says_it_is_fictional(crowd, language, banner):
    """make demo-large shows this caseload: no screenshot of it can pass for a real case."""
    held = next(case for case in CASES if case.is_held and case.detention)
    [card] = await crowd.send(f"/start {held.slug}", language_code=language)
    assert card.plain.splitlines()[1] == banner
    [bundled] = await crowd.send("/start ales-bialiatski", language_code=language)
    assert banner not in bundled.plain
