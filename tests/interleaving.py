"""Forcing an interleaving instead of hoping for one.

A test about two things happening at once (a reply during a broadcast, a job
during an editor's transaction) holds one side at a chosen point until the
other side has done its part, then lets it go. Nothing here sleeps: what the
test asserts happens in the same order on an idle laptop and on a CI machine
running three other suites.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

from telegram.request import RequestData

from fakeapi.params import coerce
from fakeapi.request import FakeRequest
from fakeapi.server import FakeBotAPI
from tests.waiting import PATIENCE


class HeldRequest(FakeRequest):
    """The fake Bot API's transport, holding the calls ``holds(method, params)`` picks
    in flight, as a slow Telegram would, until the test calls ``release()``.

    ``held`` lists the held calls' parameters (each appended when it arrives, so
    a test can wait for one); after ``release()`` nothing more is held.
    """

    def __init__(
        self, api: FakeBotAPI, holds: Callable[[str, dict], bool], **options: float
    ) -> None:
        super().__init__(api, **options)
        self.holds = holds
        self.held: list[dict] = []
        self.released = asyncio.Event()

    def release(self) -> None:
        self.released.set()

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, **timeouts
    ) -> tuple[int, bytes]:
        api_method = url.rstrip("/").rsplit("/", 1)[-1]
        if not self.released.is_set():
            params = coerce(dict(request_data.json_parameters) if request_data else {})
            if self.holds(api_method, params):
                self.held.append(params)
                await self.released.wait()
        return await super().do_request(url, method, request_data, **timeouts)


class Held:
    """A function held, in the thread that calls it, until the test releases it."""

    def __init__(self) -> None:
        self.entered = threading.Event()  # a call has begun and is waiting
        self.released = threading.Event()

    def release(self) -> None:
        self.released.set()


def held(monkeypatch, module, name: str) -> Held:
    """``module.name`` made to wait at its start until ``release()`` (for work the bot
    does in a worker thread: reading a file)."""
    function = getattr(module, name)
    hold = Held()

    def waiting(*args, **kwargs):
        hold.entered.set()
        # Longer than any wait of the test's own, which fails first and names what it missed.
        if not hold.released.wait(2 * PATIENCE):
            raise TimeoutError(f"{name} was held for {2 * PATIENCE:g} s and never released")
        return function(*args, **kwargs)

    monkeypatch.setattr(module, name, waiting)
    return hold


class WatchedLock(asyncio.Lock):
    """An asyncio.Lock that shows which tasks are waiting for it, so a test can go on
    the moment one has reached it (rather than after a sleep it hopes is long enough)."""

    def __init__(self) -> None:
        super().__init__()
        self.waiting: list[asyncio.Task] = []

    async def acquire(self) -> bool:
        if not self.locked():
            return await super().acquire()
        task = asyncio.current_task()
        self.waiting.append(task)
        try:
            return await super().acquire()
        finally:
            self.waiting.remove(task)
