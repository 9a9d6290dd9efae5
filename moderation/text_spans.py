"""Locate the parts of a social-media reply that are not prose: links, handles, tags, signatures."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

# A scheme or www. prefix, or a bare host with a common TLD ("example.com/help").
URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+"
    r"|(?<![@\w.-])(?:[a-z0-9-]+\.)+"
    r"(?:com|net|org|io|co|uk|de|fr|es|it|nl|ly|gl|me|us|ca|au|in|app|help|support)"
    r"(?:/[^\s<>\"']*)?(?![\w@])",
    re.IGNORECASE,
)
EMAIL = re.compile(r"[\w.+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+", re.IGNORECASE)
# Dotted and two-part handles too (@nora.bsky.social, @ann@mastodon.social): never "typos".
HANDLE = re.compile(r"(?<![\w@])@\w{1,30}(?:[.@][A-Za-z0-9-]+)*")
HASHTAG = re.compile(r"(?<![\w#])#\w+")
# Agent sign-offs as brands use them: "^JS", "*HCK", "-Sabi", "~Tom", "/AB" at the end of a line.
SIGNATURE = re.compile(
    r"(?:(?<=\s)|^)[\^*][A-Za-z]{1,12}\b"
    r"|(?:(?<=\s)|^)[-~/–—=]\s?[A-Z][A-Za-z]{0,15}(?:\s[A-Z][A-Za-z]{0,15})?\s*$",
    re.MULTILINE,
)
Span = tuple[int, int]


def protected_spans(text: str, *, signatures: bool = True) -> list[Span]:
    """Return sorted (start, end) spans of URLs, emails, @handles, #hashtags and signatures."""
    return list(_protected(text, signatures))


@lru_cache(maxsize=32)
def _protected(text: str, signatures: bool) -> tuple[Span, ...]:
    """The spans, kept for the last texts: toxicity, spelling, tone and the fixes all ask for one draft's."""
    patterns: list[re.Pattern[str]] = [URL, EMAIL, HANDLE, HASHTAG]
    if signatures:
        patterns.append(SIGNATURE)
    return tuple(sorted((m.start(), m.end()) for p in patterns for m in p.finditer(text)))


def overlaps(spans: Iterable[Span], start: int, end: int) -> bool:
    """True when [start, end) overlaps any of the spans."""
    return any(s < end and start < e for s, e in spans)


def url_spans(text: str) -> list[Span]:
    """Return spans of links and @handles only (where personal data is never reported)."""
    return sorted((m.start(), m.end()) for p in (URL, HANDLE) for m in p.finditer(text))
