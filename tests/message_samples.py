"""A representative context for every message, for tests that render them all.

Each message has one or more contexts that take its branches (a problem of
each kind, a channel or this chat, one or many). Values people type or that
come from files carry markup (``HOSTILE``): whatever a test renders must
escape them. Built from the bundled cases, so a card has every part.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from alerts.calendar import CalendarEvent
from bot import BUNDLED_CASES, LETTER_GUIDE, load_stats
from cases.dates import PartialDate
from cases.facts import card_facts
from cases.files import read_cases
from cases.letter_guide import read_letter_guide
from cases.letters import BornMark, Letter, Refusal, letter_for
from cases.model import Address, Detention, Note, PastDetention, Place, Source
from cases.regions import REGIONS
from cases.releases import ReleaseRequest
from handlers.shared.menu import ADMIN_COMMANDS, OWNER_COMMANDS
from storage.dashboard import ChatCounts, DeliveryCounts
from storage.statements import Listed, Statement
from sync.reconcile import APPLICABLE as SYNC_APPLICABLE
from sync.reconcile import KINDS as SYNC_KINDS

TODAY = date(2026, 11, 25)
HOSTILE = "<b>x</b> & co"
CHANNEL = "Viasna <news> & more"
STALE_DAYS = 90
CASES = {case.slug: case for case in read_cases(BUNDLED_CASES, today=TODAY)}
# Free since 19 March 2026, in exile; notes that mattered only while she was held.
FREED = CASES["marfa-rabkova"]
# As she was before: sentenced, an address, notes, an appeal; the editors confirmed
# the status three weeks ago.
HELD = replace(
    FREED,
    slug="held-person",
    status="sentenced",
    status_as_of=date(2025, 12, 15),
    status_source="hrw-2025-12-15",
    status_confirmed_on=date(2026, 11, 4),
    released_on=None,
    detention=Detention(
        source="viasna-rabkova",
        as_of=date(2025, 7, 14),
        inline_place={"en": "Penal colony No. 4, Homel", "be": "Папраўчая калонія № 4, Гомель"},
        inline_address="ИК № 4, вул. Антошкина, 3, 246035, г. Гомель",
    ),
)
# Held, last confirmed on 15 December 2025: stale.
STALE = replace(HELD, slug="stale-person", status_confirmed_on=None)
# A sentence with no articles and an appeal with no date: the card's other wordings.
PLAIN_SENTENCE = replace(
    HELD, sentence=replace(HELD.sentence, articles=[], appeal_on=None), slug="plain-sentence"
)
# The other leads of a card about someone no longer held.
NO_LONGER_HELD = [
    replace(FREED, slug="dead-after-release", status="deceased"),
    replace(FREED, slug="dead-in-custody", status="deceased", released_on=None),
    replace(FREED, slug="free-no-date", status="released", released_on=None),
    replace(FREED, slug="free-no-detention", detained_on=None),
]
# A place record with its own address, source and as-of date, and a region.
PLACE = Place(
    key="ik-4",
    name={"en": "Penal colony No. 4, Homel", "ru": "ИК-4, Гомель"},
    source=Source("ik-4", "Places <of> detention & co", "https://example.org/places?a=1&b=2"),
    as_of=date(2026, 11, 1),
    region="homel",
    address=Address(["ИК-4", "ул. Антошкина, 3", "г. Гомель"], "246035"),
)
IN_PLACE = replace(
    HELD,
    slug="in-place",
    region="homel",
    detention=Detention(HELD.status_source, date(2026, 10, 1), place_key="ik-4", record=PLACE),
)
# Detained again after a release, with dates known only in part: a card's history.
DETAINED_AGAIN = replace(
    HELD,
    slug="detained-again",
    birth_date=None,
    born_in=PartialDate(1984),
    detained_on=None,
    detained_in=PartialDate(2026, 4),
    sentence=None,
    earlier=[
        PastDetention(detained_on=date(2011, 8, 4), released_on=date(2014, 6, 21)),
        PastDetention(detained_in=PartialDate(2020, 9), released_on=date(2021, 3, 2)),
        PastDetention(released_on=date(2022, 5, 5)),
        PastDetention(detained_on=date(2023, 1, 9)),
    ],
)
# A sentence as the list of political prisoners gives it: no court named.
NO_COURT = replace(HELD, slug="no-court", sentence=replace(HELD.sentence, court=None))
ALL_CASES = [
    *CASES.values(),
    replace(IN_PLACE, slug="sample-person", sample=True),
    NO_COURT,
    HELD,
    STALE,
    PLAIN_SENTENCE,
    IN_PLACE,
    DETAINED_AGAIN,
    *NO_LONGER_HELD,
]
# Letters: the bundled guide; someone with a patronymic in the aliases, someone without
# one or a birth date, someone whose letters are barred.
GUIDE = read_letter_guide(LETTER_GUIDE, TODAY)
WRITABLE = replace(
    IN_PLACE,
    slug="writable",
    name={"en": "Marfa Rabkova", "be": "Марфа Рабкова", "ru": "Марфа Рабкова"},
    aliases=["Рабкова Марфа Уладзіміраўна", "Рабкова Марфа Владимировна"],
    notes=[],
)
NO_PATRONYMIC = replace(WRITABLE, slug="no-patronymic", aliases=[], birth_date=None)
BARRED = replace(
    WRITABLE,
    notes=[
        Note(
            "letters",
            {"en": "Letters <to her> are not delivered.", "ru": "Письма не доходят."},
            "hrw-2025-12-15",
            date(2026, 10, 1),
        )
    ],
)
# A guide that writes the year of birth on the envelope, with a source for it.
BORN_GUIDE = replace(
    GUIDE,
    born=BornMark(
        {"be": "г.н.", "ru": "г.р."},
        Source("s", "A <source> & co", "https://example.org/b?a=1&b=2"),
        date(2026, 1, 2),
    ),
)
# In a remand prison, before a verdict, with a unit: the rules for the detained.
IN_UNIT = replace(
    WRITABLE,
    slug="in-unit",
    status="detained",
    sentence=None,
    detention=replace(WRITABLE.detention, unit="<14>"),
)
LETTERS: list[Letter] = [
    *(
        letter_for(case, GUIDE, TODAY, STALE_DAYS)
        for case in (WRITABLE, NO_PATRONYMIC, replace(WRITABLE, sample=True), IN_UNIT)
    ),
    *(letter_for(case, BORN_GUIDE, TODAY, STALE_DAYS) for case in (WRITABLE, NO_PATRONYMIC)),
]
REFUSALS: list[Refusal] = [
    letter_for(case, GUIDE, TODAY, STALE_DAYS)
    for case in (FREED, NO_LONGER_HELD[1], BARRED, STALE, HELD)
]

_UPDATE_PAYLOAD = {
    "name": {"en": "Test Person", "be": "Тэст Асоба", "ru": "Тест Персона"},
    "status": {"before": "sentenced", "after": "released"},
    "status_as_of": date(2026, 5, 30),
    "dates": {
        "released_on": {"before": None, "after": date(2026, 5, 29)},
        "term_ends_on": {"before": date(2027, 1, 1), "after": None},
    },
    "term": {"before": [3, 0], "after": [2, 6]},
    "place": {"place": {"en": "Colony 2", "be": "Калонія 2"}, "address": HOSTILE},
    "events": [{"on": date(2026, 5, 29), "text": {"en": "Freed <early>."}}],
}
# A re-arrest: the new detention's start (a day, or a partial date's text), where held,
# the detention the last release ended (alerts.updates.told).
_RE_ARREST_PAYLOADS = [
    {
        **_UPDATE_PAYLOAD,
        "status": {"before": "released", "after": "detained"},
        "detained": date(2026, 10, 1),
        "earlier": {
            "detained_on": date(2021, 5, 5),
            "detained_in": None,
            "released_on": date(2026, 3, 19),
        },
    },
    {
        **_UPDATE_PAYLOAD,
        "place": {"place": {"en": HOSTILE}, "address": None},
        "detained": "2026-10",
        "earlier": {"detained_on": None, "detained_in": "2020-09", "released_on": None},
    },
    {**_UPDATE_PAYLOAD, "place": None, "events": [], "detained": None, "earlier": None},
]
# A death: held or not, the day when known, the days of the last detention.
_DEATH_PAYLOADS = [
    {**_UPDATE_PAYLOAD, "in_custody": custody, "died_on": died, "released_on": freed, "days": days}
    for custody, died, freed, days in (
        (True, date(2026, 11, 20), None, 2025),
        (True, date(2026, 11, 20), None, None),
        (True, None, None, None),
        (False, None, date(2026, 3, 19), 1779),
        (False, None, date(2026, 3, 19), None),
        (False, None, None, None),
    )
]
# People new to the bot, as alerts.texts.newcomer_entries lists them: every way a
# detention is known, and enough of them to say how many more.
_NEWCOMERS = [
    {"slug": "a", "name": HOSTILE, "place": {"en": HOSTILE}, "detained": date(2026, 10, 1)},
    {"slug": "b", "name": "Ales", "place": None, "detained": date(2026, 10, 1)},
    {"slug": "c", "name": "Bona", "place": {"en": "IK-4"}, "detained": "2026-10"},
    {"slug": "d", "name": "Cira", "place": None, "detained": "2024"},
    {"slug": "e", "name": "Dana", "place": {"en": "IK-4", "be": "ПК-4"}, "detained": None},
    {"slug": "f", "name": "Eva", "place": None, "detained": None},
]
_MANY_NEWCOMERS = [{**_NEWCOMERS[1], "slug": f"p{n}", "name": f"P{n:04d}"} for n in range(1234)]
_STATUS = {
    "slug": "held-person",
    "name": {"en": HOSTILE},
    "status": "sentenced",
    "confirmed_on": date(2025, 12, 15),
    "check": "0a1b2c3d",
}
_ASKED_EVENTS = [
    {"kind": "birthday", "years": 32, "days": None},
    {"kind": "detention_anniversary", "years": 6, "days": None},
    {"kind": "sentence_anniversary", "years": 4, "days": None},
    {"kind": "days_milestone", "years": None, "days": 2000},
    {"kind": "term_end", "years": None, "days": None},
    {"kind": "card_reminder", "years": 32, "days": 14},
]
# A missed day's alerts, as the editors' report lists them (alerts.catch_up).
_MISSED_EVENTS = [
    (event["kind"], {"years": event["years"], "days": event["days"]})
    for event in _ASKED_EVENTS
    if event["kind"] != "card_reminder"
]
_STATEMENT_PAYLOAD = {
    "statement_id": 7,
    "title": {"en": "Free them <all>"},
    "date": date(2025, 7, 14),
    "url": "https://example.org/?a=1&b=2",
    "text": {"en": '<b>Bold</b> and <i>italic</i> &amp; a <a href="https://example.org">link</a>'},
    "more": True,
}


# Where an alert's news comes from (cases.citations): a hostile title and link, and a second.
_CITED = [
    {"url": "https://example.org/?a=1&b=2", "title": {"en": HOSTILE}, "on": date(2026, 5, 30)},
    {"url": "https://example.org/b", "title": {"en": "B", "be": "Б"}, "on": date(2026, 5, 29)},
]
# In a group or a channel: every name links to the person's card in the bot.
_CARD_LINK = "https://t.me/casewatch_bot?start=writable"
_PUBLIC = {"public": True, "name_link": _CARD_LINK, "sources": _CITED[:1]}


_LIST = {"page": 1, "pages": 1, "region": "", "place": "", "sort": "name"}
# A search's name with a birth year or region that fits somebody (nothing said), and
# the ones that fit nobody: a year, a region, both Minsks, a year and a region.
_NARROWED_OK = {"unmet_year": None, "unmet_regions": []}
_UNMET = [
    {"unmet_year": 1990, "unmet_regions": []},
    {"unmet_year": None, "unmet_regions": ["homel"]},
    {"unmet_year": None, "unmet_regions": ["minsk", "minsk-city"]},
    {"unmet_year": 1990, "unmet_regions": ["homel"]},
]


def _case_preview(action: str, kind: str | None, audience: int) -> dict:
    return {
        "action": action,
        "before": HELD,
        "after": FREED,
        "kind": kind,
        "audience": audience,
        "today": TODAY,
        "text": HOSTILE,
        "translations": [("be", HOSTILE), ("pl", "Przeniesiona")] if audience else [],
        "url": "https://example.org/report?a=1&b=2" if audience else None,
    }


def _progress(**changes) -> dict:
    values = {
        "statement_id": 3,
        "title": HOSTILE,
        "total": 1200,
        "sent": 600,
        "failed": 2,
        "unreachable": 1,
        "cancelled": 0,
        "remaining": 597,
        "eta_minutes": 3,
        "finished": False,
        "stopped": False,
    }
    return {**values, **changes}


def _releases_preview(**changes) -> dict:
    values = {
        "request": ReleaseRequest(date(2026, 3, 19), "in_exile", "https://example.org/?a=1&b=2"),
        "matched": [
            {
                "text": HOSTILE,
                "name": "Marfa Rabkova",
                "slug": "marfa-rabkova",
                "kind": kind,
                "why": "released_on: must not be before detained_on <x>",
            }
            for kind in ("matched", "free", "repeated", "refused")
        ],
        "uncertain": [
            {"text": HOSTILE, "names": ["A <b>", "B & C"], "skipped": skipped}
            for skipped in (False, True)
        ],
        "not_found": [HOSTILE, "Ihar Losik"],
        "more_not_found": 212,
        "changing": 2,
    }
    return {**values, **changes}


def _addcase(step: str, problem: str | None = None, **values) -> dict:
    suggestion = "ales-bialiatski" if step in ("slug", "source_title") else None
    return {
        "step": step,
        "number": 3,
        "total": 13,
        "suggestion": suggestion,
        "problem": problem,
        "values": values,
    }


ADDCASE_STEPS = [
    "name_en",
    "slug",
    "name_be",
    "name_ru",
    "name_pl",
    "name_de",
    "role",
    "status",
    "status_date",
    "released_on",
    "source_url",
    "source_title",
    "place",
    "place_name",
    "place_address",
    "place_postcode",
    "detained_on",
    "birth_date",
    "sentence",
]
ADDCASE_PROBLEMS = {
    "empty": {},
    "too_long": {"limit": 300},
    "bad_slug": {"given": HOSTILE},
    "slug_taken": {"given": HOSTILE},
    "bad_date": {"given": HOSTILE},
    "future_date": {"given": date(2027, 1, 1), "today": TODAY},
    "bad_url": {"given": HOSTILE},
    "bad_status": {"given": HOSTILE},
    "event_not_status": {"given": HOSTILE},
    "born_after_detention": {"detained": date(2020, 9, 17)},
    "detained_after_release": {"released": date(2020, 9, 17)},
    "sentenced_before_detention": {"detained": date(2020, 9, 17)},
    "bad_months": {"given": 14},
    "bad_sentence": {},
    "name_is_date": {"given": HOSTILE},
    "name_has_digits": {"given": HOSTILE},
    "no_place": {"given": HOSTILE},
    "places_found": {"given": HOSTILE, "count": 1},
    "bad_address": {"lines": 6, "limit": 100},
    "bad_postcode": {"given": HOSTILE},
}
CASE_PROBLEMS = [
    "update_usage",
    "setstatus_usage",
    "bad_date",
    "future_date",
    "bad_status",
    "event_not_status",
    "needs_source",
    "bad_url",
    "duplicate_event",
    "too_long",
    "no_change",
    "invalid",
]


# Viasna's list in Telegram (alerts/sync_notices.py, handlers/upkeep/sync_review.py).
_SYNC_SNAPSHOT = {
    "id": 7,
    "as_of": date(2026, 11, 30),
    "rows": 8696,
    "files": 3,
    "languages": ["ru", "be", "en"],
    "origin": "cli",
}
# Every kind, counted so each plural form of each language is reached.
_SYNC_COUNTS = [
    [kind, count] for kind, count in zip(SYNC_KINDS, [1, 2, 5, 21, 1234] * 3, strict=False)
]


def _sync_shown(**changes) -> dict:
    values = {
        "snapshot": _SYNC_SNAPSHOT,
        "held": None,
        "held_counts": [],
        "counts": _SYNC_COUNTS,
        "bound": 7,
    }
    return {**values, **changes}


_SYNC_HELD = {
    "rows": 512,
    "files": 1,
    "last": {**_SYNC_SNAPSHOT, "as_of": date(2026, 11, 23)},
    "missing": ["prison", HOSTILE],
}


def _sync_outcome(result: str | None, **values) -> dict:
    done = {
        "result": result,
        "kind": "released",
        "applied": 0,
        "done": 0,
        "refused": [],
        "queued": 0,
        "confirmed": 0,
        "as_of": TODAY,
    }
    return {**done, **values}


_LISTED_ROW = {
    "name": HOSTILE,
    "status": "held",
    "born": PartialDate.parse("1980-05"),
    "arrested": PartialDate.parse("2021-05-05"),
    "released": PartialDate.parse("2026"),
    "died": PartialDate.parse("2026-11-20"),
    "place": HOSTILE,
    "sentence": HOSTILE,
    "verdict": PartialDate.parse("2022-03-03"),
    "articles": ["342.1", "361-1.1"],
    "earlier": 2,
    "url": "https://example.org/person?a=1&b=2",
}


def _sync_change(kind: str | None, decided: dict | None = None, **changes) -> dict:
    values = {
        "decided": decided,
        "kind": kind,
        "left": 21,
        "name": HOSTILE,
        "slug": "held-person",
        "as_of": TODAY,
        "person": "person/<x>",
        "listed": _LISTED_ROW,
        "case": HELD,
        "place": None,
        "candidates": [],
    }
    return {**values, **changes}


def _sync_decided(result: str, **values) -> dict:
    return {"result": result, "name": HOSTILE, "queued": 0, "why": "<why>", "state": "", **values}


def samples() -> list[tuple[str, dict]]:
    """(message key, context) pairs: every message at least once."""
    stats = load_stats()
    statement = Statement(
        id=7,
        title=HOSTILE,
        on_date=date(2025, 7, 14),
        source_url="https://example.org/?a=1&b=2",
        body_html="<b>Bold</b> &amp; <i>italic</i>",
        slugs=("marfa-rabkova",),
        created_by=None,
        published_at=datetime(2025, 7, 14, tzinfo=UTC),
    )
    birthday = CalendarEvent(TODAY, "birthday", HELD.slug, years=32)
    days = [
        (TODAY, [(CalendarEvent(TODAY, "detention_anniversary", HELD.slug, years=6), HELD)]),
        (date(2026, 12, 1), [(birthday, HELD), (birthday, FREED)]),
        (
            date(2026, 12, 6),
            [
                (CalendarEvent(TODAY, "days_milestone", HELD.slug, days=1500), HELD),
                (CalendarEvent(TODAY, "sentence_anniversary", HELD.slug, years=1), HELD),
                (CalendarEvent(TODAY, "term_end", HELD.slug), HELD),
            ],
        ),
    ]
    groups = [
        ("detention_anniversary", days[0][1]),
        ("birthday", days[1][1]),
        ("days_milestone", days[2][1][:1]),
        ("sentence_anniversary", days[2][1][1:2]),
        ("term_end", days[2][1][2:]),
    ]
    page = {"page": 2, "pages": 1234, "start": TODAY, "end": date(2026, 12, 1)}
    nothing = {"next_day": None, "next_groups": [], "next_more": 0}
    # What alerts.texts.compose_alert gives every alert: in a private chat, citing no
    # source, with no envelope and no link on the name, unless a sample says otherwise.
    alert = {
        "name": HOSTILE,
        "on_date": TODAY,
        "today": TODAY,
        "public": False,
        "name_link": None,
        "sources": [],
        "letter": None,
    }
    # Sent after its day: a day caught up late says which day it is about.
    yesterday = {**alert, "on_date": date(2026, 11, 24)}
    days_ago = {**alert, "on_date": date(2026, 11, 22)}
    pairs: list[tuple[str, dict]] = [
        ("about", {"latest_as_of": date(2025, 12, 15)}),
        *(("addcase_ask", _addcase(step)) for step in ADDCASE_STEPS),
        *(("addcase_ask", _addcase("status", p, **v)) for p, v in ADDCASE_PROBLEMS.items()),
        ("addcase_ask", _addcase("place", "places_found", given=HOSTILE, count=1234)),
        *(
            ("addcase_done", {"result": result, "field": "name.en", "message": HOSTILE})
            for result in ("cancelled", "timeout", "invalid")
        ),
        ("addcase_summary", {"case": HELD, "new_place": None}),
        ("addcase_summary", {"case": FREED, "new_place": None}),
        ("addcase_summary", {"case": IN_PLACE, "new_place": PLACE}),
        (
            "admin_dashboard",
            {
                "chats": ChatCounts(
                    {"private": (12, 1), "group": (3, 0), "supergroup": (1, 1), "channel": (2, 0)},
                    {"en": 5, "be": 7, "pl": 6},
                    [("blocked", 1), ("removed", 2), ("cannot_post", 1), ("odd", 1)],
                ),
                "active": 14,
                "switched_off": 1,
                "followed": [{"name": HOSTILE, "count": 3}],
                "follow_everyone": 2,
                "deliveries": DeliveryCounts(3, 1200, 4, 1, [("Forbidden: <bot> blocked", 1)]),
                "held": [
                    {"kind": kind, "name": HOSTILE, "on": TODAY, "state": state}
                    for kind, state in (
                        ("birthday", "held"),
                        ("detention_anniversary", "expired"),
                        ("sentence_anniversary", "expired"),
                        ("days_milestone", "held"),
                        ("term_end", "expired"),
                    )
                ],
                "held_days": 30,
                "runs": [
                    {
                        "name": "daily_alerts",
                        "last_day": TODAY,
                        "ran_at": datetime(2026, 11, 25, 10),
                    },
                    {"name": "other", "last_day": TODAY, "ran_at": datetime(2026, 11, 25, 10)},
                ],
                "backups_on": True,
                "backup": {"ok": False, "at": datetime(2026, 11, 25, 10), "error": HOSTILE},
            },
        ),
        (
            "admin_dashboard",
            {
                "chats": ChatCounts({}, {}, []),
                "active": 0,
                "switched_off": 0,
                "followed": [],
                "follow_everyone": 0,
                "deliveries": DeliveryCounts(0, 0, 0, 0, []),
                "held": [],
                "held_days": 30,
                "runs": [],
                "backups_on": False,
                "backup": None,
            },
        ),
        *(
            (
                "admin_dashboard",
                {
                    "chats": ChatCounts({}, {}, []),
                    "active": 0,
                    "switched_off": 0,
                    "followed": [],
                    "follow_everyone": 0,
                    "deliveries": DeliveryCounts(0, 0, 0, 0, []),
                    "runs": [],
                    "held": [],
                    "held_days": 30,
                    "backups_on": True,
                    "backup": backup,
                },
            )
            for backup in (None, {"ok": True, "at": datetime(2026, 11, 25, 10), "error": None})
        ),
        (
            "admins",
            {
                "owners": [9001],
                "editors": [{"user_id": 1001, "granted_on": TODAY, "granted_by": 9001}],
            },
        ),
        ("admins", {"owners": [9001], "editors": []}),
        ("admins_added", {"user_id": 1001, "menu_set": True}),
        ("admins_added", {"user_id": 1001, "menu_set": False}),
        ("admins_bad_id", {"given": HOSTILE}),
        *(
            ("admins_refused", {"problem": problem, "user_id": 1001})
            for problem in ("already_editor", "not_editor", "owner_add", "owner_remove")
        ),
        ("admins_removed", {"user_id": 1001}),
        ("admins_usage", {}),
        ("alert_birthday", {**alert, "case": HELD, "payload": {"years": 31}}),
        *(
            (
                "alert_card_reminder",
                {
                    **alert,
                    "case": case,
                    "payload": {"years": 31, "birthday": date(2026, 12, 9), "days": 14},
                    "letter_rules": GUIDE.first_rules(case),
                },
            )
            for case in (IN_PLACE, IN_UNIT)
        ),
        (
            "alert_card_reminder",
            {
                **alert,
                "case": None,
                "payload": {"years": 21, "birthday": date(2026, 12, 9), "days": 1},
                "letter_rules": [],
            },
        ),
        (
            "alert_digest",
            {
                **alert,
                "total": 8,
                "newcomers": _NEWCOMERS,
                "groups": [
                    (
                        "birthday",
                        [
                            {"name": HOSTILE, "case": IN_PLACE, "payload": {"years": 31}},
                            {"name": "Test", "case": BARRED, "payload": {"years": 1}},
                            {"name": "Test", "case": FREED, "payload": {"years": 22}},
                            {"name": "Test", "case": None, "payload": {"years": 40}},
                        ],
                    ),
                    (
                        "detention_anniversary",
                        [{"name": HOSTILE, "case": HELD, "payload": {"years": 5}}],
                    ),
                    (
                        "sentence_anniversary",
                        [{"name": HOSTILE, "case": None, "payload": {"years": 1}}],
                    ),
                    (
                        "days_milestone",
                        [{"name": HOSTILE, "case": HELD, "payload": {"days": 1500}}],
                    ),
                    ("term_end", [{"name": HOSTILE, "case": HELD, "payload": {}}]),
                ],
            },
        ),
        (
            "alert_digest",
            {
                **yesterday,
                "total": 8,
                "newcomers": [],
                "groups": [
                    (
                        "birthday",
                        [
                            {"name": HOSTILE, "case": IN_PLACE, "payload": {"years": 31}},
                            {"name": "Test", "case": BARRED, "payload": {"years": 1}},
                            {"name": "Test", "case": FREED, "payload": {"years": 22}},
                            {"name": "Test", "case": None, "payload": {"years": 40}},
                        ],
                    ),
                    (
                        "detention_anniversary",
                        [{"name": HOSTILE, "case": HELD, "payload": {"years": 5}}],
                    ),
                    (
                        "sentence_anniversary",
                        [{"name": HOSTILE, "case": None, "payload": {"years": 1}}],
                    ),
                    (
                        "days_milestone",
                        [{"name": HOSTILE, "case": HELD, "payload": {"days": 1500}}],
                    ),
                    ("term_end", [{"name": HOSTILE, "case": HELD, "payload": {}}]),
                ],
            },
        ),
        (
            "alert_digest",
            {
                **alert,
                "total": 1,
                "newcomers": [],
                "groups": [("term_end", [{"name": "A", "case": None, "payload": {}}])],
            },
        ),
        *(
            ("alert_digest", {**context, "groups": [], "total": 0, "newcomers": newcomers})
            for context in (alert, yesterday)
            for newcomers in (_NEWCOMERS, _MANY_NEWCOMERS)
        ),
        ("alert_birthday", {**alert, "case": None, "payload": {"years": 22}}),
        # Someone who may be written to: the envelope, whose letters are handed over.
        *(
            (
                "alert_birthday",
                {
                    **context,
                    "case": WRITABLE,
                    "payload": {"years": 31},
                    "letter": letter,
                    "letter_rules": GUIDE.first_rules(WRITABLE),
                },
            )
            for context in (alert, {**yesterday, **_PUBLIC})
            for letter in LETTERS[:2]
        ),
        *(
            (key, {**alert, **_PUBLIC, "case": HELD, "payload": {"years": 5, "days": 1500}})
            for key in (
                "alert_days_milestone",
                "alert_detention_anniversary",
                "alert_sentence_anniversary",
                "alert_term_end",
            )
        ),
        *(
            ("alert_release", {**alert, "case": FREED, "payload": _UPDATE_PAYLOAD, **cited})
            for cited in ({"sources": _CITED}, _PUBLIC)
        ),
        ("alert_case_update", {**alert, **_PUBLIC, "case": HELD, "payload": _UPDATE_PAYLOAD}),
        (
            "alert_re_arrest",
            {**alert, **_PUBLIC, "case": HELD, "payload": _RE_ARREST_PAYLOADS[0]},
        ),
        ("alert_death", {**alert, **_PUBLIC, "case": None, "payload": _DEATH_PAYLOADS[0]}),
        (
            "alert_new_person",
            {
                **alert,
                **_PUBLIC,
                "case": None,
                "payload": {},
                "newcomers": [
                    {**entry, "url": _CARD_LINK, "source": _CITED[0]} for entry in _NEWCOMERS
                ],
            },
        ),
        ("alert_statement", {**alert, **_PUBLIC, "case": None, "payload": _STATEMENT_PAYLOAD}),
        # A channel's digest: each name a link to the card, each date its source, the
        # envelope of someone who may be written to, no command in the footer.
        (
            "alert_digest",
            {
                **alert,
                "public": True,
                "total": 3,
                "newcomers": [{**entry, "url": _CARD_LINK} for entry in _NEWCOMERS[:2]],
                "groups": [
                    (
                        "birthday",
                        [
                            {
                                "name": HOSTILE,
                                "case": WRITABLE,
                                "payload": {"years": 31},
                                "url": _CARD_LINK,
                                "sources": _CITED,
                                "letter": LETTERS[0],
                            },
                            {
                                "name": "Test",
                                "case": IN_PLACE,
                                "payload": {"years": 40},
                                "url": _CARD_LINK,
                                "sources": [],
                                "letter": None,
                            },
                        ],
                    ),
                    (
                        "days_milestone",
                        [
                            {
                                "name": HOSTILE,
                                "case": HELD,
                                "payload": {"days": 1500},
                                "url": _CARD_LINK,
                                "sources": _CITED[1:],
                                "letter": None,
                            }
                        ],
                    ),
                ],
            },
        ),
        *(
            ("alert_re_arrest", {**alert, "case": case, "payload": payload})
            for case in (HELD, None)
            for payload in _RE_ARREST_PAYLOADS
        ),
        *(
            ("alert_death", {**alert, "case": case, "payload": payload})
            for case in (NO_LONGER_HELD[1], None)
            for payload in _DEATH_PAYLOADS
        ),
        *(
            ("alert_new_person", {**alert, "case": None, "payload": {}, "newcomers": newcomers})
            for newcomers in (_NEWCOMERS[:1], _NEWCOMERS, _MANY_NEWCOMERS)
        ),
        ("alert_case_update", {**alert, "case": HELD, "payload": _UPDATE_PAYLOAD}),
        (
            "alert_case_update",
            {
                **alert,
                "case": HELD,
                "payload": {**_UPDATE_PAYLOAD, "term": {"before": None, "after": [1, 0]}},
            },
        ),
        ("alert_days_milestone", {**alert, "case": HELD, "payload": {"days": 2000}}),
        ("alert_days_milestone", {**alert, "case": None, "payload": {"days": 1001}}),
        ("alert_detention_anniversary", {**alert, "case": HELD, "payload": {"years": 5}}),
        ("alert_detention_anniversary", {**alert, "case": None, "payload": {"years": 1}}),
        ("alert_release", {**alert, "case": FREED, "payload": _UPDATE_PAYLOAD}),
        ("alert_release", {**alert, "case": None, "payload": _UPDATE_PAYLOAD}),
        ("alert_sentence_anniversary", {**alert, "case": HELD, "payload": {"years": 3}}),
        ("alert_sentence_anniversary", {**alert, "case": None, "payload": {"years": 21}}),
        ("alert_statement", {**alert, "case": None, "payload": _STATEMENT_PAYLOAD}),
        # Written in Russian, given in Belarusian too: a Polish reader sees it marked.
        (
            "alert_statement",
            {
                **alert,
                "case": None,
                "payload": {
                    **_STATEMENT_PAYLOAD,
                    "language": "ru",
                    "title": {"en": HOSTILE, "ru": HOSTILE, "be": "Вызваліць усіх"},
                    "text": {
                        **{code: _STATEMENT_PAYLOAD["text"]["en"] for code in ("en", "ru")},
                        "be": "<b>Вызваліць</b>",
                    },
                },
            },
        ),
        *(
            (
                "alert_confirm_status",
                {**alert, "case": STALE, "payload": {**_STATUS, "when": when, "events": events}},
            )
            for when, events in (("day", _ASKED_EVENTS), ("ahead", _ASKED_EVENTS[:1]))
        ),
        *(
            (
                "alert_status_review",
                {
                    **alert,
                    "case": None,
                    "payload": {"total": total, "stale_days": 90, "cases": [_STATUS] * shown},
                },
            )
            for total, shown in ((1, 1), (14, 10))
        ),
        ("alert_term_end", {**alert, "case": HELD}),
        ("alert_term_end", {**alert, "case": None}),
        ("alert_birthday", {**yesterday, "case": HELD, "payload": {"years": 31}}),
        ("alert_detention_anniversary", {**days_ago, "case": HELD, "payload": {"years": 5}}),
        ("alert_sentence_anniversary", {**yesterday, "case": HELD, "payload": {"years": 3}}),
        ("alert_sentence_anniversary", {**days_ago, "case": None, "payload": {"years": 21}}),
        ("alert_days_milestone", {**yesterday, "case": HELD, "payload": {"days": 2000}}),
        ("alert_days_milestone", {**days_ago, "case": None, "payload": {"days": 1001}}),
        ("alert_term_end", {**yesterday, "case": HELD}),
        ("alert_term_end", {**days_ago, "case": None}),
        (
            "alert_days_missed",
            {
                **alert,
                "case": None,
                "payload": {
                    "first": date(2026, 11, 10),
                    "last": date(2026, 11, 10),
                    "catch_up_days": 3,
                    "total": 25,
                    "events": [
                        {"on": date(2026, 11, 10), "kind": kind, "name": HOSTILE, **numbers}
                        for kind, numbers in _MISSED_EVENTS
                    ],
                },
            },
        ),
        (
            "alert_days_missed",
            {
                **alert,
                "case": None,
                "payload": {
                    "first": date(2026, 11, 10),
                    "last": date(2026, 11, 21),
                    "catch_up_days": 0,
                    "total": 0,
                    "events": [],
                },
            },
        ),
        ("alert_clock_back", {**alert, "case": None, "payload": {"last_day": date(2026, 11, 26)}}),
        *(
            (
                "alert_sync_fetch_failed",
                {
                    **alert,
                    "case": None,
                    "payload": {
                        "reason": reason,
                        "url": "https://prisoners.example.org/ru/list?a=1&b=<2>",
                        "status": 503 if reason == "http_status" else None,
                        "title": HOSTILE if reason == "web_page" else None,
                        "detail": HOSTILE if reason == "not_export" else None,
                        "limit_mb": 5.5,
                        "every_hours": hours,
                    },
                },
            )
            for reason, hours in (
                ("too_big", 1),
                ("timeout", 2),
                ("http_status", 5),
                ("not_https", 21),
                ("unreachable", 6),
                ("web_page", 6),
                ("empty", 6),
                ("not_export", 6),
            )
        ),
        ("ask_name", {}),
        *(
            ("letter", {"letter": letter, "name": HOSTILE, "detention_source": source})
            for letter in LETTERS
            for source in (WRITABLE.sources[0], None)
        ),
        *(("letter_rules", {"letter": letter, "name": HOSTILE}) for letter in LETTERS),
        *(("letter_greeting", {"letter": letter}) for letter in LETTERS),
        ("letter_ask_name", {}),
        *(
            ("letter_refused", {"refusal": refusal, "name": HOSTILE, "source": source})
            for refusal in REFUSALS
            for source in (FREED.sources[0], None)
        ),
        (
            "audit",
            {
                "entries": [
                    {
                        "at": datetime(2026, 11, 25, 10, 42, tzinfo=UTC),
                        "time": "10:42",
                        "actor_id": 9001,
                        "action": "case.status",
                        "target": HOSTILE,
                        "changes": [{"field": "status", "old": "sentenced", "new": "released"}],
                        "more": 2,
                        "details": [{"field": "file", "value": HOSTILE}],
                    },
                    {
                        "at": datetime(2026, 11, 24, 9, 0, tzinfo=UTC),
                        "time": "09:00",
                        "actor_id": 9001,
                        "action": "some.<new>.action",
                        "target": None,
                        "changes": [],
                        "more": 0,
                        "details": [],
                    },
                ]
            },
        ),
        ("audit", {"entries": []}),
        *(
            (view, {"case": case, "facts": card_facts(case, "en", TODAY, STALE_DAYS)})
            for case in ALL_CASES
            for view in ("card", "card_timeline", "card_sources")
        ),
        *(
            (
                "case_done",
                {
                    "result": "saved",
                    "action": action,
                    "name": HOSTILE,
                    "slug": "test-person",
                    "added": 2,
                    "changed": 1,
                    "queued": queued,
                },
            )
            for action, queued in (("case.import", 0), ("case.add", 1), ("case.status", 22))
        ),
        *(("case_done", {"result": result}) for result in ("cancelled", "stale", "expired")),
        ("case_missing", {}),
        *(
            (
                "status_confirmed",
                {
                    "result": result,
                    "name": HOSTILE,
                    "today": TODAY,
                    "status": "sentenced",
                    "as_of": date(2025, 12, 15),
                    "held": held,
                },
            )
            for result, held in (
                ("confirmed", 0),
                ("confirmed", 1),
                ("confirmed", 3),
                ("already", 0),
                ("changed", 0),
                ("missing", 0),
            )
        ),
        ("status_change_help", {"name": HOSTILE, "slug": "held-person", "today": TODAY}),
        ("translation_ask", {"language": "be", "limit": 1000, "note": False}),
        ("translation_ask", {"language": "ru", "limit": 1000, "note": True}),
        ("translation_ask", {"language": None, "limit": 0, "note": False}),
        *(
            ("releases_ask", {"step": step, "problem": None, "values": {"count": 3}})
            for step in ("list", "list_more", "date", "status", "source")
        ),
        ("releases_ask", {"step": "list_more", "problem": None, "values": {"count": 1}}),
        *(
            ("releases_ask", {"step": step, "problem": problem, "values": values})
            for step, problem, values in (
                ("list", "no_names", {}),
                ("list", "too_many", {"limit": 5000}),
                ("date", "bad_date", {"given": HOSTILE}),
                ("date", "future_date", {"given": date(2027, 1, 1), "today": TODAY}),
                ("source", "bad_url", {"given": HOSTILE}),
            )
        ),
        *(
            ("releases_preview", _releases_preview(**changes))
            for changes in ({}, {"changing": 1}, {"changing": 0, "matched": [], "uncertain": []})
        ),
        ("releases_preview", _releases_preview(not_found=[], more_not_found=0)),
        *(
            ("releases_done", {"result": "saved", "names": names, "queued": queued})
            for names, queued in (([HOSTILE], 1), ([HOSTILE, "Marfa Rabkova"], 0), (["A"] * 3, 9))
        ),
        *(
            ("releases_done", {"result": result})
            for result in ("nothing", "cancelled", "timeout", "stale", "expired")
        ),
        ("review_header", {"left": 1, "name": HOSTILE, "days": 351}),
        ("review_header", {"left": 12, "name": HOSTILE, "days": 91}),
        ("review_done", {"stale": 0, "stale_days": 90}),
        ("review_done", {"stale": 3, "stale_days": 90}),
        *(
            ("case_pick", {"kind": kind, "query": HOSTILE, "names": names})
            for kind, names in (("too_short", []), ("none", ["A"]), ("none", []))
        ),
        ("case_preview", _case_preview("case.status", "release", 5)),
        ("case_preview", _case_preview("case.status", "release", 0)),
        ("case_preview", _case_preview("case.status", "death", 21)),
        ("case_preview", _case_preview("case.status", "death", 0)),
        ("case_preview", _case_preview("case.update", "case_update", 1)),
        ("case_preview", _case_preview("case.update", "case_update", 0)),
        ("case_preview", _case_preview("case.update", None, 0)),
        *(
            (
                "case_problem",
                {
                    "problem": problem,
                    "given": date(2027, 1, 1) if problem == "future_date" else HOSTILE,
                    "today": TODAY,
                    "limit": 1000,
                    "field": "status",
                    "message": HOSTILE,
                },
            )
            for problem in CASE_PROBLEMS
        ),
        *(
            ("channel_added", {"channel": CHANNEL, "handle": "@viasnanews", "new": new})
            for new in (True, False)
        ),
        (
            "channel_list",
            {
                "channels": [
                    {"name": CHANNEL, "handle": "@a", "active": True, "off_reason": None},
                    {"name": CHANNEL, "handle": "@b", "active": False, "off_reason": "blocked"},
                ]
            },
        ),
        ("channel_list", {"channels": []}),
        ("channel_private_only", {}),
        *(
            ("channel_refused", {"problem": problem, "channel": CHANNEL})
            for problem in (
                "not_found",
                "not_channel",
                "bot_not_admin",
                "bot_cannot_post",
                "user_not_admin",
                "not_registered",
            )
        ),
        ("channel_removed", {"channel": CHANNEL}),
        ("channel_switched", {"channel": CHANNEL, "active": True, "off_reason": None}),
        ("channel_switched", {"channel": CHANNEL, "active": False, "off_reason": "cannot_post"}),
        ("channel_usage", {}),
        *(
            ("choose", {**values, **_NARROWED_OK})
            for values in (
                {"query": HOSTILE, "total": 2, "page": 1, "pages": 1},
                {"query": HOSTILE, "total": 1234, "page": 2, "pages": 50},
                {"query": None, "total": 21, "page": 3, "pages": 3},
            )
        ),
        # A year or region typed with the name that none of them fits, said first.
        *(
            ("choose", {"query": query, "total": 16, "page": 1, "pages": 2, **unmet})
            for query in (HOSTILE, None)
            for unmet in _UNMET
        ),
        ("choice_expired", {}),
        ("error", {}),
        *(("forget_confirm", {"channels": count}) for count in (0, 1, 3, 21)),
        ("forget_kept", {}),
        *(("forgotten", {"channels": count}) for count in (0, 1, 5)),
        ("help", {"staff": [], "owner": False}),
        # An owner's: every editor command, one the template has no line for (its menu label).
        (
            "help",
            {
                "staff": [
                    *((name, "") for name in ADMIN_COMMANDS),
                    ("later", HOSTILE),
                    *((name, "") for name in OWNER_COMMANDS),
                ],
                "owner": True,
            },
        ),
        ("language_prompt", {}),
        *(
            ("whoami", {"user_id": 123456789, "chat_id": 123456789, "private": True, **roles})
            for roles in (
                {"owner": True, "editor": True},
                {"owner": False, "editor": True},
                {"owner": False, "editor": False},
            )
        ),
        (
            "whoami",
            {"user_id": 1234, "chat_id": -1001234, "private": False, "owner": True, "editor": True},
        ),
        (
            "whoami",
            # An anonymous group admin: no user id of theirs.
            dict(user_id=None, chat_id=-1001234, private=False, owner=False, editor=False),
        ),
        ("language_set", {}),
        (
            "list",
            {
                **_LIST,
                "status_filter": "held",
                "total": 21,
                "pages": 1234,
                "region": "homel",
                "place": HOSTILE,
                "sort": "detained",
            },
        ),
        ("list", {**_LIST, "status_filter": "exile", "total": 0}),
        *(("list_menu", {"menu": menu}) for menu in ("region", "place", "letter")),
        ("not_admin", {}),
        *(
            (
                "not_found",
                {
                    "query": query,
                    "suggestions": suggestions,
                    "elsewhere": elsewhere,
                    **_NARROWED_OK,
                },
            )
            for query in (HOSTILE, None)  # None in a group: nothing typed is quoted
            for suggestions in ([], ["A<i>"], ["A<i>", "B&", "C"])
            for elsewhere in (True, False)
        ),
        *(
            (
                "not_found",
                {"query": query, "suggestions": ["A<i>"], "elsewhere": True, **unmet},
            )
            for query in (HOSTILE, None)
            for unmet in _UNMET
        ),
        ("publish_ask_body", {}),
        ("publish_ask_date", {"file_date": date(2025, 7, 14)}),
        ("publish_ask_date", {"file_date": None}),
        ("publish_ask_source", {}),
        ("publish_ask_title", {"file_title": HOSTILE}),
        ("publish_ask_title", {"file_title": None}),
        ("publish_defenders", {"statement_id": 7, "linked": 2}),
        ("publish_discarded", {}),
        ("publish_invalid", {"reason": "future", "day": date(2099, 7, 14), "limit_kb": 512}),
        *(
            ("publish_invalid", {"reason": reason, "limit_kb": 512})
            for reason in (
                "extension",
                "too_big",
                "encoding",
                "empty",
                "download",
                "not_text",
                "title",
                "date",
                "source",
            )
        ),
        ("publish_progress", _progress()),
        ("publish_progress", _progress(eta_minutes=None)),
        ("publish_progress", _progress(eta_minutes=0.5, cancelled=4)),
        ("publish_progress", _progress(finished=True)),
        ("publish_progress", _progress(finished=True, stopped=True, cancelled=597)),
        ("publish_stopping", {"statement_id": 3, "cancelled": 597, "sent": 603}),
        *(
            (
                "publish_summary",
                {
                    "statement_id": 7,
                    "more": more,
                    "names": names,
                    "total": total,
                    "languages": [{"name": "Polski", "count": total}],
                    "channels": channels,
                    "earlier": earlier,
                    "written_in": "ru",
                    "given": given,
                    "missing": missing,
                },
            )
            for more, names, total, channels, earlier, given, missing in (
                (True, [HOSTILE], 1, 1, None, [], ["en", "be", "pl"]),
                (False, [], 1234, 0, Listed(3, HOSTILE, date(2025, 7, 14)), ["be", "en"], ["pl"]),
                (False, [], 2, 0, None, ["be", "en", "pl"], []),
            )
        ),
        *(
            ("statement_languages", {"statement_id": 7, "written_in": "be", "given": given})
            for given in ([], ["en", "pl"])
        ),
        *(
            ("statement_translation", {"step": step, "language": "pl", **values})
            for step, values in (
                ("text", {"statement_id": 7, "limit_kb": 512}),
                ("title", {}),
                ("dropped", {}),
                *(
                    (
                        "saved",
                        {
                            "statement_id": 7,
                            "published": published,
                            "waiting": waiting,
                            "draft_open": draft_open,
                        },
                    )
                    for published, waiting, draft_open in (
                        (False, 0, True),
                        (False, 0, False),
                        (True, 1234, False),
                        (True, 0, False),
                    )
                ),
            )
        ),
        *(
            ("newcomers", {"entries": entries, "total": total, "page": page, "pages": pages})
            for entries, total, page, pages in (
                (_NEWCOMERS, 6, 1, 1),
                (_NEWCOMERS[:2], 1234, 3, 155),
                ([], 0, 1, 1),
            )
        ),
        ("publish_timeout", {"minutes": 30}),
        *(
            (
                "settings",
                {
                    "language": "pl",
                    "wants": {
                        "anniversaries": True,
                        "birthdays": False,
                        "updates": True,
                        "statements": False,
                    },
                    "active": active,
                    "off_reason": reason,
                    "channel": channel,
                    "mode": mode,
                    "digest": digest,
                    "everyone": everyone,
                    "broadly": broadly,
                    "follows": 2,
                    "over": 3,
                    "digest_time": "08:00",
                    "zone": zone,
                },
            )
            for active, reason, channel, mode, digest, everyone, broadly, zone in (
                (True, None, None, "auto", False, False, False, "Europe/Minsk"),
                (False, "removed", CHANNEL, "auto", True, True, True, "Europe/Minsk"),
                (True, None, None, "auto", True, False, True, "Europe/Warsaw"),
                (True, None, None, "digest", True, False, False, "UTC"),
                (True, None, None, "single", False, True, True, "Europe/Minsk"),
            )
        ),
        *(
            ("share_card", {"case": case, "facts": card_facts(case, "en", TODAY, STALE_DAYS)})
            for case in ALL_CASES
        ),
        ("start", {"count": 5}),
        *(
            (
                "statement",
                {
                    "statement": replace(statement, language=language),
                    "title": title,
                    "body": body,
                    "names": names,
                },
            )
            for language, title, body, names in (
                (None, {"en": HOSTILE}, {"en": statement.body_html}, [HOSTILE, "Marfa Rabkova"]),
                (
                    "be",
                    {"en": HOSTILE, "be": HOSTILE, "ru": "Освободить"},
                    {"en": statement.body_html, "be": statement.body_html, "ru": "<i>Да</i>"},
                    [],
                ),
            )
        ),
        ("statement_missing", {"statement_id": 999}),
        ("statement_usage", {}),
        (
            "statements",
            {
                "items": [Listed(7, HOSTILE, date(2025, 7, 14))],
                "page": 2,
                "pages": 3,
                "person": HOSTILE,
            },
        ),
        ("statements", {"items": [], "page": 1, "pages": 1, "person": None}),
        (
            "stats",
            {
                "counts": {"all": 6, "held": 3, "free": 2, "exile": 2, "deceased": 1},
                "latest_as_of": date(2025, 12, 15),
                **stats,
            },
        ),
        *(
            ("subscribe_usage", {"subscribing": subscribing, "channel": channel})
            for subscribing in (True, False)
            for channel in (None, CHANNEL)
        ),
        *(
            (
                key,
                {
                    "name": HOSTILE,
                    "changed": changed,
                    "everyone": everyone,
                    "by_area": by_area,
                    "channel": channel,
                    "held": held,
                },
            )
            for key in ("subscribed", "unsubscribed")
            for changed, everyone, by_area, channel in (
                (True, False, False, None),
                (True, True, False, CHANNEL),
                (False, True, False, None),
                (False, False, False, CHANNEL),
                (True, False, True, None),
                (True, False, True, CHANNEL),
            )
            for held in (True, False)
        ),
        *(
            (key, {"changed": changed, "channel": channel})
            for key in ("subscribed_all", "unsubscribed_all")
            for changed in (True, False)
            for channel in (None, CHANNEL)
        ),
        *(
            (
                "subscriptions",
                {
                    "names": names,
                    "regions": regions,
                    "places": places,
                    "muted": muted,
                    "everyone": everyone,
                    "channel": channel,
                    "total": total,
                    "page": 1,
                    "pages": -(-total // 10) or 1,
                },
            )
            for names, regions, places, muted, everyone, channel, total in (
                ([HOSTILE], [], [], [], True, None, 1),
                ([HOSTILE] * 10, [], [], [], False, None, 21),
                ([], [], [], [], False, CHANNEL, 0),
                ([], [], [], [], False, None, 0),
                ([], ["Homel region"], [HOSTILE], [HOSTILE, "Nasta Loika"], True, None, 0),
                ([HOSTILE], ["Homel region"], [], [], False, CHANNEL, 1),
                ([], [], [], [HOSTILE], False, None, 0),
            )
        ),
        ("area_choice", {}),
        *(
            (
                "followed_area",
                {
                    "area": HOSTILE,
                    "kind": kind,
                    "subscribing": subscribing,
                    "changed": changed,
                    "everyone": everyone,
                    "channel": channel,
                },
            )
            for kind in ("region", "place")
            for subscribing in (True, False)
            for changed, everyone, channel in (
                (True, False, None),
                (True, True, CHANNEL),
                (False, True, None),
                (False, False, CHANNEL),
            )
        ),
        ("slow_down", {"minutes": 1}),
        ("slow_down", {"minutes": 5}),
        ("too_short", {}),
        ("too_long", {}),
        ("unknown_command", {}),
        *(
            (
                "upcoming",
                {
                    "groups": groups,
                    "total": 21,
                    "today": TODAY,
                    "until": date(2026, 12, 25),
                    **page,
                    **scope,
                    **nothing,
                },
            )
            for scope in (
                {"scope": "followed", "followed": 2},
                {"scope": "followed", "followed": 1},
                {"scope": "everyone", "followed": 0},
                {"scope": "nobody_yet", "followed": 0},
                {"scope": "all", "followed": 0},
            )
        ),
        (
            "upcoming",
            {
                "groups": [],
                "total": 0,
                "today": TODAY,
                "until": TODAY,
                "scope": "all",
                "followed": 0,
                **page,
                **nothing,
            },
        ),
        *(
            (
                "upcoming",
                {
                    "groups": [],
                    "total": 0,
                    "today": TODAY,
                    "until": date(2026, 12, 24),
                    "scope": "followed",
                    "followed": 1,
                    **page,
                    "next_day": date(2027, 1, 6),
                    "next_groups": groups[1:2],
                    "next_more": more,
                },
            )
            for more in (0, 1, 1234)
        ),
        *(
            (
                "upload_problem",
                {
                    "problem": problem,
                    "file": HOSTILE,
                    "limit": 2,
                    "line": line,
                    "field": field,
                    "message": HOSTILE,
                },
            )
            for problem, line, field in (
                ("invalid", 7, "sentence.years"),
                ("invalid", None, None),
                ("type", 0, None),
                ("too_big", 0, None),
                ("not_utf8", 3, None),
                ("download", 0, None),
            )
        ),
        (
            "upload_summary",
            {
                "file": HOSTILE,
                "added": [{"name": HOSTILE, "slug": "new-person"}],
                "added_count": 3,
                "changed": [{"name": "Test Person", "slug": "test-person", "fields": ["role.pl"]}],
                "changed_count": 2,
                "unchanged_count": 1,
                "alerts": 1,
                "places_changed": 2,
            },
        ),
        (
            "upload_summary",
            {
                "file": "cases.csv",
                "added": [],
                "added_count": 0,
                "changed": [{"name": "A", "slug": "a", "fields": ["role.en"]}],
                "changed_count": 1,
                "unchanged_count": 4,
                "alerts": 0,
                "places_changed": 1,
            },
        ),
        (
            "upload_summary",
            {
                "file": "cases.csv",
                "added": [],
                "added_count": 0,
                "changed": [],
                "changed_count": 0,
                "unchanged_count": 5,
                "alerts": 0,
                "places_changed": 0,
            },
        ),
        *_sync_samples(),
    ]
    return pairs


def _sync_samples() -> list[tuple[str, dict]]:
    alert = {"name": "", "on_date": TODAY, "today": TODAY, "case": None}
    held = _sync_shown(held=_SYNC_HELD, held_counts=_SYNC_COUNTS[:3])
    shown = [
        _sync_shown(),
        held,
        _sync_shown(held={**_SYNC_HELD, "last": None, "missing": []}, counts=[]),
        _sync_shown(counts=[], snapshot={**_SYNC_SNAPSHOT, "languages": []}),
        _sync_shown(snapshot=None, counts=[], bound=0),
    ]
    outcomes = [
        _sync_outcome(None),
        _sync_outcome(
            "applied",
            applied=14,
            done=2,
            queued=31,
            refused=[{"name": HOSTILE, "why": "released_on: <x>"}],
        ),
        _sync_outcome("applied", applied=1, done=1),
        _sync_outcome("applied"),
        *(_sync_outcome(result) for result in ("none_left", "changed", "not_held", "left")),
        _sync_outcome("trusted", confirmed=880),
        _sync_outcome("trusted"),
        _sync_outcome("read", confirmed=1),
        _sync_outcome("read"),
    ]
    decided = [
        _sync_decided("applied", queued=3),
        _sync_decided("applied"),
        _sync_decided("linked", queued=1),
        _sync_decided("linked"),
        *(
            _sync_decided(result)
            for result in ("done", "refused", "skipped", "new", "nothing", "taken", "missing")
        ),
        _sync_decided("changed"),
        *(
            _sync_decided("decided", state=state)
            for state in ("applied", "skipped", "superseded", "done", "refused", "held")
        ),
    ]
    no_dates = {
        **_LISTED_ROW,
        "born": None,
        "arrested": None,
        "released": None,
        "died": None,
        "place": None,
        "sentence": None,
        "verdict": None,
        "articles": [],
        "earlier": 0,
        "url": None,
    }
    return [
        *(("alert_sync_review", {**alert, "payload": payload}) for payload in shown),
        *(
            ("sync_status", {"shown": payload, "outcome": done})
            for payload, done in zip(shown * 3, outcomes, strict=False)
        ),
        *(("sync_change", _sync_change(kind)) for kind in SYNC_KINDS),
        *(("sync_change", _sync_change("released", decided=done)) for done in decided),
        ("sync_change", _sync_change(None, decided=decided[0])),
        ("sync_change", _sync_change(None)),
        (
            "sync_change",
            _sync_change(
                "question",
                slug=None,
                case=None,
                candidates=[(1, HOSTILE), (3, "Marfa Rabkova, b. 1995")],
            ),
        ),
        ("sync_change", _sync_change("new", slug=None, case=None)),
        ("sync_change", _sync_change("gone", listed=None, case=CASES["marfa-rabkova"])),
        ("sync_change", _sync_change("released", listed={**no_dates, "status": "free"})),
        ("sync_change", _sync_change("died", listed={**no_dates, "status": "dead"})),
        (
            "sync_change",
            _sync_change("unrecognised", listed={**_LISTED_ROW, "status": "unrecognised"}),
        ),
        (
            "sync_change",
            _sync_change(
                "place_address",
                slug=None,
                listed=None,
                case=None,
                place={"listed": HOSTILE, "stored": ""},
            ),
        ),
        (
            "sync_change",
            _sync_change(
                "moved", case=replace(HELD, birth_date=None, born_in=PartialDate.parse("1995"))
            ),
        ),
        *(
            (
                "sync_upload",
                {
                    "file": HOSTILE,
                    "language": language,
                    "rows": rows,
                    "problems": problems,
                    "problem_count": count,
                    "unknown": unknown,
                    "missing": missing,
                    "minutes": 15,
                },
            )
            for language, rows, problems, count, unknown, missing in (
                ("ru", 8696, [HOSTILE, "line 2 (id 7): arrested"], 12, [HOSTILE], ["be", "en"]),
                (None, 1, [], 0, [], []),
                ("en", 21, ["line 9"], 1, [], ["ru"]),
            )
        ),
    ]


# Labels that take a value, with every value they are called with (or one typical value).
LABEL_VALUES: dict[str, list[dict]] = {
    "alert_kind": [{"kind": k} for k in ("anniversaries", "birthdays", "updates", "statements")],
    "alert_kind_name": [
        {"kind": kind}
        for kind in (
            "birthday",
            "detention_anniversary",
            "sentence_anniversary",
            "days_milestone",
            "term_end",
            "card_reminder",
            "some_new_kind",
        )
    ],
    "btn_alert_mode": [{"mode": mode} for mode in ("auto", "digest", "single")],
    "toast_alert_mode": [{"mode": mode} for mode in ("auto", "digest", "single")],
    "btn_reminder_on": [{"days": days} for days in (1, 3, 14)],
    "btn_reminder_off": [{"days": days} for days in (1, 14)],
    "toast_reminder_on": [
        {"days": days, "on": date(2026, 11, 25), "birthday": date(2026, 12, 9)} for days in (1, 14)
    ],
    "topic": [
        {"value": value} for value in ("envelope", "language", "avoid", "enclose", "timing", "new")
    ],
    "topic_icon": [
        {"value": value} for value in ("envelope", "language", "avoid", "enclose", "timing")
    ],
    "btn_alert_on": [{"kind": "birthdays"}],
    "btn_alert_off": [{"kind": "statements"}],
    "audit_action": [
        {"name": name}
        for name in (
            "admins.add",
            "admins.remove",
            "case.add",
            "case.import",
            "case.status",
            "case.update",
            "case.confirm",
            "case.releases",
            "statement.publish",
            "statement.cancel",
            "some.<new>.action",
        )
    ],
    "btn_keep_date": [{"day": date(2025, 7, 14)}],
    "btn_today": [{"day": TODAY}],
    "btn_keep_title": [{"title": HOSTILE}],
    "btn_linked": [{"name": HOSTILE}],
    "btn_remove": [{"name": HOSTILE}],
    "toast_subscribed": [{"name": HOSTILE}],
    "toast_subscribed_free": [{"name": "Valiantsin Stefanovic"}],
    "toast_unsubscribed": [{"name": HOSTILE}],
    "toast_muted": [{"name": "Valiantsin Stefanovic"}],
    "toast_unmuted": [{"name": HOSTILE}],
    "btn_unmute_name": [{"name": HOSTILE}],
    "toast_following_area": [{"name": HOSTILE}],
    "toast_unfollowed_area": [{"name": HOSTILE}],
    "toast_digest_hour": [{"time": "08:00"}],
    "zone_time": [{"zone": zone} for zone in ("Europe/Minsk", "Europe/Warsaw", "UTC", "Etc/GMT-3")],
    "btn_statement": [{"title": HOSTILE, "day": date(2025, 7, 14)}],
    "btn_statements": [{"count": 12}],
    "btn_still_true_number": [{"number": 3}],
    "btn_newcomer": [{"name": HOSTILE}],
    "btn_all_newcomers": [{"count": count} for count in (9, 21, 1234)],
    "btn_apply_releases": [{"count": count} for count in (0, 1, 3, 250)],
    "btn_add_translation": [{"code": code} for code in ("en", "be", "ru", "pl")],
    "btn_add_note": [{"code": code} for code in ("en", "be", "ru", "pl")],
    "btn_it_changed_number": [{"number": 3}],
    "case_btn_use": [{"value": "ales-bialiatski"}],
    "editors_source": [{"bot": "casewatch_bot"}],
    "date_field": [
        {"name": name} for name in ("detained_on", "released_on", "sentenced_on", "term_ends_on")
    ],
    "filter_name": [{"value": value} for value in ("all", "held", "released", "exile")],
    "language_name": [{"code": code} for code in ("en", "be", "ru", "pl")],
    "off_reason": [{"value": value} for value in ("blocked", "removed", "cannot_post", None)],
    "read_in_full": [{"statement_id": 7}],
    "slow_down_alert": [{"minutes": 1}, {"minutes": 2}, {"minutes": 5}],
    "region": [{"value": value} for value in REGIONS],
    "status_since": [
        {"status": status, "year": year}
        for status in ("held", "detained", "released", "in_exile", "deceased")
        for year in (2021, None)
    ],
    "namesake_detail": [
        {"born": 1979, "region_key": "homel", "status": "held", "year": 2021},
        {"born": None, "region_key": None, "status": "released", "year": None, "place": HOSTILE},
        {
            "born": 1979,
            "region_key": "minsk-city",
            "status": "in_exile",
            "year": 2024,
            "place": HOSTILE,
            "tag": "ales-kavaliou-3",
        },
    ],
    "namesake": [
        {"name": HOSTILE, "born": 1979, "region_key": "homel", "status": "held", "year": 2021},
    ],
    "btn_sort": [{"value": value} for value in ("name", "detained")],
    "counted": [{"text": HOSTILE, "count": 1234}],
    "listed_name": [
        {"surname": HOSTILE, "forename": HOSTILE},
        {"surname": HOSTILE, "forename": ""},
    ],
    "listed_days": [{"name": HOSTILE, "days": days} for days in (None, 0, 1, 2, 5, 21, 1234)],
    "status": [
        {"value": value} for value in ("detained", "sentenced", "released", "in_exile", "deceased")
    ],
    "status_event": [
        {"before": before, "after": after}
        for before, after in (
            ("sentenced", "released"),
            ("detained", "in_exile"),
            ("released", "in_exile"),
            ("released", "detained"),
            ("detained", "sentenced"),
            ("sentenced", "deceased"),
            ("deceased", "released"),
            ("in_exile", "released"),
            ("detained", "detained"),
        )
    ],
    "btn_sync_apply_all": [
        {"kind": kind, "count": count} for kind in SYNC_APPLICABLE for count in (1, 2, 5, 21, 1234)
    ],
    "btn_sync_this_is": [{"number": 2, "name": HOSTILE}],
    "btn_sync_compare": [{"count": count} for count in (1, 2, 3)],
    "list_source_title": [{"day": date(2026, 8, 30)}],
    "list_moved": [{"place": HOSTILE}],
    "list_sentence": [
        {"years": years, "months": months} for years, months in ((4, 6), (1, 0), (0, 3), (21, 1))
    ],
}


def label_samples(keys) -> list[tuple[str, dict]]:
    """(label key, values) pairs: every label, with each value it is called with."""
    return [(key, values) for key in sorted(keys) for values in LABEL_VALUES.get(key, [{}])]
