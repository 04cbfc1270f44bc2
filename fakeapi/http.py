"""The fake Bot API on a local port, for a bot running in another process.

Start a bot with ``ApplicationBuilder().base_url(base_url)`` (the default
HTTPXRequest) and it talks to this server exactly as it would to Telegram.
"""

from __future__ import annotations

import json
import sys
import threading
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from fakeapi.errors import ApiError, FakeTimeout, FakeUnreachable
from fakeapi.params import Upload
from fakeapi.request import split_bot_url
from fakeapi.server import FakeBotAPI

# Long enough that PTB's default read timeout (5 s) fires first.
LOST_REPLY_HOLD_SECONDS = 10.0


class FakeBotAPIServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], api: FakeBotAPI) -> None:
        super().__init__(address, _Handler)
        self.api = api
        self.stopping = threading.Event()

    def handle_error(self, request, client_address) -> None:
        # A client killed mid-request (the crash test's kill -9) is expected here.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)

    def shutdown(self) -> None:
        """Stop serving and free the port."""
        self.stopping.set()
        super().shutdown()
        self.server_close()


def parse_body(content_type: str, body: bytes) -> tuple[dict, dict[str, Upload]]:
    """Parameters and files from a JSON, form or multipart body."""
    kind = content_type.split(";")[0].strip().lower()
    if not body:
        return {}, {}
    if kind == "application/json":
        return json.loads(body), {}
    if kind == "multipart/form-data":
        return _multipart(content_type, body)
    return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True)), {}


def _multipart(content_type: str, body: bytes) -> tuple[dict, dict[str, Upload]]:
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    params, files = {}, {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        content = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is None:
            params[name] = content.decode("utf-8")
        else:
            files[name] = Upload(filename, content, part.get_content_type())
    return params, files


class _Handler(BaseHTTPRequestHandler):
    server: FakeBotAPIServer
    protocol_version = "HTTP/1.1"  # keep-alive, as httpx expects

    def do_GET(self) -> None:
        self._answer(b"")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._answer(self.rfile.read(length))

    def _answer(self, body: bytes) -> None:
        url = urlsplit(self.path)
        token, method = split_bot_url(url.path)
        if method is None:
            self._send(404, ApiError(404).reply())
            return
        try:
            params, files = parse_body(self.headers.get("Content-Type", ""), body)
        except ValueError:
            self._send(400, ApiError(400, "Bad Request: can't parse request body").reply())
            return
        params = {**dict(parse_qsl(url.query, keep_blank_values=True)), **params}
        api = self.server.api
        if method.lower() == "getupdates" and not api.down:
            api.wait_for_updates(min(float(params.get("timeout") or 0), 30.0))
        try:
            status, reply = api.call(method, params, files, token)
        except FakeTimeout:
            # Say nothing until the client gives up, then hang up, as a lost reply looks.
            self.server.stopping.wait(LOST_REPLY_HOLD_SECONDS)
            self.close_connection = True
            return
        except FakeUnreachable:
            self.close_connection = True  # hang up at once: the client sees no server
            return
        self._send(status, reply)

    def _send(self, status: int, reply: dict) -> None:
        payload = json.dumps(reply).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the API keeps its own transcript (api.calls)."""


def serve(api: FakeBotAPI, host: str = "127.0.0.1", port: int = 0) -> tuple[FakeBotAPIServer, str]:
    """Serve ``api`` from a daemon thread; returns the server and the base_url for PTB.

    ``server.shutdown()`` stops it. Port 0 picks a free port.
    """
    server = FakeBotAPIServer((host, port), api)
    thread = threading.Thread(target=server.serve_forever, name="fakeapi-http", daemon=True)
    thread.start()
    bound_host, bound_port = server.server_address[:2]
    return server, f"http://{bound_host}:{bound_port}/bot"
