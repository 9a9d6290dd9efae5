"""Spike detection: mention counts per bucket against a seasonal baseline, on a negative-binomial chart."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from monitor.context import Context
from monitor.models import Mention, Score, Spike
from monitor.rules import Rules, SpikeRules

WEEK_LAGS, DAY_LAGS = 4, 6
WEEKLY_DECAY, DAILY_DECAY = 0.6, 0.7  # newer weeks (days) count more: a seasonal EWMA over lags
WEEKLY_WEIGHT = 0.8  # once a week of history exists, the same hour last week says most about this one
FLOOR = 0.5  # a quiet series still expects half a mention, so one stray post is no spike

Key = tuple[str, str, str]  # (brand, scope, metric), e.g. ("Acme", "language:fr", "negative")


def poisson_sf(count: int, mean: float) -> float:
    """P(X >= count) for X ~ Poisson(mean), summed in log space so large counts do not overflow."""
    if count <= 0:
        return 1.0
    below = sum(math.exp(k * math.log(mean) - mean - math.lgamma(k + 1)) for k in range(count))
    return max(0.0, 1.0 - below)


def _lagged(counts: Counter[int], bucket: int, lag: int, lags: int, decay: float, first: int) -> float | None:
    """Weighted mean of the counts `lag`, 2*`lag`, ... buckets back (±1 bucket); None without history."""
    total = weight = 0.0
    for k in range(1, lags + 1):
        at = bucket - k * lag
        if at - 1 < first:
            break
        w = decay ** (k - 1)
        total += w * (counts[at - 1] + counts[at] + counts[at + 1]) / 3
        weight += w
    return total / weight if weight else None


def baseline(counts: Counter[int], bucket: int, per_day: int, first: int) -> float:
    """Expected count of a bucket from the same time on earlier days and weeks (first = oldest bucket)."""
    weekly = _lagged(counts, bucket, per_day * 7, WEEK_LAGS, WEEKLY_DECAY, first)
    daily = _lagged(counts, bucket, per_day, DAY_LAGS, DAILY_DECAY, first)
    if weekly is not None and daily is not None:
        expected = WEEKLY_WEIGHT * weekly + (1 - WEEKLY_WEIGHT) * daily
    else:
        recent = [counts[b] for b in range(max(first, bucket - 8), bucket)]
        expected = weekly if weekly is not None else daily if daily is not None else (
            sum(recent) / len(recent) if recent else 0.0)
    return max(FLOOR, expected)


def nbinom_sf(count: int, mean: float, dispersion: float) -> float:
    """P(X >= count) for a negative binomial with this mean and variance mean + mean²/dispersion."""
    if count <= 0:
        return 1.0
    p = dispersion / (dispersion + mean)
    head = math.log(p) * dispersion - math.lgamma(dispersion)
    below = sum(math.exp(head + math.lgamma(k + dispersion) - math.lgamma(k + 1) + k * math.log1p(-p))
                for k in range(count))
    return max(0.0, 1.0 - below)


def tail(count: int, expected: float, cfg: SpikeRules) -> float:
    """Probability of a count at least this high when nothing unusual happens."""
    if cfg.dispersion:
        return nbinom_sf(count, expected, cfg.dispersion)
    return poisson_sf(count, expected)


def is_spike(count: int, expected: float, cfg: SpikeRules) -> bool:
    """Whether a count is far enough above its baseline, in absolute, relative and probability terms."""
    return count >= cfg.min_count and count >= cfg.ratio * expected and tail(count, expected, cfg) < cfg.p_value


@dataclass
class Series:
    """Bucketed counts of every watched series, over the history window."""

    counts: dict[Key, Counter[int]]
    first: int
    bucket_seconds: int


def bucket_of(at: datetime, seconds: int) -> int:
    """Index of the bucket a time falls into (buckets are aligned to the Unix epoch)."""
    return int(at.timestamp()) // seconds


def bucket_start(bucket: int, seconds: int) -> datetime:
    """Start time of a bucket."""
    return datetime.fromtimestamp(bucket * seconds, UTC)


def scopes_of(brand_name: str, text: str, language: str, rules: Rules) -> list[str]:
    """The series a mention counts in: the brand, its language, each brand keyword it contains."""
    wanted = rules.incidents.spikes.scopes
    found = ["all"] if "brand" in wanted else []
    if "language" in wanted and language:
        found.append(f"language:{language}")
    if "query" in wanted:
        brand = next((b for b in rules.brands if b.name == brand_name), None)
        lowered = text.lower()
        found += [f"query:{k}" for k in (brand.keywords if brand else []) if k.lower() in lowered]
    return found


def load_series(session: Session, rules: Rules, now: datetime) -> Series:
    """Count mentions per bucket, series and metric (volume, negative) over the history window."""
    cfg = rules.incidents.spikes
    seconds = cfg.bucket_minutes * 60
    since = now - timedelta(days=cfg.history_days, minutes=cfg.bucket_minutes * 2)
    oldest = session.scalar(select(func.min(Mention.created_at)))
    # plain columns, not objects: this reads every mention of the history window on each pass
    stmt = (select(Mention.created_at, Mention.brand, Mention.text, Mention.language, Score.sentiment,
                   Score.language).outerjoin(Score, Score.mention_id == Mention.id)
            .where(Mention.created_at >= since, Mention.created_at <= now))
    counts: dict[Key, Counter[int]] = {}
    for created, brand, text, stated, sentiment, detected in session.execute(stmt):
        b = bucket_of(created, seconds)
        for scope in scopes_of(brand, text, detected or stated, rules):
            counts.setdefault((brand, scope, "volume"), Counter())[b] += 1
            if sentiment == "negative":
                counts.setdefault((brand, scope, "negative"), Counter())[b] += 1
    first = bucket_of(max(oldest, since), seconds) if oldest else bucket_of(now, seconds)
    return Series(counts, first, seconds)


@dataclass(frozen=True)
class Reading:
    """One series at one bucket: the count, its baseline and the verdict."""

    key: Key
    bucket: int
    count: int
    expected: float
    spike: bool


def readings(series: Series, bucket: int, cfg: SpikeRules) -> Iterable[Reading]:
    """Judge every series at one bucket."""
    per_day = 86400 // series.bucket_seconds
    for key, counts in series.counts.items():
        expected = baseline(counts, bucket, per_day, series.first)
        yield Reading(key, bucket, counts[bucket], expected, is_spike(counts[bucket], expected, cfg))


def open_spikes(session: Session) -> dict[Key, Spike]:
    """The spikes still running, by series."""
    rows = session.scalars(select(Spike).where(Spike.state == "open"))
    return {(s.brand, s.scope, s.metric): s for s in rows}


def _start(session: Session, r: Reading, seconds: int) -> Spike:
    at = bucket_start(r.bucket, seconds)
    spike = Spike(brand=r.key[0], scope=r.key[1], metric=r.key[2], state="open", started_at=at,
                  last_bucket_at=at, count=r.count, baseline=round(r.expected, 2), peak=r.count, total=r.count)
    session.add(spike)
    session.flush()
    return spike


def _follow(spike: Spike, series: Series, current: int, cfg: SpikeRules) -> bool:
    """Refresh a running spike's figures; True when its last `end_after` completed buckets were quiet."""
    counts = series.counts.get((spike.brand, spike.scope, spike.metric), Counter())
    first = bucket_of(spike.started_at, series.bucket_seconds)
    span = range(first, current + 1)
    spike.total = sum(counts[b] for b in span)
    spike.peak = max(counts[b] for b in span)
    spike.count = counts[current]
    spike.last_bucket_at = bucket_start(current, series.bucket_seconds)
    per_day = 86400 // series.bucket_seconds
    quiet = 0
    for b in range(current - 1, first, -1):  # completed buckets after the first, newest first
        if is_spike(counts[b], baseline(counts, b, per_day, series.first), cfg):
            break
        quiet += 1
    spike.quiet_buckets = quiet
    return quiet >= cfg.end_after


def detect(session: Session, rules: Rules, now: datetime) -> tuple[list[Spike], list[Spike]]:
    """Judge the last completed and the running bucket; return (spikes started, spikes ended)."""
    cfg = rules.incidents.spikes
    series = load_series(session, rules, now)
    current = bucket_of(now, series.bucket_seconds)
    running = open_spikes(session)
    started: list[Spike] = []
    ended: list[Spike] = []
    # A partly filled bucket can only grow, so judging the running one alerts without waiting for it to end.
    for bucket in (current - 1, current):
        for r in readings(series, bucket, cfg):
            if r.spike and r.key not in running:
                running[r.key] = _start(session, r, series.bucket_seconds)
                started.append(running[r.key])
    for spike in running.values():
        if _follow(spike, series, current, cfg):
            spike.state, spike.ended_at = "closed", bucket_start(current - spike.quiet_buckets,
                                                                 series.bucket_seconds)
            ended.append(spike)
    return started, ended


def spike_pass(ctx: Context) -> tuple[list[Spike], list[Spike]]:
    """Run detection in one transaction and queue the Slack messages it calls for."""
    from monitor.incident_alerts import queue_spike_messages

    with ctx.sessions() as session, session.begin():
        started, ended = detect(session, ctx.rules, ctx.now())
        queue_spike_messages(session, ctx, started, ended)
        return started, ended
