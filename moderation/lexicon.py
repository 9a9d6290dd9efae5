"""Lexicon scoring backend: VADER sentiment, a small insult lexicon and py3langid."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Sequence
from typing import Any

from moderation.scores import Language, Scores, Sentiment, Toxicity

# Insults and obscenities with a rough strength; the shipped neural model replaces this.
_TOXIC_WORDS: dict[str, float] = {
    "idiot": 0.85, "idiots": 0.85, "stupid": 0.7, "moron": 0.9, "morons": 0.9,
    "dumb": 0.65, "dumbass": 0.9, "imbecile": 0.85, "loser": 0.7, "losers": 0.7,
    "fuck": 0.9, "fucking": 0.9, "fucked": 0.9, "shit": 0.75, "shitty": 0.75,
    "crap": 0.55, "bitch": 0.9, "bastard": 0.85, "asshole": 0.95, "scum": 0.85,
    "pathetic": 0.6, "incompetent": 0.6, "clown": 0.55, "clowns": 0.55,
    "trash": 0.5, "garbage": 0.5, "retard": 0.95, "retarded": 0.95, "hate": 0.45,
    "kill": 0.5, "die": 0.5, "shut": 0.3,
}
_WORD = re.compile(r"[a-z']+")


def _sentiment_probs(compound: float) -> dict[str, float]:
    """Turn VADER's compound score into a three-way distribution."""
    pos = max(compound, 0.0)
    neg = max(-compound, 0.0)
    neu = max(0.0, 1.0 - abs(compound) * 1.6)
    total = pos + neg + neu or 1.0
    return {"negative": neg / total, "neutral": neu / total, "positive": pos / total}


class LexiconScorer:
    """Score texts with VADER, an insult lexicon and py3langid; no training data needed."""

    name = "lexicon"

    def __init__(self) -> None:
        from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self._vader = SentimentIntensityAnalyzer()
        path = os.path.join(MODEL_DIR, MODEL_FILE)
        self._langid = LanguageIdentifier.from_modelpath(path, norm_probs=True)
        self._lock = threading.Lock()  # langid keeps per-call numpy state

    def score(self, texts: Sequence[str]) -> list[Scores]:
        """Score each text independently."""
        return [self._one(text) for text in texts]

    def _one(self, text: str) -> Scores:
        compound = float(self._vader.polarity_scores(text)["compound"])
        probs = _sentiment_probs(compound)
        label = max(probs, key=lambda k: probs[k])
        with self._lock:
            code, conf = self._langid.classify(text)
        return Scores(
            sentiment=Sentiment(label=label, scores=probs),
            toxicity=self._toxicity(text),
            language=Language(code=str(code), score=float(conf)),
            backend=self.name,
        )

    @staticmethod
    def _toxicity(text: str) -> Toxicity:
        words = _WORD.findall(text.lower())
        hits = [_TOXIC_WORDS[w] for w in words if w in _TOXIC_WORDS]
        if not hits:
            return Toxicity(score=0.02, labels={})
        # Noisy-OR: several weak hits add up, one strong hit dominates.
        miss = 1.0
        for h in hits:
            miss *= 1.0 - h
        labels: dict[str, Any] = {"insult": round(1.0 - miss, 4)}
        return Toxicity(score=round(1.0 - miss, 4), labels=labels)


# Insults and put-downs aimed at a person, per language: a safety net under the model for replies.
# Stems match word starts ("idiot" finds "idiota", "idiots"); Thai has no spaces, so it matches anywhere.
INSULTS: dict[str, tuple[str, ...]] = {
    "fr": ("idiot", "imbécile", "imbecile", "abruti", "crétin", "cretin", "débile", "connard", "connasse",
           "connards", "salaud", "salope", "pauvre type", "ferme-la", "ta gueule", "bouffon",
           "minable", "andouille", "enfoiré"),
    "es": ("idiota", "imbécil", "imbecil", "estúpid", "estupid", "tonto", "tonta", "gilipollas", "pendej",
           "cállate", "callate", "imbéciles", "inútil", "inutil", "subnormal", "cabrón", "cabron", "payaso",
           "idiotas", "pelotudo", "boludo", "burro"),
    "de": ("idiot", "vollidiot", "depp", "trottel", "blöd", "bloed", "dumm", "arschloch", "halt die klappe",
           "halt's maul", "halts maul", "vollpfosten", "schwachkopf", "dummkopf", "spast", "hirni", "penner",
           "wichser", "versager", "bescheuert"),
    "pt": ("idiota", "imbecil", "otário", "otario", "burro", "burra", "babaca", "estúpid", "estupid",
           "cala a boca", "cala boca", "retardad", "palhaço", "palhaco", "trouxa", "lixo", "inútil",
           "inutil"),
    "id": ("bodoh", "goblok", "tolol", "bego", "idiot", "dungu", "otak udang", "bangsat",
           "kampret", "brengsek", "sinting", "diam kau", "bajingan"),
    "vi": ("ngu", "đồ ngốc", "ngốc", "khùng", "điên", "đần", "óc chó", "im đi", "thằng ngu", "con ngu",
           "đồ chó", "mất dạy", "vô học", "đồ ngu"),
    "th": ("โง่", "ควาย", "หุบปาก", "ปัญญาอ่อน", "เหี้ย", "ไอ้บ้า", "ส้นตีน", "อีดอก"),
    "ur": ("بیوقوف", "بے وقوف", "احمق", "گدھا", "گدھے", "الو کا پٹھا", "پاگل", "جاہل", "کمینہ", "کمینے", "چپ کرو",
           "الو"),
    "ar": ("غبي", "غبية", "حمار", "أحمق", "احمق", "تافه", "كلب", "معتوه", "اسكت", "اخرس", "حقير", "جاهل",
           "أغبياء", "غباء"),
    "bg": ("идиот", "глупак", "тъп", "тъпак", "тъпако", "тъпа", "кретен", "малоумен", "млъкни", "тъпанар",
           "простак", "боклук", "дебил", "нещастник"),
}
_SCRIPT_LANGS = ("th",)
_insult_rx: dict[str, re.Pattern[str]] = {}


def insult_pattern(lang: str) -> re.Pattern[str] | None:
    """The compiled insult pattern of a language, or None when there is no list for it."""
    if lang not in INSULTS:
        return None
    if lang not in _insult_rx:
        words = sorted(INSULTS[lang], key=len, reverse=True)
        if lang in _SCRIPT_LANGS:
            _insult_rx[lang] = re.compile("|".join(re.escape(w) for w in words))
        else:
            # Long stems take an inflection ("idiotas"); short ones must match whole ("ngu", not "nguyên").
            alts = [re.escape(w) + (r"\w{0,3}" if len(w) >= 5 else "") for w in words]
            _insult_rx[lang] = re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)", re.IGNORECASE)
    return _insult_rx[lang]
