"""Offensive stacker: the ONNX toxicity heads plus a word/character n-gram model and insult cues, numpy only."""

from __future__ import annotations

import gzip
import itertools
import json
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from moderation.lexicon import _TOXIC_WORDS

OFFENSIVE_FILE = "offensive_stacker.json.gz"
FEATURES: tuple[str, ...] = (
    "onnx_logit_offensive", "onnx_logit_hate", "onnx_logp_davidson_hate", "onnx_logp_davidson_offensive",
    "onnx_logp_davidson_neither", "ngram_margin", "insult_max", "insult_count", "caps_share", "exclamations",
    "second_person",
)
CHAR_SIZES = (3, 4, 5)
_WORD = re.compile(r"[a-z0-9']+")
_SECOND_PERSON = re.compile(r"\b(?:you|your|you're|youre|ur|u|yourself|ya)\b")


def ngrams(text: str) -> dict[str, float]:
    """Word 1-2-grams and character 3-5-grams inside words, each group L2-normalised to unit length."""
    low = text.lower()
    words = _WORD.findall(low)
    word_feats = {f"w:{w}" for w in words} | {f"b:{a} {b}" for a, b in itertools.pairwise(words)}
    char_feats: set[str] = set()
    for token in low.split():
        padded = f" {token} "  # the spaces mark word starts and ends, as in scikit-learn's char_wb
        for n in CHAR_SIZES:
            char_feats.update(f"c:{padded[i:i + n]}" for i in range(max(1, len(padded) - n + 1)))
    out: dict[str, float] = {}
    for group in (word_feats, char_feats):
        if group:  # binary features; each group weighs the same whatever the text length
            weight = 1.0 / math.sqrt(len(group))
            out.update(dict.fromkeys(group, weight))
    return out


def cues(text: str) -> list[float]:
    """Insult-lexicon strength and count, share of capital letters, '!' count, second-person address."""
    words = _WORD.findall(text.lower())
    strengths = [_TOXIC_WORDS.get(w, 0.0) for w in words]
    letters = sum(c.isalpha() for c in text)
    return [max(strengths, default=0.0), min(sum(s > 0 for s in strengths), 3) / 3.0,
            sum(c.isupper() for c in text) / max(letters, 1), min(text.count("!"), 3) / 3.0,
            float(bool(_SECOND_PERSON.search(text.lower())))]


def _logit(p: np.ndarray) -> np.ndarray:
    """Log-odds of clipped probabilities."""
    q = np.clip(np.asarray(p, dtype=np.float64), 1e-6, 1 - 1e-6)
    return np.asarray(np.log(q / (1 - q)))


def head_features(probs: dict[str, np.ndarray]) -> np.ndarray:
    """The five head columns of FEATURES from the ONNX model's outputs."""
    davidson = np.log(np.clip(np.asarray(probs["davidson"], dtype=np.float64), 1e-6, 1.0))
    return np.column_stack([_logit(probs["offensive"][:, 1]), _logit(probs["hate"][:, 1]), davidson])


class OffensiveStacker:
    """Logistic regression over FEATURES read from gzipped JSON; 0.5 is the decision threshold fitted for it."""

    def __init__(self, spec: dict[str, Any]) -> None:
        if tuple(spec["features"]) != FEATURES:
            raise ValueError(f"offensive stacker features {spec['features']} do not match {list(FEATURES)}")
        self.spec = spec
        self.vocab: dict[str, float] = spec["ngram"]["coef"]
        self.ngram_bias = float(spec["ngram"]["intercept"])
        self.mean = np.asarray(spec["mean"], dtype=np.float64)
        self.scale = np.asarray(spec["scale"], dtype=np.float64)
        self.coef = np.asarray(spec["coef"], dtype=np.float64)
        self.intercept = float(spec["intercept"])

    @classmethod
    def load(cls, path: Path) -> OffensiveStacker | None:
        """Read a stacker file; None when it is absent."""
        if not path.is_file():
            return None
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            return cls(json.load(fh))

    def margin(self, text: str) -> float:
        """The n-gram model's log-odds of offensive for one text."""
        vocab = self.vocab
        return self.ngram_bias + sum(vocab.get(f, 0.0) * v for f, v in ngrams(text).items())

    def features(self, probs: dict[str, np.ndarray], texts: Sequence[str]) -> np.ndarray:
        """The raw FEATURES matrix (before standardisation)."""
        extra = np.asarray([[self.margin(t), *cues(t)] for t in texts], dtype=np.float64).reshape(len(texts), -1)
        return np.hstack([head_features(probs), extra])

    def apply(self, probs: dict[str, np.ndarray], texts: Sequence[str]) -> np.ndarray:
        """Return the offensive probability of each text; blank texts keep the head's own value."""
        x = (self.features(probs, texts) - self.mean) / self.scale
        out = 1.0 / (1.0 + np.exp(-(x @ self.coef + self.intercept)))
        blank = np.asarray([not t.strip() for t in texts], dtype=bool)
        out[blank] = probs["offensive"][blank, 1]
        return np.asarray(out)
