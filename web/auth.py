"""Login, logout, roles and rate-limited sign-in attempts."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from functools import wraps
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
    url_for,
)
from flask_login import LoginManager, UserMixin, current_user, login_required, login_user, logout_user
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from monitor.models import User
from monitor.replies import audit
from web.database import db

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
ROLES = ("agent", "approver", "admin")
RANK = {r: i for i, r in enumerate(ROLES)}
F = TypeVar("F", bound=Callable[..., Any])


class LoginUser(UserMixin):
    """The signed-in user as flask-login sees it."""

    def __init__(self, row: User):
        self.id = row.id
        self.username = row.username
        self.role = row.role

    def can(self, role: str) -> bool:
        """Whether this user has at least `role` (agent < approver < admin)."""
        return RANK.get(self.role, -1) >= RANK[role]


class AttemptLimiter:
    """Allow at most `limit` failed sign-ins per key in a sliding window."""

    def __init__(self) -> None:
        self.failures: dict[str, deque[float]] = defaultdict(deque)
        self.lock = threading.Lock()

    def blocked(self, key: str, limit: int, window: float) -> bool:
        """Whether the key has used up its attempts."""
        with self.lock:
            q = self.failures[key]
            while q and q[0] < time.monotonic() - window:
                q.popleft()
            return len(q) >= limit

    def fail(self, key: str) -> None:
        """Record a failed attempt."""
        with self.lock:
            self.failures[key].append(time.monotonic())

    def reset(self, key: str) -> None:
        """Forget failures after a successful sign-in."""
        with self.lock:
            self.failures.pop(key, None)


def hash_password(password: str) -> str:
    """Return a salted hash of a password."""
    return generate_password_hash(password)


def init_app(app: Flask) -> None:
    """Attach flask-login to the app."""
    login_manager.init_app(app)
    app.extensions["repguard.login_limiter"] = AttemptLimiter()
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
def _load(user_id: str) -> LoginUser | None:
    row = db().get(User, int(user_id)) if user_id.isdigit() else None
    return LoginUser(row) if row is not None and row.active else None


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
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("inbox.index")


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """Sign in with username and password."""
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        key = f"{request.remote_addr}|{username.lower()}"
        cfg = current_app.config
        limiter: AttemptLimiter = current_app.extensions["repguard.login_limiter"]
        if limiter.blocked(key, cfg["LOGIN_ATTEMPTS"], cfg["LOGIN_WINDOW_SECONDS"]):
            flash("Too many failed attempts. Wait a few minutes and try again.", "error")
            return render_template("login.html"), 429
        row = db().scalars(select(User).where(User.username == username)).first()
        if row is None or not row.active or not check_password_hash(row.password_hash,
                                                                    request.form.get("password", "")):
            limiter.fail(key)
            flash("Unknown username or wrong password.", "error")
            return render_template("login.html"), 401
        limiter.reset(key)
        login_user(LoginUser(row))
        audit(db(), row, "login", row)
        db().commit()
        return redirect(_safe_next(request.args.get("next")))
    return render_template("login.html")


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Any:
    """Sign out."""
    audit(db(), me(), "logout", me())
    db().commit()
    logout_user()
    return redirect(url_for("auth.login"))
