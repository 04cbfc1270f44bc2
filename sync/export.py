"""Viasna's export read into rows: ``read_export(data, file_name) -> Export``.

One ``ExportRow`` per row of the file, that is per prosecution (a person
re-arrested has a row for each). What each column becomes, and how what is
not understood is reported, is written in docs/viasna-export.md. In short:

- a file that is not an export (a web page, a case file, a spreadsheet with
  other columns, binary, empty) is ``ExportError``: one line;
- a row that cannot be read (a date that is none, 31.02.2024; an unknown
  status; no name; a repeated id; cells that do not line up with the header)
  is left out, and each of its problems is in ``Export.problems`` with its
  line, its id and the column;
- a cell that is not understood but does not make the row wrong (an unknown
  gender word, charges without an article number) is left empty, and said
  in ``Export.problems`` too, the row kept (``left_out`` False);
- a column nobody knows is ignored and listed once in ``unknown_columns``.

Judges', counsels' and prosecutors' names are never read out of a row (nor
photos or descriptions): see ``sync.headers``.

Pure: no storage, no Telegram, no clock.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cases.dates import PartialDate
from sync.articles import ArticlesCell, articles_cell
from sync.cells import (
    CellProblem,
    SentenceCell,
    date_cell,
    died_cell,
    flag_cell,
    gender_cell,
    quoted,
    region_cell,
    sentence_cell,
    status_cell,
    url_cell,
)
from sync.headers import Header, read_header
from sync.places import PlaceCell, prison_cell
from sync.sniff import ExportError, delimiter_of, refuse_other_kinds, refuse_other_tables, text_of

__all__ = [
    "ArticlesCell",
    "Export",
    "ExportError",
    "ExportProblem",
    "ExportRow",
    "PlaceCell",
    "SentenceCell",
    "read_export",
]


@dataclass(frozen=True, slots=True)
class ExportRow:
    """One prosecution, as one row of one export tells it."""

    line: int  # the file's line where the row starts
    record_id: str | None  # Viasna's id of the row (machine exports)
    url: str | None  # the person's page, as given
    person_key: str | None  # that page without its language: "person/ales-bialiatski"
    name: str
    status: str  # "active" (held) | "former" | "np" (not or no longer recognised)
    ex_post_facto: bool  # recognised as a political prisoner after release
    gender: str | None  # "male" | "female"
    birth_date: PartialDate | None
    arrested_on: PartialDate | None
    articles: ArticlesCell | None
    prison: PlaceCell | None
    declaration: str | None  # the link to Viasna's statement recognising the person
    decision: SentenceCell | None  # "Sentence": the court's decision as written
    penalty: SentenceCell | None  # the kind of penalty as written
    penalty_starts_on: PartialDate | None
    released_on: PartialDate | None
    verdict_on: PartialDate | None
    appeal_on: PartialDate | None
    on_terrorist_list: bool  # on the authorities' "terrorist" list
    died: bool
    died_on: PartialDate | None
    clusters: str | None  # as written
    region: str | None  # a key of cases.regions, when clusters names one region


@dataclass(frozen=True, slots=True)
class ExportProblem:
    """Something in a row that was not understood, in English for the operator."""

    line: int
    record_id: str | None
    field: str | None  # the column's title as the file writes it; None: the row itself
    found: str  # what the cell holds (at most 200 characters)
    message: str  # what is wrong, quoting what was found
    left_out: bool  # the row was left out of Export.rows

    def __str__(self) -> str:
        where = f"line {self.line}" + (f" (id {self.record_id})" if self.record_id else "")
        field = f"{self.field}: " if self.field else ""
        outcome = "row left out" if self.left_out else "left empty"
        return f"{where}: {field}{self.message}; {outcome}"


@dataclass(frozen=True)
class Export:
    file_name: str
    language: str | None  # "en" | "be" | "ru"; None when nothing tells (no rows)
    header_set: str  # "machine" | "labelled"
    delimiter: str
    sha256: str  # of the file's bytes
    row_count: int  # rows in the file, read or left out (blank lines are not rows)
    rows: tuple[ExportRow, ...]
    problems: tuple[ExportProblem, ...]
    columns: frozenset[str]  # the fields the file has, by their machine names
    unknown_columns: tuple[str, ...]  # titles as written, each once
    dropped_columns: tuple[str, ...]  # judges', counsels', prosecutors', photo, description

    @property
    def rows_left_out(self) -> int:
        return len({problem.line for problem in self.problems if problem.left_out})


def read_export(data: bytes, file_name: str) -> Export:
    """Read one export (any language, either header set); ``ExportError`` if it is none."""
    text = text_of(data, file_name)
    refuse_other_kinds(text, file_name)
    delimiter = delimiter_of(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header_cells: list[str] = []
        for header_cells in reader:  # the first line that is not blank
            if any(cell.strip() for cell in header_cells):
                break
        header = read_header(header_cells)
        refuse_other_tables(header, header_cells, file_name)
        rows = _Rows(header)
        last_line = reader.line_num
        for cells in reader:
            first_line, last_line = last_line + 1, reader.line_num
            if any(cell.strip() for cell in cells):
                rows.read(cells, first_line)
    except csv.Error as error:
        raise ExportError(
            f"{file_name}: line {reader.line_num}: not readable as CSV ({error})"
        ) from None
    return Export(
        file_name=file_name,
        language=rows.language(header),
        header_set=header.header_set,
        delimiter=delimiter,
        sha256=hashlib.sha256(data).hexdigest(),
        row_count=rows.count,
        rows=tuple(rows.kept),
        problems=tuple(rows.problems),
        columns=frozenset(header.columns),
        unknown_columns=header.unknown,
        dropped_columns=header.dropped,
    )


# Columns read by one parser each: field -> (ExportRow's field, parser, when empty, whether
# a problem leaves the row out). A date that is not one, or a status nobody knows, leaves
# the row out; a gender word or a flag that is not understood is left empty.
_PARSED: dict[str, tuple[str, Callable[[str], Any], Any, bool]] = {
    "url": ("url", url_cell, (None, None, None), False),
    "status": ("status", status_cell, status_cell(""), True),
    "gender": ("gender", gender_cell, None, False),
    "birthday": ("birth_date", date_cell, None, True),
    "arrested": ("arrested_on", date_cell, None, True),
    "articles": ("articles", articles_cell, None, False),
    "prison": ("prison", prison_cell, None, False),
    "decision": ("decision", sentence_cell, None, False),
    "penalty": ("penalty", sentence_cell, None, False),
    "penalty_start_date": ("penalty_starts_on", date_cell, None, True),
    "release_date": ("released_on", date_cell, None, True),
    "verdict_date": ("verdict_on", date_cell, None, True),
    "appeal_date": ("appeal_on", date_cell, None, True),
    "fake_terrorist_list": ("on_terrorist_list", flag_cell, False, False),
    "died": ("died", died_cell, (False, None), True),
}
_SCRIPTS = {
    "latin": re.compile(r"[A-Za-z]"),
    "cyrillic": re.compile(r"[\u0400-\u04ff]"),
}


class _Rows:
    """The rows of one file as they are read: kept rows, problems, and clues to the language."""

    def __init__(self, header: Header) -> None:
        self.header = header
        self.column = header.columns
        self.title = header.titles
        self.count = 0
        self.kept: list[ExportRow] = []
        self.problems: list[ExportProblem] = []
        self.first_line_of: dict[str, int] = {}
        self.url_languages: Counter[str] = Counter()
        self.names: list[str] = []

    def read(self, cells: list[str], line: int) -> None:
        self.count += 1
        column = self.column
        record_id = None
        if "id" in column and column["id"] < len(cells):
            record_id = cells[column["id"]].strip() or None
        if len(cells) != self.header.width and not self._tolerable(cells):
            found = f"{len(cells)} cells"
            message = f"has {len(cells)} cells where the header has {self.header.width}"
            self._problem(line, record_id, None, found, message, left_out=True)
            return
        cell = {field: cells[index] for field, index in column.items()}
        problems: list[tuple[str | None, str, str, bool]] = []
        parsed: dict[str, Any] = {}
        for field, (key, parse, empty, fatal) in _PARSED.items():
            written = cell.get(field)
            if not written:  # most cells are empty, and every parser reads "" as empty
                parsed[key] = empty
                continue
            try:
                parsed[key] = parse(written)
            except CellProblem as problem:
                problems.append((field, written, str(problem), fatal))
                parsed[key] = empty
        if record_id is not None:
            first = self.first_line_of.setdefault(record_id, line)
            if first != line:
                problems.append(("id", record_id, f"id {record_id} repeats line {first}", True))
        name = " ".join(cell.get("name", "").split())
        if not name:
            problems.append(("name", "", "no name", True))
        url, person_key, language = parsed.pop("url")
        if language:
            self.url_languages[language] += 1
        articles = parsed["articles"]
        if articles is not None and not articles.codes:
            found = articles.text
            problems.append(("articles", found, f"no article in {quoted(found)}", False))
        declaration = cell.get("declaration", "").strip() or None
        if declaration and not declaration.startswith(("https://", "http://")):
            problems.append(
                ("declaration", declaration, f"not a link: {quoted(declaration)}", False)
            )
            declaration = None
        if problems:
            left_out = any(fatal for *_, fatal in problems)
            for field, found, message, _ in problems:
                title = self.title.get(field) if field else None
                self._problem(line, record_id, title, found, message, left_out)
            if left_out:
                return
        status = parsed.pop("status")
        parsed["died"], parsed["died_on"] = parsed["died"]
        clusters = " ".join(cell.get("clusters", "").split()) or None
        self.names.append(name)
        self.kept.append(
            ExportRow(
                line=line,
                record_id=record_id,
                url=url,
                person_key=person_key,
                name=name,
                status=status.value,
                ex_post_facto=status.ex_post_facto,
                declaration=declaration,
                clusters=clusters,
                region=region_cell(clusters) if clusters else None,
                **parsed,
            )
        )

    def _tolerable(self, cells: list[str]) -> bool:
        """A row longer than the header only by empty cells (a trailing delimiter)."""
        width = self.header.width
        return len(cells) > width and not any(cell.strip() for cell in cells[width:])

    def _problem(
        self,
        line: int,
        record_id: str | None,
        field: str | None,
        found: str,
        message: str,
        left_out: bool,
    ) -> None:
        self.problems.append(ExportProblem(line, record_id, field, found[:200], message, left_out))

    def language(self, header: Header) -> str | None:
        """The page's language: the persons' page addresses, else the titles, else the names."""
        if self.url_languages:
            return self.url_languages.most_common(1)[0][0]
        if header.language:
            return header.language
        names = "".join(self.names)
        latin = len(_SCRIPTS["latin"].findall(names))
        cyrillic = len(_SCRIPTS["cyrillic"].findall(names))
        if not latin and not cyrillic:
            return None
        if latin > cyrillic:
            return "en"
        belarusian = names.count("і") + names.count("ў") + names.count("І") + names.count("Ў")
        russian = sum(names.count(letter) for letter in "иИщЩъ")
        return "be" if belarusian > russian else "ru"
