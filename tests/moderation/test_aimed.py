"""Harsh English words not aimed at the customer: quoted back, kind profanity, our own failure owned elsewhere.

Every sentence here was written for these tests (not taken from a bench set).
"""

from __future__ import annotations

import pytest

from moderation import check
from moderation.checks.aimed import QUOTED, about_us, kind_profanity, owned_elsewhere, quoted_back
from moderation.policy import Policy, ToxicityPolicy
from moderation.scores import score

WARN = ToxicityPolicy().warn


def _model(text: str) -> float:
    return score([text], language="en", sentiment=False)[0].toxicity.score


def _english(text: str) -> list[tuple[str, str]]:
    found = check(text, policy=Policy(checks=["toxicity"], languages=["en"])).findings
    return [(f.label, f.severity) for f in found]


def test_two_quoted_words_are_a_quote_and_one_is_a_scare_quote() -> None:
    assert QUOTED.search("You said the app was 'total junk' yesterday.")
    assert QUOTED.search("Your words: “a useless shower of clowns”.")
    assert not QUOTED.search("Your 'complaint' has been noted.")
    assert not QUOTED.search("We don't open on Sundays, it's our staff's day off.")  # apostrophes are no quote


@pytest.mark.parametrize("text", [
    "'Worthless rubbish app' is fair after that crash, and version 7.1 fixes it today.",
    "Shit, this is the best review we have had all year, thank you!",
    "That was a pathetic delivery time from us and the refund is already on its way.",
])
def test_kind_uses_of_harsh_words_pass(text: str) -> None:
    assert _model(text) >= WARN  # the model alone flags each of them
    assert _english(text) == []


@pytest.mark.parametrize("text", [
    "'Worthless rubbish app', you say? You're the worthless one here.",  # the quote excuses nothing else
    "Damn, you're a moron.",
    "Bloody hell, you're thick.",
    "That was a pathetic delivery time from us. You're pathetic too.",
])
def test_harsh_words_aimed_at_the_customer_stay(text: str) -> None:
    assert _english(text)


def test_each_test_needs_its_own_evidence() -> None:
    always_clean, always_toxic = (lambda s: 0.0), (lambda s: 0.9)
    quoted, plain = "They called it 'a dumb waste of money'.", "No quotes in this stupid sentence."
    assert quoted_back(quoted, (0, len(quoted)), quoted, always_clean, WARN)
    assert not quoted_back(quoted, (0, len(quoted)), quoted, always_toxic, WARN)
    assert not quoted_back(plain, (0, len(plain)), plain, always_clean, WARN)
    # a quoted question is cut by the sentence splitter; the quote is found in the whole reply
    reply = "'Why is this rubbish app so slow?' is a fair question. Version 2 fixes it."
    first = reply.index("?") + 1
    assert quoted_back(reply, (0, first), reply[:first], always_clean, WARN)
    assert kind_profanity("Shit, we love this!", always_clean, WARN, lambda: True)
    assert not kind_profanity("Shit, we love this!", always_clean, WARN, lambda: False)  # an angry reply
    assert not kind_profanity("You're shit.", always_clean, WARN, lambda: True)
    assert owned_elsewhere("That queue was a joke.", ["That queue was a joke.", "It's on us, sorry."])
    assert not owned_elsewhere("You're a joke.", ["You're a joke.", "It's on us, sorry."])
    assert not owned_elsewhere("That queue was a joke.", ["That queue was a joke.", "Please wait."])


# written for these tests: an insult noun aimed at the customer by its place in the sentence, and the same
# nouns where they aim at no one
@pytest.mark.parametrize("text", [
    "The opening hours are on the door, the website and the app, airhead.",
    "You left the charger in the hotel room like a total muppet.",
    "Our favourite whinger is back with another essay about the car park.",
    "Step-by-step photos are attached for the clueless.",
    "Nice tantrum 🍼",
])
def test_name_calling_is_a_put_down(text: str) -> None:
    assert ("put_down", "warn") in _english(text)


@pytest.mark.parametrize("text", [
    "Thanks, Karen! The parcel is on its way.",
    "The Muppet Christmas Carol screens at 7 pm on Friday.",
    "Coco the Clown visits the Leeds store on Saturday from 11.",
])
def test_the_same_nouns_aimed_at_no_one_pass(text: str) -> None:
    assert _english(text) == []


# written for these tests: round 10's put-down families (mock thanks, cleverer customers, drama, veiled threats,
# reading and memory doubted, outrage mocked, followers told), and kind sentences close to them
@pytest.mark.parametrize("text", [
    "Cheers for the 9 tweets, Rob. The first one was enough.",
    "Every other customer managed to book online without calling us.",
    "No need for the theatrics, it's a parking permit.",
    "Your account is now on our radar.",
    "Section 3 of the terms. Read it this time.",
    "Not reading all that. Email us if it matters.",
    "As per my last two emails, the engineer comes on Friday.",
    "It's a sandwich, it was cold because it's a salad sandwich. Harden up.",
    "Maybe check your memory before telling people we promised that.",
    "Just so your followers know, the refund went out on Monday.",
    "You're the reason we have to put instructions on the lid.",
])
def test_round10_put_down_families(text: str) -> None:
    assert _english(text)


@pytest.mark.parametrize("text", [
    "Thanks for sharing the photos of your garden, it looks lovely!",
    "Other customers have reported the same outage and the engineers are on it.",
    "Our tomato seedlings are doing their best, bless them.",
    "Honestly, you're the reason we do this job. Thank you!",
    "Kindly refrain from sharing card details here; a DM is safer.",
])
def test_near_misses_of_those_families_pass(text: str) -> None:
    assert _english(text) == []


# round 11: harsh words said of ourselves, written for these tests
@pytest.mark.parametrize("text", [
    "Our checkout page was rubbish last night, we know. It's fixed and your basket is saved.",
    "Leaving the flag on was a dumb oversight on our part. Version 3.2 turns it off.",
    "We hate that spinning wheel too, and it's gone in the next update.",
])
def test_harsh_words_about_ourselves_pass(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _english(text) == []
    monkeypatch.setattr("moderation.checks.toxicity.about_us", lambda *args: False)
    assert _english(text)  # without the excuse the model flags each of them


@pytest.mark.parametrize("text", [
    "Our agents are tired of stupid questions like yours.",  # the clause addresses the customer
    "We hate customers who can't read.",  # our feeling, but the model still reads an insult once "hate" goes
    "Our policy is clear, idiot.",  # the insult sits outside the frame's words
])
def test_frames_about_us_excuse_nothing_aimed_at_the_customer(text: str) -> None:
    assert _english(text)


def test_about_us_blanks_only_the_frame_words() -> None:
    seen: list[str] = []

    def rescore(s: str) -> float:
        seen.append(s)
        return 0.0

    assert about_us("Our strap clasp is stupidly fiddly, we know.", rescore, WARN)
    assert "stupidly" not in seen[-1] and "strap clasp" in seen[-1]
    assert not about_us("Your strap clasp is stupidly fiddly.", rescore, WARN)  # no frame about us
    assert not about_us("Our strap clasp is fiddly, you idiot.", lambda s: 0.9, WARN)
