"""Name search: every common spelling finds the person, no other name does.

The fixture is the five defenders of the 14 July 2025 statement with the
spellings that sources use for them, plus two synthetic people who
share a surname, so that a real choice between cases can be tested.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from cases.genders import CLEAN, REFUSED, is_first_name, lemma, reading, verdict
from cases.search import (
    AROUND_A_NAME,
    MAX_CHOICES,
    MAX_LISTED,
    MAX_SUGGESTIONS,
    MIN_PREFIX,
    NameIndex,
    SearchResult,
    allowed_edits,
    normalise,
)
from cases.spelling import MIN_STEM, strip_ending

DEFENDERS = {
    "ales-bialiatski": [
        "Ales Bialiatski", "Алесь Бяляцкі", "Алесь Беляцкий", "Ales Bialiatsky",
        "Ales Byalyatski", "Aleś Bialacki", "Ales' Bjaljacki", "Alex Belyatsky",
    ],
    "valiantsin-stefanovic": [
        "Valiantsin Stefanovic", "Валянцін Стэфановіч", "Валентин Стефанович",
        "Valiantsin Stefanovich", "Valyantsin Stefanovich", "Valentin Stefanovich",
        "Valancin Stefanovič", "Walancin Stefanowicz", "Valik",
    ],
    "uladzimir-labkovich": [
        "Uladzimir Labkovich", "Уладзімір Лабковіч", "Владимир Лабкович",
        "Vladimir Labkovich", "Uładzimir Łabkowicz",
    ],
    "marfa-rabkova": [
        "Marfa Rabkova", "Марфа Рабкова", "Maryia Rabkova",
        "Марыя Аляксандраўна Рабкова", "Мария Александровна Рабкова",
    ],
    "nasta-loika": [
        "Nasta Loika", "Наста Лойка", "Настя Лойко", "Анастасія Лойка", "Анастасия Лойко",
        "Anastasiya Loika", "Nasta Lojka", "Loyka", "Loiko",
    ],
}  # fmt: skip
# Two made-up people one letter apart in the surname.
NAMESAKES = {
    "ivan-petrov": ["Ivan Petrov", "Иван Петров", "Іван Пятроў"],
    "anna-petrova": ["Anna Petrova", "Анна Петрова", "Ганна Пятрова"],
}
CASES = {**DEFENDERS, **NAMESAKES}
INDEX = NameIndex.build(CASES.items())

STATEMENT = Path(__file__).parent / "fixtures" / "statement-sample.md"

POSITIVE = [
    # English passport style, as in the statement
    ("Ales Bialiatski", "ales-bialiatski"),
    ("Valiantsin Stefanovic", "valiantsin-stefanovic"),
    ("Uladzimir Labkovich", "uladzimir-labkovich"),
    ("Marfa Rabkova", "marfa-rabkova"),
    ("Nasta Loika", "nasta-loika"),
    # Belarusian and Russian Cyrillic
    ("Алесь Бяляцкі", "ales-bialiatski"),
    ("Алесь Беляцкий", "ales-bialiatski"),
    ("Валянцін Стэфановіч", "valiantsin-stefanovic"),
    ("Валентин Стефанович", "valiantsin-stefanovic"),
    ("Уладзімір Лабковіч", "uladzimir-labkovich"),
    ("Владимир Лабкович", "uladzimir-labkovich"),
    ("Марфа Рабкова", "marfa-rabkova"),
    ("Мария Рабкова", "marfa-rabkova"),
    ("Наста Лойка", "nasta-loika"),
    ("Настя Лойко", "nasta-loika"),
    ("Анастасия Лойка", "nasta-loika"),
    # Łacinka and Polish, with and without diacritics
    ("Aleś Bialacki", "ales-bialiatski"),
    ("Ales Bialacki", "ales-bialiatski"),
    ("Walancin Stefanowicz", "valiantsin-stefanovic"),
    ("Uładzimir Łabkowicz", "uladzimir-labkovich"),
    ("Uladzimir Labkowicz", "uladzimir-labkovich"),
    ("Nasta Łojka", "nasta-loika"),
    # ISO 9 and scholarly forms with carons, and without them
    ("Aleś Bjaljacki", "ales-bialiatski"),
    ("Ales' Beljackij", "ales-bialiatski"),
    ("Valjancin Stefanovič", "valiantsin-stefanovic"),
    ("Valjancin Stefanovic", "valiantsin-stefanovic"),
    ("Uladzimir Labkovič", "uladzimir-labkovich"),
    # other English spellings
    ("Ales Byalyatsky", "ales-bialiatski"),
    ("Alex Belyatsky", "ales-bialiatski"),
    ("Valyantsin Stefanovich", "valiantsin-stefanovic"),
    ("Anastasiya Loyka", "nasta-loika"),
    ("Maryia Rabkova", "marfa-rabkova"),
    # letter case
    ("ALES BIALIATSKI", "ales-bialiatski"),
    ("marfa rabkova", "marfa-rabkova"),
    ("нАСТА лОЙКА", "nasta-loika"),
    # surname only
    ("Bialiatski", "ales-bialiatski"),
    ("Stefanovich", "valiantsin-stefanovic"),
    ("Лабковіч", "uladzimir-labkovich"),
    ("Rabkova", "marfa-rabkova"),
    ("Loiko", "nasta-loika"),
    # first name or nickname only, where only one person has it
    ("Ales", "ales-bialiatski"),
    ("Valik", "valiantsin-stefanovic"),
    ("Уладзімір", "uladzimir-labkovich"),
    ("Marfa", "marfa-rabkova"),
    ("Nastya", "nasta-loika"),
    # either order
    ("Bialiatski Ales", "ales-bialiatski"),
    ("Лойка Наста", "nasta-loika"),
    ("Labkovich, Uladzimir", "uladzimir-labkovich"),
    # one- and two-letter typos
    ("Ales Bialiatsky", "ales-bialiatski"),
    ("Ales Bilyatski", "ales-bialiatski"),
    ("Valiantsin Stefanovih", "valiantsin-stefanovic"),
    ("Valiantsn Stefanowich", "valiantsin-stefanovic"),
    ("Uladimir Lapkovich", "uladzimir-labkovich"),
    ("Marfa Rapkova", "marfa-rabkova"),
    ("Marfe Rapkowa", "marfa-rabkova"),
    ("Nasta Loyko", "nasta-loika"),
    ("Rabkva", "marfa-rabkova"),
    ("Stephanovich", "valiantsin-stefanovic"),
    # an initial with a surname
    ("A. Bialiatski", "ales-bialiatski"),
]

NEGATIVE = [
    # other Belarusian political prisoners and public figures
    "Ales Pushkin",
    "Aliaksandr Lukashenka",
    "Maria Kalesnikava",
    "Ihar Losik",
    "Viktar Babaryka",
    "Pavel Sevyarynets",
    "Nasta Palazhanka",
    "Maksim Znak",
    "Mikalai Statkevich",
    "Uladzimir Matskevich",
    "Maryna Zolatava",
    "Andrzej Poczobut",
    "Siarhei Tsikhanouski",
    "Марыя Калеснікава",
    # a first name alone that is one letter from somebody's
    "Maryna",
    "Losik",
    # halves of two different people
    "Ales Rabkova",
    "Nasta Stefanovic",
    "Marfa Petrova",
    # random names and nonsense
    "John Smith",
    "Ivan Ivanov",
    "qwertyuiop",
    "Viasna",
    "Ales Bialiatski Viasna Minsk",
    # a second word that fits nobody, even as an initial
    "Ales Z.",
]


@pytest.mark.parametrize(("query", "slug"), POSITIVE)
def test_spelling_finds_the_person(query: str, slug: str) -> None:
    assert INDEX.lookup(query) == SearchResult("match", (slug,))


@pytest.mark.parametrize("query", NEGATIVE)
def test_other_names_find_nobody(query: str) -> None:
    result = INDEX.lookup(query)
    assert result.kind == "none"
    assert result.slugs == ()


@pytest.mark.parametrize("query", ["", "   ", "A", "Al", "A. B.", "ь", "!!!", "12345", "Аль"])
def test_too_short(query: str) -> None:
    assert INDEX.lookup(query) == SearchResult("too_short")


@pytest.mark.parametrize("query", ["Petrova", "Петрова", "Пятрова", "Petrowa"])
def test_a_feminine_form_that_is_also_his_genitive_offers_a_choice(query: str) -> None:
    """Petrova is Anna, or "about Petrov": a choice, her first."""
    result = INDEX.lookup(query)
    assert result.kind == "choose"
    assert result.slugs == ("anna-petrova", "ivan-petrov")
    assert result.unsure == ("ivan-petrov",)


@pytest.mark.parametrize("query", ["Petrov", "Петров", "Pyatrou", "Пятроў", "Петровым"])
def test_a_masculine_form_is_never_a_woman(query: str) -> None:
    """Petrov is Ivan, never his wife or sister Anna Petrova."""
    assert INDEX.lookup(query) == SearchResult("match", ("ivan-petrov",))


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("Ivan Petrov", "ivan-petrov"),
        ("Ганна Пятрова", "anna-petrova"),
        ("Anna Petrova", "anna-petrova"),
    ],
)
def test_full_name_settles_a_shared_surname(query: str, slug: str) -> None:
    assert INDEX.lookup(query) == SearchResult("match", (slug,))


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("Stefanowska", "valiantsin-stefanovic"),
        ("Maryna", "marfa-rabkova"),
        ("Valiantsin Stefanovic Viasna", "valiantsin-stefanovic"),
        ("Ales Pushkin", "ales-bialiatski"),
    ],
)
def test_near_miss_suggests_the_nearest_name(query: str, slug: str) -> None:
    result = INDEX.lookup(query)
    assert result.kind == "none"
    assert result.suggestions[0] == slug


def test_nonsense_suggests_nothing() -> None:
    assert INDEX.lookup("qwertyuiop") == SearchResult("none")


@pytest.mark.parametrize(
    "spellings",
    [
        ["Bialiatski", "Bialacki", "Bjaljacki", "Byalyatski", "Bialiatsky", "Бяляцкі"],
        ["Stefanovic", "Stefanovich", "Stefanovič", "Stefanowicz", "Стэфановіч", "Стефанович"],
        ["Labkovich", "Łabkowicz", "Labkovič", "Лабковіч", "Лабкович"],
        ["Valiantsin", "Valyantsin", "Valancin", "Walancin", "Valjancin", "Валянцін"],
        ["Loika", "Lojka", "Loyka", "Łojka", "Лойка"],
        ["Prakapau", "Prakapaŭ", "Prakapaw", "Пракапаў"],
        ["Tsikhanouskaya", "Ціханоўская"],
    ],
)
def test_spellings_share_one_skeleton(spellings: list[str]) -> None:
    assert len({tuple(normalise(spelling)) for spelling in spellings}) == 1


def test_index_counts_cases() -> None:
    assert len(INDEX) == len(CASES)
    assert len(NameIndex.build([])) == 0
    assert NameIndex.build([]).lookup("Ales") == SearchResult("none")


def test_repeated_slug_adds_names() -> None:
    index = NameIndex.build([("x", ["Ales Bialiatski"]), ("x", ["Алесь Бяляцкі"])])
    assert len(index) == 1
    assert index.lookup("Бяляцкі") == SearchResult("match", ("x",))


# How people write about someone in Belarusian and Russian: declined, with the
# words of a request around the name, or in full with a father's name.
INFLECTED = [
    ("пра Бяляцкага", "ales-bialiatski"),
    ("письмо Беляцкому", "ales-bialiatski"),
    ("с Рабковой", "marfa-rabkova"),
    ("ліст Марфе Рабковай", "marfa-rabkova"),
    ("Алесю Бяляцкаму", "ales-bialiatski"),
    ("пра Лойку", "nasta-loika"),
    ("с Настей Лойко", "nasta-loika"),
    ("Стефановичу", "valiantsin-stefanovic"),
    ("навіны пра Лабковіча", "uladzimir-labkovich"),
    ("a letter to Nasta Loika", "nasta-loika"),
    ("news about Loika", "nasta-loika"),
    ("Бяляцкі Алесь Віктаравіч", "ales-bialiatski"),
    ("Беляцкий Алесь Викторович", "ales-bialiatski"),
    ("Рабкова Марыя Аляксандраўна", "marfa-rabkova"),
    ("Марыі Аляксандраўне Рабковай", "marfa-rabkova"),
    # the words of a question around a name, in every language
    ("where is Bialiatski", "ales-bialiatski"),
    ("Where is Ales Bialiatski?", "ales-bialiatski"),
    ("what happened to Nasta Loika", "nasta-loika"),
    ("Где сейчас Беляцкий", "ales-bialiatski"),
    ("Что с Рабковой?", "marfa-rabkova"),
    ("Кто такая Рабкова", "marfa-rabkova"),
    ("Дзе зараз Бяляцкі?", "ales-bialiatski"),
    ("Што з Лойкай", "nasta-loika"),
    ("gdzie jest Łojka", "nasta-loika"),
    ("co z Białackim?", "ales-bialiatski"),
    # Polish declined forms, with and without diacritics
    ("Bialackiego", "ales-bialiatski"),
    ("Białackiemu", "ales-bialiatski"),
    ("list do Bialackiego", "ales-bialiatski"),
    ("do Alesia Białackiego", "ales-bialiatski"),
    ("uwolnienie Rabkowej", "marfa-rabkova"),
    ("Marfie Rabkowej", "marfa-rabkova"),
    ("Łojki", "nasta-loika"),
    ("Łabkowicza", "uladzimir-labkovich"),
    ("Uładzimirowi Łabkowiczowi", "uladzimir-labkovich"),
    ("Stefanowicza", "valiantsin-stefanovic"),
    ("Walancina Stefanowicza", "valiantsin-stefanovic"),
]
NOT_THEM = [
    # Around-a-name words are left out only if a name is left: never a lone first name.
    "a letter to Nasta",
    "Мікалай Ліст",
    # An initial that happens to be spelt like a preposition is still an initial.
    "Z. Bialiatski",
    "Zzzz Bialiatski",
    # A father's name that differs from the known one is someone else.
    "Рабкова Марыя Іванаўна",
    # Declined, but of a name that is nobody's.
    "пра Пушкіна",
    "про Ивана Иванова",
]


@pytest.mark.parametrize(("query", "slug"), INFLECTED)
def test_declined_names_and_patronymics_find_the_card(query: str, slug: str) -> None:
    assert INDEX.lookup(query) == SearchResult("match", (slug,))


@pytest.mark.parametrize("query", NOT_THEM)
def test_what_surrounds_a_name_never_picks_the_wrong_person(query: str) -> None:
    assert INDEX.lookup(query).kind == "none"


# A name left unfinished: the people it begins, as "Did you mean" (one) or a
# choice (several), never a card.
BEGUN = [
    ("Rabko", "marfa-rabkova"),
    ("Stef", "valiantsin-stefanovic"),
    ("Ulad", "uladzimir-labkovich"),
    ("Bialiat", "ales-bialiatski"),  # half of "ts": Bialiatski folds to bialacki
    ("Бяляц", "ales-bialiatski"),
    ("Marf", "marfa-rabkova"),  # her name's stem, no declined form of it
    ("Nast", "nasta-loika"),
    ("Marfa Rabk", "marfa-rabkova"),
    ("where is Rabko", "marfa-rabkova"),
    ("Дзе зараз Лабко?", "uladzimir-labkovich"),
]


@pytest.mark.parametrize(("query", "slug"), BEGUN)
def test_a_name_left_unfinished_suggests_the_one_it_begins(query: str, slug: str) -> None:
    result = INDEX.lookup(query)
    assert (result.kind, result.suggestions, result.unsure) == ("none", (slug,), (slug,))


def test_a_name_left_unfinished_offers_everyone_it_begins() -> None:
    for typed in ("Petro", "Пятр"):
        result = INDEX.lookup(typed)
        assert (result.kind, set(result.slugs)) == ("choose", {"anna-petrova", "ivan-petrov"})
        assert result.unsure == result.slugs
    # A first name settles which of them.
    assert INDEX.lookup("Anna Petro").unsure == ("anna-petrova",)
    # "Petr" is a name in full (Пётр), no beginning of Petrov's.
    assert INDEX.lookup("Petr").unsure == ()


@pytest.mark.parametrize("query", ["Рабков", "Rabkov", "Anna Petrov", "Aleksandr Stef", "Lab"])
def test_a_name_left_unfinished_names_nobody_it_cannot_be(query: str) -> None:
    """A man's form begins a woman's ("Rabkov", Rabkova) but is not hers; a first
    name that is nobody's rules the person out; three letters begin too much."""
    result = INDEX.lookup(query)
    assert result.kind == "none" and result.unsure == ()


@pytest.mark.parametrize(
    "query",
    [
        "Бяля\u200bцкі",
        "\u200eAles\u200d Bialiatski\ufeff",
        "Bia\u00adliatski",
        "Ales\u2060 Bialiatski",
    ],
)
def test_invisible_characters_are_ignored(query: str) -> None:
    assert INDEX.lookup(query) == SearchResult("match", ("ales-bialiatski",))


@pytest.mark.parametrize(
    "query",
    [
        "Ales Bialiatski " * 8,
        "Please tell me everything you know about the people who were arrested in 2021",
        "x" * 101,
    ],
)
def test_a_text_too_long_to_be_a_name(query: str) -> None:
    assert INDEX.lookup(query) == SearchResult("too_long")


def test_common_first_name_at_scale_offers_a_bounded_choice() -> None:
    many = [
        (f"case-{n}", [f"Ales Surname{chr(97 + n % 26)}{chr(97 + n // 26)}"]) for n in range(40)
    ]
    result = NameIndex.build(many).lookup("Ales")
    assert result.kind == "choose"
    assert len(result.slugs) == MAX_CHOICES


# --- mentions in text ---


def test_statement_names_exactly_the_five() -> None:
    text = STATEMENT.read_text(encoding="utf-8")
    assert INDEX.find_mentions(text) == [
        "ales-bialiatski",
        "valiantsin-stefanovic",
        "uladzimir-labkovich",
        "marfa-rabkova",
        "nasta-loika",
    ]


@pytest.mark.parametrize(
    ("text", "slugs"),
    [
        ("Free **Marfa Rabkova** and Nasta Loika!", ["marfa-rabkova", "nasta-loika"]),
        ("Letters to Walancin Stefanowicz reach him.", ["valiantsin-stefanovic"]),
        ("Суд над Марфай Рабковай і Настай Лойкай.", ["marfa-rabkova", "nasta-loika"]),
        ("Суд вынес приговор Алесю Беляцкому.", ["ales-bialiatski"]),
        ("Вызваленне Алеся Бяляцкага і Марфы Рабковай.", ["ales-bialiatski", "marfa-rabkova"]),
        ("Ales Bialiatski's wife wrote again.", ["ales-bialiatski"]),
        ("Rabkova is held in Homel.", ["marfa-rabkova"]),
        ("Лабковіч вызвалены.", ["uladzimir-labkovich"]),
        (
            "Loika, Rabkova and Stefanovic remain behind bars.",
            ["nasta-loika", "marfa-rabkova", "valiantsin-stefanovic"],
        ),
    ],
)
def test_mentions_in_any_spelling(text: str, slugs: list[str]) -> None:
    assert INDEX.find_mentions(text) == slugs


@pytest.mark.parametrize(
    "text",
    [
        "Ales went to the market and bought ales.",
        "Marfa, Nasta and Valik send their regards.",  # first names alone
        "the rabkova file",  # a lowercase surname is an ordinary word
        "Petrov and Petrova",  # not unique
        "Ales and Uladzimir wrote",  # first names side by side
        "Human Rights Center Viasna, Minsk",
    ],
)
def test_ordinary_words_mention_nobody(text: str) -> None:
    assert INDEX.find_mentions(text) == []


# --- properties ---

KNOWN_SLUGS = set(CASES)
ALL_NAMES = [(slug, name) for slug, names in CASES.items() for name in names]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_lookup_never_raises_and_is_well_formed(query: str) -> None:
    result = INDEX.lookup(query)
    assert set(result.slugs) <= KNOWN_SLUGS
    assert set(result.suggestions) <= KNOWN_SLUGS
    if result.kind == "match":
        assert len(result.slugs) == 1 and not result.suggestions and not result.unsure
    elif result.kind == "choose":
        assert 2 <= len(result.slugs) <= MAX_CHOICES and not result.suggestions
        assert set(result.unsure) <= set(result.all_slugs)
    else:
        assert result.slugs == ()
        assert len(result.suggestions) <= MAX_SUGGESTIONS
        # Who the query may mean, but not surely, is suggested first.
        assert result.suggestions[: len(result.unsure)] == result.unsure
        if result.kind == "too_short":
            assert result.suggestions == ()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_find_mentions_never_raises(text: str) -> None:
    assert set(INDEX.find_mentions(text)) <= KNOWN_SLUGS


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(ALL_NAMES), st.lists(st.booleans(), min_size=40, max_size=40))
def test_every_known_name_finds_its_case_in_any_letter_case(
    entry: tuple[str, str], upper: list[bool]
) -> None:
    slug, name = entry
    recased = "".join(c.upper() if up else c.lower() for c, up in zip(name, upper, strict=False))
    assert INDEX.lookup(recased) == SearchResult("match", (slug,))


NAME_WORD = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzабвгдеёжзійклмнопрстуўфхцчшыьэюяł", min_size=1, max_size=9
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(NAME_WORD, min_size=1, max_size=4), min_size=1, max_size=MAX_CHOICES))
def test_any_exact_name_finds_its_case(names: list[list[str]]) -> None:
    entries = [(f"case-{n}", [" ".join(words)]) for n, words in enumerate(names)]
    index = NameIndex.build(entries)
    for slug, (name,) in entries:
        result = index.lookup(name)
        if result.kind == "too_short":
            assert all(len(word) < 3 for word in normalise(name))
            continue
        assert result.kind in ("match", "choose")
        assert slug in result.slugs


# Letters that no spelling fold touches, so an edited word is its own skeleton.
STABLE_WORD = st.text(alphabet="abdefkmnoprv", min_size=4, max_size=13).filter(
    lambda word: normalise(word) == [word]
)
EDIT = st.tuples(
    st.sampled_from(["substitute", "insert", "delete"]),
    st.integers(min_value=0, max_value=20),
    st.sampled_from("abdefkmnoprv"),
)


def apply_edits(word: str, edits: list[tuple[str, int, str]]) -> str:
    for operation, position, letter in edits:
        position %= len(word) + 1
        if operation == "insert":
            word = word[:position] + letter + word[position:]
        elif len(word) > 1:
            position = min(position, len(word) - 1)
            kept = letter if operation == "substitute" else ""
            word = word[:position] + kept + word[position + 1 :]
    return word


@settings(max_examples=300, deadline=None)
@given(
    STABLE_WORD,
    st.lists(st.lists(EDIT, min_size=1, max_size=3), max_size=12),
    st.lists(STABLE_WORD, max_size=20),
    st.lists(EDIT, max_size=2),
    st.booleans(),
)
def test_typos_find_what_a_full_comparison_finds(
    target: str,
    neighbours: list[list[tuple[str, int, str]]],
    strangers: list[str],
    edits: list[tuple[str, int, str]],
    with_first_name: bool,
) -> None:
    """The fuzzy index misses nothing that comparing against every name would find."""
    # Namesakes a few edits from the target make choices likely.
    spelt = [target, *(apply_edits(target, change) for change in neighbours), *strangers]
    surnames = [s for s in dict.fromkeys(spelt) if len(s) >= 3 and normalise(s) == [s]]
    index = NameIndex.build((f"case-{n}", [f"Mikola {s}"]) for n, s in enumerate(surnames))
    typed = apply_edits(surnames[0], edits)
    if len(typed) < 3 or normalise(typed) != [typed] or typed in AROUND_A_NAME:
        return
    # Brute force: the typed word against every surname ("mikola" is out of
    # reach, it has letters the alphabet lacks).
    costs = []
    for number, surname in enumerate(surnames):
        tolerance = allowed_edits(min(len(surname), len(typed)), corroborated=with_first_name)
        distance = Levenshtein.distance(surname, typed)
        # A declined form: the same stem once the case ending is off is one step.
        # (A word with no ending of its own is no declined form: a prefix at best.)
        declined = strip_ending(surname) == strip_ending(typed) != typed
        if min(len(surname), len(typed)) >= MIN_STEM and distance and declined:
            distance, tolerance = min(distance, 1), max(tolerance, 1)
        # Whether the word can be this person's, by the rules of cases.genders
        # (tested on their own by the tables above).
        known = {lemma(w) for s in surnames for w in (s, "mikola")}
        judged = verdict([reading(typed, surname, known)], index.gender(f"case-{number}"))
        if distance <= tolerance and judged != REFUSED:
            costs.append((distance, judged != CLEAN, number))
    costs.sort()
    plausible = tuple(f"case-{n}" for cost, _, n in costs if cost <= costs[0][0] + 1)
    unsure = {f"case-{n}" for cost, doubt, n in costs if cost <= costs[0][0] + 1 and doubt}
    # Nobody named: the surnames the typed word begins, never someone it cannot be
    # (a name still being typed may end on half of a "ts" or "kh"); a word that is a
    # name in full (someone's, or a first name: "anna") begins nobody.
    starts = [typed, *([typed[:-1]] if typed[-1] in "tcszkp" and len(typed) > MIN_PREFIX else [])]
    begun = tuple(
        f"case-{n}"
        for n, surname in enumerate(surnames)
        if len(typed) >= MIN_PREFIX
        and typed not in surnames
        and not is_first_name(typed)
        and surname.startswith(tuple(starts))
        and verdict([reading(typed, surname, known)], index.gender(f"case-{n}")) != REFUSED
    )

    result = index.lookup(f"Mikola {typed}" if with_first_name else typed)
    if not plausible and not begun:
        assert result.kind == "none" and result.unsure == ()
    elif not plausible and len(begun) == 1:
        # A name it only begins is never a card: "Did you mean".
        assert (result.kind, result.suggestions, result.unsure) == ("none", begun, begun)
    elif not plausible:
        assert result == SearchResult("choose", begun[:MAX_CHOICES])
        assert result.unsure == begun[:MAX_LISTED]
    elif len(plausible) == 1 and not unsure:
        assert result == SearchResult("match", plausible)
    elif len(plausible) == 1:
        assert result.kind == "none" and result.unsure == plausible
        assert result.suggestions[0] == plausible[0]
    else:
        assert result == SearchResult("choose", plausible[:MAX_CHOICES])
        assert set(result.unsure) == unsure
