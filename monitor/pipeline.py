"""Run the stages collect -> score -> route -> notify -> post, once or forever."""

from __future__ import annotations

import logging
import signal
import time
from dataclasses import dataclass
from types import FrameType

from monitor.alerts import RateLimiter, notify_pending
from monitor.collector import build_sources, collect
from monitor.context import Context
from monitor.incident_stage import incident_pass
from monitor.poster import post_pending
from monitor.router import route_pending
from monitor.scorer import score_pending
from monitor.sources import Source

log = logging.getLogger(__name__)


@dataclass
class PassResult:
    """Counts from one pass of the pipeline."""

    collected: int = 0
    scored: int = 0
    routed: int = 0
    notified: int = 0
    posted: int = 0
    incidents: int = 0


def drain(stage: object, ctx: Context) -> int:
    """Run a batch stage until it has nothing left."""
    total = 0
    while n := stage(ctx):  # type: ignore[operator]
        total += n
    return total


class Pipeline:
    """All stages in one process; every stage works from the database, so it can stop anywhere."""

    def __init__(self, ctx: Context, sources: dict[str, Source] | None = None):
        self.ctx = ctx
        self.sources = build_sources(ctx) if sources is None else sources
        self.limiter = RateLimiter(ctx.rules.slack.rate_per_second, ctx)
        self.stopping = False

    def run_once(self, *, force: bool = True) -> PassResult:
        """Collect what is new (every source when forced, else the due ones), then drain every stage."""
        r = PassResult()
        r.collected = collect(self.ctx, self.sources, force=force)
        r.scored = drain(score_pending, self.ctx)
        r.routed = drain(route_pending, self.ctx)
        r.notified = notify_pending(self.ctx, self.limiter)
        r.incidents = incident_pass(self.ctx, self.limiter).opened
        r.posted = post_pending(self.ctx, self.sources)
        log.info("pass: %s", r)
        return r

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True

    def run_forever(self, interval: float | None = None, *, signals: bool = True) -> None:
        """Run passes until SIGINT/SIGTERM (or `stopping`); waits the shortest source poll interval."""
        if signals:
            signal.signal(signal.SIGTERM, self._stop)
            signal.signal(signal.SIGINT, self._stop)
        polls = [c.poll_interval for c in self.ctx.rules.sources.values() if c.enabled]
        wait = interval if interval is not None else float(min([5, *polls]))
        while not self.stopping:
            try:
                self.run_once(force=False)
            except Exception:  # keep the worker alive; the next pass retries from the database
                log.exception("pipeline pass failed")
            deadline = time.monotonic() + wait
            while not self.stopping and time.monotonic() < deadline:
                time.sleep(min(0.5, wait))
