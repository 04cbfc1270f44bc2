"""Every user-facing text: jinja2 templates per language, rendered for Telegram.

Templates live in ``messages/<language>/``: one file per message (``card.j2``)
and ``labels.j2`` whose macros are the short texts (buttons, command
descriptions, status names). Autoescape makes every value safe for Telegram
HTML; StrictUndefined makes a missing value fail loudly instead of printing
nothing.
"""

from __future__ import annotations

import html
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context

from cases.model import LANGUAGES, localised
from messages.split import split_html

TEMPLATES_DIR = Path(__file__).parent


def plural_category(count: int, language: str) -> str:
    """CLDR plural category: "one", "few" or "many" (en: "one"/"many")."""
    count = abs(count)
    if language == "en":
        return "one" if count == 1 else "many"
    # Belarusian and Russian share the East Slavic rule.
    if count % 10 == 1 and count % 100 != 11:
        return "one"
    if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        return "few"
    return "many"


@pass_context
def _localised(context, text) -> str:
    return localised(text, context["lang"])


@pass_context
def _source_number(context, source_id: str) -> int:
    """The footnote number of a source on the current case card."""
    ids = [source.id for source in context["case"].sources]
    return ids.index(source_id) + 1 if source_id in ids else 0


class Messages:
    def __init__(self, directory: Path = TEMPLATES_DIR) -> None:
        self.env = Environment(
            loader=FileSystemLoader(str(directory)),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["loc"] = _localised
        self.env.filters["ref"] = _source_number
        self.env.filters["plural"] = plural_category
        self._modules: dict[str, list] = {}

    def render(self, key: str, lang: str, **context) -> str:
        """The message ``key`` as Telegram HTML, whitespace trimmed."""
        template = self.env.get_template(f"{lang}/{key}.j2")
        return template.render(lang=lang, **context).strip()

    def parts(self, key: str, lang: str, **context) -> list[str]:
        """The message split into parts that each fit one Telegram message."""
        return split_html(self.render(key, lang, **context))

    def _label_modules(self, lang: str) -> list:
        # Each feature keeps its short texts in its own labels*.j2 file. Built
        # once per language: buttons are rendered on nearly every reply.
        if lang not in self._modules:
            names = sorted(path.name for path in (TEMPLATES_DIR / lang).glob("labels*.j2"))
            self._modules[lang] = [
                self.env.get_template(f"{lang}/{name}").make_module({"lang": lang})
                for name in names
            ]
        return self._modules[lang]

    def label(self, key: str, lang: str, **context) -> str:
        """A short plain text (a button, a command description): not HTML."""
        for module in self._label_modules(lang):
            macro = getattr(module, key, None)
            if macro is not None:
                return html.unescape(str(macro(**context))).strip()
        raise KeyError(f"no label {key!r} in {lang}")

    def keys(self, lang: str) -> set[str]:
        return {path.stem for path in (TEMPLATES_DIR / lang).glob("*.j2")}

    def label_keys(self, lang: str) -> set[str]:
        return {
            name
            for module in self._label_modules(lang)
            for name in dir(module)
            if not name.startswith("_")
        }


def language_for(code: str | None, default: str) -> str:
    """A Telegram language_code ("ru", "be-BY", "en-US") mapped to one we speak."""
    base = (code or "").split("-")[0].lower()
    return base if base in LANGUAGES else default
