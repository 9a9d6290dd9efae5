"""The care team's pages: filters, keyset pages, saved views, notes, tags, badges, CSV export, notifications."""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.mention import parse_time
from monitor.models import AuditEvent, Case, CaseTag, Draft, Mention, Notification, SavedView, utcnow
from tests.web.conftest import user
from web.demo import redate
from web.inbox import PAGE


def ids_on(body: str) -> list[int]:
    return [int(n) for n in re.findall(r'data-case-id="(\d+)"', body)]


def test_filters_by_queue_brand_language_tag_and_type(
    client: FlaskClient, auth: Any, db: Session, make_mention: Callable[..., Mention], make_case: Callable[..., Case]
) -> None:
    privacy = make_case(queue="privacy")
    review = make_case(make_mention(brand="Other Brand"), queue="review", case_type="billing")
    plain = make_case()
    db.add(CaseTag(case_id=plain.id, tag="roaming"))
    db.commit()
    auth.login("agent")
    assert ids_on(client.get("/?queue=privacy").get_data(as_text=True)) == [privacy.id]
    assert ids_on(client.get("/?brand=Other+Brand").get_data(as_text=True)) == [review.id]
    assert ids_on(client.get("/?tag=roaming").get_data(as_text=True)) == [plain.id]
    assert ids_on(client.get("/?type=billing").get_data(as_text=True)) == [review.id]
    assert ids_on(client.get("/?language=fr").get_data(as_text=True)) == []
    assert sorted(ids_on(client.get("/?language=en").get_data(as_text=True))) == [privacy.id, review.id, plain.id]
    body = client.get("/").get_data(as_text=True)
    assert re.search(r'data-queue="privacy"[^>]*>privacy <span class="badge">1</span>', body)
    assert 'id="badge-open" title="open cases">3<' in body


def test_keyset_pages_cover_every_case_once_in_sla_order(
    client: FlaskClient, auth: Any, make_case: Callable[..., Case]
) -> None:
    made = [make_case(due_in=timedelta(minutes=(i * 7919) % 600 - 60)).id for i in range(PAGE * 2 + 5)]
    auth.login("agent")
    seen: list[int] = []
    url = "/"
    while url:
        body = client.get(url).get_data(as_text=True)
        seen += ids_on(body)
        found = re.search(r'<a rel="next" href="([^"]+)"', body)
        url = found.group(1).replace("&amp;", "&") if found else ""
    assert sorted(seen) == sorted(made) and len(seen) == len(set(seen))
    # going back gives the previous page exactly
    second = client.get("/?after=" + re.search(r'after=([^"&]+)', client.get("/").get_data(as_text=True))
                        .group(1)).get_data(as_text=True)
    back = re.search(r'<a rel="prev" href="([^"]+)"', second).group(1).replace("&amp;", "&")
    assert ids_on(client.get(back).get_data(as_text=True)) == seen[:PAGE]
    assert client.get("/?after=garbage").status_code == 200


def test_saved_views_are_per_user(client: FlaskClient, auth: Any, db: Session) -> None:
    auth.login("agent")
    resp = client.post("/views", data={"name": "Privacy", "query": "queue=privacy&evil=1&state=open"})
    assert resp.status_code == 302 and "queue=privacy" in resp.headers["Location"]
    view = db.scalars(select(SavedView)).one()
    assert view.query == "queue=privacy&state=open"
    assert ">Privacy</a>" in client.get("/").get_data(as_text=True)
    auth.logout()
    auth.login("agent2")
    assert ">Privacy</a>" not in client.get("/").get_data(as_text=True)
    client.post(f"/views/{view.id}/delete")
    db.expire_all()
    assert db.scalars(select(SavedView)).first() is not None


def test_notes_tags_type_and_close_reason(
    client: FlaskClient, auth: Any, db: Session, make_case: Callable[..., Case]
) -> None:
    case = make_case()
    auth.login("agent")
    client.post(f"/cases/{case.id}/notes", data={"text": "Customer <b>called</b> twice"})
    client.post(f"/cases/{case.id}/tags", data={"tags": "Billing, roaming issue, billing"})
    client.post(f"/cases/{case.id}/type", data={"case_type": "billing"})
    refused = client.post(f"/cases/{case.id}/type", data={"case_type": "made-up"}, follow_redirects=True)
    assert "Choose a case type from the list." in refused.get_data(as_text=True)
    body = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Customer &lt;b&gt;called&lt;/b&gt; twice" in body
    assert sorted(db.scalars(select(CaseTag.tag).where(CaseTag.case_id == case.id))) == ["billing", "roaming-issue"]
    client.post(f"/cases/{case.id}/tags", data={"remove": "billing"})
    assert db.scalars(select(CaseTag.tag).where(CaseTag.case_id == case.id)).all() == ["roaming-issue"]
    assert "sentiment negative is one of negative" in body  # why routed, recomputed for an old case
    client.post(f"/cases/{case.id}/close", data={"close_reason": "resolved"})
    db.expire_all()
    stored = db.get(Case, case.id)
    assert stored is not None and stored.case_type == "billing" and stored.close_reason == "resolved"
    actions = set(db.scalars(select(AuditEvent.action)))
    assert {"note", "tag", "untag", "type", "close"} <= actions


def test_export_streams_filtered_csv_safely(
    client: FlaskClient, auth: Any, make_mention: Callable[..., Mention], make_case: Callable[..., Case]
) -> None:
    make_case(make_mention(author_handle="=HYPERLINK(1)"), queue="privacy")
    make_case(queue="inbox")
    auth.login("agent")
    resp = client.get("/export/cases.csv?queue=privacy")
    assert resp.is_streamed and resp.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(resp.get_data(as_text=True))))
    assert len(rows) == 1 and rows[0]["queue"] == "privacy"
    assert rows[0]["author"] == "'@=HYPERLINK(1)"  # starts with @: prefixed so spreadsheets do not run it
    assert all(not v.startswith(("=", "+", "-", "@")) for v in rows[0].values())
    assert len(list(csv.reader(io.StringIO(client.get("/export/cases.csv").get_data(as_text=True))))) == 3


def test_rejection_notifies_the_author_at_once(
    client: FlaskClient, auth: Any, db: Session, make_draft: Callable[..., Draft]
) -> None:
    draft = make_draft()
    auth.login("approver")
    client.post(f"/drafts/{draft.id}/review", data={"decision": "reject", "comment": "Name the refund date."})
    auth.logout()
    auth.login("agent")
    body = client.get("/notifications").get_data(as_text=True)
    assert "was rejected by approver: Name the refund date." in body
    assert 'id="badge-unread" title="unread">1<' in body
    client.post("/notifications/read")
    assert 'id="badge-unread" title="unread">0<' in client.get("/").get_data(as_text=True)
    agent = user(db, "agent")
    assert db.scalars(select(Notification.kind).where(Notification.user_id == agent.id)).all() == ["draft_rejected"]


def test_away_moves_open_cases(client: FlaskClient, auth: Any, db: Session, make_case: Callable[..., Case]) -> None:
    agent = user(db, "agent")
    case = make_case(assignee_id=agent.id, state="assigned")
    auth.login("agent")
    body = client.post("/me/away", data={"away": "1"}, follow_redirects=True).get_data(as_text=True)
    assert "1 open case(s) were reassigned" in body and "I&#39;m back" in body
    db.expire_all()
    stored = db.get(Case, case.id)
    assert stored is not None and stored.assignee_id is None and stored.state == "new"  # nobody else in "care"


def test_templates_suit_the_case_and_speak_its_language(
    client: FlaskClient, auth: Any, make_mention: Callable[..., Mention], make_case: Callable[..., Case]
) -> None:
    review = make_case(make_mention("Mon forfait a doublé", language="fr"), priority="high")
    exposed = make_case(rule="exposed-personal-data", queue="privacy", priority="urgent")
    auth.login("agent")
    body = client.get(f"/cases/{review.id}").get_data(as_text=True)
    names = re.findall(r'<li data-template="([\w-]+)">', body)
    assert names[:2] == ["move-to-dm", "response-time"] and "delete-personal-data" not in names
    assert body.index("Bonjour @") < body.index("Hi @")  # the customer's language first
    assert "vous répondra sous quelques heures" in body  # the promise in French too
    assert "within 1 hour" not in body and "within a few hours" in body  # never the internal SLA (60 min)
    body = client.get(f"/cases/{exposed.id}").get_data(as_text=True)
    assert 'data-template="delete-personal-data"' in body and "within an hour" in body


def test_demo_data_is_redated_to_now(tmp_path: Path) -> None:
    demo = Path(__file__).resolve().parents[2] / "demo" / "mentions.jsonl"
    now = utcnow()
    out = redate(demo, tmp_path / "fresh.jsonl", now)
    old = [json.loads(line) for line in demo.read_text(encoding="utf-8").splitlines() if line.strip()]
    new = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in new] == [r["id"] for r in old]
    times = [parse_time(r["created_at"]) for r in new]
    assert abs((max(times) - (now - timedelta(minutes=20))).total_seconds()) < 1  # newest: 20 min ago
    spacing = [parse_time(b["created_at"]) - parse_time(a["created_at"]) for a, b in itertools.pairwise(old)]
    assert [b - a for a, b in itertools.pairwise(times)] == spacing  # the story keeps its rhythm
