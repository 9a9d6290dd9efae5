"""Registry of sources: the short name used in rules.yaml -> class."""

from __future__ import annotations

from monitor.sources.base import Batch, Posted, Reply, Source, SourceError
from monitor.sources.replay import ReplaySource

SOURCES: dict[str, type[Source]] = {
    "replay": ReplaySource,
}

__all__ = ["SOURCES", "Batch", "Posted", "Reply", "Source", "SourceError"]
