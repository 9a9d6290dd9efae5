"""Inbox, case page, drafts and approvals."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import case as sql_case
from sqlalchemy import select

from moderation import check
from monitor.models import Case, Draft, Mention, Post, Score, utcnow
from monitor.replies import WorkflowError, approve, audit, reject, retry_post, save_draft, submit
from monitor.templates import suggestions
from web.auth import me, role_required
from web.database import db, rules

bp = Blueprint("inbox", __name__)
OPEN_STATES = ("new", "assigned")
MAX_DRAFT = 10_000


def _get_case(case_id: int) -> Case:
    found = db().get(Case, case_id)
    if found is None:
        abort(404)
    return found


def _get_draft(draft_id: int) -> Draft:
    found = db().get(Draft, draft_id)
    if found is None:
        abort(404)
    return found


@bp.route("/")
@role_required("agent")
def index() -> Any:
    """List cases, overdue first, then by SLA due time."""
    state = request.args.get("state", "open")
    now = utcnow()
    overdue = sql_case((Case.sla_due_at < now, 0), else_=1)
    stmt = (select(Case, Mention, Score).join(Mention, Case.mention_id == Mention.id)
            .outerjoin(Score, Score.mention_id == Mention.id))
    if state == "open":
        stmt = stmt.where(Case.state.in_(OPEN_STATES))
    elif state in ("new", "assigned", "replied", "closed"):
        stmt = stmt.where(Case.state == state)
    rows = db().execute(stmt.order_by(overdue, Case.sla_due_at, Case.id).limit(500)).all()
    return render_template("inbox.html", rows=rows, now=now, state=state)


@bp.route("/cases/<int:case_id>")
@role_required("agent")
def case_page(case_id: int) -> Any:
    """Show a case: the mention, scores, suggested replies and drafts."""
    item = _get_case(case_id)
    drafts = db().scalars(select(Draft).where(Draft.case_id == item.id).order_by(Draft.id.desc())).all()
    posts = db().scalars(select(Post).where(Post.case_id == item.id).order_by(Post.id)).all()
    score = db().scalars(select(Score).where(Score.mention_id == item.mention_id)).first()
    return render_template("case.html", case=item, mention=item.mention, score=score, drafts=drafts,
                           posts=posts, suggestions=suggestions(rules(), item), now=utcnow())


@bp.post("/cases/<int:case_id>/assign")
@role_required("agent")
def assign(case_id: int) -> Any:
    """Assign a case to the signed-in user."""
    item = _get_case(case_id)
    item.assignee_id = current_user.id
    if item.state == "new":
        item.state = "assigned"
    audit(db(), me(), "assign", item, assignee=current_user.username)
    db().commit()
    return redirect(url_for("inbox.case_page", case_id=case_id))


@bp.post("/cases/<int:case_id>/close")
@role_required("agent")
def close(case_id: int) -> Any:
    """Close a case."""
    item = _get_case(case_id)
    item.state, item.closed_at = "closed", utcnow()
    audit(db(), me(), "close", item)
    db().commit()
    return redirect(url_for("inbox.index"))


@bp.post("/cases/<int:case_id>/drafts")
@role_required("agent")
def draft(case_id: int) -> Any:
    """Save a draft (checked by the moderation engine) and optionally submit it."""
    item = _get_case(case_id)
    text = request.form.get("text", "")
    if len(text) > MAX_DRAFT:
        flash(f"The reply is too long ({len(text):,} characters; at most {MAX_DRAFT:,}).", "error")
        return redirect(url_for("inbox.case_page", case_id=case_id))
    existing = request.form.get("draft_id", "")
    current = _get_draft(int(existing)) if existing.isdigit() else None
    try:
        saved = save_draft(db(), item, me(), text, private=bool(request.form.get("private")),
                           policy=rules().moderation, draft=current)
        if request.form.get("submit"):
            submit(db(), saved, me())
    except WorkflowError as exc:
        db().rollback()
        flash(str(exc), "error")
        return redirect(url_for("inbox.case_page", case_id=case_id))
    db().commit()
    flash("Submitted for approval." if saved.state == "submitted" else "Draft saved.", "ok")
    return redirect(url_for("inbox.case_page", case_id=case_id))


@bp.post("/api/check")
@role_required("agent")
def api_check() -> Any:
    """Check a draft text live and return the verdict as JSON."""
    payload = request.get_json(silent=True) or {}
    text = payload.get("text")
    if not isinstance(text, str) or len(text) > MAX_DRAFT:
        return jsonify(error=f'send JSON {{"text": "..."}} of at most {MAX_DRAFT} characters'), 400
    platform = str(payload.get("platform") or "x")
    return jsonify(check(text, platform=platform, policy=rules().moderation).to_dict())


@bp.route("/approvals")
@role_required("approver")
def approvals() -> Any:
    """List drafts waiting for approval."""
    pending = db().scalars(select(Draft).where(Draft.state == "submitted").order_by(Draft.id)).all()
    return render_template("approvals.html", drafts=pending)


@bp.post("/drafts/<int:draft_id>/review")
@role_required("approver")
def review(draft_id: int) -> Any:
    """Approve (queues the post) or reject a submitted draft."""
    item = _get_draft(draft_id)
    decision = request.form.get("decision")
    try:
        if decision == "approve":
            approve(db(), item, me(), override_reason=request.form.get("override_reason", ""))
            message = "Approved; the reply is queued for posting."
        elif decision == "reject":
            reject(db(), item, me(), request.form.get("comment", ""))
            message = "Rejected; the draft went back to its author."
        else:
            raise WorkflowError("Choose approve or reject.")
    except WorkflowError as exc:
        db().rollback()
        flash(str(exc), "error")
        return redirect(url_for("inbox.approvals"))
    db().commit()
    flash(message, "ok")
    return redirect(url_for("inbox.approvals"))


@bp.post("/posts/<int:post_id>/retry")
@role_required("approver")
def retry(post_id: int) -> Any:
    """Queue a failed post again."""
    post = db().get(Post, post_id)
    if post is None:
        abort(404)
    try:
        retry_post(db(), post, me())
    except WorkflowError as exc:
        db().rollback()
        flash(str(exc), "error")
    else:
        db().commit()
        flash("The reply is queued again.", "ok")
    return redirect(url_for("inbox.case_page", case_id=post.case_id))
