"""Health page: source state, failed alerts (with retry for approvers) and failed posts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from monitor.models import AlertDelivery, Case, SourceState, utcnow


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
    assert "only a failed alert can be retried" in again.get_data(as_text=True).lower()


def test_health_needs_login(client: Any) -> None:
    assert client.get("/health").status_code == 302
