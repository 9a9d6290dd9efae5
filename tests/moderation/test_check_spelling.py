"""Spelling check: exact spans, confident fixes, and everything that is not prose left alone."""

from __future__ import annotations

import pytest

from moderation.checks import CheckContext
from moderation.checks.spelling import SpellingCheck
from moderation.engine import _get
from moderation.policy import Policy

FIXED = [
    # text, misspelled span, first suggestion (applied automatically)
    ("We recieve many requests.", "recieve", "receive"),
    ("Please check your acount settings.", "acount", "account"),
    ("We will definately look into it.", "definately", "definitely"),
    ("Your pasword was reset.", "pasword", "password"),
    ("Thanks for your pateince today.", "pateince", "patience"),
]
NOT_FLAGGED = [
    "@JetBlue_Help thanks for the heads up! #travel",
    "See https://t.co/AbCdEf12 or www.example.com/helpz for more.",
    "Email helpdesk@exampel.com and we'll reply.",
    "Your IMEI and SKU are on the receipt.",
    "Glad we could help! ^JS",
    "Glad we could help! *HCK",
    "Glad we could help. -Sabi",
    "Thanks for waiting, Ramya! Your Xbox is on its way.",
    "Order 12345abc shipped 😀👍 on 3/4.",
    "Try the iPhone settings and the PlayStation app.",
    "You can unmute, redownload and deregister from the uploader.",
    "We'll sort it, y'all, we're on it.",
]


@pytest.fixture(scope="module")
def spelling() -> SpellingCheck:
    check = _get("spelling")
    assert isinstance(check, SpellingCheck)
    return check


@pytest.mark.parametrize(("text", "typo", "fix"), FIXED)
def test_confident_fixes(spelling: SpellingCheck, ctx: CheckContext, text: str, typo: str, fix: str) -> None:
    found = spelling.analyze(text, ctx)
    assert [(f.text, f.label, f.severity) for f in found] == [(typo, "misspelling", "warn")]
    assert text[found[0].start:found[0].end] == typo
    assert found[0].suggestions[0] == fix


@pytest.mark.parametrize("text", NOT_FLAGGED)
def test_not_prose_is_not_flagged(spelling: SpellingCheck, ctx: CheckContext, text: str) -> None:
    assert [f for f in spelling.analyze(text, ctx) if f.severity != "info"] == []


def test_context_chooses_between_candidates(spelling: SpellingCheck, ctx: CheckContext) -> None:
    # "sory" is one edit from story, sort and sorry; the neighbours decide.
    found = spelling.analyze("We are so sory about that.", ctx)
    assert found[0].suggestions[0] == "sorry"


def test_brand_dictionary_and_mention_words(spelling: SpellingCheck) -> None:
    policy = Policy(dictionary=["Zorblax", "Flimp Plus"])
    assert spelling.analyze("Update zorblax and flimp today.", CheckContext(policy=policy)) == []
    mention = {"text": "my flurbo card broke"}
    assert spelling.analyze("Sorry your flurbo card broke.", CheckContext(mention=mention)) == []


def test_capitalised_unknown_word_is_only_suggested(spelling: SpellingCheck, ctx: CheckContext) -> None:
    found = spelling.analyze("Recieve it soon.", ctx)
    assert [(f.text, f.severity) for f in found] == [("Recieve", "info")]
    assert found[0].suggestions[0] == "Receive"


def test_autofix_can_be_switched_off(spelling: SpellingCheck) -> None:
    policy = Policy.model_validate({"spelling": {"autofix": False}})
    found = spelling.analyze("We recieve it.", CheckContext(policy=policy))
    assert [(f.text, f.severity) for f in found] == [("recieve", "info")]


@pytest.mark.parametrize(("text", "typo", "fix"), [
    ("Gracias por escribirnos, por favor siguenos en Twitter para ayudarte.", "siguenos", "síguenos"),
])
def test_other_language_uses_its_own_list(spelling: SpellingCheck, ctx: CheckContext, text: str, typo: str,
                                          fix: str) -> None:
    found = [f for f in spelling.analyze(text, ctx) if f.severity == "warn"]
    assert [(f.text, f.suggestions[0]) for f in found] == [(typo, fix)]


def test_language_without_list_is_skipped(spelling: SpellingCheck, ctx: CheckContext) -> None:
    text = "Dziękujemy za wiadomość, sprawdzimy zamówienie i odpiszemy wkrótce."
    found = spelling.analyze(text, ctx)
    assert [(f.label, f.severity) for f in found] == [("language_skipped", "info")]
