"""The word for "everyone" after /subscribe, /unsubscribe and /upcoming, in every language."""

from __future__ import annotations

# English, Belarusian, Russian and Polish, as people type them.
ALL_WORDS = frozenset({"all", "усе", "ўсе", "все", "wszyscy", "wszystkich"})


def means_everyone(text: str) -> bool:
    return text.strip().casefold() in ALL_WORDS
