"""Japanese addresses, romanised or in Japanese script, as a Presidio recognizer.

A Japanese address has no street name: a ward or city ("Shibuya-ku", "Yokohama-shi", "渋谷区"), a district,
then the block as chōme-ban-gō numbers ("2-14-7"), often led by the postal mark and code ("〒150-0022") and
followed by a room. The block numbers alone read as a score or a range, and a ward alone is a place anyone
may name; together, within one stretch of the sentence, they are someone's address.
"""

from __future__ import annotations

import re
from typing import Any

from presidio_analyzer import EntityRecognizer, RecognizerResult

# A ward, city, town or village, romanised ("Shibuya-ku", "Naka-gun") or in kanji ("渋谷区", "横浜市").
WARD = re.compile(r"\b[A-Z][a-zō]+-(?:ku|shi|cho|chō|machi|gun|mura)\b|[\u4e00-\u9fff]{1,5}[区市町村郡]")
# The block: chōme, ban and gō numbers ("2-14-7", "3-5"), or "2-chome 14-7"; a room or flat may follow.
BLOCK = re.compile(r"(?<![A-Za-z0-9.,/-])\d{1,2}(?:-(?:chome|chōme)\s+\d{1,4})?(?:[-−ー]\d{1,4}){1,2}"
                   r"(?![A-Za-z0-9/-]|[.,]\d)"
                   r"(?:,?\s*(?:Room|Rm\.?|Apt\.?|Flat|Unit|#|号室?)?\s*\d{1,5}(?:号室?)?(?![\w-]))?")
# The postal mark and code, and the prefecture or city named after it, right before the ward.
POSTAL = re.compile(r"(?:〒\s?)?\d{3}[-−]\d{4}[\s,]+(?:[^\W\d_][\w'’-]*[\s,]+){0,3}$")
REACH = 45  # characters between the ward and the block


def japanese_address_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each ward and block given together, with the postal code before them if there is one."""
    spans = []
    for ward in WARD.finditer(text):
        blocks = [b for b in BLOCK.finditer(text, max(0, ward.start() - REACH), min(len(text), ward.end() + REACH))
                  if not re.search(r"[.!?]\s|\n", _between(text, ward, b))]
        if not blocks:
            continue
        start = min(ward.start(), blocks[0].start())
        end = max(ward.end(), blocks[0].end())
        head = POSTAL.search(text[max(0, start - 60):start])
        numbers = re.findall(r"\d+", blocks[0].group())
        if "0" in numbers or not (head or len(numbers) >= 3):  # "10-20" alone may be hours, "2-1-0" a score
            continue
        spans.append((start - len(head.group()) if head else start, end))
    return spans


def _between(text: str, ward: re.Match[str], block: re.Match[str]) -> str:
    """The text between the ward and the block, whichever comes first."""
    return text[ward.end():block.start()] if ward.end() <= block.start() else text[block.end():ward.start()]


class JapaneseAddressRecognizer(EntityRecognizer):
    """A ward or city and its block numbers, in Latin letters or Japanese script."""

    def __init__(self) -> None:
        """One entity, STREET_ADDRESS."""
        super().__init__(supported_entities=["STREET_ADDRESS"], name="JapaneseAddressRecognizer")

    def load(self) -> None:
        """Nothing to load."""

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        """Each ward given with its block numbers."""
        return [RecognizerResult("STREET_ADDRESS", s, e, 0.75) for s, e in japanese_address_spans(text)]
