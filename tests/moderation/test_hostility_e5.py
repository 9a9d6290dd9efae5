"""e5 second opinion: asked only about drafts the hostility head is unsure of, flags what it is sure of."""

from __future__ import annotations

import importlib

import pytest

from moderation.checks import CheckContext
from moderation.checks.toxicity import ToxicityCheck
from moderation.hostility import second_opinion
from moderation.policy import Policy
from moderation.textmodel import artefact_present

needs_both = pytest.mark.skipif(not artefact_present() or second_opinion() is None,
                                reason="shipped text model or e5 encoder not installed")
# A round-10 training reply: at the e5 threshold the dev sets chose (0.99) the second opinion decides 1 of the
# 3,379 authored hostile replies; the earlier examples here (round 7's "You do realise the instructions come in
# the box, right?", round 8's coupon reply) no longer fall in the band it is asked about.
UNSURE_HOSTILE = "Talk to the hand, Gary. Or better still, don't talk at all."


@pytest.fixture()
def ctx() -> CheckContext:
    return CheckContext(policy=Policy(checks=["toxicity"], languages=["en"]))


def _labels(ctx: CheckContext, text: str) -> list[str]:
    return [f.label for f in ToxicityCheck().analyze(text, ctx)]


@needs_both
def test_second_opinion_loads_offline_with_a_band_below_the_head() -> None:
    second = second_opinion()
    assert second is not None
    head, band = second
    assert head.coef.shape == (384,) and 0.0 < band < 0.5 and 0.5 <= head.threshold < 1.0


@needs_both
def test_unsure_hostile_draft_is_flagged_only_with_the_second_opinion(
        ctx: CheckContext, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _labels(ctx, UNSURE_HOSTILE) == ["hostile"]
    monkeypatch.setattr(importlib.import_module("moderation.hostility"), "second_opinion", lambda: None)
    assert _labels(ctx, UNSURE_HOSTILE) == []


@needs_both
@pytest.mark.parametrize("text", ["Thanks, we're on it! Your refund is on its way.",
                                  "The instructions are also in the box if you prefer paper."])
def test_benign_replies_pass(ctx: CheckContext, text: str) -> None:
    assert _labels(ctx, text) == []


@needs_both
def test_sure_drafts_never_pay_for_the_e5_pass(ctx: CheckContext, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(_texts: object) -> object:
        raise AssertionError("e5 pass run outside the band")

    monkeypatch.setattr(importlib.import_module("moderation.embed"), "embed", refuse)
    assert _labels(ctx, "Your parcel is on its way, thanks for waiting.") == []
