"""Fixtures for the web UI: an app on a fresh SQLite file, named roles, and row factories."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Browser, sync_playwright
from sqlalchemy.orm import Session

from monitor.models import Case, Draft, Mention, Score, User, utcnow
from monitor.replies import save_draft, submit
from monitor.rules import DEFAULT_RULES, load_rules
from web import create_app
from web.auth import hash_password

ROLES = {
    "agent": "agent",
    "agent2": "agent",
    "approver": "approver",
    "approver2": "approver",
    "admin": "admin",
    "guest": "guest",  # signed in, but with no role the app knows: gets nothing
}
_ids = count(1)


def password_of(username: str) -> str:
    """Return the test password of a named user."""
    return f"pw-{username}-secret"


@pytest.fixture
def rules_path(tmp_path: Path) -> Path:
    """Return a writable copy of the bundled rules.yaml."""
    path = tmp_path / "rules.yaml"
    path.write_text(DEFAULT_RULES.read_text(encoding="utf-8"), encoding="utf-8")
    return path


@pytest.fixture
def app_config(tmp_path: Path, rules_path: Path) -> dict[str, Any]:
    """Return the test configuration (CSRF off; tests that check CSRF turn it on)."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'web.db'}",
        "RULES_PATH": str(rules_path),
        "WTF_CSRF_ENABLED": False,
    }


@pytest.fixture
def app(app_config: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Flask]:
    """Build the app on a fresh database with one user per named role."""
    monkeypatch.setenv("REPGUARD_HOME", str(tmp_path / "instance"))
    application = create_app(app_config)
    with session_of(application) as session:
        for username, role in ROLES.items():
            session.add(
                User(username=username, role=role, password_hash=hash_password(password_of(username)))
            )
        session.commit()
    yield application
    application.extensions["repguard.engine"].dispose()


def session_of(app: Flask) -> Session:
    """Open a database session on the app's engine."""
    session: Session = app.extensions["repguard.sessions"]()
    return session


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    """A session for arranging rows and checking results."""
    with session_of(app) as session:
        yield session


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client."""
    return app.test_client()


class AuthActions:
    """Sign named users in and out."""

    def __init__(self, client: FlaskClient):
        self.client = client

    def login(self, username: str = "agent", password: str | None = None) -> Any:
        """Sign in as a named user."""
        return self.client.post(
            "/login", data={"username": username, "password": password or password_of(username)}
        )

    def logout(self) -> Any:
        """Sign out."""
        return self.client.post("/logout")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    """The sign-in helper."""
    return AuthActions(client)


def user(db: Session, username: str) -> User:
    """Return a named user's row."""
    from sqlalchemy import select

    return db.scalars(select(User).where(User.username == username)).one()


@pytest.fixture
def make_mention(db: Session) -> Callable[..., Mention]:
    """Create a scored mention; keyword arguments override the defaults."""

    def make(
        text: str = "@LumenMobile my bill doubled and nobody can tell me why.",
        *,
        sentiment: str = "negative",
        toxicity: float = 0.05,
        **fields: Any,
    ) -> Mention:
        n = next(_ids)
        values: dict[str, Any] = {
            "source": "replay",
            "platform": "x",
            "external_id": f"ext-{n}",
            "brand": "Lumen Mobile",
            "author_id": f"u{n}",
            "author_handle": f"user{n}",
            "author_name": f"User {n}",
            "author_followers": 100,
            "text": text,
            "language": "en",
            "url": f"https://x.com/user{n}/status/{n}",
            "created_at": utcnow() - timedelta(hours=1),
            "stage": "routed",
        }
        values.update(fields)
        mention = Mention(**values)
        db.add(mention)
        db.flush()
        neg = 0.8 if sentiment == "negative" else 0.1
        db.add(
            Score(
                mention_id=mention.id,
                sentiment=sentiment,
                negative=neg,
                neutral=0.1,
                positive=0.1,
                toxicity=toxicity,
                language="en",
                language_score=0.99,
                backend="test",
            )
        )
        db.commit()
        return mention

    return make


@pytest.fixture
def make_case(db: Session, make_mention: Callable[..., Mention]) -> Callable[..., Case]:
    """Create a case (and its mention unless one is given)."""

    def make(
        mention: Mention | None = None, *, due_in: timedelta = timedelta(hours=2), **fields: Any
    ) -> Case:
        mention = mention or make_mention()
        values: dict[str, Any] = {
            "mention_id": mention.id,
            "rule": "negative",
            "priority": "normal",
            "state": "new",
            "sla_due_at": utcnow() + due_in,
        }
        values.update(fields)
        item = Case(**values)
        db.add(item)
        db.commit()
        return item

    return make


@pytest.fixture
def make_draft(db: Session, make_case: Callable[..., Case], rules_path: Path) -> Callable[..., Draft]:
    """Create a draft checked by the moderation engine, submitted unless told otherwise."""

    def make(
        text: str = "Hi, sorry about this. Please send us a DM and we will sort it out.",
        *,
        case: Case | None = None,
        author: str = "agent",
        submitted: bool = True,
    ) -> Draft:
        case = case or make_case()
        case = db.get(Case, case.id) or case
        writer = user(db, author)
        policy = load_rules(rules_path).moderation
        draft = save_draft(db, case, writer, text, private=False, policy=policy)
        if submitted:
            submit(db, draft, writer, policy=policy, confirm_block=True)
        db.commit()
        return draft

    return make


# Debian's Chromium, driven by Playwright: shared by every browser test.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser() -> Iterator[Browser]:
    """Launch Debian's Chromium headless (no self-skipping: a missing browser fails the test)."""
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: run scripts/install-browser.sh"
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()
