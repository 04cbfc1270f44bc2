"""Waiting for what the bot does in its own time: one helper for the whole suite.

A test that waits polls for the outcome it wants (a reply, a row, a file) and
never for a length of time. The timeout is a safety net, not a measurement: it
only ends a test that would otherwise hang, so it is generous enough that a
machine busy with other work never reaches it, and a test that passes never
waits for it. A timeout that is itself the behaviour under test belongs to the
bot's settings, driven by a fake clock or made tiny, with the test asserting on
what happened rather than on how long it took.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

# Long enough for a two-core CI machine running other suites beside this one.
PATIENCE = 60.0
# Short enough that a test waits a few milliseconds past the moment it could go on.
POLL = 0.005

T = TypeVar("T")


async def eventually(
    condition: Callable[[], Any],
    what: str,
    *,
    timeout: float = PATIENCE,
    ignoring: tuple[type[BaseException], ...] = (),
) -> Any:
    """Call ``condition`` (plain or async) until it returns something truthy; return that.

    ``what`` names what was awaited ("the reply to /start"): after ``timeout``
    seconds the test fails with it and with the last value seen. Exceptions of the
    ``ignoring`` types count as "not yet" (a server that does not listen yet).
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        problem = None
        try:
            value = condition()
            if inspect.isawaitable(value):
                value = await value
        except ignoring as error:
            value, problem = None, error
        if value:
            return value
        if loop.time() >= deadline:
            seen = repr(problem) if problem is not None else repr(value)
            raise AssertionError(f"gave up after {timeout:g} s waiting for {what} (last: {seen})")
        await asyncio.sleep(POLL)


async def finished(awaitable: Awaitable[T], what: str, *, timeout: float = PATIENCE) -> T:
    """``awaitable``'s result, or a failure naming ``what`` if it hangs past ``timeout``."""
    try:
        return await asyncio.wait_for(awaitable, timeout)
    except TimeoutError:
        raise AssertionError(f"gave up after {timeout:g} s waiting for {what}") from None
