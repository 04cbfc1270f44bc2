"""A date known to the year, the month or the day: "2026", "2026-04", "2026-04-29".

Sources often know only part of a date ("detained in April 2021", "born in
1984"). A ``PartialDate`` keeps exactly what is known: it is never turned
into the 1st of a month or the 1st of January, so nothing downstream can
count days from a day nobody reported or send a calendar alert on it. Only
``exact`` (a ``date``, when the day is known) may be used as a day.

Its text form, ``str(partial)``, is ISO 8601 cut short ("2026", "2026-04",
"2026-04-29") and ``PartialDate.parse`` reads it back: the form to store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_ISO_PARTIAL = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True, slots=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year {self.year} is out of range")
        if self.month is None:
            if self.day is not None:
                raise ValueError("a day without a month")
            return
        if not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} is out of range")
        if self.day is not None:
            date(self.year, self.month, self.day)  # ValueError for 31 February

    @classmethod
    def of(cls, day: date) -> PartialDate:
        return cls(day.year, day.month, day.day)

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """ "2026", "2026-04" or "2026-04-29" (what ``str`` writes); ValueError otherwise."""
        match = _ISO_PARTIAL.fullmatch(text.strip())
        if not match:
            raise ValueError(f"not a date such as 2026, 2026-04 or 2026-04-29: {text!r}")
        year, month, day = match.groups()
        return cls(int(year), month and int(month), day and int(day))

    @property
    def exact(self) -> date | None:
        """The day, when it is known; None for a month or a year alone."""
        if self.day is None or self.month is None:
            return None
        return date(self.year, self.month, self.day)

    @property
    def precision(self) -> str:
        """ "year", "month" or "day": how much of the date is known."""
        if self.month is None:
            return "year"
        return "month" if self.day is None else "day"

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """Orders dates by what is known: April 2021 before 1 April 2021 before 2 April."""
        return (self.year, self.month or 0, self.day or 0)

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
