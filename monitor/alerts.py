"""Stage 4: deliver queued alerts from the outbox, one row per transaction."""

from __future__ import annotations

import logging
import random
import time
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.context import Context, claimable
from monitor.links import safe_post_url
from monitor.models import AlertDelivery, Case, Score
from monitor.notifiers import NOTIFIERS, Alert, TransportError

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


def backoff(attempts: int) -> float:
    """Seconds to wait before retry number `attempts`: exponential with jitter, capped at an hour."""
    base: float = min(3600.0, 30.0 * 2 ** max(0, attempts - 1))
    return base * (0.8 + 0.4 * random.random())


class RateLimiter:
    """At most `rate` sends per second per key, within this process."""

    def __init__(self, rate: float, ctx: Context):
        self.interval = 1.0 / rate
        self.ctx = ctx
        self.last: dict[str, float] = {}

    def wait(self, key: str) -> None:
        """Sleep until `key` may send again."""
        now = time.monotonic()
        due = self.last.get(key, 0.0) + self.interval
        if due > now:
            self.ctx.sleep(due - now)
        self.last[key] = max(now, due)


def build_alert(session: Session, ctx: Context, row: AlertDelivery) -> Alert:
    """Build the alert message for an outbox row from stored data only."""
    m = row.mention
    score = session.scalars(select(Score).where(Score.mention_id == m.id)).first()
    case = session.get(Case, row.case_id) if row.case_id else None
    extra = tuple(h for h in [ctx.rules.sources.get("mastodon") and ctx.rules.sources["mastodon"].instance_url]
                  if h)
    return Alert(
        case_id=row.case_id, mention_text=m.text, author_handle=m.author_handle, author_name=m.author_name,
        author_followers=m.author_followers, platform=m.platform,
        post_url=safe_post_url(m.url, m.platform, tuple(h.split("//")[-1].strip("/") for h in extra)),
        sentiment=score.sentiment if score else "unscored", negative=score.negative if score else 0.0,
        toxicity=score.toxicity if score else 0.0, rule=case.rule if case else "",
        priority=case.priority if case else "normal",
        case_url=f"{ctx.base_url}/cases/{row.case_id}" if row.case_id else f"{ctx.base_url}/",
        headline=row.message,
    )


def _fail(row: AlertDelivery, ctx: Context, exc: TransportError) -> None:
    row.attempts += 1
    row.last_error = exc.message
    if exc.permanent or row.attempts >= MAX_ATTEMPTS:
        row.status = "failed"
        log.warning("alert %s to %s failed for good: %s", row.id, row.channel, exc.message)
        return
    delay = exc.retry_after if exc.retry_after is not None else backoff(row.attempts)
    row.next_attempt_at = ctx.now() + timedelta(seconds=delay)


def deliver_one(ctx: Context, limiter: RateLimiter) -> bool:
    """Claim and deliver one due alert; return False when none is due."""
    with ctx.sessions() as session, session.begin():
        stmt = (select(AlertDelivery).where(AlertDelivery.status == "pending",
                                            AlertDelivery.next_attempt_at <= ctx.now())
                .order_by(AlertDelivery.next_attempt_at, AlertDelivery.id))
        row = session.scalars(claimable(stmt, 1)).first()
        if row is None:
            return False
        channel = ctx.rules.slack.channels.get(row.channel)
        url = ctx.env.get(channel.webhook_env, "") if channel else ""
        if channel is None or not url:
            why = (f"channel {row.channel!r} is no longer in rules.yaml" if channel is None
                   else f"environment variable {channel.webhook_env} is not set")
            _fail(row, ctx, TransportError(why, permanent=channel is None))
            return True
        limiter.wait(channel.webhook_env)
        try:
            NOTIFIERS[row.kind](url).send(build_alert(session, ctx, row))
        except TransportError as exc:
            _fail(row, ctx, exc)
            return True
        row.status, row.sent_at, row.last_error = "sent", ctx.now(), ""
        row.attempts += 1
        return True


def notify_pending(ctx: Context, limiter: RateLimiter, limit: int = 100) -> int:
    """Deliver up to `limit` due alerts; return how many rows were handled."""
    done = 0
    while done < limit and deliver_one(ctx, limiter):
        done += 1
    return done


def retry_alert(row: AlertDelivery, now: datetime) -> None:
    """Queue a failed alert again (after someone fixed the webhook)."""
    if row.status != "failed":
        raise ValueError(f"only a failed alert can be retried; this one is {row.status}")
    row.status, row.attempts, row.next_attempt_at = "pending", 0, now
