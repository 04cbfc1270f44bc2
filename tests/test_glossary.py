"""Every catalogue keeps to the glossary: one word per concept per language.

messages/glossary.yaml names, for each concept, the word each language uses and
the alternatives it must not (see its header). Every msgstr of every catalogue
is read, every plural form too; a failure names the language, the concept, the
wrong word found and the msgid it was found in.
"""

import re
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

from languages import LANGUAGES, SOURCE_LANGUAGE, catalogue_path

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "messages" / "glossary.yaml"
TEMPLATE = ROOT / "messages" / "messages.pot"
TRANSLATED = [lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE]
# Not words: values, commands and what a user types as is (<code>/channel subscribe</code>).
NOT_WORDS = re.compile(r"<code>.*?</code>|%\(\w+\)s|(?<![\w/])/\w+|<[^>]+>")


def glossary() -> dict:
    return yaml.safe_load(GLOSSARY.read_text(encoding="utf-8"))


def texts(lang: str) -> list[tuple[str, str]]:
    """(msgid, text) for every form of every entry; English reads the template's msgids."""
    path = TEMPLATE if lang == SOURCE_LANGUAGE else catalogue_path(lang)
    with path.open("rb") as po_file:
        catalogue = read_po(po_file, locale=None if lang == SOURCE_LANGUAGE else lang)
    found = []
    for message in catalogue:
        if not message.id:
            continue
        msgid = message.id[0] if message.pluralizable else message.id
        if lang == SOURCE_LANGUAGE:
            forms = message.id if message.pluralizable else (message.id,)
        else:
            forms = message.string if message.pluralizable else (message.string,)
        found.extend((words(msgid), words(form)) for form in forms if form)
    return found


def words(text: str) -> str:
    return NOT_WORDS.sub(" ", text)


def about(concept: dict, msgid: str) -> bool:
    """Whether a text is about the concept, by its English msgid."""
    where, unless = concept.get("where"), concept.get("unless")
    if unless and re.search(unless, msgid, re.IGNORECASE):
        return False
    return not where or bool(re.search(where, msgid, re.IGNORECASE | re.MULTILINE))


def test_the_glossary_names_every_language_for_every_concept():
    for name, concept in glossary().items():
        assert concept.get("about"), name
        for lang in LANGUAGES:
            words = concept.get(lang)
            assert words and words.get("use"), (name, lang)
            for pattern in [words["use"], *words.get("not", [])]:
                re.compile(pattern)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_catalogue_uses_a_forbidden_word(lang):
    wrong = []
    entries = texts(lang)
    for name, concept in glossary().items():
        for pattern in concept[lang].get("not", []):
            for msgid, text in entries:
                found = re.search(pattern, text, re.IGNORECASE)
                if found and about(concept, msgid):
                    wrong.append(f"{lang} {name}: «{found.group(0)}» in {msgid!r}: {text!r}")
    assert wrong == [], "\n".join(wrong)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_a_text_about_a_concept_uses_its_word(lang):
    missing = []
    entries = texts(lang)
    for name, concept in glossary().items():
        if not concept.get("where") or concept[lang].get("free"):
            continue
        use = concept[lang]["use"]
        for msgid, text in entries:
            if about(concept, msgid) and not re.search(use, text, re.IGNORECASE):
                missing.append(f"{lang} {name}: no «{use}» in {msgid!r}: {text!r}")
    assert missing == [], "\n".join(missing)


def test_a_concept_is_told_apart_from_the_same_word_in_another_sense():
    # "Held back" (an alert kept from going out) is not "held in" (a place of detention),
    # and the Russian of the first must not read as "detained".
    concept = glossary()["held_back"]
    assert about(concept, words("<b>Held back</b> (a stale status, last %(days)s):"))
    assert not about(concept, words("<b>%(name)s</b>: held in %(place)s"))
    assert any(re.search(p, "Задержанные уведомления", re.I) for p in concept["ru"]["not"])
    assert not about(glossary()["follow"], words("Already being applied: the answer follows."))
