"""Audit log: who did what, when (sign-ins, assignments, drafts, approvals, overrides, posts, rules).

Objects are shown as links with a few words of text, not bare ids; sign-ins are folded away unless asked for.
Pages are keyset-based (by event id), and the action list needs no scan of the whole table.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request, url_for
from sqlalchemy import func, select

from monitor.models import AuditEvent, Case, Draft, Mention, Post, User
from web.auth import role_required
from web.database import db
from web.filters import masked_text
from web.security import int_arg

bp = Blueprint("audit", __name__)
PAGE = 200
SIGN_INS = ("login", "logout")
KNOWN_ACTIONS = ("approve", "assign", "auto-assign", "away", "back", "close", "draft", "edit", "login", "logout",
                 "note", "override", "post", "reject", "retry", "retry_alert", "rules_change", "submit", "tag",
                 "type", "untag")


def actions() -> list[str]:
    """Known actions plus any seen among the latest events (a bounded read, not a DISTINCT over all)."""
    recent = select(AuditEvent.action).order_by(AuditEvent.id.desc()).limit(1000).subquery()
    return sorted(set(KNOWN_ACTIONS) | set(db().scalars(select(recent.c.action).distinct())))


def _short(text: str, size: int = 60) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def describe(events: list[AuditEvent]) -> dict[int, tuple[str, str]]:
    """Map each event id to (link, text) for its object, loading every object of the page in a few queries."""
    ids: dict[str, set[int]] = {}
    for e in events:
        if e.object_id.isdigit():
            ids.setdefault(e.object_type, set()).add(int(e.object_id))
    drafts = {d.id: d for d in db().scalars(select(Draft).where(Draft.id.in_(ids.get("draft", set()))))}
    posts = {p.id: p for p in db().scalars(select(Post).where(Post.id.in_(ids.get("post", set()))))}
    case_ids = ids.get("case", set()) | {d.case_id for d in drafts.values()} | {p.case_id for p in posts.values()}
    cases = {c.id: (c, m) for c, m in db().execute(select(Case, Mention).join(Mention, Mention.id == Case.mention_id)
                                                    .where(Case.id.in_(case_ids)))}
    names = select(User.id, User.username).where(User.id.in_(ids.get("user", set())))
    users: dict[int, str] = {i: name for i, name in db().execute(names)}  # noqa: C416 - rows, not pairs
    found: dict[int, tuple[str, str]] = {}
    for e in events:
        n = int(e.object_id) if e.object_id.isdigit() else -1
        if e.object_type == "case" and n in cases:
            case, m = cases[n]
            found[e.id] = (url_for("cases.show", case_id=n), f"case {n}: @{m.author_handle} on {m.platform}, "
                           f"{case.queue}")
        elif e.object_type == "draft" and n in drafts:
            d = drafts[n]
            found[e.id] = (url_for("cases.show", case_id=d.case_id) + f"#draft-{n}",
                           f"draft on case {d.case_id}: “{_short(masked_text(d.text))}”")
        elif e.object_type == "post" and n in posts:
            p = posts[n]
            found[e.id] = (url_for("cases.show", case_id=p.case_id) + f"#post-{n}", f"reply on case {p.case_id}")
        elif e.object_type == "user" and n in users:
            found[e.id] = ("", f"user {users[n]}")
    return found


@bp.route("/audit")
@role_required("approver")
def index() -> Any:
    """List audit events, newest first, filtered by action and user; sign-ins folded unless shown."""
    action = request.args.get("action", "").strip()[:32]
    username = request.args.get("user", "").strip()[:80]
    signins = request.args.get("signins") == "1" or action in SIGN_INS
    stmt = select(AuditEvent, User).outerjoin(User, User.id == AuditEvent.user_id)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    elif not signins:
        stmt = stmt.where(AuditEvent.action.not_in(SIGN_INS))
    if username:
        stmt = stmt.where(User.username == username)
    before = int_arg(request.args.get("before"), 0, lo=1)
    if before:
        stmt = stmt.where(AuditEvent.id < before)
    rows = db().execute(stmt.order_by(AuditEvent.id.desc()).limit(PAGE + 1)).all()
    hidden = 0 if signins else db().scalar(select(func.count()).select_from(AuditEvent)
                                            .where(AuditEvent.action.in_(SIGN_INS))) or 0
    page = rows[:PAGE]
    shown = [(e, u, masked_detail(e.detail)) for e, u in page]
    return render_template("audit.html", rows=shown, objects=describe([e for e, _ in page]), action=action,
                           username=username, actions=actions(), signins=signins, hidden=hidden,
                           older=page[-1][0].id if len(rows) > PAGE else None, first=bool(before))


def masked_detail(detail: dict[str, Any]) -> dict[str, Any]:
    """Mask personal data typed into free-text details (reasons, comments) before showing them."""
    out: dict[str, Any] = {}
    for key, value in detail.items():
        out[key] = masked_text(value) if isinstance(value, str) else value
    return out
