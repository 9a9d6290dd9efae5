"""A reply that owns the customer's problem is not a warn-level insult; list insults and block-level scores stay.

English since round 7, where the customer's words quoted back count too and a "but" after the apology cancels it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

import moderation.checks.native as native
from moderation import check
from moderation.carecues import OWNING, owns_problem, praises
from moderation.checks.native import native_findings
from moderation.policy import Policy, ToxicityPolicy
from moderation.scores import score


class ScoredHeads:
    """Heads that give every text one fixed toxicity."""

    def __init__(self, tox: float) -> None:
        self.tox = tox

    def predict(self, texts: Sequence[str], languages: Sequence[str],
                adapted: bool = True) -> tuple[np.ndarray, np.ndarray]:
        return np.full((len(texts), 3), 1 / 3, dtype=np.float32), np.full(len(texts), self.tox, dtype=np.float32)


def _findings(text: str, lang: str, tox: float) -> list[str]:
    spans = [(0, len(text))]
    found = native_findings(text, spans, [text], [[0]], lang, ScoredHeads(tox), ToxicityPolicy(), [])
    return [f.severity for f in found]


def test_a_warn_level_score_on_an_owning_sentence_is_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(native, "reply_insult", lambda *args: None)  # the owning excuse alone, no veto
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
    assert set(OWNING) == {"en", "fr", "es", "de", "pt", "id", "vi", "th", "ar", "ur", "bg"}


@pytest.mark.parametrize(("text", "owning"), [
    ("You have every right to be livid, and the mix-up was our fault.", True),
    ("You said the courier was \u201ccompletely useless\u201d, and we've passed that on.", True),
    ("Really sorry, but that's a daft question.", False),  # the apology opens the jab
    ("Please restart the router.", False),
])
def test_english_owning_cues(text: str, owning: bool) -> None:
    assert owns_problem(text, "en") is owning


def _english_toxicity(text: str) -> list[tuple[str, str]]:
    found = check(text, policy=Policy(checks=["toxicity"], languages=["en"])).findings
    return [(f.label, f.severity) for f in found]


# written for these tests, not taken from a bench set; the English model scores each over the warn level
@pytest.mark.parametrize("text", [
    "You have every right to be livid about that invoice; the mix-up is on us.",
    "You told us our app is \"rubbish\", and honestly, after that crash, I get why.",
    "Holy crap, 40 floors by stairs? Respect, and the lift engineer is on the way.",
])
def test_english_owning_and_kind_words_pass(text: str) -> None:
    assert score([text], language="en", sentiment=False)[0].toxicity.score >= ToxicityPolicy().warn
    assert _english_toxicity(text) == []


@pytest.mark.parametrize("text", [
    "So sorry. You are a complete idiot.",  # the apology owns nothing; block-level scores are never dropped
    "Really sorry, but that is a stupid question.",
    "You look insane in that photo, delete it.",
])
def test_english_insults_after_an_apology_or_an_idiom_word_stay(text: str) -> None:
    assert _english_toxicity(text)


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


@pytest.mark.parametrize(("lang", "text"), [("fr", "Franchement t'es au top, toute l'équipe kiffe ta photo 😄"),
                                            ("ur", "زبردست ریویو، شکریہ!"), ("id", "Mantap, selamat menikmati ya!")])
def test_slang_praise_is_recognised(lang: str, text: str) -> None:
    assert praises(text, lang)


@pytest.mark.parametrize(("lang", "text"), [("fr", "Génial, encore un client qui ne sait pas lire."),
                                            ("en", "You're the best, amazing work!"),
                                            ("es", "Gracias por escribirnos.")])
def test_no_praise_cue(lang: str, text: str) -> None:
    assert not praises(text, lang)


def test_slang_praise_does_not_hide_a_listed_insult() -> None:
    verdict = check("T'es au top, crétin.", policy=Policy(checks=["toxicity"], languages=["fr"]))
    assert any(f.check == "toxicity" and f.severity in ("warn", "block") for f in verdict.findings)
