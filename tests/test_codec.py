"""The case codec and case files: round trips, and errors that name line and field."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.codec import CaseFormatError, case_from_dict, case_to_dict
from cases.files import CSV_COLUMNS, read_caseload_text, read_cases, read_cases_text, write_cases
from cases.model import STATUSES, Case, Detention, Event, Note, Sentence, Source
from languages import LANGUAGES

ROOT = Path(__file__).parent.parent
FORMATS = ("yaml", "json", "csv")
# Texts that break naive writers, or that YAML 1.1 would read as something else.
HOSTILE = "He said \"no\", then: <b>&amp;</b> & #1\nsecond line, 'quoted'"

# What the codec says of a text in a language the bot does not speak.
UNKNOWN_LANGUAGE = f"unknown language; use {', '.join(LANGUAGES[:-1])} or {LANGUAGES[-1]}"


def rich_case() -> Case:
    return Case(
        slug="ina-testava",
        name={"en": 'Ina "Ina" Testava', "be": "Іна Тэстава", "ru": "Ина Тестова"},
        aliases=["Ina Testava-Kovich", "Іна, Тэстава", "2021-07-14", "on", "010"],
        gender="female",
        role={"en": HOSTILE, "be": "true", "ru": "null"},
        organisation={"en": 'Human Rights Center "Viasna"', "be": "«Вясна»", "ru": "- Весна"},
        birth_date=date(1990, 1, 6),
        status="released",
        status_as_of=date(2025, 12, 15),
        status_source="hrw-2025-12-15",
        detained_on=date(2021, 7, 14),
        released_on=date(2025, 12, 13),
        sentence=Sentence(
            years=14,
            months=9,
            sentenced_on=date(2022, 9, 6),
            court={"en": "Minsk City Court", "be": "Мінскі гарадскі суд", "ru": "Мингорсуд"},
            articles=["293", "130.3", "361-1", "361-1.2"],
            source="viasna",
            as_of=date(2025, 7, 14),
            appeal={"en": "Cut to 14 years 9 months:\n  by the Supreme Court"},
            appeal_on=date(2023, 2, 28),
            ends_on=date(2035, 6, 16),
        ),
        detention=Detention(
            inline_place={"en": "Penal colony No. 4, Homel", "ru": "ИК № 4, г. Гомель"},
            source="viasna",
            as_of=date(2025, 7, 14),
            inline_address="вул. Антошкина, 3, 246035, г. Гомель",
            unit="3А",
        ),
        notes=[
            Note("money", {"en": "Transfers are banned | blocked"}, "viasna", date(2025, 7, 14)),
            Note(
                "letters", {"en": "Write", "be": " Пішыце "}, "hrw-2025-12-15", date(2025, 12, 15)
            ),
        ],
        events=[
            Event(date(2023, 2, 28), {"en": "Appeal: term cut", "ru": "Апелляция"}, "viasna"),
            Event(date(2021, 7, 14), {"en": "Detained\n\tin a raid"}, "hrw-2025-12-15"),
        ],
        sources=[
            Source(
                "hrw-2025-12-15", "HRW, 15 December 2025", "https://www.hrw.org/news/2025/12/15"
            ),
            Source("viasna", 'Viasna: "Person", a <page>', "http://spring96.org/en/?a=1&b=2#x"),
        ],
    )


def minimal_case() -> Case:
    return Case(
        slug="abc",
        name={"en": "A"},
        status="detained",
        status_as_of=date(2025, 1, 1),
        status_source="s",
        sources=[Source("s", "S", "https://example.org")],
    )


def write(cases: list[Case], fmt: str) -> str:
    stream = io.StringIO()
    write_cases(cases, fmt, stream)
    return stream.getvalue()


# --- round trips ------------------------------------------------------------

SETS = {
    "rich": [rich_case()],
    "minimal": [minimal_case()],
    "both": [rich_case(), minimal_case()],
    "none": [],
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("which", SETS)
def test_round_trip(fmt: str, which: str) -> None:
    cases = SETS[which]
    text = write(cases, fmt)
    again = read_cases_text(text, fmt, f"cases.{fmt}")
    assert again == cases
    assert write(again, fmt) == text


@pytest.mark.parametrize("fmt", FORMATS)
def test_windows_line_ends_read_the_same(fmt: str) -> None:
    cases = [rich_case(), minimal_case()]
    assert read_cases_text(write(cases, fmt).replace("\n", "\r\n"), fmt, "x") == cases


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_through_a_file(tmp_path: Path, fmt: str) -> None:
    cases = [rich_case(), minimal_case()]
    path = tmp_path / f"cases.{fmt}"
    # newline="" so CSV cells with line breaks are written as they are.
    with path.open("w", encoding="utf-8", newline="") as stream:
        write_cases(cases, fmt, stream)
    assert read_cases(path) == cases


def test_dict_round_trip_keeps_the_documented_key_order() -> None:
    data = case_to_dict(rich_case())
    assert list(data) == [
        "slug", "name", "aliases", "gender", "role", "organisation", "birth_date", "status",
        "status_as_of", "status_source", "detained_on", "released_on", "sentence",
        "detention", "notes", "events", "sources",
    ]  # fmt: skip
    assert list(data["sentence"])[:3] == ["years", "months", "sentenced_on"]
    assert data["birth_date"] == "1990-01-06"
    assert case_from_dict(data, "test") == rich_case()
    assert list(case_to_dict(minimal_case())) == [
        "slug", "name", "status", "status_as_of", "status_source", "sources",
    ]  # fmt: skip


def test_yaml_export_is_readable() -> None:
    text = write([rich_case()], "yaml")
    assert "be: Іна Тэстава" in text  # Cyrillic as is, not \u escapes
    assert "\n    - on: 2023-02-28\n" in text  # dates plain; "on" not quoted
    # Only what this reader would take for a number, a boolean or null is quoted.
    assert "\n    - 2021-07-14\n    - on\n    - '010'\n" in text
    assert "be: 'true'\n    ru: 'null'\n" in text


def test_a_file_without_genders_still_imports_and_csv_keeps_them() -> None:
    """Files written before cases had a gender read as they did; a gender given
    survives CSV, in its own column, as it does YAML and JSON."""
    old = write([minimal_case()], "yaml")
    assert "gender" not in old
    [case] = read_cases_text(old, "yaml", "old.yaml")
    assert case.gender is None
    table = list(csv.DictReader(io.StringIO(write([rich_case(), minimal_case()], "csv"))))
    assert [row["gender"] for row in table] == ["female", ""]
    header = [column for column in CSV_COLUMNS if column != "gender"]
    without = io.StringIO()
    writer = csv.DictWriter(without, header, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(table)
    assert [c.gender for c in read_cases_text(without.getvalue(), "csv", "old.csv")] == [None, None]


def test_csv_header_covers_every_column() -> None:
    header = write([], "csv").splitlines()[0].split(",")
    assert header == list(CSV_COLUMNS)
    assert {"name.ru", "sentence.appeal.be", "detention.address", "events"} <= set(header)


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_a_cases_mapping_is_read_like_a_list(fmt: str) -> None:
    text = {
        "yaml": "cases:\n" + write([minimal_case()], "yaml"),
        "json": '{"cases": ' + write([minimal_case()], "json") + "}",
    }[fmt]
    assert read_cases_text(text, fmt, "x") == [minimal_case()]


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_empty_file_has_no_cases(fmt: str) -> None:
    assert read_cases_text("\ufeff\n", fmt, "x") == []


def test_the_bundled_dataset_survives_a_round_trip() -> None:
    cases = read_cases(ROOT / "data" / "cases.yaml")
    assert cases
    for fmt in FORMATS:
        assert read_cases_text(write(cases, fmt), fmt, f"cases.{fmt}") == cases


def test_the_documented_example_is_valid() -> None:
    doc = (ROOT / "docs" / "case-format.md").read_text(encoding="utf-8")
    example, places = re.findall(r"```yaml\n(.*?)```", doc, re.DOTALL)
    [place] = read_caseload_text(
        places.replace("  - slug: ...", ""), "yaml", "case-format.md"
    ).places
    assert place.address is not None and place.address.postcode == "213410"
    [case] = read_caseload_text(example, "yaml", "case-format.md", known_places={"ik-9"}).cases
    assert case.events[0].on == date(2021, 7, 14)
    assert case.gender == "male"
    assert case.sentence is not None and case.sentence.articles == ["228.4", "342.2"]
    assert case.detention is not None and case.detention.place_key == place.key
    assert case.detention.unit == "14"  # written as a number, read as the unit's text


# --- malformed input ----------------------------------------------------------

BASE_YAML = """\
- slug: ina-testava
  name: {en: Ina Testava, be: Іна Тэстава}
  status: sentenced
  status_as_of: 2025-12-15
  status_source: hrw
  detained_on: 2021-07-14
  sentence:
    years: 10
    months: 0
    sentenced_on: 2023-03-03
    court: {en: Leninsky District Court of Minsk}
    articles: ["228.4", "342.2"]
    source: hrw
    as_of: 2025-12-15
  events:
    - on: 2021-07-14
      text: {en: Detained}
      source: hrw
    - on: 2023-03-03
      text: {en: Sentenced}
      source: hrw
  sources:
    - id: hrw
      title: Human Rights Watch
      url: https://www.hrw.org/news/2025/12/15
"""
SECOND_YAML = BASE_YAML.replace("ina-testava", "second-case")  # starts on line 26

BASE_JSON = """\
[
  {
    "slug": "ina-testava",
    "name": {"en": "Ina Testava", "be": "Іна Тэстава"},
    "status": "sentenced",
    "status_as_of": "2025-12-15",
    "status_source": "hrw",
    "events": [
      {"on": "2021-07-14", "text": {"en": "Detained"}, "source": "hrw"},
      {
        "on": "2023-03-03",
        "text": {"en": "Sentenced"},
        "source": "hrw"
      }
    ],
    "sources": [{"id": "hrw", "title": "HRW", "url": "https://www.hrw.org/news"}]
  }
]
"""


def yaml_with(old: str, new: str, base: str = BASE_YAML) -> str:
    assert base.count(old) == 1, old
    return base.replace(old, new)


def json_with(old: str, new: str) -> str:
    return yaml_with(old, new, BASE_JSON)


def csv_rows() -> list[dict[str, str]]:
    """Two valid rows, the first with a line break inside a quoted cell."""
    first = minimal_case()
    first.name["be"] = "А\nБ"
    text = write([first, rich_case()], "csv")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def csv_with(row: int, header: list[str] | None = None, **cells: str) -> str:
    rows = csv_rows()
    rows[row].update({column.replace("__", "."): value for column, value in cells.items()})
    header = header or list(CSV_COLUMNS)
    stream = io.StringIO()
    writer = csv.DictWriter(stream, header, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return stream.getvalue()


# (format, text, line, field, message); CSV row 0 spans lines 2-3, so row 1 is line 4.
# fmt: off
MALFORMED = {
    "missing name.en": (
        "yaml", yaml_with("{en: Ina Testava, be:", "{be:"), 2, "name.en", "is required",
    ),
    "missing status": (
        "yaml", yaml_with("  status: sentenced\n", ""), 1, "status", "is required",
    ),
    "bad date format": (
        "yaml", yaml_with("as_of: 2025-12-15\n  status", "as_of: 15.12.2025\n  status"),
        4, "status_as_of", 'must be a date YYYY-MM-DD, got "15.12.2025"',
    ),
    "impossible date deep in a list": (
        "yaml", yaml_with("- on: 2023-03-03", "- on: 2023-02-30"),
        19, "events[1].on", 'must be a date YYYY-MM-DD, got "2023-02-30"',
    ),
    "unknown gender": (
        "yaml", yaml_with("  status: sentenced", "  gender: f\n  status: sentenced"), 3, "gender",
        'must be one of female, male; got "f"',
    ),
    "unknown status": (
        "yaml", yaml_with("status: sentenced", "status: free"), 3, "status",
        'must be one of detained, sentenced, released, in_exile, deceased; got "free"',
    ),
    "bad slug": (
        "yaml", yaml_with("slug: ina-testava", "slug: Ina_Testava"), 1, "slug",
        'must be 3-40 characters of a-z, 0-9 and -, got "Ina_Testava"',
    ),
    "unknown key": (
        "yaml", yaml_with("  detained_on:", "  birthday: 1990-01-06\n  detained_on:"),
        6, "birthday", 'unknown key; did you mean "birth_date"?',
    ),
    "wrong type: words for a number": (
        "yaml", yaml_with("years: 10", "years: ten"), 8, "sentence.years",
        'must be a whole number, got "ten"',
    ),
    "wrong type: text instead of a mapping": (
        "yaml", yaml_with("{en: Ina Testava, be: Іна Тэстава}", "Ina Testava"), 2, "name",
        f'must be a mapping of {", ".join(LANGUAGES)} texts, got "Ina Testava"',
    ),
    "months 12": (
        "yaml", yaml_with("months: 0", "months: 12"), 9, "sentence.months",
        "must be less than 12, got 12",
    ),
    "negative years in the second record": (
        "yaml", BASE_YAML + yaml_with("years: 10", "years: -1", SECOND_YAML),
        33, "sentence.years", "must not be negative, got -1",
    ),
    "unquoted article": (
        "yaml", yaml_with('["228.4",', "[228.4,"), 12, "sentence.articles[0]",
        'must be quoted text such as "228.4", got 228.4',
    ),
    "bad article": (
        "yaml", yaml_with('"342.2"]', '"art. 342"]'), 12, "sentence.articles[1]",
        'must be an article such as "228", "228.4" or "361-1", got "art. 342"',
    ),
    "dangling source reference": (
        "yaml", yaml_with("    source: hrw\n    as_of", "    source: viasna\n    as_of"),
        13, "sentence.source", 'unknown source "viasna"; sources are: hrw',
    ),
    "duplicate source id": (
        "yaml", BASE_YAML + "    - id: hrw\n      title: Again\n      url: https://hrw.org\n",
        26, "sources[1].id", "duplicate source id, also sources[0].id",
    ),
    "duplicate slug": (
        "yaml", BASE_YAML + BASE_YAML, 26, "slug", "duplicate slug, first used on line 1",
    ),
    "non-http url": (
        "yaml", yaml_with("https://www.hrw.org", "ftp://www.hrw.org"), 25, "sources[0].url",
        'must be an http(s) URL, got "ftp://www.hrw.org/news/2025/12/15"',
    ),
    "unknown language key de": (
        "yaml", yaml_with("be: Іна Тэстава}", "de: Ina Testawa}"), 2, "name.de",
        UNKNOWN_LANGUAGE,
    ),
    "sentenced before detained": (
        "yaml", yaml_with("detained_on: 2021-07-14", "detained_on: 2023-07-14"),
        10, "sentence.sentenced_on", "must not be before detained_on (2023-07-14)",
    ),
    "released before detained": (
        "yaml", yaml_with("  sentence:", "  released_on: 2021-07-13\n  sentence:"),
        7, "released_on", "must not be before detained_on (2021-07-14)",
    ),
    "duplicate YAML key": (
        "yaml", yaml_with("  status: sentenced\n", "  status: sentenced\n  status: released\n"),
        4, "status", "duplicate key",
    ),
    "invalid YAML syntax": (
        "yaml", yaml_with("months: 0", "months: 0: 1"), 9, "",
        "not valid YAML: mapping values are not allowed in this context",
    ),
    "not a list of cases": (
        "yaml", "slug: ina-testava\n", 1, "",
        "must be a list of cases, or a mapping {places: [...], cases: [...]}",
    ),
    "JSON syntax error": (
        "json", json_with('"sentenced",', '"sentenced"'), 6, "",
        "not valid JSON: Expecting ',' delimiter (column 5)",
    ),
    "JSON bad date on its own line": (
        "json", json_with('"on": "2023-03-03"', '"on": "2023-13-03"'), 11, "events[1].on",
        'must be a date YYYY-MM-DD, got "2023-13-03"',
    ),
    "JSON unknown language in a one-line event": (
        "json", json_with('{"en": "Detained"}', '{"en": "Detained", "de": "Verhaftet"}'),
        9, "events[0].text.de", UNKNOWN_LANGUAGE,
    ),
    "JSON inside a cases mapping": (
        "json", '{"cases":\n' + json_with('"on": "2023-03-03"', '"on": "2023-13-03"') + "}",
        12, "events[1].on", 'must be a date YYYY-MM-DD, got "2023-13-03"',
    ),
    "a record that is not a mapping": (
        "yaml", BASE_YAML + "- just a name\n", 26, "", 'must be a mapping, got "just a name"',
    ),
    "JSON duplicate key": (
        "json", json_with('"status_source": "hrw",', '"status_source": "hrw", "status": "x",'),
        7, "status", "duplicate key",
    ),
    "JSON non-http url": (
        "json", json_with("https://www.hrw.org/news", "javascript:alert(1)"), 16,
        "sources[0].url", 'must be an http(s) URL, got "javascript:alert(1)"',
    ),
    "CSV bad events JSON cell": (
        "csv", csv_with(1, events='[{"on": "2021-07-14",]'), 4, "events",
        "not valid JSON: Expecting property name enclosed in double quotes (character 22)",
    ),
    "CSV bad date inside the events cell": (
        "csv", csv_with(1, events='[{"on": "2021-7-14", "text": {"en": "x"}, "source": "viasna"}]'),
        4, "events[0].on", 'must be a date YYYY-MM-DD, got "2021-7-14"',
    ),
    "CSV missing slug column": (
        "csv", csv_with(0, header=[c for c in CSV_COLUMNS if c != "slug"]), 1, "slug",
        "required column is missing",
    ),
    "CSV unknown column": (
        "csv", csv_with(0, header=[*CSV_COLUMNS, "name.de"]), 1, "name.de", "unknown column",
    ),
    "CSV unit on two lines": (
        "csv", csv_with(1, detention__unit="14\nотряд 2"), 4, "detention.unit",
        'must be one line of at most 20 characters, got "14\\nотряд 2"',
    ),
    "CSV months 12": (
        "csv", csv_with(1, sentence__months="12"), 4, "sentence.months",
        "must be less than 12, got 12",
    ),
    "CSV words for a number": (
        "csv", csv_with(1, sentence__years="ten"), 4, "sentence.years",
        'must be a whole number, got "ten"',
    ),
    "CSV empty alias between separators": (
        "csv", csv_with(1, aliases="A||B"), 4, "aliases[1]", "must not be empty",
    ),
    "CSV duplicate slug": (
        "csv", csv_with(1, slug="abc"), 4, "slug", "duplicate slug, first used on line 2",
    ),
}


@pytest.mark.parametrize(("fmt", "text", "line", "field", "message"), MALFORMED.values(),
                         ids=MALFORMED.keys())  # fmt: skip
def test_malformed_input_names_line_and_field(
    fmt: str, text: str, line: int, field: str, message: str
) -> None:
    with pytest.raises(CaseFormatError) as caught:
        read_cases_text(text, fmt, f"cases.{fmt}")
    error = caught.value
    assert (error.line, error.field, error.message) == (line, field, message)
    assert str(error) == ": ".join(part for part in (f"cases.{fmt} line {line}", field, message)
                                   if part)  # fmt: skip


def test_status_as_of_in_the_future_is_rejected_when_today_is_given() -> None:
    assert read_cases_text(BASE_YAML, "yaml", "cases.yaml", today=date(2025, 12, 15))
    with pytest.raises(CaseFormatError) as caught:
        read_cases_text(BASE_YAML, "yaml", "cases.yaml", today=date(2025, 12, 14))
    assert str(caught.value) == (
        "cases.yaml line 4: status_as_of: must not be in the future, got 2025-12-15"
        " (today is 2025-12-14)"
    )


def test_the_sample_message_reads_as_documented() -> None:
    with pytest.raises(CaseFormatError) as caught:
        read_cases_text(yaml_with("years: 10", "years: ten"), "yaml", "cases.yaml")
    expected = 'cases.yaml line 8: sentence.years: must be a whole number, got "ten"'
    assert str(caught.value) == expected


def test_codec_errors_carry_the_given_where() -> None:
    with pytest.raises(CaseFormatError) as caught:
        case_from_dict({"slug": "abc"}, "upload record 3")
    assert str(caught.value) == "upload record 3: name: is required"
    assert caught.value.line is None


def test_unknown_file_type(tmp_path: Path) -> None:
    path = tmp_path / "cases.txt"
    path.write_text("- slug: abc\n", encoding="utf-8")
    with pytest.raises(CaseFormatError) as caught:
        read_cases(path)
    assert str(caught.value) == "cases.txt: unsupported file type; use .yaml, .yml, .json or .csv"


def test_a_file_that_is_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "cases.yml"
    path.write_bytes(b"- slug: abc\n  name: {en: \xff}\n")
    with pytest.raises(CaseFormatError) as caught:
        read_cases(path)
    assert str(caught.value) == "cases.yml line 2: not UTF-8 text"


# --- property: any valid case survives every format -------------------------

# Any text the codec accepts: no surrogates, no control characters but tab and newline.
characters = st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp"), include_characters="\n\t")
texts = st.text(characters, min_size=1, max_size=30).filter(str.strip)
days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
slugs = st.from_regex(r"[a-z0-9-]{3,20}", fullmatch=True)
# A unit (отряд) is one short line, as the reader keeps it: no tab, no line break, trimmed.
units = texts.map(str.strip).filter(
    lambda unit: unit and len(unit) <= 20 and "\t" not in unit and "\n" not in unit
)


@st.composite
def localised(draw: st.DrawFn) -> dict[str, str]:
    others = draw(st.lists(st.sampled_from(LANGUAGES[1:]), unique=True))
    return {lang: draw(texts) for lang in LANGUAGES if lang == "en" or lang in others}


@st.composite
def generated_cases(draw: st.DrawFn) -> Case:
    ids = draw(st.lists(texts, min_size=1, max_size=3, unique=True))
    sources = [
        Source(source_id, draw(texts), draw(st.sampled_from(["http", "https"])) + "://x.org/"
               + draw(st.from_regex(r"[a-z0-9/?=&.-]{0,20}", fullmatch=True)))
        for source_id in ids
    ]  # fmt: skip
    ref = st.sampled_from(ids)
    detained_on = draw(st.none() | days)
    later = days if detained_on is None else st.dates(min_value=detained_on)
    born = days if detained_on is None else st.dates(max_value=detained_on - timedelta(days=1))
    birth_date = draw(st.none() | born)
    sentence = draw(st.none() | st.builds(
        Sentence, years=st.integers(0, 30), months=st.integers(0, 11), sentenced_on=later,
        court=localised(), articles=st.lists(
            st.from_regex(r"[0-9]{1,3}(-[0-9])?(\.[0-9])?", fullmatch=True), min_size=1),
        source=ref, as_of=days, appeal=st.none() | localised(), appeal_on=st.none() | days,
        ends_on=st.none() | days,
    ))  # fmt: skip
    return Case(
        slug=draw(slugs),
        name=draw(localised()),
        aliases=draw(st.lists(texts.filter(lambda s: "|" not in s), max_size=3)),
        gender=draw(st.sampled_from([None, "female", "male"])),
        role=draw(st.none() | localised()),
        organisation=draw(st.none() | localised()),
        birth_date=birth_date,
        status=draw(st.sampled_from(STATUSES)),
        status_as_of=draw(days),
        status_source=draw(ref),
        detained_on=detained_on,
        released_on=draw(st.none() | later),
        sentence=sentence,
        detention=draw(st.none() | st.builds(
            Detention, inline_place=localised(), source=ref, as_of=days,
            inline_address=st.none() | texts, unit=st.none() | units)),
        notes=draw(st.lists(st.builds(
            Note, kind=st.sampled_from(["letters", "money", "other"]), text=localised(),
            source=ref, as_of=days), max_size=2)),
        events=draw(st.lists(st.builds(Event, on=days, text=localised(), source=ref), max_size=3)),
        sources=sources,
    )  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(generated_cases(), max_size=3, unique_by=lambda case: case.slug))
def test_any_valid_case_survives_every_format(cases: list[Case]) -> None:
    for fmt in FORMATS:
        text = write(cases, fmt)
        again = read_cases_text(text, fmt, f"cases.{fmt}")
        assert again == cases, fmt
        assert write(again, fmt) == text, fmt


# --- hostile files ---

BILLION_LAUGHS = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


def test_yaml_aliases_are_refused_before_they_expand() -> None:
    with pytest.raises(CaseFormatError) as caught:
        read_cases_text(BILLION_LAUGHS, "yaml", "bomb.yaml")
    assert str(caught.value) == (
        "bomb.yaml line 2: b[0]: uses an alias (*name): write the value out"
    )


def test_an_alias_inside_a_case_names_its_field() -> None:
    text = BASE_YAML.replace("status_source: hrw", "status_source: &src hrw").replace(
        "    source: hrw\n    as_of", "    source: *src\n    as_of", 1
    )
    with pytest.raises(CaseFormatError) as caught:
        read_cases_text(text, "yaml", "cases.yaml")
    assert (caught.value.line, caught.value.field, caught.value.message) == (
        13,
        "sentence.source",
        "uses an alias (*name): write the value out",
    )


TOO_DEEP = "is nested too deeply to be a cases file"


@pytest.mark.parametrize(
    ("fmt", "text", "message"),
    [
        ("yaml", "[" * 100 + "]" * 100, TOO_DEEP),
        ("yaml", "".join(f"{'  ' * depth}k:\n" for depth in range(200)), TOO_DEEP),
        # libyaml stops first, at its own limit
        ("yaml", "[" * 100_000 + "]" * 100_000, "not valid YAML: exceeded maximum nesting depth"),
        ("json", "[" * 100 + "]" * 100, TOO_DEEP),
        ("json", "[" * 100_000 + "]" * 100_000, TOO_DEEP),
    ],
)
def test_deep_nesting_is_one_clear_error(fmt: str, text: str, message: str) -> None:
    with pytest.raises(CaseFormatError) as caught:
        read_cases_text(text, fmt, f"deep.{fmt}")
    assert caught.value.message == message


def test_a_file_over_the_size_limit_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"[]\n" + b"# padding\n" * 60_000)  # an empty list, padded to 600 kB
    with pytest.raises(CaseFormatError) as caught:
        read_cases(path, max_bytes=500_000)
    assert str(caught.value) == "big.yaml: is 0.6 MB; files of up to 0.5 MB are read"
    assert read_cases(path, max_bytes=1_000_000) == []


def test_only_one_yaml_document() -> None:
    with pytest.raises(CaseFormatError) as caught:
        read_cases_text(BASE_YAML + "---\n" + BASE_YAML, "yaml", "two.yaml")
    assert (caught.value.line, caught.value.message) == (
        26,
        "not valid YAML: expected a single document",
    )
