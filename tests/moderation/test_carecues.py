"""A reply that owns the customer's problem is not a warn-level insult; list insults and block-level scores stay."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from moderation import check
from moderation.carecues import OWNING, owns_problem
from moderation.checks.native import native_findings
from moderation.policy import ToxicityPolicy
from moderation.scores import score


class ScoredHeads:
    """Heads that give every text one fixed toxicity."""

    def __init__(self, tox: float) -> None:
        self.tox = tox

    def predict(self, texts: Sequence[str], languages: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        return np.full((len(texts), 3), 1 / 3, dtype=np.float32), np.full(len(texts), self.tox, dtype=np.float32)


def _findings(text: str, lang: str, tox: float) -> list[str]:
    spans = [(0, len(text))]
    found = native_findings(text, spans, [text], [[0]], lang, ScoredHeads(tox), ToxicityPolicy(), [])
    return [f.severity for f in found]


def test_a_warn_level_score_on_an_owning_sentence_is_left_out() -> None:
    assert _findings("Vous avez entièrement raison d'être agacé, c'est notre erreur.", "fr", 0.7) == []
    assert _findings("Vous avez entièrement raison d'être agacé, c'est notre erreur.", "fr", 0.95) == ["block"]
    assert _findings("Désolé, mais vous êtes vraiment pénible.", "fr", 0.7) == ["warn"]  # a bare "sorry" is not


@pytest.mark.parametrize(("lang", "text", "owning"), [
    ("id", "Anda benar, ini kesalahan kami.", True),
    ("id", "Anda benar-benar tidak paham.", False),  # "benar-benar" is "really", not "you are right"
    ("es", "Disculpa las molestias, lo resolvemos hoy.", True),
    ("th", "ขออภัยในความไม่สะดวกค่ะ", True),
    ("de", "Lesen Sie die Bedingungen.", False),
])
def test_owning_cues(lang: str, text: str, owning: bool) -> None:
    assert owns_problem(text, lang) is owning


def test_every_target_language_has_cues() -> None:
    assert set(OWNING) == {"fr", "es", "de", "pt", "id", "vi", "th", "ar", "ur", "bg"}


# written for these tests: the agent names the customer's anger and owns the fault (the heads score each
# of them 0.55-0.75, over the warn level); then a listed insult
@pytest.mark.parametrize(("text", "lang"), [
    ("Vous avez entièrement raison d'être furieux, c'est notre erreur.", "fr"),
    ("Напълно сте права да сте ядосана, грешката е наша.", "bg"),
    ("آپ کا غصہ بجا ہے، غلطی ہماری ہے۔", "ur"),
    ("Kakak benar kesal, ini kesalahan kami.", "id"),
    ("Bạn nói đúng, bực mình là phải, lỗi của chúng tôi.", "vi"),
])
def test_owning_replies_pass_the_full_check(text: str, lang: str) -> None:
    assert score([text], language=lang)[0].toxicity.score >= ToxicityPolicy().warn  # what the guard is for
    assert not [f for f in check(text).findings if f.check == "toxicity" and f.severity != "info"]


def test_a_listed_insult_after_an_apology_is_still_blocked() -> None:
    found = [f for f in check("Lo sentimos, pero eres un idiota.").findings if f.check == "toxicity"]
    assert any(f.severity == "block" and f.text == "idiota" for f in found)
