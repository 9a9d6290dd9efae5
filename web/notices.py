"""In-app notifications and the navigation's count badges (each one an indexed COUNT in SQL)."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Flask, Response, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from monitor.models import Case, Draft, Notification, User, utcnow
from monitor.notifications import notify_events
from web.auth import role_required
from web.database import db, rules, sessions

bp = Blueprint("notices", __name__)
log = logging.getLogger(__name__)
PAGE = 100
# After these requests the people concerned hear at once, not at the pipeline's next pass.
EVENT_ENDPOINTS = {"approvals.review", "cases.draft", "cases.assign", "inbox.bulk"}


def counts() -> dict[str, int]:
    """Badge counts for the signed-in user: open cases, mine, drafts waiting, unread notifications."""
    if "badges" not in g:
        open_ = Case.state.in_(("new", "assigned"))
        count = func.count()
        g.badges = {
            "open": db().scalar(select(count).select_from(Case).where(open_)) or 0,
            "mine": db().scalar(select(count).select_from(Case).where(open_, Case.assignee_id == current_user.id))
            or 0,
            "approvals": db().scalar(select(count).select_from(Draft).where(Draft.state == "submitted")) or 0
            if current_user.can("approver") else 0,
            "unread": db().scalar(select(count).select_from(Notification).where(
                Notification.user_id == current_user.id, Notification.read_at.is_(None))) or 0,
            "away": int(bool(db().scalar(select(User.away).where(User.id == current_user.id)))),
        }
    badges: dict[str, int] = g.badges
    return badges


@bp.route("/notifications")
@role_required("agent")
def index() -> Any:
    """Your notifications, newest first; unread ones are marked."""
    rows = db().scalars(select(Notification).where(Notification.user_id == current_user.id)
                        .order_by(Notification.id.desc()).limit(PAGE))
    return render_template("notifications.html", rows=list(rows))


@bp.post("/notifications/read")
@role_required("agent")
def read() -> Any:
    """Mark all your notifications read."""
    db().execute(update(Notification).where(Notification.user_id == current_user.id,
                                            Notification.read_at.is_(None)).values(read_at=utcnow()))
    db().commit()
    flash("All notifications marked read.", "ok")
    return redirect(url_for("notices.index"))


def _announce(resp: Response) -> Response:
    """After a review or a draft, record the notices it caused in a session of its own."""
    if request.method == "POST" and request.endpoint in EVENT_ENDPOINTS and resp.status_code < 400:
        with sessions()() as session:
            try:
                notify_events(session, rules(), utcnow())
                session.commit()
            except IntegrityError:
                session.rollback()  # the pipeline recorded the same events a moment earlier
    return resp


def init_app(app: Flask) -> None:
    """Register the badge counts for templates and the after-request announcer."""
    app.after_request(_announce)

    @app.context_processor
    def _badges() -> dict[str, Any]:
        return {"badges": counts if current_user.is_authenticated else None}
