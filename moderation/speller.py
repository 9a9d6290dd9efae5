"""Word-frequency spell corrector: SymSpell candidates ranked by frequency, error model and bigrams."""

from __future__ import annotations

import gzip
import math
import re
from dataclasses import dataclass
from importlib import resources

from symspellpy import SymSpell, Verbosity

VOWELS = set("aeiouy")
# Log-probability cost of each kind of edit; doubled letters and vowel slips are the commonest typos.
COST_EDIT = 2.6
COST_CHEAP = 1.3
# Weight of the bigram evidence relative to plain word frequency.
BIGRAM_WEIGHT = 1.0
PREFIXES = ("re", "un", "de", "pre", "dis", "over", "under", "sub", "co", "non", "multi", "mis", "out", "up")
SUFFIXES = ("s", "es", "ed", "ing", "er", "ers", "ly", "able", "less", "ness", "ment")
# Both halves of an accepted compound must be common words, so typos rarely pass as compounds.
COMPOUND_MIN = 5_000_000
# A correction is applied automatically only when it beats the runner-up by this many log10 units.
CONFIDENT_MARGIN = 1.5


@dataclass(frozen=True)
class Correction:
    """Ranked suggestions for one unknown word; `score` is the best one's lead over the next."""

    suggestions: tuple[str, ...]
    score: float

    @property
    def confident(self) -> bool:
        """True when the best correction wins by the default margin."""
        return self.score >= CONFIDENT_MARGIN


def _data_lines(name: str) -> list[str]:
    """Read a gzipped word list shipped in moderation/data."""
    raw = resources.files("moderation.data").joinpath(name).read_bytes()
    return gzip.decompress(raw).decode("utf-8").splitlines()


def _squash(word: str) -> str:
    """Collapse doubled letters ("sorry" -> "sory") to compare words modulo doubling slips."""
    return re.sub(r"(.)\1+", r"\1", word)


def _skeleton(word: str) -> str:
    """Replace vowels by one symbol to compare words modulo vowel slips."""
    return "".join("*" if c in VOWELS else c for c in word)


def edit_cost(typo: str, cand: str, distance: int) -> float:
    """Return the error-model cost of typing `cand` as `typo` (lower is likelier)."""
    if _squash(typo) == _squash(cand):
        return COST_CHEAP
    if len(typo) == len(cand) and _skeleton(typo) == _skeleton(cand):
        return COST_CHEAP * distance
    if sorted(typo) == sorted(cand) and distance == 1:
        return COST_CHEAP  # a transposition
    return COST_EDIT * distance


class Speller:
    """A dictionary with counts, optional bigrams and a SymSpell index for candidates."""

    def __init__(self, unigram_file: str, bigram_file: str | None = None, extra_file: str | None = None):
        """Load the word lists (a few seconds for English)."""
        self._sym = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
        self.counts: dict[str, int] = {}
        for line in _data_lines(unigram_file):
            word, count = line.rsplit(" ", 1)
            self.counts[word] = int(count)
            self._sym.create_dictionary_entry(word, int(count))
        self.extra = set(_data_lines(extra_file)) if extra_file else set()
        self.bigrams: dict[tuple[str, str], int] = {}
        for line in _data_lines(bigram_file) if bigram_file else []:
            first, second, count = line.split(" ")
            self.bigrams[(first, second)] = int(count)
        self.total = sum(self.counts.values()) or 1

    def known(self, word: str) -> bool:
        """True when the lower-cased word is in the dictionary."""
        return word in self.counts or word in self.extra

    def plausible(self, word: str) -> bool:
        """True for known words and regular derivations or compounds of them (unmute, barcode)."""
        if self.known(word):
            return True
        if any(word.startswith(p) and len(word) - len(p) >= 4 and self.known(word[len(p):])
               for p in PREFIXES):
            return True
        if any(word.endswith(s) and len(word) - len(s) >= 3 and self.known(word[: -len(s)])
               for s in SUFFIXES):
            return True
        common = self.counts.get
        compound = any(common(word[:i], 0) >= COMPOUND_MIN and common(word[i:], 0) >= COMPOUND_MIN
                       for i in range(3, len(word) - 2))
        # "pasword" splits into "pas" + "word", but one edit from a known word it is a typo, not a compound.
        return compound and not self._sym.lookup(word, Verbosity.TOP, max_edit_distance=1)

    def _context(self, cand: str, prev: str | None, nxt: str | None) -> float:
        """Log10 bigram evidence for `cand` between its neighbours (0 when there is none)."""
        bonus = 0.0
        count = self.counts.get(cand, 1)
        if prev and prev in self.counts:
            bonus += math.log10(1 + self.bigrams.get((prev, cand), 0) * self.total / (
                self.counts[prev] * count))
        if nxt and nxt in self.counts:
            bonus += math.log10(1 + self.bigrams.get((cand, nxt), 0) * self.total / (
                self.counts[nxt] * count))
        return BIGRAM_WEIGHT * bonus

    def correct(self, word: str, prev: str | None = None, nxt: str | None = None) -> Correction | None:
        """Rank corrections for a lower-cased unknown word, or None when nothing is close."""
        found = self._sym.lookup(word, Verbosity.ALL, max_edit_distance=2 if len(word) > 4 else 1)
        if not found:
            return None
        ranked = sorted(
            ((math.log10(s.count) - edit_cost(word, s.term, s.distance) + self._context(s.term, prev, nxt),
              s.term) for s in found),
            reverse=True,
        )
        margin = ranked[0][0] - ranked[1][0] if len(ranked) > 1 else 9.0
        return Correction(tuple(t for _, t in ranked[:5]), margin)
