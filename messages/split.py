"""Split a Telegram-HTML text into parts that each fit one message.

Telegram measures a message after parsing: the plain text, in UTF-16 code
units, at most 4096. So the split walks the HTML as tags and characters,
counts only what Telegram counts, and cuts where a reader would: between
paragraphs, then lines, then sentences, then words. Tags open at a cut are
closed at the end of one part and opened again, attributes and all, at the
start of the next, so bold stays bold and a link stays a link.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

TELEGRAM_LIMIT = 4096

# What Telegram trims from both ends of a message: whitespace at a cut is lost anyway.
_WHITESPACE = frozenset(" \t\r\n\v\f")
_SENTENCE_END = frozenset(".!?…")
_ENTITY = re.compile(r"&(?:#[0-9]{1,8}|#x[0-9a-fA-F]{1,8}|[a-zA-Z]+);?")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_PARAGRAPH, _LINE, _SENTENCE, _WORD = 3, 2, 1, 0


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True, slots=True)
class _Token:
    raw: str
    plain: str = ""  # the text it stands for; empty for a tag
    tag: str = ""  # tag name for tags
    closing: bool = False

    @property
    def is_text(self) -> bool:
        return not self.tag

    @property
    def is_blank(self) -> bool:
        return self.is_text and self.plain in _WHITESPACE


def _decode(entity: str) -> str:
    body = entity[1:].rstrip(";")
    if body.startswith("#x"):
        return chr(int(body[2:], 16))
    if body.startswith("#"):
        return chr(int(body[1:]))
    # Telegram keeps an entity it does not know as the literal text.
    return _NAMED.get(body, entity)


def _tag_end(html: str, start: int) -> int:
    """Index just past the ``>`` closing the tag at ``start``; quoted values may hold ``>``."""
    quote = ""
    for index in range(start + 1, len(html)):
        char = html[index]
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == ">":
            return index + 1
    raise ValueError(f"not Telegram HTML: unclosed tag at index {start}")


def _tokens(html: str) -> list[_Token]:
    tokens = []
    index = 0
    while index < len(html):
        char = html[index]
        if char == "<":
            end = _tag_end(html, index)
            raw = html[index:end]
            closing = raw.startswith("</")
            name = re.match(r"</?\s*([^\s>/]*)", raw).group(1).lower()
            tokens.append(_Token(raw, tag=name or "?", closing=closing))
            index = end
            continue
        if char == "&":
            match = _ENTITY.match(html, index)
            if match:
                tokens.append(_Token(match.group(0), plain=_decode(match.group(0))))
                index = match.end()
                continue
        tokens.append(_Token(char, plain=char))
        index += 1
    return tokens


def _open_stacks(tokens: list[_Token]) -> list[tuple[_Token, ...]]:
    """For every position, the tags open just before it (outermost first)."""
    stacks = []
    stack: tuple[_Token, ...] = ()
    for token in tokens:
        stacks.append(stack)
        if token.is_text:
            continue
        if not token.closing:
            stack = (*stack, token)
        elif not stack or token.tag not in (stack[-1].tag, "?"):
            raise ValueError(f"not Telegram HTML: unexpected {token.raw!r}")
        else:
            stack = stack[:-1]
    if stack:
        raise ValueError(f"not Telegram HTML: {stack[-1].raw!r} is never closed")
    stacks.append(stack)
    return stacks


def _joins_previous(char: str) -> bool:
    """Characters that belong to the glyph before them: a cut there would break it."""
    code = ord(char)
    return (
        unicodedata.combining(char) != 0
        or char == "\u200d"
        or 0xFE00 <= code <= 0xFE0F
        or 0x1F3FB <= code <= 0x1F3FF
        or 0xE0020 <= code <= 0xE007F
    )


class _Splitter:
    def __init__(self, html: str, limit: int) -> None:
        self.tokens = _tokens(html)
        self.stacks = _open_stacks(self.tokens)
        self.units = [0]
        for token in self.tokens:
            self.units.append(self.units[-1] + utf16_len(token.plain))
        self.limit = limit
        self.breaks = self._breaks()
        self.break_starts = [start for start, _, _ in self.breaks]

    def _breaks(self) -> list[tuple[int, int, int]]:
        """Every run of whitespace as (first token, token after it, priority)."""
        breaks = []
        index = 0
        tokens = self.tokens
        while index < len(tokens):
            if not tokens[index].is_blank or self._in_emoji(index):
                index += 1
                continue
            end = index
            while end < len(tokens) and tokens[end].is_blank:
                end += 1
            run = "".join(token.plain for token in tokens[index:end])
            if "\n\n" in run:
                priority = _PARAGRAPH
            elif "\n" in run:
                priority = _LINE
            elif self._previous_char(index) in _SENTENCE_END:
                priority = _SENTENCE
            else:
                priority = _WORD
            breaks.append((index, end, priority))
            index = end
        return breaks

    def _previous_char(self, index: int) -> str:
        for position in range(index - 1, -1, -1):
            if self.tokens[position].is_text:
                return self.tokens[position].plain[-1:]
        return ""

    def _in_emoji(self, index: int) -> bool:
        return any(tag.tag == "tg-emoji" for tag in self.stacks[index])

    def _can_cut_at(self, index: int) -> bool:
        token = self.tokens[index] if index < len(self.tokens) else None
        if self._in_emoji(index):
            return False
        if token is not None and token.is_text and _joins_previous(token.plain[0]):
            return False
        return self._previous_char(index) != "\u200d"

    def parts(self) -> list[str]:
        parts = []
        start = self._next_content(0)
        while start < len(self.tokens):
            base = self.units[start]
            if self.units[-1] - base <= self.limit:
                parts.append(self._render(start, len(self.tokens)))
                break
            furthest = bisect.bisect_right(self.units, base + self.limit) - 1
            cut, resume = self._choose_cut(start, furthest)
            parts.append(self._render(start, cut))
            start = self._next_content(resume)
        return parts

    def _next_content(self, index: int) -> int:
        """Skip what a part must not start with: closing tags and whitespace.

        Open tags skipped here are still open at the next character, so they
        are re-opened there with everything else on the stack.
        """
        tokens = self.tokens
        while index < len(tokens) and not (tokens[index].is_text and not tokens[index].is_blank):
            index += 1
        return index

    def _choose_cut(self, start: int, furthest: int) -> tuple[int, int]:
        base = self.units[start]
        first = bisect.bisect_right(self.break_starts, start)
        last = bisect.bisect_right(self.break_starts, furthest)
        candidates = [
            (cut, resume, priority)
            for cut, resume, priority in self.breaks[first:last]
            if self.units[cut] > base
        ]
        # A better kind of break wins only if it keeps the part at least half full.
        half_full = [c for c in candidates if self.units[c[0]] - base >= self.limit // 2]
        if half_full:
            best = max(half_full, key=lambda c: (c[2], c[0]))
            return best[0], best[1]
        if candidates:
            return candidates[-1][0], candidates[-1][1]
        for cut in range(furthest, start, -1):
            if self.units[cut] > base and self._can_cut_at(cut):
                return cut, cut
        for cut in range(furthest, start, -1):
            if self.units[cut] > base:
                return cut, cut
        # A single character wider than the limit: send it alone rather than loop.
        cut = start + 1
        return cut, cut

    def _render(self, start: int, end: int) -> str:
        # Tags opened right before the cut would be empty here; the next part opens them.
        while end > start and not self.tokens[end - 1].is_text and not self.tokens[end - 1].closing:
            end -= 1
        reopen = "".join(tag.raw for tag in self.stacks[start])
        body = "".join(token.raw for token in self.tokens[start:end])
        close = "".join(f"</{tag.tag}>" for tag in reversed(self.stacks[end]))
        return reopen + body + close


def split_html(html: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Parts of ``html`` whose plain text each fits ``limit`` UTF-16 units.

    A text that fits is returned unchanged as the only part. Whitespace at a
    cut is dropped (Telegram would trim it). Raises ValueError if a text that
    must be cut is not well-formed Telegram HTML.
    """
    if limit < 2:
        raise ValueError("limit must leave room for at least one character")
    # Markup only adds characters, so HTML that fits has plain text that fits:
    # most messages skip the tokenizer, which is on every reply's path.
    if utf16_len(html) <= limit:
        return [html]
    splitter = _Splitter(html, limit)
    if splitter.units[-1] <= limit:
        return [html]
    return splitter.parts()
