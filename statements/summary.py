"""What subscribers receive: the statement whole if it fits one message, else its opening.

The alert is rendered per chat at send time (``alerts.texts``), from the
payload stored with it once. The payload therefore carries the text to show:
the whole body when the rendered alert fits one Telegram message, otherwise
the first paragraphs and ``more`` so the message points to the full text.
The preview an admin sees before publishing goes through the very same
render, so what they approve is what arrives.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date

from alerts.texts import alert_parts
from cases.model import Text
from languages import LANGUAGES
from messages.render import Messages
from messages.split import TELEGRAM_LIMIT, split_html, utf16_len
from statements.sanitise import plain_text
from storage.deliveries import Delivery
from storage.statements import Statement, Translation

# The opening of a long statement: enough to carry the news, short enough to
# read in a chat list; whole paragraphs up to this many characters.
SUMMARY_LIMIT = 1800
ELLIPSIS = " …"
_TAG = re.compile(r"<(/?)([a-z-]+)[^>]*>")


def _depth_change(fragment: str, depth: int) -> int | None:
    """The tag depth after ``fragment``, starting at ``depth``; None if a tag closes
    below zero (the fragment ends what opened before it)."""
    for closing, _ in _TAG.findall(fragment):
        depth += -1 if closing else 1
        if depth < 0:
            return None
    return depth


def paragraphs(body_html: str) -> list[str]:
    """Top-level paragraphs: blank-line breaks that no tag spans."""
    found: list[str] = []
    pending: list[str] = []
    depth: int | None = 0  # of what is pending; None once it closed more than it opened
    for piece in body_html.split("\n\n"):
        pending.append(piece)
        # Counted piece by piece: a tag spanning a thousand paragraphs is read once.
        depth = None if depth is None else _depth_change(piece, depth)
        if depth == 0:
            found.append("\n\n".join(pending))
            pending = []
    if pending:
        found.append("\n\n".join(pending))
    return found


def opening(body_html: str, limit: int = SUMMARY_LIMIT) -> str:
    """The first paragraphs that fit ``limit``; a first paragraph too long is cut at a sentence."""
    chosen: list[str] = []
    size = 0
    for paragraph in paragraphs(body_html):
        length = utf16_len(plain_text(paragraph))
        if chosen and size + length > limit:
            break
        if not chosen and length > limit:
            return _first_part(paragraph, limit) + ELLIPSIS
        chosen.append(paragraph)
        size += length + 2
    return "\n\n".join(chosen)


def _first_part(paragraph: str, limit: int) -> str:
    """The first message-sized part of a long paragraph, without splitting all of it."""
    # Enough of the paragraph for more than one part, cut where no tag or entity is
    # open; a paragraph whose markup outweighs its text that much is split whole.
    head = paragraph[: limit * 8]
    head = head[: head.rfind("<")] if head.rfind("<") > head.rfind(">") else head
    head = head[: head.rfind("&")] if head.rfind("&") > head.rfind(";") else head
    parts = split_html(head, limit)
    return parts[0] if len(parts) > 1 else split_html(paragraph, limit)[0]


def texts(
    title: str,
    body_html: str,
    language: str | None,
    translations: Mapping[str, Translation] | None = None,
) -> tuple[Text, Text]:
    """The title and the text in every language given, as localised texts.

    The original stands for English too until an English text is given, as
    an /update's entry does, so a reader of a language nobody wrote gets the
    original, marked with its language (``language_mark``). A statement of a
    language not known is one text for every reader, unmarked.
    """
    original = [language] if language not in (None, "en") else []
    titles = {code: title for code in ("en", *original)}
    bodies = {code: body_html for code in ("en", *original)}
    for code, translation in (translations or {}).items():
        titles[code], bodies[code] = translation.title, translation.body_html
    return titles, bodies


def payload(
    statement_id: int,
    title: str,
    on_date: date,
    source_url: str | None,
    body_html: str,
    messages: Messages,
    language: str | None = None,
    translations: Mapping[str, Translation] | None = None,
) -> dict:
    """The alert payload: whole when one message holds it in every language.

    ``language``: what the statement is written in (None: not known, and no
    mark); ``translations``: its text in other languages.
    """
    titles, bodies = texts(title, body_html, language, translations)
    whole = {
        "statement_id": statement_id,
        "title": titles,
        "date": on_date.isoformat(),
        "url": source_url,
        "text": bodies,
        "language": language,
        "more": False,
    }
    # Rendered only when it may fit: a long text is not rendered three times to learn that.
    fits = all(utf16_len(plain_text(body)) < TELEGRAM_LIMIT for body in bodies.values())
    if fits and all(len(render(messages, whole, code)) == 1 for code in LANGUAGES):
        return whole
    openings = {code: opening(body) for code, body in bodies.items()}
    return {**whole, "text": openings, "more": True}


def statement_payload(statement: Statement, messages: Messages) -> dict:
    """The alert payload of a stored statement, with the languages it has."""
    return payload(
        statement.id,
        statement.title,
        statement.on_date,
        statement.source_url,
        statement.body_html,
        messages,
        statement.language,
        statement.translations,
    )


def render(messages: Messages, alert_payload: dict, language: str) -> list[str]:
    """The alert exactly as the sender renders it for a chat speaking ``language``."""
    stored = json.loads(json.dumps(alert_payload, ensure_ascii=False))  # as the database keeps it
    on_date = date.fromisoformat(alert_payload["date"])
    delivery = Delivery(0, 0, 0, language, True, 0, "statement", None, on_date, stored)
    return alert_parts(messages, delivery, None)
