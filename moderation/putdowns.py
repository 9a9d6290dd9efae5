"""Condescending put-downs made of ordinary words, per language other than English.

The insult lists (moderation.insults) catch words; replies that talk down to the customer without one ("si
vous ne savez pas lire, ce n'est pas notre problème", "Leute wie Sie sind der Grund", "روح اشتكي في مكان
تاني") passed the non-English check: the multilingual toxicity heads read them as calm (round 10, dev11: 22 of
its 40 insult replies passed). The phrases in data/putdowns.txt were written for this project by a writer
who read none of its code or data, with kind replies alongside that they must not match. English has its own
patterns (moderation.checks.hostile). Matched as whole words, case-insensitively (anywhere in Thai, which has
no spaces).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from moderation.carecues import phrase_pattern
from moderation.insults import SCRIPT_LANGS

PHRASES_FILE = Path(__file__).resolve().parent / "data" / "putdowns.txt"


@cache
def phrases() -> dict[str, tuple[str, ...]]:
    """Language -> its put-down phrases."""
    out: dict[str, list[str]] = {}
    for line in PHRASES_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            lang, _kind, phrase = line.split("\t")
            out.setdefault(lang, []).append(phrase)
    return {lang: tuple(v) for lang, v in out.items()}


def put_down_spans(text: str, lang: str) -> list[tuple[int, int]]:
    """(start, end) of each put-down phrase of the language in the text."""
    pattern = phrase_pattern(phrases().get(lang, ()), lang in SCRIPT_LANGS, re.IGNORECASE)
    return [(m.start(), m.end()) for m in pattern.finditer(text)] if pattern else []
