"""Exports shaped like Viasna's, written by a test: fictional people only (no tests of its own).

``export(rows, language)`` writes the machine header set; each row is a dict of
the columns it fills (the others are empty), ``id`` and ``url`` made up from
a short name when not given.
"""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path

import bot as bot_module

MACHINE = (
    "id", "url", "name", "status", "gender", "photo", "description", "birthday", "arrested",
    "articles", "prison", "declaration", "decision", "penalty", "judge", "councel",
    "penalty_start_date", "release_date", "verdict_date", "appeal_date", "fake_terrorist_list",
    "died", "clusters",
)  # fmt: skip
SITE = "https://prisoners.example.org"
COLONY_9 = "ИК-9\n213410, г. Горки, ул. Добролюбова, 16"
COLONY_2 = "ИК-2\n213800, г. Бобруйск, ул. Сикорского, 1"
REMAND_1 = "СИЗО-1\n220030, г. Минск, ул. Володарского, 2"


def row(person: str, record_id: int, language: str = "ru", **cells: str) -> dict[str, str]:
    """A row of ``person`` (the page's name, e.g. "ivan-testau"), as that export writes it."""
    return {
        "id": str(record_id),
        "url": f"{SITE}/{language}/person/{person}",
        "status": "active",
        **cells,
    }


def export(rows: list[dict[str, str]], *, delimiter: str = ",", bom: bool = False) -> bytes:
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=delimiter, lineterminator="\n")
    writer.writerow(MACHINE)
    for cells in rows:
        writer.writerow([cells.get(column, "") for column in MACHINE])
    data = stream.getvalue().encode("utf-8")
    return b"\xef\xbb\xbf" + data if bom else data


def write(folder: Path, name: str, rows: list[dict[str, str]], **options) -> Path:
    path = folder / name
    path.write_bytes(export(rows, **options))
    return path


def sync_cli(monkeypatch, db_path: Path):
    """``python bot.py sync ...`` in a thread of its own (it runs its own event loop)."""
    monkeypatch.setenv("BOT_DB", str(db_path))

    async def run(*arguments: str) -> int:
        return await asyncio.to_thread(bot_module.main, ["sync", *map(str, arguments)])

    return run
