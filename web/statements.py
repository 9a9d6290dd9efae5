"""Holding statements on the incident page: write and submit (agent), approve or reject (approver), cancel."""

from __future__ import annotations

from collections import Counter
from typing import Any

from flask import Blueprint, flash, redirect, request, url_for
from sqlalchemy import select

from monitor.holding import approve, cancel, posts_of, reject, submit, write
from monitor.models import HoldingStatement, Incident, utcnow
from monitor.replies import WorkflowError
from web.auth import me, role_required
from web.database import db, get_or_404, rules

bp = Blueprint("statements", __name__)


def statements_of(incident_id: int) -> dict[str, tuple[HoldingStatement, Counter[str]]]:
    """The incident's statements by language, each with its replies counted by status."""
    rows = db().scalars(select(HoldingStatement).where(HoldingStatement.incident_id == incident_id))
    return {s.language: (s, Counter(p.status for p in posts_of(db(), s))) for s in rows}


def _back(incident_id: int, message: str, category: str = "ok") -> Any:
    if category == "ok":
        db().commit()
    else:
        db().rollback()
    flash(message, category)
    return redirect(url_for("incidents.show", incident_id=incident_id) + "#statements")


@bp.post("/incidents/<int:incident_id>/statements")
@role_required("agent")
def save(incident_id: int) -> Any:
    """Write or edit the statement for one language, and submit it when asked."""
    incident = get_or_404(Incident, incident_id)
    language = request.form.get("language", "").strip()[:16]
    if not language:
        return _back(incident_id, "Choose the statement's language.", "error")
    try:
        statement = write(db(), incident, language, request.form.get("text", ""), me(),
                          private=bool(request.form.get("private")), policy=rules().moderation)
        if request.form.get("submit"):
            submit(db(), statement, me())
    except WorkflowError as exc:
        return _back(incident_id, str(exc), "error")
    done = "submitted for approval" if statement.state == "submitted" else f"saved ({statement.action})"
    return _back(incident_id, f"The {language} statement was {done}.")


@bp.post("/statements/<int:statement_id>/approve")
@role_required("approver")
def approve_one(statement_id: int) -> Any:
    """Approve a statement and queue one reply per mention in its language."""
    statement = get_or_404(HoldingStatement, statement_id)
    try:
        queued = approve(db(), statement, me(), utcnow(), rules().incidents.statement_pace_seconds)
    except WorkflowError as exc:
        return _back(statement.incident_id, str(exc), "error")
    return _back(statement.incident_id, f"Approved: {queued} replies queued.")


@bp.post("/statements/<int:statement_id>/reject")
@role_required("approver")
def reject_one(statement_id: int) -> Any:
    """Send a statement back with a comment."""
    statement = get_or_404(HoldingStatement, statement_id)
    try:
        reject(db(), statement, me(), request.form.get("comment", ""))
    except WorkflowError as exc:
        return _back(statement.incident_id, str(exc), "error")
    return _back(statement.incident_id, "Statement sent back.")


@bp.post("/statements/<int:statement_id>/cancel")
@role_required("agent")
def cancel_one(statement_id: int) -> Any:
    """Cancel a statement; replies not yet sent are not sent."""
    statement = get_or_404(HoldingStatement, statement_id)
    try:
        stopped = cancel(db(), statement, me())
    except WorkflowError as exc:
        return _back(statement.incident_id, str(exc), "error")
    return _back(statement.incident_id, f"Statement cancelled; {stopped} replies will not be sent.")
