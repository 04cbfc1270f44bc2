"""The organisation's guidance for letters, read from ``data/letters.yaml``.

The rules that get a letter delivered are facts like any other: each has a
source (from the file's ``sources``) and the date it was last confirmed.
The file is checked as strictly as a cases file, with the same messages:
``letters.yaml line 12: rules[1].source: unknown source "x"; sources are: ...``.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from cases.codec import CaseFormatError, FieldReader
from cases.file_lines import FieldPath, Lines, file_error
from cases.letters import (
    LETTER_LANGUAGES,
    RULE_STATUSES,
    TOPICS,
    UNIT_FIELD,
    BornMark,
    LetterGuide,
    LetterRule,
)
from cases.model import Source
from cases.yaml_file import read_yaml

GUIDE_KEYS = ("sources", "rules", "places", "envelope", "greeting")
RULE_KEYS = ("topic", "text", "short", "status", "source", "as_of")
RULE_REQUIRED = ("topic", "text", "source", "as_of")
ENVELOPE_KEYS = ("unit", "born")
BORN_KEYS = ("text", "source", "as_of")


def read_letter_guide(path: Path, today: date | None = None) -> LetterGuide:
    """The guide in ``path``; CaseFormatError naming the line and field at the first problem."""
    text = path.read_text(encoding="utf-8-sig")
    data, lines = read_yaml(text, path.name)
    try:
        return letter_guide_from_dict(data, path.name, today)
    except CaseFormatError as error:
        raise file_error(
            path.name, _line_of(lines, error.field), error.message, error.field
        ) from None


def letter_guide_from_dict(data: Any, where: str, today: date | None = None) -> LetterGuide:
    return _GuideReader(where, today).guide(data)


class _GuideReader(FieldReader):
    def guide(self, data: Any) -> LetterGuide:
        fields = self.fields(data, "", GUIDE_KEYS, ("sources", "rules", "envelope", "greeting"))
        sources = self.many(self.source, fields["sources"], "sources")
        self.check_references(sources)
        by_id = {source.id: source for source in sources}
        rules = tuple(
            self.many(lambda value, path: self.rule(value, path, by_id), fields["rules"], "rules")
        )
        if not rules:
            raise self.fail("rules", "must list at least one rule")
        places = fields.get("places") or {}
        if not isinstance(places, dict):
            raise self.fail("places", "must be a mapping of place keys to lists of rules")
        place_rules = {
            self.slug(key, f"places.{key}"): tuple(
                self.many(
                    lambda value, path: self.rule(value, path, by_id), listed, f"places.{key}"
                )
            )
            for key, listed in places.items()
        }
        envelope = self.fields(fields["envelope"], "envelope", ENVELOPE_KEYS, ("unit",))
        born = envelope.get("born")
        return LetterGuide(
            rules=rules,
            place_rules=place_rules,
            born=None if born is None else self.born(born, "envelope.born", by_id),
            unit=self.unit(envelope["unit"], "envelope.unit"),
            greeting=self.per_letter_language(fields["greeting"], "greeting"),
        )

    def rule(self, data: Any, path: str, sources: dict[str, Source]) -> LetterRule:
        fields = self.fields(data, path, RULE_KEYS, RULE_REQUIRED)
        status = fields.get("status")
        short = fields.get("short")
        return LetterRule(
            topic=self.choice(fields["topic"], f"{path}.topic", TOPICS),
            text=self.text(fields["text"], f"{path}.text"),
            source=self.known_source(fields["source"], f"{path}.source", sources),
            as_of=self.as_of(fields["as_of"], f"{path}.as_of"),
            status=None if status is None else self.choice(status, f"{path}.status", RULE_STATUSES),
            short=None if short is None else self.text(short, f"{path}.short"),
        )

    def born(self, data: Any, path: str, sources: dict[str, Source]) -> BornMark:
        """The year of birth on the envelope: only with the source that says to write it."""
        fields = self.fields(data, path, BORN_KEYS, BORN_KEYS)
        return BornMark(
            text=self.per_letter_language(fields["text"], f"{path}.text"),
            source=self.known_source(fields["source"], f"{path}.source", sources),
            as_of=self.as_of(fields["as_of"], f"{path}.as_of"),
        )

    def unit(self, data: Any, path: str) -> dict[str, str]:
        wording = self.per_letter_language(data, path)
        for lang, text in wording.items():
            if UNIT_FIELD not in text:
                raise self.fail(f"{path}.{lang}", f"must say where the unit goes: {UNIT_FIELD}")
        return wording

    def known_source(self, value: Any, path: str, sources: dict[str, Source]) -> Source:
        source_id = self.source_ref(value, path)
        if source_id not in sources:
            known = ", ".join(sources)
            raise self.fail(path, f'unknown source "{source_id}"; sources are: {known}')
        return sources[source_id]

    def per_letter_language(self, data: Any, path: str) -> dict[str, str]:
        """A text in each language a letter may be written in (be and ru), and only those."""
        fields = self.fields(data, path, LETTER_LANGUAGES, LETTER_LANGUAGES)
        return {lang: self.letter_text(fields[lang], f"{path}.{lang}") for lang in LETTER_LANGUAGES}

    def letter_text(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(path, "must be text")
        return value.strip()


def _line_of(lines: Lines, field: str) -> int:
    """The line of ``field``, or of the nearest enclosing field that has one."""
    path: FieldPath = tuple(
        int(index) if index else key for key, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", field)
    )
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path, 1)
