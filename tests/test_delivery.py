"""Slack delivery under faults: 429 pauses the webhook, outages never exhaust an alert, no resend after a timeout."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import select, update

from monitor import alerts
from monitor.alerts import RateLimiter, notify_pending, retry_alert
from monitor.context import Context
from monitor.models import AlertDelivery, WebhookState
from monitor.pipeline import Pipeline
from monitor.webhooks import paused_webhooks
from tests.conftest import Hang, Recorder, record, write_jsonl
from tests.test_alerts import Clock

NEGATIVE = "Acme terrible awful service, furious {n}"


@pytest.fixture
def world(ctx: Context, recorder: Recorder, tmp_path: Path) -> tuple[Context, Clock]:
    """Three routed alerts to the support webhook, none sent yet."""
    clock = Clock()
    env = {**ctx.env, "TEST_SLACK_SUPPORT": recorder.url("/support"), "TEST_SLACK_ESCALATIONS": recorder.url("/esc")}

    def sleep(seconds: float) -> None:  # waiting for the webhook's next slot moves the test clock
        clock.t += timedelta(seconds=seconds)

    c = replace(ctx, env=env, now=clock, sleep=sleep)
    write_jsonl(tmp_path / "mentions.jsonl", [record(n, NEGATIVE.format(n=n)) for n in range(1, 4)])
    Pipeline(c).run_once(notify=False)
    return c, clock


def rows(ctx: Context) -> list[AlertDelivery]:
    with ctx.sessions() as s:
        return list(s.scalars(select(AlertDelivery).order_by(AlertDelivery.id)))


def test_429_pauses_the_whole_webhook_and_never_exhausts_an_alert(world, recorder: Recorder) -> None:
    ctx, clock = world
    limiter = RateLimiter(1000.0, ctx)
    for _ in range(30):  # far more 429s than any attempt limit
        recorder.script = [(429, {"Retry-After": "7"}, b"rate_limited")]
        notify_pending(ctx, limiter)
        clock.t += timedelta(seconds=8)
    assert len(recorder.requests) == 30  # one request per pause: the other alerts waited with it
    assert all(r.status == "pending" for r in rows(ctx)[:1]) and rows(ctx)[0].attempts == 30
    with ctx.sessions() as s:
        assert s.get(WebhookState, "TEST_SLACK_SUPPORT").paused_until is not None  # type: ignore[union-attr]
    notify_pending(ctx, limiter)
    assert [r.status for r in rows(ctx)] == ["sent"] * 3 and len(recorder.requests) == 33


def test_pause_is_shared_and_visible(world, recorder: Recorder) -> None:
    ctx, clock = world
    recorder.script = [(429, {"Retry-After": "60"}, b"rate_limited")]
    notify_pending(ctx, RateLimiter(1000.0, ctx))
    other_worker = RateLimiter(1000.0, ctx)
    notify_pending(ctx, other_worker)
    assert len(recorder.requests) == 1
    with ctx.sessions() as s:
        [paused] = paused_webhooks(s, clock.t)
        assert paused.key == "TEST_SLACK_SUPPORT" and paused.paused_until == clock.t + timedelta(seconds=60)


def test_5xx_retries_until_the_configured_age_then_fails(world, recorder: Recorder) -> None:
    ctx, clock = world
    recorder.default = (503, {}, b"unavailable")
    limiter = RateLimiter(1000.0, ctx)
    for _ in range(12):
        notify_pending(ctx, limiter)
        clock.t += timedelta(hours=1)
    assert {r.status for r in rows(ctx)} == {"pending"} and min(r.attempts for r in rows(ctx)) >= 10
    clock.t += timedelta(hours=13)
    notify_pending(ctx, limiter)
    assert {r.status for r in rows(ctx)} == {"failed"}
    assert all(r.last_error.startswith("gave up after 24 h") for r in rows(ctx))


def test_shared_schedule_keeps_the_rate_across_workers(world) -> None:
    ctx, clock = world
    workers = [RateLimiter(2.0, ctx) for _ in range(3)]
    granted = []
    for step in range(40):  # 4 s in 0.1 s steps; every worker asks at every step
        for w in workers:
            with ctx.sessions() as s, s.begin():
                if w.acquire(s, "hook")[0] == 0:
                    granted.append(step)
        clock.t += timedelta(seconds=0.1)
    assert len(granted) == 8 and all(b - a >= 5 for a, b in pairwise(granted))


def test_timeout_after_sending_is_maybe_delivered_and_not_resent(world, hang: Hang,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    ctx, clock = world
    monkeypatch.setattr(alerts, "SEND_TIMEOUT", 1)
    ctx.env["TEST_SLACK_SUPPORT"] = f"http://127.0.0.1:{hang.server_address[1]}/support"
    limiter = RateLimiter(1000.0, ctx)
    notify_pending(ctx, limiter, limit=1)
    first = rows(ctx)[0]
    assert first.status == "unconfirmed" and "maybe delivered" in first.last_error
    clock.t += timedelta(hours=1)
    notify_pending(ctx, limiter, limit=1)
    assert hang.got == 2 and rows(ctx)[0].status == "unconfirmed"  # the second request was the next alert
    with ctx.sessions() as s, s.begin():
        row = s.get(AlertDelivery, first.id)
        assert row is not None
        retry_alert(row, clock.t)  # a person checked Slack and asks for it again
        assert row.status == "pending"


def test_a_send_left_by_a_dead_worker_is_taken_over_after_its_lease(world, recorder: Recorder) -> None:
    ctx, clock = world
    with ctx.sessions() as s, s.begin():
        s.execute(update(AlertDelivery).values(status="sending", next_attempt_at=clock.t + alerts.LEASE))
    limiter = RateLimiter(1000.0, ctx)
    assert notify_pending(ctx, limiter) == 0
    clock.t += alerts.LEASE + timedelta(seconds=1)
    assert notify_pending(ctx, limiter) == 3 and {r.status for r in rows(ctx)} == {"sent"}
