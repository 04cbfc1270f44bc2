"""Flood control over the wire: the real bot (``python bot.py run``, AIORateLimiter and
all) broadcasting at BOT_BROADCAST_RATE=30 to a fake Bot API that refuses the 31st
message in any sliding second, as Telegram does, and that answers one message mid-way
with a 429 whatever the pace. Every chat gets the message once, and each 429 costs one
wait (the sender's pause) and one resend, no more: counted, never timed. How close the
broadcast keeps to the limit is a rate, so bench/bench_delivery.py measures it.
"""

from __future__ import annotations

import signal
import sys
from collections import Counter

import pytest

from fakeapi.http import serve
from fakeapi.server import FakeBotAPI
from tests.test_alerts_crash import FAKE_TOKEN, count, queued_broadcast, start_bot
from tests.waiting import PATIENCE, eventually

LIMIT = 30
CHATS = 300  # ten seconds at the limit


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM")
async def test_a_broadcast_over_http_pays_each_429_with_one_wait(tmp_path):
    db_path = tmp_path / "casewatch.sqlite3"
    await queued_broadcast(db_path, CHATS)
    api = FakeBotAPI(token=FAKE_TOKEN)
    api.rate_limit(per_second=LIMIT, per_chat_per_second=1, per_group_per_minute=20)
    api.fail_next("sendMessage", 429, retry_after=1, after=CHATS // 3)
    server, base_url = serve(api)
    bot = start_bot(tmp_path, base_url, db_path, "bot.log", rate=LIMIT)
    try:
        unsent = "SELECT count(*) FROM deliveries WHERE state != 'sent'"
        await eventually(
            lambda: count(db_path, unsent) == 0, "the broadcast", timeout=PATIENCE + CHATS / LIMIT
        )
        bot.send_signal(signal.SIGTERM)
        assert bot.wait(PATIENCE) == 0
    finally:
        if bot.poll() is None:
            bot.kill()
            bot.wait()
        server.shutdown()
    with api.lock:
        sends = [call for call in api.calls if call.method == "sendMessage"]
    refused = [call for call in sends if call.reply.get("error_code") == 429]
    delivered = Counter(call.params["chat_id"] for call in sends if call.reply["ok"])
    assert delivered == Counter(range(1, CHATS + 1))  # each chat once
    assert refused  # the planned one, and any the pace itself met
    # One resend for each 429, and one pause for it in the sender: PTB's limiter did not
    # wait and retry on its own (the sender would not have seen that 429 at all).
    assert len(sends) == CHATS + len(refused)
    log = (tmp_path / "bot.log").read_text()
    assert log.count("flood control: sending paused") == len(refused)
