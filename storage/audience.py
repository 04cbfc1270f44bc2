"""Who hears an alert about a case: the one rule that every fan-out and every count uses.

A chat hears an alert about a case when it is active, wants alerts of that
kind (its ``want_*`` switch in /settings), and follows everyone or the case.
An alert about people new to the bot is heard by the chats that follow
everyone (``ABOUT_NEW_CASES``): following some people says nothing about others.
Deliveries (``storage.deliveries``), daily digests (``storage.digests``), a
statement's audience (``storage.statement_audience``) and the editors'
previews (``reach``) build their queries from ``hears``, so the number a
preview shows is the number of deliveries the change queues.

A day's calendar alerts reach a chat one by one or in that day's digest, by
its alert mode: 'digest', 'single', or 'auto', which means a digest while the
chat follows everyone or more than ``over`` people (BOT_DIGEST_OVER). That
rule is written twice, side by side: in SQL for fan-out (``DIGEST_CHAT``) and
in Python for /settings (``gets_digest``); ``tests/test_audience.py`` holds
each to the other.

The fragments are conditions on a row of ``chats``; the named parameters
(``:slug``, ``:slugs``, ``:over``) are the caller's to bind.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import aiosqlite

# The chat settings an alert can be switched off by; an alert kind names one of them.
WANT_COLUMNS = frozenset(
    {"want_anniversaries", "want_birthdays", "want_updates", "want_statements"}
)

# What an alert is about, as a condition on ``followed``: one of the chat's subscriptions.
ABOUT_CASE = "followed.slug = :slug"
ABOUT_CASES = "followed.slug IN (SELECT value FROM json_each(:slugs))"  # a JSON list
ABOUT_ANY_CASE = "1"  # about no case in particular: whoever follows anyone hears it
# About people no chat follows one by one yet (people new to the bot): only the
# chats that follow everyone, present and future, hear it.
ABOUT_NEW_CASES = "0"

DIGEST_CHAT = """(
    chats.alert_mode = 'digest'
    OR (chats.alert_mode = 'auto' AND (
        chats.subscribed_all = 1
        OR (SELECT count(*) FROM subscriptions AS own WHERE own.chat_id = chats.id) > :over)))"""

_KIND = re.compile(r"[a-z_]+")


def gets_digest(mode: str, subscribed_all: bool, follows: int, over: int) -> bool:
    """Whether a chat gets calendar alerts as a daily digest (``DIGEST_CHAT`` in Python)."""
    if mode != "auto":
        return mode == "digest"
    return subscribed_all or follows > over


def follows(about: str) -> str:
    """SQL: the chat follows everyone, or a case ``about`` names."""
    return f"""(chats.subscribed_all = 1 OR EXISTS (
        SELECT 1 FROM subscriptions AS followed
        WHERE followed.chat_id = chats.id AND {about}))"""


def wants(want_column: str) -> str:
    """SQL: the chat has alerts of this kind switched on."""
    # The column name comes from the alerts' own table of kinds, never from an update.
    if want_column not in WANT_COLUMNS:
        raise ValueError(f"unknown chat setting {want_column!r}")
    return f"chats.{want_column} = 1"


def wants_kind_of(alert: str, kind_columns: Mapping[str, str]) -> str:
    """SQL: the chat has the kind of the alert row ``alert`` switched on, by kind."""
    branches = []
    for kind, column in kind_columns.items():
        # Both come from the alerts' own table of kinds, never from an update.
        if column not in WANT_COLUMNS or not _KIND.fullmatch(kind):
            raise ValueError(f"unknown alert kind or chat setting: {kind!r}, {column!r}")
        branches.append(f"WHEN '{kind}' THEN chats.{column}")
    return f"(CASE {alert}.kind {' '.join(branches)} ELSE 0 END) = 1"


def hears(want_column: str, about: str) -> str:
    """SQL: the chat hears an alert of the kind ``want_column`` switches, about ``about``."""
    return f"chats.active = 1 AND {wants(want_column)} AND {follows(about)}"


async def reach(db: aiosqlite.Connection, slug: str, want_column: str) -> int:
    """How many chats an alert about ``slug`` would reach now: ``hears``, counted."""
    async with db.execute(
        f"SELECT count(*) FROM chats WHERE {hears(want_column, ABOUT_CASE)}", {"slug": slug}
    ) as cursor:
        [count] = await cursor.fetchone()
    return count
