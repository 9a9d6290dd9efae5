"""Audit log: who did what, when; visible to approvers and admins."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient

from monitor.models import Case, Draft


def test_audit_log_lists_actions(
    client: FlaskClient, auth: Any, make_case: Callable[..., Case], make_draft: Callable[..., Draft]
) -> None:
    case = make_case()
    draft = make_draft()
    auth.login("agent")
    client.post(f"/cases/{case.id}/assign", data={"assign_to": "me"})
    auth.logout()
    auth.login("approver")
    client.post(f"/drafts/{draft.id}/review", data={"decision": "approve", "version_hash": draft.content_hash})
    body = client.get("/audit").get_data(as_text=True)
    for action in ("assign", "draft", "submit", "approve"):
        assert f"<td>{action}</td>" in body, action
    assert "<td>login</td>" not in body and "3 sign-in and sign-out events are folded away" in body
    # objects are links with text, not bare ids
    assert f'href="/cases/{case.id}">case {case.id}: @' in body
    assert f'href="/cases/{draft.case_id}#draft-{draft.id}">draft on case {draft.case_id}: “Hi, sorry' in body
    signins = client.get("/audit?signins=1").get_data(as_text=True)
    assert "<td>login</td>" in signins and "<td>logout</td>" in signins
    filtered = client.get("/audit?action=assign&user=agent").get_data(as_text=True)
    assert "<td>assign</td>" in filtered and "<td>approve</td>" not in filtered
    assert client.get("/audit?before=abc").status_code == 200
    assert "<td>approve</td>" not in client.get("/audit?before=1").get_data(as_text=True)


def test_agents_cannot_read_the_audit_log(client: FlaskClient, auth: Any) -> None:
    auth.login("agent")
    resp = client.get("/audit")
    assert resp.status_code == 403 and b"Your role does not allow this" in resp.data
