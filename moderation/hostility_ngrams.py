"""Word n-gram logistic model stacked with the hostility head: the words a jab is made of, in pure Python.

The sentence vector blurs wording ("try to keep up" and "glad to keep you updated" sit close together); a
word and word-pair model trained on the same replies sees it. Features are those of scikit-learn's
TfidfVectorizer(analyzer=analyse, sublinear_tf=True), so scripts/train_hostile_ngrams.py can fit with it and
the check needs no scikit-learn.
"""

from __future__ import annotations

import json
import math
import re
from array import array
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np

NGRAM_FILE = "hostile_ngrams.json"
TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern


# Function words count only inside word pairs ("your fault", "you again"): on their own, "you" and "your"
# are in most replies, and the generated hostile replies use them more than real ones do.
FUNCTION_WORDS = frozenset(
    "you your yours you're youre yourself we our us ours i me my it its the a an to of in on for and or but is "
    "are was were be been this that with as at by so do does did have has had not no "
    # what the token pattern leaves of a contraction ("we're" -> "we", "re"): grammar, not a jab
    "re ve ll don doesn didn isn aren wasn weren won can couldn wouldn shouldn haven hasn".split())


def terms(text: str, unigrams: bool = True) -> Counter[str]:
    """Lower-cased content words (unless `unigrams` is off) and adjacent word pairs with their counts."""
    words = TOKEN.findall(text.lower())
    singles = [w for w in words if w not in FUNCTION_WORDS] if unigrams else []
    return Counter(singles + [f"{a} {b}" for a, b in pairwise(words)])


def plain(term: str) -> bool:
    """True for a term with no jab of its own: one word, or two function words ("to our")."""
    words = term.split()
    return len(words) == 1 or all(w in FUNCTION_WORDS for w in words)


def analyse(text: str) -> list[str]:
    """terms() as the list scikit-learn's vectoriser counts (its `analyzer`)."""
    return list(terms(text).elements())


def analyse_pairs(text: str) -> list[str]:
    """Word pairs only, as scikit-learn's `analyzer`."""
    return list(terms(text, unigrams=False).elements())


class PackedVocab(Mapping[str, tuple[float, float]]):
    """term -> (idf, coefficient), kept as an index and two float arrays.

    The serving process holds one of these: a tuple of two floats per term costs ~60 bytes more than an index
    into two arrays, about 2 MB for the round-7 vocabulary, against a 400 MB budget that was already full.
    """

    def __init__(self, items: Mapping[str, tuple[float, float]]) -> None:
        """Pack `items` in their order."""
        self.index = {t: i for i, t in enumerate(items)}
        self.idf = array("d", (v[0] for v in items.values()))
        self.coef = array("d", (v[1] for v in items.values()))

    def __getitem__(self, term: str) -> tuple[float, float]:
        """The (idf, coefficient) pair of a term."""
        i = self.index[term]
        return self.idf[i], self.coef[i]

    def __iter__(self) -> Iterator[str]:
        """Terms in their packed order."""
        return iter(self.index)

    def __len__(self) -> int:
        """Number of terms."""
        return len(self.index)


@dataclass(frozen=True)
class NgramModel:
    """Logistic regression over l2-normalised, sublinear tf-idf word 1-2 grams, plus how it stacks.

    `weight` scales its logit before it is added to the head's re-centred logit; `offset` is the stacked
    logit the operating point was calibrated at (so the stacked score is 0.5 there). `plain_cap` bounds the
    coefficient of a term that carries no jab on its own, a single word or a pair of function words: the
    generated hostile replies taught ordinary words ("own", "stop", "read") and pairs ("to our") weights
    big enough to flag a short benign reply by themselves.
    """

    vocab: Mapping[str, tuple[float, float]]  # term -> (idf, coefficient); packed once built
    intercept: float
    weight: float
    offset: float
    unigrams: bool = True  # False: a model of word pairs only
    plain_cap: float | None = None

    def __post_init__(self) -> None:
        """Apply `plain_cap` once, here, rather than on every scored text, and pack the vocabulary."""
        cap = self.plain_cap
        vocab = self.vocab
        if cap is not None:
            vocab = {t: (i, min(c, cap) if plain(t) else c) for t, (i, c) in vocab.items()}
        object.__setattr__(self, "vocab", vocab if isinstance(vocab, PackedVocab) else PackedVocab(vocab))

    @classmethod
    def load(cls, path: str | Path) -> NgramModel:
        """Load the model written by scripts/train_hostile_ngrams.py."""
        spec = json.loads(Path(path).read_text(encoding="utf-8"))
        vocab = {t: (float(i), float(c)) for t, (i, c) in spec["vocab"].items()}
        cap = spec.get("plain_cap")
        return cls(vocab, float(spec["intercept"]), float(spec["weight"]), float(spec["offset"]),
                   bool(spec.get("unigrams", True)), None if cap is None else float(cap))


    def logit(self, text: str) -> float:
        """The model's log-odds that the text is hostile."""
        packed = self.vocab
        assert isinstance(packed, PackedVocab)  # __post_init__ packs it
        index, idf, coef = packed.index, packed.idf, packed.coef
        found = [(index[t], n) for t, n in terms(text, self.unigrams).items() if t in index]
        weights = [((1.0 + math.log(n)) * idf[i], coef[i]) for i, n in found]
        norm = math.sqrt(sum(v * v for v, _ in weights))
        if not norm:
            return self.intercept
        return self.intercept + sum(v * c for v, c in weights) / norm

    def stack(self, head_logits: np.ndarray, texts: list[str]) -> np.ndarray:
        """Stacked scores: sigmoid(head logit + weight x n-gram logit - offset)."""
        z = np.asarray(head_logits, dtype=np.float64) + self.weight * np.asarray([self.logit(t) for t in texts])
        return np.asarray(1.0 / (1.0 + np.exp(-(z - self.offset))), dtype=np.float64)
