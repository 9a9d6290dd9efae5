"""Toxicity check: put-downs, threats and insults found; idioms and neutral identity terms left alone.

The idiom and put-down handling lives in the check, not in the scorer, so these cases keep their
meaning when a trained model replaces the lexicon backend.
"""

from __future__ import annotations

import re

import pytest

import moderation.checks.toxicity as toxicity
from moderation import check
from moderation.checks import CheckContext
from moderation.checks.toxicity import IDIOMS, ToxicityCheck, _mask
from moderation.engine import _get
from moderation.policy import Policy
from moderation.scores import Language, Scores, Sentiment, Toxicity, score

FLAGGED = [
    # text, label, exact span, severity
    ("ok Karen, we heard you.", "put_down", "ok Karen", "warn"),
    ("Maybe read the manual next time.", "put_down", "Maybe read the manual next time", "warn"),
    ("It's not rocket science.", "put_down", "It's not rocket science", "warn"),
    ("Read the FAQ first.", "put_down", "Read the FAQ first", "warn"),
    ("What part of no refunds don't you understand?", "put_down",
     "What part of no refunds don't you understand", "warn"),
    ("Stop being such a baby about it.", "put_down", "Stop being such a baby", "warn"),
    ("Whatever, not our problem.", "put_down", "not our problem", "warn"),
    ("Nobody cares about your refund.", "put_down", "Nobody cares", "warn"),
    ("Your kind always complains.", "put_down", "Your kind", "warn"),
    ("I will find you.", "threat", "I will find you", "block"),
    ("You'll regret this.", "threat", "You'll regret", "block"),
    ("All immigrants are animals.", "identity_attack", "All immigrants are animals", "block"),
    ("You are an idiot.", "insult", "idiot", "block"),
]
CLEAN = [
    "Please kill the process and restart the app.",
    "Killing the background tasks usually helps.",
    "This is a killer deal for new members!",
    "There are no stupid questions, ask away.",
    "Your battery might die if it gets too cold.",
    "We're dying to hear what you think.",
    "We'll shut down the old server on Friday.",
    "Check your spam/trash folders for the email.",
    "We welcome Muslim, Jewish and gay customers alike.",
    "Our support for women in tech continues.",
    "Thanks for your patience, genius bar appointments are open.",
    "Sorry, that really sucks!",
    "Please read the instructions in the link below.",
    "Nobody cares more about your privacy than we do.",
    "Thanks for your kind words, you people made our day!",
    "Hi, wir erhalten die Filme so vom Studio.",
]


@pytest.fixture(scope="module")
def tox() -> ToxicityCheck:
    check = _get("toxicity")
    assert isinstance(check, ToxicityCheck)
    return check


@pytest.mark.parametrize(("text", "label", "span", "severity"), FLAGGED)
def test_flags(tox: ToxicityCheck, ctx: CheckContext, text: str, label: str, span: str,
               severity: str) -> None:
    found = tox.analyze(text, ctx)
    assert [(f.label, f.text, f.severity) for f in found] == [(label, span, severity)]
    assert text[found[0].start:found[0].end] == span


def test_two_put_downs_in_one_sentence(tox: ToxicityCheck, ctx: CheckContext) -> None:
    found = tox.analyze("Learn to read, genius.", ctx)
    assert [(f.label, f.text) for f in found] == [("put_down", "Learn to read"), ("put_down", "genius")]


@pytest.mark.parametrize("text", CLEAN)
def test_clean(tox: ToxicityCheck, ctx: CheckContext, text: str) -> None:
    assert tox.analyze(text, ctx) == []


@pytest.mark.parametrize(("text", "phrase"), [
    ("Please kill the process.", "kill the process"),
    ("A killer deal today.", "killer deal"),
    ("There are no stupid questions.", "no stupid questions"),
])
def test_idioms_hidden_from_any_scorer(text: str, phrase: str) -> None:
    assert IDIOMS.search(text)
    assert phrase not in _mask(text)


def test_whole_sentence_when_no_single_word_is_to_blame(tox: ToxicityCheck, ctx: CheckContext) -> None:
    text = "You are stupid and a moron."
    found = tox.analyze(text, ctx)
    assert [(f.text, f.severity) for f in found] == [(text, "block")]


def test_thresholds_come_from_policy(tox: ToxicityCheck) -> None:
    # Thresholds are set around what the installed scorer says, so this holds for any backend.
    crap, idiot = (r.toxicity.score for r in score(["That is crap.", "You are an idiot."]))
    strict = CheckContext(policy=Policy.model_validate(
        {"toxicity": {"warn": max(0.0, crap - 0.1), "block": min(1.0, crap + 0.01)}}))
    assert [(f.text, f.severity) for f in tox.analyze("That is crap.", strict)] == [("crap", "warn")]
    above = min(1.0, idiot + 0.005)
    lax = CheckContext(policy=Policy.model_validate({"toxicity": {"warn": above, "block": above}}))
    assert tox.analyze("You are an idiot.", lax) == [] or idiot > 0.995


class WordScorer:
    """Stand-in for a trained model with its typical biases: violent words and identity terms score high."""

    HOT = ("kill", "die", "stupid", "gay", "muslim", "idiot")

    def __call__(self, texts: list[str], *, backend: str | None = None, **hints: object) -> list[Scores]:
        out = []
        for text in texts:
            hot = any(re.search(rf"\b{w}", text.lower()) for w in self.HOT)
            tox = Toxicity(score=0.9 if hot else 0.01)
            out.append(Scores(Sentiment("neutral", {}), tox, Language("en", 0.99)))
        return out


@pytest.mark.parametrize("text", [
    "Please kill the process and restart the app.",
    "There are no stupid questions, ask away.",
    "Your battery might die if it gets too cold.",
    "We welcome gay and Muslim customers alike.",
])
def test_check_layer_corrects_a_biased_model(monkeypatch: pytest.MonkeyPatch, ctx: CheckContext,
                                             text: str) -> None:
    monkeypatch.setattr(toxicity, "score", WordScorer())
    assert ToxicityCheck().analyze(text, ctx) == []


def test_biased_model_still_catches_insults(monkeypatch: pytest.MonkeyPatch, ctx: CheckContext) -> None:
    monkeypatch.setattr(toxicity, "score", WordScorer())
    found = ToxicityCheck().analyze("Thanks. You are an idiot. Muslims are idiots.", ctx)
    assert [(f.text, f.severity) for f in found] == [("idiot", "block"), ("Muslims are idiots.", "block")]


HOSTILE_WITHOUT_SWEARING = [
    "Maybe try reading the FAQ before wasting our time.",
    "People like you are why we have policies.",
    "Did you even bother to look at the instructions?",
    "It would be a shame if your account got flagged for all these complaints.",
    "Keep posting like this and see what happens to your account.",
    "I'll type slowly so you can keep up.",
]
BENIGN_LOOKALIKES = [
    "There are no stupid questions, happy to help.",
    "Hell yes, we're thrilled you love it!",
    "We're not sure what happened, let's find out together.",
    "Sorry you feel that way, we'd love a chance to make it right.",
    "We'll remember your preference for next time.",
    "You might want to check the settings menu under Privacy.",
]


@pytest.mark.parametrize("text", HOSTILE_WITHOUT_SWEARING)
def test_polite_words_hostile_reply_is_flagged(ctx: CheckContext, text: str) -> None:
    found = _get("toxicity").analyze(text, ctx)
    assert found and all(text[f.start:f.end] == f.text for f in found)
    assert {f.label for f in found} <= {"put_down", "threat"}


@pytest.mark.parametrize("text", BENIGN_LOOKALIKES)
def test_benign_lookalike_passes(ctx: CheckContext, text: str) -> None:
    assert [f for f in _get("toxicity").analyze(text, ctx) if f.severity != "info"] == []


@pytest.mark.parametrize(("lang", "text", "insult"), [
    ("vi", "Đồ ngốc, đọc hướng dẫn đi.", "Đồ ngốc"),
    ("fr", "Vous êtes vraiment un imbécile.", "imbécile"),
    ("de", "Du Vollidiot, lies die Anleitung.", "Vollidiot"),
    ("es", "Eres un idiota.", "idiota"),
    ("pt", "Cala a boca, otário.", "Cala a boca"),
    ("id", "Dasar goblok.", "goblok"),
    ("th", "คุณนี่โง่จริงๆ", "โง่"),
    ("ar", "اسكت يا أحمق.", "اسكت"),
    ("ur", "تم بیوقوف ہو۔", "بیوقوف"),
    ("bg", "Млъкни, тъпако.", "Млъкни"),
])
def test_insult_in_the_reply_language_blocks(lang: str, text: str, insult: str) -> None:
    ctx = CheckContext(policy=Policy(languages=[lang]))
    found = [f for f in _get("toxicity").analyze(text, ctx) if f.label == "insult"]
    assert found and found[0].severity == "block" and insult in [f.text for f in found]


@pytest.mark.parametrize(("lang", "text"), [
    ("fr", "Désolés pour ce retard, votre colis arrive demain."),  # "retard" is French for delay
    ("vi", "Chúng tôi đã hoàn tiền cho bạn, chúc bạn một ngày tốt lành!"),  # "ngày", not "ngu"
    ("es", "Ya hemos hecho el reembolso, disculpa las molestias."),
    ("th", "ขอบคุณสำหรับข้อความค่ะ เรากำลังตรวจสอบคำสั่งซื้อของคุณ"),
])
def test_ordinary_native_reply_passes(lang: str, text: str) -> None:
    ctx = CheckContext(policy=Policy(languages=[lang, "en"]))
    assert [f for f in _get("toxicity").analyze(text, ctx) if f.severity != "info"] == []


@pytest.mark.parametrize("text", ["We'll get you a refund today.", "DM us and we'll get you sorted 👍",
                                  "We'll find you a seat on the next flight.", "We're going to get you set up."])
def test_getting_the_customer_something_is_no_threat(text: str) -> None:
    assert not any(f.label == "threat" for f in check(text).findings)


@pytest.mark.parametrize("text", ["We'll find you.", "We will get you for this.", "I'll find you and make you pay.",
                                  "We're going to get you, one day."])
def test_the_bare_threat_still_blocks(text: str) -> None:
    assert [(f.label, f.severity) for f in check(text).findings if f.label == "threat"][:1] == [("threat", "block")]


# written for this test (round 9): jabs that name no insult, and strong words that praise
@pytest.mark.parametrize("text", [
    "Honestly we're surprised you got approved for a loan at all.",
    "Not sure a climbing wall is the right place for you if heights are this upsetting.",
    "We'd suggest a hearing test if the gate calls keep 'surprising' you.",
    "Repeated complaints may affect your eligibility for our loyalty perks.",
    "Feedback received and ignored. Have a nice day.",
    "Enjoy the queues at our competitor then 👋",
])
def test_round9_jabs_are_flagged(ctx: CheckContext, text: str) -> None:
    found = _get("toxicity").analyze(text, ctx)
    assert {f.label for f in found} & {"put_down", "threat", "hostile"}


@pytest.mark.parametrize(("text", "phrase"), [
    ("That lemon tart is criminally underrated, go on.", "criminally underrated"),
    ("That volley was filthy in the best way.", "filthy in the best way"),
    ("You demolished that final boss, GG.", "demolished that final boss"),
    ("Don't be embarrassed, it happens to everyone.", "be embarrassed"),
])
def test_round9_praise_in_strong_words_is_masked(text: str, phrase: str) -> None:
    assert phrase not in _mask(text)
