"""Registry of sources: the short name used in rules.yaml -> class."""

from __future__ import annotations

from monitor.sources.base import Batch, Posted, Reply, Source, SourceError
from monitor.sources.bluesky import BlueskySource
from monitor.sources.mastodon import MastodonSource
from monitor.sources.reddit import RedditSource
from monitor.sources.replay import ReplaySource
from monitor.sources.x import XSource

SOURCES: dict[str, type[Source]] = {
    "replay": ReplaySource,
    "x": XSource,
    "reddit": RedditSource,
    "mastodon": MastodonSource,
    "bluesky": BlueskySource,
}

__all__ = ["SOURCES", "Batch", "Posted", "Reply", "Source", "SourceError"]
