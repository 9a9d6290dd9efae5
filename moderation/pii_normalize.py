"""Undo the tricks that hide personal data from patterns, keeping a map back to the original text.

Full-width and other Unicode digits become ASCII digits, zero-width and soft-hyphen characters go,
letters standing in for digits inside a number ("4O12", "4l5-555-O188") become digits, and a value
typed one character at a time ("0 6 1 2 3 4 5 6 7 8", "r o b @ g m a i l . c o m") loses its spaces.
Recognizers run on the normalised text; spans are mapped back so findings point at the original.
"""

from __future__ import annotations

import re
import unicodedata

# Characters that render as nothing: zero-width space/joiners, word joiner, BOM, soft hyphen.
INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e")
# Letters that stand in for digits when typed inside a number.
HOMOGLYPH = {"O": "0", "o": "0", "l": "1", "I": "1"}
# A group of digits and look-alike letters with a real digit, not glued to a word ("4O12", "O188"; not "No1").
NUMBER_GROUP = re.compile(r"(?<![^\W\d_])[\dOolI]*\d[\dOolI]*(?![^\W\d_])")
# Five or more single characters separated by single spaces ("4 5 3 2 0 1 5 ...").
SPACED = re.compile(r"(?<!\S)(?:[\w@.+-] ){4,}[\w@.+-](?!\S)")


def _char(c: str) -> str:
    """One character's stand-in: ASCII for full-width forms and Unicode digits, nothing for invisibles."""
    if c in INVISIBLE:
        return ""
    if "\uff01" <= c <= "\uff5e":  # full-width ASCII block: "０９０", "＠"
        return unicodedata.normalize("NFKC", c)
    if c.isdigit() and not c.isascii():
        digit = unicodedata.digit(c, -1)
        return str(digit) if digit >= 0 else c
    return c


def normalise(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the index of the original one (plus the end)."""
    chars: list[str] = []
    where: list[int] = []
    for i, c in enumerate(text):
        for out in _char(c):
            chars.append(out)
            where.append(i)
    joined = NUMBER_GROUP.sub(lambda m: "".join(HOMOGLYPH.get(c, c) for c in m.group()), "".join(chars))
    keep = [True] * len(joined)
    for m in SPACED.finditer(joined):
        run = m.group()
        if "@" in run or sum(ch.isdigit() for ch in run) >= 5:
            for j in range(m.start() + 1, m.end(), 2):
                keep[j] = False
    norm = "".join(c for c, k in zip(joined, keep) if k)
    offsets = [w for w, k in zip(where, keep) if k]
    return norm, [*offsets, len(text)]


def original_span(offsets: list[int], start: int, end: int) -> tuple[int, int]:
    """Map a [start, end) span of the normalised text back onto the original text."""
    if end <= start:
        return offsets[start], offsets[start]
    return offsets[start], offsets[end - 1] + 1
