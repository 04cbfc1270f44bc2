"""Parameters as Telegram reads them, whichever way the client encoded them.

Over HTTP, PTB sends form fields: every value a string, objects as JSON text.
A JSON body or an in-process caller may pass real values. Both end up typed
the same, so the methods never care how a call arrived.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from fakeapi.errors import ApiError, bad_request

_JSON_FIELDS = frozenset(
    {
        "reply_markup", "link_preview_options", "entities", "caption_entities", "commands",
        "scope", "results", "reply_parameters", "allowed_updates", "button", "message_ids",
        "menu_button", "rights",
    }
)  # fmt: skip
_INT_FIELDS = frozenset(
    {
        "message_id", "user_id", "offset", "limit", "timeout", "cache_time",
        "message_thread_id", "max_connections", "until_date",
    }
)  # fmt: skip
_CHAT_FIELDS = frozenset({"chat_id", "from_chat_id"})
_BOOL_FIELDS = frozenset(
    {
        "show_alert", "is_personal", "disable_notification", "protect_content",
        "drop_pending_updates", "allow_sending_without_reply", "disable_content_type_detection",
        "for_channels", "revoke_messages", "only_if_banned",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Upload:
    """A file sent in a multipart body."""

    filename: str
    content: bytes
    mime_type: str = "application/octet-stream"


def coerce(params: dict, files: dict[str, Upload] | None = None) -> dict:
    typed = {}
    for name, value in params.items():
        if value is None:
            continue
        if isinstance(value, str) and value.startswith("attach://") and files:
            value = files.get(value[len("attach://") :], value)
        typed[name] = _typed(name, value)
    for name, upload in (files or {}).items():
        typed.setdefault(name, upload)
    return typed


def _typed(name: str, value: object) -> object:
    if not isinstance(value, str):
        return value
    if name in _JSON_FIELDS:
        try:
            return json.loads(value)
        except ValueError:
            if name == "reply_markup":
                raise bad_request("can't parse reply keyboard markup JSON object") from None
            raise bad_request(f"can't parse {name} JSON object") from None
    if name in _CHAT_FIELDS:
        return int(value) if value.lstrip("-").isdigit() else value
    if name in _INT_FIELDS:
        try:
            return int(value)
        except ValueError:
            raise bad_request(f"invalid {name} specified") from None
    if name in _BOOL_FIELDS:
        if value.lower() in ("true", "1"):
            return True
        if value.lower() in ("false", "0", ""):
            return False
        raise ApiError(400, f"Bad Request: invalid {name} specified")
    return value
