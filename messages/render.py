"""Every user-facing text: one jinja2 template per message, translated by gettext.

Templates live in ``messages/templates/``: one file per message (``card.j2``)
and ``labels*.j2`` whose macros are the short texts (buttons, command
descriptions, status names). Their English texts are msgids, translated by
the catalogues in ``messages/locale`` (see README, "Translations"). Each
language has its own jinja2 Environment with its translations installed, so
a template compiles once per language and rendering stays a plain function
call. Autoescape makes every value safe for Telegram HTML; StrictUndefined
makes a missing value fail loudly instead of printing nothing.
"""

from __future__ import annotations

import html
from datetime import date
from functools import cache, lru_cache, partial
from pathlib import Path

from babel import Locale
from babel.dates import format_date, get_timezone_location
from babel.numbers import format_decimal
from babel.support import NullTranslations
from jinja2 import BytecodeCache, Environment, FileSystemLoader, StrictUndefined, pass_context
from markupsafe import Markup

from cases.dates import PartialDate
from cases.model import Text, localised, text_in
from languages import LANGUAGES, SOURCE_LANGUAGE, autonym, language_for, language_name
from messages.catalogues import N_, translations
from messages.gettext import gettext_functions
from messages.quoting import quotable, quote
from messages.split import split_html

__all__ = ["Messages", "language_for"]

TEMPLATES_DIR = Path(__file__).parent / "templates"
DATE_FORMAT = "d MMMM y"  # 14 July 2025; CLDR gives the genitive month where a language needs it
DAY_FORMAT = "d MMMM"  # 14 July: a day of this year or the last, said with how long ago it was
LABELS_KEPT = 10_000  # rendered labels kept; a button with a name costs one per name
# Translators: follows a text of a case (an event, a role, a place, a source's
# title) that nobody has translated into your language yet, shown in English
# instead. Keep the parentheses: inside other parentheses the bot drops them
# and writes "(Penal colony No. 2, Babruisk; in English)".
IN_ENGLISH = N_("(in English)")
# Translators: as "(in English)", for a text an editor wrote in another language;
# %(language)s is that language's name in yours, from CLDR ("Russian").
IN_LANGUAGE = N_("(in %(language)s)")


class _CompiledTemplates(BytecodeCache):
    """Compiled templates, shared by every Environment of this process.

    Each language has its own Environment, and every Application (each test
    builds several) its own Messages: without this each would compile every
    template again. Jinja checks the source's checksum, so an edited template
    is compiled afresh.
    """

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self._compiled:
            bucket.bytecode_from_string(self._compiled[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


@pass_context
def _source_number(context, source_id: str) -> int | None:
    """The footnote number of a source on the current card's views (``CardFacts.cited``)."""
    return context["facts"].number(source_id)


def _marks(language: str, catalogue: NullTranslations, names: dict[str, str]):
    """The ``loc`` filter (case data in ``language``, else English with a mark saying so),
    ``language_mark`` (that mark alone, with its space, for a text shown apart from
    it: a statement's title in bold, its HTML body below) and ``mark_of`` (the text
    and its mark, or None, for plain text: a button, a text written into case data)."""
    in_english = catalogue.gettext(IN_ENGLISH)

    def mark_of(text: Text | None) -> tuple[str, str | None]:
        value, shown_in = text_in(text, language)
        if not value or shown_in in (None, language):
            return value, None
        if shown_in == SOURCE_LANGUAGE:
            return value, in_english
        return value, catalogue.gettext(IN_LANGUAGE) % {"language": names.get(shown_in, shown_in)}

    def loc(text: Text | None, parenthesised: bool = False) -> str:
        """``parenthesised``: the text stands in parentheses already, so the mark
        loses its own: "(Penal colony No. 2, Babruisk; po angielsku)"."""
        value, mark = mark_of(text)
        if mark is None:
            return value
        if parenthesised and mark.startswith("(") and mark.endswith(")"):
            return Markup("{}; <i>{}</i>").format(value, mark[1:-1])
        return Markup("{} <i>{}</i>").format(value, mark)

    def language_mark(text: Text | None) -> str:
        mark = mark_of(text)[1]
        return "" if mark is None else Markup(" <i>{}</i>").format(mark)

    return loc, language_mark, mark_of


@cache
def _plural_categories(language: str) -> tuple:
    """The CLDR plural rule of ``language`` and the categories whole numbers take in it."""
    rule = Locale.parse(language).plural_form
    return rule, tuple(sorted({rule(count) for count in range(1000)}))


def counted(text: Text, count: int) -> Text:
    """A case or figure text whose words follow a number: each language's form for ``count``.

    A language's text is one string for every number, or one per CLDR plural
    category of that language ({"one": ..., "few": ..., "many": ...}), so
    Belarusian says "1 164 чалавекі" and "1 135 палітвязняў" from one figure.
    """
    chosen = {}
    for language, value in text.items():
        if isinstance(value, str):
            chosen[language] = value
            continue
        rule, _ = _plural_categories(language)
        chosen[language] = value.get(rule(count)) or value["other"]
    return chosen


def missing_plural_forms(text: Text) -> list[str]:
    """``language.category`` for each form a counted text lacks (see ``counted``)."""
    missing = []
    for language, value in text.items():
        if isinstance(value, str) or "other" in value:
            continue
        missing += [f"{language}.{c}" for c in _plural_categories(language)[1] if c not in value]
    return missing


def _environment(language: str, directory: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(directory)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
        bytecode_cache=_COMPILED,
    )
    catalogue = translations(language)
    # The i18n extension parses {% trans %} as newstyle gettext; the functions it calls are ours.
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    locale = Locale.parse(language)
    number = lru_cache(maxsize=4096)(partial(format_decimal, locale=locale))
    env.globals.update(gettext_functions(catalogue, number))
    # Cached: a card has a dozen dates and the same few recur on every card.
    env.filters["date"] = lru_cache(maxsize=4096)(
        partial(format_date, format=DATE_FORMAT, locale=locale)
    )
    env.filters["partial_date"] = partial(_partial_date, locale=locale)
    env.filters["day_month"] = partial(format_date, format=DAY_FORMAT, locale=locale)
    env.filters["number"] = number
    env.filters["loc"], env.filters["language_mark"], env.globals["mark_of"] = _marks(
        language, catalogue, locale.languages
    )
    # Names and statements are not translations of an English original: no mark.
    env.filters["loc_unmarked"] = partial(localised, language=language)
    env.filters["ref"] = _source_number
    # A case text that ends a sentence: what follows it ("As of ...") starts a new one.
    env.tests["ending_sentence"] = partial(_ends_sentence, language=language)
    env.filters["counted"] = counted
    # Whatever a user typed, before a message quotes it (messages/quoting.py).
    env.filters["typed"] = quotable
    # Between the reader's own quotation marks (“…”, «…», „…”).
    env.filters["quoted"] = partial(quote, language=language)
    # The name of another language in this one ("German"), for what has no msgid of its own.
    env.filters["language"] = lambda code: locale.languages.get(code, code)
    # A time zone (BOT_TIMEZONE's key, "Europe/Minsk") by its city in this language, from
    # CLDR ("Мінск"); a zone without a city keeps its own name ("UTC").
    env.filters["zone_city"] = lru_cache(maxsize=64)(partial(_zone_city, locale=locale))
    env.globals["language_codes"] = LANGUAGES
    env.globals["autonym"] = language_name
    env.globals["language_list"] = ", ".join(autonym(code) for code in LANGUAGES)
    return env


def _zone_city(zone: str, locale: Locale) -> str:
    try:
        return get_timezone_location(zone, locale=locale, return_city=True)
    except LookupError:
        return zone


def _ends_sentence(text: Text | str | None, language: str) -> bool:
    """The text, as shown in ``language``, ends with a full stop (or ! ? …), quoted or not."""
    return localised(text, language).rstrip().rstrip("\"'»”’").endswith((".", "!", "?", "…"))


def _partial_date(day: PartialDate | date | str, locale: Locale) -> str:
    """As much of a date as is known: "14 July 2025", "July 2025" (standalone) or "2025".

    Also a day, or a partial date's text ("2025-07", as an alert's payload keeps it).
    """
    if isinstance(day, str):
        day = PartialDate.parse(day)
    elif isinstance(day, date):
        day = PartialDate.of(day)
    if day.exact is not None:
        return format_date(day.exact, format=DATE_FORMAT, locale=locale)
    if day.month is not None:
        return format_date(date(day.year, day.month, 1), format="LLLL y", locale=locale)
    return str(day.year)  # a year is not a number to group: never "1 984"


def _is_message(path: Path) -> bool:
    return not path.stem.startswith(("_", "labels"))


class Messages:
    def __init__(self, directory: Path = TEMPLATES_DIR) -> None:
        self.directory = directory
        self._envs = {language: _environment(language, directory) for language in LANGUAGES}
        self._macros: dict[str, dict] = {}
        # Rendered labels by (key, language, values): a button costs a dict lookup.
        self._labels: dict[tuple, str] = {}

    def environment(self, lang: str) -> Environment:
        return self._envs[lang]

    def render(self, key: str, lang: str, **context) -> str:
        """The message ``key`` as Telegram HTML, whitespace trimmed."""
        return self._envs[lang].get_template(f"{key}.j2").render(**context).strip()

    def parts(self, key: str, lang: str, **context) -> list[str]:
        """The message split into parts that each fit one Telegram message."""
        return split_html(self.render(key, lang, **context))

    def _label_macros(self, lang: str) -> dict:
        # Each feature keeps its short texts in its own labels*.j2 file. Built
        # once per language: buttons are rendered on nearly every reply.
        if lang not in self._macros:
            env = self._envs[lang]
            macros = {}
            for path in sorted(self.directory.glob("labels*.j2")):
                module = env.get_template(path.name).module
                macros.update(
                    (name, getattr(module, name))
                    for name in dir(module)
                    if not name.startswith("_")
                )
            self._macros[lang] = macros
        return self._macros[lang]

    def label(self, key: str, lang: str, **context) -> str:
        """A short plain text (a button, a command description): not HTML."""
        # Labels are pure functions of their values and sit on nearly every reply: kept.
        cache_key = (key, lang, *sorted(context.items())) if context else (key, lang)
        try:
            return self._labels[cache_key]
        except KeyError:
            pass
        except TypeError:  # a value that cannot be a key: render it every time
            cache_key = None
        macro = self._label_macros(lang).get(key)
        if macro is None:
            raise KeyError(f"no label {key!r} in {lang}")
        text = html.unescape(str(macro(**context))).strip()
        if cache_key is not None:
            if len(self._labels) >= LABELS_KEPT:
                self._labels.clear()
            self._labels[cache_key] = text
        return text

    def loc(self, text: Text | None, lang: str) -> str:
        """A case text (a place's name) as plain text in ``lang``: English where it is
        not translated, then followed by the mark that says so, as the ``loc`` filter
        writes it in a message: for a button, or a text the bot writes into case data."""
        value, mark = self._envs[lang].globals["mark_of"](text)
        return value if mark is None else f"{value} {mark}"

    def keys(self, lang: str = SOURCE_LANGUAGE) -> set[str]:
        """The messages there are: the same in every language."""
        return {path.stem for path in self.directory.glob("*.j2") if _is_message(path)}

    def label_keys(self, lang: str = SOURCE_LANGUAGE) -> set[str]:
        return set(self._label_macros(lang))
