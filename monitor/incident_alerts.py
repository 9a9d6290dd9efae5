"""Slack messages for spikes and incidents: queued once per key in an outbox, delivered like alerts."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation import check
from monitor.alerts import LEASE, SEND_TIMEOUT, RateLimiter, record_failure, settle
from monitor.context import Context, claimable, retry_locked
from monitor.models import Incident, IncidentMention, IncidentMessage, Mention, Score, Spike
from monitor.notifiers.base import TransportError
from monitor.notifiers.slack import escape_mrkdwn, post
from monitor.rules import Rules

log = logging.getLogger(__name__)
EXCERPT = 200  # characters of each example post in a message


def masked_excerpt(text: str, rules: Rules) -> str:
    """A post shortened for Slack, with personal data replaced by the moderation PII redaction."""
    policy = rules.moderation.model_copy(update={"checks": ["pii"]})
    fixed = check(text, policy=policy).fixed_text
    flat = " ".join(fixed.split())
    return flat if len(flat) <= EXCERPT else flat[:EXCERPT - 1] + "…"


def queue(session: Session, ctx: Context, key: str, text: str, blocks: list[dict[str, Any]], kind: str) -> int:
    """Queue one message per configured channel unless that key was queued before; return how many."""
    added = 0
    for channel in ctx.rules.incidents.slack:
        full = f"{key}:{channel}"
        if session.scalar(select(IncidentMessage.id).where(IncidentMessage.key == full)) is None:
            session.add(IncidentMessage(key=full, channel=channel, kind=kind, text=text,
                                        blocks={"blocks": blocks}, next_attempt_at=ctx.now(), created_at=ctx.now()))
            added += 1
    session.flush()
    return added


def message_blocks(title: str, facts: str, examples: Sequence[str], link: str, button: str) -> list[dict[str, Any]]:
    """Block Kit layout shared by every spike and incident message."""
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": title[:150]}},
        {"type": "section", "text": {"type": "mrkdwn", "text": escape_mrkdwn(facts)}},
    ]
    if examples:
        quoted = "\n".join(f"> {escape_mrkdwn(e)}" for e in examples)
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": quoted[:2900]}})
    blocks.append({"type": "actions", "elements": [
        {"type": "button", "text": {"type": "plain_text", "text": button}, "url": link, "style": "primary"}]})
    return blocks


def spike_examples(session: Session, spike: Spike, rules: Rules, now: datetime, limit: int = 3) -> list[str]:
    """Representative posts of a spike: the most typical ones of the largest group of similar posts in it."""
    from monitor.grouping import group
    from monitor.incidents import central_mentions, vectors_of
    from monitor.spikes import scopes_of

    stmt = (select(Mention).join(Score, Score.mention_id == Mention.id)
            .where(Mention.brand == spike.brand, Mention.created_at >= spike.started_at, Mention.created_at <= now)
            .order_by(Mention.id.desc()).limit(500))
    if spike.metric == "negative":
        stmt = stmt.where(Score.sentiment == "negative")
    found = [m for m in session.scalars(stmt) if spike.scope in scopes_of(m.brand, m.text, m.language, rules)]
    if not found:
        return []
    # the burst is what says the same thing many times; ordinary traffic around it is varied
    vecs = vectors_of(session, found, rules.incidents.lexical_weight)
    groups = group(vecs, [0.0] * len(found), rules.incidents.similarity, 1.0)
    largest = max(groups, key=lambda g: len(g.members))
    return [masked_excerpt(m.text, rules)
            for m in central_mentions(session, [found[i] for i in largest.members], limit)]


def _scope_words(spike: Spike) -> str:
    kind, _, value = spike.scope.partition(":")
    what = "negative mentions" if spike.metric == "negative" else "mentions"
    return what if kind == "all" else f"{what} ({kind} {value})"


def queue_spike_messages(session: Session, ctx: Context, started: list[Spike], ended: list[Spike]) -> None:
    """One alert when a brand's first series spikes, one follow-up when its last spike ends."""
    cfg = ctx.rules.incidents.spikes
    still_open = {s.brand for s in session.scalars(select(Spike).where(Spike.state == "open"))
                  if s not in started}
    for spike in sorted(started, key=lambda s: (s.scope != "all", s.metric != "volume", s.id)):
        if spike.brand in still_open:
            continue  # the brand already has an alert running: another view of the same spike
        still_open.add(spike.brand)
        facts = (f"{spike.peak} {_scope_words(spike)} in {cfg.bucket_minutes} min "
                 f"(baseline {spike.baseline:g} for this time of week) since {spike.started_at:%Y-%m-%d %H:%M} UTC.")
        blocks = message_blocks(f"Spike: {spike.brand}", facts, spike_examples(session, spike, ctx.rules, ctx.now()),
                                f"{ctx.base_url}/incidents", "Open incidents")
        queue(session, ctx, f"spike:{spike.id}:start", f"Spike: {spike.brand} {facts}", blocks, "spike")
    for spike in sorted(ended, key=lambda s: (s.scope != "all", s.metric != "volume", s.id)):
        if spike.brand in still_open:
            continue  # other views of the spike still run (or this brand's end was just reported)
        still_open.add(spike.brand)
        facts = (f"{_scope_words(spike).capitalize()} back to normal at {spike.ended_at:%H:%M} UTC: "
                 f"{spike.total} in all since {spike.started_at:%Y-%m-%d %H:%M}, at most {spike.peak} per bucket.")
        blocks = message_blocks(f"Spike over: {spike.brand}", facts, [], f"{ctx.base_url}/incidents",
                                "Open incidents")
        queue(session, ctx, f"spike:{spike.id}:end", f"Spike over: {spike.brand}. {facts}", blocks, "spike_end")


@dataclass(frozen=True)
class Claimed:
    """A message claimed for sending: marked `sending` (committed) before Slack is called."""

    id: int
    url: str
    key: str
    text: str
    blocks: list[dict[str, Any]]


def _claim(ctx: Context, limiter: RateLimiter) -> Claimed | bool:
    """Claim one due message: a Claimed to send, or whether a row was handled without sending."""
    now = ctx.now()
    with ctx.sessions() as session, session.begin():
        stmt = (select(IncidentMessage).where(IncidentMessage.status.in_(("pending", "sending")),
                                              IncidentMessage.next_attempt_at <= now)
                .order_by(IncidentMessage.next_attempt_at, IncidentMessage.id))
        row = session.scalars(claimable(stmt, 1)).first()
        if row is None:
            return False
        channel = ctx.rules.slack.channels.get(row.channel)
        url = ctx.env.get(channel.webhook_env, "") if channel else ""
        if channel is None or not url:
            why = (f"channel {row.channel!r} is no longer in rules.yaml" if channel is None
                   else f"environment variable {channel.webhook_env} is not set")
            row.attempts += 1
            failure = TransportError(why, permanent=channel is None)
            record_failure(row, ctx, failure, f"incident message {row.id}")
            return True
        wait, _paused = limiter.acquire(session, channel.webhook_env)  # shared by every worker
        if wait > 0:
            row.next_attempt_at = now + timedelta(seconds=wait)
            return False  # this webhook is not free yet: leave the rest for the next pass
        # Committed before Slack is called: a worker that dies mid-send leaves a row another takes over later.
        row.status, row.next_attempt_at, row.attempts = "sending", now + LEASE, row.attempts + 1
        return Claimed(row.id, url, channel.webhook_env, row.text, list(row.blocks.get("blocks", [])))


def _finish(ctx: Context, limiter: RateLimiter, claimed: Claimed, error: TransportError | None) -> None:
    """Record the outcome of a send on its row (and pause the webhook on a 429)."""
    with ctx.sessions() as session, session.begin():
        row = session.get(IncidentMessage, claimed.id, with_for_update=True)
        if row is None or row.status != "sending":
            log.warning("incident message %s changed while it was being sent; outcome not recorded", claimed.id)
            return
        settle(session, ctx, limiter, claimed.key, row, error, f"incident message {row.id}")


def deliver_one(ctx: Context, limiter: RateLimiter) -> bool:
    """Claim and deliver one due message, the send outside any transaction; False when none is due."""
    claimed = retry_locked(lambda: _claim(ctx, limiter))
    if not isinstance(claimed, Claimed):
        return claimed
    error = None
    try:
        post(claimed.url, escape_mrkdwn(claimed.text), claimed.blocks, SEND_TIMEOUT)
    except TransportError as exc:
        error = exc
    retry_locked(lambda: _finish(ctx, limiter, claimed, error))
    return True


def deliver_pending(ctx: Context, limiter: RateLimiter, limit: int = 50) -> int:
    """Deliver up to `limit` due messages; return how many rows were handled."""
    done = 0
    while done < limit and deliver_one(ctx, limiter):
        done += 1
    return done


def incident_facts(session: Session, incident: Incident) -> str:
    """Size, languages and reach of an incident in one line."""
    rows = session.execute(select(Mention.language, Mention.author_followers)
                           .join(IncidentMention, IncidentMention.mention_id == Mention.id)
                           .where(IncidentMention.incident_id == incident.id)).all()
    langs = ", ".join(f"{lang or '?'} {n}" for lang, n in Counter(r[0] for r in rows).most_common(5))
    reach = sum(r[1] for r in rows)
    return (f"{incident.size} mentions since {incident.started_at:%Y-%m-%d %H:%M} UTC · languages: {langs} · "
            f"reach {reach:,} followers")


def _incident_examples(session: Session, incident: Incident, rules: Rules) -> list[str]:
    from monitor.incidents import central_mentions

    members = list(session.scalars(select(Mention).join(IncidentMention, IncidentMention.mention_id == Mention.id)
                                   .where(IncidentMention.incident_id == incident.id).order_by(Mention.id)
                                   .limit(500)))
    return [masked_excerpt(m.text, rules) for m in central_mentions(session, members, 3)]


def queue_incident_messages(session: Session, ctx: Context, opened: Sequence[Incident],
                            closed: Sequence[Incident]) -> None:
    """An opening message per new incident, digests at most once per interval, and a closing note."""
    now, every = ctx.now(), timedelta(minutes=ctx.rules.incidents.digest_minutes)
    link = f"{ctx.base_url}/incidents/"
    for inc in opened:
        facts = incident_facts(session, inc)
        blocks = message_blocks(f"Incident: {inc.title}", facts, _incident_examples(session, inc, ctx.rules),
                                f"{link}{inc.id}", "Open incident")
        queue(session, ctx, f"incident:{inc.id}:open", f"Incident: {inc.title} ({facts})", blocks, "incident")
        inc.last_digest_at, inc.digested_size = now, inc.size
    fresh = {i.id for i in opened}
    for inc in session.scalars(select(Incident).where(Incident.state == "open")):
        due = inc.last_digest_at is None or now - inc.last_digest_at >= every
        if inc.id in fresh or not due or inc.size <= inc.digested_size:
            continue
        facts = f"{inc.size - inc.digested_size} new since the last update. " + incident_facts(session, inc)
        blocks = message_blocks(f"Incident update: {inc.title}", facts, [], f"{link}{inc.id}", "Open incident")
        queue(session, ctx, f"incident:{inc.id}:digest:{now:%Y%m%d%H%M}", f"Incident update: {inc.title}. {facts}",
              blocks, "incident_digest")
        inc.last_digest_at, inc.digested_size = now, inc.size
    for inc in closed:
        facts = "Closed after no new mentions. " + incident_facts(session, inc)
        blocks = message_blocks(f"Incident closed: {inc.title}", facts, [], f"{link}{inc.id}", "Open incident")
        queue(session, ctx, f"incident:{inc.id}:closed", f"Incident closed: {inc.title}. {facts}", blocks,
              "incident_closed")
