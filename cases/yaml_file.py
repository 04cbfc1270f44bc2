"""Cases files in YAML: read with a line for every field, written the way docs show them.

Reading walks libyaml's events (PyYAML's C parser, when built with it) and
builds the data and its line map in one pass, without PyYAML's node tree:
that tree holds two position marks per value and made a 10 MB file cost
gigabytes and seconds. Aliases (``*name``) are refused, which is what keeps a
few hundred hostile bytes ("billion laughs") from expanding into gigabytes;
so is nesting far deeper than a case needs.
"""

from __future__ import annotations

import re
from typing import Any, TextIO

import yaml

from cases.file_lines import FieldPath, Lines, file_error, relative

# A case nests five levels deep (cases > case > events > event > text): a file
# that nests far deeper is not a cases file.
MAX_DEPTH = 16
STR_TAG = "tag:yaml.org,2002:str"
_PLAIN_VALUES = {  # what a plain scalar becomes, by its resolved tag
    STR_TAG: str,
    "tag:yaml.org,2002:int": int,
    "tag:yaml.org,2002:bool": lambda value: value == "true",
    "tag:yaml.org,2002:null": lambda value: None,
}
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(text: str, name: str) -> tuple[Any, Lines]:
    """The document in ``text`` and the line of each field; CaseFormatError if it is not
    YAML, uses an alias, or nests too deeply."""
    loader = _Loader(text)
    try:
        return _EventReader(loader, name).document()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 1
        problem = err.problem or err.context or "syntax error"
        raise file_error(name, line, f"not valid YAML: {problem}") from None
    except yaml.reader.ReaderError as err:
        line = text.count("\n", 0, err.position) + 1
        message = f"not valid YAML: character {err.character!r} is not allowed"
        raise file_error(name, line, message) from None
    except yaml.YAMLError as err:  # libyaml's own errors may carry no mark
        raise file_error(name, 1, f"not valid YAML: {err}") from None
    finally:
        loader.dispose()


def write_yaml(records: Any, stream: TextIO) -> None:
    yaml.dump(records, stream, Dumper=_Dumper, allow_unicode=True, sort_keys=False)


class _EventReader:
    """Builds one document from parser events, recording each field's line."""

    def __init__(self, loader: _Loader, name: str) -> None:
        self.loader = loader
        self.name = name
        self.lines: Lines = {}

    def document(self) -> tuple[Any, Lines]:
        self.loader.get_event()  # the stream starts
        if self.loader.check_event(yaml.StreamEndEvent):
            return None, {}
        self.loader.get_event()  # the document starts
        data = self.value((), 0)
        self.loader.get_event()  # the document ends
        if not self.loader.check_event(yaml.StreamEndEvent):
            line = self.loader.peek_event().start_mark.line + 1
            raise file_error(self.name, line, "not valid YAML: expected a single document")
        return data, self.lines

    def value(self, path: FieldPath, depth: int) -> Any:
        """The value the next event starts; ``path``'s line is recorded by the caller."""
        event = self.loader.get_event()
        line = event.start_mark.line + 1
        self.lines.setdefault(path, line)
        if isinstance(event, yaml.AliasEvent):
            raise file_error(
                self.name, line, "uses an alias (*name): write the value out", relative(path)
            )
        if depth > MAX_DEPTH:
            raise file_error(self.name, line, "is nested too deeply to be a cases file")
        if isinstance(event, yaml.ScalarEvent):
            return self.scalar(event)
        if isinstance(event, yaml.SequenceStartEvent):
            items = []
            while not self.loader.check_event(yaml.SequenceEndEvent):
                child = (*path, len(items))
                self.lines[child] = self.loader.peek_event().start_mark.line + 1
                items.append(self.value(child, depth + 1))
            self.loader.get_event()
            return items
        if isinstance(event, yaml.MappingStartEvent):
            return self.mapping(path, depth)
        raise file_error(self.name, line, "not valid YAML: unexpected content")

    def mapping(self, path: FieldPath, depth: int) -> dict[Any, Any]:
        mapping: dict[Any, Any] = {}
        while not self.loader.check_event(yaml.MappingEndEvent):
            key_event = self.loader.get_event()
            line = key_event.start_mark.line + 1
            if not isinstance(key_event, yaml.ScalarEvent):
                raise file_error(self.name, line, "a key must be plain text", relative(path))
            key = self.scalar(key_event)
            child = (*path, key_event.value)
            if child in self.lines:
                raise file_error(self.name, line, "duplicate key", relative(child))
            self.lines[child] = line
            mapping[key] = self.value(child, depth + 1)
        self.loader.get_event()
        return mapping

    def scalar(self, event: yaml.ScalarEvent) -> Any:
        plain, _quoted = event.implicit
        if event.tag in (None, "!") and not plain:
            return event.value  # quoted, or a block: text
        if event.tag == STR_TAG:
            return event.value
        tag = _plain_tag(event.value) if event.tag is None else event.tag
        convert = _PLAIN_VALUES.get(tag) if event.tag is None else None
        if convert is not None:
            try:
                return convert(event.value)
            except ValueError as err:
                line = event.start_mark.line + 1
                raise file_error(self.name, line, f"cannot read this value: {err}") from None
        # Floats and explicit tags (!!timestamp, !!binary ...): PyYAML's own rules.
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        return self.loader.construct_object(node)


def _plain_tag(value: str) -> str:
    """The tag of an untagged plain scalar, by the loader's rules (what PyYAML's
    resolver does, without its per-call overhead)."""
    for tag, pattern in _Loader.yaml_implicit_resolvers.get(value[:1], ()):
        if pattern.match(value):
            return tag
    return STR_TAG


class _Loader(_BaseLoader):
    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, OverflowError) as err:
            # Explicit tags (!!int ten, !!timestamp 2021-02-30) fail in Python, not in YAML;
            # report them with their line like any other YAML error.
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read this value: {err}", node.start_mark
            ) from None


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # anchors and *aliases would make an export hard to edit by hand

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # indent lists under their key, as the doc does


def _use_plain_scalars(cls: type) -> None:
    """Resolve plain scalars like YAML 1.2: only true/false are booleans, no dates.

    PyYAML's YAML 1.1 reads ``on:`` (an event's key) as True, 010 as 8 and
    2021-02-30 as a crash; here they stay text for the codec to judge. Loader
    and dumper share the rules, so the dumper quotes exactly what needs quotes.
    """
    kept = ("tag:yaml.org,2002:float", "tag:yaml.org,2002:null")
    cls.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag in kept]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    cls.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))
    cls.add_implicit_resolver(
        "tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789")
    )


_use_plain_scalars(_Loader)
_use_plain_scalars(_Dumper)
_Loader.add_constructor(
    "tag:yaml.org,2002:int", lambda loader, node: int(loader.construct_scalar(node))
)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Literal blocks keep multi-line texts readable; PyYAML falls back to quotes if it must.
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)
