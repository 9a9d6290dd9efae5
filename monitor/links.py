"""Links built from untrusted platform data: only https URLs on the platform's own hosts pass."""

from __future__ import annotations

from urllib.parse import urlsplit

PLATFORM_HOSTS = {
    "x": ("x.com", "twitter.com"),
    "reddit": ("reddit.com", "redd.it"),
    "bluesky": ("bsky.app",),
}


def safe_post_url(url: str, platform: str, extra_hosts: tuple[str, ...] = ()) -> str:
    """Return `url` if it is an https link to the platform (or a configured host), else ''."""
    if not url or any(c.isspace() or ord(c) < 32 for c in url):
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host:
        return ""
    allowed = PLATFORM_HOSTS.get(platform, ()) + extra_hosts
    if platform in ("mastodon", "replay") and not allowed:
        return url  # Mastodon lives on many instances; the scheme check above still applies
    ok = any(host == h or host.endswith("." + h) for h in allowed)
    return url if ok else ""
