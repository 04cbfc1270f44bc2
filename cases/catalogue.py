"""The cases the bot serves, held in memory with their name index.

Lookups happen on every message, so they never touch the database: the
catalogue is rebuilt from storage at start-up and after each import.
"""

from __future__ import annotations

from collections.abc import Iterable

from cases.model import HELD_STATUSES, STATUSES, Case
from cases.search import NameIndex, SearchResult

# /list filters: which statuses each one shows.
STATUS_FILTERS: dict[str, frozenset[str]] = {
    "all": frozenset(),
    "held": HELD_STATUSES,
    # Everyone not held: released, in exile, or no longer alive.
    "released": frozenset(STATUSES) - HELD_STATUSES,
    "exile": frozenset({"in_exile"}),
}


class Catalogue:
    def __init__(self, cases: Iterable[Case]) -> None:
        self.by_slug: dict[str, Case] = {case.slug: case for case in cases}
        self.ordered = sorted(self.by_slug.values(), key=lambda case: case.name["en"].casefold())
        self.index = NameIndex.build((case.slug, case.all_names()) for case in self.ordered)

    def __len__(self) -> int:
        return len(self.by_slug)

    def get(self, slug: str) -> Case | None:
        return self.by_slug.get(slug)

    def search(self, query: str) -> SearchResult:
        return self.index.lookup(query)

    def filtered(self, status_filter: str) -> list[Case]:
        statuses = STATUS_FILTERS[status_filter]
        if not statuses:
            return self.ordered
        return [case for case in self.ordered if case.status in statuses]

    def count_by_status(self) -> dict[str, int]:
        """For /stats: everyone, the held, and the freed at home and in exile, apart."""
        statuses = [case.status for case in self.ordered]
        return {
            "all": len(statuses),
            "held": sum(status in HELD_STATUSES for status in statuses),
            "released": statuses.count("released"),
            "exile": statuses.count("in_exile"),
        }
