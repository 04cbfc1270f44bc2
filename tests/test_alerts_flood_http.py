"""Flood control over the wire: the real bot (``python bot.py run``, AIORateLimiter and
all) broadcasting at BOT_BROADCAST_RATE=30 to a fake Bot API that refuses the 31st
message in any sliding second, as Telegram does. The broadcast keeps at least 0.9
of the limit: a 429, if one comes, costs one wait of its retry_after and no more.
(bench/bench_delivery.py measures the same in-process, with more chats.)
"""

from __future__ import annotations

import signal
import sys

import pytest

from fakeapi.http import serve
from fakeapi.server import FakeBotAPI
from tests.test_alerts_crash import FAKE_TOKEN, count, queued_broadcast, start_bot, wait_for

LIMIT = 30
CHATS = 300  # ten seconds at the limit


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM")
async def test_a_broadcast_over_http_keeps_nine_tenths_of_telegrams_limit(tmp_path):
    db_path = tmp_path / "casewatch.sqlite3"
    await queued_broadcast(db_path, CHATS)
    api = FakeBotAPI(token=FAKE_TOKEN)
    api.rate_limit(per_second=LIMIT, per_chat_per_second=1, per_group_per_minute=20)
    server, base_url = serve(api)
    bot = start_bot(tmp_path, base_url, db_path, "bot.log", rate=LIMIT)
    try:
        unsent = "SELECT count(*) FROM deliveries WHERE state != 'sent'"
        wait_for(lambda: count(db_path, unsent) == 0, CHATS / LIMIT * 3 + 20, "the broadcast")
        bot.send_signal(signal.SIGTERM)
        assert bot.wait(15) == 0
    finally:
        if bot.poll() is None:
            bot.kill()
            bot.wait()
        server.shutdown()
    with api.lock:
        delivered = [r.time for r in api.sent if r.method == "sendMessage"]
        refused = api.too_many_requests
    assert len(delivered) == CHATS  # each once
    sustained = (len(delivered) - 1) / (max(delivered) - min(delivered))
    assert sustained >= 0.9 * LIMIT, f"{sustained:.1f} msg/s with {refused} answered 429"
