"""Stage 4: deliver queued alerts from the outbox, one row per transaction."""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from moderation.policy import Policy
from monitor.context import Context, claimable, retry_locked
from monitor.links import safe_post_url, source_hosts
from monitor.models import AlertDelivery, Case, IncidentMessage, Score
from monitor.notifiers import NOTIFIERS, Alert, TransportError
from monitor.privacy import cap, exposed, mask, neutralise, spans_of
from monitor.webhooks import RateLimiter

__all__ = ["RateLimiter", "alert_text", "build_alert", "deliver_one", "notify_pending", "retry_alert"]

log = logging.getLogger(__name__)
MAX_TEXT = 2_500  # Slack refuses a text object over 3,000 characters; leave room for the note and escaping
MAX_NAME = 100
SEND_TIMEOUT = 5  # seconds per Slack request; a hanging webhook holds only the delivery thread this long
LEASE = timedelta(seconds=SEND_TIMEOUT + 55)  # a "sending" row older than this was left by a dead worker
SHORT_WAIT = 5.0  # a rate-limit wait up to this is slept; longer ones reschedule the alert
WAITS = 3
IDLE_WAITS = 50  # bound on waits for soon-due alerts in one call (a test clock may never move)


def backoff(attempts: int) -> float:
    """Seconds to wait before retry number `attempts`: exponential with jitter, capped at an hour."""
    base: float = min(3600.0, 30.0 * 2 ** max(0, attempts - 1))
    return base * (0.8 + 0.4 * random.random())


def alert_text(text: str, stored: list[dict[str, Any]] | None, policy: Policy) -> str:
    """Mention text for an alert: personal data masked, what was exposed named, invisible controls shown."""
    spans = spans_of(text, stored, policy)
    body = cap(neutralise(mask(text, spans)), MAX_TEXT)
    what = exposed(text, spans)
    # The note goes first, so that no cut further down (Slack's own limit after escaping) can drop it.
    return f"Personal data hidden: {what}\n\n{body}" if what else body


def build_alert(session: Session, ctx: Context, row: AlertDelivery) -> Alert:
    """Build the alert message for an outbox row from stored data only, with personal data masked."""
    m = row.mention
    score = session.scalars(select(Score).where(Score.mention_id == m.id)).first()
    case = session.get(Case, row.case_id) if row.case_id else None
    return Alert(
        case_id=row.case_id, mention_text=alert_text(m.text, m.pii_spans, ctx.rules.moderation),
        author_handle=cap(neutralise(m.author_handle), MAX_NAME),
        author_name=cap(neutralise(m.author_name), MAX_NAME), author_followers=m.author_followers,
        platform=m.platform,
        post_url=safe_post_url(m.url, m.platform, source_hosts(ctx.rules, m.platform)),
        sentiment=score.sentiment if score else "unscored", negative=score.negative if score else 0.0,
        toxicity=score.toxicity if score else 0.0, rule=case.rule if case else "",
        priority=case.priority if case else "normal",
        case_url=f"{ctx.base_url}/cases/{row.case_id}" if row.case_id else f"{ctx.base_url}/",
        headline=row.message,
    )


def record_failure(row: AlertDelivery | IncidentMessage, ctx: Context, exc: TransportError,
                   name: str) -> None:
    """Record a failed try: permanent errors and messages older than the configured age end; others wait."""
    now = ctx.now()
    row.status, row.last_error = "pending", exc.message
    too_old = now - row.created_at > timedelta(hours=ctx.rules.slack.max_alert_age_hours)
    if exc.permanent or too_old:  # 429 and 5xx alone never exhaust a message
        row.status = "failed"
        age = ctx.rules.slack.max_alert_age_hours
        row.last_error = exc.message if exc.permanent else f"gave up after {age:g} h: {exc.message}"
        log.warning("%s failed for good: %s", name, row.last_error)
        return
    delay = exc.retry_after if exc.retry_after is not None else backoff(row.attempts)
    row.next_attempt_at = now + timedelta(seconds=delay)


def settle(session: Session, ctx: Context, limiter: RateLimiter, key: str, row: AlertDelivery | IncidentMessage,
           error: TransportError | None, name: str) -> None:
    """Record a send's outcome on its outbox row (case alerts and incident messages alike): sent; unconfirmed
    when no answer came after sending (a resend could post it twice: a person checks Slack instead); else a
    failed try, with the webhook paused on a 429."""
    if error is None:
        row.status, row.sent_at, row.last_error = "sent", ctx.now(), ""
    elif error.maybe_sent:
        row.status, row.last_error = "unconfirmed", error.message
        log.warning("%s maybe delivered (no answer after sending); not resent", name)
    else:
        record_failure(row, ctx, error, name)
        if error.rate_limited:
            until = limiter.pause(session, key, error.retry_after, error.message)
            row.next_attempt_at = max(row.next_attempt_at, until)


@dataclass(frozen=True)
class Claimed:
    """An alert claimed for sending: marked `sending` (committed) before Slack is called."""

    id: int
    kind: str
    url: str
    key: str
    alert: Alert


def _claim(ctx: Context, limiter: RateLimiter, may_wait: bool) -> Claimed | float | bool:
    """Claim one due alert: a Claimed to send, seconds to wait for the rate limit, or whether a row was handled."""
    now = ctx.now()
    with ctx.sessions() as session, session.begin():
        stmt = (select(AlertDelivery).where(AlertDelivery.status.in_(("pending", "sending")),
                                            AlertDelivery.next_attempt_at <= now)
                .order_by(AlertDelivery.next_attempt_at, AlertDelivery.id))
        row = session.scalars(claimable(stmt, 1)).first()
        if row is None:
            return False
        channel = ctx.rules.slack.channels.get(row.channel)
        url = ctx.env.get(channel.webhook_env, "") if channel else ""
        if channel is None or not url:
            why = (f"channel {row.channel!r} is no longer in rules.yaml" if channel is None
                   else f"environment variable {channel.webhook_env} is not set")
            row.attempts += 1
            record_failure(row, ctx, TransportError(why, permanent=channel is None), f"alert {row.id} to {row.channel}")
            return True
        wait, paused_until = limiter.acquire(session, channel.webhook_env)
        if paused_until is not None or wait > (SHORT_WAIT if may_wait else 0):
            row.status, row.next_attempt_at = "pending", paused_until or now + timedelta(seconds=wait)
            return True
        if wait > 0:
            return wait
        row.status, row.next_attempt_at, row.attempts = "sending", now + LEASE, row.attempts + 1
        return Claimed(row.id, row.kind, url, channel.webhook_env, build_alert(session, ctx, row))


def _finish(ctx: Context, limiter: RateLimiter, claimed: Claimed, error: TransportError | None) -> None:
    """Record the outcome of a send on its row (and pause the webhook on a 429)."""
    with ctx.sessions() as session, session.begin():
        row = session.get(AlertDelivery, claimed.id, with_for_update=True)
        if row is None or row.status != "sending":
            log.warning("alert %s changed while it was being sent; outcome not recorded", claimed.id)
            return
        settle(session, ctx, limiter, claimed.key, row, error, f"alert {row.id} to {row.channel}")


def deliver_one(ctx: Context, limiter: RateLimiter) -> bool:
    """Claim and deliver one due alert; return False when none is due."""
    claimed: Claimed | float | bool = False
    for waits in range(WAITS + 1):  # a few waits for the next slot, then the alert is rescheduled
        may_wait = waits < WAITS
        claimed = retry_locked(lambda: _claim(ctx, limiter, may_wait))  # noqa: B023 - called at once
        if not isinstance(claimed, float):
            break
        ctx.sleep(claimed)
    if not isinstance(claimed, Claimed):
        return bool(claimed)
    error = None
    try:
        NOTIFIERS[claimed.kind](claimed.url, timeout=SEND_TIMEOUT).send(claimed.alert)
    except TransportError as exc:
        error = exc
    retry_locked(lambda: _finish(ctx, limiter, claimed, error))
    return True


def _next_due_in(ctx: Context) -> float | None:
    """Seconds until the earliest pending alert is due (None when none is pending)."""
    with ctx.sessions() as session:
        first = session.scalar(select(func.min(AlertDelivery.next_attempt_at))
                               .where(AlertDelivery.status == "pending"))
    return None if first is None else (first - ctx.now()).total_seconds()


def notify_pending(ctx: Context, limiter: RateLimiter, limit: int | None = None,
                   deadline: float | None = None) -> int:
    """Deliver due alerts until none is due soon (or `limit` rows, or the monotonic `deadline`); return how many.

    Alerts that wait only for the webhook's next slot or a short pause (up to SHORT_WAIT) are waited for.
    """
    done = idle = 0
    while (limit is None or done < limit) and (deadline is None or time.monotonic() < deadline):
        if deliver_one(ctx, limiter):
            done += 1
            continue
        soon = _next_due_in(ctx)
        if soon is None or soon > SHORT_WAIT or idle >= IDLE_WAITS:
            break
        idle += 1
        ctx.sleep(max(soon, 0.01))
    return done


def retry_alert(row: AlertDelivery, now: datetime) -> None:
    """Queue a failed or unconfirmed alert again (after someone fixed the webhook or checked Slack)."""
    if row.status not in ("failed", "unconfirmed"):
        raise ValueError(f"only a failed or unconfirmed alert can be retried; this one is {row.status}")
    row.status, row.next_attempt_at = "pending", now
