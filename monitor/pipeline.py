"""Run the stages collect -> score -> route -> notify -> post, once or forever."""

from __future__ import annotations

import logging
import signal
import threading
import time
from dataclasses import dataclass
from types import FrameType

from monitor.alerts import SEND_TIMEOUT, RateLimiter, notify_pending
from monitor.collector import build_sources, collect
from monitor.context import Context
from monitor.incident_alerts import deliver_pending
from monitor.incident_stage import incident_pass
from monitor.notifications import notify_team
from monitor.poster import post_pending
from monitor.privacy import scan_pending
from monitor.retention import purge_expired
from monitor.rollup import roll_up_pending
from monitor.router import route_pending
from monitor.scorer import score_pending
from monitor.sources import Source

log = logging.getLogger(__name__)
PASS_SECONDS = 30.0  # a pass of a long-running worker yields after this, so no stage starves the others


@dataclass
class PassResult:
    """Counts from one pass of the pipeline."""

    collected: int = 0
    scored: int = 0
    routed: int = 0
    notified: int = 0
    posted: int = 0
    incidents: int = 0


def drain(stage: object, ctx: Context, deadline: float | None = None) -> int:
    """Run a batch stage until it has nothing left (or the monotonic deadline passed)."""
    total = 0
    while deadline is None or time.monotonic() < deadline:
        n = stage(ctx)  # type: ignore[operator]
        if not n:
            break
        total += n
    return total


def _post_all(ctx: Context, sources: dict[str, Source], deadline: float | None) -> int:
    """Post queued replies until none is left (post_pending works in batches)."""
    return drain(lambda c: post_pending(c, sources), ctx, deadline)


class Pipeline:
    """All stages in one process; every stage works from the database, so it can stop anywhere.

    Under `run_forever` Slack delivery runs in its own thread, so a hanging webhook never delays collection.
    """

    def __init__(self, ctx: Context, sources: dict[str, Source] | None = None):
        self.ctx = ctx
        self.sources = build_sources(ctx) if sources is None else sources
        self.limiter = RateLimiter(ctx.rules.slack.rate_per_second, ctx)
        self.stopping = False
        self.delivery: threading.Thread | None = None

    def collect_all(self, *, force: bool, deadline: float | None) -> int:
        """Poll the due sources (all when forced), then poll again each one that had more, until none has."""
        more: set[str] = set()
        total = collect(self.ctx, self.sources, force=force, more=more)
        while more and (deadline is None or time.monotonic() < deadline):
            again = {name: self.sources[name] for name in sorted(more)}
            more = set()
            total += collect(self.ctx, again, force=True, more=more)
        return total

    def run_once(self, *, force: bool = True, max_seconds: float | None = None, notify: bool = True) -> PassResult:
        """Run every stage until its queue is empty, or until `max_seconds` have passed.

        Collection polls every source (only the due ones unless forced) and polls again while a source's
        checkpoint moves. `notify=False` leaves Slack to the delivery thread.
        """
        deadline = time.monotonic() + max_seconds if max_seconds else None
        r = PassResult()
        r.collected = self.collect_all(force=force, deadline=deadline)
        r.scored = drain(score_pending, self.ctx, deadline)
        r.routed = drain(route_pending, self.ctx, deadline)
        roll_up_pending(self.ctx)  # the dashboard's daily volume
        notify_team(self.ctx)  # team notices join the alerts outbox, delivered just below
        if notify:
            r.notified = notify_pending(self.ctx, self.limiter, deadline=deadline)
        r.incidents = incident_pass(self.ctx, self.limiter, deliver=notify).opened
        r.posted = _post_all(self.ctx, self.sources, deadline)
        drain(purge_expired, self.ctx, deadline)  # retention: mention text and author data past rules.retention
        scan_pending(self.ctx)  # one batch of mentions stored before personal-data spans existed
        log.info("pass: %s", r)
        return r

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True

    def _deliver_forever(self) -> None:
        """Delivery thread: send due alerts; idle briefly when none is due."""
        while not self.stopping:
            try:
                sent = notify_pending(self.ctx, self.limiter, limit=50)
                sent += deliver_pending(self.ctx, self.limiter)  # incident and spike messages: same thread, same limits
            except Exception:  # keep delivering; the outbox rows say what is left
                log.exception("alert delivery failed")
                sent = 0
            if not sent:
                time.sleep(0.5)

    def start_delivery(self) -> threading.Thread:
        """Start the Slack delivery thread (daemon, so a hanging request cannot keep the process alive)."""
        self.delivery = threading.Thread(target=self._deliver_forever, name="slack-delivery", daemon=True)
        self.delivery.start()
        return self.delivery

    def run_forever(self, interval: float | None = None, *, signals: bool = True) -> None:
        """Run passes until SIGINT/SIGTERM (or `stopping`); waits the shortest source poll interval."""
        if signals:
            signal.signal(signal.SIGTERM, self._stop)
            signal.signal(signal.SIGINT, self._stop)
        polls = [c.poll_interval for c in self.ctx.rules.sources.values() if c.enabled]
        wait = interval if interval is not None else float(min([5, *polls]))
        self.start_delivery()
        while not self.stopping:
            try:
                self.run_once(force=False, max_seconds=PASS_SECONDS, notify=False)
            except Exception:  # keep the worker alive; the next pass retries from the database
                log.exception("pipeline pass failed")
            deadline = time.monotonic() + wait
            while not self.stopping and time.monotonic() < deadline:
                time.sleep(min(0.5, wait))
        if self.delivery is not None:
            self.delivery.join(timeout=SEND_TIMEOUT + 1)
