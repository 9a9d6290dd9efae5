"""The case page: the mention in context, author history, suggested replies and the draft editor."""

from __future__ import annotations

import os
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import or_, select

from monitor.models import AlertDelivery, Case, Draft, Mention, Post, Review, Score, User, utcnow
from monitor.replies import WorkflowError, save_draft, submit
from monitor.sources import SOURCES
from monitor.templates import suggestions
from web.auth import me, role_required
from web.database import db, get_or_404, rules
from web.inbox import assign_case, assignee_from_form, close_case, team
from web.textcount import measure

bp = Blueprint("cases", __name__)
MAX_DRAFT = 10_000
HISTORY = 20


def thread_context(mention: Mention) -> list[Mention]:
    """Return the other posts of the mention's thread (and the post it answers), oldest first."""
    conds = []
    if mention.thread_id:
        conds += [Mention.thread_id == mention.thread_id, Mention.external_id == mention.thread_id]
    if mention.in_reply_to:
        conds.append(Mention.external_id == mention.in_reply_to)
    if not conds:
        return []
    stmt = (select(Mention).where(Mention.platform == mention.platform, Mention.id != mention.id, or_(*conds))
            .order_by(Mention.created_at).limit(50))
    return list(db().scalars(stmt))


def author_history(mention: Mention) -> list[Mention]:
    """Return earlier mentions by the same author on the same platform, newest first."""
    same = Mention.author_id == mention.author_id if mention.author_id else (
        Mention.author_handle == mention.author_handle)
    stmt = (select(Mention).where(Mention.platform == mention.platform, same, Mention.id != mention.id,
                                  Mention.created_at <= mention.created_at)
            .order_by(Mention.created_at.desc()).limit(HISTORY))
    return list(db().scalars(stmt))


def reply_options(mention: Mention) -> dict[str, bool]:
    """Whether the mention's platform allows a public reply here, and private replies at all."""
    cls, cfg = SOURCES.get(mention.source), rules().sources.get(mention.source)
    if cls is None or cfg is None:
        return {"public": True, "private": True}
    source = cls(cfg, rules(), dict(os.environ))  # no network: eligibility reads the stored post only
    details = {"raw": mention.raw, "text": mention.text, "author_handle": mention.author_handle}
    return {"public": source.can_reply_publicly(details), "private": source.can_reply_privately(details)}


def case_reviews(drafts: list[Draft]) -> dict[int, list[tuple[Review, str]]]:
    """Return each draft's reviews with the reviewer's name (rejection comments, overrides)."""
    found: dict[int, list[tuple[Review, str]]] = {}
    stmt = (select(Review, User.username).join(User, User.id == Review.reviewer_id)
            .where(Review.draft_id.in_([d.id for d in drafts])).order_by(Review.id))
    for review, username in db().execute(stmt):
        found.setdefault(review.draft_id, []).append((review, username))
    return found


@bp.route("/cases/<int:case_id>")
@role_required("agent")
def show(case_id: int) -> Any:
    """Show a case: the mention, its context, suggested replies, the editor, drafts and posts."""
    item = get_or_404(Case, case_id)
    mention = item.mention
    drafts = list(db().scalars(select(Draft).where(Draft.case_id == item.id).order_by(Draft.id.desc())))
    editable = next((d for d in drafts if d.state in ("draft", "rejected")), None)
    posts = db().scalars(select(Post).where(Post.case_id == item.id).order_by(Post.id)).all()
    score = db().scalars(select(Score).where(Score.mention_id == item.mention_id)).first()
    alerts = db().scalars(select(AlertDelivery).where(AlertDelivery.mention_id == item.mention_id)).all()
    text = editable.text if editable else ""
    return render_template(
        "case.html", case=item, mention=mention, score=score, drafts=drafts, editable=editable, posts=posts,
        alerts=alerts, options=reply_options(mention),
        reviews=case_reviews(drafts), suggestions=suggestions(rules(), item), now=utcnow(),
        thread=thread_context(mention), history=author_history(mention), team=team(),
        length=measure(text, mention.platform), draft_text=text)


@bp.post("/cases/<int:case_id>/assign")
@role_required("agent")
def assign(case_id: int) -> Any:
    """Assign a case to the signed-in user or to a chosen team member."""
    item = get_or_404(Case, case_id)
    assignee = assignee_from_form()
    if assignee is None:
        flash("That team member does not exist or is inactive.", "error")
    else:
        assign_case(item, assignee)
        db().commit()
        flash(f"Assigned to {assignee.username}.", "ok")
    return redirect(url_for("cases.show", case_id=case_id))


@bp.post("/cases/<int:case_id>/close")
@role_required("agent")
def close(case_id: int) -> Any:
    """Close a case."""
    close_case(get_or_404(Case, case_id))
    db().commit()
    flash("Case closed.", "ok")
    return redirect(url_for("inbox.index"))


@bp.post("/cases/<int:case_id>/drafts")
@role_required("agent")
def draft(case_id: int) -> Any:
    """Save a draft (checked by the moderation engine) and optionally submit it for approval."""
    item = get_or_404(Case, case_id)
    text = request.form.get("text", "")
    back = redirect(url_for("cases.show", case_id=case_id))
    if len(text) > MAX_DRAFT:
        flash(f"The reply is too long ({len(text):,} characters; at most {MAX_DRAFT:,}).", "error")
        return back
    existing = request.form.get("draft_id", "")
    current = db().get(Draft, int(existing)) if existing.isdigit() else None
    if current is not None and current.case_id != item.id:
        current = None
    try:
        saved = save_draft(db(), item, me(), text, private=bool(request.form.get("private")),
                           policy=rules().moderation, draft=current)
        if request.form.get("submit"):
            submit(db(), saved, me())
    except WorkflowError as exc:
        db().rollback()
        flash(str(exc), "error")
        return back
    db().commit()
    flash("Submitted for approval." if saved.state == "submitted" else "Draft saved.", "ok")
    return back
