"""Polling outlives an outage: getUpdates failing for hours never stops the bot.

PTB's updater retries a failed getUpdates forever, waiting 1 s, then 1.5 times
longer each time, 30 s at most. The test makes those waits instant (conftest's
``retry_waits`` records them instead of sleeping), holds Telegram down
for 400 tries, several hours of real waiting, and then writes to the bot.
"""

from __future__ import annotations

import pytest

from tests.conftest import running_bot
from tests.waiting import eventually

USER = 5005
FAILED_POLLS = 400


def start_message() -> dict:
    user = {"id": USER, "is_bot": False, "first_name": "A", "language_code": "en"}
    return {
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": USER, "type": "private", "first_name": "A"},
            "from": user,
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        }
    }


@pytest.mark.parametrize("unreachable", [False, True], ids=["502", "unreachable"])
async def test_polling_resumes_by_itself_after_a_long_outage(
    settings, api, retry_waits, unreachable
):
    async with running_bot(settings, api) as app:
        await app.updater.start_polling(poll_interval=0, timeout=1)
        api.go_down(unreachable=unreachable)
        try:

            def failed_polls() -> int:
                with api.lock:
                    return sum(call.method == "getUpdates" for call in api.calls)

            await eventually(lambda: failed_polls() >= FAILED_POLLS, "getUpdates to be retried")
            assert app.updater.running
            assert max(retry_waits) == 30  # PTB's longest wait: hours of outage passed
            api.come_back()
            api.push_update(start_message())
            await eventually(lambda: api.messages_to(USER), "the bot to answer /start")
        finally:
            await app.updater.stop()
    assert api.messages_to(USER)[0].plain.startswith("Hello. This bot follows")
