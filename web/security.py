"""Security headers and CSRF protection for every response and state change."""

from __future__ import annotations

from flask import Flask, Response, render_template
from flask_wtf.csrf import CSRFError, CSRFProtect

csrf = CSRFProtect()

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


def init_app(app: Flask) -> None:
    """Turn on CSRF checks and the security headers."""
    csrf.init_app(app)

    @app.after_request
    def _headers(resp: Response) -> Response:
        resp.headers.setdefault("Content-Security-Policy", CSP)
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        resp.headers.setdefault("X-Frame-Options", "DENY")
        return resp

    @app.errorhandler(CSRFError)
    def _csrf_error(err: CSRFError) -> tuple[str, int]:
        return render_template("error.html", message="The form expired or was not sent from this site. "
                               "Reload the page and try again."), 400
