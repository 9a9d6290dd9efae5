"""Count a text's length the way each platform does (X weights characters and shortens links)."""

from __future__ import annotations

import re
import unicodedata

# twitter-text v3 configuration: these code-point ranges weigh 1, everything else 2; a link is 23.
X_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
X_URL_LENGTH = 23
_URL = re.compile(r"https?://[^\s<>\"']+|(?<![@\w])(?:[a-z0-9-]+\.)+(?:com|org|net|io|co|example)(?:/[^\s]*)?",
                  re.IGNORECASE)
_MASTODON_MENTION = re.compile(r"(@\w+)@[\w.-]+\w")
_EMOJI_JOINERS = {"\u200d", "\ufe0f", "\ufe0e"}


def _x_weight(ch: str) -> int:
    """Weight of one code point on X: emoji and most non-Latin scripts count double."""
    if ch in _EMOJI_JOINERS:
        return 0
    code = ord(ch)
    return 1 if any(lo <= code <= hi for lo, hi in X_LIGHT_RANGES) else 2


def x_length(text: str) -> int:
    """Count like X: NFC-normalised, every link is 23, weighted code points."""
    text = unicodedata.normalize("NFC", text)
    total, pos = 0, 0
    for m in _URL.finditer(text):
        total += sum(_x_weight(c) for c in text[pos:m.start()]) + X_URL_LENGTH
        pos = m.end()
    return total + sum(_x_weight(c) for c in text[pos:])


def mastodon_length(text: str) -> int:
    """Count like Mastodon: every link is 23, a remote mention counts only its local part."""
    text = _MASTODON_MENTION.sub(r"\1", text)
    return len(_URL.sub("x" * X_URL_LENGTH, text))


def grapheme_length(text: str) -> int:
    """Approximate user-perceived characters (Bluesky counts graphemes)."""
    text = unicodedata.normalize("NFC", text)
    return sum(1 for c in text if not unicodedata.combining(c) and c not in _EMOJI_JOINERS)
