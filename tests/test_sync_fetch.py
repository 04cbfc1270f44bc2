"""The bot fetches Viasna's list itself (BOT_SYNC_URL): from a local HTTPS server.

The server (``Site``) listens on 127.0.0.1, port 0, with a certificate of a
test authority (trustme); the bot's client trusts that authority through
``FetchOptions.verify``, the one seam the fetch has. The tests run the job's
work directly (``list_fetcher(app).run()``) rather than wait for the schedule,
and the editor (BOT_ADMINS: 9001) reads what the outbox sends.
"""

from __future__ import annotations

import logging
import ssl
import threading
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest
import trustme

from alerts.sync_download import FetchOptions
from alerts.sync_fetch import SYNC_JOB, list_fetcher
from sync.pages import csv_link
from tests.sync_support import COLONY_9, REMAND_1, export, row
from tests.test_alerts_support import (
    ALL,
    Chat,
    Clock,
    alert_bot,
    make_case,
    prepare,
    rows,
    settle,
    texts,
)

MINSK = ZoneInfo("Europe/Minsk")
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=MINSK)
EDITOR = 9001  # the owner in conftest's settings
CHATS = [Chat(1), Chat(2, "ru", follows=ALL)]
PERSON = "test-persona"
TEST_PERSON = {"name": "Персона Тест Иванович", "birthday": "05.05.1980", "gender": "male"}
# The test person, moved since the case was written; and someone not in the bot yet.
HELD = {"arrested": "05.05.2021", "prison": COLONY_9}
NEW = {"arrested": "01.10.2026", "prison": REMAND_1}
LIST_RU = [
    row(PERSON, 101, **TEST_PERSON, **HELD),
    row("new-persona", 202, name="Новая Персона", **NEW),
]
LIST_EN = [
    row(PERSON, 101, "en", **{**TEST_PERSON, "name": "Persona Test"}, **HELD),
    row("new-persona", 202, "en", name="Persona New", **NEW),
]
CHALLENGE = (
    b"<!DOCTYPE html><html><head><title>Just a moment...</title></head>"
    b"<body>Checking your browser before accessing the site.</body></html>"
)
FAILED = "Viasna's export could not be read"


@dataclass
class Answer:
    """What the site answers on a path."""

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    stream: int | None = None  # offer this many bytes, without a length, as long as read
    hang: bool = False  # never answer (until the test ends)


class Site:
    """An HTTPS server on 127.0.0.1 serving ``answers`` by path; it records what was asked."""

    def __init__(self) -> None:
        self.ca = trustme.CA()
        self.answers: dict[str, Answer] = {}
        self.asked: list[str] = []
        self.streamed = 0  # bytes of streamed bodies written to the socket
        self.release = threading.Event()
        server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.ca.issue_cert("127.0.0.1").configure_cert(server_context)
        # Port 0: the system picks a free one, and the server keeps its socket.
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.server.socket = server_context.wrap_socket(self.server.socket, server_side=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"https://127.0.0.1:{self.server.server_address[1]}{path}"

    def options(self, **changes) -> FetchOptions:
        """The bot's fetch, trusting this site's certificate authority."""
        context = ssl.create_default_context()
        self.ca.configure_trust(context)
        return FetchOptions(verify=context, **changes)


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.asked.append(self.path)
            answer = site.answers.get(self.path)
            if answer is None:
                self.send_error(404)
                return
            if answer.hang:
                site.release.wait()
                return
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            if answer.stream is None:
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)
                return
            self.end_headers()
            chunk = b"x" * 65536
            try:
                while site.streamed < answer.stream:
                    self.wfile.write(chunk)
                    site.streamed += len(chunk)
            except OSError:  # the client hung up: what the cap is for
                pass

        def log_message(self, format, *args) -> None:
            pass

    return Handler


@pytest.fixture
def site():
    served = Site()
    served.thread.start()
    try:
        yield served
    finally:
        served.release.set()
        served.server.shutdown()
        served.server.server_close()
        served.thread.join()


@asynccontextmanager
async def fetching_bot(
    settings, api, site: Site, *paths: str, clock=None, timeout: float | None = None, **changes
):
    """The bot with BOT_SYNC_URL set to ``paths`` on ``site``; its schedule taken off, as
    the tests run the fetch themselves."""
    settings = replace(settings, sync_urls=tuple(site.url(path) for path in paths), **changes)
    fetch = site.options(**({"timeout": timeout} if timeout else {}))
    async with alert_bot(settings, api, clock or Clock(NOW), fetch=fetch) as app:
        [job] = app.job_queue.get_jobs_by_name(SYNC_JOB)
        job.schedule_removal()
        yield app


async def count(app, table: str) -> int:
    [(number,)] = await rows(app, f"SELECT count(*) FROM {table}")
    return number


async def editor_texts(app, api) -> list[str]:
    await settle(app)
    return texts(api, EDITOR)


async def test_the_fetch_runs_every_bot_sync_every_hours_and_only_with_a_url(settings, api):
    urls = ("https://prisoners.example.org/ru/list",)
    async with alert_bot(
        replace(settings, sync_urls=urls, sync_every_hours=12), api, Clock(NOW)
    ) as app:
        [job] = app.job_queue.get_jobs_by_name(SYNC_JOB)
        assert job.job.trigger.interval == timedelta(hours=12)
        job.schedule_removal()
    async with alert_bot(settings, api, Clock(NOW)) as app:
        assert not app.job_queue.get_jobs_by_name(SYNC_JOB)


async def test_a_fetched_list_is_stored_for_the_editors_and_the_same_again_adds_nothing(
    settings, api, site
):
    await prepare(settings.db_path, [make_case()], CHATS)
    site.answers["/ru/list.csv"] = Answer(export(LIST_RU))
    site.answers["/en/list.csv"] = Answer(export(LIST_EN))
    async with fetching_bot(settings, api, site, "/ru/list.csv", "/en/list.csv") as app:
        before = await rows(app, "SELECT record FROM cases")
        fetched = await list_fetcher(app).run()
        assert fetched.outcome == "stored"
        assert await rows(app, "SELECT origin, row_count, as_of FROM sync_snapshots") == [
            ("fetch", 4, "2026-12-01")
        ]
        pending = await rows(
            app, "SELECT kind, count(*) FROM sync_changes WHERE state = 'pending' GROUP BY kind"
        )
        assert dict(pending)["moved"] == 1 and dict(pending)["new"] == 1
        # Waiting for the editors: no case changed, nobody told anything.
        assert await rows(app, "SELECT record FROM cases") == before
        assert not any(FAILED in text for text in await editor_texts(app, api))
        assert texts(api, 1) == [] and texts(api, 2) == []

        # The editor is told once what waits, with the counts (alerts.sync_notices).
        told = await editor_texts(app, api)
        [notice] = told
        assert notice.startswith(
            "📋 Viasna's list: changes waiting for a decision\n"
            "Export of 1 December 2026: 4 rows, 2 files (English, Russian).\n"
        )
        assert "• 1 move to another place of detention\n" in notice
        again = await list_fetcher(app).run()
        assert again.outcome == "unchanged"
        assert await count(app, "sync_snapshots") == 1
        assert await rows(app, "SELECT kind, count(*) FROM sync_changes GROUP BY kind") == pending
        assert await editor_texts(app, api) == told


async def test_the_list_page_s_csv_link_is_followed(settings, api, site):
    await prepare(settings.db_path, [make_case()], CHATS)
    site.answers["/ru/list"] = Answer(
        b"<!DOCTYPE html><html><head><title>List</title></head><body>"
        b'<a href="/ru/person/test-persona">A person</a>'
        b'<a href="/ru/list/export?format=csv&amp;lang=ru" class="button">Download</a>'
        b"</body></html>",
        headers={"Content-Type": "text/html; charset=utf-8"},
    )
    site.answers["/ru/list/export?format=csv&lang=ru"] = Answer(export(LIST_RU))
    async with fetching_bot(settings, api, site, "/ru/list") as app:
        fetched = await list_fetcher(app).run()
        assert fetched.outcome == "stored"
        assert site.asked == ["/ru/list", "/ru/list/export?format=csv&lang=ru"]
        [(files,)] = await rows(app, "SELECT files FROM sync_snapshots")
        assert site.url("/ru/list/export?format=csv&amp;lang=ru") not in files
        assert site.url("/ru/list/export?format=csv&lang=ru") in files
        assert await count(app, "sync_changes") == 2


async def test_a_challenge_page_is_one_message_a_day_and_changes_nothing(
    settings, api, site, caplog
):
    await prepare(settings.db_path, [make_case()], CHATS)
    site.answers["/ru/list.csv"] = Answer(CHALLENGE, status=200)
    clock = Clock(NOW)
    caplog.set_level(logging.WARNING, logger="alerts.sync_fetch")
    async with fetching_bot(settings, api, site, "/ru/list.csv", clock=clock) as app:
        for _ in range(3):  # every six hours, the same page
            fetched = await list_fetcher(app).run()
            assert fetched.outcome == "failed" and fetched.failure.reason == "web_page"
        [message] = await editor_texts(app, api)
        assert message.startswith(f"⚠️ {FAILED}: a web page came instead of the CSV file")
        assert f"Fetched from: {site.url('/ru/list.csv')}" in message
        assert "Page title: “Just a moment...”" in message
        assert await count(app, "sync_snapshots") == 0
        assert await count(app, "sync_changes") == 0
        assert texts(api, 1) == [] and texts(api, 2) == []
        logged = [r.getMessage() for r in caplog.records if r.name == "alerts.sync_fetch"]
        assert len(logged) == 3 and all(site.url("/ru/list.csv") in line for line in logged)

        clock.now = NOW + timedelta(days=1)  # the next day: the editors hear of it again
        await list_fetcher(app).run()
        assert len(await editor_texts(app, api)) == 2


async def test_a_file_too_big_stops_being_read_and_names_bot_max_file_mb(settings, api, site):
    # 10 kB allowed; the server offers a gigabyte without saying how long it is.
    site.answers["/ru/list.csv"] = Answer(stream=1_000_000_000)
    site.answers["/en/list.csv"] = Answer(export(LIST_EN))
    async with fetching_bot(
        settings, api, site, "/en/list.csv", "/ru/list.csv", max_file_mb=0.01
    ) as app:
        fetched = await list_fetcher(app).run()
        assert fetched.failure.reason == "too_big"
        # The socket's buffers hold a few megabytes at most: the bot hung up long before.
        assert site.streamed < 100_000_000
        [message] = await editor_texts(app, api)
        assert "larger than 0.01 MB" in message and "BOT_MAX_FILE_MB raises the limit" in message
        # The English export was fine; without the Russian one nothing is stored.
        assert await count(app, "sync_snapshots") == 0


async def test_a_declared_length_over_the_cap_is_not_read(settings, api, site):
    site.answers["/ru/list.csv"] = Answer(export(LIST_RU * 50))
    async with fetching_bot(settings, api, site, "/ru/list.csv", max_file_mb=0.001) as app:
        fetched = await list_fetcher(app).run()
        assert fetched.failure.reason == "too_big"
        assert "BOT_MAX_FILE_MB" in fetched.failure.line()


@pytest.mark.parametrize(
    ("answer", "reason", "said"),
    [
        (Answer(b"Service Unavailable", status=503), "http_status", "answered with error 503"),
        (Answer(b"\n\n"), "empty", "the file is empty"),
        (Answer(hang=True), "timeout", "did not answer in time"),
        (Answer(b"slug,name.en\nx,X\n"), "not_export", "the file is not Viasna's export"),
        (
            Answer(status=302, headers={"Location": "http://127.0.0.1/ru/list.csv"}),
            "not_https",
            "not https",
        ),
        (
            Answer(b"<html><body>Please log in</body></html>"),
            "web_page",
            "a web page came instead",
        ),
    ],
    ids=["503", "empty", "timeout", "other-columns", "redirect-to-http", "no-csv-link"],
)
async def test_what_is_not_the_export_is_one_message_and_nothing_changes(
    settings, api, site, answer, reason, said
):
    await prepare(settings.db_path, [make_case()], CHATS)
    site.answers["/ru/list.csv"] = answer
    # The hanging site never answers at all: 0.2 s is as good as a minute there. Every
    # other answer comes, however busy the machine: the default patience waits for it.
    timeout = 0.2 if reason == "timeout" else None
    async with fetching_bot(settings, api, site, "/ru/list.csv", timeout=timeout) as app:
        before = await rows(app, "SELECT record FROM cases")
        fetched = await list_fetcher(app).run()
        assert fetched.outcome == "failed" and fetched.failure.reason == reason
        [message] = await editor_texts(app, api)
        assert message.startswith(f"⚠️ {FAILED}:") and said in message
        assert await count(app, "sync_snapshots") == 0
        assert await rows(app, "SELECT record FROM cases") == before


def test_the_csv_link_is_the_one_that_ends_in_csv_else_the_one_that_names_csv():
    page = "https://prisoners.example.org/ru/list?page=2"
    links = (
        '<a href="mailto:list@example.org">CSV by mail</a>'
        '<a href="/ru/list?format=xlsx">Excel</a>'
        '<a href="export?type=CSV">Скачать</a>'
        '<a href="../files/list-ru.csv">download</a>'
    )
    assert csv_link(links, page) == "https://prisoners.example.org/files/list-ru.csv"
    assert csv_link(links.replace(".csv", ".txt"), page) == (
        "https://prisoners.example.org/ru/export?type=CSV"
    )
    assert csv_link('<a href="/ru/get/17">Скачать CSV</a>', page) == (
        "https://prisoners.example.org/ru/get/17"
    )
    assert csv_link('<a href="/ru/csvkit">tools</a><a href="/login">Log in</a>', page) is None
