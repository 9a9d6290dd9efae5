"""Replay an outage through routing, grouping and spike detection; time grouping 10,000 mentions.

    python bench/incidents_replay.py --data-dir ../shared/benchdata [--json bench/incidents_results.json]

Normal traffic: real posts (TweetEval sentiment and airline complaints in English; XED in French,
Spanish and German) with their dataset labels as sentiment, on a weekly rhythm, two weeks of history
before the outage day. The outage: a few hundred generated near-duplicate complaints in four
languages over about 90 minutes. Every 5 simulated minutes the stages run as the pipeline runs them
(route, then the incident stage), and Slack messages go over HTTP to a local webhook that records them.
The timing part runs on one core (one inference thread, one BLAS thread).
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse
import csv
import json
import math
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import yaml
from sqlalchemy import select

from moderation.embed_shipped import embed
from monitor.alerts import RateLimiter
from monitor.context import Context
from monitor.db import make_engine, make_sessionmaker, upgrade
from monitor.grouping import features, group, merge_close, wording
from monitor.incident_stage import incident_pass
from monitor.models import AlertDelivery, IncidentMention, IncidentMessage, Mention, Score
from monitor.router import route_pending
from monitor.rules import DEFAULT_RULES, Incidents, parse_rules

BRAND = "Lumen Mobile"
DAY0 = datetime(2026, 11, 3, tzinfo=UTC)  # a Tuesday; history starts two weeks earlier
OUTAGE_AT = DAY0 + timedelta(hours=10, minutes=7)
CITIES = ["Paris", "Lyon", "Madrid", "Berlin", "London", "Leeds", "Bristol", "Sevilla", "Köln", "Lille"]
OUTAGE = {
    "en": ["network down?", "no signal since {t}", "is the network down in {c}?", "no service at all, calls fail",
           "mobile data not working at all", "outage again??", "can't call or text, zero bars",
           "phone says no service since {t}", "whole network is dead in {c}"],
    "fr": ["réseau en panne", "pas de réseau depuis {t}", "aucun signal à {c}", "impossible d'appeler",
           "panne générale ?", "plus de 4G depuis {t}"],
    "es": ["sin señal desde las {t}", "la red está caída en {c}", "no puedo llamar ni usar datos",
           "¿caída general de la red?", "sin cobertura desde {t}"],
    "de": ["kein Netz seit {t}", "Netz ausgefallen in {c}", "kann nicht telefonieren", "Störung im Netz?",
           "kein Empfang seit {t}"],
}
OPENERS = {"en": ["@LumenMobile", "hey @LumenMobile", "lumen mobile", "@LumenMobile seriously,", ""],
           "fr": ["@LumenMobile", "lumen mobile", ""], "es": ["@LumenMobile", "lumen mobile", ""],
           "de": ["@LumenMobile", "lumen mobile", ""]}
CLOSERS = ["", "!!", "😡", "ugh", "fix it", "#lumenoutage", "anyone else?", "...", "?!", "🙄"]


def outage_posts(n: int, rnd: random.Random) -> list[tuple[str, str]]:
    """Near-duplicate outage complaints: (language, text), English about half of them."""
    posts = []
    for _ in range(n):
        lang = rnd.choices(["en", "fr", "es", "de"], weights=[55, 20, 15, 10])[0]
        cores = rnd.sample(OUTAGE[lang], rnd.choice([1, 1, 2]))
        t = f"{rnd.choice([8, 9, 10])}h" if lang != "en" else rnd.choice(["8am", "this morning", "9", "an hour"])
        body = ", ".join(c.format(t=t, c=rnd.choice(CITIES)) for c in cores)
        posts.append((lang, " ".join(p for p in (rnd.choice(OPENERS[lang]), body, rnd.choice(CLOSERS)) if p)))
    return posts


def normal_posts(data: Path, rnd: random.Random) -> list[tuple[str, str, str]]:
    """Real posts with their labels: (language, sentiment, text)."""
    posts: list[tuple[str, str, str]] = []
    with (data / "tweeteval_sentiment" / "dev.csv").open(encoding="utf-8") as fh:
        posts += [("en", r["label_name"], r["text"]) for r in csv.DictReader(fh)]
    with (data / "airline_sentiment" / "dev.csv").open(encoding="utf-8") as fh:
        posts += [("en", r["airline_sentiment"], r["text"]) for r in csv.DictReader(fh)]
    for lang in ("fr", "es", "de"):
        with (data / f"multilingual_xed_{lang}" / "dev.csv").open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        posts += [(lang, r["label"], r["text"]) for r in rnd.sample(rows, min(1500, len(rows)))]
    rnd.shuffle(posts)
    return posts


def rate(at: datetime) -> float:
    """Normal mentions per 5 minutes: busy weekday daytime, quiet nights and weekends."""
    day = 1.0 if at.weekday() < 5 else 0.5
    return day * (5.0 if 8 <= at.hour < 20 else 1.0)


def poisson(rnd: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth's method; the means here are small)."""
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rnd.random()
        if p <= limit:
            return k
        k += 1


def outage_rate(at: datetime) -> float:
    """Outage complaints per 5 minutes: a quick rise and a slow decay over about 90 minutes."""
    minutes = (at - OUTAGE_AT).total_seconds() / 60
    if minutes < 0 or minutes > 100:
        return 0.0
    return 28.0 * min(1.0, minutes / 15 + 0.2) * max(0.05, 1 - minutes / 100)


class Webhook(ThreadingHTTPServer):
    """A local Slack stand-in that records every message."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Hook)
        self.messages: list[dict[str, Any]] = []


class _Hook(BaseHTTPRequestHandler):
    server: Webhook

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
        self.server.messages.append({"path": self.path, **body})
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: object) -> None:
        pass


def add(session: Any, n: int, at: datetime, lang: str, sentiment: str, text: str, stage: str, outage: bool) -> None:
    """Store one pre-scored mention (dataset label as sentiment)."""
    m = Mention(source="replay", platform="x", external_id=f"{'o' if outage else 'n'}{n}", brand=BRAND, text=text,
                author_handle=f"user{n}", author_followers=50 + (n * 37) % 5000, language=lang, created_at=at,
                stage=stage, raw={"outage": outage})
    session.add(m)
    session.flush()
    neg = 0.9 if sentiment == "negative" else 0.05
    session.add(Score(mention_id=m.id, sentiment=sentiment, negative=neg, neutral=0.05, positive=1 - neg - 0.05,
                      toxicity=0.01, language=lang, language_score=0.99, backend="dataset"))


def build_ctx(url: str, hook: Webhook) -> Context:
    """The shipped rules with incident messages to the escalations channel, webhooks on the local hook."""
    data = yaml.safe_load(DEFAULT_RULES.read_text(encoding="utf-8"))
    data["routing"] = [r for r in data["routing"] if r["name"] != "exposed-personal-data"]  # not under test; slow
    data["incidents"] = {"slack": ["escalations"]}
    data["slack"]["rate_per_second"] = 1000
    rules = parse_rules(yaml.safe_dump(data), str(DEFAULT_RULES), DEFAULT_RULES.parent)
    port = hook.server_address[1]
    env = {"REPGUARD_SLACK_WEBHOOK_SUPPORT": f"http://127.0.0.1:{port}/support",
           "REPGUARD_SLACK_WEBHOOK_ESCALATIONS": f"http://127.0.0.1:{port}/escalations",
           "REPGUARD_BASE_URL": "http://repguard.test"}
    engine = make_engine(url)
    upgrade(engine)
    return Context(rules=rules, sessions=make_sessionmaker(engine), env=env, sleep=lambda s: None)


def seed_history(ctx: Context, normal: list[tuple[str, str, str]], rnd: random.Random) -> int:
    """Two weeks of normal traffic before the outage day, stored as already routed."""
    n, at = 0, DAY0 - timedelta(days=14)
    with ctx.sessions() as session, session.begin():
        while at < DAY0:
            for _ in range(poisson(rnd, rate(at))):
                lang, sentiment, text = normal[n % len(normal)]
                add(session, n, at + timedelta(seconds=rnd.randrange(300)), lang, sentiment, text, "ignored", False)
                n += 1
            at += timedelta(minutes=5)
    return n


def replay(ctx: Context, normal: list[tuple[str, str, str]], start: int, rnd: random.Random) -> dict[str, Any]:
    """Run the outage day from 06:00 to 14:00 in 5-minute steps; return what was stored."""
    limiter = RateLimiter(ctx.rules.slack.rate_per_second, ctx)
    posts = outage_posts(400, rnd)
    n, o, at = start, 0, DAY0 + timedelta(hours=6)
    spike_at = None
    while at < DAY0 + timedelta(hours=14):
        with ctx.sessions() as session, session.begin():
            for _ in range(poisson(rnd, rate(at))):
                lang, sentiment, text = normal[n % len(normal)]
                add(session, n, at + timedelta(seconds=rnd.randrange(300)), lang, sentiment, text, "scored", False)
                n += 1
            for _ in range(int(outage_rate(at) * rnd.uniform(0.7, 1.3))):
                if o < len(posts):
                    lang, text = posts[o]
                    add(session, o, at + timedelta(seconds=rnd.randrange(300)), lang, "negative", text, "scored", True)
                    o += 1
        at += timedelta(minutes=5)
        ctx.now = lambda at=at: at  # type: ignore[misc]
        while route_pending(ctx):
            pass
        result = incident_pass(ctx, limiter)
        if result.spikes and spike_at is None:
            spike_at = at
    return {"outage_mentions": o, "normal_mentions": n - start, "spike_detected_at": spike_at}


def measure(ctx: Context, hook: Webhook, info: dict[str, Any]) -> dict[str, Any]:
    """The figures the issue asks for, from the database and the recorded webhook."""
    with ctx.sessions() as session:
        rows = session.execute(select(IncidentMention.incident_id, Mention.raw)
                               .join(Mention, Mention.id == IncidentMention.mention_id)).all()
        per = Counter(inc for inc, _ in rows)
        outage_in = Counter(inc for inc, raw in rows if raw.get("outage"))
        main = outage_in.most_common(1)[0][0] if outage_in else None
        messages = list(session.scalars(select(IncidentMessage).where(IncidentMessage.status == "sent")))
        outage_alerts = session.scalar(select(func_count()).select_from(AlertDelivery).join(
            Mention, Mention.id == AlertDelivery.mention_id).where(Mention.external_id.like("o%")))
    spike_alerts = [m for m in messages if m.kind == "spike"]
    digest_every = timedelta(minutes=ctx.rules.incidents.digest_minutes)
    slots: Counter[tuple[str, int]] = Counter()
    for m in messages:
        if m.kind.startswith("incident"):
            slots[(m.key.split(":")[1], int((m.created_at - DAY0) / digest_every))] += 1
    return {
        **{k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in info.items()},
        "outage_started": OUTAGE_AT.isoformat(),
        "spike_alerts": len(spike_alerts),
        "incidents": len(per),
        "main_incident_outage_share": round(outage_in[main] / info["outage_mentions"], 3) if main else 0.0,
        "main_incident_unrelated_share": round(1 - outage_in[main] / per[main], 3) if main else 0.0,
        "max_messages_per_incident_per_digest_interval": max(slots.values(), default=0),
        "incident_messages": sum(1 for m in messages if m.kind.startswith("incident")),
        "slack_posts_received": len(hook.messages),
        "per_mention_alerts_for_outage_mentions": outage_alerts,
    }


def func_count() -> Any:
    """COUNT(*)."""
    from sqlalchemy import func

    return func.count()


def timing(normal: list[tuple[str, str, str]], rnd: random.Random, n: int = 10_000) -> dict[str, float]:
    """Embed and group n mentions (one day's worth) on one core: CPU seconds for each part."""
    texts = [t for _, _, t in normal[:n - 400]] + [t for _, t in outage_posts(400, rnd)]
    rnd.shuffle(texts)
    cfg = Incidents()
    t0 = time.process_time()
    vecs = embed(texts)
    t1 = time.process_time()
    mixed = features([wording(t, BRAND) for t in texts], vecs, cfg.lexical_weight)
    times = sorted(rnd.uniform(0, 86400) for _ in texts)
    groups = merge_close(group(mixed, times, cfg.similarity, cfg.window_minutes * 60.0), cfg.similarity)
    t2 = time.process_time()
    return {"mentions": len(texts), "embed_cpu_s": round(t1 - t0, 1), "group_cpu_s": round(t2 - t1, 1),
            "groups": len(groups), "groups_of_8_or_more": sum(len(g.members) >= cfg.min_mentions for g in groups)}


def main() -> None:
    """Run the replay and the timing, print and optionally save the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, default=Path("../shared/benchdata"))
    ap.add_argument("--json", type=Path)
    ap.add_argument("--skip-timing", action="store_true")
    args = ap.parse_args()
    rnd = random.Random(20261103)
    normal = normal_posts(args.data_dir, rnd)
    hook = Webhook()
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory() as tmp:
        ctx = build_ctx(f"sqlite:///{tmp}/replay.db", hook)
        start = seed_history(ctx, normal, rnd)
        figures = measure(ctx, hook, replay(ctx, normal, start, rnd))
    hook.shutdown()
    if not args.skip_timing:
        figures["timing"] = timing(normal, rnd)
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
