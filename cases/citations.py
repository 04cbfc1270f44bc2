"""Where a fact about a case comes from, as an alert cites it: a source's link, title and date.

A citation is a plain dict (``{"url", "title", "on"}``, the date in ISO) so
it travels in an alert's JSON payload, written when the change is queued:
the alert cites the report of the change it tells, even when the case has
moved on by the time it is sent.
"""

from __future__ import annotations

from datetime import date

from cases.model import Case, Source


def citation(source: Source | None, on: date) -> dict | None:
    """``source`` as an alert cites it, dated ``on``; None when the case names no such source."""
    if source is None:
        return None
    return {"url": source.url, "title": source.title, "on": on.isoformat()}


def status_citations(case: Case) -> list[dict]:
    """The source of the case's status, with the status's date: what an alert about a held
    person's day (a birthday, an anniversary) rests on."""
    cited = citation(case.source(case.status_source), case.status_as_of)
    return [cited] if cited else []


def distinct(citations: list[dict | None]) -> list[dict]:
    """Each source once, where it is first cited; the missing left out."""
    seen: set[str] = set()
    kept = []
    for cited in citations:
        if cited is not None and cited["url"] not in seen:
            seen.add(cited["url"])
            kept.append(cited)
    return kept
