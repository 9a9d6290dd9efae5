"""Per-request database sessions and the rules the app runs with."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import Flask, abort, current_app, g
from sqlalchemy.orm import Session, sessionmaker

from monitor.db import make_engine, make_sessionmaker, upgrade
from monitor.rules import Rules, load_rules

T = TypeVar("T")


def init_app(app: Flask) -> None:
    """Create the engine, migrate the schema, load rules and register teardown."""
    engine = make_engine(app.config["DATABASE_URL"])
    upgrade(engine)
    app.extensions["repguard.engine"] = engine
    app.extensions["repguard.sessions"] = make_sessionmaker(engine)
    app.extensions["repguard.rules"] = load_rules(app.config["RULES_PATH"])
    app.teardown_appcontext(_close)


def sessions() -> sessionmaker[Session]:
    """Return the session factory of the current app."""
    factory: sessionmaker[Session] = current_app.extensions["repguard.sessions"]
    return factory


def db() -> Session:
    """Return this request's session (one per request, closed at teardown)."""
    if "db" not in g:
        g.db = sessions()()
    session: Session = g.db
    return session


def get_or_404(model: type[T], ident: int) -> T:
    """Return the row with this primary key, or answer 404."""
    found = db().get(model, ident)
    if found is None:
        abort(404)
    return found


def rules() -> Rules:
    """Return the rules the app runs with (replaced when an admin saves new rules)."""
    loaded: Rules = current_app.extensions["repguard.rules"]
    return loaded


def _close(_exc: Any) -> None:
    session = g.pop("db", None)
    if session is not None:
        session.close()
