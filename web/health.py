"""Health page: each source's state, and alerts and posts that need attention."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from sqlalchemy import select

from monitor.alerts import retry_alert
from monitor.collector import retry_dead_letter
from monitor.health import quarantined, read_budget, stalled
from monitor.models import AlertDelivery, DeadLetter, IncidentMessage, Post, SourceState, utcnow
from monitor.replies import audit
from monitor.sources import SOURCES
from monitor.webhooks import paused_webhooks
from web.auth import me, role_required
from web.database import db, get_or_404, rules

bp = Blueprint("health", __name__)


def source_rows() -> list[dict[str, Any]]:
    """Describe each configured source: enabled, credentials, last success, budget, last error."""
    import os

    states = {s.name: s for s in db().scalars(select(SourceState))}
    out = []
    for name, cfg in rules().sources.items():
        missing = [c for c in SOURCES[name].credentials if not os.environ.get(c)]
        out.append({"name": name, "enabled": cfg.enabled, "missing": missing, "state": states.get(name),
                    "budget": read_budget(cfg), "stalled": stalled(cfg, states.get(name), utcnow())})
    return out


@bp.route("/health")
@role_required("agent")
def index() -> Any:
    """Show source health and the alerts and posts that did not go out."""
    alerts = db().scalars(select(AlertDelivery).where(
        AlertDelivery.status.in_(("failed", "unconfirmed"))
        | ((AlertDelivery.status == "pending") & (AlertDelivery.attempts > 0)))
        .order_by(AlertDelivery.id.desc()).limit(200)).all()
    posts = db().scalars(select(Post).where(Post.status.in_(("failed", "unknown"))).order_by(Post.id.desc())).all()
    messages = db().scalars(select(IncidentMessage).where(IncidentMessage.status.in_(("failed", "unconfirmed")))
                            .order_by(IncidentMessage.id.desc()).limit(200)).all()
    return render_template("health.html", sources=source_rows(), alerts=alerts, posts=posts, now=utcnow(),
                           messages=messages,
                           dead=quarantined(db()), webhooks=paused_webhooks(db(), utcnow()))


@bp.post("/quarantine/<int:dead_id>/retry")
@role_required("approver")
def retry_quarantined(dead_id: int) -> Any:
    """Store a quarantined record again, after the cause was fixed."""
    row = get_or_404(DeadLetter, dead_id)
    try:
        stored = retry_dead_letter(db(), row, rules(), utcnow())
    except ValueError as exc:
        db().rollback()
        flash(str(exc).capitalize() + ".", "error")
        return redirect(url_for("health.index"))
    audit(db(), me(), "retry_quarantined", row, stored=stored)
    db().commit()
    flash("The record is stored." if stored else f"The database still refuses it: {row.error}",
          "ok" if stored else "error")
    return redirect(url_for("health.index"))


@bp.post("/alerts/<int:alert_id>/retry")
@role_required("approver")
def retry(alert_id: int) -> Any:
    """Queue a failed Slack alert again."""
    row = get_or_404(AlertDelivery, alert_id)
    try:
        retry_alert(row, utcnow())
    except ValueError as exc:
        db().rollback()
        flash(str(exc).capitalize() + ".", "error")
        return redirect(url_for("health.index"))
    audit(db(), me(), "retry_alert", row, channel=row.channel)
    db().commit()
    flash("The alert is queued again.", "ok")
    return redirect(url_for("health.index"))
