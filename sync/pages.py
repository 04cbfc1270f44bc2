"""The list's web page: where its CSV link points, and what the page calls itself.

BOT_SYNC_URL may name the list's page (``https://prisoners.spring96.org/ru/list``)
rather than the export: the page carries a link to the CSV file, and the bot
follows it. We know the page only as "it has a CSV link", so the link is
found tolerantly: an ``<a href>`` whose address ends in ``.csv``, or names CSV
in its path or query (``/export/csv``, ``?format=csv``), or whose text or
``download`` name says CSV. The first that ends in ``.csv`` wins, else the
first that names CSV; a page without one is not the list (a login or
challenge page, say).

Pure: no network, no storage.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_CSV_WORD = re.compile(r"(?<![a-z])csv(?![a-z])", re.IGNORECASE)


def page_title(text: str) -> str | None:
    """The page's ``<title>``, on one line, or None."""
    found = _TITLE.search(text[:65536])
    if found is None:
        return None
    title = " ".join(html.unescape(found.group(1)).split())
    return title or None


def csv_link(text: str, page_url: str) -> str | None:
    """The address of the page's CSV export (absolute), or None when it has none."""
    finder = _Links()
    finder.feed(text)
    finder.close()
    candidates = []
    for href, words in finder.links:
        address = urljoin(page_url, href.strip())
        parts = urlsplit(address)
        if parts.scheme not in ("http", "https"):
            continue  # mailto:, javascript:, a fragment of the page itself
        if parts.path.lower().endswith(".csv"):
            candidates.append((0, address))
        elif _CSV_WORD.search(f"{parts.path} {parts.query}") or _CSV_WORD.search(words):
            candidates.append((1, address))
    return min(candidates, key=lambda candidate: candidate[0])[1] if candidates else None


class _Links(HTMLParser):
    """Every ``<a href>`` with the words it shows (and its ``download`` name)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self._open: list[str] | None = None  # the words of the link being read
        self._href = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "a":
            return
        values = dict(attrs)
        href = values.get("href")
        if href:
            self._close()
            self._href = href
            self._open = [values.get("download") or "", values.get("title") or ""]

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._close()

    def close(self) -> None:
        super().close()
        self._close()

    def _close(self) -> None:
        if self._open is not None:
            self.links.append((self._href, " ".join(self._open)))
            self._open = None
