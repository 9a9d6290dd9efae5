"""Dashboard: mention volume and sentiment, first-response times against the SLA, open cases, top words.

Volume comes from the daily roll-up (monitor/rollup.py); the rest is counted in SQL over indexed ranges;
only the frequent-words card reads text, and at most the latest PHRASE_SAMPLE negative mentions of the period.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from flask import Blueprint, render_template, request
from sqlalchemy import ColumnElement, Float, Integer, cast, func, select
from sqlalchemy import case as sql_case

from monitor.models import Case, Mention, Score, User, utcnow
from monitor.privacy import mask, spans_of
from monitor.rollup import volume
from monitor.rules import Rules
from web.auth import role_required
from web.charts import horizontal_bars, stacked_bars
from web.database import db, rules
from web.security import int_arg

bp = Blueprint("dashboard", __name__)
PHRASE_SAMPLE = 1000
_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]", re.UNICODE)
STOPWORDS = frozenset("""a about after again all am an and any are as at be been before being but by can
could did do does doing don't for from had has have having he her here him his how i i'm i've if in into is
it it's its just me more most my no nor not now of off on once only or other our out over own same she should
so some still such than that that's the their them then there these they this those through to too under
until up very was we were what when where which while who why will with would you your yours im ive dont
cant can't isn't wasn't won't get got""".split())


def percentile(values: list[float], pct: float) -> float:
    """Return the nearest-rank percentile of values (0 when empty)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def _postgres() -> bool:
    return db().get_bind().dialect.name == "postgresql"


def minutes_between(start: Any, end: Any) -> ColumnElement[float]:
    """Minutes from start to end, computed by the database."""
    if _postgres():
        return cast(func.extract("epoch", end - start) / 60.0, Float)
    return cast((func.julianday(end) - func.julianday(start)) * 1440.0, Float)


def volume_by_day(since: datetime, days: int) -> tuple[list[str], dict[str, list[int]]]:
    """Scored mentions per day and sentiment since a date, from the daily roll-up."""
    labels = [(since + timedelta(days=i)).strftime("%Y-%m-%d") for i in range(days)]
    series: dict[str, list[int]] = {s: [0] * days for s in ("negative", "neutral", "positive")}
    index = {label: i for i, label in enumerate(labels)}
    for (label, sentiment), n in volume(db(), since, labels[0]).items():
        if label in index:
            series[sentiment if sentiment in series else "neutral"][index[label]] += n
    return labels, series


def _nearest_rank(minutes: Any, answered: tuple[Any, ...], count: int, pct: float) -> float:
    """The nearest-rank percentile of first-response minutes, read with ORDER BY … OFFSET."""
    if not count:
        return 0.0
    rank = max(1, math.ceil(pct / 100 * count))
    value = db().scalar(select(minutes).where(*answered).order_by(minutes).offset(rank - 1).limit(1))
    return round(float(value or 0), 1)


def response_times(since: datetime, rules_: Rules) -> dict[str, Any]:
    """First-response minutes (median, p90, nearest rank) and the share answered by the SLA due time."""
    minutes = minutes_between(Case.created_at, Case.first_response_at)
    answered = (Case.first_response_at.is_not(None), Case.created_at >= since)
    within = func.sum(sql_case((Case.first_response_at <= Case.sla_due_at, 1), else_=0))
    if _postgres():  # one pass: counts and both percentiles (nearest rank, like the SQLite path below)
        ranks = func.percentile_disc([0.5, 0.9]).within_group(minutes)
        count, inside, found = db().execute(select(func.count(), within, ranks).where(*answered)).one()
        count = int(count or 0)
        median, p90 = (round(float(v), 1) for v in found or (0, 0))
    else:
        count, inside = db().execute(select(func.count(), within).where(*answered)).one()
        count = int(count or 0)
        median, p90 = (_nearest_rank(minutes, answered, count, pct) for pct in (50, 90))
    return {"count": count, "median": median, "p90": p90,
            "within": round(100 * int(inside or 0) / count) if count else 0, "target": rules_.sla_minutes("normal")}


def response_by(group: Any, since: datetime) -> list[dict[str, Any]]:
    """Answered cases, mean first-response minutes and share within the SLA, per agent or queue."""
    minutes = minutes_between(Case.created_at, Case.first_response_at)
    within = func.sum(cast(sql_case((Case.first_response_at <= Case.sla_due_at, 1), else_=0), Integer))
    key = func.coalesce(group, "")  # an expression: SQLite then reads the period's range, not the whole index
    stmt = (select(key, func.count(), func.avg(minutes), within).select_from(Case)
            .outerjoin(User, User.id == Case.assignee_id)
            .where(Case.first_response_at.is_not(None), Case.created_at >= since)
            .group_by(key).order_by(func.count().desc()).limit(20))
    return [{"name": name or "unassigned", "count": int(n), "mean": round(float(avg or 0), 1),
             "within": round(100 * int(w or 0) / int(n)) if n else 0} for name, n, avg, w in db().execute(stmt)]


def open_by_state(since: datetime) -> list[tuple[str, float]]:
    """Count the period's cases by state (an indexed range, not the whole history)."""
    state = func.coalesce(Case.state, "")  # see response_by: keeps SQLite on the created_at range
    rows = db().execute(select(state, func.count()).where(Case.created_at >= since).group_by(state)).all()
    order = {s: i for i, s in enumerate(("new", "assigned", "replied", "closed"))}
    return sorted(((str(s), float(n)) for s, n in rows), key=lambda r: order.get(r[0], 9))


def top_phrases(since: datetime, rules_: Rules, limit: int = 15) -> tuple[list[tuple[str, float]], int]:
    """Most frequent words and two-word phrases in the period's latest negative mentions; and how many read."""
    brand_words = {w.lower() for b in rules_.brands for k in (b.name, *b.keywords) for w in k.split()}
    stmt = (select(Mention.text, Mention.pii_spans).join(Score, Score.mention_id == Mention.id)
            .where(Score.sentiment == "negative", Mention.created_at >= since)
            .order_by(Mention.created_at.desc()).limit(PHRASE_SAMPLE))
    counts: Counter[str] = Counter()
    read = 0
    for raw, spans in db().execute(stmt):
        read += 1
        text = mask(raw, spans_of(raw, spans, rules_.moderation))  # no personal data in the chart
        words = [w.lower().strip("'’-") for w in _WORD.findall(re.sub(r"https?://\S+|[@#]\w+", " ", text))]
        words = [w for w in words if len(w) > 2 and w not in STOPWORDS and w not in brand_words]
        counts.update(set(words))
        counts.update({f"{a} {b}" for a, b in itertools.pairwise(words)})
    ranked = [(p, float(n)) for p, n in counts.most_common(limit * 3) if n > 1 or " " not in p]
    return ranked[:limit], read


@bp.route("/dashboard")
@role_required("agent")
def index() -> Any:
    """Show charts for the last N days (default 14); every card covers the same period."""
    span = min(int_arg(request.args.get("days"), 14, lo=1), 90)
    now = utcnow()
    since = (now - timedelta(days=span - 1)).replace(hour=0, minute=0, second=0, microsecond=0)
    labels, series = volume_by_day(since, span)
    times = response_times(since, rules())
    phrases, read = top_phrases(since, rules())
    states = open_by_state(since)
    return render_template(
        "dashboard.html", span=span, times=times, states=states, phrases=phrases, totals=series, read=read,
        sample=PHRASE_SAMPLE, by_agent=response_by(User.username, since), by_queue=response_by(Case.queue, since),
        volume_chart=stacked_bars(labels, series, f"Mentions per day by sentiment, last {span} days"),
        response_chart=horizontal_bars([("median", times["median"]), ("90th percentile", times["p90"])],
                                       "First-response minutes", " min", marker=times["target"]),
        state_chart=horizontal_bars(states, "Cases by state"),
        phrase_chart=horizontal_bars(phrases, f"Frequent words in negative mentions, last {span} days"))
