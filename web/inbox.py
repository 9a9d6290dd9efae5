"""The inbox: cases with filters and search, overdue first; assign and close, one by one or in bulk."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import Select, or_, select
from sqlalchemy import case as sql_case

from monitor.models import Case, Mention, Score, User, utcnow
from monitor.replies import audit
from web.auth import me, role_required
from web.database import db
from web.security import id_arg

bp = Blueprint("inbox", __name__)
OPEN_STATES = ("new", "assigned")
STATES = ("open", "new", "assigned", "replied", "closed", "all")
PRIORITIES = ("urgent", "high", "normal", "low")
SENTIMENTS = ("negative", "neutral", "positive")
MAX_ROWS = 500
MAX_BULK = 200
S = TypeVar("S", bound=Select)  # type: ignore[type-arg]


def _filtered(stmt: S, args: dict[str, str]) -> S:
    """Apply the inbox filters from the query string."""
    state = args.get("state", "open")
    if state == "open":
        stmt = stmt.where(Case.state.in_(OPEN_STATES))
    elif state in STATES[1:-1]:
        stmt = stmt.where(Case.state == state)
    if args.get("priority") in PRIORITIES:
        stmt = stmt.where(Case.priority == args["priority"])
    if args.get("sentiment") in SENTIMENTS:
        stmt = stmt.where(Score.sentiment == args["sentiment"])
    if args.get("source"):
        stmt = stmt.where(or_(Mention.platform == args["source"], Mention.source == args["source"]))
    assignee = args.get("assignee", "")
    if assignee == "me":
        stmt = stmt.where(Case.assignee_id == current_user.id)
    elif assignee == "nobody":
        stmt = stmt.where(Case.assignee_id.is_(None))
    q = args.get("q", "").strip()[:200]
    if q:
        like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        fields = (Mention.text, Mention.author_handle, Mention.author_name)
        stmt = stmt.where(or_(*(f.ilike(like, escape="\\") for f in fields)))
    return stmt


def team() -> list[User]:
    """Return active users a case can be assigned to."""
    return list(db().scalars(select(User).where(User.active.is_(True)).order_by(User.username)))


@bp.route("/")
@role_required("agent")
def index() -> Any:
    """List cases, overdue first, then by SLA due time."""
    now = utcnow()
    args = {k: v for k, v in request.args.items() if isinstance(v, str)}
    overdue = sql_case((Case.sla_due_at < now, 0), else_=1)
    stmt = (select(Case, Mention, Score).join(Mention, Case.mention_id == Mention.id)
            .outerjoin(Score, Score.mention_id == Mention.id))
    stmt = _filtered(stmt, args).order_by(overdue, Case.sla_due_at, Case.id).limit(MAX_ROWS)
    rows = db().execute(stmt).all()
    sources = sorted(set(db().scalars(select(Mention.platform).distinct())))
    return render_template("inbox.html", rows=rows, now=now, args=args, states=STATES,
                           priorities=PRIORITIES, sentiments=SENTIMENTS, sources=sources, team=team())


def assign_case(item: Case, assignee: User) -> None:
    """Give a case to a user and record it."""
    item.assignee_id = assignee.id
    if item.state == "new":
        item.state = "assigned"
    audit(db(), me(), "assign", item, assignee=assignee.username)


def close_case(item: Case) -> None:
    """Close a case and record it."""
    item.state, item.closed_at = "closed", utcnow()
    audit(db(), me(), "close", item)


def assignee_from_form() -> User | None:
    """Return the user chosen in the form ("me" or a user id), or None if unknown."""
    choice = request.form.get("assign_to") or request.form.get("assignee", "me")
    if choice == "me":
        return me()
    row = db().get(User, ident) if (ident := id_arg(choice)) is not None else None
    return row if row is not None and row.active else None


@bp.post("/cases/bulk")
@role_required("agent")
def bulk() -> Any:
    """Assign or close several cases at once."""
    ids = [i for v in request.form.getlist("case_id") if (i := id_arg(v)) is not None][:MAX_BULK]
    action = request.form.get("action")
    cases = list(db().scalars(select(Case).where(Case.id.in_(ids)))) if ids else []
    if not cases:
        flash("Tick at least one case first.", "error")
        return redirect(url_for("inbox.index"))
    if action == "close":
        for item in cases:
            close_case(item)
        message = f"Closed {len(cases)} case(s)."
    elif action == "assign" and (assignee := assignee_from_form()) is not None:
        for item in cases:
            assign_case(item, assignee)
        message = f"Assigned {len(cases)} case(s) to {assignee.username}."
    else:
        flash("Choose an action: assign to a team member, or close.", "error")
        return redirect(url_for("inbox.index"))
    db().commit()
    flash(message, "ok")
    return redirect(url_for("inbox.index"))
