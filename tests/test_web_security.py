"""Web basics: sign-in, roles, CSRF and escaping of hostile mention text, on a real SQLite database."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from monitor.context import Context
from monitor.db import make_engine, make_sessionmaker, transaction
from monitor.models import User
from monitor.pipeline import Pipeline
from monitor.rules import load_rules
from tests.conftest import RULES_YAML, record, write_jsonl
from web import create_app
from web.auth import hash_password

HOSTILE = ('<script>alert(1)</script> Acme "onmouseover=alert(2) x=" terrible awful furious '
           '<img src=x onerror=alert(3)> \u202eevil\u202c')


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    (tmp_path / "rules.yaml").write_text(RULES_YAML)
    write_jsonl(tmp_path / "mentions.jsonl", [record(1, HOSTILE, author={"handle": "<b>bad</b>", "followers": 3})])
    url = f"sqlite:///{tmp_path / 'web.db'}"
    app = create_app({"TESTING": True, "DATABASE_URL": url, "RULES_PATH": str(tmp_path / "rules.yaml"),
                      "SECRET_KEY": "test"})
    sessions = make_sessionmaker(make_engine(url))
    with transaction(sessions) as s:
        for name, role in (("ann", "agent"), ("abe", "approver"), ("out", "agent")):
            s.add(User(username=name, role=role, password_hash=hash_password("password-" + name),
                       active=name != "out"))
    Pipeline(Context(rules=load_rules(tmp_path / "rules.yaml"), sessions=sessions,
                     env={"REPGUARD_HOME": str(tmp_path)})).run_once()
    return app


def csrf(client: FlaskClient, path: str = "/login") -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, html
    return match.group(1)


def login(client: FlaskClient, name: str) -> int:
    token = csrf(client)
    resp = client.post("/login", data={"username": name, "password": "password-" + name, "csrf_token": token})
    return resp.status_code


def test_pages_need_login(app: Flask) -> None:
    client = app.test_client()
    for path in ("/", "/cases/1", "/approvals"):
        resp = client.get(path)
        assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_login_success_failure_and_inactive(app: Flask) -> None:
    client = app.test_client()
    assert login(client, "ann") == 302
    assert client.get("/").status_code == 200
    other = app.test_client()
    bad = other.post("/login", data={"username": "ann", "password": "nope", "csrf_token": csrf(other)})
    assert bad.status_code == 401 and "wrong password" in bad.get_data(as_text=True)
    assert login(app.test_client(), "out") == 401


def test_login_attempts_are_rate_limited(app: Flask) -> None:
    client = app.test_client()
    for _ in range(5):
        client.post("/login", data={"username": "abe", "password": "x", "csrf_token": csrf(client)})
    resp = client.post("/login", data={"username": "abe", "password": "password-abe", "csrf_token": csrf(client)})
    assert resp.status_code == 429


def test_post_without_csrf_token_is_refused(app: Flask) -> None:
    client = app.test_client()
    assert client.post("/login", data={"username": "ann", "password": "password-ann"}).status_code == 400
    login(client, "ann")
    resp = client.post("/cases/1/assign")
    assert resp.status_code == 400 and "Reload the page" in resp.get_data(as_text=True)


def test_roles_are_enforced(app: Flask) -> None:
    agent = app.test_client()
    login(agent, "ann")
    assert agent.get("/approvals").status_code == 403
    approver = app.test_client()
    login(approver, "abe")
    assert approver.get("/approvals").status_code == 200


def test_hostile_mention_text_is_escaped(app: Flask) -> None:
    client = app.test_client()
    login(client, "ann")
    for path in ("/", "/cases/1"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>alert(1)" not in html and "<img src=x" not in html and "<b>bad</b>" not in html
        assert "&lt;script&gt;" in html or "&lt;img" in html
    html = client.get("/cases/1").get_data(as_text=True)
    assert "&#34;onmouseover=alert(2)" in html
    assert "\u202e" not in html and "[U+202E]" in html  # shown, never applied to the page


def test_security_headers(app: Flask) -> None:
    resp = app.test_client().get("/login")
    csp = resp.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert resp.headers["X-Frame-Options"] == "DENY"
    client = app.test_client()
    login(client, "ann")
    cookie = next(c for c in client._cookies.values() if c.key == "session")  # type: ignore[attr-defined]
    assert cookie.http_only and cookie.same_site == "Lax"
