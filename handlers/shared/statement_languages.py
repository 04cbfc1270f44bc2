"""A statement's other languages: the buttons that add one, under its preview, after it is
published, and under it when an editor reads it (``handlers.publishing.translations``
answers them).

A statement is written in one language; an editor may give it in each other
language the bot speaks, one button each, all optional. Readers get theirs, or
the original marked with its language. A statement whose language is not known
(published before languages were kept, or from the command line without
``--language``) is offered none.
"""

from __future__ import annotations

from collections.abc import Iterable

from telegram import InlineKeyboardButton

from languages import LANGUAGES
from messages.render import Messages

TRANSLATE_PREFIX = "sttr:"  # sttr:<statement id>:<language>
PER_ROW = 2


def missing_languages(original: str | None, given: Iterable[str]) -> list[str]:
    """The languages the statement may still be given in, the bot's order."""
    if original is None:
        return []
    have = {original, *given}
    return [code for code in LANGUAGES if code not in have]


def translate_rows(
    messages: Messages, lang: str, statement_id: int, missing: list[str]
) -> list[list[InlineKeyboardButton]]:
    """One "+ in …" button for each language missing, two a row."""
    buttons = [
        InlineKeyboardButton(
            messages.label("btn_add_translation", lang, code=code),
            callback_data=f"{TRANSLATE_PREFIX}{statement_id}:{code}",
        )
        for code in missing
    ]
    return [buttons[start : start + PER_ROW] for start in range(0, len(buttons), PER_ROW)]
