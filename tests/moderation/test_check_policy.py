"""Policy and tone checks: banned phrases, link domains, blame, shouting, forbidden promises."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from moderation.checks import CheckContext
from moderation.checks.policy import PolicyCheck
from moderation.checks.tone import ToneCheck
from moderation.policy import Policy, SupportContacts

POLICY = Policy(banned_phrases=["no refunds"], allowed_link_domains=["acme.com"], dictionary=["ACME"])

POLICY_CASES = [
    ("Sorry, no refunds after 30 days.", [("banned_phrase", "no refunds", "block")]),
    ("See https://help.acme.com/returns for details.", []),
    ("See https://bit.ly/xyz for details.", [("link_domain", "https://bit.ly/xyz", "warn")]),
    ("We have refunds for everyone.", []),
]
TONE_CASES = [
    ("As I already said, the app needs an update.", [("blame", "As I already said", "warn")]),
    ("You should have read the terms.", [("blame", "You should have read", "warn")]),
    ("You should have a reference number by now.", []),
    ("As we mentioned in our DM, the refund is on its way.", []),
    ("Obviously you're frustrated, and we want to fix it.", []),
    ("As we've already explained, the fee stays.", [("blame", "As we've already explained", "warn")]),
    ("PLEASE STOP SENDING THESE MESSAGES.", [("shouting", "PLEASE STOP SENDING THESE MESSAGES", "warn")]),
    ("DM US ASAP with the IMEI.", []),
    ("ACME ACME ACME rocks.", []),
    ("We guarantee delivery tomorrow.", [("forbidden_promise", "We guarantee", "warn")]),
    ("Really???", [("punctuation", "???", "info")]),
    ("Thanks for your patience, we're on it!", []),
]


@pytest.mark.parametrize(("text", "expected"), POLICY_CASES)
def test_policy(text: str, expected: list[tuple[str, str, str]]) -> None:
    found = PolicyCheck().analyze(text, CheckContext(policy=POLICY))
    assert [(f.label, f.text, f.severity) for f in found] == expected


@pytest.mark.parametrize(("text", "expected"), TONE_CASES)
def test_tone(text: str, expected: list[tuple[str, str, str]]) -> None:
    found = ToneCheck().analyze(text, CheckContext(policy=POLICY))
    assert [(f.label, f.text, f.severity) for f in found] == expected
    for f in found:
        assert text[f.start:f.end] == f.text


def test_support_urls_are_allowed_links() -> None:
    support = SupportContacts(urls=["https://acmehelp.io/faq"])
    policy = Policy(allowed_link_domains=["acme.com"], support=support)
    text = "See https://acmehelp.io/faq/42 or https://evil.biz"
    found = PolicyCheck().analyze(text, CheckContext(policy=policy))
    assert [f.text for f in found] == ["https://evil.biz"]


def test_tone_rules_configurable() -> None:
    policy = Policy.model_validate({"tone": {"forbidden_promises": ["free upgrade"], "blame": False}})
    found = ToneCheck().analyze("You should have read it. Enjoy a free upgrade!", CheckContext(policy=policy))
    assert [f.label for f in found] == ["forbidden_promise"]


@pytest.mark.parametrize("bad", [{"checks": ["nope"]}, {"pii": {"bogus": 1}}, {"toxicity": {"warn": 2}}])
def test_policy_rejects_bad_rules(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Policy.model_validate(bad)
