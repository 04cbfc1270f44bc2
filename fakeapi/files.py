"""Files users send to the bot: getFile, and the download behind it.

A test registers what a user uploads with ``add_upload`` and puts the
returned document into a message it feeds; the bot then calls getFile and
downloads ``{base_file_url}{token}/{file_path}`` exactly as from Telegram.
The in-process transport (``fakeapi.request``) routes that download here.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from fakeapi.errors import ApiError, bad_request
from fakeapi.registry import api_method

# Telegram lets bots download files up to 20 MB; getFile refuses bigger ones.
MAX_DOWNLOAD = 20 * 1024 * 1024
_FOLDER = "documents"


def split_file_url(url: str) -> tuple[str, str] | None:
    """(token, file_path) from ``.../file/bot<token>/<file_path>``; None for a method URL."""
    parts = urlsplit(url).path.split("/")
    for index in range(len(parts) - 2):
        if parts[index] == "file" and parts[index + 1].startswith("bot"):
            token = parts[index + 1][len("bot") :]
            return token, unquote("/".join(parts[index + 2 :]))
    return None


def _file_path(data: dict) -> str:
    # Telegram's paths look like "documents/file_12.csv": the suffix survives, the name not.
    suffix = PurePosixPath(data.get("file_name") or "").suffix
    return f"{_FOLDER}/{data['file_id']}{suffix}"


class FileMethods:
    """Mixed into FakeBotAPI; relies on its ``files``, ``lock`` and ``token``."""

    def add_upload(
        self, filename: str, content: bytes, mime_type: str = "application/octet-stream"
    ) -> dict:
        """A file a user sends: the Document object to put in the message."""
        with self.lock:
            number = len(self.files) + 1
            data = {
                "file_id": f"UPLOAD-{number}",
                "file_unique_id": f"UU{number}",
                "file_name": filename,
                "mime_type": mime_type,
                "file_size": len(content),
            }
            self.files[data["file_id"]] = (data, bytes(content))
            return dict(data)

    @api_method("getFile")
    def get_file(self, params: dict) -> dict:
        file_id = params.get("file_id")
        if not file_id or file_id not in self.files:
            raise bad_request("invalid file_id")
        data, content = self.files[file_id]
        if len(content) > MAX_DOWNLOAD:
            raise bad_request("file is too big")
        return {
            "file_id": data["file_id"],
            "file_unique_id": data["file_unique_id"],
            "file_size": len(content),
            "file_path": _file_path(data),
        }

    def download(self, token: str, file_path: str) -> tuple[int, bytes]:
        """HTTP status and body for a download URL, as Telegram's file server answers."""
        with self.lock:
            if self.token is not None and token != self.token:
                return 401, json.dumps(ApiError(401).reply()).encode()
            for data, content in self.files.values():
                if _file_path(data) == file_path and len(content) <= MAX_DOWNLOAD:
                    return 200, content
            return 404, json.dumps(ApiError(404).reply()).encode()
