"""The one normalised shape every source turns platform objects into."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

MAX_FOLLOWERS = 2**31 - 1  # the column is a 32-bit integer on PostgreSQL
# Column widths of the mentions table: identities that do not fit are refused, display text is cut.
ID_WIDTHS = {"platform": 32, "external_id": 128, "in_reply_to": 128, "thread_id": 128, "author_id": 128}
TEXT_WIDTHS = {"author_handle": 255, "author_name": 255, "brand": 128}
MAX_URL = 2048
MAX_LANGUAGE = 16


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
    origin: str = ""  # where the record came from (file:line, or empty when the platform id says it)


def parse_time(value: object) -> datetime:
    """Parse an ISO 8601 time (a trailing Z allowed); naive times are taken as UTC."""
    if not isinstance(value, str):
        raise ValueError("created_at must be an ISO 8601 string")
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def time_or_now(value: object) -> datetime:
    """Parse a platform's ISO time, or use now when the platform gave none."""
    return parse_time(value) if value else datetime.now(UTC)


def _scrub(value: Any) -> Any:
    """Drop NUL characters anywhere in a JSON-like value (PostgreSQL text and JSON refuse them)."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {_scrub(str(k)): _scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(v) for v in value]
    return value


def normalise(m: Mention) -> Mention:
    """Make a mention fit the database, or raise ValueError naming the field that cannot fit.

    NUL characters are dropped, the follower count is clamped, display text is cut; an id, reply id
    or thread id that does not fit is refused, because a cut id would point at another post.
    """
    fields = {k: _scrub(getattr(m, k)) for k in (*ID_WIDTHS, *TEXT_WIDTHS, "text", "url", "language")}
    for key, width in ID_WIDTHS.items():
        if len(fields[key]) > width:
            raise ValueError(f"field {key!r} is {len(fields[key])} characters; at most {width} fit")
    if not fields["external_id"]:
        raise ValueError("field 'external_id' is empty")
    for key, width in TEXT_WIDTHS.items():
        fields[key] = fields[key][:width]
    if len(fields["url"]) > MAX_URL:
        fields["url"] = ""  # a cut URL is a broken link; the post id still identifies the mention
    if len(fields["language"]) > MAX_LANGUAGE:
        fields["language"] = ""
    if m.created_at.tzinfo is None:
        raise ValueError("field 'created_at' has no time zone")
    followers = min(max(int(m.author_followers), 0), MAX_FOLLOWERS)
    return replace(m, **fields, author_followers=followers, raw=_scrub(m.raw))
