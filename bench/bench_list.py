"""/list's cost at 1,200, 10,000 and 100,000 cases: a view's first sort, and a page.

Run by hand from the repository root: ``.venv/bin/python bench/bench_list.py``
(``--sizes 1200,10000`` to pick sizes). The people come from
``bench/caseload.py``. A view (a filter, an order, a language) is sorted once
and kept; the first one of a language also finds every name's surname (by its
aliases and the name index's votes). A page then costs the namesakes of its
eight people, found beside them in the order by surname. Printed: the first
view by surname of everyone, the held, longest held first, and the namesakes of
one page, in en and be.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.caseload import generate, place_records
from cases.catalogue import Catalogue, ListQuery

TODAY = date(2026, 12, 1)


def _ms(run, *args) -> tuple[float, object]:
    start = time.perf_counter()
    result = run(*args)
    return (time.perf_counter() - start) * 1000, result


def measure(count: int, repeats: int) -> None:
    """The best of ``repeats`` runs, each on a catalogue of its own (a first view is
    a first view once): a busy machine only ever adds."""
    cases = generate(count, today=TODAY)
    best: dict[str, float] = {}
    found: dict[str, int] = {}
    for _ in range(repeats):
        built, catalogue = _ms(Catalogue, cases, place_records())
        times = {"built": built}
        for lang in ("en", "be"):
            times[lang, "everyone"], listed = _ms(catalogue.listing, ListQuery(), lang, TODAY)
            times[lang, "held"], _ = _ms(catalogue.listing, ListQuery(status="held"), lang, TODAY)
            times[lang, "by days"], _ = _ms(
                catalogue.listing, ListQuery(sort="detained"), lang, TODAY
            )
            page = listed[len(listed) // 2 : len(listed) // 2 + 8]
            times[lang, "namesakes"], namesakes = _ms(catalogue.namesakes, ListQuery(), lang, page)
            found[lang] = len(namesakes)
        best = {key: min(value, best.get(key, value)) for key, value in times.items()}
    print(f"{count:,} cases: catalogue built in {best['built']:.0f} ms")
    for lang in ("en", "be"):
        print(
            f"  {lang}: everyone by surname {best[lang, 'everyone']:.0f} ms (the language's"
            f" first view), the held {best[lang, 'held']:.0f} ms, longest held first"
            f" {best[lang, 'by days']:.0f} ms; a page's namesakes"
            f" {best[lang, 'namesakes']:.2f} ms ({found[lang]} people)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1200,10000,100000")
    parser.add_argument("--repeats", type=int, default=3)
    arguments = parser.parse_args()
    for count in map(int, arguments.sizes.split(",")):
        measure(count, arguments.repeats)


if __name__ == "__main__":
    main()
