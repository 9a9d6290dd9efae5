"""Links built from untrusted platform data: only https URLs on the hosts the platform's source trusts pass."""

from __future__ import annotations

from urllib.parse import urlsplit

from monitor.rules import Rules
from monitor.sources import SOURCES


def source_hosts(rules: Rules, platform: str) -> tuple[str, ...]:
    """The hosts a platform's source trusts for links, given its configuration (e.g. a Mastodon instance)."""
    cls = SOURCES.get(platform)
    return cls.link_hosts(rules.sources.get(platform)) if cls else ()


def safe_post_url(url: str, platform: str, extra_hosts: tuple[str, ...] = ()) -> str:
    """Return `url` if it is an https link to the platform (or a configured host), else ''."""
    if not url or any(c.isspace() or ord(c) < 32 for c in url):
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host or platform not in SOURCES:
        return ""
    allowed = SOURCES[platform].trusted_hosts + extra_hosts
    if not allowed:
        return url  # a source with no fixed hosts (Mastodon's many instances, replay): the scheme check applies
    ok = any(host == h or host.endswith("." + h) for h in allowed)
    return url if ok else ""
