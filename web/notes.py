"""Internal notes, tags and case types on a case; an agent's away switch (their open cases move on)."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, flash, redirect, request, url_for
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from monitor.assign import reassign_from
from monitor.models import Case, CaseNote, CaseTag, User
from monitor.replies import audit
from web.auth import me, role_required
from web.database import db, get_or_404, rules

bp = Blueprint("notes", __name__)
MAX_NOTE = 5000
MAX_TAGS = 20
_TAG = re.compile(r"[^\w\-.:]+", re.UNICODE)


def clean_tag(raw: str) -> str:
    """Normalise a tag: lower case, spaces to dashes, only word characters, dashes, dots, colons."""
    return _TAG.sub("-", raw.strip().lower()).strip("-")[:48]


def notes_of(session: Session, case_id: int) -> list[CaseNote]:
    """Notes on a case, oldest first."""
    return list(session.scalars(select(CaseNote).where(CaseNote.case_id == case_id).order_by(CaseNote.id)))


def tags_of(session: Session, case_id: int) -> list[str]:
    """Tags on a case, sorted."""
    return list(session.scalars(select(CaseTag.tag).where(CaseTag.case_id == case_id).order_by(CaseTag.tag)))


def _back(case_id: int, anchor: str) -> Any:
    return redirect(url_for("cases.show", case_id=case_id) + anchor)


@bp.post("/cases/<int:case_id>/notes")
@role_required("agent")
def add_note(case_id: int) -> Any:
    """Add an internal note (seen by the team only, never posted)."""
    item = get_or_404(Case, case_id)
    text = request.form.get("text", "").strip()
    if not text or len(text) > MAX_NOTE:
        flash(f"A note needs between 1 and {MAX_NOTE:,} characters.", "error")
        return _back(case_id, "#notes")
    note = CaseNote(case_id=item.id, author_id=me().id, text=text)
    db().add(note)
    db().flush()
    audit(db(), me(), "note", item, note=note.id)
    db().commit()
    flash("Note added.", "ok")
    return _back(case_id, "#notes")


@bp.post("/cases/<int:case_id>/tags")
@role_required("agent")
def tag(case_id: int) -> Any:
    """Add tags (comma-separated) or remove one tag."""
    item = get_or_404(Case, case_id)
    have = set(tags_of(db(), item.id))
    if (remove := clean_tag(request.form.get("remove", ""))) in have:
        db().execute(delete(CaseTag).where(CaseTag.case_id == item.id, CaseTag.tag == remove))
        audit(db(), me(), "untag", item, tag=remove)
        db().commit()
        return _back(case_id, "#tags")
    new = [t for t in dict.fromkeys(clean_tag(t) for t in request.form.get("tags", "").split(",")) if t
           and t not in have]
    if not new or len(have) + len(new) > MAX_TAGS:
        flash(f"Give one or more new tags, separated by commas (at most {MAX_TAGS} per case).", "error")
        return _back(case_id, "#tags")
    db().add_all(CaseTag(case_id=item.id, tag=t) for t in new)
    audit(db(), me(), "tag", item, tags=", ".join(new))
    db().commit()
    flash(f"Tagged: {', '.join(new)}.", "ok")
    return _back(case_id, "#tags")


@bp.post("/cases/<int:case_id>/type")
@role_required("agent")
def set_type(case_id: int) -> Any:
    """Set the case type (one of rules.yaml's care.case_types)."""
    item = get_or_404(Case, case_id)
    choice = request.form.get("case_type", "")
    if choice and choice not in rules().care.case_types:
        flash("Choose a case type from the list.", "error")
    else:
        item.case_type = choice
        audit(db(), me(), "type", item, type=choice or "none")
        db().commit()
        flash(f"Case type: {choice or 'none'}.", "ok")
    return _back(case_id, "#tags")


@bp.post("/me/away")
@role_required("agent")
def away() -> Any:
    """Mark yourself away (your open cases are reassigned by the team rules) or back."""
    user = db().get(User, me().id)
    assert user is not None
    user.away = request.form.get("away") == "1"
    moved = reassign_from(db(), rules(), user) if user.away else 0
    audit(db(), me(), "away" if user.away else "back", user, reassigned=moved)
    db().commit()
    flash(f"You are away; {moved} open case(s) were reassigned." if user.away else "Welcome back.", "ok")
    return redirect(request.referrer if request.referrer and request.referrer.startswith(request.host_url)
                    else url_for("inbox.index"))


def why_routed(item: Case) -> dict[str, Any]:
    """The conditions and scores that routed the case (recomputed for cases routed before it was stored)."""
    if item.why:
        return item.why
    from monitor.models import Score
    from monitor.router import explain

    route = next((r for r in rules().routing if r.name == item.rule), None)
    score = db().scalars(select(Score).where(Score.mention_id == item.mention_id)).first()
    if route is None or score is None:
        return {"rule": item.rule, "conditions": ["not recorded (the rule has changed since)"], "scores": {}}
    return explain(route, item.mention, score)


def care_of(item: Case) -> dict[str, Any]:
    """What the case page's care panel shows: why routed, notes, tags, type and close reasons."""
    care = rules().care
    return {"why": why_routed(item), "notes": notes_of(db(), item.id), "tags": tags_of(db(), item.id),
            "types": care.case_types, "close_reasons": care.close_reasons}


def init_app(app: Any) -> None:
    """Make the care panel's data available to the case page's partial."""
    app.add_template_global(care_of, "care_of")
    app.add_template_global(lambda: rules().care.close_reasons, "close_reasons")
