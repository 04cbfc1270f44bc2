"""Texts the bot writes into case data, in every language: a status change's timeline entry.

A case's texts are data (``Text``: one per language), not messages; the
ones the bot itself writes come from the catalogues, so they exist in every
language the bot speaks the moment they are stored.
"""

from __future__ import annotations

from datetime import date

from cases.model import Text
from languages import LANGUAGES
from messages.render import Messages


def status_event(messages: Messages, before: str, after: str) -> Text:
    """The timeline entry for a change of status from ``before`` to ``after``."""
    return {
        language: messages.label("status_event", language, before=before, after=after)
        for language in LANGUAGES
    }


class CaseTexts:
    """The words ``sync.changes`` writes into cases, from the catalogues, in every language."""

    def __init__(self, messages: Messages) -> None:
        self._messages = messages

    def _each(self, key: str, **values) -> Text:
        return {language: self._messages.label(key, language, **values) for language in LANGUAGES}

    def source_title(self, as_of: date) -> Text:
        return self._each("list_source_title", day=as_of)

    def status_event(self, before: str, after: str) -> Text:
        return status_event(self._messages, before, after)

    def moved_event(self, place: Text) -> Text:
        # A place with no name in a language is named in English, marked so.
        return {
            language: self._messages.label(
                "list_moved", language, place=self._messages.loc(place, language)
            )
            for language in LANGUAGES
        }

    def sentence_event(self, years: int, months: int) -> Text:
        return self._each("list_sentence", years=years, months=months)

    def terrorist_note(self) -> Text:
        return self._each("list_terrorist_note")
