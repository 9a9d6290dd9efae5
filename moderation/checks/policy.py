"""Brand policy check: banned phrases and links outside the allowed domains."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from moderation.checks.base import Check, CheckContext
from moderation.findings import Finding

_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)


def _domain_allowed(host: str, allowed: list[str]) -> bool:
    """True when the host is an allowed domain or a subdomain of one."""
    host = host.lower().rstrip(".")
    return any(host == d.lower() or host.endswith("." + d.lower()) for d in allowed)


class PolicyCheck(Check):
    """Flag banned phrases (block) and links to domains the brand has not allowed (warn)."""

    name = "policy"

    def analyze(self, text: str, ctx: CheckContext) -> list[Finding]:
        """Return banned-phrase and link findings."""
        findings: list[Finding] = []
        lowered = text.lower()
        for phrase in ctx.policy.banned_phrases:
            for m in re.finditer(r"(?<!\w)" + re.escape(phrase.lower()) + r"(?!\w)", lowered):
                findings.append(Finding(
                    "policy", m.start(), m.end(), text[m.start():m.end()], "banned_phrase", "block", 1.0,
                    f"“{phrase}” is on the brand's banned-phrase list.", ("",),
                ))
        support_hosts = [urlsplit(u if "//" in u else "//" + u).hostname or ""
                         for u in ctx.policy.support.urls]
        allowed = [*ctx.policy.allowed_link_domains, *support_hosts]
        if ctx.policy.allowed_link_domains:
            for m in _URL.finditer(text):
                host = urlsplit(m.group()).hostname or ""
                if not _domain_allowed(host, [d for d in allowed if d]):
                    findings.append(Finding(
                        "policy", m.start(), m.end(), m.group(), "link_domain", "warn", 1.0,
                        f"Link to {host}, which is not an allowed domain ({', '.join(allowed)}).",
                    ))
        return findings
