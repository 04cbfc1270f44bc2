"""Every alert kind renders in every language, with or without its case, as one message."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest

from alerts.asks import status_payload
from alerts.calendar import events_between
from alerts.daily import event_payload
from alerts.kinds import KINDS
from alerts.texts import CASE_KINDS, Reader, alert_parts, compose_alert
from alerts.updates import alert_kind, cited, describe_change, newcomer, told
from bot import BUNDLED_CASES
from cases.files import read_cases
from languages import LANGUAGES
from messages.render import Messages
from storage.deliveries import Delivery
from tests.test_alerts_support import make_case

messages = Messages()
BUNDLED = read_cases(BUNDLED_CASES)


def delivery(kind: str, language: str, payload: dict, on: date = date(2026, 5, 5)) -> Delivery:
    return Delivery(1, 1, 0, language, True, 1, kind, "test-person", on, payload)


def sample_payloads() -> dict[str, dict]:
    before = make_case()
    moved = make_case(
        detention={
            "place": {"en": "Colony 2"},
            "address": "IK-2",
            "source": "src",
            "as_of": "2026-05-20",
        },
        events=[{"on": "2026-05-20", "text": {"en": "Moved."}, "source": "src"}],
    )
    freed = make_case(
        status="released",
        status_as_of="2026-05-30",
        released_on="2026-05-29",
        events=[{"on": "2026-05-29", "text": {"en": "Freed."}, "source": "src"}],
    )
    # Free since 2026, held again; and dead in custody.
    free = make_case(
        status="released", status_as_of="2026-03-20", released_on="2026-03-19", detention=None
    )
    again = make_case(
        status="detained",
        status_as_of="2026-10-02",
        detained_on="2026-10-01",
        sentence=None,
        earlier_detentions=[{"detained_on": "2021-05-05", "released_on": "2026-03-19"}],
        events=[{"on": "2026-10-01", "text": {"en": "Detained again."}, "source": "src"}],
    )
    died = make_case(
        status="deceased",
        status_as_of="2026-11-30",
        released_on="2026-11-20",
        events=[{"on": "2026-11-20", "text": {"en": "Died."}, "source": "src"}],
    )
    today = date(2026, 12, 1)
    newly = make_case(
        "anna-new",
        name={"en": "Anna New", "be": "Анна Новая", "ru": "Анна Новая"},
        status="detained",
        detained_on="2026-10-01",
        sentence=None,
        detention=None,
    )

    def with_told(before, after):
        change = describe_change(before, after)
        return {**change, **told(alert_kind(change), before, after, today)}

    def with_sources(before, after):
        change = describe_change(before, after)
        return {**change, "sources": cited(after, change)}

    name = before.name
    status = status_payload(before)
    return {
        "re_arrest": {
            **with_told(free, again),
            "sources": cited(again, describe_change(free, again)),
        },
        "death": with_told(before, died),
        "new_person": {"people": [newcomer(before), newcomer(newly)], "total": 2},
        "detention_anniversary": {"name": name, "years": 5, "days": None},
        "sentence_anniversary": {"name": name, "years": 4, "days": None},
        "days_milestone": {"name": name, "years": None, "days": 1500},
        "birthday": {"name": name, "years": 46, "days": None},
        "term_end": {"name": name, "years": None, "days": None},
        "case_update": with_sources(before, moved),
        "release": with_sources(before, freed),
        "statement": {"title": {"en": "A title"}, "text": {"en": "Words."}, "url": "https://e.org"},
        "confirm_status": {**status, "when": "day", "events": [{"kind": "birthday", "years": 46}]},
        "status_review": {"total": 1, "stale_days": 90, "cases": [status]},
        "card_reminder": {"name": name, "years": 46, "birthday": "2026-05-19", "days": 14},
        "days_missed": {
            "first": "2026-04-28",
            "last": "2026-04-30",
            "catch_up_days": 3,
            "total": 1,
            "events": [{"on": "2026-04-29", "kind": "birthday", "name": name, "years": 46}],
        },
        "clock_back": {"last_day": "2026-05-06"},
        "sync_fetch_failed": {
            "reason": "web_page",
            "url": "https://prisoners.example.org/ru/list",
            "status": None,
            "title": "Just a moment...",
            "detail": None,
            "limit_mb": 5.0,
            "every_hours": 6,
        },
        "sync_review": {
            "snapshot": {
                "id": 3,
                "as_of": "2026-05-30",
                "rows": 8696,
                "files": 3,
                "languages": ["ru", "be", "en"],
                "origin": "cli",
            },
            "held": None,
            "held_counts": [],
            "counts": [["released", 14], ["question", 2]],
            "bound": 3,
        },
    }


@pytest.mark.parametrize("language", LANGUAGES)
# A digest is written from the day's stored alerts, not a payload (tests/test_digests.py).
@pytest.mark.parametrize("kind", sorted(kind for kind in KINDS if kind != "digest"))
@pytest.mark.parametrize("with_case", [True, False], ids=["case", "no-case"])
def test_every_kind_renders_as_one_message(kind, language, with_case):
    case = make_case() if with_case else None
    parts = alert_parts(messages, delivery(kind, language, sample_payloads()[kind]), case)
    assert len(parts) == 1
    assert parts[0].strip()
    if kind != "statement":
        assert parts[0].count("<b>") >= 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_event_of_the_bundled_cases_renders(language):
    # All five are free now: not one date of theirs is an alert.
    assert events_between(BUNDLED, date(2025, 12, 1), date(2027, 12, 31)) == []
    # A year of real dates, as if they were still held: the shapes real data
    # takes (no sentence, no address...).
    held = [replace(case, status="sentenced", released_on=None) for case in BUNDLED]
    by_slug = {case.slug: case for case in held}
    events = events_between(held, date(2026, 1, 1), date(2026, 12, 31))
    assert events
    for event in events:
        case = by_slug[event.slug]
        payload = event_payload(event, case)
        [text] = alert_parts(messages, delivery(event.kind, language, payload, event.on), case)
        assert "{" not in text and "None" not in text


@pytest.mark.parametrize(
    ("kind", "language", "expected"),
    [
        ("days_milestone", "pl", "⛓ Test Person: dziś 1 500 dni za kratami"),
        ("days_milestone", "be", "⛓ Тэст Асоба: сёння 1 500 дзён за кратамі"),
        ("birthday", "pl", "🎂 Test Person obchodzi dziś 46. urodziny za kratami."),
        ("birthday", "ru", "🎂 Тест Персона: сегодня день рождения, 46 лет, за решёткой."),
        ("detention_anniversary", "pl", "🗓 Test Person: dziś 5 lat od zatrzymania."),
        ("sentence_anniversary", "pl", "⚖️ Test Person: dziś 4 lata od wyroku"),
        (
            "release",
            "pl",
            "🕊 Test Person na wolności.\nStatus: na wolności według stanu na 30 maja 2026",
        ),
        (
            "re_arrest",
            "en",
            "🔒 Test Person has been detained again.\nDetained on 1 October 2026.\n"
            "Now held in: Penal colony No. 1\nLetters to: IK-1, Street 1, 220000\n"
            "The previous detention: 5 May 2021 to 19 March 2026, 1,779 days in detention.\n"
            "• 1 October 2026: Detained again.",
        ),
        (
            "death",
            "en",
            "🕯 Test Person has died.\n"
            "Died in custody on 20 November 2026, after 2,025 days in detention.\n"
            "• 20 November 2026: Died.",
        ),
        (
            "new_person",
            "en",
            "🆕 2 political prisoners are new to the bot.\n"
            "This chat follows everyone, so it gets their alerts too.\n\n"
            "• Anna New: detained on 1 October 2026 (source, 1 January 2025)\n"
            "• Test Person: detained on 5 May 2021, held in Penal colony No. 1"
            " (source, 1 January 2025)",
        ),
        (
            "new_person",
            "pl",
            "🆕 Nowi w bocie: 2 więźniowie polityczni.\n"
            "Ten czat obserwuje wszystkich, więc dostaje powiadomienia także o nich.\n\n"
            "• Anna New: zatrzymanie — 1 października 2026 (źródło, 1 stycznia 2025)\n",
        ),
        ("re_arrest", "be", "🔒 Тэст Асоба зноў пад вартай.\nЗатрыманне: 1 кастрычніка 2026."),
        (
            "death",
            "ru",
            "🕯 Нет в живых: Тест Персона.\n"
            "Смерть под стражей: 20 ноября 2026; в заключении: 2 025 дней.",
        ),
    ],
)
def test_alert_texts_read_naturally(kind, language, expected):
    [text] = alert_parts(messages, delivery(kind, language, sample_payloads()[kind]), None)
    plain = re.sub(r"<[^>]+>", "", text).replace("\xa0", " ")
    assert plain.startswith(expected)


@pytest.mark.parametrize(
    ("language", "mark"),
    [("en", ""), ("be", " (па-англійску)"), ("ru", " (на английском)"), ("pl", " (po angielsku)")],
)
def test_an_event_with_no_translation_is_marked_english(language, mark):
    # The sample update's place and event exist only in English.
    [text] = alert_parts(
        messages, delivery("case_update", language, sample_payloads()["case_update"]), None
    )
    plain = re.sub(r"<[^>]+>", "", text)
    assert f"Colony 2{mark}\n" in plain
    assert f": Moved.{mark}\n" in plain


# A command a reader would have to type: a slash starting a word.
COMMAND = re.compile(r"(?:^|\s)/[a-z]")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", CASE_KINDS)
def test_in_a_channel_an_alert_links_the_name_cites_its_source_and_asks_for_no_command(
    kind, language
):
    in_channel = replace(
        delivery(kind, language, sample_payloads()[kind]), chat_id=-100, chat_kind="channel"
    )
    reader = Reader("casewatch_bot", 36500)
    composed = compose_alert(messages, in_channel, make_case(), date(2026, 5, 5), None, reader)
    [text] = composed.parts
    assert '<a href="https://t.me/casewatch_bot?start=test-person">' in text
    # The source's title is English only: marked so for a reader of another language.
    mark = {"en": "", "be": "(па-англійску)", "ru": "(на английском)", "pl": "(po angielsku)"}
    title = f"A source <i>{mark[language]}</i>" if mark[language] else "A source"
    assert f'<a href="https://example.org/src">{title}</a>' in text
    assert COMMAND.search(re.sub(r"<[^>]+>", "", text)) is None
    buttons = [button for row in composed.keyboard.inline_keyboard for button in row]
    assert buttons[0].url == "https://t.me/casewatch_bot?start=test-person"
    # Deep links and the source, no callback any reader could press for the channel;
    # but a group's own switch for its card reminders (its admins alone may press it).
    assert all(button.url or button.callback_data.startswith("rmd:x:") for button in buttons)


@pytest.mark.parametrize("kind", ["release", "birthday"])
def test_an_alert_queued_before_alerts_cited_cites_the_status_source(kind):
    payload = {key: value for key, value in sample_payloads()[kind].items() if key != "sources"}
    [text] = alert_parts(messages, delivery(kind, "pl", payload), make_case())
    assert text.endswith(
        '<i>Źródło: <a href="https://example.org/src">A source <i>(po angielsku)</i></a>, '
        "1 stycznia 2025</i>"
    )


def test_a_statement_in_a_channel_leaves_read_in_full_to_its_button():
    payload = {**sample_payloads()["statement"], "statement_id": 7, "more": True}
    private = alert_parts(messages, delivery("statement", "en", payload), None)
    in_channel = replace(delivery("statement", "en", payload), chat_id=-100, chat_kind="channel")
    composed = compose_alert(messages, in_channel, None, reader=Reader("casewatch_bot"))
    assert "/statement_7" in private[0]
    assert "/statement_7" not in composed.parts[0]
    assert [row[0].url for row in composed.keyboard.inline_keyboard] == [
        "https://t.me/casewatch_bot?start=statement-7",
        "https://e.org",
    ]
