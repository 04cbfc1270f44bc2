"""The calendar: hand-checked dates, leap years, release, and range = union of days.

Expected dates are written out as literals, worked by hand (counts in the
comments), so the tests do not share arithmetic with the code they check.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alerts.calendar import CalendarEvent, events_between, events_on
from cases.facts import days_behind_bars
from cases.model import STATUSES, Case, Sentence

RELEASED_STATUSES = ("released", "in_exile", "deceased")


def make_case(
    slug: str = "test-person",
    *,
    status: str = "sentenced",
    birth: date | None = None,
    detained: date | None = None,
    released: date | None = None,
    sentenced: date | None = None,
    years: int = 0,
    months: int = 0,
    ends_on: date | None = None,
) -> Case:
    """A minimal case: only the fields the calendar reads vary."""
    sentence = None
    if sentenced is not None:
        sentence = Sentence(
            years=years,
            months=months,
            sentenced_on=sentenced,
            court={"en": "Court"},
            articles=["342.1"],
            source="src",
            as_of=sentenced,
            ends_on=ends_on,
        )
    return Case(
        slug=slug,
        name={"en": slug},
        status=status,
        status_as_of=date(2025, 1, 1),
        status_source="src",
        sources=[],
        birth_date=birth,
        detained_on=detained,
        released_on=released,
        sentence=sentence,
    )


def kinds_on(case: Case, day: date) -> list[tuple[str, int | None, int | None]]:
    return [(e.kind, e.years, e.days) for e in events_on([case], day)]


# --- the event and its key -------------------------------------------------


def test_key_is_kind_slug_date():
    event = CalendarEvent(date(2025, 3, 3), "sentence_anniversary", "ales-b", years=2)
    assert event.key == "sentence_anniversary:ales-b:2025-03-03"


def test_events_are_frozen():
    event = CalendarEvent(date(2025, 3, 3), "term_end", "x")
    with pytest.raises(AttributeError):
        event.slug = "y"  # type: ignore[misc]


# --- days behind bars ------------------------------------------------------

HELD_SINCE_2021 = make_case(detained=date(2021, 7, 14))
RELEASED_2025 = make_case(
    status="released", detained=date(2021, 7, 14), released=date(2025, 12, 13)
)


@pytest.mark.parametrize(
    ("case", "today", "expected"),
    [
        # The day of arrest is day 0, the next day is day 1.
        (HELD_SINCE_2021, date(2021, 7, 14), 0),
        (HELD_SINCE_2021, date(2021, 7, 15), 1),
        (HELD_SINCE_2021, date(2021, 7, 13), None),  # not yet detained
        (HELD_SINCE_2021, date(2022, 7, 14), 365),
        # 2022-07-14 is 365, 2023-07-14 is 730, 2024-07-14 is 1096 (29 Feb 2024).
        (HELD_SINCE_2021, date(2024, 7, 14), 1096),
        # Before release the count runs to today: 2025-07-14 is 1461, +18 days.
        (RELEASED_2025, date(2025, 8, 1), 1479),
        # After release it stops at release: 1461 + 17 (Jul) + 31 + 30 + 31 + 30 + 13.
        (RELEASED_2025, date(2025, 12, 13), 1613),
        (RELEASED_2025, date(2030, 1, 1), 1613),
        (make_case(), date(2025, 1, 1), None),  # detention date unknown
        # Released with no release date: unknown, not "until today".
        (make_case(status="deceased", detained=date(2021, 7, 14)), date(2025, 1, 1), None),
        # A held person's released_on is from an earlier detention: ignored.
        (
            make_case(detained=date(2023, 1, 10), released=date(2022, 5, 1)),
            date(2023, 1, 20),
            10,
        ),
    ],
)
def test_days_behind_bars(case, today, expected):
    assert days_behind_bars(case, today) == expected


# --- milestones of days behind bars ----------------------------------------


@pytest.mark.parametrize(
    ("day", "days"),
    [
        # 2022-07-14 is day 365; +17 (to Jul 31) +31 +30 +31 +26 = 500.
        (date(2022, 11, 26), 500),
        # 2023-07-14 is day 730; +17 +31 +30 +31 +30 +31 +31 +29 (2024 leap) +31 +9 = 1000.
        (date(2024, 4, 9), 1000),
        # 2025-07-14 is day 1461; +17 +22 = 1500.
        (date(2025, 8, 22), 1500),
        # 2026-07-14 is day 1826; +17 +31 +30 +31 +30 +31 +4 = 2000.
        (date(2027, 1, 4), 2000),
    ],
)
def test_milestones_every_500_days(day, days):
    assert kinds_on(HELD_SINCE_2021, day) == [("days_milestone", None, days)]
    assert days_behind_bars(HELD_SINCE_2021, day) == days
    # The days either side are ordinary days.
    assert events_on([HELD_SINCE_2021], day - timedelta(days=1)) == []
    assert events_on([HELD_SINCE_2021], day + timedelta(days=1)) == []


def test_day_zero_is_not_a_milestone():
    assert events_on([HELD_SINCE_2021], date(2021, 7, 14)) == []


def test_milestone_counts_from_29_february():
    # 2020-02-29 to 2021-02-28 is 365 days; +31 +30 +31 +30 +13 = 500.
    case = make_case(detained=date(2020, 2, 29))
    assert kinds_on(case, date(2021, 7, 13)) == [("days_milestone", None, 500)]


def test_milestones_between_over_years():
    found = events_between([HELD_SINCE_2021], date(2021, 7, 14), date(2027, 1, 4))
    milestones = [(e.on, e.days) for e in found if e.kind == "days_milestone"]
    assert milestones == [
        (date(2022, 11, 26), 500),
        (date(2024, 4, 9), 1000),
        (date(2025, 8, 22), 1500),
        (date(2027, 1, 4), 2000),
    ]


# --- birthdays, with 29 February -------------------------------------------

LEAP_BORN = make_case(birth=date(2000, 2, 29), detained=date(2020, 6, 1))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2023, 2, 28), [("birthday", 23, None)]),  # non-leap: 28 Feb
        (date(2023, 3, 1), []),
        (date(2024, 2, 29), [("birthday", 24, None)]),  # leap: the day itself
        (date(2024, 2, 28), []),
        (date(2024, 3, 1), []),
        (date(2100, 2, 28), [("birthday", 100, None)]),  # 2100 is not a leap year
    ],
)
def test_birthday_on_29_february(day, expected):
    assert kinds_on(LEAP_BORN, day) == expected


def test_birthday_gives_the_age_reached():
    case = make_case(birth=date(1962, 9, 25), detained=date(2021, 7, 14))
    assert kinds_on(case, date(2025, 9, 25)) == [("birthday", 63, None)]
    assert kinds_on(case, date(2025, 9, 24)) == []


def test_no_birthday_card_before_the_arrest():
    case = make_case(birth=date(1962, 9, 25), detained=date(2021, 7, 14))
    assert kinds_on(case, date(2020, 9, 25)) == []
    assert kinds_on(case, date(2021, 9, 25)) == [("birthday", 59, None)]


def test_birthday_when_detention_date_unknown():
    # Held with no detention date: still a card to send.
    case = make_case(birth=date(1980, 1, 5))
    assert kinds_on(case, date(2026, 1, 5)) == [("birthday", 46, None)]


# --- anniversaries ---------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2021, 7, 14), []),  # the arrest itself is not an anniversary
        (date(2022, 7, 14), [("detention_anniversary", 1, None)]),
        (date(2025, 7, 14), [("detention_anniversary", 4, None)]),
        (date(2025, 7, 13), []),
        (date(2025, 7, 15), []),
    ],
)
def test_detention_anniversary(day, expected):
    assert kinds_on(HELD_SINCE_2021, day) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2021, 2, 28), [("detention_anniversary", 1, None)]),
        (date(2021, 3, 1), []),
        (date(2024, 2, 29), [("detention_anniversary", 4, None)]),
        (date(2024, 2, 28), []),
    ],
)
def test_detention_anniversary_on_29_february(day, expected):
    case = make_case(detained=date(2020, 2, 29))
    assert kinds_on(case, day) == expected


def test_sentence_anniversary():
    case = make_case(detained=date(2021, 7, 14), sentenced=date(2023, 3, 3), years=10)
    assert kinds_on(case, date(2023, 3, 3)) == []
    assert kinds_on(case, date(2025, 3, 3)) == [("sentence_anniversary", 2, None)]


def test_sentence_anniversary_on_29_february():
    case = make_case(detained=date(2023, 6, 1), sentenced=date(2024, 2, 29), years=5)
    assert kinds_on(case, date(2025, 2, 28)) == [("sentence_anniversary", 1, None)]
    assert kinds_on(case, date(2025, 3, 1)) == []
    assert kinds_on(case, date(2028, 2, 29)) == [("sentence_anniversary", 4, None)]
    assert kinds_on(case, date(2028, 2, 28)) == []


def test_sentence_in_absentia_counts_only_once_held():
    # Sentenced in 2019 in absentia, detained in 2022: no anniversary while free.
    case = make_case(detained=date(2022, 5, 1), sentenced=date(2019, 4, 10), years=8)
    assert kinds_on(case, date(2021, 4, 10)) == []
    assert kinds_on(case, date(2022, 4, 10)) == []
    assert kinds_on(case, date(2023, 4, 10)) == [("sentence_anniversary", 4, None)]


def test_detained_without_sentence_has_no_sentence_events():
    case = make_case(status="detained", detained=date(2024, 10, 1))
    assert kinds_on(case, date(2025, 10, 1)) == [("detention_anniversary", 1, None)]
    found = events_between([case], date(2024, 10, 1), date(2030, 12, 31))
    assert {e.kind for e in found} == {"detention_anniversary", "days_milestone"}


# --- end of term -----------------------------------------------------------


def test_term_end_computed_from_detention():
    # 10 years from 2021-07-14 (add_months): 2031-07-14.
    case = make_case(detained=date(2021, 7, 14), sentenced=date(2023, 3, 3), years=10)
    assert kinds_on(case, date(2031, 7, 14)) == [
        ("detention_anniversary", 10, None),
        ("term_end", None, None),
    ]
    assert [e.kind for e in events_on([case], date(2031, 7, 15))] == []


def test_term_end_with_months_from_31st():
    # 1 year 1 month from 2024-01-31: February 2025 has 28 days.
    case = make_case(detained=date(2024, 1, 31), sentenced=date(2024, 6, 1), years=1, months=1)
    assert ("term_end", None, None) in kinds_on(case, date(2025, 2, 28))


def test_term_end_explicit_date_wins():
    case = make_case(
        detained=date(2021, 7, 14),
        sentenced=date(2023, 3, 3),
        years=10,
        ends_on=date(2030, 1, 20),
    )
    assert kinds_on(case, date(2030, 1, 20)) == [("term_end", None, None)]
    assert "term_end" not in [e.kind for e in events_on([case], date(2031, 7, 14))]


def test_anniversaries_go_on_after_term_end_while_still_held():
    case = make_case(detained=date(2021, 7, 14), sentenced=date(2021, 9, 1), years=2)
    assert kinds_on(case, date(2023, 7, 14)) == [
        ("detention_anniversary", 2, None),
        ("term_end", None, None),
    ]
    assert kinds_on(case, date(2024, 7, 14)) == [("detention_anniversary", 3, None)]


# --- released people get nothing -------------------------------------------


@pytest.mark.parametrize("status", RELEASED_STATUSES)
def test_released_people_get_nothing(status):
    case = make_case(
        status=status,
        birth=date(2000, 2, 29),
        detained=date(2021, 7, 14),
        released=date(2025, 12, 13),
        sentenced=date(2023, 3, 3),
        years=10,
    )
    # Days that would carry an event for a held person, before and after release.
    for day in [
        date(2022, 11, 26),  # day 500
        date(2024, 2, 29),  # birthday
        date(2024, 3, 3),  # sentence anniversary
        date(2025, 7, 14),  # detention anniversary
        date(2031, 7, 14),  # term end
    ]:
        assert events_on([case], day) == []
    assert events_between([case], date(2021, 1, 1), date(2035, 12, 31)) == []


@pytest.mark.parametrize("status", ["detained", "sentenced"])
def test_held_statuses_count(status):
    case = make_case(status=status, detained=date(2021, 7, 14))
    assert kinds_on(case, date(2025, 7, 14)) == [("detention_anniversary", 4, None)]


# --- several cases, ordering, ranges ---------------------------------------


def test_same_day_events_sorted_by_kind_then_slug():
    day = date(2025, 7, 14)
    cases = [
        make_case("zz-second", detained=date(2021, 7, 14), birth=date(1990, 7, 14)),
        make_case("aa-first", detained=date(2022, 7, 14), sentenced=date(2023, 7, 14), years=5),
        make_case("mm-free", status="released", detained=date(2020, 7, 14)),
    ]
    assert [(e.kind, e.slug, e.years) for e in events_on(cases, day)] == [
        ("birthday", "zz-second", 35),
        ("detention_anniversary", "aa-first", 3),
        ("detention_anniversary", "zz-second", 4),
        ("sentence_anniversary", "aa-first", 2),
    ]


def test_events_between_next_30_days():
    cases = [
        make_case("ales-b", detained=date(2021, 7, 14), birth=date(1962, 9, 25)),
        make_case("leap", detained=date(2020, 6, 1), birth=date(2000, 2, 29)),
    ]
    found = events_between(cases, date(2025, 2, 10), date(2025, 3, 11))
    assert found == [
        CalendarEvent(date(2025, 2, 28), "birthday", "leap", years=25),
    ]
    found = events_between(cases, date(2025, 7, 1), date(2025, 7, 30))
    assert found == [
        CalendarEvent(date(2025, 7, 14), "detention_anniversary", "ales-b", years=4),
    ]
    found = events_between(cases, date(2025, 8, 1), date(2025, 8, 30))
    assert found == [
        CalendarEvent(date(2025, 8, 22), "days_milestone", "ales-b", days=1500),
    ]


def test_events_between_bounds_are_inclusive():
    found = events_between([HELD_SINCE_2021], date(2025, 7, 14), date(2025, 8, 22))
    assert [e.on for e in found] == [date(2025, 7, 14), date(2025, 8, 22)]


def test_events_between_empty_when_start_after_end():
    assert events_between([HELD_SINCE_2021], date(2025, 8, 23), date(2025, 7, 14)) == []


def test_events_between_single_day_equals_events_on():
    day = date(2031, 7, 14)
    case = make_case(detained=date(2021, 7, 14), sentenced=date(2023, 3, 3), years=10)
    assert events_between([case], day, day) == events_on([case], day)


def test_accepts_a_one_shot_iterable():
    cases = (c for c in [HELD_SINCE_2021])
    assert len(events_between(cases, date(2025, 7, 1), date(2025, 8, 31))) == 2


def test_same_case_twice_keeps_keys_unique():
    day = date(2025, 7, 14)
    assert len(events_on([HELD_SINCE_2021, HELD_SINCE_2021], day)) == 1
    found = events_between([HELD_SINCE_2021] * 2, date(2021, 1, 1), date(2030, 1, 1))
    assert len({e.key for e in found}) == len(found)


# --- properties ------------------------------------------------------------

# 29 February shows up often, as do the ends of months add_months clamps.
awkward_dates = st.sampled_from(
    [date(2000, 2, 29), date(2020, 2, 29), date(2024, 2, 29), date(2021, 1, 31), date(2023, 12, 31)]
)
dates = st.one_of(st.dates(date(1950, 1, 1), date(2035, 12, 31)), awkward_dates)


@st.composite
def cases_strategy(draw, slug: str) -> Case:
    sentenced = draw(st.none() | dates)
    return make_case(
        slug,
        status=draw(st.sampled_from(STATUSES)),
        birth=draw(st.none() | dates),
        detained=draw(st.none() | dates),
        released=draw(st.none() | dates),
        sentenced=sentenced,
        years=draw(st.integers(0, 15)),
        months=draw(st.integers(0, 11)),
        ends_on=draw(st.none() | dates),
    )


case_lists = st.integers(0, 6).flatmap(
    lambda n: st.tuples(*[cases_strategy(f"case-{i}") for i in range(n)]).map(list)
)


# No deadline: these tests check answers, never speed.
@settings(deadline=None, max_examples=200)
@given(
    cases=case_lists,
    start=st.one_of(st.dates(date(1990, 1, 1), date(2036, 12, 31)), awkward_dates),
    length=st.integers(0, 800),
)
def test_range_is_union_of_days(cases, start, length):
    end = start + timedelta(days=length)
    day_by_day = [
        event
        for offset in range(length + 1)
        for event in events_on(cases, start + timedelta(days=offset))
    ]
    found = events_between(cases, start, end)
    assert found == sorted(day_by_day)
    assert found == sorted(found, key=lambda e: (e.on, e.kind, e.slug))
    assert len({e.key for e in found}) == len(found)


@settings(deadline=None, max_examples=200)
@given(cases=case_lists, start=dates, length=st.integers(0, 800))
def test_events_only_for_held_people_and_milestones_match_count(cases, start, length):
    by_slug = {case.slug: case for case in cases}
    for event in events_between(cases, start, start + timedelta(days=length)):
        case = by_slug[event.slug]
        assert case.is_held
        assert case.detained_on is None or case.detained_on <= event.on
        if event.kind == "days_milestone":
            assert event.days is not None and event.days > 0 and event.days % 500 == 0
            assert days_behind_bars(case, event.on) == event.days
        elif event.kind == "term_end":
            assert event.on == case.term_ends_on()
        else:
            assert event.years is not None and event.years >= 1
