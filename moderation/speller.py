"""Word-frequency spell corrector: symmetric-delete candidates ranked by an error model and bigrams."""

from __future__ import annotations

import bisect
import gzip
import math
import threading
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources

import jellyfish
import numpy as np

from moderation.deleteindex import MAX_DISTANCE, DeleteIndex
from moderation.errormodel import CONFIDENCE_WEIGHTS, PLAIN_WEIGHTS, WEIGHTS, EditModel, features, rank_score
from moderation.wordtable import HashCounts, WordCounts

PREFIXES = ("re", "un", "de", "pre", "dis", "over", "under", "sub", "co", "non", "multi", "mis", "out", "up")
SUFFIXES = ("s", "es", "ed", "ing", "er", "ers", "ly", "able", "less", "ness", "ment")
# Both halves of an accepted compound must be common words, so typos rarely pass as compounds.
COMPOUND_MIN = 5_000_000
# A correction is applied automatically only when it beats the runner-up by this many score units.
CONFIDENT_MARGIN = 1.5
# Confusions too far apart for two edits ("consequentually"): undone on the typo before a one-edit lookup.
REWRITES = (("ie", "ei"), ("ei", "ie"), ("ance", "ence"), ("ence", "ance"), ("able", "ible"), ("ible", "able"),
            ("ant", "ent"), ("ent", "ant"), ("s", "c"), ("c", "s"), ("s", "z"), ("f", "ph"), ("er", "or"))
REWRITE_MIN_LENGTH = 7
# Typos whose candidates are kept (oldest dropped first): a few hundred bytes each, so at most about 1 MB.
CANDIDATE_CACHE = 2048
SHORTLIST = 15  # candidates scored by the channel model
PHONETIC_MIN_LENGTH = 5  # shorter typos have too many sound-alikes to be useful


@dataclass(frozen=True)
class Correction:
    """Ranked suggestions for one unknown word; `score` is the best one's lead over the next."""

    suggestions: tuple[str, ...]
    score: float

    @property
    def confident(self) -> bool:
        """True when the best correction wins by the default margin."""
        return self.score >= CONFIDENT_MARGIN


def _data_bytes(name: str) -> bytes:
    """Read a gzipped word list shipped in moderation/data."""
    return gzip.decompress(resources.files("moderation.data").joinpath(name).read_bytes())


def _data_lines(name: str) -> list[str]:
    """Lines of a gzipped word list shipped in moderation/data."""
    return _data_bytes(name).decode("utf-8").splitlines()


def _counted(name: str) -> Iterator[tuple[str, int]]:
    """(key, count) from the "key count" lines of a shipped list, one line at a time (no list of all lines)."""
    text = _data_bytes(name).decode("utf-8")
    start = 0
    while start < len(text):  # in slices of ~64 KB: a list of every line would outlive itself as heap holes
        end = text.find("\n", start + 65536)
        end = len(text) if end < 0 else end
        for line in text[start:end].splitlines():
            key, count = line.rsplit(" ", 1)
            yield key, int(count)
        start = end + 1


class Speller:
    """A dictionary with counts, optional bigrams, and a candidate index built the first time it is needed."""

    def __init__(self, unigram_file: str, bigram_file: str | None = None, extra_file: str | None = None,
                 more_file: str | None = None):
        """Load the word counts now; the bigrams and the candidate index load on first correction."""
        names = (unigram_file, more_file) if more_file else (unigram_file,)
        self.counts = WordCounts(lambda: (pair for name in names for pair in _counted(name)))
        self.extra = set(_data_lines(extra_file)) if extra_file else set()
        self._tag = unigram_file.split("_", 1)[0]
        self._bigram_file = bigram_file
        self._bigrams: HashCounts | None = None
        self._index: DeleteIndex | None = None
        self._sounds: tuple[array[int], array[int]] | None = None  # sorted key hashes, word ids
        self._cands: dict[str, tuple[tuple[str, ...], array[float]]] = {}
        self._cache_lock = threading.Lock()
        self.edits: EditModel | None = EditModel.load() if self._tag == "en" else None
        self._lock = threading.Lock()
        self.total = self.counts.total() or 1

    def use_edits(self, edits: EditModel | None) -> None:
        """Rank with another channel model (cross-validation); forgets the cached candidates."""
        self.edits = edits
        self._cands = {}

    def warm(self) -> None:
        """Load the bigrams, the candidate index and the sound-alike keys now rather than on the first typo."""
        self.index()
        self.bigrams()
        if self.edits:
            self.sound_alikes("")

    def index(self) -> DeleteIndex:
        """The candidate index, loaded from the cache (or built) once."""
        with self._lock:
            if self._index is None:
                self._index = DeleteIndex.cached(self.counts.words, self._tag)
            return self._index

    def sound_alikes(self, word: str) -> list[str]:
        """Dictionary words with the same Metaphone key ("restraunt" -> "restaurant"); built on first use."""
        with self._lock:
            if self._sounds is None:
                keys = np.fromiter((hash(jellyfish.metaphone(w)) for w in self.counts), dtype=np.int64,
                                   count=len(self.counts))
                order = np.argsort(keys, kind="stable")  # stable: words of one key stay in file order
                self._sounds = array("q", keys[order].tobytes()), array("q", order.astype(np.int64).tobytes())
        hashes, ids = self._sounds
        h = hash(jellyfish.metaphone(word))
        lo = bisect.bisect_left(hashes, h)
        hi = bisect.bisect_right(hashes, h, lo)
        return [self.counts.words[i] for i in ids[lo:hi]]

    def bigrams(self) -> HashCounts:
        """Counts of word pairs ("a b"), loaded once; empty for languages without them."""
        with self._lock:
            if self._bigrams is None:
                name = self._bigram_file
                self._bigrams = HashCounts(lambda: _counted(name) if name else iter(()))
            return self._bigrams

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
        return compound and not self.index().lookup(word, 1)

    def _contexts(self, cands: list[str], prev: str | None, nxt: str | None) -> list[float]:
        """Log10 bigram evidence for each candidate between its neighbours (0 when there is none)."""
        before = prev if prev and prev in self.counts else None
        after = nxt if nxt and nxt in self.counts else None
        if not (before or after):
            return [0.0] * len(cands)
        keys = [f"{before} {c}" for c in cands] if before else []
        keys += [f"{c} {after}" for c in cands] if after else []
        pairs = self.bigrams().get_many(keys)
        left = pairs[:len(cands)] if before else []
        right = pairs[-len(cands):] if after else []
        total, left_count, right_count = self.total, self.counts.get(before or ""), self.counts.get(after or "")
        out = []
        for i, count in enumerate(self.counts.get_many(cands, 1)):
            bonus = 0.0
            if before:
                bonus += math.log10(1 + left[i] * total / (left_count * count))
            if after:
                bonus += math.log10(1 + right[i] * total / (right_count * count))
            out.append(bonus)
        return out

    def candidates(self, word: str) -> list[tuple[str, tuple[float, ...]]]:
        """Candidate corrections of a lower-cased word with their ranking features (no context), cached."""
        # The live editor re-checks the same draft on every keystroke: its typos are scored once.
        packed = self._cands.get(word)
        if packed is None:
            found = self._candidates(word)
            # Packed as a tuple of words and one flat array of floats: a third of the size of the tuples.
            packed = tuple(w for w, _ in found), array("d", [x for _, f in found for x in f])
            with self._cache_lock:
                if len(self._cands) >= CANDIDATE_CACHE:
                    self._cands.pop(next(iter(self._cands)), None)
                self._cands[word] = packed
            return found
        words, flat = packed
        n = len(flat) // len(words) if words else 0
        values = flat.tolist()
        return [(w, tuple(values[i * n:(i + 1) * n])) for i, w in enumerate(words)]

    def _candidates(self, word: str) -> list[tuple[str, tuple[float, ...]]]:
        """Candidate corrections of a lower-cased word with their ranking features."""
        index = self.index()
        if self.edits is None:  # a plain word list: near words only, ranked by the typing model
            found = {w for w, _ in index.lookup(word, MAX_DISTANCE if len(word) > 4 else 1)}
            return [(w, features(word, w, self.counts.get(w, 1), 0.0)) for w in found]
        found = {w for w, _ in index.lookup(word, MAX_DISTANCE if len(word) > 3 else 1)}
        if len(word) >= REWRITE_MIN_LENGTH:
            found |= self._rewritten(word, index)
        if len(word) >= PHONETIC_MIN_LENGTH:
            found |= {w for w in self.sound_alikes(word) if abs(len(w) - len(word)) <= 3 and w[0] == word[0]}
        found |= {w for w in (word[:i] + "'" + word[i:] for i in range(1, len(word))) if w in self.counts}
        found.discard(word)
        cheap = [(w, features(word, w, self.counts.get(w, 1), 0.0)) for w in found]
        # The channel model is the slow part: only the likeliest candidates by the cheap features get it.
        cheap.sort(key=lambda c: rank_score(c[1]), reverse=True)  # channel feature still 0 here
        return [(w, (*f[:5], self.edits.logp(word, w), f[6])) for w, f in cheap[:SHORTLIST]]

    def _rewritten(self, word: str, index: DeleteIndex) -> set[str]:
        """Words one edit from the typo after undoing one whole-sound confusion or doubling."""
        variants = {word[:i] + b + word[i + len(a):] for a, b in REWRITES
                    for i in range(1, len(word)) if word.startswith(a, i)}
        variants |= {word[:i] + word[i] + word[i:] for i in range(1, len(word) - 1)
                     if word[i] not in "aeiouy" and word[i] != word[i - 1] and word[i] != word[i + 1]}
        found: set[str] = set()
        for v in variants:
            if v in self.counts:
                found.add(v)
            found.update(w for w, _ in index.lookup(v, 1))
        return found

    def correct(self, word: str, prev: str | None = None, nxt: str | None = None) -> Correction | None:
        """Rank corrections for a lower-cased unknown word, or None when nothing is close."""
        cands = self.candidates(word)
        if not cands:
            return None
        weights = WEIGHTS if self.edits else PLAIN_WEIGHTS
        context = self._contexts([w for w, _ in cands], prev, nxt)
        feats = [((*f[:-1], c), w) for (w, f), c in zip(cands, context, strict=True)]
        ranked = sorted(((rank_score(f, weights), rank_score(f, CONFIDENCE_WEIGHTS), w) for f, w in feats),
                        reverse=True)
        if not self.edits:
            margin = ranked[0][0] - ranked[1][0] if len(ranked) > 1 else 9.0
        else:  # how sure: the full channel evidence, best against the strongest other candidate
            margin = ranked[0][1] - max(r[1] for r in ranked[1:]) if len(ranked) > 1 else 9.0
        return Correction(tuple(t for _, _, t in ranked[:5]), margin)
