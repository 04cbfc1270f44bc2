"""Every text exists in every language, uses the same values, and escapes data."""

from datetime import date

import pytest
from jinja2 import meta

from cases.model import LANGUAGES
from messages.render import Messages, language_for, plural_category

messages = Messages()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_exists_in_every_language(lang):
    assert messages.keys(lang) == messages.keys("en")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_label_exists_in_every_language(lang):
    assert messages.label_keys(lang) == messages.label_keys("en")


def variables(lang: str, key: str) -> set[str]:
    source = messages.env.loader.get_source(messages.env, f"{lang}/{key}.j2")[0]
    return meta.find_undeclared_variables(messages.env.parse(source))


@pytest.mark.parametrize("key", sorted(messages.keys("en")))
def test_translations_use_the_same_values(key):
    # A translation that forgets a value (or invents one) would show wrong or fail at run time.
    for lang in ("be", "ru"):
        assert variables(lang, key) == variables("en", key), (lang, key)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_hostile_query_is_escaped(lang):
    text = messages.render("not_found", lang, query="<b>x</b> & co", suggestions=["A<i>"])
    assert "&lt;b&gt;x&lt;/b&gt; &amp; co" in text
    assert "A&lt;i&gt;" in text
    assert "<b>x</b>" not in text


def test_missing_value_fails_loudly():
    with pytest.raises(Exception, match="query"):
        messages.render("not_found", "en", suggestions=[])


@pytest.mark.parametrize(
    ("count", "en", "slavic"),
    [
        (1, "one", "one"),
        (2, "many", "few"),
        (5, "many", "many"),
        (11, "many", "many"),
        (21, "many", "one"),
        (22, "many", "few"),
        (112, "many", "many"),
        (1461, "many", "one"),
    ],
)
def test_plural_categories(count, en, slavic):
    assert plural_category(count, "en") == en
    assert plural_category(count, "ru") == plural_category(count, "be") == slavic


@pytest.mark.parametrize(
    ("lang", "count", "text"),
    [
        ("en", 1, "1 day"),
        ("en", 1461, "1,461 days"),
        ("ru", 2, "2 дня"),
        ("ru", 25, "25 дней"),
        ("be", 21, "21 дзень"),
        ("be", 3, "3 дні"),
        ("be", 1600, "1 600 дзён"),
    ],
)
def test_counted_days(lang, count, text):
    lib = messages.env.get_template(f"{lang}/_lib.j2").module
    assert str(lib.days(count)).replace("\u202f", " ").replace("\xa0", " ") == text


@pytest.mark.parametrize(
    ("lang", "text"), [("en", "14 July 2021"), ("be", "14 ліпеня 2021"), ("ru", "14 июля 2021")]
)
def test_dates(lang, text):
    lib = messages.env.get_template(f"{lang}/_lib.j2").module
    assert str(lib.date(date(2021, 7, 14))) == text


@pytest.mark.parametrize(
    ("code", "expected"),
    [("ru", "ru"), ("be-BY", "be"), ("en-GB", "en"), ("de", "en"), (None, "en")],
)
def test_language_for_telegram_codes(code, expected):
    assert language_for(code, "en") == expected
