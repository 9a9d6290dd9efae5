"""Options of the bundled sources: each extends the common `SourceConfig` with its platform's own keys.

They live apart from the source classes so that validating rules.yaml never imports a platform's
client library; each class names its model as `options`.
"""

from __future__ import annotations

from pydantic import Field

from monitor.rules import SourceConfig


class XOptions(SourceConfig):
    """Options of the X source."""

    daily_read_budget: int = Field(0, ge=0, description="Posts read per day before pausing (0 = unlimited).")


class RedditOptions(SourceConfig):
    """Options of the Reddit source."""

    subreddits: list[str] = Field(default_factory=list, description="Subreddits to stream.")


class MastodonOptions(SourceConfig):
    """Options of the Mastodon source."""

    hashtags: list[str] = Field(default_factory=list, description="Hashtags to follow.")
    instance_url: str = Field("", description="The instance's base URL.")


class BlueskyOptions(SourceConfig):
    """Options of the Bluesky source (the common ones only)."""


class ReplayOptions(SourceConfig):
    """Options of the replay source."""

    path: str = Field("", description="JSONL file of mentions, relative to rules.yaml.")


# The options of sources registered by path, known without importing their classes.
BUNDLED: dict[str, type[SourceConfig]] = {
    "x": XOptions, "reddit": RedditOptions, "mastodon": MastodonOptions, "bluesky": BlueskyOptions,
}
