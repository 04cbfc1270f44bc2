"""Viasna's export as an operator needs it read: what each row says, and what was not understood.

Every person in these exports is FICTIONAL (names, pages, judges, places'
addresses); none is copied from Viasna's list. Pure tests: no Application.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from bench import viasna_export as generator
from bot import BUNDLED_CASES
from cases.dates import PartialDate
from cases.files import read_cases, write_cases
from sync.articles import articles_cell
from sync.cells import region_cell, sentence_cell
from sync.export import ExportError, read_export
from sync.people import join_languages
from sync.places import place_key, prison_cell

MACHINE = generator.MACHINE_HEADER
SITE = "https://prisoners.example.org"
# Officials' names: invented, and never to come out of the reader.
JUDGE, COUNSEL, PROSECUTOR = "Fiktsiunova Zoya", "Pridumkin Gleb", "Vymyslau Taras"
JUDGE_RU = "Фикциюнова Зоя"


def machine_export(
    rows: list[dict[str, str]], delimiter: str = ",", bom: bool = False, extra: tuple = ()
) -> bytes:
    """A machine export of ``rows`` (machine field -> cell; the rest empty)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow([*MACHINE, *extra])
    for row in rows:
        writer.writerow([row.get(field, "") for field in (*MACHINE, *extra)])
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def person_row(record_id: str, language: str, slug: str, name: str, **cells: str) -> dict:
    return {
        "id": record_id,
        "url": f"{SITE}/{language}/person/{slug}",
        "name": name,
        "status": "active",
        "judge": JUDGE,
        "councel": COUNSEL,
        "photo": f"{SITE}/photo/{record_id}.jpg",
        "description": "A fictional person, written for this test.",
        **cells,
    }


# Hanna Zmyslova (fictional) was held in 2020-2021, freed, and re-arrested in
# 2024; Hanna Zmyslova the namesake (fictional too) has a page of her own.
NAMES = {
    "ru": ("Змыслова Анна Петровна", "Змыслова Анна Петровна"),
    "be": ("Змыслова Ганна Пятроўна", "Змыслова Ганна Пятроўна"),
    "en": ("Zmyslova Hanna Piatrouna", "Zmyslova Hanna Piatrouna"),
}
PRISON = {
    "ru": "Исправительная колония № 4, Гомель\n246035, г. Гомель, ул. Примерная, 3",
    "be": "Папраўчая калонія № 4, Гомель\n246035, г. Гомель, ул. Примерная, 3",
    "en": "Penal colony No. 4, Homel\n246035, г. Гомель, ул. Примерная, 3",
}
RELEASED = {"ru": "освобождена", "be": "вызвалена", "en": "released"}


def three_rows(language: str) -> list[dict]:
    first, namesake = NAMES[language]
    rows = [
        person_row("5002", language, "hanna-zmyslova", first, arrested="14.03.2024",
                   prison=PRISON[language], articles="ч. 1 ст. 342 УК", clusters="Гомель",
                   birthday="02.05.1990", gender="female"),
        person_row("5001", language, "hanna-zmyslova", first, status="former",
                   arrested="10.08.2020", release_date="09.08.2021", prison=RELEASED[language],
                   birthday="02.05.1990", gender="female"),
        person_row("5003", language, "hanna-zmyslova-2", namesake, status="np",
                   birthday="1971", gender="female"),
    ]  # fmt: skip
    # Each language lists the rows in its own order.
    return rows if language == "ru" else rows[::-1] if language == "en" else rows[1:] + rows[:1]


def exports_in_three_languages() -> list:
    return [
        read_export(machine_export(three_rows(language)), f"viasna-{language}.csv")
        for language in ("ru", "be", "en")
    ]


def test_the_three_languages_join_by_id_into_people_with_several_prosecutions():
    exports = exports_in_three_languages()
    assert [export.language for export in exports] == ["ru", "be", "en"]
    assert all(export.header_set == "machine" and not export.problems for export in exports)

    people = join_languages(exports)

    assert [person.key for person in people] == [
        "person/hanna-zmyslova",
        "person/hanna-zmyslova-2",
    ]
    held, namesake = people
    # Two prosecutions, the earlier first; the same name is never reason enough to join.
    assert [record.record_id for record in held.records] == ["5001", "5002"]
    assert held.names == {
        "ru": "Змыслова Анна Петровна",
        "be": "Змыслова Ганна Пятроўна",
        "en": "Zmyslova Hanna Piatrouna",
    }
    assert held.urls["be"] == f"{SITE}/be/person/hanna-zmyslova"
    earlier, latest = held.records
    assert earlier.row.status == "former" and earlier.row.prison.kind == "released"
    assert earlier.row.released_on == PartialDate(2021, 8, 9)
    assert latest.row.status == "active"
    assert latest.rows["be"].prison.name == "Папраўчая калонія № 4, Гомель"
    assert latest.rows["en"].prison.name == "Penal colony No. 4, Homel"
    assert latest.row.prison.postcode == "246035"
    assert latest.row.prison.address_lines == ("г. Гомель", "ул. Примерная, 3")
    assert latest.row.articles.codes == ("342.1",)
    assert latest.row.region == "homel"
    assert namesake.names["ru"] == held.names["ru"]
    assert [record.record_id for record in namesake.records] == ["5003"]
    assert namesake.latest.row.birth_date == PartialDate(1971)


def test_a_row_missing_in_one_language_is_there_in_the_others():
    ru, be, en = exports_in_three_languages()
    en_rows = [row for row in three_rows("en") if row["id"] != "5003"]
    en = read_export(machine_export(en_rows), "viasna-en.csv")

    people = {person.key: person for person in join_languages([ru, be, en])}

    assert set(people["person/hanna-zmyslova-2"].names) == {"ru", "be"}
    assert set(people["person/hanna-zmyslova"].names) == {"ru", "be", "en"}


def test_two_exports_in_one_language_are_refused():
    ru, _, _ = exports_in_three_languages()
    again = read_export(machine_export(three_rows("ru")), "viasna-ru-2.csv")
    with pytest.raises(ExportError, match=r"viasna-ru\.csv and viasna-ru-2\.csv: two exports"):
        join_languages([ru, again])


# --- labelled exports ---------------------------------------------------------------

# Written out as the files are, one row a line (the lines are long).
LABELLED = {
    "en": """Name and surname,Status,Date of birth,Gender,Date of detention,Charges indicted,Date of verdict,Sentence,Penalty,Judge,Prosecutor,Prison
Zmyslova Hanna Piatrouna,Political prisoner,2 May 1990,Female,april 2024,"Part 1 of Art. 342 of the Criminal Code
Art. 361-4 of the Criminal Code",29 September 2024,4 1/2 years,imprisonment in a penal colony,{judge},{prosecutor},"Penal colony No. 4, Homel
246035, г. Гомель, ул. Примерная, 3"
Kvietka Ales Ivanavich,"Former political prisoner
Recognized ex post facto",1985-03,Male,2021,Art. 342 part 2,2021-12-01,3 years,restricted freedom,{judge},,released
Rabinka Yan Pavalavich,,unknown,Male,,,,,,,,
""",  # noqa: E501
    "ru": """Имя и фамилия,Статус,Дата рождения,Пол,Дата задержания,Предъявлены обвинения,Дата приговора,Решение суда,Вид наказания,Судья,Прокурор,Место заключения
Змыслова Анна Петровна,Политзаключённая,2 мая 1990,Женский,апрель 2024,"ч. 1 ст. 342 УК
ст. 361-4 УК",29 сентября 2024,4 года 6 месяцев,лишение свободы,{judge},{prosecutor},"Исправительная колония № 4, Гомель
246035, г. Гомель, ул. Примерная, 3"
Кветка Алесь Иванович,"Бывший политзаключенный
Признан постфактум",03.1985,Мужской,2021,ч. 2 ст. 342 УК,01.12.2021,3 года,ограничение свободы,{judge},,освобожден
Рабинка Ян Павлович,,неизвестно,Мужской,,,,,,,,
""",  # noqa: E501
    "be": """Імя і прозвішча,Статус,Дата нараджэння,Пол,Дата затрымання,Прад’яўлены абвінавачванні,Дата прысуду,Рашэнне суда,Від пакарання,Суддзя,Пракурор,Месца зняволення
Змыслова Ганна Пятроўна,Палітвязынка,2 траўня 1990,Жанчына,красавік 2024,"ч. 1 арт. 342 КК
арт. 361-4 КК",29 верасня 2024,4 гады 6 месяцаў,пазбаўленне волі,{judge},{prosecutor},"Папраўчая калонія № 4, Гомель
246035, г. Гомель, ул. Примерная, 3"
Кветка Алесь Іванавіч,"Былы палітвязень
Прызнаны постфактум",03.1985,Мужчына,2021,арт. 342 ч. 2,01.12.2021,3 гады,абмежаванне волі,{judge},,вызвалены
Рабінка Ян Паўлавіч,,невядома,Мужчына,,,,,,,,
""",  # noqa: E501
}


def labelled(language: str) -> bytes:
    text = LABELLED[language].format(judge=JUDGE, prosecutor=PROSECUTOR)
    return text.encode("utf-8")


@pytest.mark.parametrize("language", ["en", "ru", "be"])
def test_a_labelled_export_in_each_language(language):
    export = read_export(labelled(language), f"list-{language}.csv")

    assert (export.language, export.header_set) == (language, "labelled")
    assert export.problems == () and export.unknown_columns == ()
    assert export.row_count == 3
    held, former, not_recognised = export.rows
    assert held.line == 2 and former.line == 5 and not_recognised.line == 7
    assert (held.status, held.gender, held.ex_post_facto) == ("active", "female", False)
    assert held.birth_date == PartialDate(1990, 5, 2)
    assert held.arrested_on == PartialDate(2024, 4)
    assert held.verdict_on == PartialDate(2024, 9, 29)
    assert held.articles.codes == ("342.1", "361-4")
    assert held.decision.term == (4, 6)
    assert held.penalty.term is None and held.penalty.text
    assert held.prison.kind == "place" and held.prison.postcode == "246035"
    assert (former.status, former.gender, former.ex_post_facto) == ("former", "male", True)
    assert former.birth_date == PartialDate(1985, 3)
    assert former.arrested_on == PartialDate(2021)
    assert former.articles.codes == ("342.2",)
    assert former.decision.term == (3, 0)
    assert former.prison.kind == "released"
    # An empty status is someone not recognised, as the machine export's "np".
    assert not_recognised.status == "np"
    assert not_recognised.birth_date is None and not_recognised.prison is None
    # Without ids, a labelled export's rows stand alone.
    assert held.record_id is None and held.person_key is None
    assert len(join_languages([export])) == 3


def test_byte_order_mark_and_semicolons_read_like_the_plain_file():
    rows = three_rows("ru")
    plain = read_export(machine_export(rows), "plain.csv")
    marked = read_export(machine_export(rows, delimiter=";", bom=True), "marked.csv")

    assert (plain.delimiter, marked.delimiter) == (",", ";")
    assert marked.rows == plain.rows and marked.problems == ()
    assert marked.sha256 != plain.sha256


def test_cells_over_several_lines_keep_every_row_on_its_own_first_line():
    rows = [
        person_row("1", "ru", "a-first", "Первая Анна", description="one\ntwo\nthree",
                   prison="ИК-4\n246035, г. Гомель\nул. Примерная, 3"),
        person_row("2", "ru", "b-second", "Вторая Анна", birthday="31.02.1990"),
        person_row("3", "ru", "c-third", "Третья Анна"),
    ]  # fmt: skip
    export = read_export(machine_export(rows), "lines.csv")

    # Row 1 starts on line 2 and spans five: two cells of three lines each.
    assert [row.line for row in export.rows] == [2, 8]
    assert export.rows[0].prison.address_lines == ("г. Гомель", "ул. Примерная, 3")
    (problem,) = export.problems
    assert (problem.line, problem.record_id) == (7, "2")


def test_partial_dates_stay_partial():
    written = {
        "04.2021": PartialDate(2021, 4),
        "2021-04": PartialDate(2021, 4),
        "April 2021": PartialDate(2021, 4),
        "апрель 2021": PartialDate(2021, 4),
        "красавік 2021": PartialDate(2021, 4),
        "2021": PartialDate(2021),
        "1 April 2021": PartialDate(2021, 4, 1),
        "1 апреля 2021 г.": PartialDate(2021, 4, 1),
        "1 красавіка 2021": PartialDate(2021, 4, 1),
        "2021-04-01": PartialDate(2021, 4, 1),
        "01.04.2021": PartialDate(2021, 4, 1),
        "unknown": None,
        "неизвестно": None,
        "невядома": None,
    }
    rows = [
        person_row(str(number), "ru", f"p-{number}", "Проба Анна", arrested=text)
        for number, text in enumerate(written)
    ]
    export = read_export(machine_export(rows), "dates.csv")

    assert export.problems == ()
    assert [row.arrested_on for row in export.rows] == list(written.values())
    april = export.rows[0].arrested_on
    assert april.exact is None and str(april) == "2021-04"
    assert export.rows[6].arrested_on.exact == date(2021, 4, 1)


def test_the_text_form_of_a_partial_date_reads_back():
    for partial in (PartialDate(2026), PartialDate(2026, 4), PartialDate(2026, 4, 29)):
        assert PartialDate.parse(str(partial)) == partial
    assert [str(PartialDate(2026)), str(PartialDate(2026, 4))] == ["2026", "2026-04"]
    for bad in ("2026-4", "2026-02-30", "29.04.2026", "2026-13", ""):
        with pytest.raises(ValueError):
            PartialDate.parse(bad)


def test_a_row_with_an_impossible_date_is_reported_and_left_out_and_the_rest_go_on():
    rows = three_rows("ru")
    rows[1]["birthday"] = "31.02.2024"
    export = read_export(machine_export(rows), "viasna-ru.csv")

    assert [row.record_id for row in export.rows] == ["5002", "5003"]
    assert export.row_count == 3
    (problem,) = export.problems
    # Line 4: the first row's prison cell takes lines 2 and 3.
    assert (problem.line, problem.record_id, problem.field) == (4, "5001", "birthday")
    assert problem.found == "31.02.2024" and problem.left_out
    assert str(problem) == 'line 4 (id 5001): birthday: no such day: "31.02.2024"; row left out'
    assert export.rows_left_out == 1


def test_a_labelled_export_names_the_column_as_its_header_does():
    text = labelled("en").decode().replace("2 May 1990", "31 February 1990")
    export = read_export(text.encode(), "list-en.csv")

    (problem,) = export.problems
    assert (problem.line, problem.record_id, problem.field) == (2, None, "Date of birth")
    assert [row.name for row in export.rows] == ["Kvietka Ales Ivanavich", "Rabinka Yan Pavalavich"]


def test_an_unknown_status_is_never_read_as_released():
    rows = three_rows("ru")
    rows[0]["status"] = "pardoned"
    export = read_export(machine_export(rows), "viasna-ru.csv")

    assert "5002" not in [row.record_id for row in export.rows]
    (problem,) = export.problems
    assert (problem.record_id, problem.field, problem.left_out) == ("5002", "status", True)
    assert 'unknown status "pardoned"' in problem.message


def test_what_is_not_understood_in_a_kept_row_is_said_and_left_empty():
    rows = three_rows("ru")
    rows[0].update(gender="?!", articles="по статье о хулиганстве", fake_terrorist_list="может")
    export = read_export(machine_export(rows), "viasna-ru.csv")

    assert len(export.rows) == 3
    held = next(row for row in export.rows if row.record_id == "5002")
    assert held.gender is None and held.articles.codes == () and held.on_terrorist_list is False
    assert {(problem.field, problem.left_out) for problem in export.problems} == {
        ("gender", False),
        ("articles", False),
        ("fake_terrorist_list", False),
    }


def test_a_row_whose_cells_do_not_line_up_is_left_out_without_quoting_it():
    data = machine_export(three_rows("ru")).decode()
    shifted = f"5009,{SITE}/ru/person/x,Сдвиг Анна,active,{JUDGE_RU},,,,,,,,,,,,,,,,,,,,,1\n"
    export = read_export((data + shifted).encode(), "viasna-ru.csv")

    (problem,) = export.problems
    assert (problem.line, problem.record_id, problem.left_out) == (6, "5009", True)
    assert problem.message == "has 26 cells where the header has 23"
    assert JUDGE_RU not in repr(export)


def test_unknown_columns_are_listed_once_and_ignored():
    rows = [{**row, "notes": "x", "Примечание": "y"} for row in three_rows("ru")]
    export = read_export(machine_export(rows, extra=("notes", "Примечание")), "viasna-ru.csv")

    assert export.unknown_columns == ("notes", "Примечание")
    assert export.dropped_columns == ("photo", "description", "judge", "councel")
    assert export.problems == () and len(export.rows) == 3


def test_judges_counsels_and_prosecutors_names_come_out_nowhere():
    rows = three_rows("ru")
    rows[1]["birthday"] = "31.02.2024"  # a problem on a row that names them too
    exports = [
        read_export(machine_export(rows), "viasna-ru.csv"),
        read_export(labelled("en"), "list-en.csv"),
    ]
    people = join_languages(exports[:1])

    everything = repr(exports) + repr(people)
    for name in (JUDGE, COUNSEL, PROSECUTOR):
        assert name not in everything
    assert "Fiktsiunova" not in everything and "photo" not in repr(exports[0].rows)


# --- files that are not an export -------------------------------------------------


def casewatch_csv() -> bytes:
    out = io.StringIO()
    write_cases(read_cases(BUNDLED_CASES), "csv", out)
    return out.getvalue().encode()


REFUSED = [
    (
        "challenge.html",
        b"<!DOCTYPE html>\n<html><head><title>Just a moment...</title>",
        'a web page ("Just a moment...")',
    ),
    (
        "login.csv",
        b"  <html><body><form>Sign in</form></body></html>",
        "a web page, not the CSV export",
    ),
    ("cases.yaml", BUNDLED_CASES.read_bytes(), "YAML, not Viasna's export"),
    ("cases.json", b'[{"slug": "someone"}]', "JSON, not Viasna's export"),
    ("cases.csv", casewatch_csv(), "a casewatch case file (CSV)"),
    ("list.xlsx", b"PK\x03\x04\x14\x00\x06\x00", "a spreadsheet (.xlsx, .ods)"),
    ("list.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Excel spreadsheet (.xls)"),
    ("noise.bin", bytes(range(256)) * 4, "binary data, not text"),
    ("cp1251.csv", "Имя и фамилия,Статус\n".encode("cp1251"), "not UTF-8 text (byte 0)"),
    ("empty.csv", b"\xef\xbb\xbf \n", "the file is empty"),
    ("other.csv", b"Surname,Town,Phone\nA,B,C\n", 'no "name" and "status" columns'),
    ("nostatus.csv", b"id,url,name\n1,2,3\n", 'no "status" column'),
]


@pytest.mark.parametrize(("file_name", "data", "says"), REFUSED, ids=[r[0] for r in REFUSED])
def test_a_file_that_is_not_an_export_is_one_clear_line(file_name, data, says):
    with pytest.raises(ExportError) as refused:
        read_export(data, file_name)

    message = str(refused.value)
    assert message.startswith(f"{file_name}: ") and says in message
    assert "\n" not in message


# --- cells -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "codes"),
    [
        ("ч. 2 ст. 342 УК", ("342.2",)),
        ("Art. 342 part 2", ("342.2",)),
        ("арт. 342 ч. 2", ("342.2",)),
        ("Part 2 of Article 342 of the Criminal Code", ("342.2",)),
        ("ст. 361-1 УК", ("361-1",)),
        ("ч.1 ст.361–1 УК", ("361-1.1",)),
        ("ч. 3 ст. 130 УК; ч. 2 ст. 342 УК", ("130.3", "342.2")),
        ("ч. 3 ст. 130, ч. 2 ст. 342 УК", ("130.3", "342.2")),
        ("Art. 369\nPart 1 of Art. 368", ("369", "368.1")),
        ("ст. 342 УК, ст. 342 УК", ("342",)),
    ],
)
def test_charges_become_the_case_formats_articles(written, codes):
    read = articles_cell(written)
    assert read.codes == codes and read.text == written


@pytest.mark.parametrize(
    ("written", "term"),
    [
        ("4 1/2 years", (4, 6)),
        ("2 года колонии", (2, 0)),
        ("2 года 6 месяцев", (2, 6)),
        ("3 гады", (3, 0)),
        ("5 гадоў 6 месяцаў", (5, 6)),
        ("1,5 года", (1, 6)),
        ("6 months", (0, 6)),
        ("штраф", None),
        ("пожизненное лишение свободы", None),
        ("3 years of restricted freedom, then 2 years in a colony", None),
    ],
)
def test_a_sentence_is_kept_as_written_and_its_term_read_when_clear(written, term):
    read = sentence_cell(written)
    assert read.text == written and read.term == term


def test_a_prison_cell_becomes_a_place_with_its_address_or_says_released():
    place = prison_cell("ИК-9\n213410, г. Горки, ул. Примерная, 16")
    assert (place.kind, place.name, place.postcode) == ("place", "ИК-9", "213410")
    assert place.address_lines == ("г. Горки", "ул. Примерная, 16")
    semicolon = prison_cell("СИЗО-1; ул. Примерная, 2, 220030, г. Минск")
    assert semicolon.name == "СИЗО-1" and semicolon.postcode == "220030"
    assert semicolon.address_lines == ("ул. Примерная, 2", "г. Минск")
    for released in ("released", "Освобождена", "вызвалены"):
        assert prison_cell(released).kind == "released"
    at_liberty = prison_cell("Находится на свободе до начала отбывания наказания")
    assert at_liberty.kind == "at_liberty"
    assert prison_cell("") is None and prison_cell("неизвестно") is None
    names = ["ИК №9", "ИК-9", "Исправительная колония № 9", "IK 9", "Папраўчая калонія № 9"]
    assert {place_key(name) for name in names} == {"ик-9"}
    assert place_key("ИК-9") != place_key("ИК-19")


@pytest.mark.parametrize(
    ("clusters", "region"),
    [
        ("Гомель", "homel"),
        ("Homel region", "homel"),
        ("г. Минск", "minsk-city"),
        ("Minsk city", "minsk-city"),
        ("Минская область", "minsk"),
        ("Минск", None),
        ("Гомель, Брест", None),
        ("Гомель, Гомельская область", "homel"),
        ("Дело студентов", None),
    ],
)
def test_clusters_give_a_region_only_when_they_name_one(clusters, region):
    assert region_cell(clusters) == region


@pytest.mark.parametrize(
    ("names", "language"),
    [
        (["Кветка Алесь Іванавіч", "Змыслова Ганна Пятроўна"], "be"),
        (["Кветка Алесь Иванович", "Змыслова Анна Петровна"], "ru"),
        (["Kvietka Ales Ivanavich", "Zmyslova Hanna Piatrouna"], "en"),
    ],
)
def test_without_page_addresses_the_names_script_tells_the_language(names, language):
    rows = [{"id": str(number), "name": name} for number, name in enumerate(names)]
    assert read_export(machine_export(rows), "list.csv").language == language


# --- the generator ------------------------------------------------------------------


@pytest.mark.parametrize("headers", ["machine", "labelled"])
def test_the_generators_exports_read_back_whole(headers):
    rows = generator.records(400, seed=7)
    exports = [
        read_export(generator.export_bytes(rows, language, headers=headers), f"{language}.csv")
        for language in generator.LANGUAGES
    ]

    for language, export in zip(generator.LANGUAGES, exports, strict=True):
        assert (export.language, export.header_set) == (language, headers)
        assert export.problems == () and len(export.rows) == export.row_count == 400
        assert sorted(row.status for row in export.rows) == sorted(row.status for row in rows)
    if headers == "machine":
        people = join_languages(exports)
        assert len(people) == len({row.person.slug for row in rows}) < 400
        assert all(len(record.rows) == 3 for person in people for record in person.records)
