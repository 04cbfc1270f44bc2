"""The three exports joined: one ``Person`` per person, each prosecution in every language read.

Viasna's ru, be and en exports list the same rows by ``id``: together they
give each row's name (and the texts: charges, prison, sentence) in three
languages. A person is everyone's page (``person_key``, the url without its
language part): one person can have several rows, one per prosecution, as
a person re-arrested after release does.

Rows are joined on Viasna's ids and page addresses only, never on names:
two namesakes stay two people. A row present in one language and not in
another (an export taken an hour later) is simply there in fewer languages.
A labelled export has no ids: each of its rows stands alone, in its one
language, joined with others only through a page address if it has one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sync.export import Export, ExportRow
from sync.sniff import ExportError

# Which language's row speaks for a record's language-free facts (status, dates).
_FACTS_FROM = ("en", "ru", "be")


@dataclass(frozen=True, slots=True)
class Record:
    """One prosecution, Viasna's row by its id, in each language that lists it."""

    record_id: str | None
    rows: dict[str, ExportRow]  # language -> that export's row

    @property
    def row(self) -> ExportRow:
        """The row the facts are read from (they are the same in every language)."""
        for language in _FACTS_FROM:
            if language in self.rows:
                return self.rows[language]
        return next(iter(self.rows.values()))

    @property
    def names(self) -> dict[str, str]:
        return {language: row.name for language, row in self.rows.items()}


@dataclass(frozen=True, slots=True)
class Person:
    key: str  # person_key; "id:<record id>" or "row:<language>:<line>" for a row without a url
    records: tuple[Record, ...]  # one per prosecution, the earliest arrest first

    @property
    def latest(self) -> Record:
        return self.records[-1]

    @property
    def names(self) -> dict[str, str]:
        """The person's name in each language, as their latest record in it writes it."""
        names: dict[str, str] = {}
        for record in self.records:
            names.update(record.names)
        return names

    @property
    def urls(self) -> dict[str, str]:
        urls: dict[str, str] = {}
        for record in self.records:
            urls.update({language: row.url for language, row in record.rows.items() if row.url})
        return urls


def join_languages(exports: Iterable[Export]) -> list[Person]:
    """Everyone in ``exports`` (one per language), joined by row id and page; sorted by key.

    ``ExportError`` for two exports in one language, or one whose language
    could not be told.
    """
    by_language: dict[str, Export] = {}
    for export in exports:
        if export.language is None:
            if export.rows:
                raise ExportError(f"{export.file_name}: the export's language could not be told")
            continue
        if export.language in by_language:
            first = by_language[export.language].file_name
            raise ExportError(
                f"{first} and {export.file_name}: two exports in one language"
                f" ({export.language}); read one per language"
            )
        by_language[export.language] = export

    records: dict[tuple[str, ...], dict[str, ExportRow]] = {}
    parent: dict[tuple[str, ...], tuple[str, ...]] = {}

    def root(node: tuple[str, ...]) -> tuple[str, ...]:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for language, export in by_language.items():
        for row in export.rows:
            node = ("id", row.record_id) if row.record_id else ("row", language, str(row.line))
            records.setdefault(node, {})[language] = row
            if row.person_key:
                parent[root(node)] = root(("page", row.person_key))

    groups: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for node in records:
        groups.setdefault(root(node), []).append(node)
    people = [_person(nodes, records) for nodes in groups.values()]
    people.sort(key=lambda person: person.key)
    return people


def _person(
    nodes: list[tuple[str, ...]], records: dict[tuple[str, ...], dict[str, ExportRow]]
) -> Person:
    joined = [Record(node[1] if node[0] == "id" else None, records[node]) for node in nodes]
    joined.sort(key=_record_order)
    keys = sorted(
        {row.person_key for record in joined for row in record.rows.values() if row.person_key}
    )
    if keys:
        key = keys[0]
    else:
        first = nodes[0]
        key = f"id:{first[1]}" if first[0] == "id" else f"row:{first[1]}:{first[2]}"
    return Person(key, tuple(joined))


def _record_order(record: Record) -> tuple:
    """Earliest arrest first; a record with no arrest date before the others; then by id."""
    arrested = record.row.arrested_on
    record_id = record.record_id or ""
    return (
        arrested.sort_key if arrested else (0, 0, 0),
        (0, int(record_id)) if record_id.isdigit() else (1, 0),
        record_id,
        record.row.line,
    )
