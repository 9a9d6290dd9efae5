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
# Twelve or more digits written as words in a row: a card number read out ("four one one one, one one one one, …"),
# or three or more after digits. Shorter runs are left to the phone recognizers, which know spelled digits.
DIGIT_WORDS = {"zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
               "seven": "7", "eight": "8", "nine": "9"}
_WORD_RE = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|double|triple)"
SPELLED_RUN = re.compile(rf"(?i)(?:\bplus\s+)?\b{_WORD_RE}(?:[\s,.-]+{_WORD_RE}){{11,}}\b"
                         # three or more right after a group of digits: the rest of a number said aloud
                         # ("5105 1051 0510 five one zero zero"; round 8, dev4)
                         rf"|(?<=\d[\s,.-])\s*\b{_WORD_RE}(?:[\s,.-]+{_WORD_RE}){{2,}}\b"
                         # four or more right before a group of digits: the start of a number said aloud
                         # ("starting five five oh three, then 7368 …"; round 10, dev6)
                         rf"|\b{_WORD_RE}(?:[\s,.-]+{_WORD_RE}){{3,}}\b(?=,?\s+(?:(?:and\s+)?then\s+|followed\s+by\s+)?\d)")
WORD = re.compile(rf"(?i)\b(?:{_WORD_RE}|plus)\b")  # "plus" only ever leads a run: "plus four four, …" is +44
# Words that join the groups of one number told piece by piece: "415, then 555, and finally 0132",
# "090 followed by 3318 6724". The joined groups are then judged as one value (round 10, dev6). Also "+49 151
# and then continues 2384 7720", "DE67 3704 — the rest being 0044 …" (round 11, dev8).
# "GB29 NWBK and continues 6016 …": a code's letters may come before the join; "4111 1111 and the second half
# 1111 1111" joins halves.
DICTATION_JOIN = re.compile(r"(?:(?<=\d)|(?<=[A-Z]{2}))(?i:\s*[,;—–]?\s+(?:(?:and\s+)?(?:then|finally)"
                            r"(?:\s+(?:continues|goes\s+on))?(?:\s+with)?|followed\s+by|(?:and\s+)?continu(?:es|ing)"
                            r"(?:\s+with)?|(?:and\s+)?(?:then\s+)?the\s+(?:rest|(?:second|other|last)\s+(?:half|part))"
                            r"(?:\s+(?:is|being|was|reads))?)\s*:?\s+)(?=\d)")
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


Where = list[tuple[int, int]]  # for each normalised character, the original characters it stands for


def _spelled(text: str) -> tuple[str, Where]:
    """Digits written as words ("four one one one, one one …", "0510 five one zero") as digits; each keeps its span."""
    chars: list[str] = []
    where: Where = []
    pos = 0
    for run in SPELLED_RUN.finditer(text):
        chars.extend(text[pos:run.start()])
        where.extend((i, i + 1) for i in range(pos, run.start()))
        repeat, last = 1, run.start()
        for m in WORD.finditer(text, run.start(), run.end()):
            if text[last:m.start()].strip():  # a dash between groups stays, a comma becomes a space; plain spaces go
                chars.append("-" if "-" in text[last:m.start()] else " ")
                where.append((last, m.start()))
            word = m.group().lower()
            if word == "plus":
                chars.append("+")
                where.append((m.start(), m.end()))
            elif word in ("double", "triple"):
                repeat = 2 if word == "double" else 3
            else:
                chars.extend(DIGIT_WORDS[word] * repeat)
                where.extend([(m.start(), m.end())] * repeat)
                repeat = 1
            last = m.end()
        pos = last
    chars.extend(text[pos:])
    where.extend((i, i + 1) for i in range(pos, len(text)))
    return "".join(chars), where


def _plain(text: str, first: Where) -> tuple[str, Where]:
    """_char() over every character, with the map carried along; ASCII text has nothing to replace."""
    if text.isascii():  # invisibles, full-width forms and other digits all lie outside ASCII
        return text, first
    chars: list[str] = []
    where: Where = []
    for i, c in enumerate(text):
        for out in _char(c):
            chars.append(out)
            where.append(first[i])
    return "".join(chars), where


def normalise(text: str) -> tuple[str, Where]:
    """The normalised text and, for each of its characters, the span of the original characters it stands for."""
    spelled, first = _spelled(text) if SPELLED_RUN.search(text) else (text, [(i, i + 1) for i in range(len(text))])
    flat, where = _plain(spelled, first)
    joined = NUMBER_GROUP.sub(lambda m: "".join(HOMOGLYPH.get(c, c) for c in m.group()), flat)
    keep = [True] * len(joined)
    for m in DICTATION_JOIN.finditer(joined):
        for j in range(m.start(), m.end() - 1):  # the last character, a space, stays between the groups
            keep[j] = False
    for m in SPACED.finditer(joined):
        run = m.group()
        if "@" in run or sum(ch.isdigit() for ch in run) >= 5:
            for j in range(m.start() + 1, m.end(), 2):
                keep[j] = False
    norm = "".join(c for c, k in zip(joined, keep, strict=True) if k)
    return norm, [w for w, k in zip(where, keep, strict=True) if k]


def original_span(where: Where, start: int, end: int) -> tuple[int, int]:
    """Map a [start, end) span of the normalised text back onto the original text."""
    return where[start][0], where[max(start, end - 1)][1]
