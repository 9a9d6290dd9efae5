"""The inbox: cases with filters and search, overdue first, keyset-paginated; assign and close in bulk."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, TypeVar

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import Select, func, or_, select, text, tuple_
from sqlalchemy.orm import joinedload

from monitor.models import Case, CaseTag, Mention, SavedView, Score, User, utcnow
from monitor.replies import audit
from monitor.sources import SOURCES
from web.auth import me, role_required
from web.database import db, rules
from web.security import id_arg

bp = Blueprint("inbox", __name__)
OPEN_STATES = ("new", "assigned")
STATES = ("open", "new", "assigned", "replied", "closed", "all")
PRIORITIES = ("urgent", "high", "normal", "low")
SENTIMENTS = ("negative", "neutral", "positive")
FILTERS = ("state", "queue", "brand", "language", "tag", "type", "priority", "sentiment", "source", "assignee",
           "q")
PAGE = 50
MAX_BULK = 200
S = TypeVar("S", bound=Select)  # type: ignore[type-arg]
# Literal, not bound: SQLite uses the partial index ix_cases_open_sla only when the query repeats its WHERE.
OPEN_SQL = text("cases.state IN ('new', 'assigned')")


def _like(q: str) -> str:
    """Turn a search into a LIKE pattern that matches the text literally."""
    return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _filtered(stmt: S, args: dict[str, str]) -> S:
    """Apply the inbox filters from the query string (the export uses the same ones)."""
    state = args.get("state", "open")
    if state == "open":
        stmt = stmt.where(OPEN_SQL)
    elif state in STATES[1:-1]:
        stmt = stmt.where(Case.state == state)
    for key, column in (("queue", Case.queue), ("brand", Mention.brand), ("type", Case.case_type),
                        ("language", Score.language)):
        if args.get(key):
            stmt = stmt.where(column == args[key][:64])
    if args.get("tag"):
        stmt = stmt.where(Case.id.in_(select(CaseTag.case_id).where(CaseTag.tag == args["tag"][:48])))
    if args.get("priority") in PRIORITIES:
        stmt = stmt.where(Case.priority == args["priority"])
    if args.get("sentiment") in SENTIMENTS:
        stmt = stmt.where(Score.sentiment == args["sentiment"])
    if args.get("source"):
        stmt = stmt.where(or_(Mention.platform == args["source"], Mention.source == args["source"]))
    assignee = args.get("assignee", "")
    if assignee == "me":
        stmt = stmt.where(Case.assignee_id == current_user.id)
    elif assignee == "nobody":
        stmt = stmt.where(Case.assignee_id.is_(None))
    elif id_arg(assignee):
        stmt = stmt.where(Case.assignee_id == id_arg(assignee))
    q = args.get("q", "").strip()[:200]
    if q:
        fields = (Mention.text, Mention.author_handle, Mention.author_name)
        stmt = stmt.where(or_(*(f.ilike(_like(q), escape="\\") for f in fields)))
    return stmt


def cases_query(args: dict[str, str]) -> Select[Any]:
    """Cases with their mention and score, filtered; ordered by SLA due time (overdue ones come first)."""
    stmt = (select(Case, Mention, Score).join(Mention, Case.mention_id == Mention.id)
            .outerjoin(Score, Score.mention_id == Mention.id).options(joinedload(Case.assignee)))
    return _filtered(stmt, args)  # type: ignore[arg-type]


def cursor(item: Case) -> str:
    """Encode a row's position for keyset pagination."""
    return f"{item.sla_due_at.isoformat()}_{item.id}"


def parse_cursor(value: str) -> tuple[datetime, int] | None:
    """Decode a cursor; None when it is missing or malformed."""
    due, _, ident = value.rpartition("_")
    try:
        when = datetime.fromisoformat(due)
    except ValueError:
        return None
    number = id_arg(ident)  # strict: "²" passes isdigit() and 30 digits overflow the database
    return (when, number) if number and when.tzinfo else None


def page_of(args: dict[str, str]) -> tuple[list[Any], str, str]:
    """Return one page of rows and the cursors of the next and previous pages ("" when none)."""
    key = tuple_(Case.sla_due_at, Case.id)
    stmt = cases_query(args)
    after, before = parse_cursor(args.get("after", "")), parse_cursor(args.get("before", ""))
    if before:
        stmt = stmt.where(key < tuple_(*before)).order_by(Case.sla_due_at.desc(), Case.id.desc())
    else:
        stmt = stmt.where(key > tuple_(*after)) if after else stmt
        stmt = stmt.order_by(Case.sla_due_at, Case.id)
    rows = list(db().execute(stmt.limit(PAGE + 1)).unique().all())
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    if before:
        rows.reverse()
    if not rows:
        return rows, "", ""
    has_next = more or bool(before)
    has_prev = bool(after) or (bool(before) and more)
    return rows, cursor(rows[-1][0]) if has_next else "", cursor(rows[0][0]) if has_prev else ""


def team() -> list[User]:
    """Return active users a case can be assigned to."""
    return list(db().scalars(select(User).where(User.active.is_(True)).order_by(User.username)))


def options() -> dict[str, list[str]]:
    """Filter choices from the rules and small tables, never by scanning mentions."""
    r = rules()
    queues = sorted({"inbox", *(route.then.queue for route in r.routing), *(q for t in r.teams for q in t.queues)})
    languages = sorted({lang for b in r.brands for lang in b.languages}
                       | {lang for route in r.routing for lang in route.when.languages})
    tags = list(db().scalars(select(CaseTag.tag).group_by(CaseTag.tag).order_by(CaseTag.tag).limit(300)))
    return {"queues": queues, "brands": [b.name for b in r.brands], "languages": languages, "tags": tags,
            "types": list(r.care.case_types), "sources": sorted(set(SOURCES) | set(r.sources))}


def queue_counts() -> dict[str, int]:
    """Open cases per queue, counted in SQL."""
    stmt = select(Case.queue, func.count()).where(Case.state.in_(OPEN_STATES)).group_by(Case.queue)
    return {str(q): int(n) for q, n in db().execute(stmt)}


def tags_of(case_ids: list[int]) -> dict[int, list[str]]:
    """Tags of the cases on one page."""
    found: dict[int, list[str]] = {}
    if case_ids:
        stmt = select(CaseTag.case_id, CaseTag.tag).where(CaseTag.case_id.in_(case_ids)).order_by(CaseTag.tag)
        for case_id, tag in db().execute(stmt):
            found.setdefault(case_id, []).append(tag)
    return found


PERSONAL_QUERY = re.compile(r"[^@\s]+@[^@\s]+\.\w+|(?:\d\D{0,3}){9}")


def personal_query(q: str) -> bool:
    """Whether a search looks like a card, SSN, phone number or email: searching for one would confirm a guess."""
    return bool(PERSONAL_QUERY.search(q))


def filter_args() -> dict[str, str]:
    """The filters (and cursors) given in the query string; a search for personal data is dropped."""
    args = {k: v for k, v in request.args.items() if isinstance(v, str) and v and k in (*FILTERS, "after",
                                                                                         "before")}
    if personal_query(args.get("q", "")):
        del args["q"]
    return args


@bp.route("/")
@role_required("agent")
def index() -> Any:
    """List cases, overdue first, then by SLA due time, a page at a time."""
    args = filter_args()
    if personal_query(request.args.get("q", "")):
        flash("Searching for a card, SSN, phone number or email is not allowed: the masked values stay masked.",
              "error")
    rows, next_cursor, prev_cursor = page_of(args)
    base = {k: v for k, v in args.items() if k in FILTERS}
    views = db().scalars(select(SavedView).where(SavedView.user_id == current_user.id).order_by(SavedView.name))
    return render_template("inbox.html", rows=rows, now=utcnow(), args=args, base=base, states=STATES,
                           priorities=PRIORITIES, sentiments=SENTIMENTS, team=team(), opts=options(),
                           counts=queue_counts(), tags=tags_of([r[0].id for r in rows]), views=list(views),
                           next_cursor=next_cursor, prev_cursor=prev_cursor,
                           close_reasons=rules().care.close_reasons)


def assign_case(item: Case, assignee: User) -> None:
    """Give a case to a user and record it."""
    item.assignee_id = assignee.id
    if item.state == "new":
        item.state = "assigned"
    audit(db(), me(), "assign", item, assignee=assignee.username)


def close_case(item: Case, reason: str = "") -> None:
    """Close a case (with a reason from rules.yaml when given) and record it."""
    item.state, item.closed_at = "closed", utcnow()
    reason = reason or request.form.get("close_reason", "")  # the case page's close form sends one too
    if reason in rules().care.close_reasons:
        item.close_reason = reason
    audit(db(), me(), "close", item, **({"reason": item.close_reason} if item.close_reason else {}))


def assignee_from_form() -> User | None:
    """Return the user chosen in the form ("me" or a user id), or None if unknown."""
    choice = request.form.get("assign_to") or request.form.get("assignee", "me")
    if choice == "me":
        return me()
    row = db().get(User, ident) if (ident := id_arg(choice)) is not None else None
    return row if row is not None and row.active else None


def back_to_inbox() -> Any:
    """Redirect to the inbox view the form came from (same filters), or the plain inbox."""
    query = request.form.get("back", "")
    return redirect(url_for("inbox.index") + ("?" + query if query and "\n" not in query else ""))


@bp.post("/cases/bulk")
@role_required("agent")
def bulk() -> Any:
    """Assign or close several cases at once."""
    ids = [i for v in request.form.getlist("case_id") if (i := id_arg(v)) is not None][:MAX_BULK]
    action = request.form.get("action")
    cases = list(db().scalars(select(Case).where(Case.id.in_(ids)))) if ids else []
    if not cases:
        flash("Tick at least one case first.", "error")
        return back_to_inbox()
    if action == "close":
        for item in cases:
            close_case(item, request.form.get("close_reason", ""))
        message = f"Closed {len(cases)} case(s)."
    elif action == "assign" and (assignee := assignee_from_form()) is not None:
        for item in cases:
            assign_case(item, assignee)
        message = f"Assigned {len(cases)} case(s) to {assignee.username}."
    else:
        flash("Choose an action: assign to a team member, or close.", "error")
        return back_to_inbox()
    db().commit()
    flash(message, "ok")
    return back_to_inbox()
