"""Many releases in one day: a list in an outlet's spelling, by /releases or the command line.

The bundled cases go back to 10 March 2026, when Stefanovic, Rabkova and
Loika were still held; Bialiatski and Labkovich were already free. One more
held person, Ales Labkovich, makes "Labkovich" ambiguous. The list is the
one reform.news printed on 19 March 2026, in its spelling.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

import bot as bot_module
from bot import BUNDLED_CASES
from cases.catalogue import Catalogue
from cases.files import read_cases
from cases.releases import match_lines, names_in
from fakeapi.harness import ChatDriver
from storage import audit
from tests.test_alerts_support import ALL, Chat, Clock, alert_bot, make_case, prepare, rows, settle
from tests.test_stale_alerts import said

MINSK = ZoneInfo("Europe/Minsk")
OWNER = 9001
RELEASE_DAY = date(2026, 3, 19)
SOURCE = "https://reform.news/en/us-secures-release-of-250-political-prisoners"
STILL_HELD = ("marfa-rabkova", "nasta-loika", "valiantsin-stefanovic")
LIST = """Among the 15 taken to Lithuania:
1. Maria Rabkova
2. Anastasiya Loika (Human Constanta)
3. Valiantsin Stefanovich, Viasna
4. Ihar Losik
5. Ales Bialiatski
6. Labkovich
"""


def as_on_10_march() -> list:
    """The bundled cases as they were before 19 March 2026."""
    cases = []
    for case in read_cases(BUNDLED_CASES):
        if case.slug in STILL_HELD:
            case = replace(
                case,
                status="sentenced",
                status_as_of=date(2026, 3, 10),
                released_on=None,
                events=[event for event in case.events if event.on < RELEASE_DAY],
                notes=[note for note in case.notes if note.as_of < RELEASE_DAY],
            )
        cases.append(case)
    namesake = make_case("ales-labkovich", name={"en": "Ales Labkovich"}, status_as_of="2026-03-10")
    return [*cases, namesake]


CHATS = [Chat(1, follows=ALL), Chat(2, "ru", follows=("marfa-rabkova",))]


async def release_bot(settings, api):
    await prepare(settings.db_path, as_on_10_march(), CHATS)
    clock = Clock(datetime(2026, 3, 20, 12, 0, tzinfo=MINSK))
    return alert_bot(replace(settings, alert_time=time(23, 59)), api, clock)


def test_a_list_is_read_as_names():
    assert names_in(LIST + "\n  • Ihar Losik — journalist\n#7 Mikola Statkevich\n") == [
        (1, "Among the 15 taken to Lithuania:"),
        (2, "Maria Rabkova"),
        (3, "Anastasiya Loika"),
        (4, "Valiantsin Stefanovich"),
        (5, "Ihar Losik"),
        (6, "Ales Bialiatski"),
        (7, "Labkovich"),
        (9, "Ihar Losik"),
        (10, "Mikola Statkevich"),
    ]


def test_a_relatives_name_in_a_list_releases_nobody():
    """A wife's or sister's name is not the man's, nor another first name the
    person's: not found, or uncertain (an editor chooses), never matched."""
    catalogue = Catalogue(as_on_10_march())
    text = "Alesia Bialiatskaya\nValentina Stefanovich\nMarta Rabkova\nAnastas Loika\nMaria Rabkova"
    lines = match_lines(names_in(text), catalogue.search, catalogue.get)
    assert [(line.text, line.kind, line.slug, line.candidates) for line in lines] == [
        ("Alesia Bialiatskaya", "not_found", None, ()),
        ("Valentina Stefanovich", "uncertain", None, ("valiantsin-stefanovic",)),
        ("Marta Rabkova", "uncertain", None, ("marfa-rabkova",)),
        ("Anastas Loika", "not_found", None, ()),
        ("Maria Rabkova", "matched", "marfa-rabkova", ()),
    ]


async def test_releases_in_telegram_changes_exactly_the_matched_people_once(settings, api):
    async with await release_bot(settings, api) as app:
        admin = ChatDriver(app, api, user_id=OWNER, raise_errors=True)
        [ask] = await admin.send("/releases")
        assert ask.plain.startswith("Releases, step 1 of 4: paste the list of names")
        [more] = await admin.send(LIST)
        assert more.plain == "7 names so far. Send more lines, or press Next."
        [date_ask] = said(await admin.press(more, "Next »"))
        assert date_ask.plain.startswith("Step 2 of 4")
        [problem] = await admin.send("2026-13-01")
        assert problem.plain.startswith("“2026-13-01” is not a date.")
        [status_ask] = await admin.send("19.03.2026")
        assert status_ask.button_texts == ["released, in exile", "released"]
        [source_ask] = said(await admin.press(status_ask, "released, in exile"))
        assert source_ask.plain.startswith("Step 4 of 4")
        [preview] = await admin.send(SOURCE)
        assert preview.plain == (
            f"Releases of 19 March 2026: released, in exile. Source: {SOURCE}\n"
            "\n"
            "Matched (4):\n"
            "• “Maria Rabkova” → Marfa Rabkova (marfa-rabkova)\n"
            "• “Anastasiya Loika” → Nasta Loika (nasta-loika)\n"
            "• “Valiantsin Stefanovich” → Valiantsin Stefanovic (valiantsin-stefanovic)\n"
            "• “Ales Bialiatski” → Ales Bialiatski: already free, no change\n"
            "\n"
            "Uncertain (1): choose below, or skip\n"
            "• “Labkovich”: Ales Labkovich, b. 1980, held since 2021 / "
            "Uladzimir Labkovich, b. 1978, in exile since 2025\n"
            "\n"
            "Not in the data (2):\n"
            "• “Among the 15 taken to Lithuania:”\n"
            "• “Ihar Losik”\n"
            "\n"
            "Confirm releases 3 people: a timeline entry, an audit entry and a release alert "
            "each. Nothing changes for the other lines. Nothing is saved until you press Confirm."
        )
        # Each candidate says who it is: uncertain lines are mostly namesakes.
        assert preview.button_texts == [
            "Ales Labkovich, b. 1980, held since 2021",
            "Uladzimir Labkovich, b. 1978, in exile since 2025",
            "Skip",
            "✅ Confirm: 3 releases",
            "✖️ Cancel",
        ]
        assert await rows(app, "SELECT count(*) FROM alerts") == [(0,)]  # nothing yet

        # The uncertain line is skipped: never applied.
        await admin.press(preview, "Skip")
        current = api.message(OWNER, preview.message_id)
        assert "• “Labkovich”: skipped, no change" in _plain(current)
        done = said(await admin.press(current, "✅ Confirm: 3 releases"))
        assert done[-1].plain == (
            "Released (3): Marfa Rabkova, Nasta Loika, Valiantsin Stefanovic. "
            "The cards show it now.\n4 alerts are on the way."
        )
        await settle(app)
        # One release alert per person; chat 2 follows Rabkova alone.
        assert [text.split("\n")[0] for text in _texts(api, 1)] == [
            "🕊 Marfa Rabkova is free.",
            "🕊 Nasta Loika is free.",
            "🕊 Valiantsin Stefanovic is free.",
        ]
        assert "Released on 19 March 2026, after 2,009 days in detention." in _texts(api, 1)[0]
        [russian] = _texts(api, 2)
        assert russian.startswith("🕊 Марфа Рабкова на свободе.")
        assert "• 19 марта 2026: Освобождение из заключения и принудительный выезд из страны." in (
            russian
        )
        entries = [
            e for e in await audit.latest(app.bot_data["services"].db) if e.actor_id == OWNER
        ]
        assert sorted((e.action, e.target) for e in entries) == [
            ("case.releases", slug) for slug in sorted(STILL_HELD)
        ]
        statuses = dict(await rows(app, "SELECT slug, status FROM cases"))
        assert statuses["ales-labkovich"] == "sentenced"  # the skipped line changed nobody
        assert {statuses[slug] for slug in STILL_HELD} == {"in_exile"}
        card = (await admin.send("/defender Rabkova"))[0].plain
        assert "🕊 Free since 19 March 2026, after 2,009 days in detention." in card

        # The same list again: nobody is held any more, nothing changes, nothing is sent.
        await admin.send("/releases")
        more = (await admin.send(LIST))[0]
        await admin.press(more, "Next »")
        status_ask = (await admin.send("2026-03-19"))[0]
        await admin.press(status_ask, "released, in exile")
        [again] = await admin.send(SOURCE)
        assert "Nobody in this list is still held in the data: nothing to change." in again.plain
        assert "• “Maria Rabkova” → Marfa Rabkova: already free, no change" in again.plain
        nothing = said(await admin.press(again, "✅ Confirm: 0 releases"))
        assert nothing[-1].plain == (
            "Nobody in this list is still held in the data: nothing was changed."
        )
        await settle(app)
    assert len(_texts(api, 1)) == 3 and len(_texts(api, 2)) == 1


def _plain(message: dict) -> str:
    from fakeapi.telegram_html import parse_html

    return message["text"] if "entities" in message else parse_html(message["text"])[0]


def _texts(api, chat_id: int) -> list[str]:
    return [record.plain for record in api.messages_to(chat_id)]


async def test_an_uncertain_line_is_applied_only_as_chosen(settings, api):
    async with await release_bot(settings, api) as app:
        admin = ChatDriver(app, api, user_id=OWNER, raise_errors=True)
        await admin.send("/releases")
        more = (await admin.send("Labkovich"))[0]
        await admin.press(more, "Next »")
        await admin.press((await admin.send("2026-03-19"))[0], "released")
        [preview] = await admin.send(SOURCE)
        assert preview.button_texts[-2] == "✅ Confirm: 0 releases"
        await admin.press(preview, "Ales Labkovich, b. 1980, held since 2021")
        current = api.message(OWNER, preview.message_id)
        assert "• “Labkovich” → Ales Labkovich (ales-labkovich)" in _plain(current)
        done = said(await admin.press(current, "✅ Confirm: 1 release"))
        assert done[-1].plain.startswith("Released: Ales Labkovich. The card shows it now.")
        statuses = dict(await rows(app, "SELECT slug, status FROM cases"))
        assert statuses["ales-labkovich"] == "released"
        assert statuses["uladzimir-labkovich"] == "in_exile"


async def test_cancel_or_a_long_silence_drops_the_list_and_changes_nothing(settings, api):
    async with await release_bot(settings, api) as app:
        admin = ChatDriver(app, api, user_id=OWNER, raise_errors=True)
        cases = await rows(app, "SELECT slug, record FROM cases ORDER BY slug")
        await admin.send("/releases", language_code="pl")
        await admin.send(LIST, language_code="en")
        # /cancel answers in the chat's language now.
        [cancelled] = await admin.send("/cancel")
        assert cancelled.plain == "Cancelled: nothing was changed."
        # Out of the conversation, text is a name to look up again.
        [card] = await admin.send("Marfa Rabkova")
        assert card.plain.startswith("Marfa Rabkova")

        # The silence answers in the language the list was begun in.
        await admin.send("/releases", language_code="pl")
        [more] = await admin.send(LIST, language_code="en")
        await admin.press(more, "Dalej »")  # the steps speak the language begun in too
        [dropped] = said(await admin.stay_silent())
        assert dropped.plain == (
            "Lista została odrzucona po długiej ciszy: nic nie zmieniono. /releases "
            "zaczyna od nowa."
        )
        # Where the date was asked for, a name is a search again.
        [card] = await admin.send("Marfa Rabkova")
        assert card.plain.startswith("Marfa Rabkova")
        assert await rows(app, "SELECT slug, record FROM cases ORDER BY slug") == cases
        assert await rows(app, "SELECT count(*) FROM alerts") == [(0,)]
        assert await rows(app, "SELECT count(*) FROM audit_log") == [(0,)]


@pytest.fixture
def cli(settings, monkeypatch):
    """``python bot.py releases ...`` in a thread of its own (it runs its own event loop)."""
    monkeypatch.setenv("BOT_DB", str(settings.db_path))

    async def run(*arguments: str) -> int:
        return await asyncio.to_thread(bot_module.main, ["releases", *arguments])

    return run


async def test_the_command_line_applies_a_list_once_and_the_running_bot_sends(
    settings, api, cli, capsys, tmp_path
):
    listed = tmp_path / "released.txt"
    listed.write_text(LIST, encoding="utf-8")
    arguments = [str(listed), "--date", "2026-03-19", "--source", SOURCE, "--status", "in_exile"]
    async with await release_bot(settings, api) as app:
        assert await cli(*arguments, "--dry-run") == 0
        dry = capsys.readouterr().out
        assert dry.splitlines()[-1] == (
            "4 matched (3 released now, 1 unchanged), 1 uncertain, 2 not found; "
            "dry run: nothing changed"
        )
        assert await rows(app, "SELECT count(*) FROM alerts") == [(0,)]

        assert await cli(*arguments) == 0
        out = capsys.readouterr().out.splitlines()
        assert out == [
            "line 1: not found  Among the 15 taken to Lithuania:",
            "line 2: matched    Maria Rabkova -> Marfa Rabkova (marfa-rabkova)",
            "line 3: matched    Anastasiya Loika -> Nasta Loika (nasta-loika)",
            "line 4: matched    Valiantsin Stefanovich -> Valiantsin Stefanovic "
            "(valiantsin-stefanovic)",
            "line 5: not found  Ihar Losik",
            "line 6: matched    Ales Bialiatski -> Ales Bialiatski (ales-bialiatski): "
            "already in_exile, unchanged",
            "line 7: uncertain  Labkovich -> Ales Labkovich (ales-labkovich) or "
            "Uladzimir Labkovich (uladzimir-labkovich): not applied",
            "4 matched (3 released now, 1 unchanged), 1 uncertain, 2 not found; "
            "4 release alert deliveries queued (the running bot sends them)",
        ]
        # The running bot finds them in the outbox within seconds, and serves the new cards.
        await settle(app)
        assert len(_texts(api, 1)) == 3 and len(_texts(api, 2)) == 1
        entries = await audit.latest(app.bot_data["services"].db)
        assert sorted((e.actor_id, e.action, e.target) for e in entries) == [
            ("cli", "case.releases", slug) for slug in sorted(STILL_HELD)
        ]

        # Again: nothing more changes, nothing more is sent.
        assert await cli(*arguments) == 0
        assert capsys.readouterr().out.splitlines()[-1] == (
            "4 matched (0 released now, 4 unchanged), 1 uncertain, 2 not found; "
            "0 release alert deliveries queued (the running bot sends them)"
        )
        await settle(app)
        assert len(_texts(api, 1)) == 3
        assert await rows(app, "SELECT count(*) FROM alerts") == [(3,)]


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["--date", "2026-02-30"], "--date '2026-02-30' is not a date (YYYY-MM-DD)"),
        (["--date", "2999-01-01"], "--date 2999-01-01 is in the future"),
        (["--source", "ftp://reform.news/x"], "--source 'ftp://reform.news/x' is not an http(s)"),
        (["empty"], "no names in it (one name a line)"),
        (["missing"], "No such file or directory"),
    ],
)
async def test_a_bad_request_is_one_line_and_changes_nothing(
    settings, cli, capsys, tmp_path, arguments, expected
):
    await prepare(settings.db_path, as_on_10_march(), CHATS)
    listed = tmp_path / "released.txt"
    listed.write_text("Maria Rabkova\n", encoding="utf-8")
    (tmp_path / "empty").write_text("\n  \n1.\n", encoding="utf-8")
    options = {"--date": "2026-03-19", "--source": SOURCE}
    file = str(listed)
    if arguments[0] in ("empty", "missing"):
        file = str(tmp_path / arguments[0])
    else:
        options[arguments[0]] = arguments[1]
    flat = [item for pair in options.items() for item in pair]
    assert await cli(file, *flat) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.splitlines()
    assert line.startswith("releases failed, nothing changed: ") and expected in line
    db_rows = await _statuses(settings)
    assert db_rows["marfa-rabkova"] == "sentenced"


async def _statuses(settings) -> dict[str, str]:
    from storage.db import connect

    db = await connect(settings.db_path)
    try:
        async with db.execute("SELECT slug, status FROM cases") as cursor:
            return {row[0]: row[1] for row in await cursor.fetchall()}
    finally:
        await db.close()


async def test_a_release_the_data_cannot_hold_is_refused_and_the_rest_goes_ahead(
    settings, cli, capsys, tmp_path
):
    later = make_case(
        "zed-later", name={"en": "Zed Later"}, detained_on="2026-04-01", sentence=None
    )
    await prepare(settings.db_path, [*as_on_10_march(), later], CHATS)
    listed = tmp_path / "released.txt"
    listed.write_text("Zed Later\nMaria Rabkova\n", encoding="utf-8")
    assert await cli(str(listed), "--date", "2026-03-19", "--source", SOURCE) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        "line 1: matched    Zed Later -> Zed Later (zed-later): refused, "
        "released_on: must not be before detained_on (2026-04-01)"
    )
    assert out[-1].startswith("2 matched (1 released now, 0 unchanged, 1 refused)")
    statuses = await _statuses(settings)
    assert (statuses["zed-later"], statuses["marfa-rabkova"]) == ("sentenced", "released")
