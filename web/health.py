"""Health page: each source's state, and alerts and posts that need attention."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from sqlalchemy import select

from monitor.alerts import retry_alert
from monitor.models import AlertDelivery, Post, SourceState, utcnow
from monitor.replies import audit
from monitor.sources import SOURCES
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
                    "budget": cfg.daily_read_budget})
    return out


@bp.route("/health")
@role_required("agent")
def index() -> Any:
    """Show source health and the alerts and posts that did not go out."""
    alerts = db().scalars(select(AlertDelivery).where(
        (AlertDelivery.status == "failed") | ((AlertDelivery.status == "pending") & (AlertDelivery.attempts > 0)))
        .order_by(AlertDelivery.id.desc()).limit(200)).all()
    posts = db().scalars(select(Post).where(Post.status.in_(("failed", "unknown"))).order_by(Post.id.desc())).all()
    return render_template("health.html", sources=source_rows(), alerts=alerts, posts=posts, now=utcnow())


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
