"""Links built from untrusted platform data: only https URLs on the hosts the platform's source trusts pass."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from monitor.rules import Rules
from monitor.sources import SOURCES

MAX_URL = 2_000  # Slack refuses button URLs over 3,000 characters; no real post link is this long


def source_hosts(rules: Rules, platform: str) -> tuple[str, ...]:
    """The hosts a platform's source trusts for links, given its configuration (e.g. a Mastodon instance)."""
    cls = SOURCES.get(platform)
    return cls.link_hosts(rules.sources.get(platform)) if cls else ()


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
    if not host or platform not in SOURCES:
        return ""
    allowed = SOURCES[platform].trusted_hosts + extra_hosts
    if not allowed:
        return url  # a source with no fixed hosts (Mastodon's many instances, replay): the checks above apply
    ok = any(host == h.lower() or host.endswith("." + h.lower()) for h in allowed)
    return url if ok else ""
