"""The languages casewatch speaks: English, the source, and one per gettext catalogue.

A language is added by adding ``messages/locale/<code>/LC_MESSAGES/messages.po``
(``pybabel init``): everything that lists languages (the /language and
/settings buttons, the command menus, the case format's text fields, the
setting BOT_LANGUAGE) reads ``LANGUAGES`` from here. A leaf module that
imports nothing of casewatch, so ``cases/``, ``config.py`` and ``messages/``
can all use it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel import Locale

SOURCE_LANGUAGE = "en"  # the msgids: English needs no catalogue
LOCALE_DIR = Path(__file__).parent / "messages" / "locale"
DOMAIN = "messages"


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _translated() -> list[str]:
    return sorted(path.parents[1].name for path in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


# English first, then the catalogues in code order: the order of the language buttons.
LANGUAGES: tuple[str, ...] = (SOURCE_LANGUAGE, *_translated())


@cache
def autonym(code: str) -> str:
    """The language's own name as CLDR writes it in a sentence: "беларуская", "polski"."""
    return Locale.parse(code).get_display_name(code)


@cache
def language_name(code: str) -> str:
    """The language's own name as a label: "English", "Беларуская", "Polski"."""
    name = autonym(code)
    # Only the first letter: str.capitalize() would lower the rest ("Português (Brasil)").
    return name[:1].upper() + name[1:]


def language_for(code: str | None, default: str) -> str:
    """A Telegram language_code ("ru", "be-BY", "pl-PL") mapped to one we speak."""
    base = (code or "").replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else default
