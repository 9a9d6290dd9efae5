"""The case page: the mention in context, author history, suggested replies and the draft editor."""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError, OperationalError

from monitor.models import AlertDelivery, Case, CasePresence, Draft, Mention, Post, Review, Score, User, utcnow
from monitor.replies import WorkflowError, save_draft, submit
from monitor.reply_gates import authors, private_supported, public_reply_to
from monitor.sources import SOURCES
from monitor.templates import suggestions
from web.auth import me, role_required
from web.database import db, get_or_404, rules
from web.inbox import assign_case, assignee_from_form, close_case, team
from web.security import id_arg
from web.textcount import measure

bp = Blueprint("cases", __name__)
MAX_DRAFT = 10_000
HISTORY = 20
PRESENCE = timedelta(minutes=3)  # "has this case open" counts views this recent


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


def reply_options(case: Case) -> dict[str, bool]:
    """Whether the mention's platform allows a public reply here, and private replies at all."""
    mention = case.mention
    private = private_supported(case)  # asked of the platform's source class, also for replayed data
    cls, cfg = SOURCES.get(mention.source), rules().sources.get(mention.source)
    if cls is None or cfg is None:
        return {"public": True, "private": private}
    source = cls(cfg, rules(), dict(os.environ))  # no network: eligibility reads the stored post only
    details = {"raw": mention.raw, "text": mention.text, "author_handle": mention.author_handle}
    return {"public": source.can_reply_publicly(details),
            "private": private and source.can_reply_privately(details)}


def colleagues_drafting(case: Case, drafts: list[Draft]) -> list[str]:
    """Who else has an open draft on this case (a collision warning, like "X is replying")."""
    mine = me().id
    return sorted({d.author.username for d in drafts if d.state in ("draft", "submitted") and d.author_id != mine})


def colleagues_here(case: Case) -> list[str]:
    """Note that I have the case open, and return who else opened it in the last few minutes."""
    mine, now = me().id, utcnow()
    row = db().scalars(select(CasePresence).where(CasePresence.case_id == case.id,
                                                  CasePresence.user_id == mine)).first()
    if row is None:
        db().add(CasePresence(case_id=case.id, user_id=mine, seen_at=now))
    else:
        row.seen_at = now
    try:
        db().commit()
    except (IntegrityError, OperationalError):
        db().rollback()  # two tabs at once: one of them recorded it, which is all we need
    stmt = select(CasePresence).where(CasePresence.case_id == case.id, CasePresence.user_id != mine,
                                      CasePresence.seen_at > now - PRESENCE)
    return sorted(p.user.username for p in db().scalars(stmt))


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
    here = colleagues_here(item)
    mention = item.mention
    drafts = list(db().scalars(select(Draft).where(Draft.case_id == item.id).order_by(Draft.id.desc())))
    editable = next((d for d in drafts if d.state in ("draft", "rejected")), None)
    posts = db().scalars(select(Post).where(Post.case_id == item.id).order_by(Post.id)).all()
    score = db().scalars(select(Score).where(Score.mention_id == item.mention_id)).first()
    alerts = db().scalars(select(AlertDelivery).where(AlertDelivery.mention_id == item.mention_id)).all()
    text = editable.text if editable else ""
    return render_template(
        "case.html", case=item, mention=mention, score=score, drafts=drafts, editable=editable, posts=posts,
        alerts=alerts, options=reply_options(item), drafting=colleagues_drafting(item, drafts), here=here,
        earlier=public_reply_to(db(), item, editable.id if editable else None),
        authors={d.id: authors(db(), d) for d in drafts},
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
    current = db().get(Draft, ident) if (ident := id_arg(existing)) is not None else None
    if current is not None and current.case_id != item.id:
        current = None
    try:
        saved = save_draft(db(), item, me(), text, private=bool(request.form.get("private")),
                           policy=rules().moderation, draft=current)
        db().commit()  # the wording is kept even when submitting it is refused below
    except WorkflowError as exc:
        db().rollback()
        flash(str(exc), "error")
        return back
    except (IntegrityError, OperationalError):
        db().rollback()
        flash("Someone else saved this draft at the same moment; your text was not saved. Reload it.", "error")
        return back, 409
    if request.form.get("submit"):
        return submit_saved(saved, back)
    flash(f"Draft saved. This is version {saved.version}.", "ok")
    return back


def submit_saved(saved: Draft, back: Any) -> Any:
    """Submit the saved version, asking for confirmation of a block and a reason to supersede."""
    form = request.form
    try:
        submit(db(), saved, me(), policy=rules().moderation, confirm_block="1" in form.getlist("confirm_block"),
               supersede_reason=form.get("supersede_reason", ""))
        db().commit()
    except WorkflowError as exc:
        db().rollback()
        flash(f"Draft saved, not submitted: {exc}", "error")
        return back
    flash(f"Submitted for approval. This is version {saved.version}.", "ok")
    return back
