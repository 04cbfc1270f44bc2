"""A person detained more than once, and dates known only in part.

Re-arrest after release is the ordinary case in Belarus: the current
detention moves into the case's history whole, and the card counts from
the new arrest without the notes (a letters ban, an exile) of the last one.
"""

from __future__ import annotations

import io
from datetime import date

import pytest

from cases.codec import CaseFormatError, case_from_dict, case_to_dict
from cases.dates import PartialDate
from cases.edits import detained_again
from cases.files import read_cases_text, write_cases
from tests.test_alerts_support import make_case, settle
from tests.test_case_admin_support import (
    OTHER,
    OWNER,
    audit_entries,
    case_bot,
    stored_case,
    with_buttons,
)

LETTERS_BAN = {
    "kind": "letters",
    "text": {"en": "Letters barred by the colony."},
    "source": "src",
    "as_of": "2025-01-01",
}
FREED = {
    "status": "in_exile",
    "status_as_of": "2026-03-19",
    "released_on": "2026-03-19",
    "notes": [
        LETTERS_BAN,
        {
            "kind": "other",
            "text": {"en": "Freed and taken to Lithuania."},
            "source": "src",
            "as_of": "2026-03-19",
        },
    ],
}
EARLIER = {
    "detained_on": "2011-08-04",
    "released_on": "2014-06-21",
    "records": ["1001"],
    "notes": [LETTERS_BAN],
}


def test_a_case_with_earlier_detentions_and_partial_dates_round_trips_every_format():
    case = make_case(
        birth_date=None,
        born_in="1980",
        detained_on=None,
        detained_in="2021-05",
        sentence=None,
        earlier_detentions=[EARLIER, {"detained_in": "2015-02", "released_on": "2016-01-10"}],
        list_person="person/test-person",
        list_records=["1002", "1003"],
    )
    assert case.born_in == PartialDate(1980) and case.birth_date is None
    assert case.detained_in == PartialDate(2021, 5) and case.birth_year == 1980
    assert [period.released_on for period in case.earlier] == [
        date(2014, 6, 21),
        date(2016, 1, 10),
    ]
    for fmt in ("yaml", "json", "csv"):
        stream = io.StringIO()
        write_cases([case], fmt, stream)
        [again] = read_cases_text(stream.getvalue(), fmt, f"cases.{fmt}")
        assert case_to_dict(again) == case_to_dict(case), fmt


def test_an_old_file_has_one_detention():
    case = make_case()
    assert case.earlier == [] and case.list_records == [] and case.list_person is None
    assert "earlier_detentions" not in case_to_dict(case)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"born_in": "1980-05"}, "born_in", "must not be given with birth_date"),
        ({"born_in": "May 1980", "birth_date": None}, "born_in", "must be a year YYYY"),
        ({"detained_in": "2021-13", "detained_on": None}, "detained_in", "must be a year"),
        ({"earlier_detentions": [{}]}, "earlier_detentions[0]", "needs"),
        (
            {"earlier_detentions": [{"detained_on": "2019-01-01", "released_on": "2018-01-01"}]},
            "earlier_detentions[0].released_on",
            "must not be before detained_on",
        ),
        (
            {"earlier_detentions": [{"detained_on": "2020-01-01", "released_on": "2022-01-01"}]},
            "detained_on",
            "must not be before the last earlier release",
        ),
        (
            {
                "earlier_detentions": [
                    {"detained_on": "2015-01-01", "released_on": "2016-01-01"},
                    {"detained_on": "2011-01-01", "released_on": "2012-01-01"},
                ]
            },
            "earlier_detentions[1]",
            "oldest first",
        ),
        ({"list_records": ["12 34"]}, "list_records[0]", "record id"),
        ({"list_person": "https://x/y z"}, "list_person", "page's path"),
    ],
)
def test_bad_periods_and_partial_dates_are_refused_with_the_field(changes, field, message):
    with pytest.raises(CaseFormatError) as error:
        make_case(**changes)
    assert error.value.field == field
    assert message in error.value.message


def test_a_partial_detention_in_the_month_of_the_last_release_is_not_refused():
    # July 2021 may well be after 15 July 2021: only a surely earlier date is refused.
    case = make_case(
        detained_on=None,
        detained_in="2021-07",
        sentence=None,
        earlier_detentions=[{"detained_on": "2020-01-01", "released_on": "2021-07-15"}],
    )
    assert case.detained_known == PartialDate(2021, 7)


def test_detained_again_keeps_the_last_detention_whole_and_starts_bare():
    freed = make_case(**FREED, list_records=["7"])
    again = detained_again(freed, date(2026, 12, 1), records=["9"])
    [period] = again.earlier
    assert (period.detained_on, period.released_on) == (date(2021, 5, 5), date(2026, 3, 19))
    assert period.sentence == freed.sentence and period.detention == freed.detention
    assert period.notes == freed.notes and period.records == ["7"]
    assert (again.detained_on, again.released_on, again.sentence, again.detention) == (
        date(2026, 12, 1),
        None,
        None,
        None,
    )
    assert again.notes == [] and again.list_records == ["9"]
    # What it builds is a valid case.
    assert case_from_dict(case_to_dict(again), "again") == again


async def test_setstatus_detained_on_a_free_person_starts_a_new_detention(settings, api):
    freed = make_case(**FREED, earlier_detentions=[EARLIER])
    async with case_bot(settings, api, cases=[freed, OTHER]) as (app, driver):
        before = (await driver.send("/defender test-person"))[0].plain
        assert "Free since 19 March 2026" in before
        command = "/setstatus Test Person detained 2026-05-28 https://example.org/arrest"
        preview = await driver.send(command, user_id=OWNER)
        await driver.press(with_buttons(preview), "✅ Confirm")
        await settle(app)

        case = await stored_case(app, "test-person")
        assert (case["status"], case["detained_on"]) == ("detained", "2026-05-28")
        assert "released_on" not in case and "notes" not in case and "sentence" not in case
        assert [period.get("detained_on") for period in case["earlier_detentions"]] == [
            "2011-08-04",
            "2021-05-05",
        ]
        assert case["earlier_detentions"][1]["released_on"] == "2026-03-19"
        assert case["earlier_detentions"][1]["notes"][0]["text"]["en"].startswith("Letters")

        [message] = await driver.send("/defender test-person")
        card = message.plain
        # Days from the new arrest (NOW is 1 June 2026), not from 2021, and nothing of
        # the last detention as if it were today's.
        assert "Detained on 28 May 2026: 4 days behind bars." in card
        assert "Free since" not in card
        assert "Letters barred" not in card and "Lithuania" not in card
        assert "Penal colony No. 1" not in card
        # The earlier detentions are on the card's timeline.
        *_, timeline = await driver.press(message, "🗓 Timeline")
        assert "Detained before:" in timeline.plain
        assert "• 5 May 2021 to 19 March 2026, 1,779 days in detention" in timeline.plain
        assert "• 4 August 2011 to 21 June 2014, 1,052 days in detention" in timeline.plain
        assert "Penal colony No. 1" not in timeline.plain
        [entry] = await audit_entries(app)
        assert entry.action == "case.status"
        assert "earlier_detentions" in {change.field for change in entry.changes}


@pytest.mark.parametrize("language", ["en", "be", "ru", "pl"])
async def test_a_card_shows_dates_known_only_in_part_as_known(settings, api, language):
    partial = make_case(
        birth_date=None, born_in="1980", detained_on=None, detained_in="2021-05", sentence=None
    )
    async with case_bot(settings, api, cases=[partial, OTHER]) as (_app, driver):
        card = (await driver.send("/defender test-person", language_code=language))[0].plain
        expected = {
            "en": ("Born in 1980.", "Detained in May 2021."),
            "be": ("Дата нараджэння: 1980.", "Затрыманне: май 2021."),
            "ru": ("Дата рождения: 1980.", "Задержание: май 2021."),
            "pl": ("Data urodzenia: 1980.", "Zatrzymanie: maj 2021."),
        }[language]
        for line in expected:
            assert line in card
        assert "behind bars" not in card  # no day count from a day nobody reported
