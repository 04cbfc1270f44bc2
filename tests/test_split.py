"""split_html: every part valid for Telegram, within the limit, and nothing lost."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from fakeapi.telegram_html import parse_html, prepare_text
from messages.split import split_html, utf16_len

WHITESPACE = " \t\r\n\v\f"


def plain_of(html: str) -> str:
    return prepare_text(html, "HTML")[0]


def assert_faithful_split(html: str, parts: list[str], limit: int) -> None:
    """Each part parses and fits; the parts, in order, are the original cut at whitespace."""
    original = parse_html(html)[0]
    position = 0
    for part in parts:
        text = plain_of(part)  # raises if Telegram would refuse the part
        assert utf16_len(text) <= limit, (part, limit)
        found = original.find(text, position)
        assert found >= 0, f"{text!r} is not the next piece of {original!r}"
        assert original[position:found].strip(WHITESPACE) == "", "text lost between parts"
        position = found + len(text)
    assert original[position:].strip(WHITESPACE) == "", "text lost at the end"


def test_utf16_len_counts_astral_characters_twice():
    assert utf16_len("abc") == 3
    assert utf16_len("😀") == 2
    assert utf16_len("é") == 1


def test_a_text_that_fits_comes_back_unchanged():
    html = "<b>Short</b> &amp; sweet"
    assert split_html(html) == [html]


def test_prefers_paragraph_breaks():
    first, second = "A" * 30 + " one. Two three", "B" * 30 + " four five"
    parts = split_html(f"{first}\n\n{second}", limit=60)
    assert parts == [first, second]


def test_prefers_line_breaks_over_sentences():
    html = "First sentence here. Still the first line\nSecond line is here"
    parts = split_html(html, limit=50)
    assert parts == ["First sentence here. Still the first line", "Second line is here"]


def test_prefers_sentence_ends_over_other_spaces():
    html = "One two three four. Five six seven eight nine ten"
    assert split_html(html, limit=30)[0] == "One two three four."


def test_cuts_a_word_only_when_it_must():
    parts = split_html("x" * 25, limit=10)
    assert parts == ["x" * 10, "x" * 10, "x" * 5]


def test_reopens_tags_with_their_attributes():
    html = '<b>bold <a href="https://example.org/?a=1&amp;b=2">a long link text</a> end</b>'
    parts = split_html(html, limit=16)
    assert len(parts) > 1
    for part in parts:
        assert part.startswith("<b>") and part.endswith("</b>")
    linked = [part for part in parts if "link" in plain_of(part) or "long" in plain_of(part)]
    assert all('href="https://example.org/?a=1&amp;b=2"' in part for part in linked)
    assert_faithful_split(html, parts, 16)


def test_pre_with_language_stays_a_code_block_in_every_part():
    code = "\n".join(f"line_{n} = {n}" for n in range(40))
    html = f'<pre><code class="language-python">{code}</code></pre>'
    parts = split_html(html, limit=100)
    assert len(parts) > 1
    for part in parts:
        _, entities = prepare_text(part, "HTML")
        assert entities[0]["type"] == "pre" and entities[0]["language"] == "python"
    assert_faithful_split(html, parts, 100)


def test_never_cuts_an_entity_or_a_surrogate_pair():
    html = "&amp;" * 7 + "😀" * 7
    parts = split_html(html, limit=5)
    assert all("&" not in part.replace("&amp;", "") for part in parts)
    assert_faithful_split(html, parts, 5)


def test_limit_counts_utf16_units():
    html = "😀" * 10  # 20 units
    parts = split_html(html, limit=8)
    assert [utf16_len(plain_of(p)) for p in parts] == [8, 8, 4]


def test_custom_emoji_is_not_torn_apart():
    emoji = '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>'
    html = "ab" + emoji * 4
    parts = split_html(html, limit=5)
    assert all(part.count("<tg-emoji") == part.count("👍") for part in parts)
    assert_faithful_split(html, parts, 5)


def test_no_empty_formatting_at_the_edges():
    html = "word <b>bold</b> " * 10
    for part in split_html(html, limit=20):
        assert "<b></b>" not in part


@pytest.mark.parametrize("broken", ["<b>never closed", "a < b", "<i>x</b>"])
def test_refuses_what_is_not_telegram_html(broken):
    with pytest.raises(ValueError):
        split_html(broken * 1000, limit=100)


def test_a_long_real_message_splits_at_4096():
    paragraph = "<b>Case.</b> " + "Words of a long statement. " * 30
    html = "\n\n".join([paragraph] * 20)
    parts = split_html(html)
    assert len(parts) > 1
    assert_faithful_split(html, parts, 4096)


# -- property: any nesting of supported markup ---------------------------------

_WORDS = st.sampled_from(
    [
        "word", "Longerword", " ", "  ", "\n", "\n\n", ". ", "! ", "&lt;", "&gt;", "&amp;",
        "&quot;", "&#128512;", "&#x44F;", "😀", "é", "e\u0301", "👍🏽", "👨\u200d👩\u200d👧", ">",
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>', "x" * 30,
    ]
)  # fmt: skip
_TAGS = [
    ("<b>", "</b>"),
    ("<strong>", "</strong>"),
    ("<i>", "</i>"),
    ("<u>", "</u>"),
    ("<s>", "</s>"),
    ('<span class="tg-spoiler">', "</span>"),
    ("<tg-spoiler>", "</tg-spoiler>"),
    ('<a href="https://example.org/?q=1&amp;r=2">', "</a>"),
    ("<code>", "</code>"),
    ('<pre><code class="language-python">', "</code></pre>"),
    ("<pre>", "</pre>"),
    ("<blockquote>", "</blockquote>"),
    ("<blockquote expandable>", "</blockquote>"),
]


def _wrap(tag_and_children: tuple[tuple[str, str], list[str]]) -> str:
    (opening, closing), children = tag_and_children
    return opening + "".join(children) + closing


_HTML = st.recursive(
    st.lists(_WORDS, min_size=1, max_size=10).map("".join),
    lambda children: st.one_of(
        st.tuples(st.sampled_from(_TAGS), st.lists(children, min_size=1, max_size=4)).map(_wrap),
        st.lists(children, min_size=2, max_size=4).map("".join),
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(html=_HTML, limit=st.integers(min_value=2, max_value=150))
def test_any_markup_splits_into_valid_parts_that_keep_all_text(html, limit):
    assume(parse_html(html)[0].strip(WHITESPACE))  # Telegram refuses an empty message anyway
    parts = split_html(html, limit)
    assert parts
    assert_faithful_split(html, parts, limit)
