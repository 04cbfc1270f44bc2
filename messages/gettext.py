"""The gettext functions templates call: jinja2's newstyle gettext, made cheap.

They behave as ``install_gettext_translations(..., newstyle=True)`` makes them
under autoescape: the translation is trusted markup, the values are escaped
into its ``%(name)s`` placeholders, and ``num`` is the count unless given, written
as the language writes numbers (``number``: "1 164" in Belarusian, "1,164" in English).
jinja2's own versions resolve ``gettext`` through the template context on
every call; these are plain functions, and a text without values is
translated once and kept, since the same few hundred texts make every reply.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from babel.support import NullTranslations
from markupsafe import Markup


def gettext_functions(
    translations: NullTranslations, number: Callable[[int], str] = str
) -> dict[str, Callable[..., Markup]]:
    """The template globals ``_``, ``gettext``, ``ngettext``, ``pgettext`` and ``npgettext``."""

    @cache
    def constant(context: str | None, message: str) -> Markup:
        found = (
            translations.pgettext(context, message) if context else translations.gettext(message)
        )
        # % even with no values, as jinja2 does: a literal % is written %% in every msgid.
        return Markup(found) % {}

    def gettext(message: str, /, **values) -> Markup:
        if not values:
            return constant(None, message)
        return Markup(translations.gettext(message)) % values

    def pgettext(context: str, message: str, /, **values) -> Markup:
        if not values:
            return constant(context, message)
        return Markup(translations.pgettext(context, message)) % values

    def ngettext(singular: str, plural: str, count: int, /, **values) -> Markup:
        values.setdefault("num", number(count))
        return Markup(translations.ngettext(singular, plural, count)) % values

    def npgettext(context: str, singular: str, plural: str, count: int, /, **values) -> Markup:
        values.setdefault("num", number(count))
        return Markup(translations.npgettext(context, singular, plural, count)) % values

    return {
        "_": gettext,
        "gettext": gettext,
        "pgettext": pgettext,
        "ngettext": ngettext,
        "npgettext": npgettext,
    }
