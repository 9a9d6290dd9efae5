"""Dashboard: mention volume and sentiment, first-response times against the SLA, open cases, top words."""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from flask import Blueprint, render_template, request
from sqlalchemy import func, select

from monitor.models import Case, Mention, Score, utcnow
from monitor.privacy import mask, spans_of
from monitor.rules import Rules
from web.auth import role_required
from web.charts import horizontal_bars, stacked_bars
from web.database import db, rules
from web.security import int_arg

bp = Blueprint("dashboard", __name__)
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


def volume_by_day(since: datetime, days: int) -> tuple[list[str], dict[str, list[int]]]:
    """Count mentions per day and sentiment since a date."""
    labels = [(since + timedelta(days=i)).strftime("%Y-%m-%d") for i in range(days)]
    series: dict[str, list[int]] = {s: [0] * days for s in ("negative", "neutral", "positive")}
    stmt = (select(Mention.created_at, Score.sentiment).outerjoin(Score, Score.mention_id == Mention.id)
            .where(Mention.created_at >= since))
    for created, sentiment in db().execute(stmt):
        index = (created - since).days
        if 0 <= index < days:
            series[sentiment if sentiment in series else "neutral"][index] += 1
    return labels, series


def response_times(since: datetime, rules_: Rules) -> dict[str, Any]:
    """Return first-response minutes (median, p90) and the share answered within the SLA."""
    stmt = select(Case).where(Case.first_response_at.is_not(None), Case.created_at >= since)
    minutes, within = [], 0
    for item in db().scalars(stmt):
        assert item.first_response_at is not None
        spent = (item.first_response_at - item.created_at).total_seconds() / 60
        minutes.append(round(spent, 1))
        within += spent <= rules_.sla_minutes(item.priority)
    return {"count": len(minutes), "median": percentile(minutes, 50), "p90": percentile(minutes, 90),
            "within": round(100 * within / len(minutes)) if minutes else 0,
            "target": rules_.sla_minutes("normal")}


def open_by_state() -> list[tuple[str, float]]:
    """Count cases by state."""
    rows = db().execute(select(Case.state, func.count()).group_by(Case.state)).all()
    order = {s: i for i, s in enumerate(("new", "assigned", "replied", "closed"))}
    return sorted(((str(s), float(n)) for s, n in rows), key=lambda r: order.get(r[0], 9))


def top_phrases(since: datetime, rules_: Rules, limit: int = 15) -> list[tuple[str, float]]:
    """Return the most frequent words and two-word phrases in negative mentions since a date."""
    brand_words = {w.lower() for b in rules_.brands for k in (b.name, *b.keywords) for w in k.split()}
    stmt = (select(Mention.text, Mention.pii_spans).join(Score, Score.mention_id == Mention.id)
            .where(Score.sentiment == "negative", Mention.created_at >= since))
    counts: Counter[str] = Counter()
    for raw, spans in db().execute(stmt):
        text = mask(raw, spans_of(raw, spans, rules_.moderation))  # no personal data in the chart
        words = [w.lower().strip("'’-") for w in _WORD.findall(re.sub(r"https?://\S+|[@#]\w+", " ", text))]
        words = [w for w in words if len(w) > 2 and w not in STOPWORDS and w not in brand_words]
        counts.update(set(words))
        counts.update({f"{a} {b}" for a, b in itertools.pairwise(words)})
    ranked = [(p, float(n)) for p, n in counts.most_common(limit * 3) if n > 1 or " " not in p]
    return ranked[:limit]


@bp.route("/dashboard")
@role_required("agent")
def index() -> Any:
    """Show charts for the last N days (default 14)."""
    span = min(int_arg(request.args.get("days"), 14, lo=1), 90)
    now = utcnow()
    since = (now - timedelta(days=span - 1)).replace(hour=0, minute=0, second=0, microsecond=0)
    labels, series = volume_by_day(since, span)
    times = response_times(now - timedelta(days=30), rules())
    phrases = top_phrases(now - timedelta(days=7), rules())
    states = open_by_state()
    return render_template(
        "dashboard.html", span=span, times=times, states=states, phrases=phrases, totals=series,
        volume_chart=stacked_bars(labels, series, f"Mentions per day by sentiment, last {span} days"),
        response_chart=horizontal_bars([("median", times["median"]), ("90th percentile", times["p90"])],
                                       "First-response minutes", " min", marker=times["target"]),
        state_chart=horizontal_bars(states, "Cases by state"),
        phrase_chart=horizontal_bars(phrases, "Frequent words in negative mentions this week"))
