"""What someone typed, fit to be quoted back: short, on one line, every character visible.

A reply that repeats what was typed ("Nobody called «…» is in the list")
speaks in the bot's voice. Whoever typed it chooses the words, so what is
quoted is cut to about ``QUOTE_LIMIT`` characters at a word boundary (with
an ellipsis), on one line, without control characters, without the
invisible format characters that reorder or hide text (right-to-left
overrides, zero-width characters, isolates) and without the quotation
marks that would let a quote close itself and carry on as the bot. In a
group or a channel nothing typed is quoted at all (``handlers.shared.replies.echo``).

The templates quote through the ``typed`` filter (messages/render.py). The
marks around a quote are the reader's language's (``quote``, the ``quoted``
filter): “…” in English, «…» in Belarusian and Russian, „…” in Polish; a
catalogue writes them in its own texts.
"""

from __future__ import annotations

import unicodedata

from markupsafe import Markup

QUOTE_LIMIT = 40
ELLIPSIS = "…"
# Control, format (bidi overrides and isolates, zero-width characters, soft
# hyphen), surrogates, private use and unassigned code points.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
# Letters and marks that show nothing, used to fake blank or hidden text.
_BLANK = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0")
# The quotation marks the messages quote with, in every language.
_QUOTES = frozenset('«»‹›“”„‟"＂')
# Each language's quotation marks, outer then inner (tests/test_native_texts.py
# holds the catalogues to them). A language not listed quotes with «…».
QUOTATION_MARKS = {
    "en": (("“", "”"), ("‘", "’")),
    "be": (("«", "»"), ("„", "“")),
    "ru": (("«", "»"), ("„", "“")),
    "pl": (("„", "”"), ("«", "»")),
}
_DEFAULT_MARKS = (("«", "»"), ("„", "“"))
# Not left dangling before the ellipsis.
_TRAILING = " ,.;:!?-–—/|([{«"


def _kept(char: str) -> str:
    if char.isspace():
        return " "
    if char in _QUOTES or char in _BLANK or unicodedata.category(char) in _HIDDEN_CATEGORIES:
        return ""
    return char


def quotable(text: object, limit: int = QUOTE_LIMIT) -> str | None:
    """``text`` (what was typed, or a number read from it) as a message may quote it;
    None stays None (nothing to quote)."""
    if text is None:
        return None
    visible = " ".join("".join(_kept(char) for char in str(text)).split())
    if len(visible) <= limit:
        return visible
    cut = visible[: limit + 1]
    # At a word boundary, unless the first word alone is longer than the limit.
    space = cut.rfind(" ")
    cut = cut[:space] if space > 0 else cut[:limit]
    return cut.rstrip(_TRAILING) + ELLIPSIS


def quote(text: object, language: str) -> Markup:
    """``text`` (escaped) between the quotation marks of ``language``."""
    (opening, closing), _inner = QUOTATION_MARKS.get(language, _DEFAULT_MARKS)
    return Markup("{}{}{}").format(opening, text, closing)
