"""Hostility head: ships offline on the encoder's pooled vector, flags polite hostility, leaves look-alikes alone."""

from __future__ import annotations

import numpy as np
import pytest

from moderation import check
from moderation.checks import CheckContext
from moderation.checks.hostile import hostility_spans
from moderation.checks.toxicity import ToxicityCheck
from moderation.hostility import HOSTILITY_FILE, HostilityHead
from moderation.policy import Policy
from moderation.textmodel import DATA_DIR, POOLED, OnnxScorer, TextModel, artefact_present

needs_model = pytest.mark.skipif(not artefact_present(), reason="shipped text model not installed")

# Head outputs of the model as shipped before the pooled output was added (scripts/expose_pooled.py),
# one text at a time: adding an output must not move any head by a single bit.
REFERENCE = {
    "Thanks, we're on it!": [
        [0.01866542175412178, 0.10331091284751892, 0.878023624420166],
        [0.973588764667511, 0.02641124464571476], [0.9775260090827942, 0.022473996505141258],
        [0.07445602864027023, 0.12743158638477325, 0.7981123924255371]],
    "You are an idiot.": [
        [0.8429269194602966, 0.09650982916355133, 0.060563232749700546],
        [0.03509951010346413, 0.9649004340171814], [0.785754919052124, 0.21424509584903717],
        [0.30092155933380127, 0.6129140853881836, 0.08616434037685394]],
}


@pytest.fixture(scope="module")
def model() -> TextModel:
    return TextModel(threads=1)


@needs_model
@pytest.mark.parametrize("text", sorted(REFERENCE))
def test_heads_unchanged_by_the_pooled_output(model: TextModel, text: str) -> None:
    probs = model.predict([text])
    assert model.heads == ["sentiment", "offensive", "hate", "davidson"]
    for head, expected in zip(model.heads, REFERENCE[text], strict=True):
        assert np.array_equal(probs[head][0], np.asarray(expected, dtype=np.float32)), head


@needs_model
def test_pooled_vector_is_an_output(model: TextModel) -> None:
    assert POOLED in model.outputs
    assert model.predict(["hello there", "thanks"])[POOLED].shape == (2, 384)


def test_head_loads_from_json_offline() -> None:
    head = HostilityHead.load(DATA_DIR / HOSTILITY_FILE)
    assert head.coef.shape == head.mean.shape == head.scale.shape == (384,)
    assert 0.0 < head.threshold < 1.0
    # predict re-centres on the calibrated threshold: a raw probability equal to the threshold reads 0.5
    t = head.threshold
    at_threshold = HostilityHead(head.mean * 0, head.scale * 0 + 1, head.coef * 0, float(np.log(t / (1 - t))), t)
    assert at_threshold.predict(np.ones((1, 384), dtype=np.float32))[0] == pytest.approx(0.5)


@needs_model
def test_scorer_reports_hostility_for_english_only_when_asked_nothing_else() -> None:
    scorer = OnnxScorer(multilingual=False)
    calm, rude = scorer.score(["Your parcel is on its way, thanks for waiting.",
                               "Some customers simply refuse to read, and you are clearly one of them."])
    assert calm.toxicity.hostility is not None and rude.toxicity.hostility is not None
    assert calm.toxicity.hostility < 0.5 <= rude.toxicity.hostility
    hinted = scorer.score(["Your parcel is on its way."], language="en", sentiment=False)[0]
    assert hinted.language.code == "en" and hinted.toxicity.hostility is not None


@pytest.fixture(scope="module")
def tox() -> ToxicityCheck:
    check = ToxicityCheck()
    check.load()
    return check


@needs_model
@pytest.mark.parametrize("text", [
    # not in any training fragment or bench set; no pattern names it
    "Some customers simply refuse to read, and you are clearly one of them.",
])
def test_flags_polite_hostility_no_pattern_names(tox: ToxicityCheck, ctx: CheckContext, text: str) -> None:
    found = tox.analyze(text, ctx)
    assert [(f.label, f.severity) for f in found] == [("hostile", "warn")]


@needs_model
def test_flags_a_two_word_brush_off(tox: ToxicityCheck, ctx: CheckContext) -> None:
    """A brand answering a customer "Cool story." is brushing them off (several authors of the replies wrote it)."""
    assert [(f.label, f.severity) for f in tox.analyze("Cool story.", ctx)] == [("hostile", "warn")]


@needs_model
@pytest.mark.parametrize("text", ["Lol no", "Noted.", "@dana_k Okay. ^JS", "ok cool"])
def test_bare_acknowledgement_is_curt_not_hostile(tox: ToxicityCheck, ctx: CheckContext, text: str) -> None:
    """A whole reply of one or two bare words is a brush-off in public, but nothing in it is hostile (tone says so)."""
    assert tox.analyze(text, ctx) == []
    verdict = check(text)
    assert [(f.check, f.label, f.severity) for f in verdict.findings] == [("tone", "curt", "warn")]
    assert verdict.action == "warn"


@pytest.mark.parametrize("text", ["Sure!", "Cool, glad it's sorted", "ok, on it", "Noted, thank you.", "Yes."])
def test_acknowledgement_with_more_is_not_curt(text: str) -> None:
    assert not any(f.label == "curt" for f in check(text, policy=Policy(checks=["tone"])).findings)


@needs_model
@pytest.mark.parametrize("text", [
    "If the app freezes, kill the process and restart it.",
    "That is a damn good question, thanks!",
    "Our gay and lesbian customers love this range.",
    "Sorry, we cannot refund opened items, but we can offer store credit.",
    "Please read the FAQ section on delivery times; it lists every region.",
    "Nobody cares more about your privacy than we do.",
])
def test_leaves_look_alikes_alone(tox: ToxicityCheck, ctx: CheckContext, text: str) -> None:
    assert tox.analyze(text, ctx) == []


@needs_model
def test_a_brand_raising_the_warn_threshold_silences_the_head(tox: ToxicityCheck) -> None:
    text = "Some customers simply refuse to read, and you are clearly one of them."
    lax = CheckContext(policy=Policy.model_validate({"toxicity": {"warn": 0.9999, "block": 0.99999}}))
    assert [f for f in tox.analyze(text, lax) if f.label == "hostile"] == []


@pytest.mark.parametrize("sentences, chunks, expected", [
    ([((0, 10), 0.9)], [], [(0, 10, 0.9)]),                                  # a lone sentence decides
    ([((0, 10), 0.2)], [], []),
    ([((0, 10), 0.9), ((11, 20), 0.1)], [((0, 20), 0.3)], []),               # the chunk decides
    ([((0, 10), 0.9), ((11, 20), 0.6)], [((0, 20), 0.8)], [(0, 10, 0.9)]),   # narrowed to the worst sentence
    ([((0, 10), 0.3), ((11, 20), 0.2)], [((0, 20), 0.7)], [(0, 20, 0.7)]),   # hostile only in context
])
def test_hostility_spans(sentences: list[tuple[tuple[int, int], float]],
                         chunks: list[tuple[tuple[int, int], float]],
                         expected: list[tuple[int, int, float]]) -> None:
    assert hostility_spans(sentences, chunks) == expected
    assert hostility_spans(sentences, chunks, at=0.95) == []
