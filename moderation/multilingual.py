"""Multilingual sentiment and toxicity heads: logistic regressions over sentence vectors, numpy only.

textmodel_multi.json holds one pair of heads per encoder (`e5`, `use`), which encoder reads which language
(languages not listed go to the default encoder), per language a sentiment offset fitted on the training
sets' held-out carves (added to the log-probabilities: a language whose sources lean one way is re-centred)
and, under `cue_stacker`, a logistic regression over the heads' log-probabilities and per-language
service-failure cues (`moderation.servicecues`, fitted by scripts/fit_multilingual_stacker.py) that re-reads
the sentiment of the languages that have cues.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from moderation.embed import ENCODERS, available
from moderation.servicecues import CUES, FEATURES, features

MULTI_FILE = "textmodel_multi.json"


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax."""
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return np.asarray(shifted / shifted.sum(axis=1, keepdims=True))


class Heads:
    """One encoder's sentiment (3 classes) and toxicity (toxic vs not) logistic regressions."""

    def __init__(self, encoder: str, spec: dict[str, Any]) -> None:
        self.encode = ENCODERS[encoder]
        self.sent_w = np.asarray(spec["sentiment"]["coef"], dtype=np.float32)
        self.sent_b = np.asarray(spec["sentiment"]["intercept"], dtype=np.float32)
        self.tox_w = np.asarray(spec["toxicity"]["coef"], dtype=np.float32).reshape(-1)
        self.tox_b = float(np.asarray(spec["toxicity"]["intercept"]).reshape(-1)[0])

    def predict(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Return (n, 3) sentiment probabilities and (n,) toxicity probabilities."""
        vectors = self.encode(texts)
        sentiment = softmax(vectors @ self.sent_w.T + self.sent_b)
        toxicity = 1.0 / (1.0 + np.exp(-(vectors @ self.tox_w + self.tox_b)))
        return sentiment, np.asarray(toxicity)


class CueStacker:
    """Multinomial logistic regression over head log-probabilities and cue features, read from JSON."""

    def __init__(self, spec: dict[str, Any]) -> None:
        if tuple(spec["features"]) != FEATURES:
            raise ValueError(f"cue stacker features {spec['features']} do not match {list(FEATURES)}")
        self.coef = np.asarray(spec["coef"], dtype=np.float64)
        self.intercept = np.asarray(spec["intercept"], dtype=np.float64)

    def apply(self, probs: np.ndarray, texts: list[str], languages: list[str]) -> np.ndarray:
        """Return (n, 3) re-read sentiment probabilities."""
        return softmax(features(probs, texts, languages) @ self.coef.T + self.intercept).astype(np.float32)


class MultilingualHeads:
    """Routes each text to its language's encoder and heads."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.languages: frozenset[str] = frozenset(spec.get("languages", ()))
        self.default: str = spec["default_encoder"]
        self.by_language: dict[str, str] = dict(spec.get("encoder_by_language", {}))
        self.offsets = {lang: np.asarray(v, dtype=np.float32) for lang, v in spec.get("sentiment_offset", {}).items()}
        self.heads = {name: Heads(name, h) for name, h in spec["heads"].items() if available(name)}
        self.stacker = CueStacker(spec["cue_stacker"]) if "cue_stacker" in spec else None
        if self.default not in self.heads:
            raise ValueError(f"the default encoder {self.default!r} is not installed")

    @classmethod
    def load(cls, path: Path) -> MultilingualHeads | None:
        """Read the heads; None when the file or the default encoder package is missing."""
        if not path.is_file():
            return None
        spec = json.loads(path.read_text(encoding="utf-8"))
        return cls(spec) if available(spec["default_encoder"]) else None

    def encoder_for(self, language: str) -> str:
        """The encoder that reads a language (the default when its own is not installed)."""
        name = self.by_language.get(language, self.default)
        return name if name in self.heads else self.default

    def predict(self, texts: Sequence[str], languages: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Return (n, 3) sentiment probabilities (negative, neutral, positive) and (n,) toxicity."""
        sentiment = np.zeros((len(texts), 3), dtype=np.float32)
        toxicity = np.zeros(len(texts), dtype=np.float32)
        groups: dict[str, list[int]] = {}
        for i, lang in enumerate(languages):
            groups.setdefault(self.encoder_for(lang), []).append(i)
        for name, rows in groups.items():
            sentiment[rows], toxicity[rows] = self.heads[name].predict([texts[i] for i in rows])
        for i, lang in enumerate(languages):
            if lang in self.offsets:
                sentiment[i] = softmax(np.log(np.maximum(sentiment[i:i + 1], 1e-9)) + self.offsets[lang])[0]
        cued = [i for i, lang in enumerate(languages) if lang in CUES]
        if self.stacker is not None and cued:
            cued_texts, cued_langs = [texts[i] for i in cued], [languages[i] for i in cued]
            sentiment[cued] = self.stacker.apply(sentiment[cued], cued_texts, cued_langs)
        return sentiment, toxicity
