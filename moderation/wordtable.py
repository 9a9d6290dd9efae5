"""Compact word tables for the speller: words packed in one string, counts in arrays looked up by hash.

A Python dict of 88,000 words costs about 12 MB (a string object, an int object and a slot per word) and one
of 240,000 bigrams about 40 MB; these arrays hold the same in 1-3 MB. Keys are found by the 64-bit string hash
Python already caches on each str, so a lookup is a binary search over sorted hashes (about half a
microsecond). The hashes are salted per process, which is fine: tables are built at load time, never saved.
Two different keys of one table share a 64-bit hash with a chance near 1e-9; such a pair is detected when the
table is built and the later key keeps its own value in a small exact dict. A word that is NOT in a table
matches some key's hash with a chance near 1e-14 per lookup, which is ignored.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator
from itertools import chain

import numpy as np

HOT_WORDS = 5000  # the commonest words also sit in a dict: most words of a reply are among them


class WordList:
    """An immutable list of words stored as one joined string and the offsets of each word."""

    def __init__(self, words: Iterable[str]) -> None:
        """Pack the words (which must not contain a newline)."""
        items = list(words)
        self._blob = "\n".join(items)
        # Word i is blob[starts[i]:starts[i + 1] - 1]; the last start is one past the end (as if a "\n" followed).
        starts = np.concatenate(([0], np.cumsum([len(w) + 1 for w in items], dtype=np.int64)))
        self._starts = array("L" if len(self._blob) >= 1 << 32 else "I", starts.tolist())

    def __len__(self) -> int:
        """Number of words."""
        return len(self._starts) - 1

    def __getitem__(self, i: int) -> str:
        """The i-th word."""
        if not -len(self) <= i < len(self):
            raise IndexError(i)
        i %= len(self)
        return self._blob[self._starts[i]:self._starts[i + 1] - 1]

    def __iter__(self) -> Iterator[str]:
        """The words in order."""
        return iter(self._blob.split("\n")) if len(self) else iter(())

    @classmethod
    def packed(cls, blob: str, starts: array[int]) -> WordList:
        """Wrap words already joined by newlines, with the start of each and one past the end (len + 1)."""
        words = cls(())
        words._blob, words._starts = blob, starts
        return words

    def joined(self) -> str:
        """All the words joined by newlines (what the index cache digests)."""
        return self._blob


class HashCounts:
    """A read-only str -> int mapping kept as sorted 64-bit hashes and a parallel array of values."""

    def __init__(self, source: Callable[[], Iterable[tuple[str, int]]]) -> None:
        """Build from a function yielding (key, value) pairs; a repeated key keeps its first value."""
        flat = np.fromiter(chain.from_iterable((hash(k), v) for k, v in source()), dtype=np.int64)
        order = np.argsort(flat[0::2], kind="stable")  # stable: the first of equal hashes is found first
        self._hashes = flat[0::2][order]
        self._values = flat[1::2][order]
        del flat, order
        self._clashes: dict[str, int] = {}
        shared = set(self._hashes[1:][self._hashes[1:] == self._hashes[:-1]].tolist())
        if shared:  # rare: a second pass keeps every later key of a shared hash exactly, by name
            first: dict[int, str] = {}
            for key, value in source():
                h = hash(key)
                if h in shared and first.setdefault(h, key) != key:
                    self._clashes.setdefault(key, value)

    @classmethod
    def from_sorted(cls, hashes: np.ndarray, values: np.ndarray) -> HashCounts:
        """Wrap distinct sorted hashes and their values (the caller has ruled out clashes)."""
        table = cls.__new__(cls)
        table._hashes, table._values, table._clashes = hashes, values, {}
        return table

    def __len__(self) -> int:
        """Number of entries."""
        return len(self._hashes)

    def get(self, key: str, default: int = 0) -> int:
        """The key's value, or `default` when it is absent."""
        if self._clashes and key in self._clashes:
            return self._clashes[key]
        h = hash(key)
        i = int(self._hashes.searchsorted(h))
        return int(self._values[i]) if i < len(self._hashes) and self._hashes[i] == h else default

    def get_many(self, keys: list[str], default: int = 0) -> list[int]:
        """The values of several keys at once (one vectorised search; much faster than `get` in a loop)."""
        table = self._hashes
        if not keys or not len(table):
            return [self._clashes.get(k, default) for k in keys]
        probe = np.fromiter((hash(k) for k in keys), dtype=np.int64, count=len(keys))
        at = np.minimum(np.searchsorted(table, probe), len(table) - 1)
        found = np.where(table[at] == probe, self._values[at], default).tolist()
        if self._clashes:
            found = [self._clashes.get(k, v) for k, v in zip(keys, found, strict=True)]
        return found

    def __contains__(self, key: object) -> bool:
        """True when the key is present."""
        return isinstance(key, str) and self.get(key, -1) != -1

    def total(self) -> int:
        """Sum of the values of distinct keys."""
        keys = self._hashes
        first = np.concatenate(([True], keys[1:] != keys[:-1])) if len(keys) else np.zeros(0, dtype=bool)
        return int(self._values[first].sum()) + sum(self._clashes.values())


class _Clash(Exception):
    """Two different words of one list share a 64-bit hash."""


class WordCounts:
    """Word -> count for a dictionary, with its words in file order (ids for the candidate index).

    Built in two streaming passes over the lists, so no dict of all words exists even while loading (it would
    leave its freed pages behind in the process): hashes and counts first, then the words themselves.
    """

    def __init__(self, source: Callable[[], Iterable[tuple[str, int]]]) -> None:
        """Build from a function yielding (word, count) in file order; a repeated word keeps its first count."""
        try:
            self._build(source)
        except _Clash:  # about one chance in 10^9: fall back to an exact dict while loading
            seen: dict[str, int] = {}
            for word, count in source():
                seen.setdefault(word, count)
            self.words = WordList(seen)
            self._hot = {w: seen[w] for w in list(seen)[:HOT_WORDS]}
            self._table = HashCounts(lambda: iter(seen.items()))

    def _build(self, source: Callable[[], Iterable[tuple[str, int]]]) -> None:
        """Keep the first row of each hash; raise _Clash when a dropped row is a different word."""
        rows = np.fromiter(chain.from_iterable((hash(w), c) for w, c in source()), dtype=np.int64).reshape(-1, 2)
        order = np.argsort(rows[:, 0], kind="stable")
        ordered = rows[order, 0]
        first = np.concatenate(([True], ordered[1:] != ordered[:-1])) if len(rows) else np.zeros(0, bool)
        keep = np.zeros(len(rows), dtype=bool)
        keep[order[first]] = True
        shared = set(ordered[1:][~first[1:]].tolist())  # hashes seen more than once: repeats (or a clash)
        parts: list[str] = []
        starts, firsts = array("I", [0]), {}
        self._hot = {}
        for (word, count), kept in zip(source(), keep.tolist(), strict=True):
            h = hash(word) if shared else 0
            if kept:
                parts.append(word)
                starts.append(starts[-1] + len(word) + 1)
                if len(self._hot) < HOT_WORDS:
                    self._hot[word] = count
                if h in shared:
                    firsts[h] = word
            elif firsts[h] != word:
                raise _Clash(word)
        self.words = WordList.packed("\n".join(parts), starts)
        self._table = HashCounts.from_sorted(ordered[first], rows[order[first], 1])

    def __len__(self) -> int:
        """Number of words."""
        return len(self.words)

    def __iter__(self) -> Iterator[str]:
        """The words in file order."""
        return iter(self.words)

    def __contains__(self, word: object) -> bool:
        """True when the word is in the dictionary."""
        return word in self._hot or word in self._table

    def __getitem__(self, word: str) -> int:
        """The word's count (KeyError when unknown)."""
        count = self.get(word, -1)
        if count == -1:
            raise KeyError(word)
        return count

    def get(self, word: str, default: int = 0) -> int:
        """The word's count, or `default`."""
        hot = self._hot.get(word)
        return hot if hot is not None else self._table.get(word, default)

    def get_many(self, words: list[str], default: int = 0) -> list[int]:
        """The counts of several words at once."""
        hot = [self._hot.get(w) for w in words]
        rest = [w for w, h in zip(words, hot, strict=True) if h is None]
        found = iter(self._table.get_many(rest, default) if rest else [])
        return [h if h is not None else next(found) for h in hot]

    def total(self) -> int:
        """Sum of all counts."""
        return self._table.total()
