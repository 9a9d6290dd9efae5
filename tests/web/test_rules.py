"""Rules page: read-only view, located validation errors, backtest, admin-only save."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.models import AuditEvent, Mention


def test_current_rules_are_shown_read_only(client: FlaskClient, auth: Any) -> None:
    auth.login("agent")
    body = client.get("/rules").get_data(as_text=True)
    assert "influencer-negative" in body and "Approvers and admins can validate" in body
    assert client.post("/rules/check", data={"text": "x"}).status_code == 403


def test_validation_errors_are_located(client: FlaskClient, auth: Any, rules_path: Path) -> None:
    auth.login("approver")
    text = rules_path.read_text().replace("{negative_min: 0.2,", "{negatve_min: 0.2,", 1)
    resp = client.post("/rules/check", data={"text": text, "days": "7"})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "rules.yaml:" in body and "unknown key &#39;negatve_min&#39;" in body and "did you mean" in body
    resp = client.post("/rules/check", data={"text": "brands: [unclosed"})
    assert resp.status_code == 400 and "invalid YAML" in resp.get_data(as_text=True)


def test_backtest_shows_where_mentions_would_go(
    client: FlaskClient, auth: Any, rules_path: Path, make_mention: Callable[..., Mention]
) -> None:
    make_mention("bill doubled again", author_followers=50_000)
    make_mention("slow support", author_followers=10)
    auth.login("approver")
    text = rules_path.read_text().replace("min_followers: 10000", "min_followers: 100000")
    body = client.post("/rules/check", data={"text": text, "days": "3"}).get_data(as_text=True)
    assert "Valid. 1 of 2 mentions from the last 3 days would be routed differently." in body
    assert "influencer-negative → inbox (urgent)" in body and "negative → inbox (normal)" in body


def test_only_admins_save(client: FlaskClient, auth: Any, db: Session, rules_path: Path) -> None:
    text = rules_path.read_text().replace("urgent: 15", "urgent: 10")
    auth.login("approver")
    resp = client.post("/rules/check", data={"text": text, "save": "1"}, follow_redirects=True)
    assert b"Only an admin can save rules" in resp.data and "urgent: 15" in rules_path.read_text()
    auth.logout()
    auth.login("admin")
    resp = client.post("/rules/check", data={"text": text, "save": "1"}, follow_redirects=True)
    assert b"Rules saved." in resp.data and "urgent: 10" in rules_path.read_text()
    assert db.scalars(select(AuditEvent).where(AuditEvent.action == "rules_change")).one()


def test_huge_rules_are_refused_politely(client: FlaskClient, auth: Any) -> None:
    auth.login("approver")
    resp = client.post("/rules/check", data={"text": "#" * 200_001})
    assert resp.status_code == 400 and b"The rules are too long" in resp.data
