"""Audit log: who did what, when (sign-ins, assignments, drafts, approvals, overrides, posts, rules)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from sqlalchemy import select

from monitor.models import AuditEvent, User
from web.auth import role_required
from web.database import db
from web.filters import masked_text
from web.security import int_arg

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
    number = int_arg(request.args.get("page"), 1, lo=1, hi=100_000)
    rows = db().execute(stmt.order_by(AuditEvent.id.desc()).offset((number - 1) * PAGE).limit(PAGE + 1)).all()
    actions = sorted(set(db().scalars(select(AuditEvent.action).distinct())))
    shown = [(e, u, masked_detail(e.detail)) for e, u in rows[:PAGE]]
    return render_template("audit.html", rows=shown, more=len(rows) > PAGE, page=number,
                           action=action, username=username, actions=actions)


def masked_detail(detail: dict[str, Any]) -> dict[str, Any]:
    """Mask personal data typed into free-text details (reasons, comments) before showing them."""
    out: dict[str, Any] = {}
    for key, value in detail.items():
        out[key] = masked_text(value) if isinstance(value, str) else value
    return out
