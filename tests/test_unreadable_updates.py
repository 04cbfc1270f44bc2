"""One update the library cannot read costs that update alone.

A Bot API server older than python-telegram-bot (a self-hosted one behind
BOT_API_URL, not yet updated) sends a poll without fields the library
requires, and PTB's parser raises on it. Such an update is skipped with one
log line naming its id and kind, never what it says or who sent it; polling
moves its offset past it, and everyone else in the same batch is answered;
the webhook acknowledges it with 200 (anything else and Telegram would post
it again and again) and handles nothing.
"""

from __future__ import annotations

import logging

import pytest

from fakeapi import objects
from operations.web import SECRET_HEADER
from tests.serving_support import (
    SECRET,
    polling_settings,
    sample,
    served,
    update,
    webhook_settings,
)
from tests.waiting import eventually, finished

HOOK = "/casewatch/hook"
# What the unreadable update says and who sent it: never to be written to the log.
QUESTION = "Should the statement on Ales Bialiatski go out tonight?"
OPTION = "Yes, with the court's date"
USERNAME = "poll_author_from_minsk"
POLL_CHAT = 2002


def old_server_poll(update_id: int) -> dict:
    """A private message with a poll, as a Bot API 9.5 server sends it."""
    sender = objects.user(POLL_CHAT, "Zmitser", username=USERNAME, language_code="en")
    message = {
        "message_id": update_id,
        "date": 1_790_000_000,
        "chat": objects.chat(POLL_CHAT, "private", first_name="Zmitser", username=USERNAME),
        "from": sender,
        "poll": objects.poll(QUESTION, [OPTION, "No"], bot_api=(9, 5)),
    }
    return {"update_id": update_id, "message": message}


def lines_about(records: list[logging.LogRecord], update_id: int) -> list[logging.LogRecord]:
    return [record for record in records if f"update {update_id} " in record.getMessage()]


def assert_logged_once_without_content(caplog, update_id: int) -> None:
    [line] = lines_about(caplog.records, update_id)
    text = line.getMessage()
    assert line.levelno == logging.WARNING
    assert "(message)" in text and "\n" not in text and line.exc_info is None
    everything = caplog.text  # every line, tracebacks included
    for secret in (QUESTION, OPTION, USERNAME, "Zmitser"):
        assert secret not in everything
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


@pytest.mark.parametrize(
    "batch",
    [["good", "unreadable", "good"], ["good", "good", "unreadable"], ["unreadable"]],
    ids=["between", "last", "alone"],
)
async def test_polling_skips_what_it_cannot_read_and_answers_the_rest(settings, api, caplog, batch):
    caplog.set_level(logging.INFO)
    # Update ids rise through the batch, as Telegram's do; a good one writes from chat 1000 + id.
    [bad_id] = [number for number, item in enumerate(batch, 1) if item == "unreadable"]
    good_chats = [1000 + number for number, item in enumerate(batch, 1) if item == "good"]
    for number, item in enumerate(batch, 1):
        if item == "unreadable":
            api.push_update(old_server_poll(number))
        else:
            api.push_update(update(number, "/start", chat_id=1000 + number))

    def polls() -> list:
        with api.lock:
            return [call for call in api.calls if call.method == "getUpdates"]

    async with served(polling_settings(settings), api) as (_, _, client):
        await eventually(
            lambda: all(api.messages_to(chat) for chat in good_chats), "the batch to be answered"
        )
        # The poll after the batch: it confirms the batch, the unreadable update included.
        await eventually(lambda: len(polls()) >= 2, "a second poll")
        # Someone writes later: the bot is still listening, and hears them at once.
        api.push_update(update(10, "/start", chat_id=1010))
        await eventually(lambda: api.messages_to(1010), "a later update to be answered")
        metrics = (await client.get("/metrics")).text

    assert api.messages_to(POLL_CHAT) == []
    # Work, not time: the unreadable update was fetched once, and the polls
    # were few rather than a loop: the batch, its confirmation, the later
    # update and its confirmation at the stop (a long poll that timed out on a
    # slow machine would add one or two).
    served_it = [
        call
        for call in polls()
        if any(item["update_id"] == bad_id for item in (call.reply or {}).get("result", []))
    ]
    assert len(served_it) == 1
    assert len(polls()) <= 8
    assert_logged_once_without_content(caplog, bad_id)
    assert sample(metrics, 'casewatch_updates_skipped_total{kind="message"}') == 1


async def test_the_webhook_acknowledges_what_it_cannot_read_and_handles_nothing(
    settings, api, caplog
):
    caplog.set_level(logging.INFO)
    async with served(webhook_settings(settings), api) as (application, _, client):
        answer = await client.post(HOOK, json=old_server_poll(2), headers={SECRET_HEADER: SECRET})
        assert answer.status_code == 200  # else Telegram posts it again and again
        assert application.update_queue.qsize() == 0
        answer = await client.post(
            HOOK, json=update(3, "/start", chat_id=1003), headers={SECRET_HEADER: SECRET}
        )
        assert answer.status_code == 200
        await finished(application.update_queue.join(), "the queued updates to be handled")
        metrics = (await client.get("/metrics")).text

    assert api.messages_to(POLL_CHAT) == []
    assert api.messages_to(1003)[0].plain.startswith("Hello. This bot follows")
    assert_logged_once_without_content(caplog, 2)
    assert sample(metrics, 'casewatch_updates_skipped_total{kind="message"}') == 1
    assert sample(metrics, 'casewatch_webhook_refused_total{reason="body"}') is None
    assert sample(metrics, 'casewatch_updates_total{kind="message"}') == 1
