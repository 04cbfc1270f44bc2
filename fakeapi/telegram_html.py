"""Telegram's parse_mode=HTML, re-implemented so tests fail where Telegram would.

The parser follows TDLib's ``parse_html`` (what the Bot API server runs): the
same tags, the same error texts and byte offsets, entity offsets and lengths in
UTF-16 code units. One deliberate difference, on by default (``strict``): the
Bot API documentation says every ``&`` that is not part of an entity must be
escaped, but Telegram silently keeps such text as written, and decodes
``&lt`` even without its semicolon. A bot that forgets to escape user input
therefore looks fine until somebody types ``&lt`` or ``<``. Strict mode turns
the first case into an error too, so the forgotten ``html.escape`` shows in a
test rather than in a user's chat.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024

_TAGS = frozenset(
    {
        "a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins",
        "tg-spoiler", "tg-emoji", "span", "pre", "code", "blockquote",
    }
)  # fmt: skip
_SIMPLE_TYPES = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic",
    "u": "underline", "ins": "underline",
    "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "tg-spoiler": "spoiler", "span": "spoiler",
}  # fmt: skip
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
# TDLib's is_space; NUL counts because TDLib scans a NUL-terminated buffer.
_SPACES = " \t\r\n\v\0"
# What Telegram trims from both ends of a message before counting its length.
_TRIMMED = " \t\r\n\v\f"
# TDLib sorts entities that start at the same place longest first, then by type.
_TYPE_ORDER = (
    "expandable_blockquote", "blockquote", "pre", "code", "text_link", "text_mention",
    "bold", "italic", "underline", "strikethrough", "spoiler", "custom_emoji",
)  # fmt: skip
_USER_LINK = re.compile(r"tg://user\?id=(\d{1,20})$", re.IGNORECASE)
_SCHEME_URL = re.compile(r"(https?|tg|ton|tonsite)://\S+$", re.IGNORECASE)
_BARE_HOST = re.compile(r"[\w-]+(\.[\w-]+)+(:\d+)?([/?#]\S*)?$")


class TextRejected(ValueError):
    """A text Telegram refuses; ``description`` is the Bot API's wording."""

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


class ParseError(TextRejected):
    """The HTML itself is malformed; ``detail`` is TDLib's part of the message."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"Bad Request: can't parse entities: {detail}")
        self.detail = detail


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


@dataclass
class _Open:
    name: str
    argument: str
    offset: int  # UTF-16 offset in the plain text where the tag opened
    text_start: int  # index into the plain text characters, for <a> without href
    entity_count: int  # len(entities) at the time the tag opened


class _Parser:
    def __init__(self, html: str, strict: bool) -> None:
        self.html = html
        self.strict = strict
        self.pos = 0
        self.text: list[str] = []
        self.units = 0
        self.entities: list[dict] = []
        self.stack: list[_Open] = []

    def char(self, index: int) -> str:
        return self.html[index] if index < len(self.html) else "\0"

    def byte_offset(self, index: int) -> int:
        return len(self.html[:index].encode("utf-8", "surrogatepass"))

    def emit(self, char: str) -> None:
        self.text.append(char)
        self.units += utf16_len(char)

    def run(self) -> tuple[str, list[dict]]:
        html = self.html
        while self.pos < len(html):
            char = html[self.pos]
            if char == "&":
                decoded = _decode_entity(html, self.pos, self.strict)
                if decoded is not None:
                    value, self.pos = decoded
                    self.emit(value)
                    continue
                if self.strict:
                    raise ParseError(
                        f'Unsupported HTML entity "{_entity_preview(html, self.pos)}" '
                        f"at byte offset {self.byte_offset(self.pos)}"
                    )
            if char != "<":
                self.emit(char)
                self.pos += 1
                continue
            if self.pos + 1 < len(html) and html[self.pos + 1] != "/":
                self.open_tag()
            else:
                self.close_tag()
        if self.stack:
            raise ParseError(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"'
            )
        return "".join(self.text), _sorted_entities(_drop_nested_in_code(self.entities))

    def open_tag(self) -> None:
        begin = self.pos
        index = begin + 1
        while self.char(index) not in _SPACES and self.char(index) != ">":
            index += 1
        name = self.html[begin + 1 : index].lower()
        if name not in _TAGS:
            raise ParseError(
                f'Unsupported start tag "{name}" at byte offset {self.byte_offset(begin)}'
            )
        argument = ""
        while self.char(index) != ">":
            index, argument = self.attribute(name, begin, index, argument)
        self.pos = index + 1
        if name == "span" and argument != "spoiler":
            raise ParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {self.byte_offset(begin)}'
            )
        self.stack.append(_Open(name, argument, self.units, len(self.text), len(self.entities)))

    def attribute(self, tag: str, begin: int, index: int, argument: str) -> tuple[int, str]:
        """Read one attribute; returns the new position and the tag's argument."""
        while self.char(index) in _SPACES and index < len(self.html):
            index += 1
        if index >= len(self.html):
            raise ParseError(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        if self.char(index) == ">":
            return index, argument
        name_start = index
        while self.char(index) not in _SPACES and self.char(index) not in "=>":
            index += 1
        name = self.html[name_start:index]
        if not name:
            raise ParseError(
                f'Empty attribute name in the tag "{tag}" at byte offset {self.byte_offset(begin)}'
            )
        while self.char(index) in _SPACES and index < len(self.html):
            index += 1
        if self.char(index) != "=":
            if tag == "blockquote" and name == "expandable":
                return index, "1"
            raise ParseError(
                f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                f"at byte offset {self.byte_offset(begin)}"
            )
        index += 1
        while self.char(index) in _SPACES and index < len(self.html):
            index += 1
        if index >= len(self.html):
            raise ParseError(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        index, value = self.attribute_value(index, begin)
        return index, _tag_argument(tag, name, value, argument)

    def attribute_value(self, index: int, begin: int) -> tuple[int, str]:
        quote = self.char(index)
        if quote not in "'\"":
            # An unquoted HTML "name token": letters, digits, periods and hyphens only.
            token_start = index
            while self.char(index).isascii() and (
                self.char(index).isalnum() or self.char(index) in ".-"
            ):
                index += 1
            if self.char(index) not in _SPACES and self.char(index) != ">":
                raise ParseError(
                    f"Unexpected end of name token at byte offset {self.byte_offset(token_start)}"
                )
            return index, self.html[token_start:index].lower()
        index += 1
        value: list[str] = []
        while index < len(self.html) and self.html[index] != quote:
            if self.html[index] == "&":
                decoded = _decode_entity(self.html, index, self.strict)
                if decoded is not None:
                    char, index = decoded
                    value.append(char)
                    continue
                if self.strict:
                    raise ParseError(
                        f'Unsupported HTML entity "{_entity_preview(self.html, index)}" '
                        f"at byte offset {self.byte_offset(index)}"
                    )
            value.append(self.html[index])
            index += 1
        if index >= len(self.html):
            raise ParseError(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        return index + 1, "".join(value)

    def close_tag(self) -> None:
        begin = self.pos
        if not self.stack:
            raise ParseError(f"Unexpected end tag at byte offset {self.byte_offset(begin)}")
        index = begin + 2
        while self.char(index) not in _SPACES and self.char(index) != ">":
            index += 1
        end_name = self.html[begin + 2 : index].lower()
        while self.char(index) in _SPACES and index < len(self.html):
            index += 1
        if self.char(index) != ">":
            raise ParseError(f"Unclosed end tag at byte offset {self.byte_offset(begin)}")
        self.pos = index + 1
        opened = self.stack.pop()
        if end_name and end_name != opened.name:
            raise ParseError(
                f"Unmatched end tag at byte offset {self.byte_offset(begin)}, "
                f'expected "</{opened.name}>", found "</{end_name}>"'
            )
        if self.units > opened.offset:
            self.add_entity(opened, self.units - opened.offset)

    def add_entity(self, opened: _Open, length: int) -> None:
        offset, name, argument = opened.offset, opened.name, opened.argument
        entity: dict = {"offset": offset, "length": length}
        last = self.entities[-1] if self.entities else None
        same_span = last is not None and (last["offset"], last["length"]) == (offset, length)
        if name in _SIMPLE_TYPES:
            entity["type"] = _SIMPLE_TYPES[name]
        elif name == "tg-emoji":
            if not argument.isdigit() or not 0 < int(argument) < 2**63:
                raise ParseError("Invalid custom emoji identifier specified")
            entity.update(type="custom_emoji", custom_emoji_id=argument)
        elif name == "a":
            url = argument or "".join(self.text[opened.text_start :])
            link = _link_entity(url)
            if link is None:
                return  # Telegram drops links it cannot parse, keeping the text
            entity.update(link)
        elif name == "blockquote":
            entity["type"] = "expandable_blockquote" if argument == "1" else "blockquote"
        elif name == "pre":
            # <pre><code class="language-x">: the inner code becomes the language of the pre.
            if same_span and last["type"] == "code" and last.get("language"):
                last["type"] = "pre"
                return
            entity["type"] = "pre"
        else:  # code
            if same_span and last["type"] == "pre" and argument:
                last["language"] = argument
                return
            entity["type"] = "code"
            if argument:
                entity["language"] = argument  # kept only if a <pre> wraps it
        self.entities.append(entity)


def _tag_argument(tag: str, name: str, value: str, current: str) -> str:
    if tag == "a" and name == "href":
        return value
    if tag == "code" and name == "class" and value.startswith("language-"):
        return value[len("language-") :]
    if tag == "span" and name == "class" and value.startswith("tg-"):
        return value[len("tg-") :]
    if tag == "tg-emoji" and name == "emoji-id":
        return value
    return current


def _decode_entity(html: str, pos: int, strict: bool) -> tuple[str, int] | None:
    """The character an entity at ``pos`` stands for and the position after it."""
    end = pos + 1
    if html.startswith("#", end):
        end += 1
        hexadecimal = html.startswith("x", end)
        digits = "0123456789abcdefABCDEF" if hexadecimal else "0123456789"
        end += hexadecimal
        start = end
        while end < len(html) and html[end] in digits:
            end += 1
        if end == start or end - start > 8:
            return None
        code = int(html[start:end], 16 if hexadecimal else 10)
        if code == 0 or code >= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return None
        value = chr(code)
    else:
        while end < len(html) and html[end].isascii() and html[end].isalpha():
            end += 1
        value = _NAMED_ENTITIES.get(html[pos + 1 : end])
        if value is None:
            return None
    if html.startswith(";", end):
        return value, end + 1
    if strict:
        return None  # Telegram accepts "&lt" without ";", but no escaping function writes it
    return value, end


def _entity_preview(html: str, pos: int) -> str:
    match = re.match(r"&#?\w{0,10};?", html[pos:])
    return match.group(0) if match else "&"


def _link_entity(url: str) -> dict | None:
    user = _USER_LINK.match(url)
    if user:
        user_id = int(user.group(1))
        return {"type": "text_mention", "user": {"id": user_id, "is_bot": False, "first_name": ""}}
    if _SCHEME_URL.match(url) or _BARE_HOST.match(url):
        return {"type": "text_link", "url": url}
    return None


def _drop_nested_in_code(entities: list[dict]) -> list[dict]:
    """Telegram shows nothing but monospace inside code and pre, so it drops what they hold."""
    monospace = [e for e in entities if e["type"] in ("code", "pre")]
    position = {id(e): index for index, e in enumerate(entities)}

    def held(entity: dict, by: dict) -> bool:
        if by is entity or (entity["type"] == "pre" and by["type"] == "code"):
            return False
        same_span = (by["offset"], by["length"]) == (entity["offset"], entity["length"])
        if same_span and entity["type"] == by["type"]:
            return position[id(by)] < position[id(entity)]  # keep one of twins
        return (
            by["offset"] <= entity["offset"]
            and entity["offset"] + entity["length"] <= by["offset"] + by["length"]
        )

    kept = [e for e in entities if not any(held(e, by) for by in monospace)]
    for entity in kept:
        if entity["type"] == "code":
            entity.pop("language", None)  # a language counts only on a <pre>
    return kept


def _sorted_entities(entities: list[dict]) -> list[dict]:
    def key(entity: dict) -> tuple[int, int, int]:
        return (entity["offset"], -entity["length"], _TYPE_ORDER.index(entity["type"]))

    return [{"type": e.pop("type"), **e} for e in sorted(entities, key=key)]


def parse_html(html: str, *, strict: bool = True) -> tuple[str, list[dict]]:
    """Plain text and Bot API MessageEntity dicts of Telegram-flavoured HTML.

    Raises ParseError with the Bot API's description when Telegram would reject
    the markup. No trimming or length checks: see ``prepare_text``.
    """
    return _Parser(html, strict).run()


def trim(text: str, entities: list[dict]) -> tuple[str, list[dict]]:
    """Strip the whitespace Telegram strips from both ends, moving entities to match."""
    stripped = text.strip(_TRIMMED)
    if stripped == text:
        return text, entities
    lead = utf16_len(text[: len(text) - len(text.lstrip(_TRIMMED))])
    size = utf16_len(stripped)
    kept = []
    for entity in entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, size)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept


def prepare_text(
    text: str | None,
    parse_mode: str | None = None,
    entities: list[dict] | None = None,
    *,
    caption: bool = False,
    strict: bool = True,
) -> tuple[str, list[dict]]:
    """What Telegram stores for a message text or caption, or TextRejected.

    Markdown modes are passed through unparsed: the bot speaks only HTML.
    """
    text = text or ""
    if (parse_mode or "").lower() == "html":
        plain, found = parse_html(text, strict=strict)
    else:
        plain, found = text, list(entities or [])
    plain, found = trim(plain, found)
    if caption:
        if utf16_len(plain) > MAX_CAPTION_LENGTH:
            raise TextRejected("Bad Request: message caption is too long")
    elif not plain:
        raise TextRejected("Bad Request: message text is empty")
    elif utf16_len(plain) > MAX_TEXT_LENGTH:
        raise TextRejected("Bad Request: message is too long")
    return plain, found
