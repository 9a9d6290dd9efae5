"""SymSpell's symmetric-delete candidate index over a word list, as compact numpy arrays cached on disk."""

from __future__ import annotations

import hashlib
import os
import zlib
from array import array
from pathlib import Path

import numpy as np
from symspellpy.editdistance import DistanceAlgorithm, EditDistance

from moderation.wordtable import WordList

PREFIX_LENGTH = 7  # as SymSpell: only the first letters are indexed, which keeps the index small
MAX_DISTANCE = 2
INDEX_VERSION = "3"


def _deletes(word: str, distance: int = MAX_DISTANCE) -> set[str]:
    """The word's prefix and every string made by deleting up to `distance` letters from it."""
    found = {word[:PREFIX_LENGTH]}
    frontier = set(found)
    for _ in range(distance):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w)) if len(w) > 1}
        found |= frontier
    return found


def _hash(strings: set[str]) -> list[int]:
    """Stable 32-bit hashes (collisions only add candidates that the distance check then drops)."""
    return [zlib.crc32(s.encode("utf-8")) for s in strings]


def cache_dir() -> Path:
    """Where built indexes are kept: $REPGUARD_HOME/cache, else ~/.cache/repguard."""
    home = os.environ.get("REPGUARD_HOME")
    return Path(home) / "cache" if home else Path.home() / ".cache" / "repguard"


class DeleteIndex:
    """SymSpell's symmetric-delete index as sorted numpy arrays, so it loads from disk in milliseconds.

    Each distinct delete hash is stored once (`keys`); the ids of its words are at `bounds[k]:bounds[k + 1]`,
    two bytes each in `ids` plus, for lists over 65,536 words, a 17th bit packed eight to a byte in `high`.
    """

    def __init__(self, words: WordList, keys: np.ndarray, bounds: np.ndarray, ids: np.ndarray,
                 high: np.ndarray) -> None:
        """Wrap the word list, the distinct delete hashes, the low 16 bits of each word id and the 17th bits."""
        self.words, self.keys, self.bounds, self.ids, self.high = words, keys, bounds, ids, high
        self._distance = EditDistance(DistanceAlgorithm.DAMERAU_OSA)

    @classmethod
    def build(cls, words: WordList) -> DeleteIndex:
        """Compute the deletes of every word (a few seconds for English; done once, then cached)."""
        if len(words) > 1 << 17:
            raise ValueError(f"a word list of {len(words)} words is over the index's 131,072")
        keys: array[int] = array("I")
        ids: array[int] = array("I")
        for i, word in enumerate(words):
            hashes = _hash(_deletes(word))
            keys.extend(hashes)
            ids.extend([i] * len(hashes))
        order = np.argsort(np.frombuffer(keys, dtype=np.uint32), kind="stable")
        ordered = np.frombuffer(keys, dtype=np.uint32)[order]
        first = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
        bounds = np.append(first, len(order)).astype(np.uint32)
        word_ids = np.frombuffer(ids, dtype=np.uint32)[order]
        high = np.packbits(word_ids >> 16 & 1, bitorder="little") if len(words) > 1 << 16 else np.zeros(0, np.uint8)
        return cls(words, ordered[first], bounds, (word_ids & 0xFFFF).astype(np.uint16), high)

    @classmethod
    def cached(cls, words: WordList, tag: str) -> DeleteIndex:
        """Load the index from the cache folder, building and saving it on first use."""
        digest = hashlib.sha256(words.joined().encode("utf-8")).hexdigest()[:16]
        path = cache_dir() / f"speller-{tag}-{INDEX_VERSION}-{digest}.npz"
        try:
            with np.load(path) as saved:
                return cls(words, saved["keys"], saved["bounds"], saved["ids"], saved["high"])
        except (OSError, KeyError, ValueError):
            pass
        index = cls.build(words)
        try:  # a read-only home only costs the rebuild next time
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp.npz")
            np.savez(tmp, keys=index.keys, bounds=index.bounds, ids=index.ids, high=index.high)
            tmp.replace(path)
        except OSError:
            pass
        return index

    def _ids(self, at: np.ndarray) -> np.ndarray:
        """The word ids stored under the distinct keys at positions `at`, all at once."""
        lo, hi = self.bounds[at].astype(np.int64), self.bounds[at + 1].astype(np.int64)
        lengths = hi - lo
        pos = np.repeat(lo - np.cumsum(lengths) + lengths, lengths) + np.arange(int(lengths.sum()))
        ids = self.ids[pos].astype(np.int64)
        if len(self.high):
            ids |= (self.high[pos >> 3] >> (pos & 7) & 1).astype(np.int64) << 16
        return ids

    def lookup(self, typo: str, max_distance: int) -> list[tuple[str, int]]:
        """Dictionary words within `max_distance` edits of the typo, with their distances."""
        probe = np.asarray(_hash(_deletes(typo, max_distance)), dtype=np.uint32)
        at = np.searchsorted(self.keys, probe)
        inside = at < len(self.keys)
        at = at[inside][self.keys[at[inside]] == probe[inside]]
        found = set(self._ids(at).tolist())
        out = []
        for i in found:
            word = self.words[i]
            if abs(len(word) - len(typo)) > max_distance or word == typo:
                continue
            dist = self._distance.compare(typo, word, max_distance)
            if 0 < dist <= max_distance:
                out.append((word, dist))
        return out
