"""Alerts a reader can act on: each cites its source and opens the card, the letter, the source.

In a private chat the buttons answer there (callbacks); in a group or a
channel, where readers cannot type to the bot and a callback would answer
everyone, every name links to the person's card in the reader's own chat
and every button is a deep link (t.me/<bot>?start=...), and no line asks
for a command. Asserted on what the fake Bot API received, in every
language.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot import command_import
from fakeapi.harness import ChatDriver
from tests.test_alerts_support import ALL, SLUG, Chat, Clock, alert_bot, make_case, prepare, settle
from tests.test_alerts_updates import RELEASED, write
from tests.test_digests import DAY, PEOPLE
from tests.test_letters import COLONY, NO_ADDRESS, UNADDRESSED, WRITABLE
from tests.test_stale_alerts import at, run_the_day, said

MINSK = ZoneInfo("Europe/Minsk")
NOW = datetime(2025, 6, 1, 12, 0, tzinfo=MINSK)  # no calendar date of the test person
BOT = "https://t.me/casewatch_bot?start="
SOURCE = "https://example.org/src"  # the test cases' one source, "A source"
# Its title is English only: a reader of another language is told so.
IN_ENGLISH = {"en": "", "be": " (па-англійску)", "ru": " (на английском)", "pl": " (po angielsku)"}
# A private chat and a channel per language.
PRIVATE = {"en": 1, "be": 2, "ru": 3, "pl": 4}
CHANNELS = {"en": -1001, "be": -1002, "ru": -1003, "pl": -1004}
# What each language calls the buttons, and the line that cites a source.
OPEN_CARD = {
    "en": "📇 Open card",
    "be": "📇 Адкрыць картку",
    "ru": "📇 Открыть карточку",
    "pl": "📇 Otwórz kartę",
}
SOURCE_BUTTON = {"en": "🔗 Source", "be": "🔗 Крыніца", "ru": "🔗 Источник", "pl": "🔗 Źródło"}
WRITE = {
    "en": "✉️ Write a letter",
    "be": "✉️ Напісаць ліст",
    "ru": "✉️ Написать письмо",
    "pl": "✉️ Napisz list",
}
SOURCE_LINE = {"en": "Source: ", "be": "Крыніца: ", "ru": "Источник: ", "pl": "Źródło: "}
# A command a reader would have to type: a slash starting a word.
COMMAND = re.compile(r"(?:^|\s)/[a-z]")


def links(message) -> list[str]:
    return [entity["url"] for entity in message.entities if entity["type"] == "text_link"]


def entity_texts(message, kind: str) -> list[str]:
    """The texts of the message's entities of ``kind`` (offsets count UTF-16 units)."""
    encoded = message.plain.encode("utf-16-le")
    return [
        encoded[2 * entity["offset"] : 2 * (entity["offset"] + entity["length"])].decode(
            "utf-16-le"
        )
        for entity in message.entities
        if entity["type"] == kind
    ]


def cited(lang: str, dates: dict) -> str:
    """The last line of an alert: its source ("A source", English only) and its date."""
    return f"{SOURCE_LINE[lang]}A source{IN_ENGLISH[lang]}, {dates[lang]}"


def keyboard(message) -> list[list[dict]]:
    return message.reply_markup["inline_keyboard"]


async def test_a_release_cites_its_source_and_opens_the_card(settings, api, tmp_path):
    dates = {"en": "30 May 2025", "be": "30 мая 2025", "ru": "30 мая 2025", "pl": "30 maja 2025"}
    chats = [Chat(chat_id, lang) for lang, chat_id in PRIVATE.items()]
    chats += [Chat(chat_id, lang, kind="channel") for lang, chat_id in CHANNELS.items()]
    await prepare(settings.db_path, [make_case()], chats)
    async with alert_bot(settings, api, Clock(NOW)) as app:
        assert (
            await command_import(settings, write(tmp_path / "u.yaml", [make_case(**RELEASED)])) == 0
        )
        await settle(app)
        for lang, chat_id in PRIVATE.items():
            [release] = api.messages_to(chat_id)
            # The status's source, with the report's date in the reader's format.
            assert release.plain.split("\n")[-1] == cited(lang, dates)
            assert links(release) == [SOURCE]
            # Free: no letter to write. The card opens here, the source on the web.
            assert keyboard(release) == [
                [{"text": OPEN_CARD[lang], "callback_data": f"card:{SLUG}"}],
                [{"text": SOURCE_BUTTON[lang], "url": SOURCE}],
            ]
        for lang, chat_id in CHANNELS.items():
            [release] = api.messages_to(chat_id)
            assert release.plain.split("\n")[-1] == cited(lang, dates)
            # The name links to the card in the reader's own chat; so does the button.
            assert links(release) == [BOT + SLUG, SOURCE]
            assert keyboard(release) == [
                [{"text": OPEN_CARD[lang], "url": BOT + SLUG}],
                [{"text": SOURCE_BUTTON[lang], "url": SOURCE}],
            ]
        [release] = api.messages_to(PRIVATE["en"])
        driver = ChatDriver(app, api, raise_errors=True)
        [card] = said(await driver.press(release, OPEN_CARD["en"], user_id=PRIVATE["en"]))
        assert card.chat_id == PRIVATE["en"]
        assert card.plain.startswith("Test Person\n")


async def test_a_case_update_cites_the_source_of_its_news(settings, api, tmp_path):
    dates = {"en": "20 May 2025", "be": "20 мая 2025", "ru": "20 мая 2025", "pl": "20 maja 2025"}
    await prepare(settings.db_path, [make_case()], [Chat(i, lang) for lang, i in PRIVATE.items()])
    moved = make_case(
        detention={
            "place": {"en": "Penal colony No. 2"},
            "address": "IK-2, Road 2, 230000",
            "source": "src",
            "as_of": "2025-05-20",
        },
        events=[{"on": "2025-05-20", "text": {"en": "Moved."}, "source": "src"}],
    )
    async with alert_bot(settings, api, Clock(NOW)) as app:
        assert await command_import(settings, write(tmp_path / "u.yaml", [moved])) == 0
        await settle(app)
    for lang, chat_id in PRIVATE.items():
        [update] = api.messages_to(chat_id)
        assert update.plain.split("\n")[-1] == cited(lang, dates)
        assert links(update) == [SOURCE]
        # Held, but the address is no verified place record: no Write a letter.
        assert keyboard(update) == [
            [{"text": OPEN_CARD[lang], "callback_data": f"card:{SLUG}"}],
            [{"text": SOURCE_BUTTON[lang], "url": SOURCE}],
        ]


BIRTHDAY = date(2027, 3, 12)  # Aliaksandr Kavaliou turns 48, in IK-9 (tests/test_letters.py)
ENVELOPE = "Ковалёв Александр Александрович\nИК-9\nул. Добролюбова, 16\nг. Горки\n213410"


async def test_a_birthday_gives_the_envelope_and_write_a_letter(settings, api):
    chats = [Chat(i, lang, follows=(WRITABLE.slug,)) for lang, i in PRIVATE.items()]
    group, unaddressed = -2001, 5
    chats += [
        Chat(group, follows=(WRITABLE.slug,)),
        Chat(unaddressed, follows=(UNADDRESSED.slug,)),
    ]
    await prepare(settings.db_path, [WRITABLE, UNADDRESSED], chats, [COLONY, NO_ADDRESS])
    clock = Clock(at(BIRTHDAY, 9))
    async with alert_bot(settings, api, clock) as app:
        clock.now = at(BIRTHDAY, 10)
        await run_the_day(app)
        driver = ChatDriver(app, api, raise_errors=True)
        for lang, chat_id in PRIVATE.items():
            [birthday] = api.messages_to(chat_id)
            # The name as an envelope wants it, with the address, to copy.
            assert f"\n{ENVELOPE}\n" in birthday.plain
            assert [text.strip() for text in entity_texts(birthday, "pre")] == [ENVELOPE]
            assert keyboard(birthday) == [
                [
                    {"text": OPEN_CARD[lang], "callback_data": f"card:{WRITABLE.slug}"},
                    {"text": WRITE[lang], "callback_data": f"letter:{WRITABLE.slug}"},
                ],
                [{"text": SOURCE_BUTTON[lang], "url": SOURCE}],
            ]
        [birthday] = api.messages_to(PRIVATE["en"])
        assert birthday.plain.startswith(
            "🎂 Aliaksandr Kavaliou turns 48 today, behind bars.\n"
            "A card or a letter means a lot. The envelope, to copy:\n" + ENVELOPE
        )
        assert birthday.plain.endswith(
            "The rules that get a letter delivered: Write a letter, below.\n"
            "Source: A source, 4 November 2026"
        )
        [letter] = said(await driver.press(birthday, WRITE["en"], user_id=PRIVATE["en"]))
        assert letter.plain.startswith("✉️ A letter to Aliaksandr Kavaliou\n")

        # In a group: deep links, the letter view opening in the reader's own chat.
        [posted] = api.messages_to(group)
        assert links(posted)[0] == BOT + WRITABLE.slug
        assert keyboard(posted) == [
            [
                {"text": OPEN_CARD["en"], "url": BOT + WRITABLE.slug},
                {"text": WRITE["en"], "url": f"{BOT}letter-{WRITABLE.slug}"},
            ],
            [{"text": SOURCE_BUTTON["en"], "url": SOURCE}],
        ]
        [opened] = await driver.send(f"/start letter-{WRITABLE.slug}", user_id=7007)
        assert opened.chat_id == 7007
        assert opened.plain.startswith("✉️ A letter to Aliaksandr Kavaliou\n")

        # Held where the data knows no address: no envelope, no Write a letter.
        [other] = api.messages_to(unaddressed)
        assert "Ковалёв" not in other.plain
        assert [button["text"] for row in keyboard(other) for button in row] == [
            OPEN_CARD["en"],
            SOURCE_BUTTON["en"],
        ]


async def test_a_channels_digest_links_every_name_and_asks_for_no_command(settings, api):
    chats = [Chat(i, lang, follows=ALL, kind="channel") for lang, i in CHANNELS.items()]
    chats.append(Chat(PRIVATE["en"], follows=ALL))
    await prepare(settings.db_path, PEOPLE, chats)
    clock = Clock(at(DAY, 9))
    async with alert_bot(settings, api, clock) as app:
        await run_the_day(app)
    cards = [BOT + case.slug for case in PEOPLE]
    for chat_id in CHANNELS.values():
        [digest] = api.messages_to(chat_id)
        # Each person's two dates (a birthday, an anniversary), each name a link to
        # the card, each date its source.
        opened = [url for url in links(digest) if url.startswith(BOT)]
        assert opened == cards * 2
        assert links(digest).count(SOURCE) == len(PEOPLE) * 2
        assert COMMAND.search(digest.plain) is None, digest.plain
    [digest] = api.messages_to(CHANNELS["en"])
    assert digest.plain.endswith(
        "Tap a name to open the card in the bot, in your own chat: where to write, "
        "and the rules that get a letter delivered."
    )
    # In a private chat, where commands work, the footer names them.
    [private] = api.messages_to(PRIVATE["en"])
    assert private.plain.endswith("One message per alert instead: /settings.")
