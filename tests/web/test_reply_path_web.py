"""The reply path over HTTP: rewrite, stale approval, supersede, confirmation, undo, 409s, Bluesky routes."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from monitor.models import Case, Draft, Post, utcnow
from tests.web.conftest import password_of


def review(client: FlaskClient, draft: Draft, **form: str) -> Any:
    form.setdefault("version_hash", draft.content_hash)
    return client.post(f"/drafts/{draft.id}/review", data=form)


def test_approver_rewrite_through_the_case_page_cannot_be_self_approved(
    client: FlaskClient, auth: Any, db: Session, make_draft: Callable[..., Draft]
) -> None:
    """Defect 1: the approver re-saves the agent's submitted draft with their own text, then approves alone."""
    draft = make_draft()
    auth.login("approver")
    client.post(f"/cases/{draft.case_id}/drafts",
                data={"text": "Sorry for the wait, this is my rewrite.", "draft_id": str(draft.id), "submit": "1"})
    db.expire_all()
    draft = db.get(Draft, draft.id)  # type: ignore[assignment]
    assert draft.version == 2 and draft.state == "submitted"
    resp = review(client, draft, decision="approve")
    assert resp.status_code == 400 and "nor one they edited" in resp.get_data(as_text=True)
    assert db.scalars(select(Post)).all() == []
    page = client.get(f"/cases/{draft.case_id}").get_data(as_text=True)
    assert "v2 · submitted · pass · by agent, approver" in page
    auth.logout()
    auth.login("approver2")
    queue = client.get("/approvals").get_data(as_text=True)
    assert "Changed from version 1:" in queue and "<ins>Sorry for the wait, this is my rewrite.</ins>" in queue


def test_stale_approval_gets_409_and_the_new_version(
    client: FlaskClient, auth: Any, db: Session, make_draft: Callable[..., Draft]
) -> None:
    """Defect 2 over HTTP: the approve form carries the hash of the text on screen."""
    draft = make_draft()
    seen = draft.content_hash
    auth.login("agent")
    client.post(f"/cases/{draft.case_id}/drafts",
                data={"text": "Sorry! Log in at https://evil.example to fix it.", "draft_id": str(draft.id)})
    client.post(f"/cases/{draft.case_id}/drafts",
                data={"text": "Sorry! We fixed it, please check.", "draft_id": str(draft.id), "submit": "1"})
    auth.logout()
    auth.login("approver")
    resp = client.post(f"/drafts/{draft.id}/review", data={"decision": "approve", "version_hash": seen})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 409 and "changed after you opened it: version 3 by agent" in body
    assert "We fixed it, please check." in body  # the new version is back in the queue
    assert db.scalars(select(Post)).all() == []


def test_second_public_reply_shows_the_first_and_needs_a_reason(
    client: FlaskClient, auth: Any, db: Session, make_draft: Callable[..., Draft], make_case: Callable[..., Case]
) -> None:
    """Defect 3: the case page shows our first reply; submitting another needs supersede with a reason."""
    first = make_draft()
    auth.login("approver")
    assert review(client, first, decision="approve").status_code == 302
    auth.logout()
    auth.login("agent2")
    page = client.get(f"/cases/{first.case_id}").get_data(as_text=True)
    assert "already has a public reply from us" in page and 'name="supersede_reason"' in page
    body = client.post(f"/cases/{first.case_id}/drafts", data={"text": "Second answer.", "submit": "1"},
                       follow_redirects=True).get_data(as_text=True)
    assert "needs “supersede” with a reason" in body
    body = client.post(f"/cases/{first.case_id}/drafts",
                       data={"text": "Second answer.", "submit": "1", "supersede_reason": "Wrong plan named"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Submitted for approval." in body and "Supersedes post" in body


def test_submit_with_a_block_asks_for_confirmation(
    client: FlaskClient, auth: Any, db: Session, make_case: Callable[..., Case]
) -> None:
    """Defect 5: a blocked reply is saved but only submitted once the agent confirms."""
    case = make_case()
    auth.login("agent")
    text = "Calm down, we are on it."
    body = client.post(f"/cases/{case.id}/drafts", data={"text": text, "submit": "1", "confirm_block": ""},
                       follow_redirects=True).get_data(as_text=True)
    assert "Submit anyway? An approver will have to override it" in body and "Draft saved, not submitted" in body
    draft = db.scalars(select(Draft)).one()
    assert draft.state == "draft"
    client.post(f"/cases/{case.id}/drafts",
                data={"text": text, "draft_id": str(draft.id), "submit": "1", "confirm_block": ["", "1"]})
    db.expire_all()
    assert db.get(Draft, draft.id).state == "submitted"  # type: ignore[union-attr]


def test_undo_countdown_and_cancel(
    client: FlaskClient, auth: Any, db: Session, make_draft: Callable[..., Draft]
) -> None:
    """Undo window: the case and approval pages count down with a cancel button; a late cancel is a 409."""
    draft = make_draft()
    auth.login("approver")
    review(client, draft, decision="approve")
    post = db.scalars(select(Post)).one()
    assert "undo-countdown" in client.get("/approvals").get_data(as_text=True)
    auth.logout()
    auth.login("agent")
    page = client.get(f"/cases/{draft.case_id}").get_data(as_text=True)
    assert "Posting in" in page and "Cancel this reply" in page
    resp = client.post(f"/posts/{post.id}/cancel", follow_redirects=True)
    assert "Cancelled: the reply will not be posted" in resp.get_data(as_text=True)
    db.expire_all()
    assert db.get(Post, post.id).status == "cancelled"  # type: ignore[union-attr]
    assert db.get(Draft, draft.id).state == "submitted"  # type: ignore[union-attr]
    row = db.get(Post, post.id)
    assert row is not None
    row.status, row.next_attempt_at = "queued", utcnow() - timedelta(seconds=1)
    db.commit()
    assert client.post(f"/posts/{post.id}/cancel").status_code == 409


def test_bluesky_offers_no_private_message(
    client: FlaskClient, auth: Any, make_mention: Callable[..., Any], make_case: Callable[..., Case]
) -> None:
    """Defect 8: the source class says Bluesky has no private replies, also for replayed Bluesky data."""
    mention = make_mention(platform="bluesky", author_handle="nora.bsky.social",
                           url="https://bsky.app/profile/nora.bsky.social/post/3k")
    case = make_case(mention)
    auth.login("agent")
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Send as a private message" not in page and "has no private messages" in page
    body = client.post(f"/cases/{case.id}/drafts", data={"text": "Hi @nora.bsky.social, sorry!", "private": "1"},
                       follow_redirects=True).get_data(as_text=True)
    assert "bluesky has no private replies" in body


@pytest.fixture
def served(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_twenty_concurrent_approvals_one_wins_the_rest_get_409(
    served: str, db: Session, make_draft: Callable[..., Draft]
) -> None:
    """Defect 7: concurrent approve requests against a real server: one 302, the rest 409, never a 500."""
    draft = make_draft()
    sessions = []
    for i in range(20):
        s = requests.Session()
        name = "approver" if i % 2 else "approver2"
        s.post(f"{served}/login", data={"username": name, "password": password_of(name)})
        sessions.append(s)
    codes: list[int] = []
    start = threading.Barrier(20)

    def approve(s: requests.Session) -> None:
        start.wait()
        resp = s.post(f"{served}/drafts/{draft.id}/review", allow_redirects=False,
                      data={"decision": "approve", "version_hash": draft.content_hash})
        codes.append(resp.status_code)

    threads = [threading.Thread(target=approve, args=(s,)) for s in sessions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [302] + [409] * 19, codes
    assert len(db.scalars(select(Post)).all()) == 1


def test_presence_warns_who_else_is_on_the_case(
    client: FlaskClient, auth: Any, make_case: Callable[..., Case]
) -> None:
    """A colleague who has the case open, or a draft on it, is named on the case page."""
    case = make_case()
    auth.login("agent2")
    client.get(f"/cases/{case.id}")
    auth.logout()
    auth.login("agent")
    assert "agent2 has this case open right now." in client.get(f"/cases/{case.id}").get_data(as_text=True)
    auth.logout()
    auth.login("agent2")
    client.post(f"/cases/{case.id}/drafts", data={"text": "Sorry, we are on it."})
    auth.logout()
    auth.login("agent")
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "agent2 is drafting on this case" in page and "agent2 has this case open" not in page


def test_one_public_reply_per_conversation_spans_the_authors_thread(
    client: FlaskClient, auth: Any, make_mention: Callable[..., Any], make_case: Callable[..., Case],
    make_draft: Callable[..., Draft],
) -> None:
    """The same customer posting twice in one thread is one conversation: the second reply must supersede."""
    first = make_mention(external_id="t-1", thread_id="t-1", author_handle="devon")
    second = make_mention(external_id="t-2", thread_id="t-1", author_handle="devon", in_reply_to="t-1")
    other = make_mention(external_id="t-3", thread_id="t-1", author_handle="someone_else")
    answered = make_draft(case=make_case(first))
    auth.login("approver")
    review(client, answered, decision="approve")
    auth.logout()
    auth.login("agent2")
    later, elsewhere = make_case(second), make_case(other)
    body = client.post(f"/cases/{later.id}/drafts", data={"text": "Following up here.", "submit": "1"},
                       follow_redirects=True).get_data(as_text=True)
    assert "already has a public reply from us" in body
    body = client.post(f"/cases/{elsewhere.id}/drafts", data={"text": "Sorry to hear that.", "submit": "1"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Submitted for approval." in body  # another customer in the same thread is another conversation
