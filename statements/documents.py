"""A statement from what an admin sends: a message, or a .md, .txt or .html file.

A file may carry its own title and date: in markdown and plain text the first
non-empty line is the title and a line that is only a date ("Monday 14 July
2025") near the top gives the date; both lines leave the body, because the
title and the date are shown above it anyway. An HTML file's title is its
<title> (or first heading).
"""

from __future__ import annotations

from codecs import BOM_UTF16_BE, BOM_UTF16_LE
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath

from statements.dates import date_line
from statements.markdown import markdown_to_html, plain_to_html
from statements.sanitise import plain_text, sanitise_html

EXTENSIONS = (".md", ".txt", ".html")
# A statement is a few pages; anything far bigger is the wrong file.
MAX_FILE_BYTES = 512 * 1024
# How far down a date line is looked for: a date in the body is no date line.
DATE_LINE_WINDOW = 5
_TITLE_MARKS = "#*_ \t"


class StatementFileError(ValueError):
    """The file cannot be a statement; ``reason`` is a key the bot explains in words."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason  # "extension", "too_big", "encoding", "empty", "future", ...
        self.detail = detail


@dataclass(frozen=True)
class Parsed:
    body_html: str  # Telegram HTML
    title: str | None = None  # plain text
    on_date: date | None = None


def decode(data: bytes) -> str:
    """UTF-8 (with or without a BOM), UTF-16 with its BOM (Notepad's "Unicode"), else
    Windows-1251: what Belarusian offices save. Text never holds NUL: a binary file does."""
    encodings = ("utf-16",) if data.startswith((BOM_UTF16_LE, BOM_UTF16_BE)) else ()
    for encoding in (*encodings, "utf-8-sig", "cp1251"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise StatementFileError("encoding")


def _split_heading(text: str) -> tuple[str | None, date | None, str]:
    """The title line, the date line and the rest, for markdown and plain text."""
    lines = text.splitlines()
    numbered = [(index, line) for index, line in enumerate(lines) if line.strip()]
    if not numbered:
        return None, None, ""
    title_index, title_line = numbered[0]
    taken = {title_index}
    on_date = None
    for index, line in numbered[1:DATE_LINE_WINDOW]:
        on_date = date_line(line)
        if on_date is not None:
            taken.add(index)
            break
    rest = "\n".join(line for index, line in enumerate(lines) if index not in taken)
    return title_line.strip(_TITLE_MARKS) or None, on_date, rest


def _html_heading(body: str, title: str | None) -> Parsed:
    """An HTML body without the lines repeating its title and stating its date."""
    lines = body.split("\n")
    on_date = None
    for index, line in enumerate(lines[: DATE_LINE_WINDOW * 2]):
        words = plain_text(line).strip()
        # Only whole lines whose tags close on the same line can go.
        balanced = line.count("</") * 2 == line.count("<")
        if not balanced or not words:
            continue
        repeats_title = bool(title) and words == title
        if not repeats_title and on_date is None:
            on_date = date_line(words)
            states_date = on_date is not None
        else:
            states_date = False
        if repeats_title or states_date:
            lines[index] = ""
    body = "\n".join(lines).strip()
    while "\n\n\n" in body:
        body = body.replace("\n\n\n", "\n\n")
    return Parsed(body, title, on_date)


def check_name(filename: str) -> str:
    """The file's extension if a statement may come in it (before downloading it)."""
    extension = PurePath(filename.lower()).suffix
    if extension not in EXTENSIONS:
        raise StatementFileError("extension", extension)
    return extension


def size_limit(max_file_bytes: int) -> int:
    """The largest statement file read: a few pages, and never over the bot's file limit."""
    return min(MAX_FILE_BYTES, max_file_bytes)


def read_file(filename: str, data: bytes, max_bytes: int = MAX_FILE_BYTES) -> Parsed:
    """The statement in a file; StatementFileError if it cannot be one."""
    extension = check_name(filename)
    if len(data) > max_bytes:
        raise StatementFileError("too_big", str(len(data)))
    text = decode(data)
    if extension == ".html":
        parsed = _html_heading(*sanitise_html(text))
    else:
        title, on_date, rest = _split_heading(text)
        convert = markdown_to_html if extension == ".md" else plain_to_html
        parsed = Parsed(convert(rest), title, on_date)
    if not parsed.body_html.strip():
        raise StatementFileError("empty")
    return parsed


def read_message(text_html: str) -> Parsed:
    """A statement typed or pasted into the chat, its formatting kept (and made safe)."""
    body, _ = sanitise_html(text_html.replace("\n", "<br>"))
    if not body:
        raise StatementFileError("empty")
    return Parsed(body)
