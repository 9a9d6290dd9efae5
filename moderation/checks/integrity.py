"""Integrity check: what must never reach the public whatever the tone — placeholders, wrong handles, links."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from moderation.checks.base import Check, CheckContext
from moderation.findings import Finding
from moderation.text_spans import HANDLE, URL

LABEL = r"[A-Z][A-Z0-9_]{2,}"


def placeholder_pattern(redaction: str) -> re.Pattern[str]:
    """Match leftovers of the configured redaction template ("[{label}]") and Presidio's "<LABEL>"."""
    custom = re.escape(redaction).replace(re.escape("{label}"), LABEL)
    return re.compile(rf"{custom}|\[{LABEL}\]|<{LABEL}>")


def _norm(handle: str) -> str:
    return handle.strip().lstrip("@").lower()


def known_handles(mention: dict[str, object]) -> set[str]:
    """Handles a reply may name: the author answered, people in their post, the brand's own accounts."""
    names = {_norm(str(mention.get("author") or ""))}
    names |= {_norm(m.group()) for m in HANDLE.finditer(str(mention.get("text") or ""))}
    brand = mention.get("brand_handles") or []
    names |= {_norm(str(h)) for h in (brand if isinstance(brand, list | tuple | set) else [brand])}
    # A Mastodon handle may be written with or without its instance (@ann or @ann@host.social).
    names |= {n.split("@", 1)[0] for n in names if "@" in n}
    return {n for n in names if n}


def allowed_hosts(ctx: CheckContext) -> list[str]:
    """The link allow-list: policy domains, the brand's help-centre hosts, and hosts the caller adds."""
    support = [urlsplit(u if "//" in u else "//" + u).hostname or "" for u in ctx.policy.support.urls]
    extra = (ctx.mention or {}).get("link_hosts") or []
    return [h.lower().rstrip(".") for h in [*ctx.policy.allowed_link_domains, *support, *extra] if h]


def _host_allowed(host: str, allowed: list[str]) -> bool:
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in allowed)


class IntegrityCheck(Check):
    """Block leftover redaction placeholders, @handles changed from the one answered, unlisted links."""

    name = "integrity"

    def analyze(self, text: str, ctx: CheckContext) -> list[Finding]:
        """Return blocking integrity findings (none of them has an automatic fix)."""
        return [*self._placeholders(text, ctx), *self._handles(text, ctx), *self._links(text, ctx)]

    @staticmethod
    def _placeholders(text: str, ctx: CheckContext) -> list[Finding]:
        return [Finding("integrity", m.start(), m.end(), m.group(), "placeholder", "block", 1.0,
                        "A redaction placeholder is still in the reply; write what the customer should "
                        "read instead.") for m in placeholder_pattern(ctx.policy.pii.redaction).finditer(text)]

    @staticmethod
    def _handles(text: str, ctx: CheckContext) -> list[Finding]:
        if not ctx.mention or not ctx.mention.get("author"):
            return []  # nothing answered (a stand-alone check): no handle to compare with
        known, author = known_handles(ctx.mention), str(ctx.mention["author"]).lstrip("@")
        return [Finding("integrity", m.start(), m.end(), m.group(), "handle_changed", "block", 1.0,
                        f"{m.group()} is not the person being answered (@{author}) nor named in their post; "
                        "an edit or a fix may have changed the handle.")
                for m in HANDLE.finditer(text) if _norm(m.group()) not in known]

    @staticmethod
    def _links(text: str, ctx: CheckContext) -> list[Finding]:
        allowed, found = allowed_hosts(ctx), []
        for m in URL.finditer(text):
            link = m.group().rstrip(".,;:!?)")
            host = urlsplit(link if "//" in link else "//" + link).hostname or ""
            if not _host_allowed(host, allowed):
                listed = ", ".join(allowed) or "no domain is allowed"
                found.append(Finding("integrity", m.start(), m.start() + len(link), link, "link_domain", "block",
                                     1.0, f"Link to {host}, outside the allow-list ({listed})."))
        return found
