"""The gettext catalogues, compiled in memory when first needed.

The .po files are the only source: compiling them here (Babel's read_po, then
write_mo into a buffer) means there is no build step and no .mo file to keep
in git or to forget after editing a translation. It takes milliseconds per
language, once per process. Fuzzy entries are left out, as msgfmt does: a
string a translator has not confirmed shows in English.
"""

from __future__ import annotations

from functools import cache
from io import BytesIO

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from languages import DOMAIN, SOURCE_LANGUAGE, catalogue_path


@cache
def translations(language: str) -> NullTranslations:
    """The translations of ``language``; English, the source, translates to itself."""
    if language == SOURCE_LANGUAGE:
        return NullTranslations()
    with catalogue_path(language).open("rb") as po_file:
        catalog = read_po(po_file, locale=language, domain=DOMAIN)
    mo_file = BytesIO()
    write_mo(mo_file, catalog, use_fuzzy=False)
    mo_file.seek(0)
    return Translations(mo_file, domain=DOMAIN)


def N_(message: str) -> str:
    """Mark ``message`` for extraction; translate it where it is shown."""
    return message
