"""Rules page: the current rules.yaml read-only, validation with located errors, backtest, admin save."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from monitor.models import Mention, Score, utcnow
from monitor.replies import audit
from monitor.router import first_match
from monitor.rules import DEFAULT_RULES, Rules, RulesError, parse_rules
from web.auth import me, role_required
from web.database import db, rules
from web.security import int_arg

bp = Blueprint("rules", __name__)
MAX_RULES = 200_000
MAX_BACKTEST = 2_000


@dataclass(frozen=True)
class Outcome:
    """Where one stored mention goes under the current and the edited rules."""

    mention: Mention
    current: str
    edited: str

    @property
    def changed(self) -> bool:
        """Whether the edited rules route it differently."""
        return self.current != self.edited


def rules_path() -> Path:
    """Return the rules file the app runs with."""
    return Path(current_app.config["RULES_PATH"] or DEFAULT_RULES)


def _route_name(rules_: Rules, mention: Mention, score: Score) -> str:
    route = first_match(rules_, mention, score)
    return f"{route.name} → {route.then.queue} ({route.then.priority})" if route else "ignored"


def backtest(edited: Rules, days: int) -> list[Outcome]:
    """Route the stored mentions of the last `days` days with the current and the edited rules."""
    since = utcnow() - timedelta(days=days)
    stmt = (select(Mention, Score).join(Score, Score.mention_id == Mention.id)
            .where(Mention.created_at >= since).order_by(Mention.created_at.desc()).limit(MAX_BACKTEST))
    return [Outcome(m, _route_name(rules(), m, s), _route_name(edited, m, s)) for m, s in db().execute(stmt)]


def _days() -> int:
    return min(int_arg(request.form.get("days"), 7, lo=1), 365)


@bp.route("/rules")
@role_required("agent")
def index() -> Any:
    """Show the current rules read-only, with a form to validate and backtest an edited copy."""
    current = rules_path().read_text(encoding="utf-8")
    return render_template("rules.html", current=current, text=current, days=7, errors=None, outcomes=None)


@bp.post("/rules/check")
@role_required("approver")
def check() -> Any:
    """Validate an edited rules text; on success backtest it (and save it, for an admin who asks)."""
    text = request.form.get("text", "")
    days = _days()
    current = rules_path().read_text(encoding="utf-8")
    page = {"current": current, "text": text, "days": days, "outcomes": None, "errors": None}
    if len(text) > MAX_RULES:
        page["errors"] = [f"The rules are too long ({len(text):,} characters; at most {MAX_RULES:,})."]
        return render_template("rules.html", **page), 400
    try:
        edited = parse_rules(text, path=rules_path().name, base_dir=rules_path().parent)
    except RulesError as exc:
        page["errors"] = [str(e) for e in exc.errors]
        return render_template("rules.html", **page), 400
    if request.form.get("save"):
        return save(text, edited)
    page["outcomes"] = backtest(edited, days)
    return render_template("rules.html", **page)


def save(text: str, edited: Rules) -> Any:
    """Write validated rules to the rules file and use them from now on (admins only)."""
    if not current_user.can("admin"):
        flash("Only an admin can save rules; validate and backtest are open to approvers.", "error")
        return redirect(url_for("rules.index"))
    rules_path().write_text(text, encoding="utf-8")
    current_app.extensions["repguard.rules"] = edited
    audit(db(), me(), "rules_change", None, path=str(rules_path()), routes=len(edited.routing))
    db().commit()
    flash("Rules saved. The web UI uses them now; restart the pipeline worker to pick them up.", "ok")
    return redirect(url_for("rules.index"))
