"""Template filters and friendly error pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Flask, current_app, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from monitor.links import safe_post_url
from monitor.models import Mention
from monitor.privacy import detect, exposed, mask, spans_of

# Bidirectional embedding/override/isolate controls can disguise text ("gnp.exe" shown as "exe.png").
BIDI_CONTROLS = {c: f"[U+{c:04X}]" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}

MESSAGES = {
    403: "Your role does not allow this. Ask an admin if you need access.",
    404: "There is nothing here. It may have been closed or never existed.",
    405: "That action is not available this way.",
    413: "What you sent is too large.",
}


def timedelta_from(when: datetime, now: datetime) -> str:
    """Say how far `when` is from `now`: "in 25 min", "3 h ago"."""
    seconds = int((when - now).total_seconds())
    future, s = seconds > 0, abs(seconds)
    for size, unit in ((86400, "d"), (3600, "h"), (60, "min")):
        if s >= size:
            amount = f"{s // size} {unit}"
            break
    else:
        amount = f"{s} s"
    return f"in {amount}" if future else f"{amount} ago"


def show_bidi_controls(value: Any) -> Any:
    """Make invisible bidi controls in printed strings visible, so untrusted text cannot reorder itself."""
    return value.translate(BIDI_CONTROLS) if isinstance(value, str) else value


def _spans(m: Mention) -> list[dict[str, Any]]:
    """Return a mention's personal-data spans (stored at scoring; found now for unscanned ones)."""
    cache = g.setdefault("pii_spans", {})
    if m.id not in cache:
        cache[m.id] = spans_of(m.text, m.pii_spans, current_app.extensions["repguard.rules"].moderation)
    spans: list[dict[str, Any]] = cache[m.id]
    return spans


def masked(m: Mention) -> str:
    """Mention text with personal data masked, unless an approver revealed this mention in this request."""
    if g.get("reveal_mention") == m.id:
        return m.text
    return mask(m.text, _spans(m))


def pii_summary(m: Mention) -> str:
    """What personal data a mention exposes, without the values ("card ending 1111, SSN")."""
    return exposed(m.text, _spans(m))


def masked_text(text: str) -> str:
    """Free text written by the team (review comments) with any personal data it repeats masked."""
    if not any(c.isdigit() or c == "@" for c in text):
        return text  # nothing a card, phone or email could be made of: skip the scan
    return mask(text, detect(text, current_app.extensions["repguard.rules"].moderation))


def init_app(app: Flask) -> None:
    """Register filters, the bidi-safe finaliser and error pages."""
    app.jinja_env.finalize = show_bidi_controls
    app.add_template_filter(timedelta_from, "timedelta_from")
    app.add_template_filter(safe_post_url, "safe_post_url")
    app.add_template_filter(masked, "masked")
    app.add_template_filter(pii_summary, "pii_summary")
    app.add_template_filter(masked_text, "masked_text")

    @app.errorhandler(HTTPException)
    def _http_error(err: HTTPException) -> tuple[Any, int]:
        code = err.code or 500
        message = MESSAGES.get(code, err.description or "Something went wrong.")
        if request.path.startswith("/api/"):
            return jsonify(error=message), code
        return render_template("error.html", title=f"{code} {err.name}", message=message), code
