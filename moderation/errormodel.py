"""Typing-error model for ranking spelling candidates: weighted edits, keyboard distance, sound-alikes."""

from __future__ import annotations

import gzip
import math
import re
import unicodedata
from functools import lru_cache
from importlib import resources

VOWELS = frozenset("aeiouy")
MAX_SIDE = 4  # longest substring on either side of a learned rule ("ance" -> "ence")
_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_POS = {c: (r, i + 0.5 * r) for r, row in enumerate(_ROWS) for i, c in enumerate(row)}
# Cost of each kind of edit in a weighted Damerau-Levenshtein distance (a plain edit costs 1).
COST_VOWEL = 0.45  # "seperate", "definately"
COST_KEY = 0.6  # neighbouring keys: "thw" for "the"
COST_DOUBLE = 0.35  # a doubled letter added or dropped: "occured", "tommorrow"
COST_SWAP = 0.5  # "teh"
COST_SILENT = 0.6
COST_APOSTROPHE = 0.1  # "wasnt" for "wasn't"
COST_ACCENT = 0.3  # "siguenos" for "síguenos"  # h, e, w dropped or added ("rember" is not this, "wich" is)
SOUNDS = (
    (r"ph", "f"), (r"ck", "k"), (r"c(?=[eiy])", "s"), (r"c", "k"), (r"q", "k"), (r"x", "ks"),
    (r"z", "s"), (r"gh", ""), (r"^kn", "n"), (r"^wr", "r"), (r"dg", "j"), (r"[sct]i(?=[aou])", "sh"),
    (r"wh", "w"), (r"y", "i"),
)


@lru_cache(maxsize=4096)
def adjacent(a: str, b: str) -> bool:
    """True when two letters are neighbours on a QWERTY keyboard."""
    pa, pb = _POS.get(a), _POS.get(b)
    return bool(pa and pb) and abs(pa[0] - pb[0]) <= 1 and abs(pa[1] - pb[1]) <= 1.0  # type: ignore[index]


def _base(c: str) -> str:
    """The letter without its accent."""
    return unicodedata.normalize("NFD", c)[:1]


@lru_cache(maxsize=4096)
def _sub_cost(a: str, b: str) -> float:
    """Cost of typing `b` where `a` was meant."""
    if a == b:
        return 0.0
    if _base(a) == _base(b):
        return COST_ACCENT
    if a in VOWELS and b in VOWELS:
        return COST_VOWEL
    if adjacent(a, b):
        return COST_KEY
    return 1.0


def _indel_cost(word: str, i: int) -> float:
    """Cost of inserting or deleting word[i]: cheap when it doubles a neighbour or is a silent letter."""
    c = word[i]
    if c == "'":
        return COST_APOSTROPHE
    if (i > 0 and word[i - 1] == c) or (i + 1 < len(word) and word[i + 1] == c):
        return COST_DOUBLE
    if c in "aeiou":  # a final "y" is a suffix ("localy" is "locally", not "local")
        return COST_VOWEL + 0.3
    return COST_SILENT if c in "hw" else 1.0


def weighted_distance(typo: str, word: str) -> float:
    """Weighted Damerau-Levenshtein distance from the intended `word` to the `typo`."""
    n, m = len(word), len(typo)
    prev2: list[float] = []
    prev = [0.0] * (m + 1)
    for j in range(1, m + 1):
        prev[j] = prev[j - 1] + _indel_cost(typo, j - 1)
    for i in range(1, n + 1):
        cur = [prev[0] + _indel_cost(word, i - 1)] + [0.0] * m
        for j in range(1, m + 1):
            best = min(prev[j] + _indel_cost(word, i - 1), cur[j - 1] + _indel_cost(typo, j - 1),
                       prev[j - 1] + _sub_cost(word[i - 1], typo[j - 1]))
            if (i > 1 and j > 1 and word[i - 1] == typo[j - 2] and word[i - 2] == typo[j - 1]
                    and word[i - 1] != word[i - 2]):
                best = min(best, prev2[j - 2] + COST_SWAP)
            cur[j] = best
        prev2, prev = prev, cur
    return prev[m]


def phonetic_key(word: str) -> str:
    """A rough sound-alike key: spelling of common sounds normalised, later vowels and doubles dropped."""
    key = word.lower()
    for pattern, repl in SOUNDS:
        key = re.sub(pattern, repl, key)
    key = re.sub(r"(.)\1+", r"\1", key)
    return key[:1] + re.sub(r"[aeiouh]", "", key[1:])


class EditModel:
    """Brill & Moore channel model: log10 P(typed | intended) over substring rules learned from typo pairs."""

    def __init__(self, table: dict[str, dict[str, float]]) -> None:
        """Wrap rules as {intended part: {typed part: log10 p}}."""
        self.table = table

    @classmethod
    def load(cls, name: str = "en_edits.tsv.gz") -> EditModel:
        """Load the rule table shipped in moderation/data (written by scripts/train_errormodel.py)."""
        raw = gzip.decompress(resources.files("moderation.data").joinpath(name).read_bytes()).decode("utf-8")
        table: dict[str, dict[str, float]] = {}
        for line in raw.splitlines():
            alpha, beta, logp = line.split("\t")
            table.setdefault(alpha, {})[beta] = float(logp)
        return cls(table)

    def logp(self, typo: str, word: str) -> float:
        """Best log10 probability of typing `typo` for `word` over all ways of splitting it into rules."""
        w, t = f"^{word}$", f"^{typo}$"
        n, m = len(w), len(t)
        band = abs(n - m) + 3  # candidates are at most two edits away, so the alignment stays near the diagonal
        best = [[-math.inf] * (m + 1) for _ in range(n + 1)]
        best[0][0] = 0.0
        for i in range(1, n + 1):
            for j in range(max(1, i - band), min(m, i + band) + 1):
                best[i][j] = self._cell(best, w, t, i, j)
        return best[n][m]

    def _cell(self, best: list[list[float]], w: str, t: str, i: int, j: int) -> float:
        """The best score of aligning w[:i] with t[:j]."""
        top = best[i - 1][j - 1] if w[i - 1] == t[j - 1] else -math.inf
        if w[i - 1] not in "^$" and t[j - 1] not in "^$":  # fallback single-letter edits
            top = max(top, best[i - 1][j - 1] + _FALLBACK * _sub_cost(w[i - 1], t[j - 1]) + _FALLBACK_BASE,
                      best[i - 1][j] + _FALLBACK * _indel_cost(w, i - 1) + _FALLBACK_BASE,
                      best[i][j - 1] + _FALLBACK * _indel_cost(t, j - 1) + _FALLBACK_BASE)
        for a in range(1, min(MAX_SIDE, i) + 1):
            rules = self.table.get(w[i - a:i])
            if not rules:
                continue
            for b in range(0, min(MAX_SIDE, j) + 1):
                lp = rules.get(t[j - b:j])
                if lp is not None:
                    top = max(top, best[i - a][j - b] + lp)
        return top


# An edit no rule covers costs this much (log10) plus the typing-model weight times its cost.
_FALLBACK_BASE = -2.5
_FALLBACK = -1.5


def features(typo: str, cand: str, count: int, context: float, channel: float = 0.0) -> tuple[float, ...]:
    """The ranking features of one candidate; `Speller` weighs them with `WEIGHTS`."""
    return (
        math.log10(max(count, 1)),
        weighted_distance(typo, cand),
        float(phonetic_key(typo) == phonetic_key(cand)),
        float(typo[:1] == cand[:1]),
        abs(len(typo) - len(cand)),
        channel,
        context,
    )


# Ranking weights, tuned by cross-validation inside the dev carve (bench/tune_speller.py); the prior's weight
# stays 1 so scores are in log10 units. Order: log10 count, weighted distance, same sound key, same first
# letter, length difference, channel log10 P(typo | word), bigram context.
WEIGHTS = (1.0, -1.57, 0.43, 0.54, 0.49, 0.65, 0.6)
# How sure a correction is uses the channel at full weight, as a noisy-channel posterior ratio would: on dev
# replies with injected typos this fixes more words by itself at the same precision.
CONFIDENCE_WEIGHTS = (*WEIGHTS[:5], 1.0, WEIGHTS[6])
# Word lists without a channel model (other languages) keep the hand-set typing-model weights.
PLAIN_WEIGHTS = (0.95, -3.0, 0.8, 1.1, 0.3, 0.0, 0.6)


def rank_score(feats: tuple[float, ...], weights: tuple[float, ...] = WEIGHTS) -> float:
    """Log-score of a candidate: higher is likelier."""
    return sum(w * f for w, f in zip(weights, feats, strict=True))
