"""The one normalised shape every source turns platform objects into."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
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
