"""Incident and recurring-problem pages: what they show, and merge/split/close with login and role."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.context import Context
from monitor.incidents import group_pending
from monitor.models import AuditEvent, Case, Incident, IncidentMention, Mention, utcnow
from monitor.rules import load_rules

OUTAGE = ["lumen network down, no signal since this morning", "no signal at all, lumen network down again",
          "the lumen network is down, no signal anywhere", "réseau lumen en panne, pas de signal depuis ce matin",
          "pas de réseau depuis ce matin, lumen en panne"]
LOGIN = ["the lumen app login loop logs me out every time", "stuck in a login loop in the lumen app again",
         "lumen app keeps logging me out, login loop"]


@pytest.fixture
def seeded(app: Flask, rules_path: Path, make_mention: Callable[..., Mention],
           make_case: Callable[..., Case]) -> dict[str, int]:
    """Two incidents (an outage in two languages, an app login loop), with cases on some mentions."""
    start = utcnow() - timedelta(minutes=40)
    for i in range(24):
        text = OUTAGE[i % len(OUTAGE)] + " !" * (i % 3)
        m = make_mention(text, created_at=start + timedelta(minutes=i), language="fr" if "lumen en" in text or
                         "réseau" in text else "en", author_followers=1000 + i)
        if i % 4 == 0:
            make_case(m)
    for i in range(12):
        make_mention(LOGIN[i % 3] + "." * (i % 2), created_at=start + timedelta(minutes=i))
    ctx = Context(rules=load_rules(rules_path), sessions=app.extensions["repguard.sessions"], now=utcnow)
    with ctx.sessions() as session, session.begin():
        opened = group_pending(session, ctx)
    assert len(opened) == 2
    big, small = sorted(opened, key=lambda i: -i.size)
    return {"outage": big.id, "login": small.id}


def test_incident_page_shows_volume_languages_phrases_reach_and_cases(
        client: FlaskClient, auth: Any, seeded: dict[str, int], db: Session) -> None:
    auth.login("agent")
    listing = client.get("/incidents").get_data(as_text=True)
    assert f"/incidents/{seeded['outage']}" in listing and f"/incidents/{seeded['login']}" in listing
    page = client.get(f"/incidents/{seeded['outage']}").get_data(as_text=True)
    assert "<svg" in page and "by language" in page
    assert "en 15<" in page and "fr 9<" in page, page[page.find("languages:"):][:300]  # languages with counts
    assert "no signal" in page  # a top phrase
    reach = sum(1000 + i for i in range(24))
    assert f"{reach:,}" in page
    case_ids = list(db.scalars(select(Case.id)))
    assert len(case_ids) == 6 and all(f"/cases/{cid}" in page for cid in case_ids)


def test_merge_split_and_close_by_an_agent_are_audited(
        client: FlaskClient, auth: Any, seeded: dict[str, int], db: Session) -> None:
    auth.login("agent")
    outage, login = seeded["outage"], seeded["login"]
    resp = client.post(f"/incidents/{login}/merge", data={"target": str(outage)})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/incidents/{outage}")
    db.expire_all()
    assert db.get(Incident, login).state == "merged"  # type: ignore[union-attr]
    assert db.get(Incident, outage).size == 36  # type: ignore[union-attr]
    moved = [m.id for m in db.scalars(select(Mention).join(IncidentMention, IncidentMention.mention_id == Mention.id)
                                      .where(Mention.text.contains("login")))]
    resp = client.post(f"/incidents/{outage}/split", data={"mention_id": [str(i) for i in moved]})
    new_id = int(resp.headers["Location"].rsplit("/", 1)[1])
    db.expire_all()
    assert db.get(Incident, new_id).size == 12 and db.get(Incident, outage).size == 24  # type: ignore[union-attr]
    assert client.post(f"/incidents/{new_id}/close").status_code == 302
    again = client.post(f"/incidents/{new_id}/close", follow_redirects=True).get_data(as_text=True)
    assert "Only an open incident can be closed" in again
    actions = [e.action for e in db.scalars(select(AuditEvent).order_by(AuditEvent.id)) if "incident" in e.action]
    assert actions == ["incident_merge", "incident_split", "incident_close"]


def test_incident_actions_need_login_and_a_role(client: FlaskClient, auth: Any, seeded: dict[str, int]) -> None:
    url = f"/incidents/{seeded['outage']}/close"
    assert client.post(url).headers["Location"].startswith("/login")
    auth.login("guest")
    assert client.post(url).status_code == 403
    assert client.get("/incidents").status_code == 403
    assert client.get("/recurring").status_code == 403


def test_recurring_problems_rank_the_largest_groups_with_examples_and_cases(
        client: FlaskClient, auth: Any, seeded: dict[str, int]) -> None:
    auth.login("agent")
    page = client.get("/recurring?days=30").get_data(as_text=True)
    assert "last 30 days" in page and page.count('class="card problem"') >= 2
    sizes = [int(n) for n in re.findall(r"<small>(\d+) mentions", page)]
    # largest first; every complaint lands in a group (the shipped encoder keeps French apart from English)
    assert sizes == sorted(sizes, reverse=True) and sum(sizes) == 36 and 12 in sizes, sizes
    assert "/cases/" in page and "<svg" in page
    assert "last 7 days" in client.get("/recurring?days=13").get_data(as_text=True)  # only 7/30/90


def test_holding_statement_from_the_incident_page(
        client: FlaskClient, auth: Any, seeded: dict[str, int], db: Session) -> None:
    from monitor.models import HoldingStatement, Post

    outage = seeded["outage"]
    auth.login("agent")
    resp = client.post(f"/incidents/{outage}/statements", follow_redirects=True, data={
        "language": "fr", "text": "Nous connaissons la panne du réseau et la réparons.", "submit": "1"})
    assert "The fr statement was submitted for approval." in resp.get_data(as_text=True)
    statement = db.scalars(select(HoldingStatement)).one()
    assert client.post(f"/statements/{statement.id}/approve").status_code == 403  # agents do not approve
    auth.logout()
    auth.login("approver")
    page = client.post(f"/statements/{statement.id}/approve", follow_redirects=True).get_data(as_text=True)
    assert "Approved: 9 replies queued." in page and "queued 9" in page
    again = client.post(f"/statements/{statement.id}/approve", follow_redirects=True).get_data(as_text=True)
    assert "Only a submitted statement can be approved" in again
    page = client.post(f"/statements/{statement.id}/cancel", follow_redirects=True).get_data(as_text=True)
    assert "9 replies will not be sent" in page
    db.expire_all()
    assert {p.status for p in db.scalars(select(Post))} == {"cancelled"}
