"""A reply's length on its platform: the counting rule and the limit come from the platform's source class."""

from __future__ import annotations

from dataclasses import dataclass

from monitor.sources import SOURCES
from monitor.textlength import grapheme_length, mastodon_length, x_length

DEFAULT_LIMIT = 10_000
ALIASES = {"twitter": "x"}

__all__ = ["DEFAULT_LIMIT", "Length", "grapheme_length", "mastodon_length", "measure", "x_length"]


@dataclass(frozen=True)
class Length:
    """A reply's length on a platform and how much room is left."""

    platform: str
    count: int
    limit: int

    @property
    def remaining(self) -> int:
        """Characters left (negative when over the limit)."""
        return self.limit - self.count

    def to_dict(self) -> dict[str, int | str]:
        """Return a JSON-ready dict."""
        return {"platform": self.platform, "count": self.count, "limit": self.limit,
                "remaining": self.remaining}


def measure(text: str, platform: str) -> Length:
    """Return the length of `text` under `platform`'s counting rules (its source's, or plain characters)."""
    name = ALIASES.get(platform, platform)
    cls = SOURCES.get(name)
    if cls is None:
        return Length(name, len(text), DEFAULT_LIMIT)
    return Length(name, cls.count_length(text), cls.max_length)
