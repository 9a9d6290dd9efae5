"""Inbox: overdue first, filters and search, assign and close one by one or in bulk."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from monitor.models import Case, Mention
from tests.web.conftest import user


def _order(body: str, *needles: str) -> list[int]:
    return [body.index(n) for n in needles]


def test_overdue_cases_come_first_and_are_marked(
    client: FlaskClient, auth: Any, make_mention: Callable[..., Mention], make_case: Callable[..., Case]
) -> None:
    make_case(make_mention("later case text"), due_in=timedelta(hours=3))
    make_case(make_mention("overdue case text"), due_in=-timedelta(minutes=30))
    auth.login("agent")
    body = client.get("/").get_data(as_text=True)
    first, second = _order(body, "overdue case text", "later case text")
    assert first < second
    assert 'class="case-row overdue"' in body
    assert "overdue 30 min ago" in body or "overdue 29 min ago" in body


def test_inbox_shows_brand_source_author_reach_scores(
    client: FlaskClient, auth: Any, make_mention: Callable[..., Mention], make_case: Callable[..., Case]
) -> None:
    make_case(
        make_mention(author_handle="bigvoice", author_followers=25_000, platform="reddit", toxicity=0.42)
    )
    auth.login("agent")
    body = client.get("/").get_data(as_text=True)
    for text in (
        "Lumen Mobile",
        "reddit",
        "@<bdi>bigvoice</bdi>",
        "25,000 followers",
        "negative",
        "42%",
        "en",
    ):
        assert text in body


def test_filters_and_search(
    client: FlaskClient, auth: Any, make_mention: Callable[..., Mention], make_case: Callable[..., Case]
) -> None:
    make_case(make_mention("roaming is broken", sentiment="negative"), priority="urgent")
    make_case(make_mention("thanks for the quick fix", sentiment="positive"), priority="low")
    make_case(make_mention("closed matter"), state="closed")
    auth.login("agent")
    assert "roaming" not in client.get("/?priority=low").get_data(as_text=True)
    assert "roaming" in client.get("/?priority=urgent").get_data(as_text=True)
    assert "quick fix" not in client.get("/?sentiment=negative").get_data(as_text=True)
    body = client.get("/?q=ROAMING").get_data(as_text=True)
    assert "roaming" in body and "quick fix" not in body
    assert "closed matter" not in client.get("/").get_data(as_text=True)
    assert "closed matter" in client.get("/?state=closed").get_data(as_text=True)
    assert "closed matter" in client.get("/?state=all").get_data(as_text=True)
    assert client.get("/?q=%25_%5C&state=nonsense&priority=bogus").status_code == 200


def test_assign_to_me_and_filter_mine(
    client: FlaskClient, auth: Any, db: Session, make_case: Callable[..., Case]
) -> None:
    case = make_case()
    auth.login("agent")
    resp = client.post(f"/cases/{case.id}/assign", data={"assign_to": "me"}, follow_redirects=True)
    assert b"Assigned to agent." in resp.data
    db.expire_all()
    stored = db.get(Case, case.id)
    assert stored is not None and stored.state == "assigned" and stored.assignee_id == user(db, "agent").id
    assert f"/cases/{case.id}" in client.get("/?assignee=me").get_data(as_text=True)
    assert f'/cases/{case.id}"' not in client.get("/?assignee=nobody").get_data(as_text=True)


def test_assign_to_someone_else(
    client: FlaskClient, auth: Any, db: Session, make_case: Callable[..., Case]
) -> None:
    case = make_case()
    auth.login("agent")
    other = user(db, "agent2")
    client.post(f"/cases/{case.id}/assign", data={"assignee": str(other.id)})
    db.expire_all()
    assert db.get(Case, case.id).assignee_id == other.id  # type: ignore[union-attr]
    resp = client.post(f"/cases/{case.id}/assign", data={"assignee": "424242"}, follow_redirects=True)
    assert b"does not exist or is inactive" in resp.data


def test_bulk_assign_and_close(
    client: FlaskClient, auth: Any, db: Session, make_case: Callable[..., Case]
) -> None:
    cases = [make_case() for _ in range(3)]
    auth.login("agent")
    other = user(db, "agent2")
    ids = [str(c.id) for c in cases[:2]]
    resp = client.post(
        "/cases/bulk",
        data={"case_id": ids, "action": "assign", "assignee": str(other.id)},
        follow_redirects=True,
    )
    assert b"Assigned 2 case(s) to agent2." in resp.data
    resp = client.post("/cases/bulk", data={"case_id": ids, "action": "close"}, follow_redirects=True)
    assert b"Closed 2 case(s)." in resp.data
    db.expire_all()
    states = [db.get(Case, c.id).state for c in cases]  # type: ignore[union-attr]
    assert states == ["closed", "closed", "new"]


def test_bulk_mistakes_get_messages(client: FlaskClient, auth: Any, make_case: Callable[..., Case]) -> None:
    case = make_case()
    auth.login("agent")
    assert (
        b"Tick at least one case"
        in client.post("/cases/bulk", data={"action": "close"}, follow_redirects=True).data
    )
    resp = client.post(
        "/cases/bulk", data={"case_id": [str(case.id)], "action": "explode"}, follow_redirects=True
    )
    assert b"Choose an action" in resp.data
