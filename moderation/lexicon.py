"""Lexicon scoring backend: VADER sentiment, a small insult lexicon and py3langid."""

from __future__ import annotations

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
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        from moderation.langid import identifier

        self._vader = SentimentIntensityAnalyzer()
        self._langid = identifier()  # one shared copy per process
        self._lock = threading.Lock()  # VADER's analyser is not documented as thread-safe

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
