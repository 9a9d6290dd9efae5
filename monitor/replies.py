"""The reply workflow: draft -> check -> submit -> approve/reject -> queued post."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from moderation import check
from moderation.policy import Policy
from monitor.models import AuditEvent, Case, Draft, Post, Review, User, utcnow
from monitor.privacy import has_visible_text


class WorkflowError(ValueError):
    """A request the workflow refuses, with a message for the person who made it."""


def audit(session: Session, user: User | None, action: str, obj: Any = None, **detail: Any) -> None:
    """Record who did what."""
    session.add(AuditEvent(user_id=user.id if user else None, action=action,
                           object_type=type(obj).__name__.lower() if obj is not None else "",
                           object_id=str(getattr(obj, "id", "") or ""), detail=detail))


def save_draft(session: Session, case: Case, user: User, text: str, *, private: bool, policy: Policy,
               draft: Draft | None = None) -> Draft:
    """Create or update a draft and store its moderation verdict."""
    if not text.strip():
        raise WorkflowError("The reply is empty.")
    if draft is not None and draft.state not in ("draft", "rejected", "submitted"):
        raise WorkflowError(f"This draft is already {draft.state} and cannot be edited.")
    verdict = check(text, platform=case.mention.platform, policy=policy,
                    context={"text": case.mention.text, "author": case.mention.author_handle})
    if draft is None:
        draft = Draft(case_id=case.id, author_id=user.id, text=text)
        session.add(draft)
    draft.text, draft.private, draft.verdict, draft.action = text, private, verdict.to_dict(), verdict.action
    draft.state = "draft"
    if case.state == "new":
        case.state, case.assignee_id = "assigned", case.assignee_id or user.id
    session.flush()
    audit(session, user, "draft", draft, verdict=verdict.action)
    return draft


def submit(session: Session, draft: Draft, user: User) -> None:
    """Send a draft to the approval queue."""
    if draft.state not in ("draft", "rejected"):
        raise WorkflowError(f"Only a draft can be submitted; this one is {draft.state}.")
    draft.state = "submitted"
    audit(session, user, "submit", draft)


def approve(session: Session, draft: Draft, approver: User, *, override_reason: str = "") -> Post:
    """Approve a submitted draft and queue it for posting (four eyes; blocks need a written override)."""
    if draft.state != "submitted":
        raise WorkflowError(f"Only a submitted draft can be approved; this one is {draft.state}.")
    if draft.author_id == approver.id:
        raise WorkflowError("Nobody approves their own draft; ask another approver.")
    override = draft.action == "block"
    if override and not has_visible_text(override_reason):  # a zero-width space is no reason
        raise WorkflowError("This draft has a blocking finding: approving it needs an override reason.")
    draft.state = "approved"
    session.add(Review(draft_id=draft.id, reviewer_id=approver.id, decision="approve",
                       comment=override_reason.strip(), override=override))
    post = Post(draft_id=draft.id, case_id=draft.case_id, source=draft.case.mention.source,
                idempotency_key=uuid.uuid4().hex, status="queued", next_attempt_at=utcnow())
    session.add(post)
    session.flush()
    audit(session, approver, "override" if override else "approve", draft, reason=override_reason.strip())
    return post


def reject(session: Session, draft: Draft, approver: User, comment: str) -> None:
    """Send a draft back to its author with a comment."""
    if draft.state != "submitted":
        raise WorkflowError(f"Only a submitted draft can be rejected; this one is {draft.state}.")
    if not has_visible_text(comment):
        raise WorkflowError("Say why the draft is rejected, so the agent can fix it.")
    draft.state = "rejected"
    session.add(Review(draft_id=draft.id, reviewer_id=approver.id, decision="reject", comment=comment.strip()))
    audit(session, approver, "reject", draft, comment=comment.strip())


def retry_post(session: Session, post: Post, user: User) -> None:
    """Put a failed (or unverifiable) post back in the queue after a person checked it."""
    if post.status not in ("failed", "unknown"):
        raise WorkflowError(f"Only a failed post can be retried; this one is {post.status}.")
    post.status, post.next_attempt_at, post.attempts = "queued", utcnow(), 0
    audit(session, user, "retry", post)
