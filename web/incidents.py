"""Incident pages: open incidents and spikes, one incident in detail (merge, split, close), recurring problems."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from markupsafe import Markup, escape
from sqlalchemy import select

from monitor.incidents import IncidentError, close, members, merge, split
from monitor.models import Case, Incident, Mention, Score, Spike, utcnow
from monitor.phrases import top_phrases
from monitor.recurring import PERIODS, recurring
from monitor.replies import audit
from web.auth import me, role_required
from web.charts import horizontal_bars, stacked_bars
from web.database import db, get_or_404, rules
from web.security import id_arg, int_arg
from web.statements import statements_of

bp = Blueprint("incidents", __name__)
LIST_LIMIT = 100
PALETTE = ("#3a5a9b", "#e09f3e", "#2e7d32", "#9c27b0", "#c62828", "#8d99ae")


@bp.route("/incidents")
@role_required("agent")
def index() -> Any:
    """Open and recent incidents, and the spikes running or ended in the last day."""
    since = utcnow() - timedelta(days=1)
    incidents = list(db().scalars(select(Incident).where(Incident.state != "merged")
                                  .order_by((Incident.state == "open").desc(), Incident.last_at.desc())
                                  .limit(LIST_LIMIT)))
    spikes = list(db().scalars(select(Spike).where((Spike.state == "open") | (Spike.ended_at >= since))
                               .order_by(Spike.started_at.desc()).limit(LIST_LIMIT)))
    return render_template("incidents.html", incidents=incidents, spikes=spikes)


def volume_chart(found: list[Mention], start: datetime, end: datetime) -> tuple[Markup, dict[str, str]]:
    """Mentions per time step over the incident, stacked by language."""
    span = max((end - start).total_seconds(), 60.0)
    step = next((s for s in (300, 900, 3600, 4 * 3600, 86400) if span / s <= 48), 86400)
    origin = datetime.fromtimestamp(int(start.timestamp()) // step * step, start.tzinfo)
    n = int((end - origin).total_seconds() // step) + 1
    langs = [lang for lang, _ in Counter(m.language or "?" for m in found).most_common(5)]
    series = {lang: [0] * n for lang in langs} | {"other": [0] * n}
    for m in found:
        i = int((m.created_at - origin).total_seconds() // step)
        series[m.language if m.language in series else "other"][min(max(i, 0), n - 1)] += 1
    labels = [(origin + timedelta(seconds=i * step)).strftime("%m-%d %H:%M") for i in range(n)]
    shown = {k: v for k, v in series.items() if any(v)}
    colours = dict(zip(shown, PALETTE, strict=False))
    return stacked_bars(labels, shown, f"Mentions per {step // 60} minutes by language", colours=colours), colours


def legend(colours: dict[str, str]) -> Markup:
    """A one-line SVG legend: a coloured square and the name of each series."""
    items = "".join(f'<rect x="{i * 90}" y="2" width="12" height="12" fill="{c}"/>'
                    f'<text x="{i * 90 + 16}" y="13" class="axis">{escape(name)}</text>'
                    for i, (name, c) in enumerate(colours.items()))
    return Markup(f'<svg class="legend" width="{len(colours) * 90}" height="16" role="img" '  # noqa: S704 - escaped
                  f'aria-label="legend" xmlns="http://www.w3.org/2000/svg">{items}</svg>')


@bp.route("/incidents/<int:incident_id>")
@role_required("agent")
def show(incident_id: int) -> Any:
    """One incident: volume over time, languages, top phrases, reach and the cases inside."""
    incident = get_or_404(Incident, incident_id)
    found = members(db(), incident.id)
    cases = {c.mention_id: c for c in db().scalars(select(Case).where(Case.mention_id.in_([m.id for m in found])))}
    scores = {s.mention_id: s for s in db().scalars(select(Score).where(Score.mention_id.in_([m.id for m in found])))}
    langs = Counter(m.language or "?" for m in found).most_common()
    brand_words = [w for b in rules().brands for k in (b.name, *b.keywords) for w in k.split()]
    phrases = top_phrases([m.text for m in found], 12, ignore=brand_words)
    others = list(db().scalars(select(Incident).where(Incident.state == "open", Incident.id != incident.id)
                               .order_by(Incident.id.desc()).limit(LIST_LIMIT)))
    merged_into = db().get(Incident, incident.merged_into_id) if incident.merged_into_id else None
    chart, colours = volume_chart(found, incident.started_at, max(incident.last_at, incident.started_at)) if found \
        else (Markup(""), {})
    return render_template(
        "incident.html", incident=incident, mentions=found[:500], total=len(found), cases=cases, scores=scores,
        langs=langs, phrases=phrases, reach=sum(m.author_followers for m in found), others=others,
        merged_into=merged_into,
        chart=chart, legend=legend(colours), statements=statements_of(incident.id),
        lang_chart=horizontal_bars([(lang, float(n)) for lang, n in langs[:8]], "Mentions by language"))


def _done(incident_id: int, message: str) -> Any:
    db().commit()
    flash(message, "ok")
    return redirect(url_for("incidents.show", incident_id=incident_id))


def _refused(incident_id: int, exc: IncidentError) -> Any:
    db().rollback()
    flash(str(exc), "error")
    return redirect(url_for("incidents.show", incident_id=incident_id))


@bp.post("/incidents/<int:incident_id>/merge")
@role_required("agent")
def merge_into(incident_id: int) -> Any:
    """Merge this incident into another one."""
    source = get_or_404(Incident, incident_id)
    ident = id_arg(request.form.get("target"))
    target = db().get(Incident, ident) if ident else None
    if target is None:
        return _refused(incident_id, IncidentError("Choose the incident to merge into."))
    try:
        merge(db(), source, target, utcnow(), rules().incidents.lexical_weight)
    except IncidentError as exc:
        return _refused(incident_id, exc)
    audit(db(), me(), "incident_merge", source, into=target.id)
    return _done(target.id, f"Incident {source.id} merged into this one.")


@bp.post("/incidents/<int:incident_id>/split")
@role_required("agent")
def split_off(incident_id: int) -> Any:
    """Move the ticked mentions into a new incident."""
    incident = get_or_404(Incident, incident_id)
    ids = [i for v in request.form.getlist("mention_id")[:1000] if (i := id_arg(v))]
    try:
        new = split(db(), incident, ids, rules(), utcnow())
    except IncidentError as exc:
        return _refused(incident_id, exc)
    audit(db(), me(), "incident_split", incident, new=new.id, mentions=len(ids))
    return _done(new.id, f"{new.size} mentions split off from incident {incident.id}.")


@bp.post("/incidents/<int:incident_id>/close")
@role_required("agent")
def close_one(incident_id: int) -> Any:
    """Close an incident."""
    incident = get_or_404(Incident, incident_id)
    try:
        close(incident, utcnow())
    except IncidentError as exc:
        return _refused(incident_id, exc)
    audit(db(), me(), "incident_close", incident)
    return _done(incident_id, "Incident closed.")


@bp.route("/recurring")
@role_required("agent")
def recurring_view() -> Any:
    """The largest groups of similar negative mentions over 7, 30 or 90 days, with trend and cases."""
    days = int_arg(request.args.get("days"), 7)
    days = days if days in PERIODS else 7
    brand_words = [w for b in rules().brands for k in (b.name, *b.keywords) for w in k.split()]
    problems = recurring(db(), utcnow(), days, rules().incidents.recurring_similarity, ignore=brand_words)
    db().commit()  # vectors embedded for this view are kept for the next one
    charts = [stacked_bars([f"-{len(p.weekly) - 1 - i}w" if i < len(p.weekly) - 1 else "now"
                            for i in range(len(p.weekly))], {"negative": p.weekly},
                           f"Mentions per week, problem {n}", width=320, height=120)
              for n, p in enumerate(problems, 1)]
    return render_template("recurring.html", days=days, periods=PERIODS, problems=problems, charts=charts)
