"""Roles on every route, CSRF on every state change, CSP, and escaping of untrusted text."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from monitor.models import Case, Draft, Mention
from web import create_app

TEMPLATES = Path(__file__).resolve().parents[2] / "web" / "templates"
HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script>'

# (method, path, minimum role); {case}, {draft}, {post} are filled per test.
ROUTES = [
    ("GET", "/", "agent"),
    ("GET", "/cases/{case}", "agent"),
    ("GET", "/dashboard", "agent"),
    ("GET", "/rules", "agent"),
    ("GET", "/approvals", "approver"),
    ("GET", "/audit", "approver"),
    ("POST", "/cases/{case}/assign", "agent"),
    ("POST", "/cases/{case}/close", "agent"),
    ("POST", "/cases/{case}/drafts", "agent"),
    ("POST", "/cases/bulk", "agent"),
    ("POST", "/api/check", "agent"),
    ("POST", "/drafts/{draft}/review", "approver"),
    ("POST", "/posts/1/retry", "approver"),
    ("POST", "/rules/check", "approver"),
]
RANK = {"outsider": -1, "guest": -1, "agent": 0, "approver": 1}


@pytest.fixture
def ids(make_draft: Callable[..., Draft]) -> dict[str, int]:
    draft = make_draft()
    return {"case": draft.case_id, "draft": draft.id}


@pytest.mark.parametrize("role", ["outsider", "guest", "agent", "approver"])
def test_every_route_enforces_its_role(
    role: str, client: FlaskClient, auth: Any, ids: dict[str, int]
) -> None:
    if role != "outsider":
        auth.login(role)
    for method, path, needed in ROUTES:
        url = path.format(**ids)
        resp = client.open(url, method=method, json={"text": "hi"} if "api" in url else None)
        if role == "outsider":
            assert resp.status_code in (302, 401), url
            assert (
                resp.status_code == 401
                if url.startswith("/api/")
                else resp.headers["Location"].startswith("/login")
            )
        elif RANK[role] < RANK[needed]:
            assert resp.status_code == 403, url
        else:
            assert resp.status_code < 500 and resp.status_code != 403, (url, resp.status_code)


def test_every_post_route_requires_a_csrf_token(app_config: dict[str, Any]) -> None:
    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    client = app.test_client()
    posts = [r for r in app.url_map.iter_rules() if "POST" in (r.methods or set())]
    assert len(posts) >= 10
    for rule in posts:
        url = re.sub(r"<int:\w+>", "1", rule.rule)
        resp = client.post(url, data={})
        assert resp.status_code == 400, url
        assert b"Reload the page" in resp.data or b"CSRF" in resp.data
    app.extensions["repguard.engine"].dispose()


def test_csp_and_security_headers(client: FlaskClient, auth: Any, ids: dict[str, int]) -> None:
    auth.login("approver")
    for url in ("/", f"/cases/{ids['case']}", "/approvals", "/dashboard", "/rules", "/audit", "/login"):
        resp = client.get(url)
        csp = resp.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
        assert resp.headers["X-Frame-Options"] == "DENY"


def test_templates_have_no_inline_script_or_handlers() -> None:
    for path in TEMPLATES.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), path
        assert not re.search(r"\son[a-z]+\s*=", html), path
        assert "style=" not in html, path


def test_untrusted_text_is_escaped_everywhere(
    client: FlaskClient,
    auth: Any,
    make_mention: Callable[..., Mention],
    make_case: Callable[..., Case],
    make_draft: Callable[..., Draft],
) -> None:
    mention = make_mention(HOSTILE, author_name=HOSTILE, author_handle="<b>x</b>", url="javascript:alert(3)")
    case = make_case(mention)
    make_draft(HOSTILE, case=case)
    auth.login("approver")
    for url in ("/", f"/cases/{case.id}", "/approvals", "/audit"):
        body = client.get(url).get_data(as_text=True)
        assert "<img src=x" not in body and "<script>alert" not in body and "<b>x</b>" not in body, url
        assert 'href="javascript:' not in body, url
    body = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "&lt;img src=x onerror=" in body
    assert 'href="javascript:' not in body


def test_bidi_overrides_are_shown_not_applied(
    client: FlaskClient, auth: Any, make_mention: Callable[..., Mention], make_case: Callable[..., Case]
) -> None:
    case = make_case(make_mention("refund \u202eexe.pdf", author_name="Eve \u202egnp.exe"))
    auth.login("agent")
    body = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "\u202e" not in body
    assert "Eve [U+202E]gnp.exe" in body and "refund [U+202E]exe.pdf" in body


def test_unknown_pages_get_a_friendly_404(client: FlaskClient, auth: Any, app: Flask) -> None:
    auth.login("agent")
    resp = client.get("/cases/99999")
    assert resp.status_code == 404 and b"There is nothing here" in resp.data
    resp = client.post("/api/check", data="not json", content_type="text/plain")
    assert resp.status_code == 400 and "error" in resp.get_json()


def test_every_page_and_api_route_is_documented(app: Flask) -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "web.md").read_text(encoding="utf-8")
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or (
            "GET" not in (rule.methods or set()) and not rule.rule.startswith("/api/")
        ):
            continue
        path = re.sub(r"<int:(\w+)>", r"<id>", rule.rule)
        assert f"`{path}`" in docs or f"`POST {path}`" in docs or path in ("/login", "/logout"), path
