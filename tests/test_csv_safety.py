"""CSV exports are safe to open in a spreadsheet and read back exactly, at any size the
cap allows."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot import command_export, command_import
from cases.codec import CaseFormatError
from cases.files import read_cases_text, write_cases
from cases.model import Note
from tests.conftest import TODAY
from tests.test_alerts_support import make_case
from tests.test_import_export import snapshot

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Texts the codec accepts, starting the way a spreadsheet formula (or its escape) does.
characters = st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp"), include_characters="\t")
risky_texts = st.builds(
    lambda lead, rest: lead + rest,
    st.text(st.sampled_from(["'", "=", "+", "-", "@", "\t", " "]), min_size=1, max_size=4),
    st.text(characters, max_size=20),
)


def exported(cases) -> str:
    stream = io.StringIO()
    write_cases(cases, "csv", stream)
    return stream.getvalue()


def cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=risky_texts, address=risky_texts, alias=risky_texts.filter(lambda s: "|" not in s))
def test_formula_like_cells_are_neutralised_and_read_back_exactly(name, address, alias):
    detention = {
        "place": {"en": "Colony"},
        "address": address,
        "source": "src",
        "as_of": "2025-01-01",
    }
    try:
        case = make_case(name={"en": name}, aliases=[alias], detention=detention)
    except CaseFormatError:
        assume(False)  # not a text the codec accepts: blank, say
    text = exported([case])
    assert not any(cell.startswith(FORMULA_STARTS) for cell in cells(text))
    assert read_cases_text(text, "csv", "cases.csv") == [case]


def test_the_mark_is_the_one_spreadsheets_use():
    case = make_case(name={"en": '=HYPERLINK("http://x","click")'}, aliases=["@home", "-1"])
    row = next(csv.DictReader(io.StringIO(exported([case]))))
    assert row["name.en"] == '\'=HYPERLINK("http://x","click")'
    assert row["aliases"] == "'@home|-1"  # one cell, one mark at its start
    # A hand-made file that uses the mark reads as the text after it.
    assert read_cases_text(exported([case]), "csv", "cases.csv")[0].name["en"].startswith("=")


async def test_a_near_cap_export_imports_back_unchanged(settings, tmp_path, capsys):
    # One case whose notes cell alone is about 4 MB: far over csv's default field limit.
    paragraph = "Letters are delivered slowly; please write in Russian or Belarusian. " * 600
    notes = [
        Note(kind="other", text={"en": f"{number}: {paragraph}"}, source="src", as_of=TODAY)
        for number in range(100)
    ]
    big = replace(make_case(), notes=notes)
    source = tmp_path / "big.csv"
    source.write_text(exported([big, make_case("other-person")]), encoding="utf-8")
    size = source.stat().st_size
    assert 3_500_000 < size < settings.max_file_bytes

    assert await command_import(settings, source) == 0
    before = snapshot(settings.db_path)
    again = tmp_path / "again.csv"
    assert await command_export(settings, "csv", again) == 0
    assert await command_import(settings, again) == 0
    assert snapshot(settings.db_path) == before
    assert "0 added, 0 changed, 2 unchanged" in capsys.readouterr().out
