"""Case files: YAML, JSON and CSV in and out, with errors that point at a line.

Each reader turns its format into the nested dicts of ``cases.codec`` plus a
map from field paths to line numbers (``cases.file_lines``), so a bad field is
reported on the line where it is written, not just the line where its record
starts. YAML is read in ``cases.yaml_file``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from bisect import bisect_left
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from json.decoder import scanstring
from pathlib import Path
from typing import Any, Literal, TextIO

from capped_files import FileRefused, read_capped
from cases.codec import (
    CaseFormatError,
    case_from_dict,
    case_to_dict,
    place_from_dict,
    place_to_dict,
)
from cases.file_lines import FieldPath, Lines, file_error, relative
from cases.model import Case, Place
from cases.yaml_file import MAX_DEPTH, read_yaml, write_yaml
from languages import LANGUAGES

Format = Literal["yaml", "json", "csv"]
FORMATS: dict[str, Format] = {"yaml": "yaml", "yml": "yaml", "json": "json", "csv": "csv"}


def _texts(prefix: str) -> list[str]:
    return [f"{prefix}.{lang}" for lang in LANGUAGES]


# The full CSV header, in the order of docs/case-format.md.
CSV_COLUMNS = (
    "slug", *_texts("name"), "aliases", "gender", *_texts("role"), *_texts("organisation"),
    "birth_date", "born_in", "region", "status", "status_as_of", "status_source",
    "status_confirmed_on", "detained_on", "detained_in", "released_on",
    "sentence.years", "sentence.months", "sentence.sentenced_on", *_texts("sentence.court"),
    "sentence.articles", *_texts("sentence.appeal"), "sentence.appeal_on", "sentence.ends_on",
    "sentence.source", "sentence.as_of",
    "detention.place", *_texts("detention.place"), "detention.address", "detention.unit",
    "detention.source", "detention.as_of", "notes", "events", "earlier_detentions",
    "list_person", "list_records", "sample", "sources",
    # The place record a row's detention.place names, written out on every row that names it.
    *_texts("place.name"), "place.region", "place.address.lines", "place.address.postcode",
    "place.source.title", "place.source.url", "place.as_of",
)  # fmt: skip
CSV_REQUIRED = ("slug", "name.en", "status", "status_as_of", "status_source", "sources")
_CSV_LISTS = ("aliases", "sentence.articles", "place.address.lines", "list_records")
_CSV_JSON = ("notes", "events", "earlier_detentions", "sources")
_CSV_WHOLE_NUMBERS = ("sentence.years", "sentence.months")
_WHOLE_NUMBER = re.compile(r"[-+]?[0-9]+")


@dataclass
class Caseload:
    """What a cases file holds: its cases and the places of detention they refer to."""

    cases: list[Case] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)


def read_cases(path: Path, today: date | None = None, max_bytes: int | None = None) -> list[Case]:
    """Every case in ``path`` (see ``read_caseload``), without its places."""
    return read_caseload(path, today, max_bytes).cases


def read_caseload(
    path: Path,
    today: date | None = None,
    max_bytes: int | None = None,
    known_places: Collection[str] = (),
) -> Caseload:
    """Every case and place in ``path``, chosen by extension; CaseFormatError at the
    first problem.

    ``max_bytes``: a larger file is refused before it is read. ``known_places``:
    keys of places already stored, which a case may name without the file
    holding them.
    """
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise CaseFormatError(
            path.name, "", "unsupported file type; use .yaml, .yml, .json or .csv"
        )
    try:
        raw = read_capped(path, max_bytes)
    except FileRefused as refused:
        raise CaseFormatError(path.name, "", str(refused)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        raise file_error(path.name, line, "not UTF-8 text") from None
    return read_caseload_text(text, fmt, path.name, today, known_places)


def read_cases_text(text: str, fmt: str, name: str, today: date | None = None) -> list[Case]:
    """Every case in ``text`` (see ``read_caseload_text``), without its places."""
    return read_caseload_text(text, fmt, name, today).cases


def read_caseload_text(
    text: str,
    fmt: str,
    name: str,
    today: date | None = None,
    known_places: Collection[str] = (),
) -> Caseload:
    """Every case and place in ``text`` (an upload, say) in ``fmt``; ``name`` labels errors."""
    kind = FORMATS.get(fmt.lower().lstrip("."))
    if kind is None:
        raise CaseFormatError(name, "", f"unsupported format {fmt!r}; use yaml, json or csv")
    text = text.removeprefix("\ufeff")
    if not text.strip():
        return Caseload()
    if kind == "csv":
        records, place_records = _csv_records(text, name)
    else:
        data, lines = read_yaml(text, name) if kind == "yaml" else _json_tree(text, name)
        records, place_records = _tree_records(data, lines, name)
    places = _decode_places(place_records, name, today)
    cases = _decode(records, name, today)
    _check_places(cases, records, {place.key for place in places} | set(known_places), name)
    return Caseload(cases, places)


def write_cases(
    cases: list[Case], fmt: Format, stream: TextIO, places: Iterable[Place] = ()
) -> None:
    """Write ``cases`` and ``places`` so that ``read_caseload`` gives them back.

    With no places, YAML and JSON are a plain list of cases, as they were
    before places were records. CSV writes a place's columns on every row
    that names it, so a place no case names is not written.
    """
    records = [case_to_dict(case) for case in cases]
    place_records = [place_to_dict(place) for place in places]
    document: Any = {"places": place_records, "cases": records} if place_records else records
    if fmt == "yaml":
        write_yaml(document, stream)
    elif fmt == "json":
        json.dump(document, stream, indent=2, ensure_ascii=False)
        stream.write("\n")
    elif fmt == "csv":
        by_key = {record["key"]: record for record in place_records}
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for record in records:
            cells = _flatten(record)
            place = by_key.get(cells.get("detention.place", ""))
            if place is not None:
                cells.update(
                    _flatten({key: v for key, v in place.items() if key != "key"}, "place.")
                )
            writer.writerow([_neutralised(cells.get(column, "")) for column in CSV_COLUMNS])
    else:
        raise ValueError(f"unsupported format {fmt!r}")


# --- decoding records -------------------------------------------------------


def _decode(records: list[tuple[Any, Lines]], name: str, today: date | None) -> list[Case]:
    cases: list[Case] = []
    slug_lines: dict[str, int] = {}
    for data, lines in records:
        try:
            case = case_from_dict(data, f"{name} line {lines[()]}", today)
        except CaseFormatError as err:
            raise _at_line(name, lines, err.field, err.message) from None
        if case.slug in slug_lines:
            raise _at_line(
                name, lines, "slug", f"duplicate slug, first used on line {slug_lines[case.slug]}"
            )
        slug_lines[case.slug] = _line_of(lines, "slug")
        cases.append(case)
    return cases


def _decode_places(
    records: list[tuple[Any, Lines, str]], name: str, today: date | None
) -> list[Place]:
    """Places from ``(data, lines, field prefix)`` records; a key written twice must agree."""
    places: dict[str, Place] = {}
    first_lines: dict[str, int] = {}
    for data, lines, prefix in records:
        try:
            place = place_from_dict(data, f"{name} line {lines[()]}", today)
        except CaseFormatError as err:
            field = prefix + err.field if err.field else prefix.rstrip(".")
            raise file_error(name, _line_of(lines, err.field), err.message, field) from None
        known = places.get(place.key)
        if known is None:
            places[place.key], first_lines[place.key] = place, lines[()]
        elif known != place or not prefix.startswith("place."):
            again = "differs from" if prefix.startswith("place.") else "is also"
            message = f"place {place.key!r} {again} the one on line {first_lines[place.key]}"
            raise file_error(name, lines[()], message, prefix.rstrip("."))
    return list(places.values())


def _check_places(
    cases: list[Case], records: list[tuple[Any, Lines]], known: set[str], name: str
) -> None:
    """Every place a case names is in the file or already stored."""
    for case, (_, lines) in zip(cases, records, strict=True):
        key = case.detention and case.detention.place_key
        if key and key not in known:
            hint = ", ".join(sorted(known)[:20]) or "none"
            message = f"unknown place {key!r}: add it to places (known: {hint})"
            raise _at_line(name, lines, "detention.place", message)


def _at_line(name: str, lines: Lines, field: str, message: str) -> CaseFormatError:
    return file_error(name, _line_of(lines, field), message, field)


def _line_of(lines: Lines, field: str) -> int:
    """The line of ``field``, or of the nearest enclosing field that has one."""
    path: FieldPath = tuple(
        int(index) if index else key for key, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", field)
    )
    while path not in lines:
        path = path[:-1]
    return lines[path]


def _tree_records(
    data: Any, lines: Lines, name: str
) -> tuple[list[tuple[Any, Lines]], list[tuple[Any, Lines, str]]]:
    """Split a parsed YAML/JSON document into case and place records, each with its
    own line map."""
    if isinstance(data, list):
        return _split_list(data, lines, ()), []
    if not isinstance(data, dict) or not set(data) <= {"cases", "places"} or "cases" not in data:
        raise file_error(
            name, 1, "must be a list of cases, or a mapping {places: [...], cases: [...]}"
        )
    for key in ("places", "cases"):
        if data.get(key) is not None and not isinstance(data[key], list):
            raise file_error(name, lines.get((key,), 1), "must be a list", key)
    cases = _split_list(data["cases"] or [], lines, ("cases",))
    places = _split_list(data.get("places") or [], lines, ("places",))
    return cases, [
        (place, place_lines, f"places[{index}].")
        for index, (place, place_lines) in enumerate(places)
    ]


def _split_list(items: list, lines: Lines, prefix: FieldPath) -> list[tuple[Any, Lines]]:
    # One pass over every line mark: a file of 10,000 cases has a million.
    per_record: list[Lines] = [{} for _ in items]
    depth = len(prefix)
    for path, line in lines.items():
        if len(path) > depth and path[:depth] == prefix:
            per_record[path[depth]][path[depth + 1 :]] = line
    return list(zip(items, per_record, strict=True))


# --- JSON -------------------------------------------------------------------


_JSON_SPACE = re.compile(r"[ \t\n\r]*")


def _json_tree(text: str, name: str) -> tuple[Any, Lines]:
    try:
        data = json.loads(text)
        return data, _JsonLines(text, name).lines
    except json.JSONDecodeError as err:
        message = f"not valid JSON: {err.msg} (column {err.colno})"
        raise file_error(name, err.lineno, message) from None
    except RecursionError:  # brackets nested hundreds deep: not a cases file
        raise file_error(name, 1, "is nested too deeply to be a cases file") from None


class _JsonLines:
    """Line numbers of every value and key in a JSON text already known to be valid.

    The json module keeps no positions, so this walks the text once more.
    """

    _scalar = json.JSONDecoder()

    def __init__(self, text: str, name: str) -> None:
        self.text, self.name = text, name
        self.newlines = [index for index, char in enumerate(text) if char == "\n"]
        self.lines: Lines = {}
        self.value(0, ())

    def line(self, pos: int) -> int:
        return bisect_left(self.newlines, pos) + 1

    def space(self, pos: int) -> int:
        return _JSON_SPACE.match(self.text, pos).end()

    def value(self, pos: int, path: FieldPath) -> int:
        """Record ``path``'s line and return the position after its value."""
        text, pos = self.text, self.space(pos)
        self.lines.setdefault(path, self.line(pos))
        if len(path) > MAX_DEPTH:
            raise file_error(self.name, self.line(pos), "is nested too deeply to be a cases file")
        if text[pos] == "{":
            return self.members(pos, path)
        if text[pos] == "[":
            index, pos = 0, self.space(pos + 1)
            while text[pos] != "]":
                pos = self.space(self.value(pos, (*path, index)))
                index, pos = index + 1, self.space(pos + 1 if text[pos] == "," else pos)
            return pos + 1
        return self._scalar.raw_decode(text, pos)[1]

    def members(self, pos: int, path: FieldPath) -> int:
        text, pos = self.text, self.space(pos + 1)
        while text[pos] != "}":
            key, end = scanstring(text, pos + 1)
            child, line = (*path, key), self.line(pos)
            if child in self.lines:
                raise file_error(self.name, line, "duplicate key", relative(child))
            self.lines[child] = line
            pos = self.space(self.value(self.space(end) + 1, child))  # + 1 skips the colon
            pos = self.space(pos + 1 if text[pos] == "," else pos)
        return pos + 1


# --- CSV --------------------------------------------------------------------


def _csv_records(
    text: str, name: str
) -> tuple[list[tuple[Any, Lines]], list[tuple[Any, Lines, str]]]:
    # No cell is longer than the text that holds it: whatever size of file the bot
    # accepts, one big cell (a long notes list) reads back. (The limit guards
    # against reading a whole stream into one field; this text is already read.)
    csv.field_size_limit(max(csv.field_size_limit(), len(text)))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        records = _csv_rows(reader, name)
    except csv.Error as err:
        raise file_error(name, reader.line_num, f"not valid CSV: {err}") from None
    return records, [place for record in records if (place := _csv_place(record, name))]


def _csv_place(record: tuple[Any, Lines], name: str) -> tuple[Any, Lines, str] | None:
    """The place record written on a case row (its place.* cells), taken off the case."""
    data, lines = record
    place = data.pop("place", None)
    if place is None:
        return None
    key = data.get("detention", {}).get("place")
    if not isinstance(key, str):
        message = "place columns need detention.place, the place's key"
        raise file_error(name, lines[()], message, "detention.place")
    return {"key": key, **place}, {(): lines[()]}, "place."


def _csv_rows(reader: Any, name: str) -> list[tuple[Any, Lines]]:
    header = next(reader)
    _check_header(header, name)
    records: list[tuple[Any, Lines]] = []
    end = reader.line_num
    for row in reader:
        # A quoted cell may span lines: a record starts after the previous one ends.
        start, end = end + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            message = f"has {len(row)} cells but the header has {len(header)}"
            raise file_error(name, start, message)
        records.append((_unflatten(header, row, name, start), {(): start}))
    return records


def _check_header(header: list[str], name: str) -> None:
    seen: set[str] = set()
    for column in header:
        if column not in CSV_COLUMNS:
            raise file_error(name, 1, "unknown column", column)
        if column in seen:
            raise file_error(name, 1, "duplicate column", column)
        seen.add(column)
    for column in CSV_REQUIRED:
        if column not in seen:
            raise file_error(name, 1, "required column is missing", column)


def _unflatten(header: list[str], row: list[str], name: str, line: int) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for column, cell in zip(header, row, strict=False):
        if cell == "":
            continue  # an empty cell is an absent value
        # An editor that saves with Windows line ends also changes them inside quoted cells;
        # YAML and JSON readers undo that, so CSV does too.
        cell = _restored(cell).replace("\r\n", "\n")
        if column in _CSV_LISTS:
            value: Any = cell.split("|")
        elif column in _CSV_JSON:
            try:
                value = json.loads(cell)
            except json.JSONDecodeError as err:
                message = f"not valid JSON: {err.msg} (character {err.pos + 1})"
                raise file_error(name, line, message, column) from None
            except RecursionError:  # brackets nested thousands deep
                message = "is nested too deeply to be a cases file"
                raise file_error(name, line, message, column) from None
        elif column in _CSV_WHOLE_NUMBERS and _WHOLE_NUMBER.fullmatch(cell):
            value = int(cell)
        else:
            value = cell
        *parents, leaf = column.split(".")
        target = record
        for parent in parents:
            target = target.setdefault(parent, {})
            if not isinstance(target, dict):  # detention.place is a key here
                message = "give the place's key or its name, not both"
                raise file_error(name, line, message, "detention.place")
        if isinstance(target.get(leaf), dict):  # the name came first
            raise file_error(name, line, "give the place's key or its name, not both", column)
        target[leaf] = value
    return record


# A spreadsheet takes a cell that starts with one of these for a formula (=HYPERLINK
# in a defender's name would run when an editor opens the export). Such a cell is
# written behind a "'", the mark spreadsheets themselves use for "this is text",
# and read back without it. Apostrophes already in front count as part of the
# start, so that every value survives the round trip exactly.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _neutralised(cell: str) -> str:
    return "'" + cell if cell.lstrip("'").startswith(_FORMULA_STARTS) else cell


def _restored(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and _neutralised(cell[1:]) == cell else cell


def _flatten(record: dict[str, Any], prefix: str = "") -> dict[str, str]:
    cells: dict[str, str] = {}
    for key, value in record.items():
        column = prefix + key
        if column in _CSV_JSON:
            cells[column] = json.dumps(value, ensure_ascii=False)
        elif column in _CSV_LISTS:
            cells[column] = "|".join(value)
        elif isinstance(value, dict):
            cells.update(_flatten(value, column + "."))
        elif isinstance(value, bool):
            cells[column] = "true" if value else "false"
        else:
            cells[column] = str(value)
    return cells
