"""Never the bot's voice for someone else's words: what a user typed is quoted short, on
one line and visible, in a private chat only; in a group or channel not at all."""

from __future__ import annotations

import re
import unicodedata

import pytest

from fakeapi.harness import ChatDriver
from languages import LANGUAGES
from messages.quoting import QUOTE_LIMIT, quotable
from messages.render import TEMPLATES_DIR
from tests.conftest import running_bot
from tests.test_lookup import add_case

HEADLINE = "x». BREAKING: Bialiatski was rearrested today «x"
# What a private chat may see of it: about 40 characters, cut after a word.
SHORT = "x. BREAKING: Bialiatski was rearrested…"
# Right-to-left override and pop, zero-width space, word joiner, a line break, a tab.
HIDDEN = "\u202eQwerty\u202c Uiop\u200b\u2060\nAsdf\tGhjk"

NOT_FOUND = {
    "en": "Nobody called “{}” is in the list.",
    "be": "Чалавека з імем «{}» у спісе няма.",
    "pl": "Na liście nie ma nikogo o nazwisku „{}”.",
    "ru": "Человека с именем «{}» в списке нет.",
}
NOBODY_BY_THAT_NAME = {
    "en": "Nobody by that name is in the list.",
    "be": "Чалавека з такім імем у спісе няма.",
    "pl": "Na liście nie ma nikogo o takim nazwisku.",
    "ru": "Человека с таким именем в списке нет.",
}
GROUP, SUPERGROUP = -500, -1009876543210


# --- the helper -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "quoted"),
    [
        ("Bialiatski", "Bialiatski"),
        ("  Ales   Bialiatski ", "Ales Bialiatski"),
        (HEADLINE, SHORT),
        (HIDDEN, "Qwerty Uiop Asdf Ghjk"),
        # One word longer than the limit is cut inside it.
        ("x" * 100, "x" * QUOTE_LIMIT + "…"),
        # Exactly at the limit: nothing cut.
        ("a" * 10 + " " + "b" * 29, "a" * 10 + " " + "b" * 29),
        # Cut where a word ends, without a dangling comma.
        ("Aaaa, Bbbb, Cccc, Dddd, Eeee, Ffff, Gggggg, Hh", "Aaaa, Bbbb, Cccc, Dddd, Eeee, Ffff…"),
        # Hangul fillers and a braille blank show nothing: dropped.
        ("\u3164\u115fAna\u2800", "Ana"),
        (None, None),
    ],
)
def test_what_is_quoted(typed, quoted):
    assert quotable(typed) == quoted


def test_nothing_quoted_is_invisible_or_longer_than_the_limit():
    everything = "".join(chr(code) for code in range(0x20, 0x3000)) + HIDDEN
    quoted = quotable(everything)
    assert len(quoted) <= QUOTE_LIMIT + 1
    hidden = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
    assert not any(unicodedata.category(char) in hidden for char in quotable(HIDDEN * 3))
    assert not set('«»“”„"\n\t') & set(quotable(HEADLINE * 3))


def test_every_template_quotes_what_was_typed_through_the_helper():
    # A value a user typed reaches a message as ``query`` or ``given``: each goes through
    # the ``typed`` filter (messages/quoting.py) wherever a template uses it.
    unfiltered = []
    for path in sorted(TEMPLATES_DIR.glob("*.j2")):
        for match in re.finditer(r"\b(query|given)=([^,)]+)", path.read_text()):
            if "| typed" not in match[2] and "| date" not in match[2]:
                unfiltered.append(f"{path.name}: {match[0]}")
    assert unfiltered == []


# --- through the bot, in every language ---------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_private_chat_sees_what_it_typed_short_and_visible(app, api, language):
    driver = ChatDriver(app, api, language_code=language, raise_errors=True)
    [reply] = await driver.send(f"/defender {HEADLINE}")
    assert reply.plain.split("\n")[0] == NOT_FOUND[language].format(SHORT)
    [reply] = await driver.send(f"/defender {HIDDEN}")
    assert reply.plain.split("\n")[0] == NOT_FOUND[language].format("Qwerty Uiop Asdf Ghjk")
    # Plain text searches too, and /subscribe and /letter answer the same way.
    for typed in (HEADLINE, f"/subscribe {HEADLINE}", f"/letter {HEADLINE}"):
        [reply] = await driver.send(typed)
        assert reply.plain.split("\n")[0] == NOT_FOUND[language].format(SHORT)


@pytest.mark.parametrize("chat_type", ["group", "supergroup"])
@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_group_never_sees_what_someone_typed(app, api, language, chat_type):
    chat_id = GROUP if chat_type == "group" else SUPERGROUP
    driver = ChatDriver(app, api, language_code=language, raise_errors=True)
    api.add_chat(chat_id, chat_type, title="A group")
    api.set_member(chat_id, driver.user_id, "administrator")  # may /subscribe for it
    for command in ("/defender", "/letter", "/subscribe"):
        [reply] = await driver.send(f"{command} {HEADLINE}", chat_id=chat_id, chat_type=chat_type)
        assert reply.plain.split("\n")[0] == NOBODY_BY_THAT_NAME[language]
        assert "BREAKING" not in reply.plain and "rearrested" not in reply.plain
    [reply] = await driver.send(f"/defender {HIDDEN}", chat_id=chat_id, chat_type=chat_type)
    assert reply.plain.split("\n")[0] == NOBODY_BY_THAT_NAME[language]


async def test_a_choice_quotes_the_name_in_private_only(settings, api):
    await add_case(settings, slug="ales-labkovich-junior", name="Ales Labkovich")
    async with running_bot(settings, api) as application:
        driver = ChatDriver(application, api, raise_errors=True)
        [choice] = await driver.send("/defender \u202eLabkovich\u200b")
        assert choice.plain == "2 people match “Labkovich”. Which one?"
        api.add_chat(GROUP, "group", title="A group")
        [choice] = await driver.send("/defender Labkovich", chat_id=GROUP, chat_type="group")
        assert choice.plain == "2 people match. Which one?"
        assert len(choice.button_texts) == 2
