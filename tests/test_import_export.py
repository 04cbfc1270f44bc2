"""`bot.py import` and `export`: all or nothing, and export reads back unchanged."""

import io
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot import BUNDLED_CASES, command_export, command_import, seed_if_empty
from cases.files import read_cases, write_cases
from storage import cases as case_store
from storage.db import connect

ROOT = Path(__file__).parents[1]


def snapshot(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT slug, record FROM cases ORDER BY slug").fetchall()


@pytest.fixture
async def seeded(settings):
    db = await connect(settings.db_path)
    await seed_if_empty(db)
    await db.close()
    return settings


BAD_FILES = {
    "bad-date.yaml": (
        "- slug: new-person\n  name: {en: New Person}\n  status: detained\n"
        "  status_as_of: 2025-13-01\n  status_source: s\n"
        "  sources: [{id: s, title: T, url: 'https://example.org'}]\n",
        "bad-date.yaml line 4: status_as_of: must be a date YYYY-MM-DD",
    ),
    "unknown-status.json": (
        '[{"slug": "new-person", "name": {"en": "N"}, "status": "missing",\n'
        '  "status_as_of": "2025-01-01", "status_source": "s",\n'
        '  "sources": [{"id": "s", "title": "T", "url": "https://example.org"}]}]\n',
        "unknown-status.json line 1: status:",
    ),
    "no-slug.csv": ("name.en,status\nSomeone,detained\n", "no-slug.csv"),
    "syntax.yaml": ("- slug: [unclosed\n", "syntax.yaml line"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
async def test_a_bad_file_writes_nothing_and_names_line_and_field(seeded, tmp_path, capsys, name):
    text, expected = BAD_FILES[name]
    # A good record first: it must not land either.
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    before = snapshot(seeded.db_path)
    assert await command_import(seeded, path) == 1
    error = capsys.readouterr().err
    assert error.startswith("import failed, nothing written: ")
    assert expected in error
    assert snapshot(seeded.db_path) == before


async def test_a_bad_second_record_rolls_back_the_first(seeded, tmp_path, capsys):
    cases = read_cases(BUNDLED_CASES)
    cases[0].name["en"] = "Changed Name"
    stream = io.StringIO()
    write_cases(cases[:1], "yaml", stream)
    broken = stream.getvalue() + "- slug: Bad Slug!\n  name: {en: X}\n"
    path = tmp_path / "mixed.yaml"
    path.write_text(broken, encoding="utf-8")
    before = snapshot(seeded.db_path)
    assert await command_import(seeded, path) == 1
    # The bad record starts on the line after the good one (its length depends on the languages).
    bad_line = stream.getvalue().count("\n") + 1
    assert f"mixed.yaml line {bad_line}: status: is required" in capsys.readouterr().err
    assert snapshot(seeded.db_path) == before


async def test_a_failure_inside_the_merge_rolls_everything_back(seeded):
    cases = read_cases(BUNDLED_CASES)
    for case in cases:
        case.aliases.append("Changed")
    before = snapshot(seeded.db_path)

    async def fail_after_writing(db, report):
        assert len(report.changed) == 5  # every case was written by now
        raise RuntimeError("disk full")

    db = await connect(seeded.db_path)
    with pytest.raises(RuntimeError):
        await case_store.merge_cases(db, cases, on_merged=fail_after_writing)
    await db.close()
    assert snapshot(seeded.db_path) == before


async def test_import_merges_by_slug(seeded, tmp_path, capsys):
    cases = read_cases(BUNDLED_CASES)
    cases[1].aliases.append("Someone Else")
    path = tmp_path / "one.json"
    with path.open("w", encoding="utf-8") as stream:
        write_cases(cases[1:2], "json", stream)
    assert await command_import(seeded, path) == 0
    assert "0 added, 1 changed, 0 unchanged" in capsys.readouterr().out
    db = await connect(seeded.db_path)
    stored = await case_store.get_case(db, cases[1].slug)
    await db.close()
    assert "Someone Else" in stored.aliases
    assert len(snapshot(seeded.db_path)) == 5


@pytest.mark.parametrize("fmt", ["yaml", "json", "csv"])
async def test_export_then_import_changes_nothing(seeded, tmp_path, capsys, fmt):
    target = tmp_path / f"all.{fmt}"
    assert await command_export(seeded, fmt, target) == 0
    before = snapshot(seeded.db_path)
    assert await command_import(seeded, target) == 0
    assert "0 added, 0 changed, 5 unchanged" in capsys.readouterr().out
    assert snapshot(seeded.db_path) == before
    again = tmp_path / f"again.{fmt}"
    await command_export(seeded, fmt, again)
    assert again.read_bytes() == target.read_bytes()


def test_command_line_export_to_stdout(tmp_path):
    result = subprocess.run(
        [sys.executable, "bot.py", "export", "--format", "csv"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "BOT_DB": str(tmp_path / "db.sqlite3")},
    )
    assert result.returncode == 0, result.stderr
    header, *rows = result.stdout.splitlines()
    assert header.startswith("slug,")
    assert any(row.startswith("ales-bialiatski,") for row in rows)
