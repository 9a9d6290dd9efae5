"""Phone digits written as words ("oh seven seven double nine"), without loading Presidio."""

from __future__ import annotations

import re

DIGIT_WORDS = {"zero": "0", "oh": "0", "o": "0", "one": "1", "two": "2", "three": "3", "four": "4",
               "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9"}


def spelled_digits(text: str) -> str:
    """The digits a spelled-out number stands for ("double nine" -> "99")."""
    out: list[str] = []
    repeat = 1
    for tok in re.findall(r"[a-z]+|\d", text.lower()):
        if tok in ("double", "triple"):
            repeat = 2 if tok == "double" else 3
            continue
        digit = DIGIT_WORDS.get(tok, tok if tok.isdigit() else "")
        out.append(digit * repeat)
        repeat = 1
    return "".join(out)
