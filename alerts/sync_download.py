"""Viasna's export downloaded over https: capped, timed, never led off https.

``fetch_export(client, url, max_bytes)`` brings back the bytes of one export:
from its CSV link, or from the list's page whose CSV link it follows (once).
Whatever is not the export is ``FetchFailed`` with a reason the editors'
message names (``alert_sync_fetch_failed``) and a line for the log:

- ``too_big``: more than BOT_MAX_FILE_MB; the body is streamed and reading
  stops at the cap, whatever the server declared;
- ``timeout``: no answer in time, or a body that trickles past the whole
  download's deadline;
- ``http_status``: a 4xx or 5xx (or another code that is not the file);
- ``not_https``: a redirect or the page's link leads to plain http;
- ``unreachable``: no connection, a certificate that does not hold, too many
  redirects;
- ``web_page``: HTML without a CSV link (a login or challenge page), or a
  link that leads to HTML again;
- ``empty``: nothing, or only blank lines.

Whether the bytes are an export at all is for ``sync.export.read_export``.
"""

from __future__ import annotations

import asyncio
import ssl
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from sync.pages import csv_link, page_title
from sync.sniff import web_page

MAX_REDIRECTS = 5
# Connecting, and each wait for the next bytes; and the whole download at most.
TIMEOUT_SECONDS = 30.0
WHOLE_DOWNLOAD_SECONDS = 300.0
USER_AGENT = "casewatch (the list of political prisoners, fetched for a Telegram bot)"
# The first bytes are enough to tell a web page from a CSV file.
SNIFF_BYTES = 4096


@dataclass(frozen=True)
class FetchOptions:
    """How the bot's client fetches; the tests' seam is ``verify``: an SSL context that
    trusts their own certificate authority (tests/test_sync_fetch.py)."""

    verify: ssl.SSLContext | bool = True
    timeout: float = TIMEOUT_SECONDS
    whole_download: float = WHOLE_DOWNLOAD_SECONDS

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            verify=self.verify,
            timeout=self.timeout,
            follow_redirects=False,  # each redirect is checked: https only
            # Uncompressed: the cap counts the bytes that arrive, and a small
            # compressed body cannot grow into gigabytes in memory.
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"},
        )


class FetchFailed(Exception):
    """The export could not be fetched; ``reason`` is one of the module's list."""

    def __init__(
        self,
        reason: str,
        url: str,
        *,
        status: int | None = None,
        title: str | None = None,
        detail: str | None = None,
    ) -> None:
        self.reason = reason
        self.url = url
        self.status = status
        self.title = title
        self.detail = detail
        super().__init__(self.line())

    def line(self) -> str:
        """One line for the log (in English; the editors read a translated message)."""
        said = {
            "too_big": "larger than the cap: BOT_MAX_FILE_MB raises it",
            "timeout": "no answer in time",
            "http_status": f"HTTP status {self.status}",
            "not_https": "led to a URL that is not https",
            "unreachable": "cannot be reached",
            "web_page": "a web page without a CSV link (a login or challenge page?)",
            "empty": "empty",
            "not_export": "not Viasna's export",
        }.get(self.reason, self.reason)
        extra = "; ".join(
            part for part in (f'"{self.title}"' if self.title else None, self.detail) if part
        )
        return f"{self.url}: {said}" + (f" ({extra})" if extra else "")


@dataclass(frozen=True)
class Download:
    url: str  # where the bytes came from: the CSV link, when a page named it
    data: bytes


async def fetch_export(client: httpx.AsyncClient, url: str, max_bytes: int) -> Download:
    """The export at ``url``, or at the CSV link of the page at ``url``."""
    got = await download(client, url, max_bytes)
    if not _page(got.data):
        return got
    text = await asyncio.to_thread(got.data.decode, "utf-8", "replace")
    link = await asyncio.to_thread(csv_link, text, got.url)
    if link is None:
        raise FetchFailed("web_page", got.url, title=page_title(text))
    linked = await download(client, link, max_bytes)
    if _page(linked.data):
        text = linked.data[:65536].decode("utf-8", "replace")
        raise FetchFailed("web_page", linked.url, title=page_title(text))
    return linked


def _page(data: bytes) -> bool:
    return web_page(data[:SNIFF_BYTES].decode("utf-8-sig", "replace"))


async def download(client: httpx.AsyncClient, url: str, max_bytes: int) -> Download:
    """The body at ``url`` (https redirects followed), never more than ``max_bytes``."""
    for _ in range(MAX_REDIRECTS + 1):
        if urlsplit(url).scheme != "https":
            raise FetchFailed("not_https", url)
        try:
            async with client.stream("GET", url) as response:
                if response.is_redirect:
                    url = urljoin(str(response.url), response.headers["location"])
                    continue
                if not response.is_success:
                    raise FetchFailed("http_status", url, status=response.status_code)
                data = await _body(response, url, max_bytes)
                if not data.strip():
                    raise FetchFailed("empty", url)
                return Download(url, data)
        except httpx.TimeoutException:
            raise FetchFailed("timeout", url) from None
        except httpx.HTTPError as error:
            raise FetchFailed("unreachable", url, detail=_said(error)) from None
    raise FetchFailed("unreachable", url, detail=f"more than {MAX_REDIRECTS} redirects")


async def _body(response: httpx.Response, url: str, max_bytes: int) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchFailed("too_big", url)
    chunks, size = [], 0
    async for chunk in response.aiter_raw():
        size += len(chunk)
        if size > max_bytes:
            raise FetchFailed("too_big", url)
        chunks.append(chunk)
    return b"".join(chunks)


def _said(error: httpx.HTTPError) -> str:
    """The error's class and first line: a certificate problem, a refused connection."""
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__
