"""How /setstatus and /update read their arguments, and how the changed case is built."""

from __future__ import annotations

from datetime import date

import pytest

from cases.catalogue import Catalogue
from cases.edit_words import STATUS_WORDS, EditProblem, parse_date, status_from_words
from cases.edits import (
    StatusRequest,
    parse_setstatus,
    split_update,
    validated,
    with_event,
    with_status,
)
from cases.model import STATUSES
from cases.new_case import suggest_slug
from languages import LANGUAGES
from messages.render import Messages
from tests.test_case_admin_support import OTHER, make_case

TODAY = date(2026, 6, 1)
URL = "https://example.org/r"
CATALOGUE = Catalogue([make_case(), OTHER])


@pytest.mark.parametrize(
    ("words", "status"),
    [
        ("released", "released"),
        ("Released", "released"),
        ("вызвалены", "released"),
        ("освобождён", "released"),
        ("освобождена", "released"),
        ("на свободе", "released"),
        ("in exile", "in_exile"),
        ("in_exile", "in_exile"),
        ("на волі, у выгнанні", "in_exile"),
        ("в изгнании", "in_exile"),
        ("затрыманы", "detained"),
        ("задержана", "detained"),
        ("асуджаны", "sentenced"),
        ("осуждён", "sentenced"),
        ("памёр", "deceased"),
        ("умерла", "deceased"),
        ("zwolniona", "released"),
        ("na wolności", "released"),
        ("na wolności, na wygnaniu", "in_exile"),
        ("w areszcie", "detained"),
        ("odbywa karę", "sentenced"),
        ("zmarł", "deceased"),
        ("nie zyje", "deceased"),
        # A woman's, a man's and the plural form, in each language (issue 16).
        ("вызвалена", "released"),
        ("вызвалены", "released"),
        ("вызваленыя", "released"),
        ("освобождена", "released"),
        ("освобожден", "released"),
        ("освобождены", "released"),
        ("zwolniona", "released"),
        ("zwolniony", "released"),
        ("zwolnieni", "released"),
        ("памерла", "deceased"),
        ("памёр", "deceased"),
        ("памер", "deceased"),  # ё typed as е
        ("умерла", "deceased"),
        ("умер", "deceased"),
        ("zmarła", "deceased"),
        ("zmarl", "deceased"),
        ("затрымана", "detained"),
        ("задержана", "detained"),
        ("zatrzymana", "detained"),
        ("асуджана", "sentenced"),
        ("осуждены", "sentenced"),
        ("skazana", "sentenced"),
        ("у выгнанні", "in_exile"),
        ("ў выгнанні", "in_exile"),
        ("в изгнании", "in_exile"),
        ("na emigracji", "in_exile"),
        ("дэпартавана", "in_exile"),
        ("deportowana", "in_exile"),
    ],
)
def test_status_words_in_four_languages(words, status):
    request = parse_setstatus(f"Test Person {words} 2026-05-30 {URL}", TODAY)
    assert request == StatusRequest("Test Person", status, date(2026, 5, 30), URL)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("status", STATUSES)
def test_the_status_names_the_bot_shows_are_understood(status, lang):
    shown = Messages().label("status", lang, value=status)
    assert status_from_words(shown) == status, shown


def test_no_word_means_two_statuses():
    # Every word reads as the status it is listed under, so none is listed under two.
    for status, words in STATUS_WORDS.items():
        assert {status_from_words(word) for word in words} == {status}


@pytest.mark.parametrize("word", ["transferred", "переведён", "этапаваны", "przeniesiony"])
def test_a_transfer_is_an_event(word):
    with pytest.raises(EditProblem) as raised:
        parse_setstatus(f"Test Person {word} 2026-05-30 {URL}", TODAY)
    assert raised.value.key == "event_not_status"


@pytest.mark.parametrize(
    ("text", "key"),
    [("2026-02-30", "bad_date"), ("30/05/2026", "bad_date"), ("2026-06-02", "future_date")],
)
def test_dates(text, key):
    assert parse_date("30.05.2026", TODAY) == parse_date("2026-05-30", TODAY) == date(2026, 5, 30)
    with pytest.raises(EditProblem) as raised:
        parse_date(text, TODAY)
    assert raised.value.key == key


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("Test Person | Moved to colony No. 2", ("Test Person", "Moved to colony No. 2", None)),
        ("Test Person\nMoved, at last", ("Test Person", "Moved, at last", None)),
        ("Test Person Moved " + URL, ("Test Person", "Moved", URL)),
        ("test-person | Moved", ("test-person", "Moved", None)),
        ("Person Moved", ("Person", "Moved", None)),  # ambiguous: the handler asks which
    ],
)
def test_update_splits_name_text_and_link(args, expected):
    assert split_update(args, CATALOGUE.search) == expected


def test_event_and_status_changes_pass_the_codec():
    case = make_case()
    moved = validated(with_event(case, "Moved", "be", TODAY, URL), TODAY)
    assert moved.events[-1].text == {"en": "Moved", "be": "Moved"}
    with pytest.raises(EditProblem) as raised:
        with_event(moved, "Moved", "en", TODAY, URL)
    assert raised.value.key == "duplicate_event"
    # The same link twice is one source.
    assert len(validated(with_event(moved, "Again", "en", TODAY, URL), TODAY).sources) == 2

    exile = StatusRequest("x", "in_exile", date(2026, 5, 30), URL)
    released = with_status(case, exile, TODAY)
    assert released.released_on == date(2026, 5, 30)
    # Already free: a later move into exile keeps the day of release.
    later = StatusRequest("x", "in_exile", date(2026, 5, 31), "https://example.org/later")
    assert with_status(released, later, TODAY).released_on == date(2026, 5, 30)


def test_slug_suggestions_step_around_taken_ones():
    taken = {"ales-bialiatski", "ales-bialiatski-2"}
    assert suggest_slug("Ales Bialiatski", taken.__contains__) == "ales-bialiatski-3"
    assert suggest_slug("José Núñez", taken.__contains__) == "jose-nunez"
    # Cyrillic is romanised (a place may have no Latin name); what has no ASCII base drops out.
    assert suggest_slug("Ян", taken.__contains__) == "yan"
    assert suggest_slug("ПК № 15, Наваполацк", taken.__contains__) == "pk-no-15-navapolatsk"
    assert suggest_slug("Łł", taken.__contains__) == "case"


@pytest.mark.parametrize("word", ["today", "Today", "сёння", "сегодня", "dziś", "dzis", "dzisiaj"])
def test_today_is_a_date(word):
    assert parse_date(word, TODAY) == TODAY
    request = parse_setstatus(f"Test Person zwolniona {word} {URL}", TODAY)
    assert request == StatusRequest("Test Person", "released", TODAY, URL)
