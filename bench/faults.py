"""Fault injection: the pipeline against a local fake Slack (429 / 5xx / hang / slow) on real PostgreSQL.

Usage: REPGUARD_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1/postgres python bench/faults.py [--short]

Each scenario creates its own database, injects one fault of issue 12 and prints what happened:
records lost or duplicated, latency of collection during a Slack hang, the rate Slack saw.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import pairwise
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, func, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from monitor import alerts  # noqa: E402
from monitor.context import Context  # noqa: E402
from monitor.db import make_engine, make_sessionmaker, upgrade  # noqa: E402
from monitor.mention import Mention as Record  # noqa: E402
from monitor.models import AlertDelivery, DeadLetter, Mention, SourceState  # noqa: E402
from monitor.pipeline import Pipeline  # noqa: E402
from monitor.rules import parse_rules  # noqa: E402
from monitor.sources import SOURCES, Batch, Source, SourceError  # noqa: E402

RULES = """
brands:
  - name: Acme
    keywords: [acme]
sources:
  replay: {path: mentions.jsonl, poll_interval: 1}
routing:
  - name: negative
    when: {sentiment: [negative]}
    then: {slack: [support], priority: normal}
slack:
  rate_per_second: RATE
  channels:
    support: {webhook_env: FAULTS_SLACK}
moderation:
  checks: [toxicity]
  scorer: lexicon
"""
NEGATIVE = "Acme terrible awful broken service, furious, ticket m{n}"
ENGINES: list[Engine] = []  # closed when the scenario's database is dropped


def engine_for(url: str) -> Engine:
    """An engine on the scenario's database, disposed with it."""
    ENGINES.append(make_engine(url))
    return ENGINES[-1]


class FakeSlack:
    """A local incoming webhook whose answer is switched by `mode`: ok, 429, 500, hang or slow."""

    def __init__(self) -> None:
        self.mode = "ok"
        self.received: list[tuple[float, str, str]] = []  # (time, ticket, mode answered) of every request
        self.release = threading.Event()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                ticket = body["blocks"][1]["text"]["text"].rsplit("ticket ", 1)[-1]
                mode = fake.mode
                fake.received.append((time.monotonic(), ticket, mode))
                if mode == "hang":
                    fake.release.wait(60)
                    return  # close without an answer
                if mode == "slow":
                    time.sleep(1.0)
                status, headers = {"429": (429, {"Retry-After": "1"}), "500": (500, {})}.get(mode, (200, {}))
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok" if status == 200 else b"no")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/services/T0/B0/secret"

    def tickets(self) -> list[str]:
        """Tickets of every message Slack accepted or may have posted (a duplicate appears twice)."""
        return [t for _, t, mode in self.received if mode not in ("429", "500")]

    def close(self) -> None:
        """Release hanging requests and stop."""
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def database(admin_url: str) -> Iterator[str]:
    """A fresh PostgreSQL database for one scenario."""
    admin = create_engine(admin_url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
    name = f"rgfaults_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin_url.rsplit("/", 1)[0] + "/" + name
    try:
        yield url
    finally:
        while ENGINES:
            ENGINES.pop().dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def record(n: int, text_: str, **extra: Any) -> dict[str, Any]:
    """One replay line."""
    return {"id": str(n), "platform": "x", "text": text_, "created_at": datetime.now(UTC).isoformat(),
            "author": {"id": f"u{n}", "handle": f"user{n}", "followers": n}, "lang": "en", **extra}


def append(path: Path, records: list[dict[str, Any]]) -> None:
    """Append records to the replay file."""
    with path.open("a", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def context(url: str, work: Path, slack: FakeSlack, rate: float = 1000.0) -> Context:
    """A migrated database and a pipeline context on it, with the fake Slack as the webhook."""
    (work / "rules.yaml").write_text(RULES.replace("RATE", str(rate)))
    (work / "mentions.jsonl").touch()
    engine = engine_for(url)
    upgrade(engine)
    rules = parse_rules(RULES.replace("RATE", str(rate)), str(work / "rules.yaml"), work)
    return Context(rules=rules, sessions=make_sessionmaker(engine),
                   env={"FAULTS_SLACK": slack.url, "REPGUARD_HOME": str(work)})


def count(ctx: Context, model: Any, *where: Any) -> int:
    """Rows of a model matching the conditions."""
    with ctx.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def until(cond: Any, timeout: float) -> float:
    """Wait until cond() holds; return the seconds it took (or the timeout)."""
    start = time.monotonic()
    while not cond() and time.monotonic() - start < timeout:
        time.sleep(0.05)
    return time.monotonic() - start


def bad_records(url: str, work: Path, n: int) -> dict[str, Any]:
    """Item 1: records PostgreSQL would refuse, among valid ones."""
    slack = FakeSlack()
    ctx = context(url, work, slack)
    recs = [record(i, f"Acme fine, thanks {i}") for i in range(1, n + 1)]
    recs[1]["text"] = "Acme \x00 nul"
    recs[2]["author"]["followers"] = 2**40
    recs[3]["author"]["handle"] = "h" * 400
    recs[4]["url"] = "https://x.com/" + "u" * 3000
    recs[5]["lang"] = "x" * 40
    recs[6]["id"] = "9" * 300  # cannot be cut: quarantined
    append(work / "mentions.jsonl", recs)
    Pipeline(ctx).run_once()
    stored = count(ctx, Mention)
    slack.close()
    return {"scenario": "1. bad records among valid ones", "stored": f"{stored} of {n - 1} storable",
            "quarantined": count(ctx, DeadLetter), "lost": n - 1 - stored}


def slack_429(url: str, work: Path, n: int, storm: float) -> dict[str, Any]:
    """Item 2: Slack answers 429 (Retry-After: 1) for `storm` seconds."""
    slack = FakeSlack()
    ctx = context(url, work, slack)
    append(work / "mentions.jsonl", [record(i, NEGATIVE.format(n=i)) for i in range(n)])
    pipeline = Pipeline(ctx)
    pipeline.run_once(notify=False)
    slack.mode = "429"
    start = time.monotonic()
    threading.Timer(storm, lambda: setattr(slack, "mode", "ok")).start()
    while time.monotonic() - start < storm + 60 and count(ctx, AlertDelivery, AlertDelivery.status != "sent"):
        pipeline.run_once(max_seconds=5)
        time.sleep(0.2)
    first = slack.received[0][0] if slack.received else start
    early = sum(1 for t, _, _ in slack.received if t - first < min(5.0, storm))
    sent = slack.tickets()
    slack.close()
    return {"scenario": f"2. Slack 429 for {storm:g} s", "requests in first 5 s": early,
            "failed": count(ctx, AlertDelivery, AlertDelivery.status == "failed"),
            "lost": n - len(set(slack.tickets())), "duplicated": len(sent) - len(set(sent))}


def slack_hang(url: str, work: Path, n: int) -> dict[str, Any]:
    """Item 3: Slack accepts the request and never answers; mentions keep arriving."""
    slack = FakeSlack()
    ctx = context(url, work, slack)
    pipeline = Pipeline(ctx)
    append(work / "mentions.jsonl", [record(i, NEGATIVE.format(n=i)) for i in range(n)])
    pipeline.run_once(notify=False)
    slack.mode = "hang"
    pipeline.start_delivery()
    worker = threading.Thread(target=lambda: _collect_loop(pipeline), daemon=True)
    worker.start()
    time.sleep(1.0)  # the delivery thread is now stuck in a hanging request
    append(work / "mentions.jsonl", [record(i, f"Acme ok m{i}") for i in range(n, 2 * n)])
    latency = until(lambda: count(ctx, Mention) == 2 * n, 60)
    hung = len(slack.received)
    pipeline.stopping = True
    slack.mode = "ok"
    slack.release.set()
    worker.join(30)
    if pipeline.delivery is not None:
        pipeline.delivery.join(30)
    tickets = slack.tickets()
    result = {"scenario": "3. Slack hangs", "collection latency s": round(latency, 2),
              "requests hung": hung, "maybe delivered (not resent)":
                  count(ctx, AlertDelivery, AlertDelivery.status == "unconfirmed"),
              "duplicated": len(tickets) - len(set(tickets))}
    slack.close()
    return result


def _collect_loop(pipeline: Pipeline) -> None:
    while not pipeline.stopping:
        pipeline.run_once(force=True, notify=False, max_seconds=5)
        time.sleep(0.2)


def shared_rate(url: str, work: Path, n: int, rate: float) -> dict[str, Any]:
    """Item 5: three workers (own engine, own limiter) deliver to one webhook at `rate` per second."""
    slack = FakeSlack()
    ctx = context(url, work, slack, rate)
    append(work / "mentions.jsonl", [record(i, NEGATIVE.format(n=i)) for i in range(n)])
    Pipeline(ctx).run_once(notify=False)
    workers = [Pipeline(Context(rules=ctx.rules, sessions=make_sessionmaker(engine_for(url)), env=ctx.env))
               for _ in range(3)]
    threads = [threading.Thread(target=lambda p=p: p.run_once(max_seconds=n / rate + 10)) for p in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    times = sorted(t for t, _, _ in slack.received)
    peak = max(sum(1 for u in times if t <= u < t + 1.0) for t in times) if times else 0
    span = times[-1] - times[0] if len(times) > 1 else 0.0
    tickets = slack.tickets()
    slack.close()
    return {"scenario": f"5. three workers, rate_per_second {rate:g}", "messages": len(times),
            "peak in any 1 s": peak, "mean rate /s": round((len(times) - 1) / span, 2) if span else 0,
            "min gap s": round(min((b - a for a, b in pairwise(times)), default=0.0), 3),
            "duplicated": len(tickets) - len(set(tickets)), "lost": n - len(set(tickets))}


def concurrent_start(url: str, work: Path, workers: int) -> dict[str, Any]:
    """Item 4: `repguard run --once` processes started together on a fresh database."""
    (work / "rules.yaml").write_text(RULES.replace("RATE", "1000"))
    append(work / "mentions.jsonl", [record(i, f"Acme fine {i}") for i in range(50)])
    env = {**os.environ, "REPGUARD_DATABASE_URL": url, "REPGUARD_HOME": str(work), "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "web.cli", "run", "--once", "--max-seconds", "60", "--rules", str(work / "rules.yaml")]
    procs = [subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(workers)]
    outs = [p.communicate(timeout=300) for p in procs]
    crashed = sum(p.returncode != 0 for p in procs)
    tracebacks = sum("Traceback" in err for _, err in outs)
    engine = make_engine(url)
    with engine.connect() as conn:
        stored = conn.scalar(text("SELECT count(*) FROM mentions"))
    engine.dispose()
    return {"scenario": f"4. {workers} workers start together", "crashed": crashed, "tracebacks": tracebacks,
            "stored": f"{stored} of 50"}


class FakePlatform:
    """A local platform API serving `GET /posts?after=N`, switchable to 429, 500, hang or slow."""

    def __init__(self, posts: int) -> None:
        self.mode = "ok"
        self.posts: list[dict[str, Any]] = [{"id": i, "text": f"Acme fine, thanks p{i}"} for i in range(1, posts + 1)]
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                mode = fake.mode
                if mode in ("hang", "slow"):
                    time.sleep(5 if mode == "hang" else 1)
                after = int(self.path.rsplit("=", 1)[-1])
                status, body = {"429": (429, b"[]"), "500": (500, b"[]")}.get(
                    mode, (200, json.dumps([p for p in fake.posts if p["id"] > after][:10]).encode()))
                try:
                    self.send_response(status)
                    self.send_header("Retry-After", "1")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the client gave up on a hanging request

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        FeedSource.base = f"http://127.0.0.1:{self.server.server_address[1]}"


class FeedSource(Source):
    """The fake platform as a source, registered from outside like any new platform."""

    name = "feed"
    base = ""

    def collect(self, checkpoint: dict[str, Any]) -> Batch:
        after = int(checkpoint.get("after", 0))
        try:
            resp = requests.get(f"{self.base}/posts?after={after}", timeout=2)
        except requests.RequestException as exc:
            raise SourceError(f"feed unreachable: {type(exc).__name__}") from None
        if resp.status_code == 429:
            raise SourceError("feed rate limit (HTTP 429)", retry_after=float(resp.headers["Retry-After"]))
        if resp.status_code >= 500:
            raise SourceError(f"feed server error (HTTP {resp.status_code})")
        items = resp.json()
        mentions = [Record(platform="feed", external_id=str(p["id"]), text=p["text"], author_handle="a",
                            created_at=datetime.now(UTC)) for p in items]
        return Batch(mentions, {"after": max([after, *(p["id"] for p in items)])}, reads=len(items))


def platform_faults(url: str, work: Path, n: int) -> dict[str, Any]:
    """A platform answering 429, then 500, then hanging, then recovering: paused, reported, nothing lost."""
    SOURCES["feed"] = FeedSource
    platform = FakePlatform(n)
    slack = FakeSlack()
    ctx = context(url, work, slack)
    rules = parse_rules(RULES.replace("RATE", "1000").replace("  replay: {path: mentions.jsonl, poll_interval: 1}",
                                                              "  feed: {poll_interval: 1}"),
                        str(work / "rules.yaml"), work)
    ctx = Context(rules=rules, sessions=ctx.sessions, env=ctx.env)
    pipeline, seen = Pipeline(ctx), []
    for mode in ("429", "500", "hang", "slow", "ok"):
        platform.mode = mode
        start = time.monotonic()
        pipeline.run_once(force=False, max_seconds=10)
        with ctx.sessions() as s:
            state = s.get(SourceState, "feed")
            paused = " paused" if state and state.paused_until and state.paused_until > ctx.now() else ""
            seen.append(f"{mode}: {state.last_error[:30] if state and state.last_error else 'ok'}{paused}"
                        f" ({time.monotonic() - start:.1f} s)")
        time.sleep(1.1)  # past the Retry-After pause
    platform.server.shutdown()
    platform.server.server_close()
    slack.close()
    stored = count(ctx, Mention)
    del SOURCES["feed"]
    return {"scenario": "7. platform 429, 500, hang, then ok", "stored": f"{stored} of {n}", "lost": n - stored,
            "polls": "; ".join(seen)}


def missing_file(url: str, work: Path, n: int) -> dict[str, Any]:
    """Item 6: a missing replay file, then `run --once` over more than one batch."""
    slack = FakeSlack()
    ctx = context(url, work, slack)
    (work / "mentions.jsonl").unlink()
    Pipeline(ctx).run_once()
    with ctx.sessions() as s:
        state = s.get(SourceState, "replay")
        health = state.last_error if state else ""
    append(work / "mentions.jsonl", [record(i, f"Acme fine {i}") for i in range(n)])
    result = Pipeline(ctx).run_once()
    slack.close()
    return {"scenario": "6. missing replay file; then one --once", "health": health.split(" /")[0],
            "stored by one --once": f"{result.collected} of {n}"}


def main() -> int:
    """Run every scenario and print a Markdown table per scenario."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--short", action="store_true", help="small sizes (a CI run of a few seconds)")
    args = ap.parse_args()
    admin = os.environ.get("REPGUARD_TEST_DATABASE_URL") or sys.exit("set REPGUARD_TEST_DATABASE_URL")
    run_all(admin, Path(os.environ.get("TMPDIR", "/tmp")), short=args.short,
            report=lambda row: print(" | ".join(f"{k}: {v}" for k, v in row.items()), flush=True))
    return 0


def run_all(admin: str, tmp: Path, *, short: bool, report: Any = None) -> list[dict[str, Any]]:
    """Every scenario, each on its own fresh database; `short` keeps it to a few seconds."""
    import tempfile

    alerts.SEND_TIMEOUT = 3 if short else alerts.SEND_TIMEOUT  # a loaded CI machine answers slowly
    plans: list[tuple[Any, tuple[Any, ...]]] = [
        (bad_records, (20 if short else 300,)), (slack_429, (10 if short else 100, 2.0 if short else 20.0)),
        (slack_hang, (5 if short else 20,)), (shared_rate, (6 if short else 30, 2.0)),
        (missing_file, (60 if short else 1200,)), (platform_faults, (25 if short else 100,))]
    if not short:
        plans.insert(3, (concurrent_start, (3,)))
    rows = []
    for func_, extra in plans:
        with database(admin) as url, tempfile.TemporaryDirectory(dir=tmp) as work:
            rows.append(func_(url, Path(work), *extra))
        if report:
            report(rows[-1])
    return rows


if __name__ == "__main__":
    sys.exit(main())
