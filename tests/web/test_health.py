"""Health page: source state, failed alerts (with retry for approvers) and failed posts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.mention import Mention as Record
from monitor.models import AlertDelivery, Case, DeadLetter, Mention, SourceState, WebhookState, utcnow
from monitor.quarantine import encode


def failed_alert(db: Session, case: Case) -> AlertDelivery:
    row = AlertDelivery(mention_id=case.mention_id, case_id=case.id, channel="support", status="failed",
                        attempts=1, last_error="Slack rejected the message (HTTP 404: no_service)")
    db.add(row)
    db.add(SourceState(name="replay", checkpoint={}, items_read=7, last_error="mentions.jsonl:3: invalid JSON",
                       last_success_at=utcnow()))
    db.commit()
    return row


def test_health_shows_sources_and_failed_alerts(auth: Any, client: Any, db: Session,
                                                make_case: Callable[..., Case]) -> None:
    row = failed_alert(db, make_case())
    auth.login("agent")
    html = client.get("/health").get_data(as_text=True)
    assert "mentions.jsonl:3: invalid JSON" in html and "no_service" in html
    assert f"/alerts/{row.id}/retry" not in html  # agents see it, approvers fix it
    case_html = client.get(f"/cases/{row.case_id}").get_data(as_text=True)
    assert "#support · failed" in case_html and "no_service" in case_html


def test_approver_retries_a_failed_alert(auth: Any, client: Any, db: Session,
                                         make_case: Callable[..., Case]) -> None:
    row = failed_alert(db, make_case())
    auth.login("agent")
    assert client.post(f"/alerts/{row.id}/retry").status_code == 403
    auth.logout()
    auth.login("approver")
    assert client.post(f"/alerts/{row.id}/retry").status_code == 302
    db.expire_all()
    assert db.get(AlertDelivery, row.id).status == "pending"  # type: ignore[union-attr]
    again = client.post(f"/alerts/{row.id}/retry", follow_redirects=True)
    assert "only a failed or unconfirmed alert can be retried" in again.get_data(as_text=True).lower()


def test_health_needs_login(client: Any) -> None:
    assert client.get("/health").status_code == 302


def test_health_shows_quarantine_paused_webhooks_and_stalled_sources(auth: Any, client: Any, db: Session) -> None:
    now = utcnow()
    record = Record(platform="x", external_id="q1", text="Acme <b>late</b> again", author_handle="u", created_at=now)
    payload, _ = encode(record)
    dead = DeadLetter(source="replay", platform="x", external_id="q1", origin="mentions.jsonl:12",
                      error="CheckViolation: no_poison", payload=payload)
    db.add_all([dead, WebhookState(key="SLACK_WEBHOOK_SUPPORT", paused_until=now + timedelta(minutes=5),
                                   last_error="Slack rate limit (HTTP 429)"),
                SourceState(name="replay", checkpoint={}, last_success_at=now - timedelta(hours=2),
                            last_error="cannot read replay file")])
    db.commit()
    auth.login("agent")
    html = client.get("/health").get_data(as_text=True)
    assert "mentions.jsonl:12" in html and "no_poison" in html and "SLACK_WEBHOOK_SUPPORT" in html
    assert "stalled: no successful poll for 120 min" in html
    assert f"/quarantine/{dead.id}/retry" not in html
    assert client.post(f"/quarantine/{dead.id}/retry").status_code == 403
    auth.logout()
    auth.login("approver")
    assert client.post(f"/quarantine/{dead.id}/retry").status_code == 302
    db.expire_all()
    assert db.get(DeadLetter, dead.id).status == "retried"  # type: ignore[union-attr]
    assert db.scalars(select(Mention).where(Mention.external_id == "q1")).one().text == "Acme <b>late</b> again"
    assert "<b>late</b>" not in client.get("/health").get_data(as_text=True)
