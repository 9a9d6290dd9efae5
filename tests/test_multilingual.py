"""Multilingual scoring: the encoder ships offline, every target language is scored, routed and checked."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from sqlalchemy import select

import moderation
from moderation.embed import embed
from moderation.multilingual import MULTI_FILE, MultilingualHeads
from moderation.scores import get_scorer, supported_languages
from moderation.textmodel import DATA_DIR
from monitor.context import Context
from monitor.db import make_sessionmaker
from monitor.models import Case, Mention
from monitor.pipeline import Pipeline
from monitor.rules import parse_rules
from tests.conftest import ROOT, record, write_jsonl

# lang -> (negative mention, insulting reply, benign reply); written for these tests, not taken from the bench set
CASES: dict[str, tuple[str, str, str]] = {
    "fr": ("Colis perdu depuis deux semaines et le service client ne répond jamais, je suis furieuse.",
           "Tu es vraiment trop bête, arrête de nous saouler.",
           "Merci de votre message, nous regardons cela tout de suite."),
    "th": ("พัสดุหายไปสองอาทิตย์แล้ว ติดต่อใครก็ไม่ได้ โมโหมาก",
           "แกมันโง่จริงๆ เลิกกวนได้แล้ว", "ขอบคุณที่แจ้งเรานะคะ เราจะตรวจสอบให้ทันทีค่ะ"),
    "ur": ("دو ہفتے سے پارسل غائب ہے اور کوئی جواب نہیں دیتا، بہت غصہ آ رہا ہے۔",
           "تم بہت بڑے بیوقوف ہو، ہمیں تنگ کرنا بند کرو۔", "پیغام کا شکریہ، ہم ابھی اس کو دیکھتے ہیں۔"),
    "vi": ("Mất hàng hai tuần rồi mà chăm sóc khách hàng không ai trả lời, bực mình quá.",
           "Mày ngu thật, đừng làm phiền nữa.", "Cảm ơn bạn đã báo, chúng tôi sẽ kiểm tra ngay."),
    "bg": ("Пратката ми я няма от две седмици и никой не отговаря, бясна съм.",
           "Ти си голям глупак, спри да ни тормозиш.", "Благодарим за съобщението, веднага ще проверим."),
    "es": ("Paquete perdido desde hace dos semanas y nadie responde, estoy furiosa.",
           "Eres un idiota, deja de molestar.", "Gracias por avisarnos, lo revisamos ahora mismo."),
    "de": ("Mein Paket ist seit zwei Wochen verschwunden und niemand antwortet, ich bin stinksauer.",
           "Du bist so ein Idiot, hör auf zu nerven.", "Danke für deine Nachricht, wir schauen sofort nach."),
    "pt": ("Minha encomenda sumiu faz duas semanas e ninguém responde, tô furiosa.",
           "Você é um idiota, para de encher o saco.", "Obrigado pelo aviso, vamos verificar agora mesmo."),
    "id": ("Paket saya hilang dua minggu dan CS nggak ada yang jawab, kesal banget.",
           "Kamu bodoh banget, jangan ganggu lagi.", "Terima kasih infonya, kami cek sekarang juga ya."),
    "ar": ("طردي ضائع منذ أسبوعين ولا أحد يرد، أنا غاضبة جداً.",
           "أنت غبي جداً، توقف عن إزعاجنا.", "شكراً لرسالتك، سنتحقق من الأمر فوراً."),
}


@pytest.fixture(scope="module")
def scorer() -> Any:
    """The shipped default backend with its multilingual heads."""
    return get_scorer("onnx")


def test_multilingual_model_loads_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the text model must not touch the network")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    heads = MultilingualHeads.load(DATA_DIR / MULTI_FILE)
    assert heads is not None
    sentiment, toxicity = heads.predict(["Merci beaucoup !", "تم بیوقوف ہو۔"], ["fr", "ur"])
    assert heads.encoder_for("fr") in heads.heads and heads.encoder_for("ur") == "e5"
    assert sentiment.shape == (2, 3) and toxicity.shape == (2,)
    assert np.allclose(sentiment.sum(axis=1), 1.0, atol=1e-5)


def test_embed_is_normalised_and_crosslingual() -> None:
    vectors = embed(["I am very disappointed with your service", "thank you, your team is great",
                     "Je suis très déçu par votre service", "ผิดหวังกับบริการของคุณมาก", "آپ کی سروس سے بہت مایوس ہوں", ""])
    assert vectors.shape == (6, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    for row in (2, 3, 4):  # the same complaint in French, Thai and Urdu is nearer the English complaint
        assert vectors[row] @ vectors[0] > vectors[row] @ vectors[1]
    assert embed([]).shape == (0, 384)
    assert moderation.embed is embed  # the package-level entry point other modules call


def test_supported_languages_cover_the_ten(scorer: Any) -> None:
    assert set(CASES) | {"en"} <= supported_languages("onnx")
    assert supported_languages("lexicon") == {"en"}


@pytest.mark.parametrize("lang", sorted(CASES))
def test_reply_toxicity_in_each_language(scorer: Any, lang: str) -> None:
    _, insult, benign = CASES[lang]
    bad, good = scorer.score([insult, benign])
    assert bad.language.code == lang == good.language.code
    assert bad.toxicity.score > good.toxicity.score and good.toxicity.score < 0.5


@pytest.mark.parametrize("lang", sorted(CASES))
def test_reply_insult_reaches_the_warn_threshold(scorer: Any, lang: str) -> None:
    """Every language, Vietnamese included since the heads learnt from project-authored insults ("mày ngu")."""
    (bad,) = scorer.score([CASES[lang][1]])
    assert bad.toxicity.score >= 0.5


@pytest.mark.parametrize("lang", sorted(CASES))
def test_reply_check_in_each_language(lang: str) -> None:
    """End to end through moderation.check with the brand's languages: the insult is held, the reply passes."""
    _, insult, benign = CASES[lang]
    policy = moderation.Policy(checks=["toxicity"], languages=[lang, "en"], scorer="onnx")
    bad = [f for f in moderation.check(insult, policy=policy).findings if f.check == "toxicity"]
    good = [f for f in moderation.check(benign, policy=policy).findings if f.check == "toxicity"]
    assert any(f.severity in ("warn", "block") for f in bad)
    assert [f for f in good if f.severity != "info"] == []


def _bundled_rules(tmp_path: Path) -> Any:
    """The shipped rules.yaml routing, with a replay source on tmp_path and the default scorer."""
    bundled = yaml.safe_load((ROOT / "rules.yaml").read_text(encoding="utf-8"))
    (tmp_path / "mentions.jsonl").touch()
    text = yaml.safe_dump({
        "brands": [{"name": "Acme", "keywords": ["acme"], "languages": [*CASES, "en"]}],
        "sources": {"replay": {"path": "mentions.jsonl"}},
        "routing": bundled["routing"], "slack": bundled["slack"],
        "moderation": {"checks": ["toxicity"], "scorer": "onnx"},
    }, allow_unicode=True)
    return parse_rules(text, str(tmp_path / "rules.yaml"), tmp_path)


def test_negative_mention_in_each_language_is_routed_like_english(engine: Any, tmp_path: Path) -> None:
    rules = _bundled_rules(tmp_path)
    ctx = Context(rules=rules, sessions=make_sessionmaker(engine), env={"REPGUARD_HOME": str(tmp_path)},
                  sleep=lambda s: None)
    texts = {"en": "Acme lost my parcel two weeks ago and nobody answers, I am furious.",
             **{lang: f"Acme: {case[0]}" for lang, case in CASES.items()},
             "pl": "Acme zgubiło moją paczkę dwa tygodnie temu i nikt nie odpowiada, jestem wściekła."}
    write_jsonl(tmp_path / "mentions.jsonl",
                [record(i, text, lang=lang) for i, (lang, text) in enumerate(texts.items(), start=1)])
    Pipeline(ctx).run_once()
    with ctx.sessions() as s:
        routed = {m.language: (c.rule, c.queue, c.priority) for c, m in s.execute(select(Case, Mention).join(Mention))}
    assert set(routed) == set(texts)
    for lang in [*CASES, "en"]:
        assert routed[lang] == ("negative", "inbox", "normal"), lang
    # Polish is not among the languages the model was trained and measured on: a person reads it
    assert routed["pl"] == ("other-language", "review", "low")
