"""A title on a button, cut to what Telegram shows well."""

from __future__ import annotations

BUTTON_TITLE = 48  # characters of a title on a button; Telegram cuts long ones badly


def shorten(text: str, limit: int = BUTTON_TITLE) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
