"""Reply-insult head: does a whole agent reply, in any of the ten languages, insult the customer? (numpy only)

A logistic head over multilingual-e5-small vectors, trained by scripts/train_reply_insults.py on agent replies
(English hostile and benign replies, the languages' authored insults and benign replies, round-11 training
replies). The multilingual toxicity heads learnt from tweets and comments and read words; this head learnt
from replies, so it also hears belittling, mock politeness and brush-offs without an insult word, and knows
the warm slang a care team uses ("t'es un malade 🔥"). Since round 12 a hashed character n-gram model of the
same replies (`moderation.replyngrams`) adds its weighted logit: the vector blurs the one insulting word of a
long reply, the n-grams keep it. Two operating points on the stacked score: `threshold` (flag a reply the
heads let through) and `veto_below` (the heads' finding is dropped when the reply reads this benign).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from moderation.hostility import features
from moderation.replyngrams import ReplyNgrams

REPLY_FILE = "reply_insults_e5.json"


@dataclass(frozen=True)
class ReplyHead:
    """The head's weights, its two operating points and the languages it was trained for."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float
    veto_below: float
    languages: frozenset[str]
    ngrams: ReplyNgrams | None = field(default=None)

    @classmethod
    def load(cls, path: Path) -> ReplyHead:
        """Read the JSON written by scripts/train_reply_insults.py (and its n-gram arrays, when it names them)."""
        spec = json.loads(path.read_text(encoding="utf-8"))
        mean, scale, coef = (np.asarray(spec[k], dtype=np.float32) for k in ("mean", "scale", "coef"))
        ng = spec.get("ngrams")
        ngrams = None if ng is None else ReplyNgrams.load(path.parent / ng["file"], float(ng["intercept"]),
                                                          float(ng["weight"]))
        return cls(mean, scale, coef, float(spec["intercept"]), float(spec["threshold"]), float(spec["veto_below"]),
                   frozenset(spec["languages"]), ngrams)

    def predict(self, vectors: np.ndarray, texts: list[str] | None = None) -> np.ndarray:
        """P(insult) per row of e5 vectors, stacked with the n-gram model's weighted logit of the texts."""
        z = ((features(vectors) - self.mean) / self.scale) @ self.coef + self.intercept
        if self.ngrams is not None:
            if texts is None:  # the operating points belong to the stacked score: never the vector alone
                raise ValueError("this head stacks an n-gram model: pass the texts")
            z = z + self.ngrams.weight * np.asarray([self.ngrams.logit(t) for t in texts])
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)


@lru_cache(maxsize=1)
def reply_head() -> ReplyHead | None:
    """The shipped head; None when its files or the e5 encoder are missing."""
    from moderation.data import __file__ as data_init
    from moderation.embed import available

    path = Path(data_init).parent / REPLY_FILE
    if not path.is_file() or not available("e5"):
        return None
    try:
        return ReplyHead.load(path)
    except (OSError, KeyError, ValueError) as exc:
        # its operating points belong to the stacked score: without the n-gram file the e5 head alone would
        # flag and veto at the wrong places, so the check goes on with the toxicity heads and word lists
        logging.getLogger(__name__).warning("reply-insult head unavailable (%s)", exc)
        return None


def reply_insult(text: str, lang: str) -> tuple[float, ReplyHead] | None:
    """P(insult) of a whole reply and the head, or None when there is no head for `lang`."""
    head = reply_head()
    if head is None or lang not in head.languages:
        return None
    from moderation.embed import embed

    return float(head.predict(embed([text]), [text])[0]), head
