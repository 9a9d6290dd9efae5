"""Incidents: mentions that arrive close together and say the same thing, grouped and followed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from moderation.embed_shipped import embed
from monitor.context import Context
from monitor.grouping import LEX_DIM, best_match, coherence, features, group, merge_close, prototypes, unit, wording
from monitor.models import Incident, IncidentMention, Mention, MentionVector, Score
from monitor.rules import Incidents, Rules

LEXICAL_WEIGHT = Incidents().lexical_weight
TITLE = 90
LINK_MIN = 3  # a group in another language needs this many mentions to be linked by time alone


def vectors_of(session: Session, mentions: Sequence[Mention], lexical_weight: float = LEXICAL_WEIGHT) -> np.ndarray:
    """Grouping vectors of mentions: stored sentence embeddings (made when missing) mixed with their wording."""
    ids = [m.id for m in mentions]
    stored = {mid: np.frombuffer(raw, dtype=np.float32) for mid, raw in session.execute(
        select(MentionVector.mention_id, MentionVector.vector).where(MentionVector.mention_id.in_(ids)))}
    missing = [m for m in mentions if m.id not in stored]
    if missing:
        for m, vec in zip(missing, embed([m.text for m in missing]), strict=True):
            stored[m.id] = vec
            session.add(MentionVector(mention_id=m.id, vector=vec.astype(np.float32).tobytes()))
        session.flush()
    if not ids:
        return np.zeros((0, 0), dtype=np.float32)
    return features([wording(m.text, m.brand) for m in mentions], np.stack([stored[i] for i in ids]), lexical_weight)


def central_mentions(session: Session, mentions: Sequence[Mention], limit: int = 3) -> list[Mention]:
    """The mentions closest to the group's mean vector (the most typical ones)."""
    if len(mentions) <= limit:
        return list(mentions)
    vecs = vectors_of(session, mentions)
    order = np.argsort(-(vecs @ unit(vecs.sum(axis=0))))
    return [mentions[int(i)] for i in order[:limit]]


def dominant_language(session: Session, incident_id: int) -> str:
    """The most common language among an incident's mentions."""
    langs = session.scalars(select(Mention.language).join(IncidentMention, IncidentMention.mention_id == Mention.id)
                            .where(IncidentMention.incident_id == incident_id))
    common = Counter(langs).most_common(1)
    return common[0][0] if common else ""


def open_incidents(session: Session, brand: str | None = None) -> list[Incident]:
    """Incidents still open, oldest first (optionally one brand's)."""
    stmt = select(Incident).where(Incident.state == "open").order_by(Incident.id)
    if brand is not None:
        stmt = stmt.where(Incident.brand == brand)
    return list(session.scalars(stmt))


def add_members(session: Session, incident: Incident, mentions: Sequence[Mention], vecs: np.ndarray,
                now: datetime, *, own_prototype: bool = False) -> None:
    """Put mentions into an incident and fold their vectors into its closest prototype (or a new one)."""
    dim = vecs.shape[1]
    protos = prototypes(incident.centroid, dim)
    if own_prototype or not protos.any():
        protos = np.vstack([protos[protos.any(axis=1)], np.zeros((1, dim), dtype=np.float32)])
    for m, vec in zip(mentions, vecs, strict=True):
        k = len(protos) - 1 if own_prototype or len(protos) == 1 else int(np.argmax(unit(protos) @ vec))
        protos[k] += vec
        session.add(IncidentMention(mention_id=m.id, incident_id=incident.id,
                                    similarity=round(float(unit(protos[k]) @ vec), 4), added_at=now))
        incident.last_at = max(incident.last_at, m.created_at)
        incident.started_at = min(incident.started_at, m.created_at)
    incident.centroid = protos.astype(np.float32).tobytes()
    incident.size += len(mentions)
    session.flush()


def absorb(session: Session, ctx: Context, mention: Mention, score: Score) -> int | None:
    """Put a just-routed mention into a matching open incident; return its id (None: no incident)."""
    cfg = ctx.rules.incidents
    if not cfg.enabled or score.sentiment not in cfg.sentiments:
        return None
    window = timedelta(minutes=cfg.window_minutes)
    live = [i for i in open_incidents(session, mention.brand) if mention.created_at - i.last_at <= window]
    if not live:
        return None
    vec = vectors_of(session, [mention], cfg.lexical_weight)[0]
    best, sim = best_match(vec, [prototypes(i.centroid, len(vec)) for i in live])
    if best < 0 or sim < cfg.similarity:
        return None
    add_members(session, live[best], [mention], vec[None, :], ctx.now())
    return live[best].id


def _candidates(session: Session, cfg: Incidents, now: datetime) -> list[Mention]:
    """Recent mentions of the grouped sentiments that belong to no incident yet, oldest first."""
    since = now - timedelta(minutes=cfg.window_minutes * 2)
    stmt = (select(Mention).join(Score, Score.mention_id == Mention.id)
            .outerjoin(IncidentMention, IncidentMention.mention_id == Mention.id)
            .where(IncidentMention.mention_id.is_(None), Score.sentiment.in_(cfg.sentiments),
                   Mention.created_at >= since, Mention.stage.in_(("routed", "ignored")))
            .order_by(Mention.created_at, Mention.id))
    return list(session.scalars(stmt))


def _title(session: Session, mentions: Sequence[Mention], rules: Rules) -> str:
    from monitor.incident_alerts import masked_excerpt

    text = masked_excerpt(central_mentions(session, mentions, 1)[0].text, rules)
    return text if len(text) <= TITLE else text[:TITLE - 1] + "…"


def _linked(session: Session, cfg: Incidents, members: Sequence[Mention], language: str) -> Incident | None:
    """The open incident in another language that grew most while this group formed, if one started nearby.

    With an encoder that reads one language, the same outage told in French and in English lands in
    separate groups; an incident that bursts at the same moment is the best evidence they are one.
    """
    if not cfg.link_languages_minutes:
        return None
    near = timedelta(minutes=cfg.link_languages_minutes)
    first, last = min(m.created_at for m in members), max(m.created_at for m in members)
    best, most = None, 0
    for other in open_incidents(session, members[0].brand):
        if abs(other.started_at - first) > near or dominant_language(session, other.id) == language:
            continue
        during = session.scalar(select(func.count()).select_from(IncidentMention)
                                .join(Mention, Mention.id == IncidentMention.mention_id)
                                .where(IncidentMention.incident_id == other.id,
                                       Mention.created_at.between(first - near, last + near))) or 0
        if during > most:
            best, most = other, during
    return best if most >= cfg.min_mentions else None


def _join_or_open(session: Session, ctx: Context, members: list[Mention], vecs: np.ndarray) -> Incident | None:
    """Attach a group to a matching open incident, or open a new one when it is big enough.

    Returns the incident it opened; None when it joined one or stays ungrouped for now.
    """
    cfg, now = ctx.rules.incidents, ctx.now()
    first = min(m.created_at for m in members)
    language = Counter(m.language for m in members).most_common(1)[0][0]
    live = open_incidents(session, members[0].brand)
    best, sim = best_match(unit(vecs.sum(axis=0)), [prototypes(i.centroid, vecs.shape[1]) for i in live])
    target = live[best] if best >= 0 and sim >= cfg.similarity else None
    # a chain of loosely similar complaints is background, not an incident: its members must agree
    coherent = coherence(vecs.sum(axis=0), len(members)) >= cfg.coherence
    linked = None
    if target is None and coherent and len(members) >= LINK_MIN:
        linked = _linked(session, cfg, members, language)
    if target is not None or linked is not None:
        # a group in another language keeps its own prototype, so neither language dilutes the other
        add_members(session, target or linked, members, vecs, now, own_prototype=target is None)  # type: ignore[arg-type]
        return None
    if len(members) < cfg.min_mentions or not coherent:
        return None
    incident = Incident(brand=members[0].brand, title=_title(session, members, ctx.rules), state="open",
                        started_at=first, last_at=first, size=0, digested_size=0,
                        centroid=b"", created_at=now)
    session.add(incident)
    session.flush()
    add_members(session, incident, members, vecs, now)
    return incident


def group_pending(session: Session, ctx: Context) -> list[Incident]:
    """Group recent ungrouped mentions; groups that reach `min_mentions` become incidents."""
    cfg = ctx.rules.incidents
    opened: list[Incident] = []
    by_brand: dict[str, list[Mention]] = {}
    for m in _candidates(session, cfg, ctx.now()):
        by_brand.setdefault(m.brand, []).append(m)
    for mentions in by_brand.values():
        vecs = vectors_of(session, mentions, cfg.lexical_weight)
        times = [m.created_at.timestamp() for m in mentions]
        groups = merge_close(group(vecs, times, cfg.similarity, cfg.window_minutes * 60.0), cfg.similarity)
        for g in sorted(groups, key=lambda g: (-len(g.members), g.members[0])):
            new = _join_or_open(session, ctx, [mentions[i] for i in g.members], vecs[g.members])
            opened += [new] if new else []
    return opened


def close_quiet(session: Session, cfg: Incidents, now: datetime) -> list[Incident]:
    """Close open incidents that had no new mention for `close_after_minutes`."""
    quiet = [i for i in open_incidents(session) if now - i.last_at >= timedelta(minutes=cfg.close_after_minutes)]
    for incident in quiet:
        incident.state, incident.closed_at = "closed", now
    return quiet


class IncidentError(ValueError):
    """An incident action that cannot be done, in words for the person who asked."""


def members(session: Session, incident_id: int) -> list[Mention]:
    """An incident's mentions, oldest first."""
    return list(session.scalars(select(Mention).join(IncidentMention, IncidentMention.mention_id == Mention.id)
                                .where(IncidentMention.incident_id == incident_id)
                                .order_by(Mention.created_at, Mention.id)))


def feature_dim(session: Session, incident: Incident) -> int:
    """Size of the grouping vectors of an incident's mentions (embedding plus hashed wording)."""
    raw = session.scalar(select(MentionVector.vector).join(IncidentMention, IncidentMention.mention_id ==
                                                           MentionVector.mention_id)
                         .where(IncidentMention.incident_id == incident.id).limit(1))
    return len(raw) // 4 + LEX_DIM if raw else 0


def _rebuild(session: Session, incident: Incident, weight: float = LEXICAL_WEIGHT) -> None:
    """Recompute size, times and a single prototype from the incident's current members."""
    found = members(session, incident.id)
    incident.size = len(found)
    if found:
        incident.started_at, incident.last_at = found[0].created_at, found[-1].created_at
        vecs = vectors_of(session, found, weight)
        incident.centroid = vecs.sum(axis=0, keepdims=True).astype(np.float32).tobytes()


def merge(session: Session, source: Incident, target: Incident, now: datetime,
          lexical_weight: float = LEXICAL_WEIGHT) -> None:
    """Move every mention of `source` into `target`; `source` is kept as merged, pointing at `target`."""
    if source.id == target.id:
        raise IncidentError("An incident cannot be merged into itself.")
    if "merged" in (source.state, target.state):
        raise IncidentError("That incident was already merged into another one.")
    dim = feature_dim(session, target)
    protos = np.vstack([prototypes(target.centroid, dim), prototypes(source.centroid, dim)])
    for row in session.scalars(select(IncidentMention).where(IncidentMention.incident_id == source.id)):
        row.incident_id = target.id
    session.flush()
    source.state, source.merged_into_id, source.closed_at, source.size = "merged", target.id, now, 0
    _rebuild(session, target, lexical_weight)
    target.centroid = protos.astype(np.float32).tobytes()  # both incidents' prototypes keep matching


def split(session: Session, incident: Incident, mention_ids: Sequence[int], rules: Rules, now: datetime) -> Incident:
    """Move the chosen mentions of an incident into a new incident of their own."""
    rows = list(session.scalars(select(IncidentMention).where(IncidentMention.incident_id == incident.id,
                                                             IncidentMention.mention_id.in_(mention_ids))))
    if not rows or len(rows) >= incident.size:
        raise IncidentError("Choose some, but not all, of the incident's mentions to split off.")
    moved = [session.get(Mention, r.mention_id) for r in rows]
    new = Incident(brand=incident.brand, title=_title(session, [m for m in moved if m], rules), state="open",
                   started_at=incident.started_at, last_at=incident.last_at, size=0, digested_size=0,
                   centroid=b"", created_at=now)
    session.add(new)
    session.flush()
    for row in rows:
        row.incident_id = new.id
    session.flush()
    _rebuild(session, new, rules.incidents.lexical_weight)
    _rebuild(session, incident, rules.incidents.lexical_weight)
    new.digested_size = new.size
    return new


def close(incident: Incident, now: datetime) -> None:
    """Close an open incident by hand."""
    if incident.state != "open":
        raise IncidentError(f"Only an open incident can be closed; this one is {incident.state}.")
    incident.state, incident.closed_at = "closed", now
