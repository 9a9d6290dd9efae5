"""The approval queue: four-eyes review of drafts, overrides with a reason, and post retries."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from monitor.models import AuditEvent, Draft, Post
from monitor.replies import WorkflowError, approve, audit, reject, retry_post, save_draft
from web.approval_queue import queue_order
from web.auth import me, role_required
from web.database import db, get_or_404, rules
from web.textcount import measure

bp = Blueprint("approvals", __name__)
MAX_DRAFT = 10_000


@bp.route("/approvals")
@role_required("approver")
def index() -> Any:
    """List drafts waiting for approval, with their findings and the mention they answer."""
    pending = list(db().scalars(queue_order(select(Draft).where(Draft.state == "submitted"))))
    lengths = {d.id: measure(d.text, d.case.mention.platform) for d in pending}
    editors = {d.id: last_editor(d) for d in pending}
    return render_template("approvals.html", drafts=pending, lengths=lengths, editors=editors)


def edit_draft(item: Draft, text: str) -> str:
    """Replace a submitted draft's text, check it again and keep it in the queue."""
    if len(text) > MAX_DRAFT:
        raise WorkflowError(f"The reply is too long ({len(text):,} characters; at most {MAX_DRAFT:,}).")
    if item.state != "submitted":
        raise WorkflowError(f"Only a submitted draft can be edited here; this one is {item.state}.")
    save_draft(db(), item.case, me(), text, private=item.private, policy=rules().moderation, draft=item)
    item.state = "submitted"
    audit(db(), me(), "edit", item, verdict=item.action)
    return f"Edited and checked again: {item.action}. Review the new findings before approving."


def last_editor(item: Draft) -> int | None:
    """Return the id of the approver who last edited the draft in review, if anyone did."""
    stmt = (select(AuditEvent.user_id).where(AuditEvent.action == "edit", AuditEvent.object_type == "draft",
                                             AuditEvent.object_id == str(item.id))
            .order_by(AuditEvent.id.desc()).limit(1))
    return db().scalars(stmt).first()


def decide(item: Draft, decision: str | None) -> str:
    """Apply one review decision and return the message for the approver."""
    if decision == "approve":
        if item.state == "submitted" and last_editor(item) == me().id:
            raise WorkflowError("You edited this draft, so another approver must approve it.")
        approve(db(), item, me(), override_reason=request.form.get("override_reason", ""))
        return "Approved; the reply is queued for posting."
    if decision == "reject":
        reject(db(), item, me(), request.form.get("comment", ""))
        return "Rejected; the draft went back to its author."
    if decision == "edit":
        return edit_draft(item, request.form.get("text", ""))
    raise WorkflowError("Choose approve, reject or edit.")


@bp.post("/drafts/<int:draft_id>/review")
@role_required("approver")
def review(draft_id: int) -> Any:
    """Approve (queues the post), reject with a comment, or edit a submitted draft."""
    item = get_or_404(Draft, draft_id)
    try:
        message = decide(item, request.form.get("decision"))
    except WorkflowError as exc:
        db().rollback()
        flash(str(exc), "error")
        return redirect(url_for("approvals.index"))
    db().commit()
    flash(message, "ok")
    return redirect(url_for("approvals.index"))


@bp.post("/posts/<int:post_id>/retry")
@role_required("approver")
def retry(post_id: int) -> Any:
    """Queue a failed post again after a person checked it."""
    post = get_or_404(Post, post_id)
    try:
        retry_post(db(), post, me())
    except WorkflowError as exc:
        db().rollback()
        flash(str(exc), "error")
    else:
        db().commit()
        flash("The reply is queued again.", "ok")
    return redirect(url_for("cases.show", case_id=post.case_id))
