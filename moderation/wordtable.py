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

import numpy as np

HOT_WORDS = 5000  # the commonest words also sit in a dict: most words of a reply are among them


class WordList:
    """An immutable list of words stored as one joined string and the offsets of each word."""

    def __init__(self, words: Iterable[str]) -> None:
        """Pack the words (which must not contain a newline)."""
        items = list(words)
        self._blob = "\n".join(items)
        ends = np.cumsum([len(w) + 1 for w in items], dtype=np.int64)
        self._starts = array("q", np.concatenate(([0], ends[:-1])).tolist() if items else [])
        self._ends = array("q", (ends - 1).tolist())

    def __len__(self) -> int:
        """Number of words."""
        return len(self._starts)

    def __getitem__(self, i: int) -> str:
        """The i-th word."""
        return self._blob[self._starts[i]:self._ends[i]]

    def __iter__(self) -> Iterator[str]:
        """The words in order."""
        return iter(self._blob.split("\n")) if len(self) else iter(())

    def joined(self) -> str:
        """All the words joined by newlines (what the index cache digests)."""
        return self._blob


class HashCounts:
    """A read-only str -> int mapping kept as sorted 64-bit hashes and a parallel array of values."""

    def __init__(self, source: Callable[[], Iterable[tuple[str, int]]]) -> None:
        """Build from a function yielding (key, value) pairs; a repeated key keeps its first value."""
        hashes: array[int] = array("q")
        values: array[int] = array("q")
        for key, value in source():
            hashes.append(hash(key))
            values.append(value)
        order = np.argsort(np.frombuffer(hashes, dtype=np.int64), kind="stable")  # stable: first of equal is found
        self._hashes = np.frombuffer(hashes, dtype=np.int64)[order]
        del hashes
        self._values = np.frombuffer(values, dtype=np.int64)[order]
        del values, order
        self._clashes: dict[str, int] = {}
        shared = set(self._hashes[1:][self._hashes[1:] == self._hashes[:-1]].tolist())
        if shared:  # rare: a second pass keeps every later key of a shared hash exactly, by name
            first: dict[int, str] = {}
            for key, value in source():
                h = hash(key)
                if h in shared and first.setdefault(h, key) != key:
                    self._clashes.setdefault(key, value)

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


class WordCounts:
    """Word -> count for a dictionary, with its words in file order (ids for the candidate index)."""

    def __init__(self, pairs: Iterable[tuple[str, int]]) -> None:
        """Build from (word, count) lines in file order; a repeated word keeps its first count."""
        seen: dict[str, int] = {}
        order: list[str] = []
        for word, count in pairs:
            if word not in seen:
                seen[word] = count
                order.append(word)
        self.words = WordList(order)
        self._hot = {w: seen[w] for w in order[:HOT_WORDS]}
        self._table = HashCounts(lambda: ((w, seen[w]) for w in order[HOT_WORDS:]))

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
        return sum(self._hot.values()) + self._table.total()
