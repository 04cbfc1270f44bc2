"""Markdown (the subset statements are written in) and plain text, as Telegram HTML.

Paragraphs, **bold**, *italic*, `code`, ~~strike~~, [links](url), headings,
bullets and quotes: what statements use. Everything else is text, escaped,
so no input can produce a tag Telegram would refuse. A link whose target is
no web, ``tg:`` or ``mailto:`` address (the ``(#)`` placeholders of a
draft) keeps its words and loses the link, as Telegram itself would do.
"""

from __future__ import annotations

import html
import re

from statements.sanitise import safe_url

_INLINE = re.compile(
    r"\\(?P<escaped>[\\`*_\[\]()#>~-])"
    r"|`(?P<code>[^`]+)`"
    r"|\*\*(?P<bold>.+?)\*\*"
    r"|__(?P<bold2>.+?)__"
    # A label holds no brackets: a run of "[" must not make every one scan to the end.
    r"|\[(?P<label>[^\[\]]+)\]\((?P<url>(?:[^()\s]|\([^()\s]*\))*)\)"  # one level of (parens)
    r"|(?<![\w*])\*(?P<italic>[^*\s](?:[^*]*?[^*\s])?)\*(?![\w*])"
    r"|(?<![\w_])_(?P<italic2>[^_\s](?:[^_]*?[^_\s])?)_(?![\w_])"
    r"|~~(?P<strike>.+?)~~"
)
_HEADING = re.compile(r"#{1,6}\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"[-*+]\s+(.*)$")
_QUOTE = re.compile(r">\s?(.*)$")


def _link(label_html: str, url: str) -> str:
    target = safe_url(url)
    if target is None:
        return label_html
    return f'<a href="{html.escape(target, quote=True)}">{label_html}</a>'


def markdown_inline(text: str) -> str:
    """One line or paragraph of markdown as Telegram HTML."""
    out: list[str] = []
    position = 0
    for found in _INLINE.finditer(text):
        out.append(html.escape(text[position : found.start()], quote=False))
        parts = found.groupdict()
        if parts["escaped"] is not None:
            out.append(html.escape(parts["escaped"], quote=False))
        elif parts["code"] is not None:
            out.append(f"<code>{html.escape(parts['code'], quote=False)}</code>")
        elif parts["bold"] is not None or parts["bold2"] is not None:
            out.append(f"<b>{markdown_inline(parts['bold'] or parts['bold2'])}</b>")
        elif parts["label"] is not None:
            out.append(_link(markdown_inline(parts["label"]), parts["url"]))
        elif parts["strike"] is not None:
            out.append(f"<s>{markdown_inline(parts['strike'])}</s>")
        else:
            out.append(f"<i>{markdown_inline(parts['italic'] or parts['italic2'])}</i>")
        position = found.end()
    out.append(html.escape(text[position:], quote=False))
    return "".join(out)


def _paragraphs(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


def _block(lines: list[str]) -> str:
    stripped = [line.strip() for line in lines]
    if all(_QUOTE.match(line) for line in stripped):
        inner = "\n".join(markdown_inline(_QUOTE.match(line)[1]) for line in stripped)
        return f"<blockquote>{inner}</blockquote>"
    text = ""
    line_break = False  # the previous line ends the visual line
    for raw, line in zip(lines, stripped, strict=True):
        if heading := _HEADING.match(line):
            piece, own_line = f"<b>{markdown_inline(heading[1])}</b>", True
        elif bullet := _BULLET.match(line):
            piece, own_line = f"• {markdown_inline(bullet[1])}", True
        else:
            piece, own_line = markdown_inline(line.rstrip("\\")), False
        if text:
            # A soft line break is a space, as in any markdown; two trailing spaces
            # or a backslash keep it, and headings and bullets stand on their own line.
            text += "\n" if line_break or own_line else " "
        text += piece
        line_break = own_line or raw.endswith("  ") or raw.endswith("\\")
    return text


def markdown_to_html(text: str) -> str:
    """Paragraphs, **bold**, *italic*, [links](url), headings, bullets and quotes."""
    return "\n\n".join(_block(block) for block in _paragraphs(text.splitlines()))


def plain_to_html(text: str) -> str:
    """Plain text, escaped; paragraphs and line breaks kept as written."""
    blocks = _paragraphs(text.splitlines())
    return "\n\n".join(
        "\n".join(html.escape(line.strip(), quote=False) for line in block) for block in blocks
    )
