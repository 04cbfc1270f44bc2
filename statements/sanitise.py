"""Any HTML (a web page, a message's formatting) rebuilt as Telegram HTML.

Telegram shows a handful of tags (b, i, u, s, a, code, pre, blockquote,
spoilers) and rejects a message with any other, or with a stray ``<`` or
``&``. So nothing an admin brings is passed through: text is escaped, known
tags are re-emitted in Telegram's spelling and always closed, blocks become
blank lines, and the rest (scripts, styles, images, unknown tags) is dropped.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from html.parser import HTMLParser

LINK_SCHEMES = ("http://", "https://", "tg://", "mailto:")


def safe_url(url: str) -> str | None:
    url = url.strip()
    return url if url.lower().startswith(LINK_SCHEMES) and len(url) > 8 else None


# Telegram's tags, and what other spellings of the same thing become.
_INLINE_TAGS = {
    "b": "b", "strong": "b", "i": "i", "em": "i", "u": "u", "ins": "u",
    "s": "s", "strike": "s", "del": "s", "code": "code", "pre": "pre",
    "blockquote": "blockquote", "tg-spoiler": "tg-spoiler",
}  # fmt: skip
_PARAGRAPH_TAGS = frozenset(
    {"p", "div", "section", "article", "header", "footer", "ul", "ol", "table", "tr", "h1",
     "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "figure", "hr"}
)  # fmt: skip
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_HIDDEN = frozenset({"script", "style", "head", "template", "noscript", "svg"})
_PARAGRAPH = "\x00"  # marks a paragraph break until whitespace is settled
# Formatting nested deeper than this is dropped (its text kept): a statement
# needs a few levels, and thousands would make a message Telegram refuses.
MAX_NESTING = 8
# A "<" that no ">" closes before the next "<": text, not a tag. Escaped before
# parsing, because HTMLParser rescans the rest of the input for each one of
# them (a few hundred KB of "<a " would take an hour).
_UNCLOSED_LT = re.compile(r"<(?=[^<>]*(?:<|\Z))")
_BLANKS = re.compile(rf"[\s{_PARAGRAPH}]+")


def _paragraph_break(blanks: re.Match) -> str:
    """A run of whitespace with a paragraph mark in it is one blank line."""
    return "\n\n" if _PARAGRAPH in blanks.group() else blanks.group()


class _Sanitiser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []  # Telegram tags emitted and not yet closed
        self.open_count: Counter[str] = Counter()  # the same, counted by tag
        self.hidden = 0
        self.in_pre = 0
        self.title: list[str] = []
        self.in_title = False
        self.first_heading: str | None = None
        self.heading: list[str] | None = None

    def _emit_open(self, tag: str, markup: str) -> bool:
        """Open ``tag``; False if nested too deep (then it is dropped, and so is its end)."""
        if len(self.open) >= MAX_NESTING:
            return False
        self.out.append(markup)
        self.open.append(tag)
        self.open_count[tag] += 1
        return True

    def _close(self, tag: str) -> None:
        if not self.open_count[tag]:
            return
        while self.open:
            current = self.open.pop()
            self.open_count[current] -= 1
            self.out.append(f"</{current}>")
            if current == tag:
                return

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
            return
        if tag == "title":
            self.in_title = True
            return
        if self.hidden:
            return
        attributes = dict(attrs)
        if tag in _PARAGRAPH_TAGS:
            self.out.append(_PARAGRAPH)
        if tag in _HEADINGS:
            self.heading = [] if self.first_heading is None else None
            self._emit_open("b", "<b>")
        elif tag == "br":
            self.out.append("\n")
        elif tag == "li":
            self.out.append("\n• ")
        elif tag == "a":
            url = safe_url(attributes.get("href") or "")
            if url is not None:
                self._emit_open("a", f'<a href="{html.escape(url, quote=True)}">')
        elif tag == "span" and "tg-spoiler" in (attributes.get("class") or ""):
            self._emit_open("tg-spoiler", "<tg-spoiler>")
        elif tag in _INLINE_TAGS:
            name = _INLINE_TAGS[tag]
            if self._emit_open(name, f"<{name}>"):
                self.in_pre += name == "pre"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" and not self.hidden:
            self.out.append("\n")
        elif tag == "hr" and not self.hidden:
            self.out.append(_PARAGRAPH)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
            return
        if tag == "title":
            self.in_title = False
            return
        if self.hidden:
            return
        if tag in _HEADINGS:
            if self.heading is not None:
                self.first_heading = " ".join("".join(self.heading).split())
                self.heading = None
            self._close("b")
        elif tag == "a":
            self._close("a")
        elif tag == "span":
            self._close("tg-spoiler")
        elif tag in _INLINE_TAGS:
            name = _INLINE_TAGS[tag]
            if name == "pre" and self.open_count[name]:
                self.in_pre = max(0, self.in_pre - 1)
            self._close(name)
        if tag in _PARAGRAPH_TAGS:
            self.out.append(_PARAGRAPH)

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
            return
        if self.hidden:
            return
        if self.heading is not None:
            self.heading.append(data)
        if not self.in_pre:
            # Source formatting is not layout: runs of whitespace are one space.
            data = re.sub(r"\s+", " ", data)
        self.out.append(html.escape(data, quote=False))

    def result(self) -> str:
        while self.open:
            self.out.append(f"</{self.open.pop()}>")
        self.open_count.clear()
        # Each step is one pass: a pattern like \s*X tried at every space of a long
        # run of them would take time quadratic in its length.
        text = "\n".join(line.strip(" \t") for line in "".join(self.out).split("\n"))
        text = _BLANKS.sub(_paragraph_break, text)
        text = re.sub(r"\n{3,}", "\n\n", text)
        return text.strip()


def sanitise_html(source: str) -> tuple[str, str | None]:
    """Telegram HTML from any HTML; and the document's title (<title>, else the first heading)."""
    parser = _Sanitiser()
    parser.feed(_UNCLOSED_LT.sub("&lt;", source))
    parser.close()
    body = parser.result()
    title = " ".join("".join(parser.title).split()) or parser.first_heading
    return body, title or None


_TAG = re.compile(r"<[^>]*>")
_OTHER_ENTITY = re.compile(r"&(?!(?:lt|gt|quot|amp);)")


def plain_text(telegram_html: str) -> str:
    """What a reader sees of Telegram HTML: tags gone, entities decoded."""
    text = _TAG.sub("", telegram_html)
    if "&" not in text:
        return text
    if _OTHER_ENTITY.search(text):
        return html.unescape(text)
    # Only what html.escape writes, as every body here is built: plain replaces are
    # many times faster than unescape's call per entity (a page of "<" has thousands).
    return (
        text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
    )
