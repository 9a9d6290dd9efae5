"""Security headers and CSRF protection for every response and state change."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

csrf = CSRFProtect()

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


def init_app(app: Flask) -> None:
    """Turn on CSRF checks and the security headers; behind a TLS proxy, mark cookies Secure."""
    csrf.init_app(app)
    if app.config["TRUST_PROXY"]:
        # One proxy in front (nginx, Caddy) sets X-Forwarded-Proto/For; cookies then need TLS.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
        app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = True

    @app.after_request
    def _headers(resp: Response) -> Response:
        resp.headers.setdefault("Content-Security-Policy", CSP)
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        resp.headers.setdefault("X-Frame-Options", "DENY")
        if request.is_secure:
            resp.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return resp

    @app.errorhandler(CSRFError)
    def _csrf_error(err: CSRFError) -> tuple[Any, int]:
        if request.path.startswith("/api/"):
            return jsonify(error="missing or expired CSRF token; reload the page"), 400
        return render_template("error.html", message="The form expired or was not sent from this site. "
                               "Reload the page and try again."), 400
