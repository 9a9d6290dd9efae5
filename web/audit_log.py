"""Audit log: who did what, when (sign-ins, assignments, drafts, approvals, overrides, posts, rules)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from sqlalchemy import select

from monitor.models import AuditEvent, User
from web.auth import role_required
from web.database import db

bp = Blueprint("audit", __name__)
PAGE = 200


@bp.route("/audit")
@role_required("approver")
def index() -> Any:
    """List audit events, newest first, filtered by action and user."""
    action = request.args.get("action", "").strip()[:32]
    username = request.args.get("user", "").strip()[:80]
    stmt = select(AuditEvent, User).outerjoin(User, User.id == AuditEvent.user_id)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if username:
        stmt = stmt.where(User.username == username)
    page = request.args.get("page", "1")
    number = int(page) if page.isdigit() and int(page) > 0 else 1
    rows = db().execute(stmt.order_by(AuditEvent.id.desc()).offset((number - 1) * PAGE).limit(PAGE + 1)).all()
    actions = sorted(set(db().scalars(select(AuditEvent.action).distinct())))
    return render_template("audit.html", rows=rows[:PAGE], more=len(rows) > PAGE, page=number,
                           action=action, username=username, actions=actions)
