"""Integrity check and safe fixes: placeholders, changed handles and unlisted links block; fixes spare handles."""

from __future__ import annotations

import pytest

from moderation import check
from moderation.checks import CheckContext
from moderation.checks.integrity import IntegrityCheck
from moderation.engine import apply_fixes
from moderation.findings import Finding
from moderation.policy import PiiPolicy, Policy, SupportContacts

POLICY = Policy(checks=["integrity"], allowed_link_domains=["acme.example"],
                support=SupportContacts(urls=["https://help.acmecare.example/faq"]))
ANSWERED = {"author": "nora.bsky.social", "text": "@AcmeHelp my order is lost, cc @sam_k"}


def labels(text: str, policy: Policy = POLICY, context: dict[str, object] | None = ANSWERED) -> list[str]:
    ctx = CheckContext(platform="bluesky", policy=policy, mention=context)
    return [f.label for f in IntegrityCheck().analyze(text, ctx)]


@pytest.mark.parametrize("text, expected", [
    ("Refund sent to card [CREDIT_CARD].", ["placeholder"]),
    ("We wrote to <EMAIL_ADDRESS>.", ["placeholder"]),
    ("Hi @nora.bsky.social, sorry! @AcmeHelp and @sam_k are on it.", []),
    ("Hi @nora.sky.social, sorry!", ["handle_changed"]),
    ("Hi @sam_k2, sorry!", ["handle_changed"]),
    ("See https://help.acme.example/lost and https://help.acmecare.example/faq.", []),
    ("See https://acme-example.com/login", ["link_domain"]),
    ("Track it at evil.com/track", ["link_domain"]),
    ("Write to help@acme.example", []),
])
def test_integrity_findings(text: str, expected: list[str]) -> None:
    assert labels(text) == expected


def test_custom_redaction_template_is_recognised() -> None:
    policy = POLICY.model_copy(update={"pii": PiiPolicy(redaction="***{label}***")})
    assert labels("Card ***CREDIT_CARD*** refunded.", policy) == ["placeholder"]


def test_no_answered_author_means_no_handle_finding_and_no_list_means_no_link_allowed() -> None:
    assert labels("Hi @anyone", context=None) == []
    assert labels("https://acme.example/x", Policy(checks=["integrity"])) == ["link_domain"]


def test_integrity_findings_block_the_verdict() -> None:
    verdict = check("Card [CREDIT_CARD] refunded.", platform="x", policy=POLICY, context=ANSWERED)
    assert verdict.action == "block" and verdict.findings[0].check == "integrity"


def test_fixes_never_touch_handles_urls_emails_or_hashtags() -> None:
    text = "Hi @nora.bsky.social see https://acme.example/hlep #acmehelp jane@gmial.com, thnaks"

    def typo(word: str, fix: str) -> Finding:
        start = text.index(word)
        return Finding("spelling", start, start + len(word), word, "misspelling", "warn", 1.0, "typo", (fix,))

    fixed = apply_fixes(text, [typo("bsky", "sky"), typo("hlep", "help"), typo("acmehelp", "acme help"),
                               typo("gmial", "gmail"), typo("thnaks", "thanks")])
    assert fixed == "Hi @nora.bsky.social see https://acme.example/hlep #acmehelp jane@gmial.com, thanks"


def test_spelling_does_not_flag_a_bluesky_handle() -> None:
    verdict = check("Hi @nora.bsky.social, we are sorry.", platform="bluesky",
                    policy=Policy(checks=["spelling"]))
    assert not [f for f in verdict.findings if "bsky" in f.text]
