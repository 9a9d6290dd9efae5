"""Reply-hostility head: logistic regression over the shipped encoder's pooled sentence vector, in numpy."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from moderation.hostility_ngrams import NgramModel

HOSTILITY_FILE = "textmodel_hostile.json"
SECOND_FILE = "hostile_e5.json"  # the e5 second opinion for drafts the head above is unsure about


@dataclass(frozen=True)
class HostilityHead:
    """P(hostile) for agent replies: unit-length pooled vector, standardised, then a logistic unit.

    `threshold` is the operating point calibrated on dev data; `predict` re-centres on it, so a score of
    0.5 or more means "hostile" whatever the calibration turned out to be. With `ngrams` (named by the
    head's file), the score is that of the word n-gram model stacked on the head, re-centred the same way.
    """

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float
    ngrams: NgramModel | None = None

    @classmethod
    def load(cls, path: str | Path) -> HostilityHead:
        """Load the weights written by scripts/train_hostile.py."""
        spec = json.loads(Path(path).read_text(encoding="utf-8"))

        def vec(key: str) -> np.ndarray:
            return np.asarray(spec[key], dtype=np.float32)

        ngrams = NgramModel.load(Path(path).parent / spec["ngrams"]) if spec.get("ngrams") else None
        return cls(vec("mean"), vec("scale"), vec("coef"), float(spec["intercept"]), float(spec["threshold"]),
                   ngrams)

    def logits(self, pooled: np.ndarray) -> np.ndarray:
        """The head's log-odds per row, shifted so that the calibrated threshold sits at 0."""
        shift = float(np.log(self.threshold / (1.0 - self.threshold)))
        return np.asarray(((features(pooled) - self.mean) / self.scale) @ self.coef + self.intercept - shift,
                          dtype=np.float64)

    def predict(self, pooled: np.ndarray, texts: list[str] | None = None) -> np.ndarray:
        """Return one score per row, 0.5 at the operating point; stacked with the n-grams given the texts."""
        z = self.logits(pooled)
        if self.ngrams is not None and texts is not None:
            return self.ngrams.stack(z, texts)
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)


def features(pooled: np.ndarray) -> np.ndarray:
    """Scale pooled vectors to unit length: the head reads direction, not length."""
    pooled = np.asarray(pooled, dtype=np.float32)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return np.divide(pooled, norms, out=np.zeros_like(pooled), where=norms > 0)


def predict_proba(pooled: np.ndarray, mean: np.ndarray, scale: np.ndarray, coef: np.ndarray,
                  intercept: float) -> np.ndarray:
    """The logistic unit shared by training and inference."""
    z = ((features(pooled) - mean) / scale) @ coef + intercept
    return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)


@lru_cache(maxsize=1)
def second_opinion() -> tuple[HostilityHead, float] | None:
    """The e5 head and the floor of the head score band it is asked about; None when either is missing."""
    from moderation.data import __file__ as data_init
    from moderation.embed import available

    path = Path(data_init).parent / SECOND_FILE
    if not path.is_file() or not available("e5"):
        return None
    return HostilityHead.load(path), float(json.loads(path.read_text(encoding="utf-8"))["band_low"])
