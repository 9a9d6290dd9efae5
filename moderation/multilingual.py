"""Multilingual sentiment and toxicity heads: logistic regressions over multilingual-e5-small vectors, numpy only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from moderation.embed import embed

MULTI_FILE = "textmodel_multi.json"


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax."""
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return np.asarray(shifted / shifted.sum(axis=1, keepdims=True))


class MultilingualHeads:
    """Sentiment (3 classes) and toxicity (toxic vs not) read from textmodel_multi.json."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.languages: frozenset[str] = frozenset(spec.get("languages", ()))
        self._sent_w = np.asarray(spec["sentiment"]["coef"], dtype=np.float32)
        self._sent_b = np.asarray(spec["sentiment"]["intercept"], dtype=np.float32)
        self._tox_w = np.asarray(spec["toxicity"]["coef"], dtype=np.float32).reshape(-1)
        self._tox_b = float(np.asarray(spec["toxicity"]["intercept"]).reshape(-1)[0])

    @classmethod
    def load(cls, path: Path) -> MultilingualHeads | None:
        """Read the heads; None when the file or the encoder package is missing."""
        from moderation.embed import available

        if not path.is_file() or not available():
            return None
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def predict(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Return (n, 3) sentiment probabilities (negative, neutral, positive) and (n,) toxicity."""
        vectors = embed(texts)
        sentiment = softmax(vectors @ self._sent_w.T + self._sent_b)
        toxicity = 1.0 / (1.0 + np.exp(-(vectors @ self._tox_w + self._tox_b)))
        return sentiment, np.asarray(toxicity)
