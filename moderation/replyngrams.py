"""Character n-grams of a whole agent reply, hashed: the words an insult is made of, in any script (numpy only).

The reply-insult head reads a mean-pooled e5 vector, which blurs the one word that insults ("boulet",
"chieuse", "ngốc") in a long polite reply. A logistic regression over sublinear tf-idf character 2-5 grams
inside word edges (what scikit-learn's `analyzer="char_wb"` counts) hears it, and needs no tokenizer for
Thai. The n-grams are hashed into 2^bits buckets with CRC-32, so the model is two float arrays (idf and
coefficient per bucket) rather than a vocabulary of Python strings in the serving process.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MIN_N, MAX_N = 2, 5
_SPACES = re.compile(r"\s+")


def grams(text: str) -> list[str]:
    """Lower-cased character 2-5 grams of each word padded with a space on both sides."""
    out: list[str] = []
    for word in _SPACES.sub(" ", text.lower()).split():
        padded = f" {word} "
        for n in range(MIN_N, min(MAX_N, len(padded)) + 1):
            out.extend(padded[i:i + n] for i in range(len(padded) - n + 1))
    return out


def buckets(text: str, bits: int) -> Counter[int]:
    """How often each hash bucket occurs in the text."""
    mask = (1 << bits) - 1
    return Counter(zlib.crc32(g.encode("utf-8")) & mask for g in grams(text))


@dataclass(frozen=True)
class ReplyNgrams:
    """Per-bucket idf and coefficient, the intercept, and the weight of its logit in the stacked score."""

    idf: np.ndarray
    coef: np.ndarray
    intercept: float
    weight: float
    bits: int

    @classmethod
    def load(cls, path: Path, intercept: float, weight: float) -> ReplyNgrams:
        """Read the arrays written by scripts/train_reply_insults.py."""
        with np.load(path) as data:  # float32 as stored (2 MB); products are taken in float64
            idf, coef = data["idf"].astype(np.float32), data["coef"].astype(np.float32)
        return cls(idf, coef, intercept, weight, int(np.log2(len(idf))))

    def logit(self, text: str) -> float:
        """The model's log-odds that the reply insults the customer (l2-normalised tf-idf, as in training)."""
        counts = buckets(text, self.bits)
        if not counts:
            return self.intercept
        index = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
        values = tf * self.idf[index].astype(np.float64)
        return self.intercept + float(values @ self.coef[index].astype(np.float64)) / float(np.sqrt(values @ values))
