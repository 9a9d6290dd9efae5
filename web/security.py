"""Security headers and CSRF protection for every response and state change."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, Response, abort, jsonify, render_template, request
from flask.json.provider import DefaultJSONProvider
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import BaseConverter, ValidationError

csrf = CSRFProtect()

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


# Row ids are 64-bit signed integers in every database we support; 18 ASCII digits always fit.
_ID = re.compile(r"[0-9]{1,18}")
MAX_ID = 2**63 - 1


def int_arg(value: str | None, default: int, *, lo: int = 0, hi: int = MAX_ID) -> int:
    """Parse a query or form value as a plain ASCII integer in [lo, hi]; anything else gives `default`.

    str.isdigit() accepts "²" and Arabic-Indic digits, and int() accepts "1_000" and 30-digit numbers that
    overflow the database: only [0-9]{1,18} is read here.
    """
    text = (value or "").strip()
    if not _ID.fullmatch(text):
        return default
    number = int(text)
    return number if lo <= number <= hi else default


def id_arg(value: str | None) -> int | None:
    """Parse a row id from a form or query value; None when it is not one."""
    number = int_arg(value, 0, lo=1)
    return number or None


def encodable(text: str) -> bool:
    """Whether a string is valid Unicode (JSON may carry lone surrogates, which nothing downstream can encode)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class BoundedJSONProvider(DefaultJSONProvider):
    """JSON bodies nested past the recursion limit are a 400 like any malformed body, not a 500."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None


class IdConverter(BaseConverter):
    """The `<int:...>` URL part: ASCII digits that fit a 64-bit id, else 404 (never an overflow 500)."""

    regex = r"\d+"

    def to_python(self, value: str) -> int:
        number = id_arg(value)
        if number is None:
            raise ValidationError()
        return number

    def to_url(self, value: Any) -> str:
        return str(int(value))


def init_app(app: Flask) -> None:
    """Turn on CSRF checks and the security headers; behind a TLS proxy, mark cookies Secure."""
    csrf.init_app(app)
    app.json = BoundedJSONProvider(app)
    if app.config["TRUST_PROXY"]:
        # One proxy in front (nginx, Caddy) sets X-Forwarded-Proto/For; cookies then need TLS.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
        app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = True

    @app.before_request
    def _no_nul() -> None:
        # No field of ours may hold NUL, and PostgreSQL refuses it in text: answer 400 before any query.
        values = [*request.args.items(multi=True), *request.form.items(multi=True)]
        if any("\x00" in k or "\x00" in v for k, v in values):
            abort(400, "A value contains a NUL character.")

    @app.after_request
    def _headers(resp: Response) -> Response:
        resp.headers.setdefault("Content-Security-Policy", CSP)
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        resp.headers.setdefault("X-Frame-Options", "DENY")
        if request.is_secure:
            resp.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if request.endpoint != "static":
            # Pages carry personal data and CSRF tokens: no browser or proxy may keep a copy.
            resp.headers["Cache-Control"] = "no-store"
            resp.headers["Pragma"] = "no-cache"
        return resp

    @app.errorhandler(CSRFError)
    def _csrf_error(err: CSRFError) -> tuple[Any, int]:
        if request.path.startswith("/api/"):
            return jsonify(error="missing or expired CSRF token; reload the page"), 400
        return render_template("error.html", message="The form expired or was not sent from this site. "
                               "Reload the page and try again."), 400
