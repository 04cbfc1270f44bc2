"""/letter: whose letters are handed over at all, first; the envelope; the rules with their
sources; greetings in Belarusian and Russian; no envelope, and the reason, for everyone else.

The bot runs on 25 November 2026 (tests/conftest.py) with the bundled letter guide.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

import bot as bot_module
from bot import LETTER_GUIDE
from cases.codec import CaseFormatError
from cases.letter_guide import letter_guide_from_dict, read_letter_guide
from cases.letters import (
    TOPICS,
    LetterGuide,
    LetterRule,
    Refusal,
    envelope,
    full_name,
    letter_for,
)
from cases.model import Address, Place, Source
from config import ConfigError
from fakeapi.harness import ChatDriver
from languages import LANGUAGES
from tests.conftest import TODAY, running_bot
from tests.test_alerts_support import make_case, prepare, rows

COLONY = Place(
    key="ik-9",
    name={"en": "Penal colony No. 9, Horki", "be": "Папраўчая калонія № 9, Горкі"},
    source=Source("ik-9", "Viasna, places of detention", "https://example.org/places/ik-9"),
    as_of=date(2026, 11, 1),
    region="mahiliou",
    address=Address(["ИК-9", "ул. Добролюбова, 16", "г. Горки"], "213410"),
)
# The KGB's remand prison: the data knows no postal address for it.
NO_ADDRESS = Place(
    key="sizo-kgb",
    name={"en": "KGB remand prison, Minsk"},
    source=Source("sizo-kgb", "Viasna, places of detention", "https://example.org/places/kgb"),
    as_of=date(2026, 11, 1),
)
HELD_AT = {"place": "ik-9", "source": "src", "as_of": "2026-11-01"}


def person(slug: str = "aliaksandr-kavaliou", **changes):
    """Held in IK-9, confirmed three weeks ago, with patronymics in the aliases."""
    fields = {
        "name": {"en": "Aliaksandr Kavaliou", "be": "Аляксандр Кавалёў", "ru": "Александр Ковалёв"},
        "aliases": ["Кавалёў Аляксандр Аляксандравіч", "Ковалёв Александр Александрович"],
        "birth_date": "1979-03-12",
        "status_as_of": "2026-11-04",
        "detention": HELD_AT,
        **changes,
    }
    return make_case(slug, **fields)


WRITABLE = person()
RELEASED = person(
    "released-person",
    name={"en": "Released Person"},
    aliases=[],
    status="released",
    released_on="2026-10-01",
    detention=None,
)
BARRED = person(
    "barred-person",
    name={"en": "Barred Person"},
    aliases=[],
    notes=[
        {
            "kind": "letters",
            "text": {"en": "His letters are withheld: write to his family instead."},
            "source": "src",
            "as_of": "2026-10-20",
        }
    ],
)
STALE = person("stale-person", name={"en": "Stale Person"}, aliases=[], status_as_of="2026-05-01")
UNADDRESSED = person(
    "unaddressed-person",
    name={"en": "Unaddressed Person"},
    aliases=[],
    detention={**HELD_AT, "place": "sizo-kgb"},
)
# Awaiting trial in the same colony's remand wing: the rule for remand prisons.
AWAITING = person(
    "awaiting-trial",
    name={"en": "Awaiting Trial", "ru": "Ожидающий Суда"},
    aliases=[],
    status="detained",
    sentence=None,
)
# In unit 14 (a number in YAML), no birth date in the data.
IN_UNIT = person(
    "unit-person",
    name={"en": "Unit Person", "ru": "Юнит Персонов"},
    aliases=[],
    birth_date=None,
    detention={**HELD_AT, "unit": 14},
)
# A namesake of the writable person, held in the same colony.
NAMESAKE = person(
    "aliaksandr-kavaliou-2", aliases=["Ковалёв Александр Петрович"], birth_date="1990-06-01"
)
CASES = [WRITABLE, RELEASED, BARRED, STALE, UNADDRESSED]
GUIDE = read_letter_guide(LETTER_GUIDE, TODAY)


def attached(case):
    """The case as the catalogue serves it: its detention points at the place record."""
    places = {place.key: place for place in (COLONY, NO_ADDRESS)}
    detention = case.detention
    if detention is None or detention.place_key is None:
        return case
    return replace(case, detention=replace(detention, record=places[detention.place_key]))


# --- the envelope, the name and the guide, as data ---------------------------------


def test_the_envelope_is_the_place_records_address_under_the_full_russian_name():
    letter = letter_for(attached(WRITABLE), GUIDE, TODAY, 90)
    # The bundled guide sources no year of birth: the name alone, as Libereco writes it.
    assert letter.envelope.text() == (
        "Ковалёв Александр Александрович\nИК-9\nул. Добролюбова, 16\nг. Горки\n213410"
    )
    assert letter.envelope.language == "ru"
    assert letter.greetings["be"].startswith("Добры дзень, Аляксандр Аляксандравіч!")
    assert letter.greetings["ru"].startswith("Здравствуйте, Александр Александрович!")


def test_an_address_written_in_belarusian_gets_the_belarusian_name():
    address = Address(["ПК № 4", "вул. Антошкіна, 3", "г. Гомель"], "246035")
    written = envelope(WRITABLE, address, GUIDE)
    assert written.text() == (
        "Кавалёў Аляксандр Аляксандравіч\nПК № 4\nвул. Антошкіна, 3\nг. Гомель\n246035"
    )


def test_a_patronymic_is_never_invented_nor_taken_from_the_other_language():
    # The Belarusian alias is not the Russian form, even where both spell the name alike.
    same_spelling = make_case(
        name={"en": "Marfa Rabkova", "be": "Марфа Рабкова", "ru": "Марфа Рабкова"},
        aliases=["Рабкова Марфа Уладзіміраўна"],
    )
    assert full_name(same_spelling, "be").text == "Рабкова Марфа Уладзіміраўна"
    russian = full_name(same_spelling, "ru")
    assert (russian.text, russian.has_patronymic) == ("Марфа Рабкова", False)
    # No alias at all: the name as written, and the envelope says there is no patronymic.
    bare = envelope(make_case(aliases=[], birth_date=None), COLONY.address, GUIDE)
    assert (bare.addressee, bare.has_patronymic, bare.birth_year) == ("Тест Персона", False, None)


def test_refusals_in_order_not_held_barred_stale_no_address():
    reasons = {
        case.slug: letter_for(attached(case), GUIDE, TODAY, 90)
        for case in [RELEASED, BARRED, STALE, UNADDRESSED]
    }
    assert {slug: refusal.reason for slug, refusal in reasons.items()} == {
        "released-person": "not_held",
        "barred-person": "barred",
        "stale-person": "stale",
        "unaddressed-person": "no_address",
    }
    stale = reasons["stale-person"]
    assert (stale.confirmed_on, stale.status_age) == (date(2026, 5, 1), 208)
    # An address written on the case itself (an old file) is not a verified one.
    inline = make_case(status_as_of="2026-11-01")
    assert letter_for(inline, GUIDE, TODAY, 90) == Refusal(inline, "no_address")


def test_the_bundled_guide_sources_and_dates_every_rule_in_every_language():
    assert {rule.topic for rule in GUIDE.rules} == set(TOPICS)
    for rule in GUIDE.rules:
        assert set(rule.text) == set(LANGUAGES), rule.text["en"]
        assert rule.source.url.startswith("https://") and rule.source.title["en"]
        assert set(rule.source.title) == set(LANGUAGES)
        assert rule.as_of <= TODAY
    assert set(GUIDE.greeting) == set(GUIDE.unit) == {"be", "ru"}
    assert all("{name}" in text for text in GUIDE.greeting.values())


def test_a_places_own_rule_replaces_the_general_rule_of_its_topic():
    source = Source("s", "S", "https://example.org")
    general = [LetterRule(topic, {"en": topic}, source, TODAY) for topic in TOPICS]
    slower = LetterRule("timing", {"en": "Six weeks here."}, source, TODAY)
    guide = LetterGuide(tuple(general), {"ik-9": (slower,)})
    texts = [rule.text["en"] for rule in guide.rules_for("ik-9")]
    assert texts == ["who", "envelope", "language", "avoid", "enclose", "Six weeks here."]
    assert [rule.text["en"] for rule in guide.rules_for("ik-1")] == list(TOPICS)


def test_a_broken_guide_names_its_line_and_field(tmp_path: Path):
    text = LETTER_GUIDE.read_text(encoding="utf-8").replace(
        "source: viasna-letters", "source: viasna-lettres"
    )
    broken = tmp_path / "letters.yaml"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(CaseFormatError) as caught:
        read_letter_guide(broken)
    line = text.splitlines().index("    source: viasna-lettres") + 1
    assert str(caught.value).startswith(
        f'letters.yaml line {line}: rules[10].source: unknown source "viasna-lettres"'
    )


def test_the_bot_will_not_start_on_a_broken_guide(tmp_path: Path, monkeypatch):
    broken = tmp_path / "letters.yaml"
    broken.write_text("rules: []\n", encoding="utf-8")
    monkeypatch.setattr(bot_module, "LETTER_GUIDE", broken)
    with pytest.raises(ConfigError) as caught:
        bot_module.load_letter_guide()
    # One line for the operator: the file, and what is wrong with it.
    assert str(caught.value) == f"{broken}: letters.yaml line 1: sources: is required"


# --- in the bot -----------------------------------------------------------------------


@pytest.fixture
async def bot(settings, api):
    await prepare(
        settings.db_path, [*CASES, NAMESAKE, AWAITING, IN_UNIT], [], places=[COLONY, NO_ADDRESS]
    )
    async with running_bot(settings, api) as application:
        yield application


@pytest.fixture
def driver(bot, api) -> ChatDriver:
    return ChatDriver(bot, api, raise_errors=True)


def said(records) -> list:
    """The messages among what the bot did (not the answer to a button press)."""
    return [record for record in records if record.method == "sendMessage"]


def pres(record) -> list[str]:
    """The <pre> blocks of a message: what a reader taps to copy."""
    units = record.plain.encode("utf-16-le")  # entities count UTF-16 code units
    return [
        units[2 * entity["offset"] : 2 * (entity["offset"] + entity["length"])].decode("utf-16-le")
        for entity in record.entities
        if entity["type"] == "pre"
    ]


async def test_letter_gives_the_envelope_the_sourced_rules_and_both_greetings(bot, api):
    polish = ChatDriver(bot, api, raise_errors=True, language_code="pl")
    [letter] = await polish.send("/letter Kavaliou 1979")
    # First the envelope alone, with where the address comes from.
    [envelope_text] = pres(letter)
    assert envelope_text == (
        "Ковалёв Александр Александрович\nИК-9\nул. Добролюбова, 16\nг. Горки\n213410"
    )
    assert letter.plain.startswith("✉️ Napisz list: Aliaksandr Kavaliou\n")
    assert "Adres: według stanu na 1 listopada 2026, Viasna, places of detention" in letter.plain
    assert COLONY.source.url in links(letter)
    assert letter.button_texts == [
        "📖 Jak pisać: zasady",
        "🎂 Przypomnij 14 dni przed urodzinami",
        "« Karta",
    ]
    # The rules come with the button: each, in the reader's language, links its source.
    rules, greeting = said(await polish.press(letter, "📖 Jak pisać: zasady"))
    assert rules.plain.startswith("📖 Jak pisać: zasady (list: Aliaksandr Kavaliou)\n")
    assert "🗣 Język: Pisz po białorusku albo po rosyjsku" in rules.plain
    assert {rule.source.url for rule in GUIDE.rules} <= set(links(rules))
    # The greetings are in the languages a letter may be written in, whatever the reader's.
    belarusian, russian = pres(greeting)
    assert belarusian.startswith("Добры дзень, Аляксандр Аляксандравіч!\n")
    assert russian.startswith("Здравствуйте, Александр Александрович!\n")


async def test_no_envelope_for_someone_not_held_barred_stale_or_without_an_address(bot, driver):
    said = {}
    for name in ("Released Person", "Barred Person", "Stale Person", "Unaddressed Person"):
        [reply] = await driver.send(f"/letter {name}")
        said[name] = reply
        assert "<pre>" not in reply.text  # no envelope
        assert reply.button_texts == ["« The card"]
    assert said["Released Person"].plain == (
        "🕊 No envelope: Released Person is no longer in detention (released). "
        "A letter to a former place of detention does not reach them."
    )
    assert said["Barred Person"].plain.startswith(
        "⛔ No envelope: letters to Barred Person are barred.\n"
        "⚠️ His letters are withheld: write to his family instead. As of 20 October 2026, A source"
    )
    assert said["Stale Person"].plain == (
        "⏸ No envelope: the status of Stale Person was last confirmed on 1 May 2026, "
        "208 days ago. They may have been moved or freed since, and a letter to an old "
        "address is lost.\nCheck the source first: A source"
    )
    assert said["Unaddressed Person"].plain == (
        "📭 No envelope: no verified address is known for the place where Unaddressed Person "
        "is held.\nHeld in: KGB remand prison, Minsk"
    )


async def test_the_card_of_a_held_person_with_an_address_offers_a_letter(bot, api, driver):
    [card] = await driver.send("/defender Kavaliou 1979")
    assert "✉️ Write a letter" in card.button_texts
    [letter] = said(await driver.press(card, "✉️ Write a letter"))
    # One tap from the card: whose letters are handed over, before the envelope.
    assert letter.plain.split("\n")[1].startswith(
        "⚠️ Whose letters get through: After sentencing, political prisoners get letters only "
        "from close relatives"
    )
    assert pres(letter)[0].startswith("Ковалёв Александр Александрович\n")
    [back] = said(await driver.press(letter, "« The card"))
    assert back.plain.startswith("Aliaksandr Kavaliou\n")
    # Not held, or no verified address: no button.
    for name in ("Released Person", "Unaddressed Person"):
        [card] = await driver.send(f"/defender {name}")
        assert "✉️ Write a letter" not in card.button_texts


# Each of /letter's messages, in characters as a reader sees them: well under Telegram's
# 4,096 (README, "Letters" has the figures).
LETTER_MESSAGE_LIMIT = 3_500


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_the_envelope_comes_first_and_the_rules_with_a_button(bot, api, lang):
    reader = ChatDriver(
        bot, api, raise_errors=True, language_code=lang, user_id=3300 + LANGUAGES.index(lang)
    )
    for name in ("Kavaliou 1979", "Awaiting Trial"):
        [envelope] = said(await reader.send(f"/letter {name}"))
        # The first message: whose letters get through, the envelope, where it is from.
        assert len(pres(envelope)) == 1
        assert envelope.plain.split("\n")[1].startswith("⚠️ ")
        assert not any(
            line.startswith(("🗣", "🚫", "📎", "⏳")) for line in envelope.plain.split("\n")
        )
        # Its first button: every rule, then the greetings, each a message of its own.
        rules, greeting = said(await reader.press(envelope, 0))
        assert rules.plain.startswith("📖 ") and pres(rules) == []
        assert {line[0] for line in rules.plain.split("\n")[1:]} == {
            "⚠",
            "✉",
            "🗣",
            "🚫",
            "📎",
            "⏳",
        }
        assert len(pres(greeting)) == 2
        for message in (envelope, rules, greeting):
            assert len(message.plain) < LETTER_MESSAGE_LIMIT, (lang, name, len(message.plain))


async def test_letter_chooses_between_namesakes_and_asks_for_a_name(bot, driver):
    [choice] = await driver.send("/letter Kavaliou")
    assert choice.plain.startswith("2 people match “Kavaliou”. Which one?")
    [letter] = said(await driver.press(choice, 1))
    assert pres(letter)[0].startswith("Ковалёв Александр Петрович\n")
    [ask] = await driver.send("/letter")
    assert ask.plain.startswith("Type a name after the command, for example: /letter Kavaliou.")


async def test_a_card_reminder_stores_the_chat_and_the_case_and_nothing_else(bot, api, driver):
    [letter] = await driver.send("/letter Kavaliou 1979")
    records = await driver.press(letter, "🎂 Remind me 14 days before the birthday")
    [toast] = [record for record in records if record.method == "answerCallbackQuery"]
    assert toast.text == (
        "Reminder set: on 26 February 2027, 14 days before the birthday on 12 March 2027."
    )
    [edited] = [record for record in records if record.method == "editMessageReplyMarkup"]
    assert edited.button_texts == [
        "📖 How to write: the rules",
        "🔕 Stop the reminder 14 days before the birthday",
        "« The card",
    ]
    assert await rows(bot, "SELECT * FROM card_reminders") == [(1001, "aliaksandr-kavaliou")]
    # The chat row holds what it always holds: an id, a language, a kind, settings.
    [chat] = await rows(bot, "SELECT id, language, kind FROM chats")
    assert chat == (1001, "en", "private")

    await driver.press(letter, "🔕 Stop the reminder 14 days before the birthday")
    assert await rows(bot, "SELECT * FROM card_reminders") == []


async def test_in_a_group_only_admins_set_reminders(bot, api, driver):
    group = -4001
    api.set_member(group, 1002, "member")
    [letter] = await driver.send(
        "/letter Kavaliou 1979", chat_id=group, chat_type="group", user_id=1002
    )
    records = await driver.press(letter, "🎂 Remind me 14 days before the birthday", user_id=1002)
    assert [record.text for record in records] == ["Only this group's admins can change that."]
    assert await rows(bot, "SELECT * FROM card_reminders") == []


async def test_forget_erases_the_reminders(bot, driver):
    await prepare_reminder(bot, driver)
    [confirm] = await driver.send("/forget")
    await driver.press(confirm, "Erase everything")
    assert await rows(bot, "SELECT * FROM card_reminders") == []


async def prepare_reminder(bot, driver) -> None:
    [letter] = await driver.send("/letter Kavaliou 1979")
    await driver.press(letter, "🎂 Remind me 14 days before the birthday")
    assert await rows(bot, "SELECT count(*) FROM card_reminders") == [(1,)]


# --- whose letters get through, the DW remark, the year of birth, the unit -----------

VIASNA_2023 = "https://spring96.org/ru/news/111691"
# The rule's label, what it says of sentenced prisoners, and its date, in each language.
FIRST_RULE = {
    "en": ("Whose letters get through", "only from close relatives", "As of 17 May 2023"),
    "be": ("Чые лісты даходзяць", "толькі ад блізкіх сваякоў", "Станам на 17 мая 2023"),
    "pl": ("Czyje listy docierają", "tylko od bliskich krewnych", "Według stanu na 17 maja 2023"),
    "ru": ("Чьи письма доходят", "только от близких родственников", "По состоянию на 17 мая 2023"),
}


def links(message) -> dict[str, str]:
    """The text_link entities of a message: url -> the text that carries it."""
    units = message.plain.encode("utf-16-le")
    return {
        entity["url"]: units[
            2 * entity["offset"] : 2 * (entity["offset"] + entity["length"])
        ].decode("utf-16-le")
        for entity in message.entities
        if entity["type"] == "text_link"
    }


async def test_letter_to_a_sentenced_person_says_first_that_strangers_letters_are_withheld(
    bot, api
):
    assert set(FIRST_RULE) == set(LANGUAGES)
    for number, lang in enumerate(LANGUAGES):
        reader = ChatDriver(bot, api, raise_errors=True, language_code=lang, user_id=3000 + number)
        first, *_ = await reader.send("/letter Kavaliou 1979")
        label, says, as_of = FIRST_RULE[lang]
        title = GUIDE.rules[0].source.title[lang]
        rule = first.plain.split("\n")[1]
        # Right under the title, before the envelope: the rule, its date and its source.
        assert rule.startswith(f"⚠️ {label}: ") and says in rule, (lang, rule)
        assert rule.endswith(f" {as_of}, {title}"), (lang, rule)
        assert first.plain.index(rule) < first.plain.index(pres(first)[0])
        assert links(first)[VIASNA_2023] == title
        # Said once, short, beside the envelope.
        assert first.plain.count(says) == 1
    # In full first among the rules, with what Viasna asks of everyone else.
    [envelope] = said(api.messages_to(3000))
    reader = ChatDriver(bot, api, raise_errors=True, user_id=3000)
    rules, _greeting = said(await reader.press(envelope, "📖 How to write: the rules"))
    rule = rules.plain.split("\n")[1]
    assert rule.startswith("⚠️ Whose letters get through: Blocking letters is now practised")
    assert "A letter from a stranger will most likely not be handed over." in rule
    assert (
        "Viasna calls for solidarity with them and for drawing attention to their plight "
        "in Belarus and abroad. As of 17 May 2023" in rule
    )


async def test_before_a_verdict_the_letter_gives_the_remand_prisons_rule_instead(bot, driver):
    [letter] = await driver.send("/letter Awaiting Trial")
    assert letter.plain.split("\n")[1] == (
        "⚠️ Whose letters get through: In remand prisons letters are blocked arbitrarily: "
        "some people get almost every letter, others almost none. As of 17 May 2023, "
        "Viasna: how and why political prisoners’ letters are blocked (May 2023)"
    )
    assert VIASNA_2023 in links(letter)
    rules, _greeting = said(await driver.press(letter, "📖 How to write: the rules"))
    assert rules.plain.split("\n")[1] == (
        "⚠️ Whose letters get through: In remand prisons letters are blocked arbitrarily, "
        "from relatives and strangers alike: some people get almost every letter, others "
        "almost none. Viasna calls for solidarity with political prisoners and for drawing "
        "attention to their plight in Belarus and abroad. As of 17 May 2023, Viasna: how and "
        "why political prisoners’ letters are blocked (May 2023)"
    )
    for message in (letter, rules):
        assert "only from close relatives" not in message.plain


# DW's article quotes one letter from a remand prison; the rule says that and no more.
DW_REMARK = {
    "en": (
        "⏳ How long it takes: In early 2021 one detainee wrote from a remand prison that mail, "
        "parcels and visits all stop there over weekends and holidays. That is one person’s "
        "account of one prison, not a general rule. As of 27 January 2021, DW: how people in "
        "Belarus write to political prisoners (27 January 2021)"
    ),
    "ru": (
        "⏳ Сколько идёт: В начале 2021 года один заключённый написал из СИЗО, что там на "
        "выходные и праздники всё останавливается: почта, передачи, свидания. Это слова "
        "одного человека об одной тюрьме, а не общее правило. По состоянию на 27 января 2021, "
        "DW: как в Беларуси переписываются с политзаключёнными (27 января 2021)"
    ),
}


async def test_the_dw_rule_is_one_detainees_remark_about_one_remand_prison(bot, api):
    for number, (lang, remark) in enumerate(DW_REMARK.items()):
        reader = ChatDriver(bot, api, raise_errors=True, language_code=lang, user_id=3100 + number)
        [envelope] = await reader.send("/letter Kavaliou 1979")
        rules, _greeting = said(await reader.press(envelope, 0))
        [dw] = [line for line in rules.plain.split("\n") if line.startswith("⏳") and "DW" in line]
        assert dw == remark
    assert all("altogether" not in rule.text["en"] for rule in GUIDE.rules)


async def test_the_envelope_writes_no_year_of_birth_without_a_source(bot, api):
    for number, lang in enumerate(LANGUAGES):
        reader = ChatDriver(bot, api, raise_errors=True, language_code=lang, user_id=3200 + number)
        first, *_ = await reader.send("/letter Kavaliou 1979")
        addressee = pres(first)[0].split("\n")[0]
        assert addressee == "Ковалёв Александр Александрович", lang
    # Nor a warning about a year the envelope never asks for.
    unit_person, *_ = await ChatDriver(bot, api, raise_errors=True).send("/letter Unit Person")
    assert "year of birth" not in unit_person.plain


async def test_a_unit_goes_on_the_line_after_the_name_in_the_addresss_language(bot, driver):
    [letter] = await driver.send("/letter Unit Person")
    assert pres(letter)[0] == (
        "Юнит Персонов\nотряд № 14\nИК-9\nул. Добролюбова, 16\nг. Горки\n213410"
    )
    # An address written in Belarusian: the name and the unit in Belarusian too.
    in_unit = replace(WRITABLE, detention=replace(WRITABLE.detention, unit="3А"))
    address = Address(["ПК № 4", "вул. Антошкіна, 3", "г. Гомель"], "246035")
    assert envelope(in_unit, address, GUIDE).text() == (
        "Кавалёў Аляксандр Аляксандравіч\nатрад № 3А\nПК № 4\nвул. Антошкіна, 3\nг. Гомель\n246035"
    )
    # Without a unit in the data, no such line (the Kavaliou envelopes above).
    assert envelope(WRITABLE, address, GUIDE).text().split("\n")[1] == "ПК № 4"


# The bundled guide with a year of birth after the name, and a source for it.
SOURCED_YEAR = {
    "\nsources:\n": "\nsources:\n  - id: a-prison-guide\n    title: A guide to prison mail\n"
    "    url: https://example.org/prison-mail\n",
    "\nenvelope:\n": '\nenvelope:\n  born:\n    text: {be: "г.н.", ru: "г.р."}\n'
    "    source: a-prison-guide\n    as_of: 2026-01-02\n",
}


@pytest.fixture
async def bot_writing_the_year(settings, api, tmp_path, monkeypatch):
    text = LETTER_GUIDE.read_text(encoding="utf-8")
    for old, new in SOURCED_YEAR.items():
        assert text.count(old) == 1
        text = text.replace(old, new)
    guide = tmp_path / "letters.yaml"
    guide.write_text(text, encoding="utf-8")
    monkeypatch.setattr(bot_module, "LETTER_GUIDE", guide)
    await prepare(settings.db_path, [WRITABLE, IN_UNIT], [], places=[COLONY])
    async with running_bot(settings, api) as application:
        yield application


async def test_a_guide_that_sources_the_year_of_birth_gets_it_with_its_source(
    bot_writing_the_year, api
):
    driver = ChatDriver(bot_writing_the_year, api, raise_errors=True)
    [letter] = await driver.send("/letter Kavaliou")
    assert pres(letter)[0].split("\n")[0] == "Ковалёв Александр Александрович, 1979 г.р."
    assert "The year of birth after the name: as of 2 January 2026, A guide to prison mail" in (
        letter.plain
    )
    assert links(letter)["https://example.org/prison-mail"] == "A guide to prison mail"
    # Asked for, and not in the data: the envelope says so.
    [unit_person] = await driver.send("/letter Unit Person")
    assert pres(unit_person)[0].split("\n")[:2] == ["Юнит Персонов", "отряд № 14"]
    assert "⚠️ The year of birth is not in the data, so the envelope has none." in (
        unit_person.plain
    )


def guide_data(**changes) -> dict:
    """A small valid guide; ``changes`` replace its top-level keys."""
    source = {"id": "s", "title": "S", "url": "https://example.org/s"}
    rule = {"topic": "who", "text": {"en": "Who."}, "source": "s", "as_of": "2023-05-17"}
    data = {
        "sources": [source],
        "rules": [rule],
        "envelope": {"unit": {"be": "атрад № {unit}", "ru": "отряд № {unit}"}},
        "greeting": {"be": "Добры дзень, {name}!", "ru": "Здравствуйте, {name}!"},
    }
    return {**data, **changes}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"envelope": {"unit": {"be": "атрад № {unit}", "ru": "отряд № {unit}"},
                          "born": {"text": {"be": "г.н.", "ru": "г.р."}, "as_of": "2023-01-01"}}},
            "envelope.born.source",
            "is required",
        ),
        (
            {"envelope": {"unit": {"be": "атрад № {unit}", "ru": "отряд"}}},
            "envelope.unit.ru",
            "must say where the unit goes: {unit}",
        ),
        (
            {"rules": [{"topic": "who", "status": "released", "text": {"en": "x"},
                        "source": "s", "as_of": "2023-05-17"}]},
            "rules[0].status",
            'must be one of detained, sentenced; got "released"',
        ),
    ],
)  # fmt: skip
def test_a_guide_must_source_the_year_and_place_the_unit(changes, field, message):
    assert letter_guide_from_dict(guide_data(), "letters.yaml").rules[0].topic == "who"
    with pytest.raises(CaseFormatError) as caught:
        letter_guide_from_dict(guide_data(**changes), "letters.yaml")
    assert (caught.value.field, caught.value.message) == (field, message)
