"""Pipeline stage after routing: group incidents, watch for spikes, send their Slack messages."""

from __future__ import annotations

from dataclasses import dataclass

from monitor.alerts import RateLimiter
from monitor.context import Context
from monitor.incident_alerts import deliver_pending, queue_incident_messages
from monitor.incidents import close_quiet, group_pending
from monitor.recurring import queue_weekly_digest
from monitor.spikes import spike_pass


@dataclass
class WatchResult:
    """What one pass found."""

    opened: int = 0
    closed: int = 0
    spikes: int = 0
    ended: int = 0
    sent: int = 0


def incident_pass(ctx: Context, limiter: RateLimiter, *, deliver: bool = True) -> WatchResult:
    """Group, close quiet incidents, detect spikes, queue messages and (unless a delivery thread does) send them."""
    result = WatchResult()
    if not ctx.rules.incidents.enabled:
        return result
    with ctx.sessions() as session, session.begin():
        opened = group_pending(session, ctx)
        closed = close_quiet(session, ctx.rules.incidents, ctx.now())
        queue_incident_messages(session, ctx, opened, closed)
        queue_weekly_digest(session, ctx)
        result.opened, result.closed = len(opened), len(closed)
    started, ended = spike_pass(ctx)
    result.spikes, result.ended = len(started), len(ended)
    if deliver:
        result.sent = deliver_pending(ctx, limiter)
    return result
