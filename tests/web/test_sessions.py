"""Sessions: revoked server-side, rotated at sign-in, idle-limited; sign-in attempts limited in the database."""

from __future__ import annotations

import gc
import io
import time
import tracemalloc
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import TimestampSigner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from monitor.models import AuditEvent, LoginThrottle, User, utcnow
from tests.web.conftest import AuthActions, password_of
from web import create_app, throttle
from web.cli import main


def _cookie(client: FlaskClient) -> str:
    found = client.get_cookie("session")
    assert found is not None
    return found.value


def _replay(app: Flask, cookie: str) -> int:
    """Send a saved session cookie from a fresh browser; return the status of the inbox."""
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other.get("/").status_code


@pytest.fixture
def cli_env(app_config: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the command line at the app's database."""
    monkeypatch.setenv("REPGUARD_DATABASE_URL", app_config["DATABASE_URL"])


def test_cookie_saved_before_logout_is_refused_after(app: Flask, client: FlaskClient, auth: AuthActions) -> None:
    auth.login("agent")
    saved = _cookie(client)
    assert _replay(app, saved) == 200
    auth.logout()
    assert _replay(app, saved) == 302


def test_password_reset_ends_old_sessions(app: Flask, client: FlaskClient, auth: AuthActions, cli_env: None,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    auth.login("agent")
    saved = _cookie(client)
    monkeypatch.setattr("sys.stdin", io.StringIO("a-brand-new-password\n"))
    assert main(["users", "add", "agent", "--role", "agent", "--password-stdin"]) == 0
    assert _replay(app, saved) == 302
    assert auth.login("agent", "a-brand-new-password").status_code == 302


def test_users_disable_ends_sessions_and_sign_in(app: Flask, client: FlaskClient, auth: AuthActions, cli_env: None,
                                                 db: Session, capsys: pytest.CaptureFixture[str]) -> None:
    auth.login("agent2")
    saved = _cookie(client)
    assert main(["users", "disable", "agent2"]) == 0
    assert _replay(app, saved) == 302
    assert auth.login("agent2").status_code == 401
    assert db.scalars(select(AuditEvent).where(AuditEvent.action == "user_disabled")).first() is not None
    assert main(["users", "disable", "nobody-here"]) == 2
    assert "no user named 'nobody-here'" in capsys.readouterr().err


def test_session_is_rotated_at_sign_in(app_config: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Any,
                                       db: Session) -> None:
    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    client = app.test_client()
    client.get("/login")
    with client.session_transaction() as sess:
        before = sess["csrf_token"]
    resp = client.post("/login", data={"username": "agent", "password": password_of("agent"),
                                       "csrf_token": _token(client)})
    assert resp.status_code == 302
    with client.session_transaction() as sess:
        assert sess.get("csrf_token") != before
        assert sess.permanent


def _token(client: FlaskClient) -> str:
    import re

    html = client.get("/login").get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def test_idle_sessions_expire_after_the_configured_lifetime(app: Flask, client: FlaskClient, auth: AuthActions,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    assert app.permanent_session_lifetime == timedelta(hours=12)
    auth.login("agent")
    assert client.get("/").status_code == 200
    later = int(time.time()) + 12 * 3600 + 60
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)
    # The cookie was signed 12 h ago as far as the server can tell: it is refused, not renewed.
    assert app.test_client().get("/").status_code == 302
    other = app.test_client()
    other.set_cookie("session", _cookie(client))
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later + 60)
    assert other.get("/").status_code == 302


def test_unknown_users_cost_a_password_check(auth: AuthActions, monkeypatch: pytest.MonkeyPatch) -> None:
    checked: list[str] = []
    import web.auth

    real = web.auth.check_password_hash
    monkeypatch.setattr(web.auth, "check_password_hash", lambda h, p: checked.append(p) or real(h, p))
    assert auth.login("no-such-user", "some-password").status_code == 401
    assert checked == ["some-password"]


def test_overlong_credentials_are_refused_before_any_work(auth: AuthActions, monkeypatch: pytest.MonkeyPatch,
                                                          db: Session) -> None:
    import web.auth

    monkeypatch.setattr(web.auth, "check_password_hash", lambda h, p: pytest.fail("hashed an over-long input"))
    assert auth.login("a" * 81, "x").status_code == 400
    assert auth.login("agent", "x" * 1025).status_code == 400


def test_per_address_limit_blocks_many_usernames(app: Flask, client: FlaskClient, auth: AuthActions) -> None:
    codes = [auth.login(f"guess{i}", "nope").status_code for i in range(25)]
    assert codes[: app.config["LOGIN_ATTEMPTS_PER_ADDRESS"]] == [401] * app.config["LOGIN_ATTEMPTS_PER_ADDRESS"]
    assert set(codes[app.config["LOGIN_ATTEMPTS_PER_ADDRESS"]:]) == {429}
    assert auth.login("agent").status_code == 429  # even the right password, from this address, for now


def test_per_account_limit_holds_across_addresses(app: Flask) -> None:
    for i in range(app.config["LOGIN_ATTEMPTS"]):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.0.0.{i}"
        assert AuthActions(client).login("approver", "nope").status_code == 401
    fresh = app.test_client()
    fresh.environ_base["REMOTE_ADDR"] = "10.9.9.9"
    assert AuthActions(fresh).login("approver").status_code == 429


def test_limit_is_shared_by_every_web_process(app: Flask, app_config: dict[str, Any]) -> None:
    other = create_app(app_config)  # a second server on the same database
    for _ in range(app.config["LOGIN_ATTEMPTS"]):
        assert AuthActions(app.test_client()).login("agent", "nope").status_code == 401
    assert AuthActions(other.test_client()).login("agent").status_code == 429
    other.extensions["repguard.engine"].dispose()


def test_blocks_back_off_and_expire(db: Session) -> None:
    key, window, now = throttle.key_of("account", "x"), timedelta(minutes=5), utcnow()
    for _ in range(5):
        throttle.record_failure(db, key, 5, window, now)
    first = throttle.blocked_until(db, [key], now)
    assert first == now + window
    assert throttle.blocked_until(db, [key], first + timedelta(seconds=1)) is None
    throttle.record_failure(db, key, 5, window, first + timedelta(seconds=1))  # right after: twice as long
    second = throttle.blocked_until(db, [key], first + timedelta(seconds=2))
    assert second == first + timedelta(seconds=1) + 2 * window
    quiet = second + 2 * window
    throttle.record_failure(db, key, 5, window, quiet)  # long quiet: counting starts afresh
    assert throttle.blocked_until(db, [key], quiet) is None


def test_limiter_memory_is_bounded_under_10000_long_usernames(db: Session) -> None:
    window, now = timedelta(minutes=5), utcnow()

    def fail(i: int) -> None:
        throttle.record_failure(db, throttle.key_of("account", f"{i}-" + "u" * 2_000), 5, window, now)

    for i in range(9_000):
        fail(i)
    db.commit()
    gc.collect()
    tracemalloc.start()  # traced for the last 1,000 only: tracing is slow, and growth per key shows in any 1,000
    base = tracemalloc.take_snapshot()
    for i in range(9_000, 10_000):
        fail(i)
    db.commit()
    db.expunge_all()
    gc.collect()
    grown = sum(s.size_diff for s in tracemalloc.take_snapshot().compare_to(base, "filename"))
    tracemalloc.stop()
    assert grown < 500_000  # 2 MB of usernames went in; nothing of them stays in the process
    assert db.scalar(select(func.count()).select_from(LoginThrottle)) == 10_000
    assert db.scalar(select(func.max(func.length(LoginThrottle.key)))) == 64
    # Once the window has passed, the next failure prunes every stale row.
    throttle.record_failure(db, throttle.key_of("account", "late"), 5, window, now + 2 * window)
    db.commit()
    assert db.scalar(select(func.count()).select_from(LoginThrottle)) == 1


def test_huge_usernames_over_http_leave_nothing_behind(app: Flask, db: Session) -> None:
    for i in range(80):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.1.{i // 250}.{i % 250}"
        assert AuthActions(client).login(f"{i}" + "u" * 450_000, "x").status_code == 400
    keys = db.scalars(select(LoginThrottle.key)).all()
    assert len(keys) == 80 and {len(k) for k in keys} == {64}
    assert db.scalar(select(func.count()).select_from(User)) == 6


@pytest.mark.parametrize("target", ["/\\evil.example/x", "/%5Cevil.example", "/\\\\evil.example", "/\tx"])
def test_sign_in_never_redirects_off_site(client: FlaskClient, target: str) -> None:
    resp = client.post("/login", query_string={"next": target},
                       data={"username": "agent", "password": password_of("agent")})
    assert resp.status_code == 302 and resp.headers["Location"] in ("/", "/%5Cevil.example")
