"""Web UI for the social team (Flask app factory)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported in create_app: `repguard check` loads neither Flask nor the database layer
    from flask import Flask

# Every key can be set as an environment variable with the REPGUARD_ prefix (values parsed as JSON).
DEFAULTS: dict[str, Any] = {
    "SECRET_KEY": None,
    "DATABASE_URL": None,
    "RULES_PATH": None,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "TRUST_PROXY": False,
    "WTF_CSRF_TIME_LIMIT": None,
    "LOGIN_ATTEMPTS": 5,
    "LOGIN_ATTEMPTS_PER_ADDRESS": 20,
    "PERMANENT_SESSION_LIFETIME": 12 * 3600,  # idle seconds: each request renews the signed cookie
    "LOGIN_WINDOW_SECONDS": 300,
    "MAX_CONTENT_LENGTH": 1_000_000,
}


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then instance config.py, then REPGUARD_* env vars, then test_config."""
    from flask import Flask

    from monitor.models import utcnow

    app = Flask(__name__, instance_path=str(Path(os.environ.get("REPGUARD_HOME", "instance")).resolve()))
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("REPGUARD")
    if test_config:
        app.config.update(test_config)
    # The command line reads REPGUARD_RULES; accept the same name here.
    app.config["RULES_PATH"] = app.config["RULES_PATH"] or app.config.get("RULES")
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))

    from web.security import IdConverter

    # Before any route is added: every <int:...> id in a URL is parsed strictly (64-bit, ASCII digits).
    app.url_map.converters["int"] = IdConverter
    from web import (
        api,
        approval_queue,
        approvals,
        audit_log,
        auth,
        cases,
        dashboard,
        database,
        export,
        filters,
        health,
        inbox,
        incidents,
        notes,
        notices,
        reveal,
        rulebook,
        saved_views,
        security,
        statements,
    )

    database.init_app(app)
    security.init_app(app)
    filters.init_app(app)
    auth.init_app(app)
    notices.init_app(app)
    notes.init_app(app)
    approval_queue.init_app(app)
    app.add_template_global(utcnow, "now_utc")
    for module in (auth, inbox, cases, approvals, dashboard, rulebook, audit_log, api, health, reveal, notes, notices,
                   export, saved_views):
        app.register_blueprint(module.bp)
    app.register_blueprint(incidents.bp)
    app.register_blueprint(statements.bp)
    return app


def _instance_secret(instance: Path) -> str:
    """Return a per-installation secret key, created once and kept in the instance folder."""
    from monitor.db import private_file

    instance.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        private_file(path).write_text(secrets.token_hex(32))
    return path.read_text().strip()
