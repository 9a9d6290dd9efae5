"""The one normalised shape every source turns platform objects into."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


@dataclass(frozen=True)
class Mention:
    """A public post that mentions a brand, as collected from any platform."""

    platform: str
    external_id: str
    text: str
    author_handle: str
    created_at: datetime
    author_id: str = ""
    author_name: str = ""
    author_followers: int = 0
    url: str = ""
    language: str = ""
    in_reply_to: str = ""
    thread_id: str = ""
    brand: str = ""
    raw: dict[str, Any] = field(default_factory=dict)


def parse_time(value: object) -> datetime:
    """Parse an ISO 8601 time (a trailing Z allowed); naive times are taken as UTC."""
    if not isinstance(value, str):
        raise ValueError("created_at must be an ISO 8601 string")
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def time_or_now(value: object) -> datetime:
    """Parse a platform's ISO time, or use now when the platform gave none."""
    return parse_time(value) if value else datetime.now(UTC)
