"""Login, logout, roles, revocable sessions and sign-in attempts limited in the database."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta
from functools import cache, wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import LoginManager, UserMixin, current_user, login_required, login_user, logout_user
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from monitor.models import User
from monitor.replies import audit
from web import throttle
from web.database import db
from web.security import id_arg, int_arg

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
ROLES = ("agent", "approver", "admin")
RANK = {r: i for i, r in enumerate(ROLES)}
F = TypeVar("F", bound=Callable[..., Any])
MAX_USERNAME = 80  # the users.username column
MAX_PASSWORD = 1024


class LoginUser(UserMixin):
    """The signed-in user as flask-login sees it."""

    def __init__(self, row: User):
        self.id = row.id
        self.username = row.username
        self.role = row.role
        self.generation = row.session_generation

    def get_id(self) -> str:
        """The session carries the user's session generation: bumping it revokes every older cookie."""
        return f"{self.id}:{self.generation}"

    def can(self, role: str) -> bool:
        """Whether this user has at least `role` (agent < approver < admin)."""
        return RANK.get(self.role, -1) >= RANK[role]


def hash_password(password: str) -> str:
    """Return a salted hash of a password."""
    return generate_password_hash(password)


@cache
def _dummy_hash() -> str:
    """A hash to check unknown usernames against, so they cost as much time as wrong passwords."""
    return generate_password_hash(secrets.token_hex(16))


def revoke_sessions(row: User) -> None:
    """Invalidate every session (cookie) of a user: sign-out, password change, disable."""
    row.session_generation = (row.session_generation or 0) + 1


def init_app(app: Flask) -> None:
    """Attach flask-login to the app."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to continue."


@login_manager.unauthorized_handler
def _unauthorized() -> Any:
    """Answer the API with JSON 401; send people to the sign-in page."""
    if request.path.startswith("/api/"):
        return jsonify(error="sign in first"), 401
    flash("Please sign in to continue.", "error")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


@login_manager.user_loader
def _load(session_id: str) -> LoginUser | None:
    """Accept a session only for an active user whose session generation it still carries."""
    user_id, _, generation = session_id.partition(":")
    ident, gen = id_arg(user_id), int_arg(generation, -1)
    row = db().get(User, ident) if ident is not None else None
    if row is None or not row.active or gen != row.session_generation:
        return None
    return LoginUser(row)


def role_required(role: str) -> Callable[[F], F]:
    """Require a signed-in user with at least `role`."""
    def wrap(view: F) -> F:
        @wraps(view)
        @login_required
        def inner(*args: Any, **kwargs: Any) -> Any:
            if not current_user.can(role):
                abort(403)
            return view(*args, **kwargs)
        return cast(F, inner)
    return wrap


def me() -> User:
    """Return the database row of the signed-in user."""
    row = db().get(User, current_user.id)
    assert row is not None
    return row


def _safe_next(target: str | None) -> str:
    """Only follow same-site relative redirects after login."""
    # Browsers read "/\\evil.example" as "//evil.example": no backslashes or control characters either.
    if (target and target.startswith("/") and not target.startswith("//") and "\\" not in target
            and target.isprintable() and not urlsplit(target).netloc):
        return target
    return url_for("inbox.index")


def _refuse(message: str, code: int) -> Any:
    flash(message, "error")
    return render_template("login.html"), code


def _check_login(username: str, password: str) -> User | None:
    """Return the active user with this password; unknown names cost the same hash check as known ones."""
    row = db().scalars(select(User).where(User.username == username)).first()
    ok = check_password_hash(row.password_hash if row is not None else _dummy_hash(), password)
    return row if ok and row is not None and row.active else None


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """Sign in with username and password: bounded input, limited attempts per account and per address."""
    if request.method == "GET":
        return render_template("login.html")
    cfg = current_app.config
    window = timedelta(seconds=cfg["LOGIN_WINDOW_SECONDS"])
    username, password = request.form.get("username", "").strip(), request.form.get("password", "")
    address = throttle.key_of("address", request.remote_addr or "")
    account = throttle.key_of("account", username.lower()[:MAX_USERNAME])
    if throttle.blocked_until(db(), [address, account]):
        return _refuse("Too many failed attempts. Wait a few minutes and try again.", 429)
    too_long = len(username) > MAX_USERNAME or len(password) > MAX_PASSWORD
    row = None if too_long else _check_login(username, password)
    if row is None:
        throttle.record_failure(db(), address, cfg["LOGIN_ATTEMPTS_PER_ADDRESS"], window)
        if not too_long:
            throttle.record_failure(db(), account, cfg["LOGIN_ATTEMPTS"], window)
        db().commit()
        return _refuse("Unknown username or wrong password.", 400 if too_long else 401)
    throttle.reset(db(), account)
    session.clear()  # a new session at sign-in: nothing (no CSRF token) from before it survives
    session.permanent = True
    login_user(LoginUser(row))
    audit(db(), row, "login", row)
    db().commit()
    return redirect(_safe_next(request.args.get("next")))


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Any:
    """Sign out: every session of this user ends, including copies of the cookie."""
    row = me()
    revoke_sessions(row)
    audit(db(), row, "logout", row)
    db().commit()
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))
