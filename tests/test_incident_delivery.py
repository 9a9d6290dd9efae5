"""Spike and incident messages under Slack faults: sent once, retried on 5xx, never resent after a timeout."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from monitor import alerts, incident_alerts
from monitor.alerts import RateLimiter
from monitor.context import Context
from monitor.incident_alerts import deliver_pending, message_blocks, queue
from monitor.models import IncidentMessage
from monitor.rules import Rules
from tests.conftest import Hang, Recorder
from tests.test_alerts import Clock


@pytest.fixture
def world(ctx: Context, rules: Rules, recorder: Recorder) -> tuple[Context, Clock]:
    """Two queued incident messages for the support channel, whose webhook is the recorder."""
    clock = Clock()
    incidents = rules.incidents.model_copy(update={"slack": ["support"]})
    c = replace(ctx, rules=rules.model_copy(update={"incidents": incidents}), now=clock,
                env={**ctx.env, "TEST_SLACK_SUPPORT": recorder.url("/support")})
    with c.sessions() as s, s.begin():
        for n in (1, 2):
            blocks = message_blocks(f"Incident {n}", "12 mentions <!channel>", ["no signal"], "http://rg.test/i",
                                    "Open")
            assert queue(s, c, f"incident:{n}:open", f"Incident {n}", blocks, "incident") == 1
            assert queue(s, c, f"incident:{n}:open", f"Incident {n}", blocks, "incident") == 0  # once per key
    return c, clock


def drain(ctx: Context, clock: Clock, passes: int = 3) -> int:
    """Delivery passes a second apart (the webhook's send schedule needs the clock to move)."""
    done = 0
    for _ in range(passes):
        done += deliver_pending(ctx, RateLimiter(1000.0, ctx))
        clock.t += timedelta(seconds=1)
    return done


def rows(ctx: Context) -> list[IncidentMessage]:
    with ctx.sessions() as s:
        return list(s.scalars(select(IncidentMessage).order_by(IncidentMessage.id)))


def test_each_message_is_posted_once_with_escaped_text(world, recorder: Recorder) -> None:
    ctx, clock = world
    assert drain(ctx, clock) == 2
    assert drain(ctx, clock) == 0
    assert [r.status for r in rows(ctx)] == ["sent", "sent"] and len(recorder.requests) == 2
    body = json.loads(recorder.requests[0]["body"])
    assert "<!channel>" not in json.dumps(body) and "&lt;!channel&gt;" in json.dumps(body)


def test_a_5xx_is_retried_later_and_then_sent(world, recorder: Recorder) -> None:
    ctx, clock = world
    recorder.script = [(503, {}, b"unavailable")]
    deliver_pending(ctx, RateLimiter(1000.0, ctx), limit=1)
    first = rows(ctx)[0]
    assert first.status == "pending" and first.attempts == 1 and "503" in first.last_error
    clock.t += timedelta(hours=2)
    drain(ctx, clock)
    assert [r.status for r in rows(ctx)] == ["sent", "sent"] and len(recorder.requests) == 3


def test_timeout_after_sending_is_maybe_delivered_and_never_resent(world, hang: Hang,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    ctx, clock = world
    monkeypatch.setattr(incident_alerts, "SEND_TIMEOUT", 1)
    ctx.env["TEST_SLACK_SUPPORT"] = f"http://127.0.0.1:{hang.server_address[1]}/support"
    deliver_pending(ctx, RateLimiter(1000.0, ctx), limit=1)
    first = rows(ctx)[0]
    assert first.status == "unconfirmed" and "maybe delivered" in first.last_error
    clock.t += timedelta(hours=1)
    deliver_pending(ctx, RateLimiter(1000.0, ctx), limit=1)
    assert hang.got == 2 and rows(ctx)[0].status == "unconfirmed"  # the second request was the other message


def test_a_send_left_by_a_dead_worker_is_taken_over_after_its_lease(world, recorder: Recorder) -> None:
    ctx, clock = world
    with ctx.sessions() as s, s.begin():
        s.execute(update(IncidentMessage).values(status="sending", next_attempt_at=clock.t + alerts.LEASE))
    assert deliver_pending(ctx, RateLimiter(1000.0, ctx)) == 0 and not recorder.requests
    clock.t += alerts.LEASE + timedelta(seconds=1)
    assert drain(ctx, clock) == 2
    assert {r.status for r in rows(ctx)} == {"sent"} and len(recorder.requests) == 2


def test_a_missing_webhook_variable_keeps_the_message_for_later(world, recorder: Recorder) -> None:
    ctx, _clock = world
    ctx.env.pop("TEST_SLACK_SUPPORT")
    deliver_pending(ctx, RateLimiter(1000.0, ctx), limit=1)
    first = rows(ctx)[0]
    assert first.status == "pending" and "TEST_SLACK_SUPPORT" in first.last_error and not recorder.requests
