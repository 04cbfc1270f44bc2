"""The bot's own fetch of Viasna's list (BOT_SYNC_URL): 3 x 9,000 rows over local HTTPS.

Run by hand from the repository root: ``.venv/bin/python bench/bench_sync_fetch.py``
(``--rows 9000``; needs the dev extras, for trustme). The three exports
(``bench/viasna_export.py``, fictional people) are served on 127.0.0.1 with a
test certificate; ``ListFetcher.run`` fetches, reads and stores them into a
fresh database (every person is new: the most changes a fetch can store),
then runs again on the same files (nothing new: only the download and the
checksum). Beside it, a ticker on the event loop measures the longest stall:
what a user's reply would wait for behind the fetch in the running bot.
"""

from __future__ import annotations

import argparse
import asyncio
import ssl
import sys
import tempfile
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import trustme  # noqa: E402

from alerts.sync_download import FetchOptions  # noqa: E402
from alerts.sync_fetch import ListFetcher  # noqa: E402
from bench.viasna_export import LANGUAGES, export_bytes, records  # noqa: E402
from config import Settings  # noqa: E402
from storage.db import connect  # noqa: E402

TICK = 0.005


class Clock:
    """What the fetcher needs of the alert service: the bot's clock, the outbox to wake."""

    def now(self) -> datetime:
        return datetime.now(ZoneInfo("Europe/Minsk"))

    def wake(self) -> None:
        pass


def serve(files: dict[str, bytes]) -> tuple[ThreadingHTTPServer, ssl.SSLContext]:
    ca = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_context)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = files[self.path]
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = server_context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    client_context = ssl.create_default_context()
    ca.configure_trust(client_context)
    return server, client_context


async def timed(fetcher: ListFetcher):
    """One run, and the event loop's longest stall meanwhile (seconds)."""
    longest = 0.0
    running = True

    async def ticker() -> None:
        nonlocal longest
        loop = asyncio.get_running_loop()
        while running:
            before = loop.time()
            await asyncio.sleep(TICK)
            longest = max(longest, loop.time() - before - TICK)

    task = asyncio.create_task(ticker())
    started = time.perf_counter()
    fetched = await fetcher.run()
    took = time.perf_counter() - started
    running = False
    await task
    return fetched, took, longest


async def bench(rows: int) -> None:
    generated = records(rows)
    files = {f"/{language}/list.csv": export_bytes(generated, language) for language in LANGUAGES}
    size = sum(len(data) for data in files.values())
    server, trust = serve(files)
    port = server.server_address[1]
    with tempfile.TemporaryDirectory() as work:
        settings = Settings(
            db_path=Path(work) / "casewatch.sqlite3",
            max_file_mb=50,
            sync_urls=tuple(f"https://127.0.0.1:{port}{path}" for path in files),
        )
        db = await connect(settings.db_path)  # the schema, before the clock starts
        await db.close()
        fetcher = ListFetcher(settings, Clock(), FetchOptions(verify=trust))
        print(f"3 exports of {rows:,} rows, {size / 1e6:.1f} MB, served over local HTTPS")
        for label in ("first fetch (every person new)", "the same files again"):
            fetched, took, stall = await timed(fetcher)
            stored = f", {fetched.read.new_changes:,} changes stored" if fetched.read else ""
            print(
                f"{label}: {fetched.outcome}{stored} in {took:.2f} s;"
                f" longest event-loop stall {stall * 1000:.0f} ms"
            )
    server.shutdown()
    server.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=9000)
    arguments = parser.parse_args()
    asyncio.run(bench(arguments.rows))


if __name__ == "__main__":
    main()
