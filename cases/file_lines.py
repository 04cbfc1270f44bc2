"""Where a field is written in a cases file: line maps and errors that name the line.

Each reader (YAML, JSON, CSV) turns its text into plain data plus a map from
field paths to line numbers, so a bad field is reported on the line where it
is written, not just the line where its record starts.
"""

from __future__ import annotations

from cases.codec import CaseFormatError

FieldPath = tuple[str | int, ...]  # ("cases", 0, "events", 2, "on")
Lines = dict[FieldPath, int]


def file_error(name: str, line: int, message: str, field: str = "") -> CaseFormatError:
    return CaseFormatError(f"{name} line {line}", field, message, line=line)


def relative(path: FieldPath) -> str:
    """A document path as a field path inside its record, for errors found while parsing."""
    if path[:1] == ("cases",) and len(path) > 1:
        path = path[1:]
    if path and isinstance(path[0], int):
        path = path[1:]
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
