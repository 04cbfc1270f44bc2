"""Texts a native reader trusts: numbers written as the language writes them, each
language's quotation marks, and no English shown without saying so.

Every message sample (tests/message_samples.py) is rendered in every language;
the catalogues are read whole.
"""

import gettext
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from bot import load_stats
from cases.edits import with_source
from cases.facts import card_facts
from cases.model import Case, Source
from languages import LANGUAGES, SOURCE_LANGUAGE, catalogue_path
from messages.case_texts import CaseTexts
from messages.quoting import QUOTATION_MARKS
from messages.render import Messages, missing_plural_forms
from tests.message_samples import HELD, TODAY, label_samples, samples

ROOT = Path(__file__).resolve().parent.parent
TRANSLATED = [lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE]
GETTEXT = ("_", "gettext", "pgettext", "ngettext", "npgettext")
# Whole numbers that are names, not amounts: never grouped ("founded in 1996",
# statement 1234, a Telegram user id, an HTTP status).
NOT_AMOUNTS = {"year", "statement_id", "user_id", "chat_id", "owner_id", "actor", "status"}


def read_catalogue(lang: str):
    with catalogue_path(lang).open("rb") as po_file:
        return read_po(po_file, locale=lang)


def rendered(messages: Messages, lang: str) -> list[tuple[str, str]]:
    """(key, text) of every message sample and every label in ``lang``."""
    texts = [(key, messages.render(key, lang, **context)) for key, context in samples()]
    texts += [
        (key, messages.label(key, lang, **values))
        for key, values in label_samples(messages.label_keys(lang))
    ]
    return texts


# Plural forms


@pytest.mark.parametrize("lang", TRANSLATED)
def test_a_plural_form_that_serves_several_numbers_says_the_number(lang):
    # Belarusian and Russian use their first form for 1, 21, 31, 101...: "Вы
    # зарэгістравалі канал" is wrong for 21 channels. (msgfmt -c says the same.)
    catalogue = read_catalogue(lang)
    form_of = gettext.c2py(catalogue.plural_expr)
    numbers_of = {}
    for number in range(1000):
        numbers_of.setdefault(form_of(number), []).append(number)
    missing = [
        (index, message.id[0], form)
        for message in catalogue
        if message.id and message.pluralizable and "%(num)s" in message.id[1]
        for index, form in enumerate(message.string)
        if len(numbers_of.get(index, [])) > 1 and "%(num)s" not in form
    ]
    assert missing == []


# Numbers


class Recorded:
    """Wraps a language's gettext functions: which values reach a text as bare ints."""

    def __init__(self, messages: Messages, lang: str) -> None:
        self.bare: set[tuple[str, str]] = set()
        env = messages.environment(lang)
        for name in GETTEXT:
            env.globals[name] = self._checked(env.globals[name])

    def _checked(self, function):
        def checked(*args, **values):
            for name, value in values.items():
                if type(value) is int and name not in NOT_AMOUNTS:
                    self.bare.add((name, next(a for a in args if isinstance(a, str))[:70]))
            return function(*args, **values)

        return checked


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_number_in_a_text_is_written_as_the_language_writes_it(lang):
    # An amount given to a text as a bare int prints "1164" where Belarusian
    # writes "1 164" and English "1,164": it must go through the number filter
    # (a plural's own count does by itself).
    messages = Messages()
    recorded = Recorded(messages, lang)
    rendered(messages, lang)
    assert sorted(recorded.bare) == []


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "✅ Confirm: 1,164 releases"),
        ("be", "✅ Пацвердзіць: 1\xa0164 вызваленні"),
        ("ru", "✅ Подтвердить: 1\xa0164 освобождения"),
        ("pl", "✅ Potwierdź: 1\xa0164 zwolnienia"),
    ],
)
def test_a_count_on_a_button_is_written_as_the_language_writes_it(lang, text):
    # A plural's own count (no num= given) goes through the language's format too.
    assert Messages().label("btn_apply_releases", lang, count=1164) == text


# Code, links, dates, years, postcodes (Belarusian ones are 2xxxxx) and code pages
# hold digits that are not amounts.
NOT_AMOUNT_TEXT = re.compile(
    r"<code>.*?</code>|<pre>.*?</pre>|<a [^>]*>|https?://\S+|/\w+|Windows-\d+|\b2\d{5}\b"
    r"|\b\d{1,2}[./]\d{1,2}[./]\d{4}\b|\b\d{4}-\d{2}(-\d{2})?\b|\b(19|20)\d\d\b",
    re.DOTALL,
)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_bare_long_number_where_the_language_groups_digits(lang):
    if format_decimal(1234, locale=lang) == "1234":
        pytest.skip("this language writes 1234 ungrouped")
    bare = []
    for key, text in rendered(Messages(), lang):
        for found in re.finditer(r"\b\d{4,}\b", NOT_AMOUNT_TEXT.sub(" ", text)):
            bare.append((key, found.group(0)))
    assert bare == []


# /stats: a figure's words follow its number


def stats_with(key: str, value: int, lang: str) -> str:
    context = dict(next(context for name, context in samples() if name == "stats"))
    figure = next(figure for figure in load_stats()["figures"] if figure["key"] == key)
    context["figures"] = [{**figure, "value": value}]
    return Messages().render("stats", lang, **context)


@pytest.mark.parametrize(
    ("key", "lang", "value", "text"),
    [
        # "1164 чалавек" and "123 вязняў, памілаваных" were what a reader found.
        (
            "political-prisoners-2025-07",
            "be",
            1164,
            "не менш за <b>1\xa0164</b> чалавекі, адвольна зняволеныя",
        ),
        (
            "political-prisoners-2025-07",
            "be",
            21,
            "не менш за <b>21</b> чалавека, адвольна зняволенага",
        ),
        (
            "political-prisoners-2025-07",
            "be",
            25,
            "не менш за <b>25</b> чалавек, адвольна зняволеных",
        ),
        (
            "political-prisoners-2025-07",
            "ru",
            1164,
            "не менее <b>1\xa0164</b> человек, произвольно",
        ),
        (
            "political-prisoners-2025-07",
            "ru",
            21,
            "не менее <b>21</b> человека, произвольно лишённого",
        ),
        (
            "political-prisoners-2025-07",
            "pl",
            1164,
            "co najmniej <b>1\xa0164</b> osoby arbitralnie",
        ),
        ("political-prisoners-2025-07", "pl", 22, "co najmniej <b>22</b> osoby arbitralnie"),
        ("political-prisoners-2025-07", "pl", 25, "co najmniej <b>25</b> osób arbitralnie"),
        ("political-prisoners-2025-07", "en", 1, "at least <b>1</b> person arbitrarily"),
        ("political-prisoners-2025-07", "en", 1164, "at least <b>1,164</b> people arbitrarily"),
        ("pardoned-released-2025-12-13", "be", 123, "<b>123</b> вязні, памілаваныя і вызваленыя"),
        ("pardoned-released-2025-12-13", "be", 125, "<b>125</b> вязняў, памілаваных і вызваленых"),
        ("pardoned-released-2025-12-13", "be", 121, "<b>121</b> вязень, памілаваны і вызвалены"),
        ("political-prisoners-2025-12-23", "be", 1135, "<b>1\xa0135</b> палітвязняў утрымліваюцца"),
        ("political-prisoners-2025-12-23", "be", 1132, "<b>1\xa0132</b> палітвязні ўтрымліваюцца"),
        (
            "political-prisoners-2025-12-23",
            "ru",
            1131,
            "<b>1\xa0131</b> политзаключённый содержится",
        ),
    ],
)
def test_a_figure_is_counted_in_each_language(key, lang, value, text):
    assert text in stats_with(key, value, lang)


def test_every_figure_has_a_form_for_every_number():
    for figure in load_stats()["figures"]:
        assert missing_plural_forms(figure["label"]) == [], figure["key"]
    assert missing_plural_forms({"be": {"one": "вязень", "many": "вязняў"}}) == ["be.few"]


# Quotation marks

MARKS = set('«»“”„‟‹›"')
MARKUP = re.compile(r"<code>.*?</code>|<pre>.*?</pre>|<[^>]+>", re.DOTALL)


def quote_problems(text: str, lang: str) -> list[str]:
    """Quotation marks that are not the language's: outer pairs, with the inner
    pair only inside them. « and » standing apart are arrows (« Back, Next »)."""
    (outer_open, outer_close), (inner_open, inner_close) = QUOTATION_MARKS[lang]
    text = MARKUP.sub(" ", text)
    closing: list[str] = []
    problems = []
    for index, char in enumerate(text):
        before, after = text[index - 1 : index], text[index + 1 : index + 2]
        if char not in MARKS or (char == "«" and after in " ") or (char == "»" and before in " "):
            continue
        if closing and char == closing[-1]:
            closing.pop()
        elif not closing and char == outer_open:
            closing.append(outer_close)
        elif len(closing) == 1 and char == inner_open:
            closing.append(inner_close)
        else:
            problems.append(f"{char} in …{text[max(0, index - 30) : index + 30]}…")
    return [*problems, f"unclosed {closing[-1]}"] if closing else problems


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_catalogue_quotes_with_its_own_marks(lang):
    # English replies said «…»; Polish ones «…» beside „…”.
    if lang == SOURCE_LANGUAGE:
        with (ROOT / "messages" / "messages.pot").open("rb") as po_file:
            texts = [
                form
                for message in read_po(po_file)
                if message.id
                for form in (message.id if message.pluralizable else (message.id,))
            ]
    else:
        texts = [
            form
            for message in read_catalogue(lang)
            if message.id
            for form in (message.string if message.pluralizable else (message.string,))
        ]
    wrong = [(text, problems) for text in texts if (problems := quote_problems(text, lang))]
    assert wrong == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_quotes_with_the_readers_marks(lang):
    # What the templates add around a typed text, and the case data, too.
    wrong = [
        (key, problems)
        for key, text in rendered(Messages(), lang)
        if (problems := quote_problems(text, lang))
    ]
    assert wrong == []


# English shown in another language says so


def test_only_names_and_statements_are_shown_without_a_language_mark():
    # loc marks a text shown in English where the reader's language lacks it;
    # loc_unmarked is for what is not a translation: people's names, and a
    # statement (marked apart). A source's title or a place's name is a translation.
    unmarked = re.compile(r"([\w.\[\]]+) \| loc_unmarked")
    allowed = re.compile(r"(^|\.)name$|^(title|body|payload\.title|payload\.text)$")
    found = {
        (path.name, expression)
        for path in (ROOT / "messages" / "templates").glob("*.j2")
        for expression in unmarked.findall(path.read_text(encoding="utf-8"))
        if not allowed.search(expression)
    }
    assert found == set()


def card_of(case: Case, lang: str) -> str:
    """The card and its sources (behind the card's button)."""
    facts = card_facts(case, lang, TODAY, 90)
    return "\n".join(
        Messages().render(view, lang, case=case, facts=facts) for view in ("card", "card_sources")
    )


@pytest.mark.parametrize(
    ("lang", "mark"),
    [("be", "(па-англійску)"), ("ru", "(на английском)"), ("pl", "(po angielsku)")],
)
def test_an_english_source_title_and_place_are_marked(lang, mark):
    case = replace(
        HELD,
        sources=[
            Source(HELD.status_source, "Viasna, political prisoners", "https://spring96.org/x")
        ],
        detention=replace(
            HELD.detention,
            source=HELD.status_source,
            inline_place={"en": "Penal colony No. 2, Babruisk"},
        ),
    )
    card = card_of(case, lang)
    assert f"Viasna, political prisoners <i>{mark}</i></a>" in card
    assert f"Penal colony No. 2, Babruisk <i>{mark}</i>" in card


def test_the_mark_reads_well_inside_parentheses():
    # The digest said "(Penal colony No. 2, Babruisk (po angielsku))".
    digest = dict(next(context for key, context in samples() if key == "alert_digest"))
    text = Messages().render("alert_digest", "pl", **digest)
    assert "(Penal colony No. 4, Homel; <i>po angielsku</i>)" in text
    for lang in LANGUAGES:
        for key, text in rendered(Messages(), lang):
            assert ")</i>)" not in text, (lang, key)


def test_a_move_written_into_the_timeline_marks_an_english_place():
    texts = CaseTexts(Messages()).moved_event(
        {"en": "Penal colony No. 2, Babruisk", "ru": "ИК-2, Бобруйск"}
    )
    assert texts["ru"] == "Теперь место заключения: ИК-2, Бобруйск."
    assert texts["be"] == "Цяпер месца зняволення: Penal colony No. 2, Babruisk (па-англійску)."
    assert texts["en"] == "Now held in Penal colony No. 2, Babruisk."


def test_an_editors_source_is_named_by_its_site_in_every_language():
    # It was "spring96.org, 2026-12-07": the day of the edit, in ISO, as English.
    case, source_id = with_source(HELD, "https://www.spring96.org/be/news/1", date(2026, 12, 7))
    source = next(source for source in case.sources if source.id == source_id)
    assert source.title == dict.fromkeys(LANGUAGES, "spring96.org")
    card = card_of(replace(case, status_source=source_id, status_as_of=date(2026, 12, 5)), "be")
    assert ">spring96.org</a>" in card
    assert "станам на 5 снежня 2026" in card
