"""The charges column: articles of the Criminal Code as the case format writes them.

"ч. 2 ст. 342 УК", "Part 2 of Art. 342 of the Criminal Code", "Art. 342 part
2", "арт. 342 ч. 2" all become ``342.2`` (article 342, part 2), as
``sentence.articles`` in docs/case-format.md; "ст. 361-1" is ``361-1``.
Several charges may be separated by ";", "," or line breaks. A charge writes
its parts either before its articles ("ч. 2 ст. 342") or after them
("арт. 342 ч. 2"); whichever comes first in the charge (a line, or what lies
between semicolons) says which.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from sync.cells import CACHE
from sync.words import fold

_TOKEN = re.compile(
    r"(?<![^\W\d_])(?:"
    r"(?P<part>ч|часть|части|частка|часткі|part|pt)\.?\s*(?P<part_no>\d+)"
    r"|(?P<article>ст|статья|статьи|арт|артыкул|артыкула|art|article|arts)\.?\s*"
    r"(?P<article_no>\d+(?:\s*[-–—‑]\s*\d+)?(?:\.\d+)?)"
    r")(?!\d)"
)
# Charges are separated by ";" or line breaks; "," may part "ч. 1, 2 ст. 342" too.
_CHARGES = re.compile(r"[;\n]")
_DASHES = str.maketrans({"–": "-", "—": "-", "‑": "-", " ": None})


@dataclass(frozen=True, slots=True)
class ArticlesCell:
    """The charges as written, and the articles found in them ("342.2", "361-1")."""

    text: str
    codes: tuple[str, ...]


@lru_cache(maxsize=CACHE)
def articles_cell(text: str) -> ArticlesCell | None:
    written = text.strip()
    if not written:
        return None
    codes: list[str] = []
    for charge in _CHARGES.split(written):
        codes += _codes(fold(charge))
    return ArticlesCell(written, tuple(dict.fromkeys(codes)))


def _codes(charge: str) -> list[str]:
    """The articles of one charge (or of several written alike, separated by commas)."""
    tokens = [
        ("part", match["part_no"]) if match["part"] else ("article", match["article_no"])
        for match in _TOKEN.finditer(charge)
    ]
    parts_first = bool(tokens) and tokens[0][0] == "part"
    codes: list[str] = []
    parts: list[str] = []
    article: str | None = None
    for kind, number in tokens:
        if kind == "part":
            parts.append(number)
        elif parts_first:  # "ч. 2 ст. 342": the parts read so far are this article's
            codes += [_code(number, part) for part in parts or [None]]
            parts = []
        else:  # "арт. 342 ч. 2": the parts that follow are this article's
            if article is not None:
                codes += [_code(article, part) for part in parts or [None]]
            article, parts = number, []
    if article is not None:
        codes += [_code(article, part) for part in parts or [None]]
    return codes


def _code(article: str, part: str | None) -> str:
    article = article.translate(_DASHES)
    if part is None or "." in article:
        return article
    return f"{article}.{part}"
