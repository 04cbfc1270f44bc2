"""Is this file Viasna's export at all? Bytes to text, its delimiter, or one line saying what it is.

A fetch can bring back a login or challenge page instead of the CSV, an
editor can upload a case file or a spreadsheet by mistake: each is refused
with one line that says what the file looks like, so the operator knows what
to do next ("save it as CSV (UTF-8)", "that is a case file: bot.py import").
"""

from __future__ import annotations

import html
import re

from sync.cells import quoted
from sync.headers import Header

NOT_EXPORT = "not Viasna's export"
CASE_FILE = "a casewatch case file is read by `python bot.py import`"


class ExportError(ValueError):
    """The file cannot be read as an export: ``str()`` is one line, naming the file."""


_SIGNATURES = (
    (b"PK\x03\x04", "a spreadsheet (.xlsx, .ods) or another zip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Excel spreadsheet (.xls)"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a compressed (gzip) file"),
    (b"\xff\xfe", "UTF-16 text"),
    (b"\xfe\xff", "UTF-16 text"),
)


def text_of(data: bytes, file_name: str) -> str:
    """The file as text (UTF-8, with or without a byte-order mark), or ``ExportError``."""
    for signature, what in _SIGNATURES:
        if data.startswith(signature):
            raise ExportError(f"{file_name}: {what}, {NOT_EXPORT}: save it as CSV (UTF-8)")
    if b"\x00" in data[:65536]:
        raise ExportError(f"{file_name}: binary data, not text: {NOT_EXPORT}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ExportError(
            f"{file_name}: not UTF-8 text (byte {error.start}): Viasna's export is UTF-8;"
            " save it as CSV (UTF-8)"
        ) from None
    if not text.strip():
        raise ExportError(f"{file_name}: the file is empty, {NOT_EXPORT}")
    return text


_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_YAML_KEY = re.compile(r"(?:-\s+)?[A-Za-z_][\w.-]*:(?:\s|$)")


def web_page(text: str) -> bool:
    """The text is an HTML page (a login or challenge page, the list's own page)."""
    lowered = text.lstrip()[:4096].lower()
    return lowered.startswith("<") and any(
        tag in lowered for tag in ("<html", "<!doctype html", "<head", "<body", "<script")
    )


def refuse_other_kinds(text: str, file_name: str) -> None:
    """``ExportError`` for a web page, JSON or YAML; anything else may be a CSV file."""
    start = text.lstrip()[:4096]
    lowered = start.lower()
    if web_page(start):
        title = _TITLE.search(start)
        named = f" ({quoted(html.unescape(title.group(1)))})" if title and title[1].strip() else ""
        raise ExportError(
            f"{file_name}: a web page{named}, not the CSV export: a login or challenge page,"
            " or the list's page instead of its CSV link"
        )
    if lowered.startswith("<"):
        raise ExportError(f"{file_name}: XML or HTML, {NOT_EXPORT}")
    if start[:1] in "{[":
        raise ExportError(f"{file_name}: JSON, {NOT_EXPORT} ({CASE_FILE})")
    lines = (line.strip() for line in start.splitlines())
    first_line = next((line for line in lines if line and not line.startswith("#")), "")
    if first_line.startswith(("---", "%YAML")) or _YAML_KEY.match(first_line):
        raise ExportError(f"{file_name}: YAML, {NOT_EXPORT} ({CASE_FILE})")


def delimiter_of(text: str) -> str:
    """The header line's delimiter: the most frequent of "," ";" and tab (a tie: ",")."""
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", ";", "\t")}
    return max(counts, key=lambda delimiter: (counts[delimiter], delimiter == ","))


def refuse_other_tables(header: Header, cells: list[str], file_name: str) -> None:
    """``ExportError`` for a table without Viasna's name and status columns."""
    if not header.missing:
        return
    titles = [cell.strip() for cell in cells if cell.strip()]
    if "slug" in titles and "name.en" in titles:
        raise ExportError(f"{file_name}: a casewatch case file (CSV), {NOT_EXPORT} ({CASE_FILE})")
    shown = ", ".join(titles[:6]) + (", …" if len(titles) > 6 else "")
    missing = " and ".join(f'"{field}"' for field in header.missing)
    column = "column" if len(header.missing) == 1 else "columns"
    raise ExportError(
        f"{file_name}: no {missing} {column}, {NOT_EXPORT} (its columns: {quoted(shown, 80)})"
    )
