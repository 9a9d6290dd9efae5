"""Sign-in, sign-out, rate limiting and session cookie settings."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.models import AuditEvent
from web import create_app


def test_login_page_renders(client: FlaskClient) -> None:
    assert b"Sign in" in client.get("/login").data


def test_login_success_redirects_and_is_audited(auth: Any, db: Session) -> None:
    resp = auth.login("agent")
    assert resp.status_code == 302 and resp.headers["Location"] == "/"
    assert db.scalars(select(AuditEvent).where(AuditEvent.action == "login")).first() is not None


def test_wrong_password_gets_a_clear_message(auth: Any) -> None:
    resp = auth.login("agent", "wrong-password")
    assert resp.status_code == 401
    assert b"Unknown username or wrong password." in resp.data


def test_login_attempts_are_rate_limited(auth: Any, app: Any) -> None:
    for _ in range(app.config["LOGIN_ATTEMPTS"]):
        assert auth.login("agent", "nope").status_code == 401
    resp = auth.login("agent")
    assert resp.status_code == 429
    assert b"Too many failed attempts" in resp.data


def test_next_only_follows_local_paths(client: FlaskClient, auth: Any) -> None:
    from tests.web.conftest import password_of

    data = {"username": "agent", "password": password_of("agent")}
    resp = client.post("/login?next=//evil.example/x", data=data)
    assert resp.headers["Location"] == "/"
    client.post("/logout")
    resp = client.post("/login?next=/dashboard", data=data)
    assert resp.headers["Location"] == "/dashboard"


def test_outsider_is_sent_to_login(client: FlaskClient) -> None:
    resp = client.get("/")
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/login")


def test_logout_ends_the_session(auth: Any, client: FlaskClient, db: Session) -> None:
    auth.login("agent")
    assert auth.logout().status_code == 302
    assert client.get("/").status_code == 302
    assert db.scalars(select(AuditEvent).where(AuditEvent.action == "logout")).first() is not None


def test_session_cookie_is_httponly_and_samesite(auth: Any, client: FlaskClient) -> None:
    cookie = auth.login("agent").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_behind_tls_proxy_cookies_are_secure(app_config: dict[str, Any]) -> None:
    from tests.web.conftest import password_of
    from web.auth import hash_password

    app = create_app({**app_config, "TRUST_PROXY": True})
    with app.extensions["repguard.sessions"]() as session:
        from monitor.models import User

        session.add(User(username="tls", role="agent", password_hash=hash_password(password_of("tls"))))
        session.commit()
    client = app.test_client()
    resp = client.post(
        "/login",
        data={"username": "tls", "password": password_of("tls")},
        headers={"X-Forwarded-Proto": "https"},
    )
    assert "Secure" in resp.headers["Set-Cookie"]
    assert resp.headers["Strict-Transport-Security"].startswith("max-age=")
    app.extensions["repguard.engine"].dispose()


def test_rules_file_can_come_from_repguard_rules(app_config: dict[str, Any], rules_path: Any) -> None:
    config = {k: v for k, v in app_config.items() if k != "RULES_PATH"}
    rules_path.write_text(rules_path.read_text().replace("Lumen Mobile", "Other Brand"))
    app = create_app({**config, "RULES": str(rules_path)})
    assert app.extensions["repguard.rules"].brands[0].name == "Other Brand"
    app.extensions["repguard.engine"].dispose()


def test_oversized_requests_get_a_clear_413(client: FlaskClient, auth: Any) -> None:
    auth.login("agent")
    resp = client.post("/cases/bulk", data={"case_id": "1" * 1_100_000})
    assert resp.status_code == 413 and b"What you sent is too large." in resp.data
