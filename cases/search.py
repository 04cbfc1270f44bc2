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
near tie between cases becomes a choice rather than a guess. A card opens
only when first name, surname and gender all fit one person
(``cases.genders``): a woman's form of a man's name (his wife's, his
sister's) is not his, nor the reverse; a form that may be someone else's
("Рабкова", his genitive and her nominative), another first name ("Марта"
for "Марфа") or a word two slips off the person's is a choice at best.
"""

from __future__ import annotations

import bisect
import functools
import gc
import itertools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from cases.genders import (
    BOTH,
    CLEAN,
    FEMALE,
    MALE,
    MAX_SLIPS,
    REFUSED,
    UNKNOWN,
    UNSURE,
    gender_code,
    is_first_name,
    lemma,
    reading,
    slips,
    verdict,
    word_gender,
)
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
# A name left unfinished ("Rabko", "Stef", "Ulad") finds the people it begins,
# from this many letters on (as folded): "Ale" begins too many names to be a search.
MIN_PREFIX = 4
# A skeleton's last letter may be half of a spelling still being typed: "Bialiat"
# folds to "bialat", but "Bialiatski" to "bialacki" (ts is c); kh, sh, zh, ch, ph alike.
_HALF_A_DIGRAPH = frozenset("tcszkp")

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
    # The plausible cases the query may not mean: a form of another gender or
    # another name, two slips off, or a name it only begins. Never opened
    # directly: a choice at best.
    # choose: those of all_slugs; none: one case, also first in suggestions.
    unsure: tuple[str, ...] = field(default=(), compare=False)
    # A birth year or region typed with the name that none of the people found
    # fits (cases.catalogue): they are the people the name alone finds.
    unmet: Unmet | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Unmet:
    """What a query asked besides a name that nobody it names fits ("Kavaliou Homel")."""

    name: str  # the name, as typed without the year and region
    year: int | None = None
    regions: tuple[str, ...] = ()  # keys of cases.regions.REGIONS


TOO_SHORT = SearchResult("too_short")
TOO_LONG = SearchResult("too_long")

# Words people put around a name: "пра Бяляцкага", "письмо Беляцкому",
# "с Рабковой", "a letter to Loika", and the words of a question: "where is
# Bialiatski", "Где сейчас Беляцкий", "Дзе зараз Бяляцкі?", "co z Łojką".
# Left out when the whole query finds nobody.
_AROUND_A_NAME = """
    пра про о об аб а с со са з зь за для да до к ко ку на у в ў ад от і и й ці или або
    ліст лісты пісьмо пісьма лист письмо письма паштоўка открытка адрас адрес навіны
    новости свабоду свободу вызваліць освободить вызваленне освобождение
    letter letters card write to for about of on with the news free address
    list listy kartka do dla o z ze na wolność uwolnić uwolnienie
    дзе зараз цяпер што хто як здарылася сталася знаходзіцца сядзіць
    где сейчас теперь что кто как случилось произошло находится сидит такой такая такі
    where is what what's what’s whats who how now happened has become of
    gdzie jest teraz co kto jak się stało dzieje przebywa siedzi
"""
# As typed, not folded: folded, "з" would also be the initial Z.
AROUND_A_NAME = frozenset(_AROUND_A_NAME.split())
# Not the full stop: "Z." is an initial, not the Polish "z".
_PUNCTUATION = ",:;!?«»\"'()[]„“”‘’-–—"


def name_part(query: str) -> str:
    """``query`` without the words around a name ("where is", "a letter to", "пра"):
    what names the person, as typed."""
    return " ".join(
        chunk
        for chunk in without_invisible(query).split()
        if chunk.casefold().strip(_PUNCTUATION) not in AROUND_A_NAME
    )


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


def _as_typed(chunk: str) -> str:
    """A Latin word as its letters, lowercase: "Ales'" is "ales"."""
    return "".join(filter(str.isalpha, chunk.casefold()))


def _latin_typed(query: str) -> dict[str, str]:
    """Skeleton -> the Latin word typed for it, for the words typed in plain Latin."""
    typed: dict[str, str] = {}
    for chunk in query.split():
        skeletons = normalise(chunk)
        if len(skeletons) == 1 and chunk.isascii():
            typed.setdefault(skeletons[0], _as_typed(chunk))
    return typed


# Where a verdict puts a case among the three sets of a cost: named, unsure, turned away.
_VERDICT_SET = {CLEAN: 0, UNSURE: 1, REFUSED: 2}


def _rank(cost: int, judgement: int) -> tuple[bool, int, int]:
    """Pairings of query words with a case's, best first: any that may be the
    person before any that cannot, then the cheaper, then the surer."""
    return judgement == REFUSED, cost, -judgement


# --- the index -------------------------------------------------------------


class NameIndex:
    """Every case's names as skeleton words, for lookup and for mentions."""

    def __init__(
        self,
        slugs: list[str],
        case_words: list[tuple[str, ...]],
        surnames: list[tuple[str, ...]],
        genders: Mapping[str, str | None] | None = None,
        latin: Mapping[str, list[str]] | None = None,
        patronymics: Mapping[str, frozenset[int]] | None = None,
    ) -> None:
        """``case_words[i]``: case i's skeleton words; ``surnames[i]``: those taken for
        its surname (what may name the person alone in a text); ``genders``: slug ->
        "female" or "male" where known (else read from the names); ``latin``: a
        skeleton -> how the names write it in Latin letters (``_as_typed``);
        ``patronymics``: the words that are some case's father's name -> the cases
        whose own name (a surname) they are."""
        self._latin = latin or {}
        self._patronymics = patronymics or {}
        self._suggest = True
        self._slugs = slugs
        self._case_words = case_words
        self._surnames = surnames
        postings: defaultdict[str, list[int]] = defaultdict(list)
        for case_id, words in enumerate(case_words):
            for word in words:
                postings[word].append(case_id)
        self._postings = dict(postings)
        self._genders = self._case_genders(genders or {})
        # What a typed word can be, standing for a written one (cases.genders); a
        # form of a name some case holds is that name, not a slip of another.
        self._lemmas = frozenset(map(lemma, self._postings))
        self._reading = functools.lru_cache(maxsize=16384)(self._reading_uncached)
        self._latin_slips = functools.lru_cache(maxsize=4096)(self._latin_slips_uncached)
        self._lone_word_costs = functools.lru_cache(maxsize=256)(self._lone_word_costs_uncached)
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

    def _case_genders(self, known: Mapping[str, str | None]) -> bytes:
        """Each case's gender: as given, else as its names say (``cases.genders``)."""
        # Each word is read once for the whole caseload, then each case's words
        # are looked up in two sets.
        male: set[str] = set()
        female: set[str] = set()
        for word in self._postings:
            gender = word_gender(word)
            if gender:
                (male if gender == MALE else female).add(word)
        genders = bytearray(len(self._slugs))
        for case_id, (slug, words) in enumerate(zip(self._slugs, self._case_words, strict=True)):
            gender = gender_code(known.get(slug))
            if not gender:
                gender = (MALE if not male.isdisjoint(words) else UNKNOWN) | (
                    FEMALE if not female.isdisjoint(words) else UNKNOWN
                )
            genders[case_id] = gender if gender != BOTH else UNKNOWN
        return bytes(genders)

    def gender(self, slug: str) -> int:
        """The gender the search takes a case to have (cases.genders: UNKNOWN, MALE, FEMALE)."""
        return self._genders[self._slugs.index(slug)]

    def _reading_uncached(self, typed: str, written: str) -> tuple[int, int]:
        return reading(typed, written, self._lemmas)

    def _reading_as_typed(self, typed: str, written: str, latin: str) -> tuple[int, int]:
        """``reading``, with slips counted on the Latin letters typed where fewer."""
        readings, slips = self._reading(typed, written)
        if slips > MAX_SLIPS and latin:
            slips = min(slips, self._latin_slips(latin, written))
        return readings, slips

    def _latin_slips_uncached(self, typed: str, written: str) -> int:
        spellings = self._latin.get(written, ())
        return min((slips(typed, spelt) for spelt in spellings), default=99)

    @classmethod
    def build(
        cls,
        entries: Iterable[tuple[str, Iterable[str]]],
        genders: Mapping[str, str | None] | None = None,
        suggest: bool = True,
    ) -> NameIndex:
        """Index ``(slug, every spelling of the name)`` pairs; a repeated slug adds names.
        ``genders``: slug -> "female" or "male", where the data says. ``suggest``
        False: a lookup that finds nobody offers no "Did you mean" (an index only
        asked whether a name is someone's, thousands of times, saves the most of
        its work there)."""
        # Millions of small objects that all live on: the cyclic garbage
        # collector would walk them over and over (a third of the build) and
        # find nothing to free.
        collecting = gc.isenabled()
        gc.disable()
        try:
            index = cls._build(entries, genders)
            index._suggest = suggest
            return index
        finally:
            if collecting:
                gc.enable()

    @classmethod
    def _build(
        cls,
        entries: Iterable[tuple[str, Iterable[str]]],
        genders: Mapping[str, str | None] | None,
    ) -> NameIndex:
        names_by_slug: dict[str, list[str]] = {}
        for slug, names in entries:
            names_by_slug.setdefault(slug, []).extend(names)
        # A caseload repeats first names, surnames and patronymics thousands of
        # times: each written word is folded once for the whole build.
        folded: dict[str, tuple[str, ...]] = {}
        fold = folded.get
        case_words: list[tuple[str, ...]] = []
        surnames: list[tuple[str, ...]] = []
        # A father's name is a word of a name in full ("Рабкова Марыя
        # Аляксандраўна") that none of the person's names of two words has; a
        # prefix does not begin it. The same word may be another person's
        # surname (Vasilevich): word -> the cases whose own name it is.
        fathers: set[str] = set()
        named_so: defaultdict[str, set[int]] = defaultdict(set)
        patronymic = functools.cache(is_patronymic)
        for case_id, names in enumerate(names_by_slug.values()):
            words: list[str] = []
            short: set[str] = set()
            votes: dict[str, int] = {}
            for name in names:
                skeletons: list[str] = []
                for chunk in name.split():
                    found = fold(chunk)
                    if found is None:
                        found = folded[chunk] = fold_word(chunk)
                    skeletons += found
                if len(skeletons) <= 2:
                    short.update(skeletons)
                words += skeletons
                # Names are mostly written "First Last"; a word that ends names
                # more often than it starts them is taken for the surname.
                if len(skeletons) >= 2:
                    votes[skeletons[-1]] = votes.get(skeletons[-1], 0) + 1
                    votes[skeletons[0]] = votes.get(skeletons[0], 0) - 1
            case_words.append(tuple(dict.fromkeys(words)))
            surnames.append(tuple(w for w, vote in votes.items() if vote > 0))
            for word in case_words[-1]:
                if patronymic(word):
                    if word in short:
                        named_so[word].add(case_id)
                    else:
                        fathers.add(word)
        # How each word is written in Latin letters, to count a typist's slips:
        # "Tuarubik" for "Tsarubik" is one, though two in the skeleton.
        latin: dict[str, list[str]] = {}
        for chunk, skeletons in folded.items():
            if len(skeletons) == 1 and chunk.isascii():
                spelt = latin.setdefault(skeletons[0], [])
                typed = _as_typed(chunk)
                if typed not in spelt:
                    spelt.append(typed)
        patronymics = {word: frozenset(named_so.get(word, ())) for word in fathers}
        return cls(list(names_by_slug), case_words, surnames, genders, latin, patronymics)

    def __len__(self) -> int:
        return len(self._slugs)

    def surnames(self) -> Iterator[tuple[str, tuple[str, ...]]]:
        """(slug, the skeletons taken for its surname) of each case: the words that end
        its names more often than they start them; () where the names do not say."""
        return zip(self._slugs, self._surnames, strict=True)

    # --- completion ---

    def complete(self, query: str, limit: int = 10) -> list[str]:
        """Slugs whose names start with what is typed so far, best guesses first.

        Every typed word must be a word of the same person's names, the one
        still being typed (the last) may be its beginning ("Анастас" begins
        "Анастасія", but "Анастас Лойко" is a man's name); when nothing fits
        that way, the typo-tolerant lookup's answer is used: the people the name
        may be, never a loose guess or someone it cannot be (a card offered to
        share has no "Did you mean" before it).
        """
        words = [word for word in dict.fromkeys(normalise(query)) if word]
        if not words or max(map(len, words)) < MIN_LETTERS:
            return []
        typing = not query[-1:].isspace()
        matching: set[int] | None = None
        for number, word in enumerate(words, start=1):
            if number < len(words) or not typing:
                cases = set(self._postings.get(word, ()))
            else:
                start = bisect.bisect_left(self._sorted_words, word)
                cases = set()
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
        return list(result.all_slugs or result.slugs or result.unsure)[:limit]

    # --- lookup ---

    def lookup(self, query: str) -> SearchResult:
        """The case(s) a typed name means: a match, a choice, nothing, too short or long."""
        query = without_invisible(query)
        if len(query) > MAX_QUERY_CHARS:
            return TOO_LONG
        words = list(dict.fromkeys(normalise(query)))
        if len(words) > MAX_QUERY_WORDS_AT_ALL:
            return TOO_LONG
        latin = _latin_typed(query)
        result = self._lookup_words(words, latin)
        if result.kind != "none":
            return result
        # "пра Бяляцкага", "where is Bialiatski", "Бяляцкі Алесь Віктаравіч": the
        # words around a name, and a father's name the data does not hold, are
        # left out, as long as what is left is still a name and not a lone first name.
        named = list(dict.fromkeys(normalise(name_part(query))))
        unknown_patronymics = [w for w in named if self._unknown_patronymic(w)]
        kept = [w for w in named if w not in unknown_patronymics]
        if len(kept) < len(words) and self._still_a_name(kept):
            retried = self._lookup_words(
                kept, latin, known_patronymics_differ=bool(unknown_patronymics)
            )
            if retried.kind in ("match", "choose"):
                return retried
            if not result.unsure and (retried.unsure or retried.suggestions):
                # "Что с Бяляцкай?": the name's own nearest people, not the question's.
                result = retried
        if result.unsure or not self._suggest:
            return result
        return self._begun(named or words) or result

    def _begun(self, words: list[str]) -> SearchResult | None:
        """The people whose names the last word begins ("Rabko", "Marfa Rabk"), the
        other words naming them as a lookup's would; None if nobody.

        A prefix never opens a card, even when it begins one person's name only:
        it is a name left unfinished, and what it would have become is not known.
        "Rabko" begins Marfa Rabkova and her brother Rabkou alike, "Ulad" both
        Uladzimir and Uladzislau, and the one of them in the data may not be the
        one meant. So one person is "Did you mean", several a choice, all of
        them unsure; a form the last word already is, of the other gender
        ("Rabkov" for Rabkova), names nobody.
        """
        full = [w for w in words if len(w) >= MIN_LETTERS]
        if not full or len(full) > MAX_QUERY_WORDS or len(full[-1]) < MIN_PREFIX:
            return None
        *others, begun = full
        if begun in self._postings or is_first_name(begun):
            return None  # a name in full ("Valery", "Ivan") is no beginning of another
        initials = [w for w in words if len(w) < MIN_LETTERS]
        starts = [begun]
        if begun[-1] in _HALF_A_DIGRAPH and len(begun) > MIN_PREFIX:
            starts.append(begun[:-1])
        begins: dict[int, list[str]] = {}  # case -> the words of its names the prefix begins
        for start in starts:
            at = bisect.bisect_left(self._sorted_words, start)
            for written in itertools.islice(self._sorted_words, at, None):
                if not written.startswith(start):
                    break
                # A father's name is begun by a first name ("Ulad": Uladzimiravich).
                fathers_name_but_to = self._patronymics.get(written)
                for case_id in self._postings[written]:
                    if fathers_name_but_to is None or case_id in fathers_name_but_to:
                        begins.setdefault(case_id, []).append(written)
        nears = [self._near_words(word, True) for word in others]
        typed = ["" for _ in others]
        costs: list[tuple[int, int]] = []
        for case_id, begun_words in begins.items():
            case_words = self._case_words[case_id]
            options = [[(w, near[w]) for w in case_words if w in near] for near in nears]
            best = None
            for written in begun_words:
                # The last word read as a whole word: "Rabkov" is a man's form.
                judged = verdict([self._reading(begun, written)], self._genders[case_id])
                if judged == REFUSED:
                    continue
                scored = self._best_assignment(
                    [*others, begun],
                    [*typed, ""],
                    [*options, [(written, 0)]],
                    initials,
                    case_id,
                )
                if scored is not None and scored[1] != REFUSED:
                    best = scored[0] if best is None else min(best, scored[0])
            if best is not None:
                costs.append((best, case_id))
        if not costs:
            return None
        least = min(cost for cost, _ in costs)
        found = sorted(case_id for cost, case_id in costs if cost <= least + 1)
        slugs = tuple(self._slugs[case_id] for case_id in found[:MAX_LISTED])
        if len(found) == 1:
            return SearchResult("none", suggestions=slugs, unsure=slugs)
        return SearchResult(
            "choose", slugs[:MAX_CHOICES], all_slugs=slugs, total=len(found), unsure=slugs
        )

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
        self, words: list[str], latin: dict[str, str], known_patronymics_differ: bool = False
    ) -> SearchResult:
        """``latin``: the Latin word typed for a skeleton, where one was."""
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
        if len(full) == 1 and not initials:
            by_cost = self._lone_word_costs(full[0], corroborated, latin.get(full[0], ""))
        else:
            layers = [self._layers(word, corroborated) for word in full]
            typed = [latin.get(word, "") for word in full]
            by_cost = self._costs(full, typed, nears, layers, initials)
        if known_patronymics_differ:
            # The father's name typed was left out: a case whose own is known
            # (and so differs) is someone else.
            by_cost = {
                cost: tuple(
                    {c for c in cases if not self._has_other_patronymic(c, nears)}
                    for cases in found
                )
                for cost, found in by_cost.items()
            }
        # Near by letters but not that person (a man for a woman's form): never a
        # card or a choice, but the nearest names to suggest.
        turned_away = [
            self._slugs[case_id] for cost in sorted(by_cost) for case_id in sorted(by_cost[cost][2])
        ][:MAX_SUGGESTIONS]
        named = [cost for cost, (sure, unsure, _) in by_cost.items() if sure or unsure]
        if not named:
            return self._not_found(full, turned_away)
        best_cost = min(named)
        # One edit apart is too close to call (Petrov/Petrova, a typo either way).
        best_sure, best_unsure, _ = by_cost[best_cost]
        near_sure, near_unsure, _ = by_cost.get(best_cost + 1, (frozenset(),) * 3)
        plausible: list[int] = []
        unsure: list[int] = []
        total = 0
        for cases, sure in (
            (best_sure, True),
            (best_unsure, False),
            (near_sure, True),
            (near_unsure, False),
        ):
            total += len(cases)
            listed = sorted(cases)[: MAX_LISTED - len(plausible)]
            plausible += listed
            if not sure:
                unsure += listed
        slugs = tuple(map(self._slugs.__getitem__, plausible))
        unsure_slugs = tuple(map(self._slugs.__getitem__, unsure))
        if total == 1 and not unsure:
            return SearchResult("match", slugs, all_slugs=slugs, total=1)
        if total == 1:
            # Someone else's name, or two slips off: not a card, but the first to suggest.
            return self._not_found(full, [*slugs, *turned_away], unsure=slugs)
        return SearchResult(
            "choose",
            slugs[:MAX_CHOICES],
            all_slugs=slugs,
            total=total,
            unsure=unsure_slugs,
        )

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

    def _lone_word_costs_uncached(
        self, word: str, corroborated: bool, latin: str
    ) -> dict[int, tuple[frozenset[int], frozenset[int], frozenset[int]]]:
        """A query of one word: cost -> (the cases it names, those it may not mean,
        those near by letters that it cannot mean), for the cases within one edit
        of the best (read only).

        A case's cost is its nearest word's distance. Whether a word names a case
        depends on the case's gender only: a common name's thousands of cases
        are judged three times, not one by one.
        """
        by_distance: dict[int, tuple[set[int], set[int], set[int]]] = {}
        for written, distance in self._near_words(word, corroborated).items():
            found = by_distance.setdefault(distance, (set(), set(), set()))
            cases = self._postings[written]
            read = self._reading_as_typed(word, written, latin)
            judged = [verdict([read], gender) for gender in (UNKNOWN, MALE, FEMALE)]
            if judged[0] == judged[1] == judged[2]:
                found[_VERDICT_SET[judged[0]]].update(cases)
                continue
            genders = self._genders
            for case_id in cases:
                found[_VERDICT_SET[judged[genders[case_id]]]].add(case_id)
        by_cost: dict[int, tuple[frozenset[int], frozenset[int], frozenset[int]]] = {}
        seen: set[int] = set()
        best = None
        for distance in sorted(by_distance):
            if best is not None and distance > best + 1:
                break
            sure, unsure, refused = by_distance[distance]
            sure = sure - seen
            unsure = unsure - sure - seen
            refused = refused - sure - unsure - seen
            by_cost[distance] = (frozenset(sure), frozenset(unsure), frozenset(refused))
            seen |= sure | unsure | refused
            if best is None and (sure or unsure):
                best = distance
        return by_cost

    def _costs(
        self,
        words: list[str],
        latin: list[str],
        nears: list[dict[str, int]],
        layers: list[dict[int, frozenset[int]]],
        initials: list[str],
    ) -> dict[int, tuple[set[int], set[int], set[int]]]:
        """Cost -> (the cases the words name, those they may not mean, those near by
        letters that they cannot mean), for the cases within one edit of the best.
        A case's cost is the least total distance that pairs each query word with a
        distinct word of the case (and fits the initials), among the pairings that
        may be that person (``cases.genders``), else among all.

        A case's cost is at least the sum of each word's nearest distance, so
        cases are visited by that sum, cheapest first, and the search stops
        one past the best cost found: among thousands of namesakes only the
        few that can still be plausible are scored one by one.
        """
        by_cost: dict[int, tuple[set[int], set[int], set[int]]] = {}
        seen: set[int] = set()
        best: int | None = None  # the least cost of a case the words may name
        for budget in range(sum(max(layer) for layer in layers) + 1):
            if best is not None and budget > best + 1:
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
                if budget == 0 and not initials:
                    # Every (distinct) query word is a word of the case as written.
                    by_cost.setdefault(0, (set(), set(), set()))[0].update(found)
                    best = 0
                    continue
                for case_id in found:
                    case_words = self._case_words[case_id]
                    options = [[(w, near[w]) for w in case_words if w in near] for near in nears]
                    scored = self._best_assignment(words, latin, options, initials, case_id)
                    if scored is not None:
                        cost, judgement = scored
                        by_cost.setdefault(cost, (set(), set(), set()))[
                            _VERDICT_SET[judgement]
                        ].add(case_id)
                        if judgement != REFUSED and (best is None or cost < best):
                            best = cost
        return by_cost

    def _near_words_uncached(self, word: str, corroborated: bool) -> dict[str, int]:
        """Indexed words ``word`` may stand for, with their edit distances (read only).

        A declined form ("Бяляцкага", "Рабковой", "Białackiego") stands for the
        name it is declined from, one step away: the same stem once its ending
        is off.
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
        stem = strip_ending(word) if len(word) >= MIN_STEM else word
        # A word without an ending of its own is no declined form: "Marf" and
        # "Nast" are names left unfinished (``_begun``), not Marfa's or Nasta's.
        if stem != word:
            for indexed in self._stems.get(stem, ()):
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
        self,
        words: list[str],
        latin: list[str],
        options: list[list[tuple[str, int]]],
        initials: list[str],
        case_id: int,
    ) -> tuple[int, int] | None:
        """(least total distance, verdict) pairing each query word with a distinct word
        of the case, among the pairings that may be that person, else (least total
        distance, REFUSED); None if no pairing fits the initials."""
        best = None
        gender = self._genders[case_id]
        for choice in itertools.product(*options):
            used = {indexed for indexed, _ in choice}
            if len(used) < len(choice):
                continue
            cost = sum(distance for _, distance in choice)
            if best is not None and _rank(*best) <= _rank(cost, CLEAN):
                continue  # even a clean pairing would be no better
            if not self._initials_fit(initials, used, case_id):
                continue
            pairs = zip(words, latin, choice, strict=True)
            judgement = verdict(
                (self._reading_as_typed(w, indexed, typed) for w, typed, (indexed, _) in pairs),
                gender,
            )
            if best is None or _rank(cost, judgement) < _rank(*best):
                best = (cost, judgement)
        return best

    def _initials_fit(self, initials: list[str], used: set[str], case_id: int) -> bool:
        free = [word for word in self._case_words[case_id] if word not in used]
        for initial in initials:
            word = next((w for w in free if w.startswith(initial)), None)
            if word is None:
                return False
            free.remove(word)
        return True

    def _not_found(
        self, words: list[str], first: list[str] = (), unsure: tuple[str, ...] = ()
    ) -> SearchResult:
        """Nobody: the ``first`` names to suggest, then the nearest by letters."""
        nearest = self._nearest(words[:MAX_QUERY_WORDS]) if self._suggest else ()
        suggestions = dict.fromkeys([*first, *nearest])
        return SearchResult("none", suggestions=tuple(suggestions)[:MAX_SUGGESTIONS], unsure=unsure)

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
        # Words of a full name that is nobody's for sure ("Валянціны Стэфановіч" is
        # a woman): their surname alone does not name anyone either.
        taken: set[int] = set()
        for position, (start, end, raw, skeleton, named) in enumerate(words):
            if not named:
                continue
            if position + 1 < len(words):
                next_start, _, _, next_skeleton, next_named = words[position + 1]
                if next_named and _NAME_JOINER.fullmatch(text, end, next_start):
                    case_id, someones = self._full_name_case(skeleton, next_skeleton)
                    if case_id is not None:
                        first_seen.setdefault(case_id, start)
                    elif someones:
                        taken |= {position, position + 1}
            if raw[:1].isupper() and position not in taken:
                case_id = self._lone_words.get(skeleton)
                stem = strip_ending(skeleton)
                if case_id is None and stem != skeleton:
                    case_id = self._lone_stems.get(stem)
                    # Declined, it must still be that person's form: "Бяляцкай" is a woman.
                    if case_id is not None and not self._names_alone(skeleton, stem, case_id):
                        case_id = None
                if case_id is not None:
                    first_seen.setdefault(case_id, start)
        ordered = sorted(first_seen, key=first_seen.__getitem__)
        return [self._slugs[case_id] for case_id in ordered]

    def _full_name_case(self, first: str, second: str) -> tuple[int | None, bool]:
        """The one case two adjacent words name together, if exactly one, and surely:
        as written or declined, in that person's gender (``cases.genders``); and
        whether they are some case's two words at all, sure or not."""
        judged: dict[int, int] = {}
        someones = False
        for declined in (False, True):
            first_hits = self._mention_hits(first, declined)
            second_hits = self._mention_hits(second, declined)
            for case_id in first_hits.keys() & second_hits.keys():
                if case_id in judged or len(first_hits[case_id] | second_hits[case_id]) < 2:
                    continue
                someones = True
                if not declined:  # both words as the case writes them
                    judged[case_id] = CLEAN
                    continue
                gender = self._genders[case_id]
                judgement = max(
                    verdict([self._reading(first, one), self._reading(second, other)], gender)
                    for one in first_hits[case_id]
                    for other in second_hits[case_id]
                    if one != other
                )
                if judgement != REFUSED:
                    judged[case_id] = judgement
            if not judged:
                continue
            # Two people with the same name, or a form that may be someone else's
            # ("Аляксандра Кавалёва": his genitive, or a woman): a text can't tell us.
            if len(judged) == 1:
                [(case_id, judgement)] = judged.items()
                return (case_id if judgement == CLEAN else None), True
            return None, True
        return None, someones

    def _names_alone(self, typed: str, stem: str, case_id: int) -> bool:
        """Whether a declined surname alone surely names this case, by its gender."""
        gender = self._genders[case_id]
        return any(
            verdict([self._reading(typed, written)], gender) == CLEAN
            for written in self._stems.get(stem, ())
            if case_id in self._postings[written]
        )

    def _mention_hits(self, skeleton: str, declined: bool) -> dict[int, set[str]]:
        hits = {case_id: {skeleton} for case_id in self._postings.get(skeleton, ())}
        if declined and len(skeleton) >= MIN_STEM:
            for word in self._stems.get(strip_ending(skeleton), ()):
                for case_id in self._postings[word]:
                    hits.setdefault(case_id, set()).add(word)
        return hits
