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
    for action in ("login", "logout", "assign", "draft", "submit", "approve"):
        assert f"<td>{action}</td>" in body, action
    filtered = client.get("/audit?action=assign&user=agent").get_data(as_text=True)
    assert "<td>assign</td>" in filtered and "<td>approve</td>" not in filtered
    assert client.get("/audit?page=abc").status_code == 200


def test_agents_cannot_read_the_audit_log(client: FlaskClient, auth: Any) -> None:
    auth.login("agent")
    resp = client.get("/audit")
    assert resp.status_code == 403 and b"Your role does not allow this" in resp.data
