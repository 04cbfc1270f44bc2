"""Every text is translated into every language, keeps its values and markup, and escapes data."""

import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from babel.support import NullTranslations

from cases.facts import card_facts
from cases.model import Case, Source
from fakeapi.api_chats import MAX_CALLBACK_ANSWER
from fakeapi.telegram_html import parse_html
from languages import LANGUAGES, SOURCE_LANGUAGE, catalogue_path, language_for
from messages.gettext import gettext_functions
from messages.render import IN_ENGLISH, IN_LANGUAGE, Messages
from tests.message_samples import HOSTILE, TODAY, label_samples, samples

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "messages" / "messages.pot"
TRANSLATED = [lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")

messages = Messages()


def read_catalogue(path: Path, lang: str | None = None):
    with path.open("rb") as po_file:
        return read_po(po_file, locale=lang)


def entries(catalogue):
    return [message for message in catalogue if message.id]


class AnyValue(dict):
    """Formats any %(name)s, so a translation with a stray % fails to format."""

    def __missing__(self, key):
        return "x"


def test_languages_come_from_the_catalogues():
    catalogues = sorted(path.name for path in (ROOT / "messages" / "locale").iterdir())
    assert ("en", *catalogues) == LANGUAGES
    assert {"be", "ru", "pl"} <= set(TRANSLATED)
    # Each language named in itself, by CLDR, whatever the interface language.
    names = {code: messages.label("language_name", "ru", code=code) for code in LANGUAGES}
    assert {names[code] for code in ("en", "be", "pl", "ru")} == {
        "English",
        "Беларуская",
        "Polski",
        "Русский",
    }


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_string_is_translated(lang):
    catalogue = read_catalogue(catalogue_path(lang), lang)
    # The Plural-Forms header pybabel init writes for this language.
    assert catalogue.plural_forms == Catalog(locale=lang).plural_forms
    problems = []
    for wanted in entries(read_catalogue(TEMPLATE)):
        found = catalogue.get(wanted.id, wanted.context)
        if found is None:
            problems.append(("missing", wanted.id))
            continue
        forms = found.string if found.pluralizable else (found.string,)
        if found.fuzzy:
            problems.append(("fuzzy", wanted.id))
        if found.pluralizable and len(forms) != catalogue.num_plurals:
            problems.append(("plural forms", wanted.id))
        if not all(forms):
            problems.append(("empty", wanted.id))
    assert problems == []


def _expected(message) -> tuple[set[str], set[str], list[str]]:
    """The placeholders a translation must keep, those it may use, and its tags."""
    if not message.pluralizable:
        names = set(PLACEHOLDER.findall(message.id))
        return names, names, sorted(TAG.findall(message.id))
    singular, plural = message.id
    allowed = set(PLACEHOLDER.findall(singular)) | set(PLACEHOLDER.findall(plural))
    # A form may leave out the count ("a channel"), never another value.
    return set(PLACEHOLDER.findall(plural)) - {"num"}, allowed, sorted(TAG.findall(plural))


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_keep_values_and_markup(lang):
    problems = []
    for message in entries(read_catalogue(catalogue_path(lang), lang)):
        required, allowed, tags = _expected(message)
        forms = message.string if message.pluralizable else (message.string,)
        for text in forms:
            used = set(PLACEHOLDER.findall(text))
            if not required <= used <= allowed:
                problems.append(("values", message.id, text))
            if sorted(TAG.findall(text)) != tags:
                problems.append(("tags", message.id, text))
            try:
                parse_html(text % AnyValue())
            except (ValueError, TypeError) as error:
                problems.append((str(error), message.id, text))
    assert problems == []


def test_template_lists_every_string_of_the_sources():
    # The .pot must be re-extracted (make messages) whenever a text changes.
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    extracted = {
        (context, message)
        for _, _, message, _, context in extract_from_dir(ROOT, method_map, options_map)
    }
    listed = {(message.context, message.id) for message in entries(read_catalogue(TEMPLATE))}
    assert extracted == listed


class Recording(NullTranslations):
    def __init__(self) -> None:
        super().__init__()
        self.reached: set = set()

    def gettext(self, message):
        self.reached.add((None, message))
        return super().gettext(message)

    def ngettext(self, singular, plural, n):
        self.reached.add((None, (singular, plural)))
        return super().ngettext(singular, plural, n)

    def pgettext(self, context, message):
        self.reached.add((context, message))
        return message


def test_the_samples_reach_every_string():
    # So the rendering test below shows every translation in its template.
    recording = Recording()
    reached = Messages()
    reached.environment("en").globals.update(gettext_functions(recording))
    for key, context in samples():
        reached.render(key, "en", **context)
    for key, values in label_samples(reached.label_keys()):
        reached.label(key, "en", **values)
    listed = {(message.context, message.id) for message in entries(read_catalogue(TEMPLATE))}
    # The marks of untranslated case texts: the samples' texts are all translated.
    assert listed - recording.reached == {(None, IN_ENGLISH), (None, IN_LANGUAGE)}


def test_samples_cover_every_message():
    assert {key for key, _ in samples()} == messages.keys()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_is_telegram_html_and_escapes_values(lang):
    for key, context in samples():
        text = messages.render(key, lang, **context)
        parse_html(text)  # raises on anything Telegram would refuse
        assert "%(" not in text and HOSTILE not in text, (key, text)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_label_is_plain_text(lang):
    for key, values in label_samples(messages.label_keys(lang)):
        text = messages.label(key, lang, **values)
        assert text and "%(" not in text and "&lt;" not in text, (key, text)
    assert messages.label("btn_remove", lang, name=HOSTILE) == f"✕ {HOSTILE}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_toast_fits_a_callback_answer_with_a_long_name(lang):
    # Telegram refuses an answerCallbackQuery text over 200 characters.
    name = "Aliaksandra Uladzimirauna Kavaliova-Mikhalevich"
    toasts = [key for key in messages.label_keys(lang) if key.startswith("toast_")]
    assert "toast_subscribed_free" in toasts
    for key, values in label_samples(toasts):
        values = {field: name if field == "name" else value for field, value in values.items()}
        text = messages.label(key, lang, **values)
        assert len(text) <= MAX_CALLBACK_ANSWER, (key, len(text), text)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_hostile_query_is_escaped(lang):
    narrowed = {"unmet_year": None, "unmet_regions": ["homel"], "elsewhere": True}
    text = messages.render(
        "not_found", lang, query="<b>x</b> & co", suggestions=["A<i>"], **narrowed
    )
    assert "&lt;b&gt;x&lt;/b&gt; &amp; co" in text
    assert "A&lt;i&gt;" in text
    assert "<b>x</b>" not in text


def test_missing_value_fails_loudly():
    with pytest.raises(Exception, match="query"):
        messages.render(
            "not_found", "en", suggestions=[], unmet_year=None, unmet_regions=[], elsewhere=False
        )


def test_labels_are_cached_per_language():
    assert messages.label("btn_next", "pl") == "Dalej »"
    assert messages.label("btn_next", "pl") is messages.label("btn_next", "pl")
    assert messages.label("btn_next", "ru") == "Дальше »"


def lib(lang: str):
    return messages.environment(lang).get_template("_lib.j2").module


@pytest.mark.parametrize(
    ("lang", "count", "text"),
    [
        ("en", 1, "1 day"),
        ("en", 1461, "1,461 days"),
        ("ru", 2, "2 дня"),
        ("ru", 25, "25 дней"),
        ("ru", 21, "21 день"),
        ("be", 21, "21 дзень"),
        ("be", 3, "3 дні"),
        ("be", 1600, "1\xa0600 дзён"),
        ("pl", 1, "1 dzień"),
        ("pl", 22, "22 dni"),
        ("pl", 1461, "1\xa0461 dni"),
    ],
)
def test_counted_days(lang, count, text):
    assert str(lib(lang).days(count)) == text


@pytest.mark.parametrize(
    ("lang", "years", "months", "text"),
    [
        ("en", 14, 9, "14 years 9 months"),
        ("en", 1, 1, "1 year 1 month"),
        ("be", 14, 9, "14 гадоў 9 месяцаў"),
        ("ru", 22, 3, "22 года 3 месяца"),
        ("pl", 1, 0, "1 rok"),
        ("pl", 22, 0, "22 lata"),
        ("pl", 12, 5, "12 lat 5 miesięcy"),
        ("pl", 0, 2, "2 miesiące"),
    ],
)
def test_terms(lang, years, months, text):
    assert str(lib(lang).term(years, months)) == text


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "14 July 2021"),
        ("be", "14 ліпеня 2021"),
        ("ru", "14 июля 2021"),
        ("pl", "14 lipca 2021"),
    ],
)
def test_dates_come_from_cldr(lang, text):
    assert messages.environment(lang).filters["date"](date(2021, 7, 14)) == text


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("ru", "ru"),
        ("be-BY", "be"),
        ("en-GB", "en"),
        ("pl", "pl"),
        ("pl-PL", "pl"),
        ("de", "en"),
        (None, "en"),
    ],
)
def test_language_for_telegram_codes(code, expected):
    assert language_for(code, "en") == expected


def card_with_role(role: dict, lang: str) -> str:
    case = Case(
        slug="test-person",
        name={"en": "Test Person", "pl": "Testowa Osoba"},
        status="detained",
        status_as_of=TODAY,
        status_source="s",
        sources=[Source("s", "A source", "https://example.org")],
        role=role,
    )
    return messages.render("card", lang, case=case, facts=card_facts(case, lang, TODAY, 90))


@pytest.mark.parametrize(
    ("lang", "role"),
    [
        ("en", "Lawyer"),
        ("ru", "Юрист"),
        ("be", "Lawyer <i>(па-англійску)</i>"),
        ("pl", "Lawyer <i>(po angielsku)</i>"),
    ],
)
def test_case_text_missing_in_a_language_is_english_marked_so(lang, role):
    text = card_with_role({"en": "Lawyer", "ru": "Юрист"}, lang)
    assert f"\n{role}\n" in text
    # A name is not a translation: shown as the case spells it, with no mark.
    assert text.startswith("<b>Testowa Osoba</b>" if lang == "pl" else "<b>Test Person</b>")


@pytest.mark.parametrize(
    ("lang", "role"),
    [
        ("en", "Юрист <i>(in Russian)</i>"),
        ("ru", "Юрист"),
        ("be", "Юрист <i>(мова: руская)</i>"),
        ("pl", "Юрист <i>(język: rosyjski)</i>"),
    ],
)
def test_a_text_an_editor_wrote_in_russian_is_marked_russian(lang, role):
    # An editor's text is stored under their language and under "en", which is required.
    assert f"\n{role}\n" in card_with_role({"en": "Юрист", "ru": "Юрист"}, lang)


def test_a_text_the_same_in_several_languages_has_no_mark():
    same = {"en": "Human Constanta", "be": "Human Constanta", "ru": "Human Constanta"}
    assert "\nHuman Constanta\n" in card_with_role(same, "pl")
