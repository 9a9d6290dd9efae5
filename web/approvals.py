"""The approval queue: four-eyes review of exact draft versions, overrides with a reason, undo, retries."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError

from monitor.models import Draft, Post, utcnow
from monitor.replies import ConflictError, WorkflowError, approve, cancel_post, reject, retry_post, save_draft, submit
from monitor.reply_gates import authors, changes, first_public_reply
from web.approval_queue import queue_order
from web.auth import me, role_required
from web.database import db, get_or_404, rules
from web.textcount import measure

bp = Blueprint("approvals", __name__)
MAX_DRAFT = 10_000
RACE = "Someone else changed this draft at the same moment; reload and decide again."


def undo_window() -> list[Post]:
    """Approved replies still inside their undo window, soonest first."""
    stmt = (select(Post).where(Post.status == "queued", Post.next_attempt_at > utcnow())
            .order_by(Post.next_attempt_at))
    return list(db().scalars(stmt))


@bp.route("/approvals")
@role_required("approver")
def index() -> Any:
    """List drafts waiting for approval, most urgent first, with authors, findings, mention and earlier reply."""
    pending = list(db().scalars(queue_order(select(Draft).where(Draft.state == "submitted"))))
    return render_template(
        "approvals.html", drafts=pending, now=utcnow(), waiting=undo_window(),
        lengths={d.id: measure(d.text, d.case.mention.platform) for d in pending},
        authors={d.id: authors(db(), d) for d in pending},
        earlier={d.id: first_public_reply(db(), d) for d in pending},
        diffs={d.id: changes(db(), d) for d in pending})


def edit_draft(item: Draft, text: str, seen: str) -> str:
    """Add the approver's wording as a new version (they become an author) and keep it in the queue."""
    if len(text) > MAX_DRAFT:
        raise WorkflowError(f"The reply is too long ({len(text):,} characters; at most {MAX_DRAFT:,}).")
    if item.state != "submitted":
        raise ConflictError(f"Only a submitted draft can be edited here; this one is {item.state}.")
    if seen != item.content_hash:
        raise ConflictError("The reply changed after you opened it; read the new version before editing it.")
    save_draft(db(), item.case, me(), text, private=item.private, policy=rules().moderation, draft=item)
    if item.state == "draft":
        submit(db(), item, me(), policy=rules().moderation, confirm_block=True,
               supersede_reason=item.supersede_reason)
    return (f"Saved as version {item.version} and checked again: {item.action}. "
            "You are now one of its authors, so another approver must approve it.")


def decide(item: Draft, decision: str | None) -> str:
    """Apply one review decision and return the message for the approver."""
    form, seen = request.form, request.form.get("version_hash", "")
    if decision == "approve":
        post = approve(db(), item, me(), version_hash=seen, policy=rules().moderation,
                       override_reason=form.get("override_reason", ""),
                       supersede_reason=form.get("supersede_reason", ""),
                       undo_seconds=rules().replies.undo_seconds)
        return (f"Approved version {item.version}; it is posted in {rules().replies.undo_seconds} s "
                f"unless cancelled (post {post.id}).")
    if decision == "reject":
        reject(db(), item, me(), form.get("comment", ""), version_hash=seen)
        return "Rejected; the draft went back to its author."
    if decision == "edit":
        return edit_draft(item, form.get("text", ""), seen)
    raise WorkflowError("Choose approve, reject or edit.")


def refused(message: str, status: int) -> Any:
    """Show the queue again with the reason, under the right HTTP status."""
    flash(message, "error")
    return index(), status


@bp.post("/drafts/<int:draft_id>/review")
@role_required("approver")
def review(draft_id: int) -> Any:
    """Approve (queues the post), reject with a comment, or edit a submitted draft."""
    item = get_or_404(Draft, draft_id)
    try:
        message = decide(item, request.form.get("decision"))
        db().commit()
    except ConflictError as exc:
        db().rollback()
        return refused(str(exc), 409)
    except WorkflowError as exc:
        db().rollback()
        return refused(str(exc), 400)
    except (IntegrityError, OperationalError):
        db().rollback()  # a concurrent decision won the row or the lock: the first one counts
        return refused(RACE, 409)
    flash(message, "ok")
    return redirect(url_for("approvals.index"))


@bp.post("/posts/<int:post_id>/cancel")
@role_required("agent")
def cancel(post_id: int) -> Any:
    """Cancel an approved reply inside its undo window; the draft goes back to the queue."""
    post = get_or_404(Post, post_id)
    back = request.form.get("next") == "approvals" and current_user.can("approver")
    target = url_for("approvals.index") if back else url_for("cases.show", case_id=post.case_id)
    try:
        cancel_post(db(), post, me())
        db().commit()
    except (WorkflowError, OperationalError) as exc:
        db().rollback()
        flash(str(exc) if isinstance(exc, WorkflowError) else RACE, "error")
        return redirect(target), 409
    flash("Cancelled: the reply will not be posted; the draft is back in the approval queue.", "ok")
    return redirect(target)


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
