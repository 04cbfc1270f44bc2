"""Who hears an alert about a case: the one rule that every fan-out and every count uses.

A chat hears an alert about a case when it is active, wants alerts of that
kind (its ``want_*`` switch in /settings), and follows the case: by name, or
broadly (everyone, the case's region, or the place the person is held now)
and has not muted that person. A name beats a mute: a chat that follows
someone by name hears about them whatever else it follows. An alert about no
case in particular reaches every chat that follows anything; one about people
new to the bot (``ABOUT_NEW_CASES``), the chats that follow everyone:
following some people, a region or a place says nothing about others.

Deliveries (``storage.deliveries``), daily digests (``storage.digests``), a
statement's audience (``storage.statement_audience``) and the editors'
previews (``reach``) build their queries from ``hears``, so the number a
preview shows is the number of deliveries the change queues.

A day's calendar alerts reach a chat one by one or in that day's digest, by
its alert mode: 'digest', 'single', or 'auto', which means a digest while the
chat follows everyone, a region or a place, or more than ``over`` people by
name (BOT_DIGEST_OVER). That rule is written twice, side by side: in SQL for
fan-out (``DIGEST_CHAT``) and in Python for /settings (``gets_digest``);
``tests/test_audience.py`` holds each to the other.

The fragments are conditions on a row of ``chats``; the named parameters
(``:slug``, ``:slugs``, ``:over``) are the caller's to bind.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Set

import aiosqlite

from cases.model import HELD_STATUSES, Case

# The chat settings an alert can be switched off by; an alert kind names one of them.
WANT_COLUMNS = frozenset(
    {"want_anniversaries", "want_birthdays", "want_updates", "want_statements"}
)

# What an alert is about, as a condition on a case's slug (``{slug}``, filled in by ``follows``).
ABOUT_CASE = "{slug} = :slug"
ABOUT_CASES = "{slug} IN (SELECT value FROM json_each(:slugs))"  # a JSON list
ABOUT_ANY_CASE = ""  # about no case in particular: whoever follows anyone hears it
# About people no chat follows one by one yet (people new to the bot): only the
# chats that follow everyone, present and future, hear it.
ABOUT_NEW_CASES = "0"

_HELD = ", ".join(f"'{status}'" for status in sorted(HELD_STATUSES))
# The chat follows people it does not name: everyone, a region or a place.
FOLLOWS_BROADLY = """(chats.subscribed_all = 1
    OR EXISTS (SELECT 1 FROM region_follows AS area WHERE area.chat_id = chats.id)
    OR EXISTS (SELECT 1 FROM place_follows AS area WHERE area.chat_id = chats.id))"""

DIGEST_CHAT = f"""(
    chats.alert_mode = 'digest'
    OR (chats.alert_mode = 'auto' AND (
        {FOLLOWS_BROADLY}
        OR (SELECT count(*) FROM subscriptions AS own WHERE own.chat_id = chats.id) > :over)))"""

_KIND = re.compile(r"[a-z_]+")


def gets_digest(mode: str, broadly: bool, follows: int, over: int) -> bool:
    """Whether a chat gets calendar alerts as a daily digest (``DIGEST_CHAT`` in Python).

    ``broadly``: it follows everyone, a region or a place; ``follows``: how
    many people it follows by name.
    """
    if mode != "auto":
        return mode == "digest"
    return broadly or follows > over


def follows_broadly(case: Case, everyone: bool, regions: Set[str], places: Set[str]) -> bool:
    """Whether a chat hears about ``case`` without naming it, a mute aside: ``follows``'s
    broad branch in Python, for what a card offers (Mute). Held to the SQL by the tests."""
    place = case.detention.place_key if case.detention is not None else None
    return everyone or case.region in regions or (case.is_held and place in places)


def follows(about: str) -> str:
    """SQL: the chat follows a case ``about`` names, by name or broadly and not muted."""
    if about == ABOUT_ANY_CASE:
        return f"""({FOLLOWS_BROADLY} OR EXISTS (
            SELECT 1 FROM subscriptions AS followed WHERE followed.chat_id = chats.id))"""
    if about == ABOUT_NEW_CASES:
        return "chats.subscribed_all = 1"
    by_name = about.format(slug="followed.slug")
    broadly = about.format(slug="about_case.slug")
    not_muted = """NOT EXISTS (SELECT 1 FROM mutes AS muted
                               WHERE muted.chat_id = chats.id AND muted.slug = about_case.slug)"""
    # Following everyone: everyone the alert is about, unless all of them are muted (a
    # chat that muted nobody is not asked further); an alert about no stored case (a
    # statement that names nobody) too. A region or a place: a case of the alert's
    # that is there, not muted. The case is looked at only for a chat that follows
    # broadly at all: most chats follow a few people by name.
    return f"""(EXISTS (
            SELECT 1 FROM subscriptions AS followed
            WHERE followed.chat_id = chats.id AND {by_name})
        OR (chats.subscribed_all = 1 AND (
            NOT EXISTS (SELECT 1 FROM mutes AS muted WHERE muted.chat_id = chats.id)
            OR NOT EXISTS (SELECT 1 FROM cases AS about_case WHERE {broadly})
            OR EXISTS (SELECT 1 FROM cases AS about_case WHERE {broadly} AND {not_muted})))
        OR (chats.subscribed_all = 0 AND {FOLLOWS_BROADLY} AND EXISTS (
            SELECT 1 FROM cases AS about_case
            WHERE {broadly} AND {not_muted}
              AND (EXISTS (SELECT 1 FROM region_follows AS area
                           WHERE area.chat_id = chats.id AND area.region = about_case.region)
                   OR (about_case.status IN ({_HELD}) AND EXISTS (
                           SELECT 1 FROM place_follows AS area
                           WHERE area.chat_id = chats.id
                             AND area.place_key = about_case.place_key))))))"""


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
