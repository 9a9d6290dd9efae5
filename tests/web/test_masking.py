"""Personal data from mentions is masked on every page; approvers reveal it with one audited click."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.models import AuditEvent, Case, Draft, Mention
from monitor.privacy import detect
from monitor.rules import load_rules
from tests.test_privacy import LEAKY, leaks

BLOCKED = "You are an idiot. Calm down."


@pytest.fixture
def leaky_case(make_mention: Callable[..., Mention], make_case: Callable[..., Case], db: Session,
               rules_path: Any) -> Case:
    """A case whose mention exposes a card, an SSN, an email and a phone; an earlier post by the same author."""
    first = make_mention(f"earlier: {LEAKY}", author_id="same", author_handle="jane")
    first.pii_spans = detect(first.text, load_rules(rules_path).moderation)  # as the scorer stores them
    db.commit()
    return make_case(make_mention(LEAKY, author_id="same", author_handle="jane"))  # spans not stored: found now


def _page(client: FlaskClient, path: str) -> str:
    resp = client.get(path)
    assert resp.status_code == 200, path
    return resp.get_data(as_text=True)


def test_no_page_shows_the_values(client: FlaskClient, auth: Any, leaky_case: Case,
                                  make_draft: Callable[..., Draft], rules_path: Any) -> None:
    draft = make_draft(case=leaky_case)
    auth.login("approver")
    client.post(f"/drafts/{draft.id}/review", data={"decision": "reject", "comment": "no: 415-555-0132 ok?"})
    backtest = client.post("/rules/check", data={"text": rules_path.read_text(), "days": "7"}).get_data(as_text=True)
    pages = {p: _page(client, p) for p in ("/", "/?state=all", f"/cases/{leaky_case.id}", "/approvals", "/audit",
                                            "/dashboard")}
    pages["backtest"] = backtest
    for path, html in pages.items():
        assert leaks(html) == [], path
    case_page = pages[f"/cases/{leaky_case.id}"]
    assert "[card ending 1111]" in case_page and "Personal data hidden: card ending 1111, SSN" in case_page


def test_approver_reveals_with_one_audited_click(client: FlaskClient, auth: Any, leaky_case: Case,
                                                 db: Session) -> None:
    auth.login("approver")
    html = client.post(f"/cases/{leaky_case.id}/reveal").get_data(as_text=True)
    assert "4111 1111 1111 1111" in html and "536-22-1234" in html
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "reveal_pii")).one()
    assert event.object_id == str(leaky_case.id)
    assert leaks(_page(client, f"/cases/{leaky_case.id}")) == []  # the next view is masked again


def test_agents_cannot_reveal(client: FlaskClient, auth: Any, leaky_case: Case, db: Session) -> None:
    auth.login("agent")
    assert "Reveal" not in _page(client, f"/cases/{leaky_case.id}")
    assert client.post(f"/cases/{leaky_case.id}/reveal").status_code == 403
    assert client.get(f"/cases/{leaky_case.id}/reveal").status_code == 405
    assert db.scalars(select(AuditEvent).where(AuditEvent.action == "reveal_pii")).first() is None


def test_pages_are_not_stored_by_browsers(client: FlaskClient, auth: Any, leaky_case: Case) -> None:
    auth.login("agent")
    for path in ("/", f"/cases/{leaky_case.id}", "/dashboard"):
        assert client.get(path).headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("reason", ["\u200b", " \u2060 \u200b ", "\u202e"])
def test_override_reason_needs_visible_text(client: FlaskClient, auth: Any, make_draft: Callable[..., Draft],
                                            reason: str) -> None:
    draft = make_draft(BLOCKED)
    auth.login("approver")
    html = client.post(f"/drafts/{draft.id}/review", data={"decision": "approve", "override_reason": reason,
                                                                  "version_hash": draft.content_hash},
                       follow_redirects=True).get_data(as_text=True)
    assert "needs an override reason" in html


@pytest.mark.parametrize(("guess", "wrong"), [
    ("4111 1111 1111 1111", "4000 0000 0000 0002"), ("4111111111111111", "4000000000000002"),
    ("536-22-1234", "123-45-6789"), ("415-555-0132", "212-555-0199"), ("jane.doe@gmail.com", "nobody@example.org"),
])
def test_search_cannot_confirm_a_guessed_value(client: FlaskClient, auth: Any, leaky_case: Case, guess: str,
                                               wrong: str) -> None:
    """Searching for a card, SSN, phone or email would tell whether a case holds it: the search is refused."""
    auth.login("agent")
    pages = {}
    for q in (guess, wrong):
        html = client.get("/", query_string={"q": q, "state": "all"}).get_data(as_text=True)
        assert "Searching for a card, SSN, phone number or email is not allowed" in html
        pages[q] = re.findall(r'data-case-id="(\d+)"', html)
        export = client.get("/export/cases.csv", query_string={"q": q, "state": "all"}).get_data(as_text=True)
        pages[q + " csv"] = export.splitlines()[1:]
    assert pages[guess] == pages[wrong] and str(leaky_case.id) in pages[guess]
    assert pages[guess + " csv"] == pages[wrong + " csv"]
    by_name = client.get("/", query_string={"q": "jane", "state": "all"}).get_data(as_text=True)
    assert "not allowed" not in by_name and f'data-case-id="{leaky_case.id}"' in by_name
