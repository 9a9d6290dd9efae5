"""Approval queue: four eyes, overrides with a reason, reject with a comment, edit re-checks, retry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.models import AuditEvent, Draft, Post, Review

BLOCKED = "You are an idiot. Calm down."


def _review(client: FlaskClient, draft: Draft, **form: str) -> str:
    """Decide on a draft as the queue's form does: naming the version the approver saw."""
    form.setdefault("version_hash", draft.content_hash)
    return client.post(f"/drafts/{draft.id}/review", data=form, follow_redirects=True).get_data(as_text=True)


def test_queue_shows_draft_findings_and_mention(
    client: FlaskClient, auth: Any, make_draft: Callable[..., Draft]
) -> None:
    make_draft(BLOCKED)
    auth.login("approver")
    body = client.get("/approvals").get_data(as_text=True)
    assert "You are an idiot." in body and "banned" in body and "bill doubled" in body
    assert "Override reason" in body


def test_approve_queues_one_post(
    client: FlaskClient, auth: Any, db: Session, make_draft: Callable[..., Draft]
) -> None:
    draft = make_draft()
    auth.login("approver")
    assert "Approved version 1; it is posted in 30 s unless cancelled" in _review(client, draft, decision="approve")
    post = db.scalars(select(Post).where(Post.draft_id == draft.id)).one()
    assert post.status == "queued" and post.idempotency_key and post.version_hash == draft.content_hash
    again = client.post(f"/drafts/{draft.id}/review", data={"decision": "approve", "version_hash": draft.content_hash})
    assert again.status_code == 409 and "someone decided on it first" in again.get_data(as_text=True)
    assert len(db.scalars(select(Post)).all()) == 1


def test_nobody_approves_their_own_draft(
    client: FlaskClient, auth: Any, make_draft: Callable[..., Draft]
) -> None:
    draft = make_draft(author="approver")
    auth.login("approver")
    assert "You wrote or edited this draft" in client.get("/approvals").get_data(as_text=True)
    assert "Nobody approves their own draft" in _review(client, draft, decision="approve")


def test_block_needs_an_override_reason(
    client: FlaskClient, auth: Any, db: Session, make_draft: Callable[..., Draft]
) -> None:
    draft = make_draft(BLOCKED)
    assert draft.action == "block"
    auth.login("approver")
    assert "needs an override reason" in _review(client, draft, decision="approve", override_reason=" ")
    assert "Approved" in _review(
        client, draft, decision="approve", override_reason="Customer asked to be quoted"
    )
    review = db.scalars(select(Review).where(Review.draft_id == draft.id)).one()
    assert review.override and review.comment == "Customer asked to be quoted"
    assert db.scalars(select(AuditEvent).where(AuditEvent.action == "override")).one()


def test_reject_needs_a_comment_and_goes_back(
    client: FlaskClient, auth: Any, db: Session, make_draft: Callable[..., Draft]
) -> None:
    draft = make_draft()
    auth.login("approver")
    assert "Say why the draft is rejected" in _review(client, draft, decision="reject", comment="")
    assert "went back to its author" in _review(
        client, draft, decision="reject", comment="Too curt, add an apology"
    )
    db.expire_all()
    assert db.get(Draft, draft.id).state == "rejected"  # type: ignore[union-attr]
    auth.logout()
    auth.login("agent")
    body = client.get(f"/cases/{draft.case_id}").get_data(as_text=True)
    assert "Too curt, add an apology" in body and f'name="draft_id" value="{draft.id}"' in body


def test_edit_is_checked_again(
    client: FlaskClient, auth: Any, db: Session, make_draft: Callable[..., Draft]
) -> None:
    draft = make_draft()
    first_hash = draft.content_hash
    auth.login("approver")
    assert "Saved as version 2 and checked again: block" in _review(client, draft, decision="edit", text=BLOCKED)
    db.expire_all()
    stored = db.get(Draft, draft.id)
    assert stored is not None and stored.state == "submitted" and stored.action == "block"
    assert stored.version == 2 and stored.content_hash != first_hash
    assert "Choose approve, reject or edit." in _review(client, draft, decision="maybe")


def test_an_approver_does_not_approve_their_own_edit(
    client: FlaskClient, auth: Any, db: Session, make_draft: Callable[..., Draft]
) -> None:
    draft = make_draft()
    auth.login("approver")
    _review(client, draft, decision="edit", text="Sorry for the wait, we are fixing your bill today.")
    db.expire_all()
    draft = db.get(Draft, draft.id)  # type: ignore[assignment]
    assert "You wrote or edited this draft" in client.get("/approvals").get_data(as_text=True)
    assert "Nobody approves their own draft, nor one they edited" in _review(client, draft, decision="approve")
    auth.logout()
    auth.login("approver2")
    page = client.get("/approvals").get_data(as_text=True)
    assert "v2 by agent, approver" in page  # the queue names every author of the text
    assert "Approved" in _review(client, draft, decision="approve")


def test_retry_failed_post(
    client: FlaskClient, auth: Any, db: Session, make_draft: Callable[..., Draft]
) -> None:
    draft = make_draft()
    post = Post(
        draft_id=draft.id,
        case_id=draft.case_id,
        source="replay",
        idempotency_key="k",
        status="failed",
        last_error="boom",
    )
    db.add(post)
    db.commit()
    auth.login("approver")
    assert b"The reply is queued again." in client.post(f"/posts/{post.id}/retry", follow_redirects=True).data
    assert (
        b"Only a failed post can be retried"
        in client.post(f"/posts/{post.id}/retry", follow_redirects=True).data
    )
    assert client.post("/posts/999/retry").status_code == 404
