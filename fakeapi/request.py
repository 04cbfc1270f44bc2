"""PTB's transport, answered in-process by a FakeBotAPI: no sockets, no threads."""

from __future__ import annotations

import asyncio
import json
from urllib.parse import urlsplit

from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from fakeapi.errors import ApiError, FakeTimeout, FakeUnreachable
from fakeapi.files import split_file_url
from fakeapi.params import Upload
from fakeapi.server import FakeBotAPI


def split_bot_url(url: str) -> tuple[str | None, str | None]:
    """(token, method) from ``{base_url}{token}/{method}``, the shape PTB builds."""
    parts = urlsplit(url).path.rstrip("/").split("/")
    if len(parts) < 2 or not parts[-2].startswith("bot"):
        return None, None
    return parts[-2][len("bot") :], parts[-1]


def uploads(request_data: RequestData | None) -> dict[str, Upload]:
    """The files of a call, read the way a multipart body would carry them."""
    found = {}
    for name, (filename, content, mime_type) in (
        request_data.multipart_data if request_data else {}
    ).items():
        data = content.read() if hasattr(content, "read") else content
        found[name] = Upload(filename or name, bytes(data), mime_type or "")
    return found


class FakeRequest(BaseRequest):
    """Give one to ``ApplicationBuilder().request(...)`` and one to ``.get_updates_request(...)``.

    Parameters travel as PTB's HTTP transport sends them (JSON-encoded form
    values), so what works here works over the wire. When ``getUpdates`` finds
    nothing it waits like Telegram's long poll, without blocking the event loop.
    """

    __slots__ = ("_poll_interval", "_read_timeout", "api")

    def __init__(self, api: FakeBotAPI, *, read_timeout: float = 5.0, poll_interval=0.05):
        self.api = api
        self._read_timeout = read_timeout
        self._poll_interval = poll_interval

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        """Nothing to open: the API is in this process."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout=BaseRequest.DEFAULT_NONE,
        write_timeout=BaseRequest.DEFAULT_NONE,
        connect_timeout=BaseRequest.DEFAULT_NONE,
        pool_timeout=BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        download = split_file_url(url)
        if download is not None:  # File.download_*: a GET on the file server
            return self.api.download(*download)
        token, api_method = split_bot_url(url)
        if api_method is None:
            return 404, json.dumps(ApiError(404).reply()).encode()
        params = dict(request_data.json_parameters) if request_data else {}
        if api_method.lower() == "getupdates" and not self.api.down:
            await self._long_poll(params)
        try:
            status, reply = self.api.call(api_method, params, uploads(request_data), token)
        except FakeTimeout as lost:
            raise TimedOut(f"Timed out (fakeapi: no reply to {lost})") from None
        except FakeUnreachable as refused:
            # What PTB's HTTPXRequest raises when the connection cannot be made.
            raise NetworkError(f"httpx.ConnectError: fakeapi is unreachable ({refused})") from None
        return status, json.dumps(reply).encode()

    async def _long_poll(self, params: dict) -> None:
        timeout = float(params.get("timeout") or 0)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not self.api.pending_updates and loop.time() < deadline:
            await asyncio.sleep(self._poll_interval)
