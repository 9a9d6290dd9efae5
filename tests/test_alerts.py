"""Slack alerts from the outbox, against a real local HTTP server."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from monitor.alerts import RateLimiter, notify_pending
from monitor.context import Context
from monitor.models import AlertDelivery, utcnow
from monitor.pipeline import Pipeline
from tests.conftest import Recorder, record, write_jsonl

SECRET = "T0SECRET/B0SECRET/xoxSECRETtoken"
HOSTILE = "Acme <!channel> <https://evil.example|click> & terrible awful service, furious"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.t = utcnow()

    def __call__(self):  # type: ignore[no-untyped-def]
        return self.t


@pytest.fixture
def setup(ctx: Context, recorder: Recorder, tmp_path: Path) -> tuple[Context, Clock, list[float]]:
    clock = Clock()
    slept: list[float] = []
    env = {**ctx.env, "TEST_SLACK_SUPPORT": recorder.url(f"/services/{SECRET}"),
           "TEST_SLACK_ESCALATIONS": recorder.url(f"/services/{SECRET}2")}
    c = replace(ctx, env=env, now=clock, sleep=slept.append)
    write_jsonl(tmp_path / "mentions.jsonl", [record(1, HOSTILE, url="https://x.com/u/status/1")])
    return c, clock, slept


def rows(ctx: Context) -> list[AlertDelivery]:
    with ctx.sessions() as s:
        return list(s.scalars(select(AlertDelivery).order_by(AlertDelivery.id)))


def run(ctx: Context) -> None:
    Pipeline(ctx).run_once()


def test_delivers_block_kit_without_secrets(setup, recorder: Recorder, caplog: pytest.LogCaptureFixture) -> None:
    ctx, _, _ = setup
    caplog.set_level(logging.DEBUG)
    run(ctx)
    assert len(recorder.requests) == 1
    body = recorder.requests[0]["body"].decode()
    payload = json.loads(body)
    assert "SECRET" not in body and "SECRET" not in caplog.text
    section = payload["blocks"][1]["text"]["text"]
    assert "&lt;!channel&gt;" in section and "<!channel>" not in body
    buttons = payload["blocks"][3]["elements"]
    assert buttons[0]["url"].startswith("http://rg.test/cases/")
    assert buttons[1]["url"] == "https://x.com/u/status/1"
    assert rows(ctx)[0].status == "sent"


def test_no_duplicate_after_restart(setup, recorder: Recorder) -> None:
    ctx, _, _ = setup
    run(ctx)
    run(ctx)
    Pipeline(ctx).run_once()
    assert len(recorder.requests) == 1


def test_429_honours_retry_after(setup, recorder: Recorder) -> None:
    ctx, clock, _ = setup
    recorder.script = [(429, {"Retry-After": "7"}, b"rate_limited")]
    run(ctx)
    row = rows(ctx)[0]
    assert row.status == "pending" and row.attempts == 1 and "429" in row.last_error
    assert row.next_attempt_at - clock.t == timedelta(seconds=7)
    clock.t += timedelta(seconds=3)
    run(ctx)
    assert len(recorder.requests) == 1  # not yet due
    clock.t += timedelta(seconds=5)
    run(ctx)
    assert len(recorder.requests) == 2 and rows(ctx)[0].status == "sent"


def test_5xx_backs_off_then_succeeds(setup, recorder: Recorder) -> None:
    ctx, clock, _ = setup
    recorder.script = [(503, {}, b"unavailable"), (500, {}, b"oops")]
    run(ctx)
    first = rows(ctx)[0]
    assert first.status == "pending" and "503" in first.last_error
    delay1 = first.next_attempt_at - clock.t
    clock.t = first.next_attempt_at
    run(ctx)
    second = rows(ctx)[0]
    assert second.attempts == 2 and second.next_attempt_at - clock.t > delay1 * 1.2
    clock.t = second.next_attempt_at
    run(ctx)
    assert rows(ctx)[0].status == "sent" and len(recorder.requests) == 3


@pytest.mark.parametrize(("status", "body"), [(404, b"no_service"), (403, b"invalid_token"),
                                              (410, b"channel_is_archived")])
def test_permanent_failures_are_recorded_not_retried(setup, recorder: Recorder, status: int, body: bytes) -> None:
    ctx, clock, _ = setup
    recorder.script = [(status, {}, body)]
    run(ctx)
    row = rows(ctx)[0]
    assert row.status == "failed" and body.decode() in row.last_error and "SECRET" not in row.last_error
    clock.t += timedelta(days=1)
    run(ctx)
    assert len(recorder.requests) == 1


def test_network_error_is_transient_and_hides_url(setup, recorder: Recorder) -> None:
    ctx, _, _ = setup
    ctx.env["TEST_SLACK_SUPPORT"] = "http://127.0.0.1:9/services/" + SECRET  # nothing listens on port 9
    run(ctx)
    row = rows(ctx)[0]
    assert row.status == "pending" and "network error" in row.last_error and "SECRET" not in row.last_error


def test_rate_limit_one_message_per_second_per_webhook(setup, recorder: Recorder, tmp_path: Path) -> None:
    ctx, clock, slept = setup
    write_jsonl(tmp_path / "mentions.jsonl", [record(n, f"Acme awful terrible service number {n}, furious")
                                              for n in range(2, 5)])

    def sleep(seconds: float) -> None:  # the waits move the test clock
        slept.append(seconds)
        clock.t += timedelta(seconds=seconds)

    ctx = replace(ctx, sleep=sleep)
    limiter = RateLimiter(1.0, ctx)
    pipeline = Pipeline(ctx)
    pipeline.limiter = limiter
    pipeline.run_once()
    assert len(recorder.requests) == 4
    # Three of the four sends waited for the webhook's next slot, one second after the previous send.
    assert len(slept) == 3 and all(abs(s - 1.0) < 0.01 for s in slept)
    notify_pending(ctx, limiter)
    assert len(recorder.requests) == 4
