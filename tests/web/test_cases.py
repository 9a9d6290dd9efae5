"""Case page: context, author history, suggestions, drafts, and the post outcome."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.models import Case, Draft, Mention, Post, utcnow
from monitor.rules import parse_rules


def test_case_shows_mention_thread_history_and_link(
    client: FlaskClient, auth: Any, make_mention: Callable[..., Mention], make_case: Callable[..., Case]
) -> None:
    root = make_mention("original thread post", external_id="t-1", author_id="other", author_handle="other")
    make_mention(
        "earlier complaint by the same author",
        author_id="u-same",
        author_handle="same",
        created_at=utcnow() - timedelta(days=3),
    )
    mention = make_mention(
        "my reply in the thread",
        author_id="u-same",
        author_handle="same",
        thread_id="t-1",
        in_reply_to="t-1",
        url="https://x.com/same/status/42",
    )
    case = make_case(mention)
    auth.login("agent")
    body = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "my reply in the thread" in body
    assert root.text in body
    assert "earlier complaint by the same author" in body
    assert 'href="https://x.com/same/status/42"' in body


def test_unsafe_original_link_is_not_linked(
    client: FlaskClient, auth: Any, make_mention: Callable[..., Mention], make_case: Callable[..., Case]
) -> None:
    case = make_case(make_mention(url="http://phish.example/x"))
    auth.login("agent")
    body = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert 'href="http://phish.example/x"' not in body and "Original link not shown" in body


def test_suggestions_are_filled(
    client: FlaskClient, auth: Any, make_mention: Callable[..., Mention], make_case: Callable[..., Case]
) -> None:
    case = make_case(make_mention(author_handle="devon_k"), priority="high")
    auth.login("agent")
    body = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Please send us a DM" in body  # moves the conversation to private messages
    assert "get back to you within a few hours" in body  # the public promise, not the internal SLA
    assert "{author}" not in body and "@devon_k" in body
    assert "(private)" in body


def test_save_and_submit_draft(
    client: FlaskClient, auth: Any, db: Session, make_case: Callable[..., Case]
) -> None:
    case = make_case()
    auth.login("agent")
    resp = client.post(
        f"/cases/{case.id}/drafts", data={"text": "We are on it, sorry for the wait."}, follow_redirects=True
    )
    assert b"Draft saved." in resp.data
    draft = db.scalars(select(Draft).where(Draft.case_id == case.id)).one()
    assert draft.state == "draft" and draft.action == "pass"
    assert b"We are on it, sorry for the wait." in client.get(f"/cases/{case.id}").data
    resp = client.post(
        f"/cases/{case.id}/drafts",
        data={"text": "We are on it. Sorry!", "draft_id": str(draft.id), "submit": "1"},
        follow_redirects=True,
    )
    assert b"Submitted for approval." in resp.data
    db.expire_all()
    assert db.get(Draft, draft.id).state == "submitted"  # type: ignore[union-attr]


def test_draft_mistakes_get_messages(client: FlaskClient, auth: Any, make_case: Callable[..., Case]) -> None:
    case = make_case()
    auth.login("agent")
    assert (
        b"The reply is empty."
        in client.post(f"/cases/{case.id}/drafts", data={"text": "  "}, follow_redirects=True).data
    )
    resp = client.post(f"/cases/{case.id}/drafts", data={"text": "x" * 10_001}, follow_redirects=True)
    assert b"The reply is too long" in resp.data


def test_close_case(client: FlaskClient, auth: Any, db: Session, make_case: Callable[..., Case]) -> None:
    case = make_case()
    auth.login("agent")
    assert b"Case closed." in client.post(f"/cases/{case.id}/close", follow_redirects=True).data
    db.expire_all()
    assert db.get(Case, case.id).state == "closed"  # type: ignore[union-attr]


def test_case_shows_posted_link_or_failure_with_retry(
    client: FlaskClient, auth: Any, db: Session, make_draft: Callable[..., Draft]
) -> None:
    posted, failed = make_draft(), make_draft()
    db.add_all(
        [
            Post(
                draft_id=posted.id,
                case_id=posted.case_id,
                source="replay",
                idempotency_key="k1",
                status="posted",
                url="https://x.com/LumenMobile/status/77",
                external_id="77",
            ),
            Post(
                draft_id=failed.id,
                case_id=failed.case_id,
                source="replay",
                idempotency_key="k2",
                status="failed",
                last_error="replay endpoint answered HTTP 503",
            ),
        ]
    )
    db.commit()
    auth.login("agent")
    assert b'href="https://x.com/LumenMobile/status/77"' in client.get(f"/cases/{posted.case_id}").data
    body = client.get(f"/cases/{failed.case_id}").data
    assert b"replay endpoint answered HTTP 503" in body and b"An approver can retry" in body
    auth.logout()
    auth.login("approver")
    assert b"Retry posting" in client.get(f"/cases/{failed.case_id}").data


def test_reply_route_follows_the_platform(client: FlaskClient, auth: Any, app: Any, rules_path: Path,
                                          make_mention: Callable[..., Mention],
                                          make_case: Callable[..., Case]) -> None:
    text = rules_path.read_text().replace("sources:\n", "sources:\n  x: {enabled: true}\n  bluesky: {enabled: true}\n")
    app.extensions["repguard.rules"] = parse_rules(text, str(rules_path))
    auth.login("agent")
    not_mentioned = make_case(make_mention("Lumen Mobile is down again", source="x",
                                           raw={"text": "Lumen Mobile is down again"}))
    body = client.get(f"/cases/{not_mentioned.id}").get_data(as_text=True)
    assert "does not allow a public reply" in body and 'id="draft-private" checked' in body
    mentioned = make_case(make_mention("@LumenMobile is down again", source="x",
                                       raw={"text": "@LumenMobile is down again"}))
    body = client.get(f"/cases/{mentioned.id}").get_data(as_text=True)
    assert "does not allow a public reply" not in body and 'id="draft-private" >' in body
    sky = make_case(make_mention("lumen mobile is down", source="bluesky", platform="bluesky"))
    assert "has no private messages" in client.get(f"/cases/{sky.id}").get_data(as_text=True)
