"""Pages of a long list: which page to show and the « Back / Next » buttons."""

from __future__ import annotations

from collections.abc import Callable

from telegram import InlineKeyboardButton

from messages.render import Messages


def clamp_page(total: int, page: int, size: int) -> tuple[int, int]:
    """(page, pages): ``page`` kept within 1..pages; an empty list has one page."""
    pages = max(1, -(-total // size))
    return min(max(1, page), pages), pages


def paging_row(
    messages: Messages, lang: str, page: int, pages: int, callback_for: Callable[[int], str]
) -> list[InlineKeyboardButton]:
    """The buttons to the previous and next pages that exist (none for one page)."""
    row = []
    if page > 1:
        row.append(
            InlineKeyboardButton(
                messages.label("btn_previous", lang), callback_data=callback_for(page - 1)
            )
        )
    if page < pages:
        row.append(
            InlineKeyboardButton(
                messages.label("btn_next", lang), callback_data=callback_for(page + 1)
            )
        )
    return row
