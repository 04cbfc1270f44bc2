"""reply_markup checked the way Telegram checks it before it sends anything."""

from __future__ import annotations

import re

from fakeapi.errors import bad_request

MAX_BUTTONS = 100
MAX_CALLBACK_DATA_BYTES = 64
INLINE_ACTIONS = (
    "url", "callback_data", "web_app", "login_url", "switch_inline_query",
    "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
    "callback_game", "pay",
)  # fmt: skip
_BUTTON_URL = re.compile(r"(https?|tg)://\S+$", re.IGNORECASE)


def check_reply_markup(markup: object) -> dict | None:
    """The markup as Telegram would store it, or ApiError."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        return _inline_keyboard(markup)
    if "keyboard" in markup:
        return _reply_keyboard(markup)
    if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
        return markup
    raise bad_request("can't parse reply keyboard markup JSON object")


def inline_only(markup: dict | None) -> dict | None:
    """What a Message shows of it: Telegram echoes only inline keyboards."""
    return markup if markup and "inline_keyboard" in markup else None


def _rows(markup: dict, field: str, kind: str) -> list[list]:
    rows = markup[field]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(f'field "{field}" of the {kind} should be an Array of Arrays')
    if sum(len(row) for row in rows) > MAX_BUTTONS:
        raise bad_request("reply markup is too long")
    return rows


def _inline_keyboard(markup: dict) -> dict:
    for row in _rows(markup, "inline_keyboard", "InlineKeyboardMarkup"):
        for button in row:
            _inline_button(button)
    return {"inline_keyboard": markup["inline_keyboard"]}


def _inline_button(button: object) -> None:
    def refuse(reason: str) -> None:
        raise bad_request(f"can't parse inline keyboard button: {reason}")

    if not isinstance(button, dict):
        refuse("InlineKeyboardButton must be an Object")
    if "text" not in button:
        refuse('Can\'t find field "text"')
    if not isinstance(button["text"], str) or not button["text"].strip():
        refuse("Text must be non-empty")
    actions = [name for name in INLINE_ACTIONS if name in button]
    if not actions:
        refuse("Text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        refuse(f"exactly one of the optional fields must be used, found {', '.join(actions)}")
    action = actions[0]
    value = button[action]
    if action == "callback_data":
        if not isinstance(value, str) or not 1 <= len(value.encode()) <= MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    elif action == "url":
        if not isinstance(value, str) or not _BUTTON_URL.match(value):
            raise bad_request(f"inline keyboard button URL '{value}' is invalid: Wrong HTTP URL")
    elif action in ("switch_inline_query", "switch_inline_query_current_chat") and not isinstance(
        value, str
    ):
        refuse(f'Field "{action}" must be of type String')


def _reply_keyboard(markup: dict) -> dict:
    for row in _rows(markup, "keyboard", "ReplyKeyboardMarkup"):
        for button in row:
            text = button.get("text") if isinstance(button, dict) else button
            if not isinstance(text, str) or not text.strip():
                raise bad_request("can't parse keyboard button: Text must be non-empty")
    return markup
