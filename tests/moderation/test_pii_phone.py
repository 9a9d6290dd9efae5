"""The pruning phone recognizer finds exactly what Presidio's does; the lazy NLP pass changes no score."""

from __future__ import annotations

import pytest
from presidio_analyzer.predefined_recognizers import PhoneRecognizer

from moderation.pii_engine import LazyNlpArtifacts
from moderation.pii_phone import RegionPhoneRecognizer, hopeless
from moderation.pii_recognizers import PHONE_REGIONS, build_analyzer

TEXTS = [
    "Call her on 415-555-0132 tonight.",
    "Her mobile is +44 7700 900123, or 0044 7700 900124 from abroad.",
    "Ticket 115855 is closed; see 2/2 and 11.1 for the rest.",
    "Ring 030/1234/5678 or 089 1234567 (Munich), 06 12 34 56 78 in France.",
    "Call 1-800-FLOWERS or 011 44 20 7946 0958 now.",
    "Use ０９０-１２３４-５６７８ or 0412 345 678 in Australia.",
    "Order 12345 shipped 3/4 at 10:30, ref 98765.",
    "",
]


def _found(recognizer: PhoneRecognizer, text: str) -> list[tuple[int, int, float, str]]:
    """The recognizer's results in a comparable form."""
    return [(r.start, r.end, r.score, r.analysis_explanation.textual_explanation)
            for r in recognizer.analyze(text, ["PHONE_NUMBER"])]


@pytest.mark.parametrize("regions", [list(PHONE_REGIONS), ["US"], ["DE", "AT", "CH"], ["SM", "IM", "JE", "AR"]])
def test_same_matches_as_presidio(regions: list[str]) -> None:
    """Same spans, scores and regions, in the same order, whatever the regions."""
    stock = PhoneRecognizer(supported_regions=regions, leniency=1)
    pruned = RegionPhoneRecognizer(supported_regions=regions, leniency=1)
    for text in TEXTS:
        assert _found(pruned, text) == _found(stock, text), text


def test_hopeless_only_when_no_region_rule_allows() -> None:
    """Six digits are too few for a US number, not for a German one; a plus or a dialling prefix is never skipped."""
    assert hopeless("115855", "US")
    assert not hopeless("115855", "DE")
    assert not hopeless("+1 15855", "US")
    assert not hopeless("011 4415", "US")
    assert not hopeless("1-800-FLOWERS", "US")
    assert not hopeless("12", None)


def test_lazy_artifacts_build_once_and_only_when_read() -> None:
    """Nothing is tokenised until a context word is looked up; then once."""
    calls = []

    def build() -> object:
        calls.append(1)
        return type("Artifacts", (), {"tokens": ["a"], "lemmas": ["a"]})()

    lazy = LazyNlpArtifacts(build)  # type: ignore[arg-type]
    assert not calls
    assert lazy.tokens == ["a"] and lazy.lemmas == ["a"]
    assert len(calls) == 1


def test_context_word_still_raises_a_weak_number() -> None:
    """"phone" before a bare number still lifts its score: the lazy NLP pass runs when context is needed."""
    analyzer = build_analyzer()
    text = "His phone is 9469 9966 now."
    scores = [r.score for r in analyzer.analyze(text, language="en", entities=["PHONE_NUMBER"], score_threshold=0.0)
              if text[r.start:r.end] == "9469 9966"]
    assert scores and max(scores) > 0.1
