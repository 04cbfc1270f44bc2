"""``python bot.py sync``: Viasna's list against the cases, from the command line.

The bot runs beside it (as on a server) with chats that follow the test
person and everyone; the exports are written by the tests, of fictional
people (tests/sync_support.py).
"""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from storage import audit
from tests.sync_support import COLONY_2, COLONY_9, REMAND_1, row, sync_cli, write
from tests.test_alerts_support import (
    ALL,
    Chat,
    Clock,
    alert_bot,
    make_case,
    prepare,
    rows,
    settle,
    texts,
)

MINSK = ZoneInfo("Europe/Minsk")
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=MINSK)
AS_OF = "2026-11-30"
CHATS = [Chat(1), Chat(2, "ru", follows=ALL)]
PERSON = "test-persona"  # the page of the test person on the (fictional) list
LINKED = {"list_person": f"person/{PERSON}", "list_records": ["101"]}
# The test person as the list writes them: surname, first name, father's name.
TEST_PERSON = {"name": "Персона Тест Иванович", "birthday": "05.05.1980", "gender": "male"}


@pytest.fixture
def cli(monkeypatch, settings):
    return sync_cli(monkeypatch, settings.db_path)


async def stored(app, slug: str) -> dict:
    [(record,)] = await rows(app, "SELECT record FROM cases WHERE slug = ?", slug)
    return json.loads(record)


async def slugs(app) -> list[str]:
    return [slug for (slug,) in await rows(app, "SELECT slug FROM cases ORDER BY slug")]


async def test_a_first_sync_links_by_name_and_birth_and_never_merges_a_namesake(
    settings, api, cli, tmp_path, capsys
):
    await prepare(settings.db_path, [make_case()], CHATS)
    listed = write(
        tmp_path,
        "list-ru.csv",
        [
            row(
                PERSON,
                101,
                **TEST_PERSON,
                arrested="05.05.2021",
                prison=COLONY_9,
                decision="8 лет колонии усиленного режима",
            ),
            # Same name, another birth date: another person, held too.
            row(
                "test-persona-2",
                202,
                name="Персона Тест Иванович",
                birthday="12.12.1990",
                gender="male",
                arrested="01.10.2026",
                prison=REMAND_1,
            ),
            # Not a political prisoner on the list: never a case.
            row("nobody-else", 303, name="Другая Асоба", status="np"),
        ],
    )
    async with alert_bot(settings, api, Clock(NOW)) as app:
        assert await cli(listed, "--as-of", AS_OF, "--apply") == 0
        out = capsys.readouterr().out.splitlines()
        assert out[-1].startswith("3 rows, 3 people: 1 new, 1 moved; applied 2")
        case = await stored(app, "test-person")
        assert case["list_person"] == f"person/{PERSON}" and case["list_records"] == ["101"]
        # Held now in the list's place, with its address, sourced to the list as of its date.
        assert case["detention"]["source"] == "viasna-list"
        assert case["detention"]["as_of"] == AS_OF
        [(place,)] = await rows(
            app, "SELECT record FROM places WHERE key = ?", case["detention"]["place"]
        )
        assert json.loads(place)["address"] == {
            "lines": ["ИК-9", "г. Горки", "ул. Добролюбова, 16"],
            "postcode": "213410",
        }
        # The namesake is a case of their own.
        assert await slugs(app) == ["test-person", "test-persona"]
        namesake = await stored(app, "test-persona")
        assert namesake["birth_date"] == "1990-12-12"
        assert namesake["name"]["ru"] == "Тест Персона"
        assert namesake["gender"] == "male"  # as the list says: the search tells relatives apart
        assert "Персона Тест Иванович" in namesake["aliases"]
        [source] = namesake["sources"]
        assert source["url"] == "https://prisoners.example.org/ru/person/test-persona-2"
        assert source["title"]["en"] == (
            "Viasna, list of political prisoners, export of 30 November 2026"
        )
        entries = await audit.latest(app.bot_data["services"].db)
        # Every case and place the sync added or changed is audited, with who did it.
        assert sorted((e.actor_id, e.action, e.target) for e in entries) == [
            ("cli", "case.sync", "place:ik-9"),
            ("cli", "case.sync", "place:sizo-1"),
            ("cli", "case.sync", "test-person"),
            ("cli", "case.sync", "test-persona"),
        ]
        # The follower of the test person hears of the move, once.
        await settle(app)
        [moved] = texts(api, 1)
        assert "Now held in: IK-9\nLetters to: ИК-9, г. Горки, ул. Добролюбова, 16, 213410" in moved


async def test_a_release_is_applied_and_told_once_however_often_the_list_is_read(
    settings, api, cli, tmp_path, capsys
):
    await prepare(settings.db_path, [make_case(**LINKED)], CHATS)
    released = [
        row(
            PERSON,
            101,
            **TEST_PERSON,
            status="former",
            arrested="05.05.2021",
            release_date="19.11.2026",
            prison="освобожден",
        )
    ]
    listed = write(tmp_path, "list-ru.csv", released)
    async with alert_bot(settings, api, Clock(NOW)) as app:
        assert await cli(listed, "--as-of", AS_OF, "--apply") == 0
        assert "1 released" in capsys.readouterr().out
        case = await stored(app, "test-person")
        assert (case["status"], case["released_on"]) == ("released", "2026-11-19")
        assert "detention" not in case
        assert case["events"][-1]["text"]["en"] == "Released from custody."
        await settle(app)
        assert len(texts(api, 1)) == 1 and "is free" in texts(api, 1)[0]
        assert len(texts(api, 2)) == 1

        for _ in range(2):  # the same export again, applied or not: nothing more
            assert await cli(listed, "--as-of", AS_OF, "--apply") == 0
            assert await cli(listed, "--as-of", AS_OF) == 0
        await settle(app)
        assert len(texts(api, 1)) == 1 and len(texts(api, 2)) == 1
        assert await rows(app, "SELECT count(*) FROM alerts") == [(1,)]


async def test_a_free_person_arrested_again_starts_a_new_detention(
    settings, api, cli, tmp_path, capsys
):
    exiled = make_case(
        status="in_exile",
        status_as_of="2026-03-19",
        released_on="2026-03-19",
        notes=[
            {
                "kind": "letters",
                "text": {"en": "Letters barred."},
                "source": "src",
                "as_of": "2025-01-01",
            }
        ],
        **LINKED,
    )
    await prepare(settings.db_path, [exiled], CHATS)
    listed = write(
        tmp_path,
        "list-ru.csv",
        [
            row(
                PERSON,
                101,
                **TEST_PERSON,
                status="former",
                arrested="05.05.2021",
                release_date="19.03.2026",
            ),
            row(PERSON, 404, **TEST_PERSON, arrested="01.10.2026", prison=REMAND_1),
        ],
    )
    async with alert_bot(settings, api, Clock(NOW)) as app:
        assert await cli(listed, "--as-of", AS_OF, "--apply") == 0
        assert "re_arrested" in capsys.readouterr().out
        case = await stored(app, "test-person")
        assert (case["status"], case["detained_on"]) == ("detained", "2026-10-01")
        assert case["list_records"] == ["404"]
        [earlier] = case["earlier_detentions"]
        assert (earlier["detained_on"], earlier["released_on"]) == ("2021-05-05", "2026-03-19")
        assert earlier["records"] == ["101"]
        assert "notes" not in case  # the letters ban was the last detention's
        assert case["detention"]["place"]
        assert case["events"][-1]["text"]["en"] == "Detained again."
        await settle(app)
        [alert] = texts(api, 1)
        assert "detained" in alert.lower()


async def test_a_death_on_the_list_is_applied(settings, api, cli, tmp_path, capsys):
    await prepare(settings.db_path, [make_case(**LINKED)], CHATS)
    listed = write(
        tmp_path,
        "list-ru.csv",
        [row(PERSON, 101, **TEST_PERSON, arrested="05.05.2021", died="20.11.2026")],
    )
    async with alert_bot(settings, api, Clock(NOW)) as app:
        assert await cli(listed, "--as-of", AS_OF, "--apply") == 0
        case = await stored(app, "test-person")
        assert (case["status"], case["released_on"]) == ("deceased", "2026-11-20")
        assert case["events"][-1] == {
            "on": "2026-11-20",
            "text": case["events"][-1]["text"],
            "source": "viasna-list",
        }
        assert case["events"][-1]["text"]["en"] == "Died."


async def test_a_person_gone_from_the_list_is_shown_and_never_applied(
    settings, api, cli, tmp_path, capsys
):
    await prepare(settings.db_path, [make_case(**LINKED)], CHATS)
    listed = write(tmp_path, "list-ru.csv", [row("someone-else", 9, name="Другі Чалавек")])
    async with alert_bot(settings, api, Clock(NOW)) as app:
        before = await stored(app, "test-person")
        assert await cli(listed, "--as-of", AS_OF, "--apply") == 0
        out = capsys.readouterr().out
        assert "gone             test-person: no longer on the list" in out
        assert await stored(app, "test-person") == before


async def test_two_people_who_fit_one_case_are_a_question_never_a_merge(
    settings, api, cli, tmp_path, capsys
):
    await prepare(settings.db_path, [make_case()], CHATS)
    twins = [
        row(PERSON, 101, **TEST_PERSON, arrested="05.05.2021", prison=COLONY_9),
        row("test-persona-bis", 102, **TEST_PERSON, arrested="05.05.2021", prison=COLONY_2),
    ]
    listed = write(tmp_path, "list-ru.csv", twins)
    async with alert_bot(settings, api, Clock(NOW)) as app:
        before = await stored(app, "test-person")
        assert await cli(listed, "--as-of", AS_OF, "--apply") == 0
        out = capsys.readouterr().out
        questions = [line for line in out.splitlines() if line.startswith("question")]
        assert len(questions) == 2 and "may be test-person" in questions[0]
        assert await stored(app, "test-person") == before
        assert await slugs(app) == ["test-person"]  # no new case for either


async def test_an_export_much_smaller_than_the_last_is_held(settings, api, cli, tmp_path, capsys):
    await prepare(settings.db_path, [make_case(**LINKED)], CHATS)
    others = [row(f"other-{n}", 500 + n, name=f"Іншы Чалавек{n}") for n in range(9)]
    mine = row(PERSON, 101, **TEST_PERSON, arrested="05.05.2021", prison=COLONY_9)
    full = write(tmp_path, "full.csv", [mine, *others])
    freed = {**mine, "status": "former", "release_date": "19.11.2026", "prison": ""}
    cut = write(tmp_path, "cut.csv", [freed, *others[:4]])
    async with alert_bot(settings, api, Clock(NOW)) as app:
        assert await cli(full, "--as-of", "2026-11-23", "--apply") == 0
        capsys.readouterr()
        before = await stored(app, "test-person")
        assert await cli(cut, "--as-of", AS_OF, "--apply") == 1
        captured = capsys.readouterr()
        assert "held: 5 rows in 1 file(s), under 80% of the 10 in 1 of the last" in captured.out
        assert "nothing applied" in captured.err
        assert await stored(app, "test-person") == before
        assert await cli(cut, "--as-of", AS_OF, "--apply", "--accept-held") == 0
        assert (await stored(app, "test-person"))["status"] == "released"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"<!DOCTYPE html><html><body>Checking your browser</body></html>", "list.csv: "),
        (b"- slug: test-person\n  name: {en: Test}\n", "list.csv: "),
        (b"\x00\x01\x02binary", "list.csv: "),
        (b"", "list.csv: "),
    ],
)
async def test_a_file_that_is_not_an_export_is_one_line_and_changes_nothing(
    settings, api, cli, tmp_path, capsys, content, expected
):
    await prepare(settings.db_path, [make_case()], CHATS)
    path = tmp_path / "list.csv"
    path.write_bytes(content)
    assert await cli(path) == 1
    captured = capsys.readouterr()
    [line] = captured.err.splitlines()
    assert line.startswith(f"sync failed, nothing changed: {expected}")
    assert captured.out == ""
    async with alert_bot(settings, api, Clock(NOW)) as app:
        assert await rows(app, "SELECT count(*) FROM sync_snapshots") == [(0,)]


async def test_a_row_that_cannot_be_read_is_reported_and_the_rest_go_on(
    settings, api, cli, tmp_path, capsys
):
    await prepare(settings.db_path, [make_case()], CHATS)
    listed = write(
        tmp_path,
        "list-ru.csv",
        [
            row("bad-date", 7, name="Кепская Дата", arrested="31.02.2024"),
            row("good-row", 8, name="Добры Радок", arrested="01.02.2024"),
        ],
    )
    async with alert_bot(settings, api, Clock(NOW)) as app:
        assert await cli(listed, "--as-of", AS_OF, "--apply") == 0
        captured = capsys.readouterr()
        assert "list-ru.csv: line 2 (id 7): arrested:" in captured.err
        assert "row left out" in captured.err
        assert "test-person" in await slugs(app) and len(await slugs(app)) == 2


async def test_a_dry_run_and_a_too_big_file_change_nothing(settings, api, cli, tmp_path, capsys):
    await prepare(settings.db_path, [make_case(**LINKED)], CHATS)
    listed = write(tmp_path, "list-ru.csv", [row(PERSON, 101, **TEST_PERSON, prison=COLONY_9)])
    assert await cli(listed, "--as-of", AS_OF, "--dry-run") == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "1 rows, 1 people: 1 moved; dry run: nothing changed"
    )
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * (settings.max_file_bytes + 1))
    assert await cli(big) == 1
    assert "raise BOT_MAX_FILE_MB to read it" in capsys.readouterr().err
    async with alert_bot(settings, api, Clock(NOW)) as app:
        assert await rows(app, "SELECT count(*) FROM sync_snapshots") == [(0,)]
        assert (await stored(app, "test-person"))["detention"]["source"] == "src"


async def test_an_unchanged_row_confirms_the_status_at_once_and_tells_nobody(
    settings, api, cli, tmp_path, capsys
):
    await prepare(settings.db_path, [make_case(**LINKED)], CHATS)
    same = row(PERSON, 101, **TEST_PERSON, arrested="05.05.2021", prison="Penal colony No. 1")
    listed = write(tmp_path, "list-ru.csv", [same])
    async with alert_bot(settings, api, Clock(NOW)) as app:
        before = await stored(app, "test-person")
        assert "status_confirmed_on" not in before
        assert await cli(listed, "--as-of", AS_OF) == 0  # no --apply: only confirmations
        assert capsys.readouterr().out.splitlines()[-1] == (
            "1 rows, 1 people: 1 confirmed; 1 statuses confirmed as of 2026-11-30; "
            "nothing waits for the editors"
        )
        after = await stored(app, "test-person")
        assert after["status_confirmed_on"] == AS_OF
        assert {key: value for key, value in after.items() if key != "status_confirmed_on"} == {
            **before,
            "list_records": ["101"],
        }
        [entry] = await audit.latest(app.bot_data["services"].db)
        assert (entry.actor_id, entry.action) == ("cli", "case.sync")
        await settle(app)
        assert texts(api, 1) == texts(api, 2) == []
        # Read again a week later: confirmed again, as of that day.
        assert await cli(listed, "--as-of", "2026-12-01") == 0
        assert (await stored(app, "test-person"))["status_confirmed_on"] == "2026-12-01"
