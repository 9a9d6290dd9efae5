"""Spike detection replayed on synthetic traffic: bursts are caught fast, normal weekly rhythm is not."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from monitor.context import Context
from monitor.models import IncidentMessage, Mention, Score, Spike
from monitor.rules import Rules, SpikeRules
from monitor.spikes import baseline, bucket_of, detect, is_spike, poisson_sf, spike_pass

BUCKET = 15 * 60
PER_DAY = 86400 // BUCKET
START = datetime(2026, 10, 5, tzinfo=UTC)  # a Monday


def rate(at: datetime) -> float:
    """Mentions expected per 15 minutes: busy weekday mornings, quiet nights and weekends."""
    hour = at.hour + at.minute / 60
    day = 1.0 if at.weekday() < 5 else 0.35
    if 8 <= hour < 11:
        return 6.0 * day
    if 11 <= hour < 19:
        return 3.5 * day
    return 0.6 * day


def traffic(days: int, seed: int = 7) -> Counter[int]:
    """Poisson counts per bucket for `days` days from START, following `rate`."""
    import numpy as np

    rng = np.random.default_rng(seed)
    counts: Counter[int] = Counter()
    first = bucket_of(START, BUCKET)
    for b in range(first, first + days * PER_DAY):
        counts[b] = int(rng.poisson(rate(datetime.fromtimestamp(b * BUCKET, UTC))))
    return counts


def test_poisson_tail() -> None:
    assert poisson_sf(0, 3.0) == 1.0
    assert poisson_sf(1, 3.0) == pytest.approx(1 - 2.718281828 ** -3, rel=1e-6)
    assert poisson_sf(30, 3.0) < 1e-15 < poisson_sf(8, 3.0) < 0.02


def test_normal_weeks_raise_no_spike_not_even_on_monday_morning() -> None:
    counts, cfg = traffic(35), SpikeRules()
    first = bucket_of(START, BUCKET)
    judged = range(first + 21 * PER_DAY, first + 35 * PER_DAY)  # the last two weeks, three weeks learned
    alarms = [b for b in judged if is_spike(counts[b], baseline(counts, b, PER_DAY, first), cfg)]
    assert alarms == []
    monday_9am = first + 28 * PER_DAY + 9 * 4
    assert baseline(counts, monday_9am, PER_DAY, first) > 3.5  # it learned that Monday mornings are busy


def test_a_burst_is_caught_within_two_buckets_and_only_while_it_lasts() -> None:
    counts, cfg = traffic(28), SpikeRules()
    first = bucket_of(START, BUCKET)
    burst = first + 23 * PER_DAY + 14 * 4 + 2  # a Tuesday 14:30
    for k, extra in enumerate([6, 14, 25, 30, 20]):
        counts[burst + k] += extra
    hits = [b for b in range(burst - 8, burst + 12)
            if is_spike(counts[b], baseline(counts, b, PER_DAY, first), cfg)]
    assert hits and hits[0] <= burst + 1
    assert max(hits) <= burst + 4


def add_mentions(session: Session, counts: Counter[int], *, lang: str = "en", negative: bool = False,
                 text: str = "lumen mobile question about my plan") -> None:
    """Store mentions spread over each bucket of a count series."""
    rnd = random.Random(3)
    n = session.scalar(select(func.count()).select_from(Mention)) or 0
    for b, c in sorted(counts.items()):
        for _ in range(c):
            n += 1
            at = datetime.fromtimestamp(b * BUCKET + rnd.randrange(BUCKET), UTC)
            m = Mention(source="replay", platform="x", external_id=f"s{n}", brand="Acme", text=text,
                        author_handle=f"u{n}", language=lang, created_at=at, stage="routed")
            session.add(m)
            session.flush()
            session.add(Score(mention_id=m.id, sentiment="negative" if negative else "neutral", negative=0.9
                              if negative else 0.1, neutral=0.1, positive=0.0, toxicity=0.0, language=lang,
                              language_score=0.99))
    session.flush()


@pytest.fixture
def spike_rules(rules: Rules) -> Rules:
    """Test rules with spike messages going to the support channel."""
    return rules.model_copy(update={"incidents": rules.incidents.model_copy(update={"slack": ["support"]})})


def test_replay_alerts_once_per_spike_and_follows_up_when_it_ends(ctx: Context, spike_rules: Rules) -> None:
    ctx.rules = spike_rules
    first = bucket_of(START, BUCKET)
    burst = first + 22 * PER_DAY + 10 * 4 + 1  # a Monday 10:15, busy anyway
    with ctx.sessions() as session, session.begin():
        add_mentions(session, traffic(23))
        add_mentions(session, Counter({burst + k: n for k, n in enumerate([12, 30, 30, 25])}), lang="fr",
                     negative=True, text="acme réseau en panne, pas de signal")
    alerted_at = None
    for step in range(-8, 30):  # replay: one detection pass every 5 minutes around the burst
        now = datetime.fromtimestamp((burst * BUCKET) + step * 300 + 60, UTC)
        ctx.now = lambda now=now: now  # type: ignore[misc]
        started, _ = spike_pass(ctx)
        if started and alerted_at is None:
            alerted_at = bucket_of(now, BUCKET)
    assert alerted_at is not None and alerted_at <= burst + 1
    with ctx.sessions() as session:
        kinds = Counter(session.scalars(select(IncidentMessage.kind)))
        spikes = list(session.scalars(select(Spike)))
        start_msg = session.scalars(select(IncidentMessage).where(IncidentMessage.kind == "spike")).one()
    assert kinds == {"spike": 1, "spike_end": 1}  # several series spiked, Slack heard once
    assert {s.scope for s in spikes} >= {"all", "language:fr"}
    assert all(s.state == "closed" for s in spikes)
    text = str(start_msg.blocks)
    assert "réseau en panne" in text and "http://rg.test/incidents" in text and "baseline" in text


def test_no_spike_on_an_ordinary_monday_morning(ctx: Context, spike_rules: Rules) -> None:
    ctx.rules = spike_rules
    first = bucket_of(START, BUCKET)
    with ctx.sessions() as session, session.begin():
        add_mentions(session, traffic(29))
    monday = START + timedelta(days=28)
    with ctx.sessions() as session, session.begin():
        for minutes in range(7 * 60, 12 * 60, 10):
            started, _ = detect(session, ctx.rules, monday + timedelta(minutes=minutes))
            assert started == []
    assert bucket_of(monday, BUCKET) == first + 28 * PER_DAY
