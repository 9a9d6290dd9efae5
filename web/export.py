"""CSV export of cases with the inbox's filters: one streamed row per case, with response times."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Blueprint, Response, request, stream_with_context, url_for
from sqlalchemy import func, select

from monitor.models import Case, CaseTag, Post, utcnow
from web.auth import role_required
from web.database import db
from web.inbox import cases_query, filter_args

bp = Blueprint("export", __name__)
BATCH = 500
COLUMNS = ("case_id", "created_at", "state", "queue", "priority", "type", "close_reason", "rule", "team",
           "brand", "platform", "language", "author", "followers", "sentiment", "assignee", "sla_due_at",
           "first_response_at", "response_minutes", "within_sla", "closed_at", "replies_posted", "tags", "link")


def safe_cell(value: Any) -> Any:
    """Stop spreadsheet programs from running a cell as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def period(args: dict[str, str]) -> tuple[datetime | None, datetime | None]:
    """Read since/until (YYYY-MM-DD, UTC, until inclusive) from the query string."""
    bounds: list[datetime | None] = []
    for key, extra in (("since", 0), ("until", 1)):
        try:
            day = datetime.strptime(args.get(key, ""), "%Y-%m-%d").replace(tzinfo=UTC)
            bounds.append(day + timedelta(days=extra))
        except ValueError:
            bounds.append(None)
    return bounds[0], bounds[1]


def _iso(value: datetime | None) -> str:
    return value.isoformat(timespec="seconds") if value else ""


def _row(case: Case, mention: Any, score: Any, tags: list[str], posted: int, base: str) -> list[Any]:
    minutes = ((case.first_response_at - case.created_at).total_seconds() / 60 if case.first_response_at
               else None)
    within = "" if case.first_response_at is None else ("yes" if case.first_response_at <= case.sla_due_at
                                                        else "no")
    values = [case.id, _iso(case.created_at), case.state, case.queue, case.priority, case.case_type,
              case.close_reason, case.rule, case.team, mention.brand, mention.platform,
              score.language if score else mention.language, "@" + mention.author_handle,
              mention.author_followers, score.sentiment if score else "",
              case.assignee.username if case.assignee else "", _iso(case.sla_due_at),
              _iso(case.first_response_at), "" if minutes is None else f"{minutes:.1f}", within,
              _iso(case.closed_at), posted, " ".join(tags), f"{base}/cases/{case.id}"]
    return [safe_cell(v) for v in values]


def rows(args: dict[str, str], base: str) -> Iterator[str]:
    """Yield the CSV text, header first, a batch of cases at a time (keyset by case id)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    since, until = period(args)
    stmt = cases_query(args)
    stmt = stmt.where(Case.created_at >= since) if since else stmt
    stmt = stmt.where(Case.created_at < until) if until else stmt
    last = 0
    while True:
        batch = db().execute(stmt.where(Case.id > last).order_by(Case.id).limit(BATCH)).unique().all()
        if not batch:
            break
        ids = [c.id for c, _, _ in batch]
        tags: dict[int, list[str]] = {}
        for case_id, tag in db().execute(select(CaseTag.case_id, CaseTag.tag).where(CaseTag.case_id.in_(ids))):
            tags.setdefault(case_id, []).append(tag)
        posted = {case_id: int(n) for case_id, n in db().execute(select(Post.case_id, func.count()).where(
            Post.case_id.in_(ids), Post.status == "posted").group_by(Post.case_id))}
        for case, mention, score in batch:
            writer.writerow(_row(case, mention, score, sorted(tags.get(case.id, [])), posted.get(case.id, 0), base))
        yield out.getvalue()
        out.seek(0)
        out.truncate()
        last = ids[-1]
        db().expunge_all()  # keep memory flat on big exports
    yield out.getvalue()


@bp.route("/export/cases.csv")
@role_required("agent")
def cases() -> Any:
    """Stream the cases matching the inbox filters (and an optional since/until period) as CSV."""
    args = {**filter_args(), **{k: request.args[k] for k in ("since", "until") if k in request.args}}
    base = url_for("inbox.index", _external=True).rstrip("/")
    name = f"repguard-cases-{utcnow():%Y%m%d-%H%M}.csv"
    return Response(stream_with_context(rows(args, base)), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})

