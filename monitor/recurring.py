"""Recurring problems: the largest groups of similar negative mentions over 7, 30 or 90 days."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.context import Context
from monitor.grouping import coherence, group
from monitor.models import Case, Mention, Score
from monitor.phrases import top_phrases

PERIODS = (7, 30, 90)
MAX_MENTIONS = 5000  # newest negative mentions looked at; keeps a page view to a few seconds


@dataclass
class Problem:
    """One recurring problem: its mentions, weekly trend, phrases, examples and cases."""

    mentions: list[Mention]
    weekly: list[int]
    phrases: list[str]
    examples: list[Mention]
    case_ids: list[int] = field(default_factory=list)

    @property
    def trend(self) -> int:
        """Mentions in the last 7 days minus the 7 days before."""
        return (self.weekly[-1] - self.weekly[-2]) if len(self.weekly) > 1 else self.weekly[-1]


def weekly_counts(mentions: Sequence[Mention], now: datetime, days: int) -> list[int]:
    """Mentions per 7-day slice, oldest first, ending now."""
    weeks = max(1, -(-days // 7))
    counts = [0] * weeks
    for m in mentions:
        age = (now - m.created_at).days // 7
        if 0 <= age < weeks:
            counts[weeks - 1 - age] += 1
    return counts


def recurring(session: Session, now: datetime, days: int, similarity: float, limit: int = 10,
              min_size: int = 3, ignore: Sequence[str] = (), coherence_min: float = 0.38) -> list[Problem]:
    """Group negative mentions of the last `days` by meaning, largest groups first."""
    from monitor.incidents import central_mentions, vectors_of

    stmt = (select(Mention).join(Score, Score.mention_id == Mention.id)
            .where(Score.sentiment == "negative", Mention.created_at >= now - timedelta(days=days),
                   Mention.created_at <= now)
            .order_by(Mention.created_at.desc()).limit(MAX_MENTIONS))
    mentions = list(reversed(list(session.scalars(stmt))))
    if not mentions:
        return []
    vecs = vectors_of(session, mentions)
    # no time window: a problem recurs across the whole period
    groups = sorted(group(vecs, [0.0] * len(mentions), similarity, 1.0), key=lambda g: -len(g.members))
    found: list[Problem] = []
    for g in groups:
        if len(g.members) < min_size or len(found) >= limit:
            break
        if coherence(g.total, len(g.members)) < coherence_min:
            continue  # loosely chained complaints about different things
        members = [mentions[i] for i in g.members]
        phrases = top_phrases([m.text for m in members], 5, ignore)
        found.append(Problem(members, weekly_counts(members, now, days), phrases,
                             central_mentions(session, members, 3), _cases(session, members)))
    return found


def _cases(session: Session, mentions: Sequence[Mention]) -> list[int]:
    ids = [m.id for m in mentions]
    return list(session.scalars(select(Case.id).where(Case.mention_id.in_(ids)).order_by(Case.id)))


def queue_weekly_digest(session: Session, ctx: Context) -> None:
    """On Monday from 09:00 UTC, queue one Slack digest of last week's largest problems (once a week)."""
    from monitor.incident_alerts import masked_excerpt, message_blocks, queue

    now = ctx.now()
    if now.weekday() != 0 or now.hour < 9 or not ctx.rules.incidents.slack:
        return
    year, week, _ = now.isocalendar()
    brand_words = [w for b in ctx.rules.brands for k in (b.name, *b.keywords) for w in k.split()]
    problems = recurring(session, now, 7, ctx.rules.incidents.recurring_similarity, limit=5, ignore=brand_words)
    if not problems:
        return
    lines = [f"{len(p.mentions)} mentions ({p.trend:+d} on the week before): {', '.join(p.phrases[:3])}"
             for p in problems]
    examples = [masked_excerpt(p.examples[0].text, ctx.rules) for p in problems]
    blocks = message_blocks(f"Recurring problems, week {week}", "\n".join(lines), examples,
                            f"{ctx.base_url}/recurring", "Open recurring problems")
    queue(session, ctx, f"recurring:{year}-{week}", f"Recurring problems, week {week}", blocks, "recurring")

