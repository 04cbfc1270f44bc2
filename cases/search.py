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
import itertools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from cases.spelling import MIN_STEM, normalise, strip_ending

MIN_LETTERS = 3  # a query needs one word at least this long to be searchable
MAX_QUERY_WORDS = 5  # longer input is not a name; don't spend fuzzy lookups on it
MAX_CHOICES = 8  # more buttons than this stop being a choice
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
    kind: Literal["match", "choose", "none", "too_short"]
    slugs: tuple[str, ...] = ()  # match: 1 slug; choose: 2..8 slugs best first; else ()
    suggestions: tuple[str, ...] = ()  # none: up to 3 nearest slugs; else ()


TOO_SHORT = SearchResult("too_short")


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


# --- the index -------------------------------------------------------------


class NameIndex:
    """Every case's names as skeleton words, for lookup and for mentions."""

    def __init__(
        self,
        slugs: list[str],
        case_words: list[tuple[str, ...]],
        surname_votes: list[dict[str, int]],
    ) -> None:
        self._slugs = slugs
        self._case_words = case_words
        postings: defaultdict[str, list[int]] = defaultdict(list)
        stems: defaultdict[str, list[tuple[int, str]]] = defaultdict(list)
        for case_id, words in enumerate(case_words):
            for word in words:
                postings[word].append(case_id)
                if len(word) >= MIN_STEM:
                    stems[strip_ending(word)].append((case_id, word))
        self._postings = dict(postings)
        self._stems = dict(stems)
        # Sorted words for prefix completion (inline mode: "Bial" as it is typed).
        self._sorted_words = sorted(self._postings)
        # The fuzzy index: per word length, per pair of pieces, the pieces'
        # letters -> the words that have them there.
        self._pairs: dict[int, list[tuple[int, int, int, int, dict[str, list[str]]]]] = {}
        for word in self._postings:
            if allowed_edits(len(word), corroborated=True) == 0:
                continue
            if len(word) not in self._pairs:
                layout = _piece_layout(len(word))
                self._pairs[len(word)] = [
                    (first, first_size, second, second_size, {})
                    for (first, first_size), (second, second_size) in itertools.combinations(
                        layout, 2
                    )
                ]
            for first, first_size, second, second_size, table in self._pairs[len(word)]:
                key = word[first : first + first_size] + word[second : second + second_size]
                table.setdefault(key, []).append(word)
        # Surnames that name one person only may stand alone in a text, as
        # written or declined. Unique means unique once declension is taken
        # away too: Russian "Петрова" is both Anna Petrova and Ivan Petrov's
        # genitive.
        self._lone_words: dict[str, int] = {}
        self._lone_stems: dict[str, int] = {}
        for case_id, votes in enumerate(surname_votes):
            for word, vote in votes.items():
                if vote <= 0 or len(word) < MIN_LONE_SURNAME:
                    continue
                stem = strip_ending(word)
                if {other for other, _ in self._stems[stem]} == {case_id}:
                    self._lone_stems[stem] = case_id
                    if len(self._postings[word]) == 1:
                        self._lone_words[word] = case_id

    @classmethod
    def build(cls, entries: Iterable[tuple[str, Iterable[str]]]) -> NameIndex:
        """Index ``(slug, every spelling of the name)`` pairs; a repeated slug adds names."""
        slug_ids: dict[str, int] = {}
        words: list[dict[str, None]] = []  # an ordered set per case
        votes: list[defaultdict[str, int]] = []
        for slug, names in entries:
            case_id = slug_ids.setdefault(slug, len(slug_ids))
            if case_id == len(words):
                words.append({})
                votes.append(defaultdict(int))
            for name in names:
                skeletons = normalise(name)
                words[case_id].update(dict.fromkeys(skeletons))
                # Names are mostly written "First Last"; a word that ends names
                # more often than it starts them is taken for the surname.
                if len(skeletons) >= 2:
                    votes[case_id][skeletons[-1]] += 1
                    votes[case_id][skeletons[0]] -= 1
        return cls(list(slug_ids), [tuple(w) for w in words], [dict(v) for v in votes])

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
        """The case(s) a typed name means: a match, a choice, nothing or too short."""
        words = list(dict.fromkeys(normalise(query)))
        full = [w for w in words if len(w) >= MIN_LETTERS]
        if not full:
            return TOO_SHORT
        if len(words) > MAX_QUERY_WORDS:
            return self._not_found(full)
        initials = [w for w in words if len(w) < MIN_LETTERS]
        corroborated = len(full) >= 2

        # Every word must match the same case, so only the rarest word is
        # looked up in the whole index and the others are checked against the
        # cases it reaches. A misspelt or unknown word counts as rarest: it
        # reaches few cases, or none and ends the search at once.
        seed, *others = sorted(full, key=lambda w: (len(self._postings.get(w, ())), -len(w)))
        near = self._near_words(seed, corroborated)
        if not near:
            return self._not_found(full)
        scored = []
        if not others and not initials:
            best: dict[int, int] = {}
            for indexed, distance in sorted(near.items(), key=lambda item: item[1]):
                for case_id in self._postings[indexed]:
                    best.setdefault(case_id, distance)
            scored = [(cost, case_id) for case_id, cost in best.items()]
        else:
            candidates: set[int] = set()
            for indexed in near:
                candidates.update(self._postings[indexed])
            known: list[dict[str, int]] = [near] + [{} for _ in others]
            for case_id in candidates:
                options = []
                for position, word in enumerate([seed, *others]):
                    fits = []
                    for indexed in self._case_words[case_id]:
                        distance = known[position].get(indexed)
                        if distance is None and position:
                            distance = self._distance(word, indexed, corroborated)
                            known[position][indexed] = distance
                        if distance is not None and distance >= 0:
                            fits.append((indexed, distance))
                    if not fits:
                        break
                    options.append(fits)
                else:
                    cost = self._best_assignment(options, initials, case_id)
                    if cost is not None:
                        scored.append((cost, case_id))
        if not scored:
            return self._not_found(full)
        scored.sort()
        best_cost = scored[0][0]
        # One edit apart is too close to call (Petrov/Petrova, a typo either way).
        plausible = [self._slugs[case_id] for cost, case_id in scored if cost <= best_cost + 1]
        if len(plausible) == 1:
            return SearchResult("match", (plausible[0],))
        return SearchResult("choose", tuple(plausible[:MAX_CHOICES]))

    def _near_words(self, word: str, corroborated: bool) -> dict[str, int]:
        """Indexed words ``word`` may stand for, with their edit distances."""
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
        return near

    @staticmethod
    def _distance(word: str, indexed: str, corroborated: bool) -> int:
        """Edit distance if within tolerance, else -1."""
        edits = allowed_edits(min(len(word), len(indexed)), corroborated)
        distance = Levenshtein.distance(word, indexed, score_cutoff=edits)
        return distance if distance <= edits else -1

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
            for case_id, score in best.items():
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
            for case_id, word in self._stems.get(strip_ending(skeleton), ()):
                hits.setdefault(case_id, set()).add(word)
        return hits
