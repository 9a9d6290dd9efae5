"""Put-downs made of ordinary words in the ten non-English languages: flagged in hostile replies, silent in kind ones.

tests/fixtures/putdown_replies.tsv holds 8 hostile and 8 kind replies per language, written with the phrase
lists by the same writer (the kind ones contain words close to the phrases on purpose).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from moderation import check
from moderation.policy import Policy
from moderation.putdowns import phrases, put_down_spans

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "putdown_replies.tsv"
CASES = [tuple(r) for r in csv.reader(FIXTURE.read_text(encoding="utf-8").splitlines(), delimiter="\t")]
LANGS = ("ar", "bg", "de", "es", "fr", "id", "pt", "th", "ur", "vi")


def test_every_language_has_phrases_and_cases() -> None:
    assert set(phrases()) == set(LANGS)
    assert all(len(phrases()[lang]) >= 30 for lang in LANGS)
    assert {(lang, kind) for lang, kind, _ in CASES} == {(lang, k) for lang in LANGS for k in ("hostile", "kind")}


@pytest.mark.parametrize(("lang", "text"), [(lang, t) for lang, kind, t in CASES if kind == "kind"])
def test_kind_replies_match_no_phrase(lang: str, text: str) -> None:
    assert put_down_spans(text, lang) == []


@pytest.mark.parametrize(("lang", "text"), [(lang, t) for lang, kind, t in CASES if kind == "hostile"])
def test_hostile_replies_are_flagged_by_the_check(lang: str, text: str) -> None:
    result = check(text, policy=Policy(checks=["toxicity"], languages=[lang]))
    assert result.action != "pass"


def test_matching_is_whole_word_case_blind_and_takes_either_apostrophe() -> None:
    assert put_down_spans("Bref, VOUS NE SAVEZ PAS LIRE.", "fr")
    assert not put_down_spans("Nous ne savons pas lire dans les pensées, dites-nous tout !", "fr")
    assert put_down_spans("Leute wie Sie sind der Grund für die Warteschlange.", "de")
    assert put_down_spans("Leute wie Sie sind der Grund", "en") == []  # English has its own patterns
