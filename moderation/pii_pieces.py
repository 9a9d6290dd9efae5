"""Bank and card numbers written in irregular pieces, as Presidio recognizers.

An IBAN printed in pairs ("NL28 ABNA 22 75 36 60 13") escapes every four-character grouping, and a card read
out of order ("it starts 4532 and ends 3241, with 7712 6003 in between") is never one run of digits. Both are
put back together here and kept only when their own checksum holds: the IBAN's mod-97 check with its
country's length and format (python-stdnum), the card's Luhn check and a card scheme's prefix and length.
"""

from __future__ import annotations

import re
from typing import Any

from presidio_analyzer import EntityRecognizer, RecognizerResult
from stdnum import iban

from moderation.pii_dictated import SENTENCE_END
from moderation.pii_lookalike import known_card

# A country code and two check digits starting a token, then tokens joined by one space, dot or dash.
IBAN_START = re.compile(r"(?<![\w-])[A-Z]{2}\d{2}[A-Z0-9]*(?![\w-])")
IBAN_PIECE = re.compile(r"[ .-]([A-Za-z0-9]{1,8})(?![\w-])")
IBAN_MAX = 34

CARD_WORD = re.compile(r"(?i)\b(?:card|visa|mastercard|amex|maestro|debit|credit)\b")
GROUP = r"\d{2,4}(?:[ -]\d{4}){0,2}"
# Where each piece sits in the number: "starts (with) 4532", "ends (in) 3241", "7712 6003 in between".
# "the first four are", "last 4 digits:", "the middle eight".
PART = r"(?:\s+(?:four|six|eight|4|6|8|digits|numbers|groups?|part|half|bit))*(?:\s+(?:are|is|being|reads?|were))?"
FIRST = re.compile(rf"(?i)\b(?:start(?:s|ing)?|begin(?:s|ning)?|first{PART})(?:\s+(?:with|in))?\s*:?\s+"
                   rf"(?P<v>{GROUP})\b")
LAST = re.compile(rf"(?i)\b(?:end(?:s|ing)?|last{PART})(?:\s+(?:with|in))?\s*:?\s+(?P<v>{GROUP})\b")
MIDDLE = re.compile(rf"(?i)(?<![\d-])(?<!\d\s)(?P<v>{GROUP})\s+in\s+(?:between|the\s+middle)\b|"
                    rf"\bmiddle{PART}\s*:?\s*(?P<m>{GROUP})\b")


def _luhn(digits: str) -> bool:
    """True when the digits pass the Luhn checksum."""
    total = sum(d if i % 2 == 0 else (d * 2 - 9 if d > 4 else d * 2)
                for i, d in enumerate(int(c) for c in reversed(digits)))
    return total % 10 == 0


def iban_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each IBAN whose pieces, joined, pass its country's format and checksum."""
    spans = []
    for start in IBAN_START.finditer(text):
        compact, end = start.group(), start.end()
        while len(compact) < IBAN_MAX:
            if len(compact) >= 15 and iban.is_valid(compact):
                spans.append((start.start(), end))
                break
            piece = IBAN_PIECE.match(text, end)
            if piece is None:
                break
            compact, end = compact + piece.group(1).upper(), piece.end()
    return spans


def card_pieces_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each card told as its first, middle and last groups, in any order within a sentence."""
    spans = []
    for sentence in _sentences(text):
        begin, stop = sentence
        if not CARD_WORD.search(text, begin, stop):
            continue
        first, last = FIRST.search(text, begin, stop), LAST.search(text, begin, stop)
        middle = MIDDLE.search(text, begin, stop)
        if not (first and last and middle):
            continue
        group = "v" if middle.group("v") else "m"
        digits = re.sub(r"\D", "", first.group("v") + middle.group(group) + last.group("v"))
        if 13 <= len(digits) <= 19 and _luhn(digits) and known_card(digits):
            ends = [first.start("v"), first.end("v"), last.start("v"), last.end("v"),
                    middle.start(group), middle.end(group)]
            spans.append((min(ends), max(ends)))
    return spans


def _sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence."""
    bounds, pos = [], 0
    for end in SENTENCE_END.finditer(text):
        bounds.append((pos, end.start()))
        pos = end.end()
    return [*bounds, (pos, len(text))]


class PiecesRecognizer(EntityRecognizer):
    """IBANs in irregular groups and cards told piece by piece, each checked by its own checksum."""

    def __init__(self) -> None:
        """Two entities: IBAN_CODE and CREDIT_CARD."""
        super().__init__(supported_entities=["IBAN_CODE", "CREDIT_CARD"], name="PiecesRecognizer")

    def load(self) -> None:
        """Nothing to load."""

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        """Each reassembled value that passes its checksum."""
        found = []
        if "IBAN_CODE" in entities:
            found += [RecognizerResult("IBAN_CODE", s, e, 0.8) for s, e in iban_spans(text)]
        if "CREDIT_CARD" in entities:
            found += [RecognizerResult("CREDIT_CARD", s, e, 0.8) for s, e in card_pieces_spans(text)]
        return found
