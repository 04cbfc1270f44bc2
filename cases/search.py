"""Name search: find a case from whatever spelling of a name a user types.

A Belarusian name reaches us in Belarusian or Russian Cyrillic, in English
passport style, in Łacinka or Polish with diacritics, in ISO 9 with carons,
or in any of those with the diacritics lost. Every spelling is reduced to a
phonetic Latin *skeleton* per word (``normalise``), so most variants of one
name become the very same string: "Bialiatski", "Bialacki", "Bjaljacki",
"Byalyatski" and "Бяляцкі" are all ``bialacki``. What the folding cannot
reach (Russian vs Belarusian vowels, Vladimir vs Uladzimir) is covered by
the aliases in the data, and what is left (typos) by a small edit distance.

The search must never confidently show the wrong person, so it errs towards
asking: every word of the query must match a distinct word of one case, a
lone word is allowed fewer typos than a word backed by a second one, and a
near tie between cases becomes a choice rather than a guess.
"""

from __future__ import annotations

import bisect
import functools
import gc
import itertools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from cases.spelling import (
    MIN_STEM,
    fold_word,
    is_patronymic,
    normalise,
    strip_ending,
    without_invisible,
)

MIN_LETTERS = 3  # a query needs one word at least this long to be searchable
MAX_QUERY_WORDS = 5  # more words than this are not one name: don't spend fuzzy lookups on it
# Longer than this is not a name at all (a pasted text, a message): answered "too long".
MAX_QUERY_CHARS = 100
MAX_QUERY_WORDS_AT_ALL = 8
MAX_CHOICES = 8  # more buttons than this stop being a choice
MAX_LISTED = 400  # namesakes beyond these are counted, not listed: type more of the name
MAX_SUGGESTIONS = 3
MIN_LONE_SURNAME = 5  # a surname shorter than this is too likely an ordinary word

# Suggestions only need to be near, not right: a looser similarity, a few
# candidate words, and a cap on how many cases one common word may pull in.
SUGGESTION_CUTOFF = 60.0
SUGGESTION_EDITS = 3  # how many insertions and deletions apart a suggestion may be
SUGGESTION_WORDS = 10
SUGGESTION_CASES_PER_WORD = 200
SUGGESTION_MIN_AVERAGE = 50.0
SUGGESTION_MIN_SHARE = 0.6


@dataclass(frozen=True, slots=True)
class SearchResult:
    kind: Literal["match", "choose", "none", "too_short", "too_long"]
    slugs: tuple[str, ...] = ()  # match: 1 slug; choose: 2..8 slugs best first; else ()
    suggestions: tuple[str, ...] = ()  # none: up to 3 nearest slugs; else ()
    # match and choose: the plausible cases, best first, up to MAX_LISTED (a choice
    # between namesakes may hold hundreds), and how many there are in all
    all_slugs: tuple[str, ...] = field(default=(), compare=False)
    total: int = field(default=0, compare=False)


TOO_SHORT = SearchResult("too_short")
TOO_LONG = SearchResult("too_long")

# Words people put around a name: "пра Бяляцкага", "письмо Беляцкому",
# "с Рабковой", "a letter to Loika". Left out when the whole query finds nobody.
_AROUND_A_NAME = """
    пра про о об аб а с со са з зь за для да до к ко ку на у в ў ад от і и й ці или або
    ліст лісты пісьмо пісьма лист письмо письма паштоўка открытка адрас адрес навіны
    новости свабоду свободу вызваліць освободить вызваленне освобождение
    letter letters card write to for about of on with the news free address
    list listy kartka do dla o z ze na wolność uwolnić
"""
# As typed, not folded: folded, "з" would also be the initial Z.
AROUND_A_NAME = frozenset(_AROUND_A_NAME.split())
# Not the full stop: "Z." is an initial, not the Polish "z".
_PUNCTUATION = ",:;!?«»\"'()[]„“”‘’-–—"


def allowed_edits(length: int, corroborated: bool) -> int:
    """Typos tolerated in a word of ``length`` letters.

    A word backed by another matching word of the same case may be a bit
    further off; a lone word may not, because at five letters one edit
    already turns one real name into another (Maryna/Maria, Marfa/Maria).
    """
    if corroborated:
        return 0 if length < 4 else 1 if length < 7 else 2
    return 0 if length < 6 else 1 if length < 10 else 2


def _piece_layout(length: int) -> tuple[tuple[int, int], ...]:
    """How the fuzzy index cuts a word of ``length`` letters: (start, size) pieces.

    A word within k edits of an indexed one keeps at least two of k+2 pieces
    intact, each shifted by at most k (pigeonhole), so pairs of pieces find
    every candidate without comparing against the whole vocabulary. Slavic
    surnames share their endings (-ovich, -enka, -ski), so the ending is one
    piece: a pair made of ending fragments alone would match thousands.
    """
    pieces = allowed_edits(length, corroborated=True) + 2
    tail = min(4, length // 2)
    head = length - tail
    spread, extra = divmod(head, pieces - 1)
    sizes = [spread + (1 if n < extra else 0) for n in range(pieces - 1)]
    starts = list(itertools.accumulate([0, *sizes]))
    return tuple(zip(starts, [*sizes, tail], strict=True))


# A mention in running text: a word, possibly with inner apostrophes.
_TEXT_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
# What may stand between first name and surname: spaces and markdown emphasis.
_NAME_JOINER = re.compile(r"[\s*_~'’ʼ]*")


def _piece_tables(words: list[str]) -> dict[int, list[tuple[int, int, int, int, dict]]]:
    """The fuzzy index: per word length, per pair of pieces, the pieces' letters ->
    the words that have them there."""
    tables: dict[int, list[tuple[int, int, int, int, dict[str, list[str]]]]] = {}
    for word in words:
        length = len(word)
        if allowed_edits(length, corroborated=True) == 0:
            continue
        pairs = tables.get(length)
        if pairs is None:
            pairs = tables[length] = [
                (first, first_size, second, second_size, {})
                for (first, first_size), (second, second_size) in itertools.combinations(
                    _piece_layout(length), 2
                )
            ]
        for first, first_size, second, second_size, table in pairs:
            key = word[first : first + first_size] + word[second : second + second_size]
            found = table.get(key)
            if found is None:
                table[key] = [word]
            else:
                found.append(word)
    return tables


# --- the index -------------------------------------------------------------


class NameIndex:
    """Every case's names as skeleton words, for lookup and for mentions."""

    def __init__(
        self,
        slugs: list[str],
        case_words: list[tuple[str, ...]],
        surnames: list[tuple[str, ...]],
    ) -> None:
        """``case_words[i]``: case i's skeleton words; ``surnames[i]``: those taken for
        its surname (what may name the person alone in a text)."""
        self._slugs = slugs
        self._case_words = case_words
        postings: defaultdict[str, list[int]] = defaultdict(list)
        for case_id, words in enumerate(case_words):
            for word in words:
                postings[word].append(case_id)
        self._postings = dict(postings)
        # Declined forms share a stem: stem -> the indexed words that have it.
        # A stem owned by one case only may name that person alone in a text.
        stems: defaultdict[str, list[str]] = defaultdict(list)
        stem_owner: dict[str, int] = {}  # the one case a stem belongs to, or -1
        stem_of: dict[str, str] = {}
        for word, case_ids in self._postings.items():
            if len(word) < MIN_STEM:
                continue
            stem = stem_of[word] = strip_ending(word)
            stems[stem].append(word)
            # A case lists each of its words once, so one posting is one owner.
            owner = case_ids[0] if len(case_ids) == 1 else -1
            stem_owner[stem] = owner if stem_owner.get(stem, owner) == owner else -1
        self._stems = dict(stems)
        # Sorted words for prefix completion (inline mode: "Bial" as it is typed).
        self._sorted_words = sorted(self._postings)
        self._pairs = _piece_tables(self._sorted_words)
        # People search the same first names and surnames over and over: the
        # words near each are worked out once (per index: new data, new cache).
        self._near_words = functools.lru_cache(maxsize=4096)(self._near_words_uncached)
        # And the cases those words reach: a common first name reaches a tenth
        # of a caseload, too many to gather again for every query. Few words
        # reach that many, so a small cache holds them all.
        self._layers = functools.lru_cache(maxsize=256)(self._layers_uncached)
        self._word_suggestions = functools.lru_cache(maxsize=1024)(self._word_suggestions_uncached)
        # Surnames that name one person only may stand alone in a text, as
        # written or declined. Unique means unique once declension is taken
        # away too: Russian "Петрова" is both Anna Petrova and Ivan Petrov's
        # genitive.
        self._lone_words: dict[str, int] = {}
        self._lone_stems: dict[str, int] = {}
        # (A word shorter than MIN_STEM is its own stem.)
        self._surname_stems = {stem_of.get(word, word) for words in surnames for word in words}
        for case_id, words in enumerate(surnames):
            for word in words:
                if len(word) < MIN_LONE_SURNAME:
                    continue
                stem = stem_of[word]
                if stem_owner.get(stem) == case_id:
                    self._lone_stems[stem] = case_id
                    if len(self._postings[word]) == 1:
                        self._lone_words[word] = case_id

    @classmethod
    def build(cls, entries: Iterable[tuple[str, Iterable[str]]]) -> NameIndex:
        """Index ``(slug, every spelling of the name)`` pairs; a repeated slug adds names."""
        # Millions of small objects that all live on: the cyclic garbage
        # collector would walk them over and over (a third of the build) and
        # find nothing to free.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return cls._build(entries)
        finally:
            if collecting:
                gc.enable()

    @classmethod
    def _build(cls, entries: Iterable[tuple[str, Iterable[str]]]) -> NameIndex:
        names_by_slug: dict[str, list[str]] = {}
        for slug, names in entries:
            names_by_slug.setdefault(slug, []).extend(names)
        # A caseload repeats first names, surnames and patronymics thousands of
        # times: each written word is folded once for the whole build.
        folded: dict[str, tuple[str, ...]] = {}
        fold = folded.get
        case_words: list[tuple[str, ...]] = []
        surnames: list[tuple[str, ...]] = []
        for names in names_by_slug.values():
            words: list[str] = []
            votes: dict[str, int] = {}
            for name in names:
                skeletons: list[str] = []
                for chunk in name.split():
                    found = fold(chunk)
                    if found is None:
                        found = folded[chunk] = fold_word(chunk)
                    skeletons += found
                words += skeletons
                # Names are mostly written "First Last"; a word that ends names
                # more often than it starts them is taken for the surname.
                if len(skeletons) >= 2:
                    votes[skeletons[-1]] = votes.get(skeletons[-1], 0) + 1
                    votes[skeletons[0]] = votes.get(skeletons[0], 0) - 1
            case_words.append(tuple(dict.fromkeys(words)))
            surnames.append(tuple(w for w, vote in votes.items() if vote > 0))
        return cls(list(names_by_slug), case_words, surnames)

    def __len__(self) -> int:
        return len(self._slugs)

    # --- completion ---

    def complete(self, query: str, limit: int = 10) -> list[str]:
        """Slugs whose names start with what is typed so far, best guesses first.

        Every typed word must begin a word of the same person's names; when
        nothing begins that way, the typo-tolerant lookup's answer is used.
        """
        words = [word for word in dict.fromkeys(normalise(query)) if word]
        if not words or max(map(len, words)) < MIN_LETTERS:
            return []
        matching: set[int] | None = None
        for word in words:
            start = bisect.bisect_left(self._sorted_words, word)
            cases: set[int] = set()
            for indexed in itertools.islice(self._sorted_words, start, None):
                if not indexed.startswith(word):
                    break
                cases.update(self._postings[indexed])
            matching = cases if matching is None else matching & cases
            if not matching:
                break
        if matching:
            return [self._slugs[case_id] for case_id in sorted(matching)[:limit]]
        result = self.lookup(query)
        return list(result.slugs or result.suggestions)[:limit]

    # --- lookup ---

    def lookup(self, query: str) -> SearchResult:
        """The case(s) a typed name means: a match, a choice, nothing, too short or long."""
        query = without_invisible(query)
        if len(query) > MAX_QUERY_CHARS:
            return TOO_LONG
        words = list(dict.fromkeys(normalise(query)))
        if len(words) > MAX_QUERY_WORDS_AT_ALL:
            return TOO_LONG
        result = self._lookup_words(words)
        if result.kind == "none":
            # "пра Бяляцкага", "Бяляцкі Алесь Віктаравіч": the words around a
            # name, and a father's name the data does not hold, are left out,
            # as long as what is left is still a name and not a lone first name.
            chunks = query.split()
            kept_text = " ".join(
                c for c in chunks if c.casefold().strip(_PUNCTUATION) not in AROUND_A_NAME
            )
            kept = list(dict.fromkeys(normalise(kept_text)))
            unknown_patronymics = [w for w in kept if self._unknown_patronymic(w)]
            kept = [w for w in kept if w not in unknown_patronymics]
            if len(kept) < len(words) and self._still_a_name(kept):
                retried = self._lookup_words(
                    kept, known_patronymics_differ=bool(unknown_patronymics)
                )
                if retried.kind in ("match", "choose"):
                    return retried
        return result

    def _unknown_patronymic(self, word: str) -> bool:
        """A father's name that no case holds, not even as a near spelling."""
        return is_patronymic(word) and not self._near_words(word, True)

    def _still_a_name(self, words: list[str]) -> bool:
        full = [w for w in words if len(w) >= MIN_LETTERS]
        if len(full) >= 2:
            return True
        # One word: only a surname may stand alone (as in a text's mentions).
        return len(full) == 1 and strip_ending(full[0]) in self._surname_stems

    def _lookup_words(
        self, words: list[str], known_patronymics_differ: bool = False
    ) -> SearchResult:
        full = [w for w in words if len(w) >= MIN_LETTERS]
        if not full:
            return TOO_SHORT
        if len(words) > MAX_QUERY_WORDS:
            return self._not_found(full)
        initials = [w for w in words if len(w) < MIN_LETTERS]
        corroborated = len(full) >= 2

        nears = []
        for word in full:
            near = self._near_words(word, corroborated)
            if not near:  # a word that matches nothing ends the search at once
                return self._not_found(full)
            nears.append(near)
        layers = [self._layers(word, corroborated) for word in full]
        by_cost = self._costs(nears, layers, initials)
        if known_patronymics_differ:
            # The father's name typed was left out: a case whose own is known
            # (and so differs) is someone else.
            for cost, case_ids in list(by_cost.items()):
                by_cost[cost] = {c for c in case_ids if not self._has_other_patronymic(c, nears)}
                if not by_cost[cost]:
                    del by_cost[cost]
        if not by_cost:
            return self._not_found(full)
        best_cost = min(by_cost)
        # One edit apart is too close to call (Petrov/Petrova, a typo either way).
        best, near_best = by_cost[best_cost], by_cost.get(best_cost + 1, set())
        total = len(best) + len(near_best)
        plausible = sorted(best)[:MAX_LISTED]
        if len(plausible) < MAX_LISTED:
            plausible += sorted(near_best)[: MAX_LISTED - len(plausible)]
        slugs = tuple(map(self._slugs.__getitem__, plausible))
        if total == 1:
            return SearchResult("match", slugs, all_slugs=slugs, total=1)
        return SearchResult("choose", slugs[:MAX_CHOICES], all_slugs=slugs, total=total)

    def _has_other_patronymic(self, case_id: int, nears: list[dict[str, int]]) -> bool:
        return any(
            is_patronymic(word) and not any(word in near for near in nears)
            for word in self._case_words[case_id]
        )

    def _layers_uncached(self, word: str, corroborated: bool) -> dict[int, frozenset[int]]:
        """Distance -> the cases one of the word's near spellings reaches (read only)."""
        by_distance: dict[int, set[int]] = {}
        for indexed, distance in self._near_words(word, corroborated).items():
            by_distance.setdefault(distance, set()).update(self._postings[indexed])
        return {distance: frozenset(cases) for distance, cases in by_distance.items()}

    def _costs(
        self,
        nears: list[dict[str, int]],
        layers: list[dict[int, frozenset[int]]],
        initials: list[str],
    ) -> dict[int, set[int]]:
        """Cost -> cases, for the cases within one edit of the best. A case's cost is the
        least total distance that pairs each query word with a distinct word of the
        case (and fits the initials).

        A case's cost is at least the sum of each word's nearest distance, so
        cases are visited by that sum, cheapest first, and the search stops
        one past the best cost found: among thousands of namesakes only the
        few that can still be plausible are scored one by one.
        """
        # One word and no initials: nothing to pair up, a case costs its distance.
        trivial = len(nears) == 1 and not initials
        by_cost: dict[int, set[int]] = {}
        seen: set[int] = set()
        for budget in range(sum(max(layer) for layer in layers) + 1):
            if by_cost and budget > min(by_cost) + 1:
                break
            for distances in itertools.product(*(sorted(layer) for layer in layers)):
                if sum(distances) != budget:
                    continue
                reached = sorted(
                    (layer[d] for layer, d in zip(layers, distances, strict=True)), key=len
                )
                found = reached[0].intersection(*reached[1:]) - seen
                if not found:
                    continue
                seen |= found
                if trivial or (budget == 0 and not initials):
                    # Every (distinct) query word is a word of the case as written.
                    by_cost.setdefault(budget, set()).update(found)
                    continue
                for case_id in found:
                    case_words = self._case_words[case_id]
                    options = [[(w, near[w]) for w in case_words if w in near] for near in nears]
                    cost = self._best_assignment(options, initials, case_id)
                    if cost is not None:
                        by_cost.setdefault(cost, set()).add(case_id)
        return by_cost

    def _near_words_uncached(self, word: str, corroborated: bool) -> dict[str, int]:
        """Indexed words ``word`` may stand for, with their edit distances (read only).

        A declined form ("Бяляцкага", "Рабковой") stands for the name it is
        declined from, one step away: the same stem once the ending is off.
        """
        near = {word: 0} if word in self._postings else {}
        widest = allowed_edits(len(word), corroborated)
        for length in range(len(word) - widest, len(word) + widest + 1):
            # The shorter word sets the tolerance: "ales" may not reach "alesia".
            edits = allowed_edits(min(len(word), length), corroborated)
            if not edits:
                continue
            candidates = self._piece_candidates(word, length, edits)
            found = process.extract(
                word, candidates, scorer=Levenshtein.distance, score_cutoff=edits, limit=None
            )
            near.update((indexed, distance) for indexed, distance, _ in found if distance)
        if len(word) >= MIN_STEM:
            for indexed in self._stems.get(strip_ending(word), ()):
                if indexed != word:
                    near[indexed] = min(near.get(indexed, 1), 1)
        return near

    def _piece_candidates(self, word: str, length: int, edits: int) -> list[str]:
        """Indexed words of ``length`` letters sharing two pieces with ``word``.

        An intact piece moves by the insertions minus the deletions before
        it, and the length difference fixes how many of the ``edits`` can be
        of each kind, so the shifts worth trying are few.
        """
        longer = len(word) - length
        lowest_shift, highest_shift = -((edits - longer) // 2), (edits + longer) // 2
        found: list[str] = []
        for first, first_size, second, second_size, table in self._pairs.get(length, ()):
            first_from = max(0, first + lowest_shift)
            first_to = min(first + highest_shift, len(word) - first_size - second_size)
            for first_at in range(first_from, first_to + 1):
                piece = word[first_at : first_at + first_size]
                second_from = max(first_at + first_size, second + lowest_shift)
                second_to = min(second + highest_shift, len(word) - second_size)
                for second_at in range(second_from, second_to + 1):
                    hit = table.get(piece + word[second_at : second_at + second_size])
                    if hit:
                        found += hit
        return list(set(found))

    def _best_assignment(
        self, options: list[list[tuple[str, int]]], initials: list[str], case_id: int
    ) -> int | None:
        """Least total distance pairing each query word with a distinct word of the case."""
        best = None
        for choice in itertools.product(*options):
            used = {indexed for indexed, _ in choice}
            if len(used) < len(choice):
                continue
            cost = sum(distance for _, distance in choice)
            if best is not None and cost >= best:
                continue
            if self._initials_fit(initials, used, case_id):
                best = cost
        return best

    def _initials_fit(self, initials: list[str], used: set[str], case_id: int) -> bool:
        free = [word for word in self._case_words[case_id] if word not in used]
        for initial in initials:
            word = next((w for w in free if w.startswith(initial)), None)
            if word is None:
                return False
            free.remove(word)
        return True

    def _not_found(self, words: list[str]) -> SearchResult:
        return SearchResult("none", suggestions=self._nearest(words[:MAX_QUERY_WORDS]))

    def _nearest(self, words: list[str]) -> tuple[str, ...]:
        """Cases whose words are most like the query's, however loosely."""
        totals: dict[int, float] = defaultdict(float)
        for word in words:
            for case_id, score in self._word_suggestions(word).items():
                totals[case_id] += score
        ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
        if not ranked:
            return ()
        # Half the query resembling a name is the least worth showing, and a
        # clearly better suggestion makes the weak ones noise.
        floor = max(SUGGESTION_MIN_AVERAGE * len(words), ranked[0][1] * SUGGESTION_MIN_SHARE)
        return tuple(
            self._slugs[case_id] for case_id, total in ranked[:MAX_SUGGESTIONS] if total >= floor
        )

    def _word_suggestions_uncached(self, word: str) -> dict[int, float]:
        """Cases with a word loosely like ``word``: case -> the best likeness (read only)."""
        candidates = {word} if word in self._postings else set()
        for length in range(len(word) - SUGGESTION_EDITS, len(word) + SUGGESTION_EDITS + 1):
            candidates.update(self._piece_candidates(word, length, SUGGESTION_EDITS))
        near = process.extract(
            word,
            list(candidates),
            scorer=fuzz.ratio,
            score_cutoff=SUGGESTION_CUTOFF,
            limit=SUGGESTION_WORDS,
        )
        best: dict[int, float] = {}
        for indexed, score, _ in near:
            for case_id in self._postings[indexed][:SUGGESTION_CASES_PER_WORD]:
                best[case_id] = max(best.get(case_id, 0.0), score)
        return best

    # --- mentions in text ---

    def find_mentions(self, text: str) -> list[str]:
        """Slugs of the people a text names, in order of first mention.

        A mention is a full name (two adjacent words of one case, any
        spelling, declined or not) or a capitalised surname that only one
        case has and that is at least five letters long. First names alone
        never count: too many people share them.
        """
        # Decomposed accents would split words: letters and marks are one word.
        text = unicodedata.normalize("NFC", text)
        words = []
        for found in _TEXT_WORD.finditer(text):
            raw = _POSSESSIVE.sub("", found.group())
            skeleton = "".join(normalise(raw))
            # Most words of a text are in no name at all: find out cheaply once.
            named = skeleton in self._postings or strip_ending(skeleton) in self._stems
            words.append((found.start(), found.end(), raw, skeleton, named))

        first_seen: dict[int, int] = {}
        for position, (start, end, raw, skeleton, named) in enumerate(words):
            if not named:
                continue
            if position + 1 < len(words):
                next_start, _, _, next_skeleton, next_named = words[position + 1]
                if next_named and _NAME_JOINER.fullmatch(text, end, next_start):
                    case_id = self._full_name_case(skeleton, next_skeleton)
                    if case_id is not None:
                        first_seen.setdefault(case_id, start)
            if raw[:1].isupper():
                case_id = self._lone_words.get(skeleton)
                stem = strip_ending(skeleton)
                if case_id is None and stem != skeleton:
                    case_id = self._lone_stems.get(stem)
                if case_id is not None:
                    first_seen.setdefault(case_id, start)
        ordered = sorted(first_seen, key=first_seen.__getitem__)
        return [self._slugs[case_id] for case_id in ordered]

    def _full_name_case(self, first: str, second: str) -> int | None:
        """The one case two adjacent words name together, if exactly one."""
        for declined in (False, True):
            first_hits = self._mention_hits(first, declined)
            second_hits = self._mention_hits(second, declined)
            cases = [
                case_id
                for case_id in first_hits.keys() & second_hits.keys()
                if len(first_hits[case_id] | second_hits[case_id]) >= 2
            ]
            if cases:
                # Two people with the same name: a text can't tell us which.
                return cases[0] if len(cases) == 1 else None
        return None

    def _mention_hits(self, skeleton: str, declined: bool) -> dict[int, set[str]]:
        hits = {case_id: {skeleton} for case_id in self._postings.get(skeleton, ())}
        if declined and len(skeleton) >= MIN_STEM:
            for word in self._stems.get(strip_ending(skeleton), ()):
                for case_id in self._postings[word]:
                    hits.setdefault(case_id, set()).add(word)
        return hits
