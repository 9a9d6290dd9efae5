"""The reply workflow: versioned draft -> check -> submit -> approve (that exact version) -> undo window -> post."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from moderation.policy import Policy
from monitor.models import AuditEvent, Case, Draft, DraftVersion, Post, Review, User, utcnow
from monitor.privacy import has_visible_text
from monitor.reply_gates import (
    authors,
    blocking,
    content_hash,
    describe,
    first_public_reply,
    private_supported,
    recheck,
    unoverridable,
)


class WorkflowError(ValueError):
    """A request the workflow refuses, with a message for the person who made it."""


class ConflictError(WorkflowError):
    """Someone else decided first, or the text changed under the person deciding (HTTP 409)."""


class NeedsConfirmation(WorkflowError):
    """Submitting a reply with a blocking finding: the agent must confirm that an override is needed."""


def audit(session: Session, user: User | None, action: str, obj: Any = None, **detail: Any) -> None:
    """Record who did what."""
    session.add(AuditEvent(user_id=user.id if user else None, action=action,
                           object_type=type(obj).__name__.lower() if obj is not None else "",
                           object_id=str(getattr(obj, "id", "") or ""), detail=detail))


def save_draft(session: Session, case: Case, user: User, text: str, *, private: bool, policy: Policy,
               draft: Draft | None = None) -> Draft:
    """Create a draft or add a new immutable version to it, authored by whoever edits, and check it."""
    if not text.strip():
        raise WorkflowError("The reply is empty.")
    if private and not private_supported(case):
        raise WorkflowError(f"{case.mention.platform} has no private replies; reply publicly.")
    if draft is not None and draft.state not in ("draft", "rejected", "submitted"):
        raise WorkflowError(f"This draft is already {draft.state} and cannot be edited.")
    digest = content_hash(text, private)
    if draft is not None and draft.content_hash == digest:
        return draft  # same wording: no new version, and re-saving makes nobody an author
    verdict = recheck(text, case, policy)
    if draft is None:
        draft = Draft(case_id=case.id, author_id=user.id, text=text, version=0)
        session.add(draft)
        session.flush()
    number = (draft.version or 0) + 1
    session.add(DraftVersion(draft_id=draft.id, number=number, author_id=user.id, text=text, private=private,
                             content_hash=digest, verdict=verdict.to_dict(), action=verdict.action))
    draft.text, draft.private, draft.verdict, draft.action = text, private, verdict.to_dict(), verdict.action
    draft.version, draft.content_hash, draft.state = number, digest, "draft"
    if case.state == "new":
        case.state, case.assignee_id = "assigned", case.assignee_id or user.id
    session.flush()
    audit(session, user, "edit" if number > 1 else "draft", draft, version=number, hash=digest,
          verdict=verdict.action)
    return draft


def _supersede(session: Session, draft: Draft, reason: str) -> None:
    """Refuse a second public reply to the same post unless the person supersedes the first with a reason."""
    first = first_public_reply(session, draft)
    if first is None or draft.supersedes_post_id == first.id:
        return
    if not reason.strip():
        raise WorkflowError(
            f"This conversation already has a public reply from us (post {first.id}, {first.status}): "
            f"“{first.draft.text}”. "
            "A second public reply needs “supersede” with a reason.")
    draft.supersedes_post_id, draft.supersede_reason = first.id, reason.strip()


def submit(session: Session, draft: Draft, user: User, *, policy: Policy, confirm_block: bool = False,
           supersede_reason: str = "") -> None:
    """Send a draft to the approval queue after checking it again with the rules in force."""
    if draft.state not in ("draft", "rejected"):
        raise WorkflowError(f"Only a draft can be submitted; this one is {draft.state}.")
    verdict = recheck(draft.text, draft.case, policy)
    stopped = unoverridable(verdict)
    if stopped:
        raise WorkflowError("Fix this before submitting (no override can pass it): " + "; ".join(stopped))
    if verdict.action == "block" and not confirm_block:
        raise NeedsConfirmation(f"This reply has a blocking finding ({describe(blocking(verdict))}). "
                                "Submit anyway? An approver will have to override it with a reason.")
    _supersede(session, draft, supersede_reason)
    draft.verdict, draft.action, draft.state = verdict.to_dict(), verdict.action, "submitted"
    audit(session, user, "submit", draft, version=draft.version, hash=draft.content_hash)


def _refuse_stale(session: Session, draft: Draft, version_hash: str) -> None:
    """Refuse a decision on a text the approver did not see, or one somebody already decided on."""
    if version_hash != draft.content_hash:
        editor = session.scalars(select(DraftVersion).where(DraftVersion.draft_id == draft.id)
                                 .order_by(DraftVersion.number.desc()).limit(1)).first()
        who = editor.author.username if editor else draft.author.username
        where = "is now in the queue" if draft.state == "submitted" else f"is {draft.state}"
        raise ConflictError(f"The reply changed after you opened it: version {draft.version} by {who} {where}. "
                            "Read the new text and decide again.")
    if draft.state != "submitted":
        raise ConflictError(f"This draft is already {draft.state}: someone decided on it first.")


def _claim_decision(session: Session, draft: Draft, version_hash: str, state: str) -> None:
    """Move the draft out of the queue only if nobody else did: the first decision wins."""
    moved = session.execute(update(Draft).where(Draft.id == draft.id, Draft.state == "submitted",
                                                Draft.content_hash == version_hash).values(state=state))
    if getattr(moved, "rowcount", 1) != 1:
        raise ConflictError("Another approver decided on this draft first (or it changed). Reload the queue.")
    draft.state = state


def approve(session: Session, draft: Draft, approver: User, *, version_hash: str, policy: Policy,
            override_reason: str = "", supersede_reason: str = "", undo_seconds: int = 30) -> Post:
    """Approve exactly the version the approver saw, re-checked now; queue it after the undo window."""
    _refuse_stale(session, draft, version_hash)
    if approver.id in {u.id for u in authors(session, draft)}:
        raise WorkflowError("Nobody approves their own draft, nor one they edited; ask another approver.")
    verdict = recheck(draft.text, draft.case, policy)
    stopped = unoverridable(verdict)
    if stopped:
        raise WorkflowError("This reply cannot be approved, not even with an override: " + "; ".join(stopped))
    override = verdict.action == "block"
    if override and not has_visible_text(override_reason):  # a zero-width space is no reason
        raise WorkflowError("This draft has a blocking finding: approving it needs an override reason.")
    _supersede(session, draft, supersede_reason)
    _claim_decision(session, draft, version_hash, "approved")
    session.add(Review(draft_id=draft.id, reviewer_id=approver.id, decision="approve",
                       comment=override_reason.strip(), override=override))
    post = session.scalars(select(Post).where(Post.draft_id == draft.id)).first()  # a cancelled earlier one
    if post is None:
        post = Post(draft_id=draft.id, case_id=draft.case_id, source=draft.case.mention.source)
        session.add(post)
    post.idempotency_key, post.status, post.attempts, post.last_error = uuid.uuid4().hex, "queued", 0, ""
    post.next_attempt_at = utcnow() + timedelta(seconds=undo_seconds)
    post.version_hash, post.overridden, post.cancelled_by = version_hash, blocking(verdict) if override else [], None
    session.flush()
    audit(session, approver, "override" if override else "approve", draft, reason=override_reason.strip(),
          version=draft.version, hash=version_hash)
    return post


def reject(session: Session, draft: Draft, approver: User, comment: str, *, version_hash: str = "") -> None:
    """Send a draft back to its author with a comment."""
    if draft.state != "submitted":
        raise ConflictError(f"Only a submitted draft can be rejected; this one is {draft.state}.")
    if not has_visible_text(comment):
        raise WorkflowError("Say why the draft is rejected, so the agent can fix it.")
    _claim_decision(session, draft, version_hash or draft.content_hash, "rejected")
    session.add(Review(draft_id=draft.id, reviewer_id=approver.id, decision="reject", comment=comment.strip()))
    audit(session, approver, "reject", draft, comment=comment.strip())


def cancel_post(session: Session, post: Post, user: User) -> None:
    """Undo an approval while the reply waits out its undo window; the draft goes back to the queue."""
    moved = session.execute(update(Post).where(Post.id == post.id, Post.status == "queued",
                                               Post.next_attempt_at > utcnow())
                            .values(status="cancelled", cancelled_by=user.id))
    if getattr(moved, "rowcount", 1) != 1:
        raise ConflictError("Too late to cancel: the reply is already being posted (or was cancelled).")
    session.refresh(post)
    post.draft.state = "submitted"
    audit(session, user, "cancel", post, draft_id=post.draft_id)


def retry_post(session: Session, post: Post, user: User) -> None:
    """Put a failed (or unverifiable) post back in the queue after a person checked it."""
    if post.status not in ("failed", "unknown"):
        raise WorkflowError(f"Only a failed post can be retried; this one is {post.status}.")
    post.status, post.next_attempt_at, post.attempts = "queued", utcnow(), 0
    audit(session, user, "retry", post)
