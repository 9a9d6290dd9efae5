"""Card numbers shown with a few digits masked, as a Presidio recognizer.

Masking is only safe when few digits stay visible: card-industry rules allow at most the first six and the
last four. A number with more than ten digits still showing ("5425 2334 3027 99**") is the card itself,
while "ending 4242" or "•••• 1881" names a card without publishing it.
"""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from moderation.pii_lookalike import MASK, unmasked

MASK_CLASS = r"[*•●xX#]"
# Most digits a masked card may show (first six and last four).
SAFE_VISIBLE = 10


class MaskedCardRecognizer(PatternRecognizer):
    """A card number of 13-19 places, some masked, that still shows more than ten digits."""

    def __init__(self) -> None:
        """Groups of digits and mask characters, starting with a card scheme's first digit."""
        regex = rf"(?<![\w*•●#])[2-6]\d{{3}}(?:[ -]?(?:\d|{MASK_CLASS})){{9,15}}(?![\w*•●#]|[ -]\d)"
        super().__init__("CREDIT_CARD", name="MaskedCardRecognizer", patterns=[Pattern("masked card", regex, 0.6)],
                         context=["card", "visa", "mastercard", "amex", "credit", "debit"])

    def validate_result(self, pattern_text: str) -> bool:
        """Masked, 13-19 places, and more digits showing than a safe mask leaves."""
        places = unmasked(pattern_text)
        shown = sum(c.isdigit() for c in pattern_text)
        return any(c in MASK for c in pattern_text) and 13 <= len(places) <= 19 and shown > SAFE_VISIBLE
