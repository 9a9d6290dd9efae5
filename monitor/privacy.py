"""Personal data in mentions: found once with the moderation PII check, masked wherever repguard shows it."""

from __future__ import annotations

import logging
import re
import unicodedata
from typing import Any

from sqlalchemy import select

from moderation import check
from moderation.policy import Policy
from monitor.context import Context, claimable
from monitor.models import Mention

# What a masked value is replaced with, and how an alert names it ("card ending 1111", "SSN").
NAMES = {
    "CREDIT_CARD": "card", "US_SSN": "SSN", "IBAN_CODE": "IBAN", "EMAIL_ADDRESS": "email",
    "PHONE_NUMBER": "phone", "STREET_ADDRESS": "address", "IP_ADDRESS": "IP address",
    "PERSON": "name", "CRYPTO": "wallet",
}
# Shown with the last four digits: enough for the customer and the team to tell cards apart.
LAST_FOUR = {"CREDIT_CARD", "IBAN_CODE"}
# Bidi embeddings, overrides and isolates, zero-width and other format characters reorder or hide text.
# Presidio logs the text around each match at DEBUG: with `-v` or a DEBUG root logger that would put
# customers' card numbers and emails into log files. Its own warnings still come through.
logging.getLogger("presidio-analyzer").setLevel(logging.WARNING)
_INVISIBLE = {"Cc", "Cf", "Cs", "Zl", "Zp"}
_KEEP = "\n\t\u200d"  # newlines, tabs and the zero-width joiner inside emoji sequences


def detect(text: str, policy: Policy) -> list[dict[str, Any]]:
    """Return the personal-data spans of a text as JSON-ready dicts (never the values themselves)."""
    only_pii = policy.model_copy(update={"checks": ["pii"]})
    return [{"start": f.start, "end": f.end, "label": f.label, "severity": f.severity}
            for f in check(text, policy=only_pii).findings if f.check == "pii"]


def scan_pending(ctx: Context) -> int:
    """Find the spans of one batch of mentions stored before spans were (e.g. right after an upgrade)."""
    with ctx.sessions() as session, session.begin():
        stmt = (select(Mention).where(Mention.pii_spans.is_(None), Mention.stage != "collected")
                .order_by(Mention.id))
        mentions = list(session.scalars(claimable(stmt, ctx.batch_size)))
        for m in mentions:
            m.pii_spans = detect(m.text, ctx.rules.moderation)
        return len(mentions)


def spans_of(text: str, stored: list[dict[str, Any]] | None, policy: Policy | None = None) -> list[dict[str, Any]]:
    """Return the stored spans of a mention, or detect them now when it has not been scanned yet."""
    if stored is not None:
        return [s for s in stored if 0 <= int(s["start"]) < int(s["end"]) <= len(text)]
    return detect(text, policy or Policy())


def _placeholder(label: str, value: str) -> str:
    name = NAMES.get(label, label.lower())
    digits = re.sub(r"\D", "", value)
    if label in LAST_FOUR and len(digits) >= 8:
        return f"{name} ending {digits[-4:]}"
    return name


def mask(text: str, spans: list[dict[str, Any]]) -> str:
    """Replace each personal-data span with a bracketed placeholder: "[card ending 1111]", "[SSN]"."""
    out, last = [], 0
    for s in sorted(spans, key=lambda s: int(s["start"])):
        start, end = int(s["start"]), int(s["end"])
        if start < last:
            continue  # overlapping span: the earlier one already hid this text
        out += [text[last:start], f"[{_placeholder(str(s['label']), text[start:end])}]"]
        last = end
    out.append(text[last:])
    return "".join(out)


def exposed(text: str, spans: list[dict[str, Any]]) -> str:
    """Say what a text exposes without the values: "card ending 1111, SSN, email"."""
    seen: list[str] = []
    for s in sorted(spans, key=lambda s: int(s["start"])):
        what = _placeholder(str(s["label"]), text[int(s["start"]):int(s["end"])])
        if what not in seen:
            seen.append(what)
    return ", ".join(seen)


def neutralise(text: str) -> str:
    """Make control, bidi and zero-width characters visible as [U+XXXX]; keep newlines and tabs."""
    return "".join(c if c in _KEEP or unicodedata.category(c) not in _INVISIBLE else f"[U+{ord(c):04X}]"
                   for c in text)


def has_visible_text(text: str) -> bool:
    """Whether a text has at least one character a person can see (not only spaces or format characters)."""
    return any(not c.isspace() and unicodedata.category(c) not in _INVISIBLE for c in text)


def cap(text: str, limit: int) -> str:
    """Cut a text to at most `limit` characters, ending with an ellipsis when cut."""
    return text if len(text) <= limit else text[: max(0, limit - 1)] + "…"
