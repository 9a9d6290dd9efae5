"""Per-webhook state shared by every worker: a send schedule for `rate_per_second` and Slack's pauses."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from monitor.context import Context
from monitor.models import WebhookState

log = logging.getLogger(__name__)
DEFAULT_PAUSE = 30.0  # seconds a 429 without Retry-After pauses the webhook


def webhook_state(session: Session, key: str) -> WebhookState:
    """Return the state row of a webhook (created by an upsert), locked for this transaction."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.execute(insert(WebhookState).values(key=key, last_error="").on_conflict_do_nothing(index_elements=["key"]))
    return session.scalars(select(WebhookState).where(WebhookState.key == key).with_for_update()).one()


class RateLimiter:
    """At most `rate` sends per second per webhook, across every process sharing the database.

    Each send takes the next slot of the webhook's schedule (`next_send_at`), so three workers together
    stay within the rate; a webhook Slack answered 429 is paused for all of them until `paused_until`.
    """

    def __init__(self, rate: float, ctx: Context):
        self.interval = timedelta(seconds=1.0 / rate)
        self.ctx = ctx

    def acquire(self, session: Session, key: str) -> tuple[float, datetime | None]:
        """Take a send slot now (return (0, None)), or say how long to wait and, when paused, until when."""
        now = self.ctx.now()
        state = webhook_state(session, key)
        if state.paused_until and state.paused_until > now:
            return (state.paused_until - now).total_seconds(), state.paused_until
        if state.next_send_at and state.next_send_at > now:
            return (state.next_send_at - now).total_seconds(), None
        state.next_send_at = now + self.interval
        return 0.0, None

    def pause(self, session: Session, key: str, seconds: float | None, why: str) -> datetime:
        """Pause a webhook for every worker (Retry-After, or a default when Slack named none)."""
        now = self.ctx.now()
        state = webhook_state(session, key)
        until = now + timedelta(seconds=DEFAULT_PAUSE if seconds is None else max(seconds, 0.0))
        state.paused_until = max(until, state.paused_until or until)
        state.last_error, state.last_error_at = why, now
        log.warning("webhook %s paused until %s: %s", key, state.paused_until.isoformat(timespec="seconds"), why)
        return state.paused_until


def paused_webhooks(session: Session, now: datetime) -> list[WebhookState]:
    """Webhooks Slack has paused, with the time they resume."""
    stmt = select(WebhookState).where(WebhookState.paused_until > now).order_by(WebhookState.key)
    return list(session.scalars(stmt))
