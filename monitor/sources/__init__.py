"""Registry of sources: the short name used in rules.yaml -> class."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from monitor.rules import SourceConfig
from monitor.sources.base import Batch, Posted, Reply, Source, SourceError, maybe_sent
from monitor.sources.options import BUNDLED
from monitor.sources.replay import ReplaySource


class Registry(dict[str, Any]):
    """A plain dict of name -> Source class; a value may be "module:Class", imported on first use.

    Platform client libraries take a second or more to import; validating rules.yaml must not pay
    for them. Register a class directly (`SOURCES["forum"] = ForumSource`) or by its path.
    """

    def __getitem__(self, name: str) -> type[Source]:
        """Return the class registered under `name`, importing it on first use."""
        value = super().__getitem__(name)
        if isinstance(value, str):
            module, _, attr = value.partition(":")
            value = getattr(import_module(module), attr)
            self[name] = value
        return value  # type: ignore[no-any-return]

    def get(self, name: str, default: Any = None) -> Any:
        """Return the class registered under `name`, or `default`."""
        return self[name] if name in self else default

    def values(self) -> Any:
        """Return every registered class (importing any still given by path)."""
        return [self[k] for k in self]

    def options(self, name: str) -> type[SourceConfig]:
        """Return the options model of the source registered under `name` (without importing a bundled one)."""
        value = super().__getitem__(name)
        if isinstance(value, str) and value == LAZY.get(name):
            return BUNDLED[name]
        return self[name].options

    def items(self) -> Any:
        """Return (name, class) pairs (importing any still given by path)."""
        return [(k, self[k]) for k in self]


LAZY = {
    "x": "monitor.sources.x:XSource",
    "reddit": "monitor.sources.reddit:RedditSource",
    "mastodon": "monitor.sources.mastodon:MastodonSource",
    "bluesky": "monitor.sources.bluesky:BlueskySource",
}
SOURCES: Registry = Registry({"replay": ReplaySource, **LAZY})

__all__ = ["SOURCES", "Batch", "Posted", "Registry", "Reply", "Source", "SourceError", "maybe_sent"]
