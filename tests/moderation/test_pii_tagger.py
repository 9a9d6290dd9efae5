"""PII sequence tagger and the split/spelled shapes: what it finds, what it must leave alone."""

from __future__ import annotations

import pytest

from moderation.checks import CheckContext
from moderation.engine import _get
from moderation.langid import common_words
from moderation.pii_tagger import (
    _address_like,
    _emission,
    _emissions,
    _model,
    _name_like,
    featurize,
    spans,
    tokens,
    viterbi,
)

FOUND = [
    # text, label, a substring the finding must cover
    ("Ship to 12 Elm Grove Rd, Apt 2\nPortland, OR 97201", "STREET_ADDRESS", "Elm Grove Rd"),
    ("We'll deliver to Flat 7, 33 Park Lane, Bristol BS1 5TH.", "STREET_ADDRESS", "33 Park Lane"),
    ("The courier is going to Brunnenstraße 17, 10119 Berlin.", "STREET_ADDRESS", "Brunnenstraße 17"),
    ("Courier: 5 avenue Victor Hugo, 69002 Lyon.", "STREET_ADDRESS", "avenue Victor Hugo"),
    ("The card 4111/1111/1111/1111 is on file.", "CREDIT_CARD", "4111/1111/1111/1111"),
    ("We refunded 4012 8888-8888.1881 today.", "CREDIT_CARD", "4012 8888-8888.1881"),
    ("Your iban de89-3704-0044-0532-0130-00 is saved.", "IBAN_CODE", "de89-3704-0044-0532-0130-00"),
    ("Mail bob [at] mail [.] com today.", "EMAIL_ADDRESS", "bob [at] mail [.] com"),
    ("We wrote to sue @ yahoo . com yesterday.", "EMAIL_ADDRESS", "sue @ yahoo . com"),
    ("Email mike.r AT gmail DOT com for the form.", "EMAIL_ADDRESS", "mike.r AT gmail DOT com"),
    ("Please call 212-five five five-0147 after lunch.", "PHONE_NUMBER", "212-five five five-0147"),
    ("Fax: 0221 4711 230", "PHONE_NUMBER", "0221 4711 230"),
    ("Our team will call you on 07700 900461 tomorrow.", "PHONE_NUMBER", "07700 900461"),
    ("Meet the courier at the corner of Lincoln Ave and Fullerton.", "STREET_ADDRESS", "Lincoln Ave"),
    ("Our courier will pick up from your home at 12 Main St tomorrow.", "STREET_ADDRESS", "12 Main St"),
]
NOT_FOUND = [
    "Hi, please contact our Lagos office on (+234) 70 94250 556 Monday to Friday.",
    "Their telephone number is 0344 493 0787 option 1.",
    "The Leeds branch on 0113 496 0000 has it.",
    "Ships in 5 and 10 and 15 and 20 days.",
    "Our store on Oak Street opens at 9.",
    "During 1971, Mayo-Walters invested heavily in new designs.",
    "Update to version 14.2.1 and restart, then call us.",
    "Hi Sarah, thanks for your patience!",
    "We met at the corner of Smith and Jones, the law firm.",
    "Our London office is at 1 Canada Square, call 0345 600 6000.",
    "Our store is at the corner of Oak St and 5th Ave.",
    "Visit us at 200 Queen St W, Toronto.",
]


def _findings(text: str) -> list[tuple[str, str]]:
    """(label, text) of each PII finding under the default policy."""
    return [(f.label, text[f.start:f.end]) for f in _get("pii").analyze(text, CheckContext())]


@pytest.mark.parametrize(("text", "label", "part"), FOUND)
def test_found(text: str, label: str, part: str) -> None:
    """Each shape is reported with the right label, covering the value."""
    assert any(lab == label and part in value for lab, value in _findings(text)), _findings(text)


@pytest.mark.parametrize("text", NOT_FOUND)
def test_not_blocked(text: str) -> None:
    """Company lines, counts, store streets and prose are no personal data."""
    assert [f for f in _findings(text) if f[0] != "PERSON"] == []


def test_spelled_word_inside_a_longer_word_is_no_digit() -> None:
    """'3747 3911 fourth avenue' holds no spelled phone number ('four' is part of 'fourth')."""
    text = "naomi ryan\n3747 3911 fourth avenue suite 112 calgary"
    assert not any(label == "PHONE_NUMBER" for label, _ in _findings(text))


def test_tokens_keep_offsets() -> None:
    """Tokens carry their offsets so spans map back onto the text."""
    text = "12 Elm St."
    assert [(s, e, w) for s, e, w in tokens(text)] == [(0, 2, "12"), (3, 6, "Elm"), (7, 9, "St"), (9, 10, ".")]


def test_viterbi_follows_transitions() -> None:
    """With equal emissions, a strong B->I transition makes the second token continue the entity."""
    labels = ["B-ADDR", "I-ADDR", "O"]
    state = {"num": [2.0, 0.0, 0.0], "word": [0.0, 0.5, 1.0]}
    trans = [[0.0, 1.0, 0.0], [0.0, 0.5, 0.0], [0.0, -5.0, 0.0]]
    assert viterbi([["num"], ["word"]], (labels, state, trans)) == ["B-ADDR", "I-ADDR"]
    assert viterbi([["word"], ["word"]], (labels, state, trans)) == ["O", "O"]


@pytest.mark.parametrize("text", [
    "Hi Jane Doe, the parcel goes to 12 Elm Grove Rd, Apt 2\nPortland, OR 97201 on Monday.",
    "Thanks!", "Ok", "Bitte an Brunnenstraße 17, 10119 Berlin schicken, Herr Müller.",
])
def test_indexed_emissions_match_the_feature_sums(text: str) -> None:
    """The cached weight rows give bit-for-bit the sums of featurize() + _emission(): the tags cannot move."""
    toks = tokens(text)
    labels, state, _ = _model()
    expected = [_emission(fs, state, len(labels)) for fs in featurize(text, toks, common_words("en"))]
    assert _emissions(text, toks).tolist() == expected


def test_shipped_model_tags_an_address() -> None:
    """The shipped weights find a plain street address and nothing in a plain thank-you."""
    text = "We will send it to 48 Harbour Road, Cardiff CF10 5AB today."
    assert any(label == "STREET_ADDRESS" and "Harbour Road" in text[s:e] for s, e, label in spans(text))
    assert spans("Thanks for your patience, we are on it!") == []


@pytest.mark.parametrize(("value", "ok"), [
    ("48 Harbour Road", True), ("Lindenstraße 8", True), ("Main", False), ("12", False), ("1/2", False),
    ("1971, Mayo-Walters invested heavily in", False), ("0120-999-373へ直接ご連絡ください", False),
])
def test_address_shape(value: str, ok: bool) -> None:
    """A tagged address needs a number or a street word, and no run of prose."""
    assert _address_like(value) is ok


@pytest.mark.parametrize(("value", "ok"), [
    ("Priya Raghunathan", True), ("Tube Snake", False), ("Devil", False), ("Hello Maria", False),
    ("maria lopez", False),
])
def test_name_shape(value: str, ok: bool) -> None:
    """A tagged name is two capitalised words, not all of them ordinary words, not a greeting."""
    assert _name_like(value) is ok
