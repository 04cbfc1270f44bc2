"""Texts the bot writes into case data, in every language: a status change's timeline entry.

A case's texts are data (``Text``: one per language), not messages; the
ones the bot itself writes come from the catalogues, so they exist in every
language the bot speaks the moment they are stored.
"""

from __future__ import annotations

from cases.model import Text
from languages import LANGUAGES
from messages.render import Messages


def status_event(messages: Messages, before: str, after: str) -> Text:
    """The timeline entry for a change of status from ``before`` to ``after``."""
    return {
        language: messages.label("status_event", language, before=before, after=after)
        for language in LANGUAGES
    }
