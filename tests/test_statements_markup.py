"""Statements' text handling: markdown, HTML and plain text to Telegram HTML; dates; summaries."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fakeapi.telegram_html import parse_html
from languages import LANGUAGES
from messages.render import Messages
from messages.split import split_html, utf16_len
from statements.dates import date_line, parse_date
from statements.documents import StatementFileError, read_file, read_message
from statements.markdown import markdown_to_html, plain_to_html
from statements.sanitise import plain_text, sanitise_html
from statements.summary import SUMMARY_LIMIT, opening, paragraphs, payload, render
from tests.test_statements_support import SEED


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("**Ales Bialiatski**", "<b>Ales Bialiatski</b>"),
        ("a [link](https://x.org/?a=1&b=2) b", 'a <a href="https://x.org/?a=1&amp;b=2">link</a> b'),
        ("the [arbitrary detention](#) of", "the arbitrary detention of"),
        ("**[bold link](https://x.org)**", '<b><a href="https://x.org">bold link</a></b>'),
        (
            "*italic* and _also_ but snake_case_name",
            "<i>italic</i> and <i>also</i> but snake_case_name",
        ),
        ("x < y & z > 0", "x &lt; y &amp; z &gt; 0"),
        (r"not \*bold\*", "not *bold*"),
        ("line one\nline two", "line one line two"),
        ("one\n\n\n\ntwo", "one\n\ntwo"),
        ("# Heading\ntext", "<b>Heading</b>\ntext"),
        ("- one\n- two", "• one\n• two"),
        ("> quoted\n> more", "<blockquote>quoted\nmore</blockquote>"),
        ("[x](javascript:alert(1))", "x"),
    ],
)
def test_markdown_subset(source, expected):
    assert markdown_to_html(source) == expected


def test_the_sample_statement():
    parsed = read_file(SEED.name, SEED.read_bytes())
    assert parsed.title == ("Belarus: Free the defenders of Viasna - a sample statement for tests")
    assert parsed.on_date == date(2025, 3, 14)
    assert parsed.body_html.startswith("This statement is made up for casewatch's tests.")
    assert "<b>Ales Bialiatski</b>" in parsed.body_html and "<a " not in parsed.body_html
    assert parsed.body_html.endswith("Workshop on Sources and Dates")
    plain, _ = parse_html(parsed.body_html)
    assert plain == plain_text(parsed.body_html)


def test_html_is_rebuilt_with_telegrams_tags_only():
    body, title = sanitise_html(
        "<title>T</title><div>a<b>b<i>c</b>d</i></div><p>x<br/>y</p><ul><li>1</li><li>2</li></ul>"
        "<table><tr><td>cell</td></tr></table><span class='tg-spoiler'>s</span>"
        "<a href='https://ok.org'>ok</a><a href='javascript:x'>bad</a><iframe>i</iframe>"
    )
    assert title == "T"
    assert body == (
        "a<b>b<i>c</i></b>d\n\nx\ny\n\n• 1\n• 2\n\ncell\n\n<tg-spoiler>s</tg-spoiler>"
        '<a href="https://ok.org">ok</a>badi'
    )
    parse_html(body)


def test_a_message_keeps_telegrams_own_formatting():
    parsed = read_message(
        '<b>Bold</b> <i>it</i> <u>u</u> <s>s</s> <span class="tg-spoiler">sp</span> '
        '<a href="https://x.org">l</a> <code>c</code>\n<pre><code class="language-py">'
        "x = 1\n</code></pre>\n<blockquote expandable>q</blockquote>"
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji> 1 &lt; 2'
    )
    assert parsed.body_html == (
        "<b>Bold</b> <i>it</i> <u>u</u> <s>s</s> <tg-spoiler>sp</tg-spoiler> "
        '<a href="https://x.org">l</a> <code>c</code>\n\n<pre><code>x = 1\n</code></pre>'
        "\n\n<blockquote>q</blockquote>\n\n👍 1 &lt; 2"
    )
    parse_html(parsed.body_html)


def test_plain_text_is_escaped_and_keeps_its_lines():
    assert plain_to_html("a <b>\nc & d\n\n\ne") == "a &lt;b&gt;\nc &amp; d\n\ne"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("a.docx", b"x", "extension"),
        ("a.md", b"   \n", "empty"),
        ("a.txt", b"\xff\xfe\x00\xd8" * 3, "encoding"),  # a UTF-16 mark, then no text
        ("a.txt", b"PK\x03\x04\x00\x00binary", "encoding"),
        ("a.txt", "Загаловак\n\nТэкст".encode("utf-16"), None),
        ("a.txt", "Заголовок\n\nТекст".encode("cp1251"), None),
        ("a.md", b"x" * (513 * 1024), "too_big"),
    ],
)
def test_files_refused(name, content, reason):
    if reason is None:
        read_file(name, content)
        return
    with pytest.raises(StatementFileError) as refused:
        read_file(name, content)
    assert refused.value.reason == reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Monday 14 July 2025", date(2025, 7, 14)),
        ("14 July 2025", date(2025, 7, 14)),
        ("July 14, 2025", date(2025, 7, 14)),
        ("2025-07-14", date(2025, 7, 14)),
        ("14.07.2025", date(2025, 7, 14)),
        ("14 ліпеня 2025", date(2025, 7, 14)),
        ("Панядзелак, 14 ліпеня 2025 г.", date(2025, 7, 14)),
        ("14 июля 2025 года", date(2025, 7, 14)),
        ("3 траўня 2024", date(2024, 5, 3)),
        ("1 мая 2024", date(2024, 5, 1)),
        ("14 lipca 2025", date(2025, 7, 14)),
        ("Poniedziałek, 14 lipca 2025 r.", date(2025, 7, 14)),
        ("3 maja 2024", date(2024, 5, 3)),
        ("11 listopada 2024 roku", date(2024, 11, 11)),
        ("1 października 2024", date(2024, 10, 1)),
        ("13 grudnia 2025", date(2025, 12, 13)),
        ("31 February 2025", None),
        ("tomorrow", None),
    ],
)
def test_dates(text, expected):
    assert parse_date(text) == expected


def test_a_date_in_a_sentence_is_no_date_line():
    assert date_line("Paris-Geneva, 14 July 2025 - Four years have now passed since") is None
    assert date_line("**Monday 14 July 2025**") == date(2025, 7, 14)


def test_opening_takes_whole_paragraphs_and_never_splits_a_tag():
    body = "\n\n".join(["<b>one</b> " + "a" * 700, "<blockquote>x\n\ny</blockquote>", "c" * 1200])
    assert paragraphs(body)[1] == "<blockquote>x\n\ny</blockquote>"
    assert opening(body) == "\n\n".join(paragraphs(body)[:2])
    long_first = "Sentence one. " * 300
    cut = opening(long_first)
    assert cut.endswith(" …") and utf16_len(cut) <= SUMMARY_LIMIT + 2


def test_payload_is_whole_when_it_fits_and_an_opening_otherwise():
    messages = Messages()
    short = payload(3, "T", date(2025, 1, 1), None, "Short <b>text</b>.", messages)
    assert short["more"] is False and short["text"] == {"en": "Short <b>text</b>."}
    parsed = read_file(SEED.name, SEED.read_bytes())
    long = payload(4, parsed.title, parsed.on_date, None, parsed.body_html, messages)
    assert long["more"] is True
    for language in LANGUAGES:
        [text] = render(messages, long, language)
        assert "/statement_4" in text
        parse_html(text)


# Text built from what makes markup go wrong: markup characters, entities, tags, Cyrillic.
PIECES = [*"ab Я*_[]()#>-\\`~&<>;\"'\n/:.", "&amp;", "<b>", "</i>", "<p>", "https://", "<a href="]
NASTY = st.lists(st.sampled_from(PIECES), max_size=120).map("".join)


@settings(max_examples=300, deadline=None)
@given(NASTY)
def test_any_markdown_becomes_valid_telegram_html(source):
    html = markdown_to_html(source)
    parse_html(html)  # raises where Telegram would refuse
    split_html(html, 50)


@settings(max_examples=300, deadline=None)
@given(NASTY)
def test_any_html_becomes_valid_telegram_html(source):
    body, _ = sanitise_html(source)
    parse_html(body)
    split_html(body, 50)
    opening(body, 40)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_plain_text_survives_unchanged(source):
    html = plain_to_html(source)
    parse_html(html)
    words = lambda text: text.split()  # noqa: E731 - whitespace is the only thing that may change
    assert words(plain_text(html)) == words(source)
