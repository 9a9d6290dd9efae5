"""Links built from untrusted platform data: only https URLs on the platform's own hosts pass."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

PLATFORM_HOSTS = {
    "x": ("x.com", "twitter.com"),
    "reddit": ("reddit.com", "redd.it"),
    "bluesky": ("bsky.app",),
}
MAX_URL = 2_000  # Slack refuses button URLs over 3,000 characters; no real post link is this long


def normalised_host(url: str) -> str:
    """Return the lower-case ASCII (IDNA) host of a clean https URL, or '' when the URL is unsafe.

    Unsafe: not https, too long, whitespace, control or format characters, a backslash (browsers read
    it as "/", so "https://evil.example\\@x.com" opens evil.example), user:password@, or a bad port.
    """
    if not url or len(url) > MAX_URL or "\\" in url:
        return ""
    if any(c.isspace() or unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp") for c in url):
        return ""
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError for a port that is not a number in range
        host = (parts.hostname or "").rstrip(".")
        ascii_host = host.encode("idna").decode("ascii").lower() if host else ""
    except (ValueError, UnicodeError):
        return ""
    if parts.scheme != "https" or not ascii_host or parts.username is not None or parts.password is not None:
        return ""
    if "@" in parts.netloc or (port is not None and port != 443):
        return ""
    return ascii_host


def safe_post_url(url: str, platform: str, extra_hosts: tuple[str, ...] = ()) -> str:
    """Return `url` if it is a clean https link to the platform (or a configured host), else ''."""
    host = normalised_host(url)
    if not host:
        return ""
    allowed = PLATFORM_HOSTS.get(platform, ()) + extra_hosts
    if platform in ("mastodon", "replay") and not allowed:
        return url  # Mastodon lives on many instances; the checks above still apply
    ok = any(host == h.lower() or host.endswith("." + h.lower()) for h in allowed)
    return url if ok else ""
