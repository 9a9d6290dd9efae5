"""Saved inbox views: a user's named filter sets."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from monitor.models import SavedView
from web.auth import role_required
from web.database import db, get_or_404
from web.inbox import FILTERS

bp = Blueprint("views", __name__)
MAX_VIEWS = 30


def clean_query(query: str) -> str:
    """Keep only known filter keys, so a saved view is just a filter set."""
    pairs = [(k, v[:200]) for k, v in parse_qsl(query[:1000]) if k in FILTERS and v]
    return urlencode(pairs)


@bp.post("/views")
@role_required("agent")
def save() -> Any:
    """Save (or replace) the current inbox filters under a name."""
    name = request.form.get("name", "").strip()[:64]
    query = clean_query(request.form.get("query", ""))
    if not name:
        flash("Give the view a name.", "error")
        return redirect(url_for("inbox.index") + "?" + query)
    existing = db().scalars(select(SavedView).where(SavedView.user_id == current_user.id,
                                                    SavedView.name == name)).first()
    if existing is not None:
        existing.query = query
    elif len(db().scalars(select(SavedView.id).where(SavedView.user_id == current_user.id)).all()) >= MAX_VIEWS:
        flash(f"You have {MAX_VIEWS} saved views; delete one first.", "error")
        return redirect(url_for("inbox.index") + "?" + query)
    else:
        db().add(SavedView(user_id=current_user.id, name=name, query=query))
    db().commit()
    flash(f"Saved the view “{name}”.", "ok")
    return redirect(url_for("inbox.index") + "?" + query)


@bp.post("/views/<int:view_id>/delete")
@role_required("agent")
def delete(view_id: int) -> Any:
    """Delete one of your saved views."""
    view = get_or_404(SavedView, view_id)
    if view.user_id != current_user.id:
        flash("That view belongs to someone else.", "error")
    else:
        db().delete(view)
        db().commit()
        flash(f"Deleted the view “{view.name}”.", "ok")
    return redirect(url_for("inbox.index"))
