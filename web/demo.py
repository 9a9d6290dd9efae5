"""`repguard demo`: demo users, a local Slack capture endpoint, the pipeline and the web UI."""

from __future__ import annotations

import json
import os
import threading
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sqlalchemy import select

from monitor.context import Context
from monitor.db import home_dir, make_engine, make_sessionmaker, transaction, upgrade
from monitor.mention import parse_time
from monitor.models import User, utcnow
from monitor.pipeline import Pipeline
from monitor.rules import Rules, load_rules
from monitor.sources.options import ReplayOptions

DEMO_USERS = (("agent", "agent", "agent-demo"), ("approver", "approver", "approver-demo"),
              ("admin", "admin", "admin-demo"))


def capture_server(log_path: Path) -> ThreadingHTTPServer:
    """Start a local stand-in for Slack webhooks that appends each message to a JSONL file."""
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with log_path.open("a", encoding="utf-8") as fh:
                record = {"channel": self.path.strip("/"), "payload": json.loads(body or b"{}")}
                fh.write(json.dumps(record) + "\n")
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def redate(source: Path, target: Path, now: datetime, lag: timedelta = timedelta(minutes=20)) -> Path:
    """Copy the demo mentions shifted in time so the newest was posted `lag` ago (spacing kept)."""
    records = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    times = [parse_time(r["created_at"]) for r in records if "created_at" in r]
    shift = (now - lag - max(times)) if times else timedelta(0)
    with target.open("w", encoding="utf-8") as fh:
        for record in records:
            if "created_at" in record:
                record["created_at"] = (parse_time(record["created_at"]) + shift).isoformat().replace("+00:00", "Z")
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return target


def with_fresh_demo_data(rules: Rules, home: Path) -> Rules:
    """Point the replay source at a copy of its file re-dated to now, so "this week" shows the demo posts."""
    replay = rules.sources.get("replay")
    if not isinstance(replay, ReplayOptions):
        return rules
    path = Path(replay.path or "demo/mentions.jsonl")
    path = path if path.is_absolute() else rules.base_dir / path
    fresh = redate(path, home / "demo-mentions.jsonl", utcnow())
    sources = {**rules.sources, "replay": replay.model_copy(update={"path": str(fresh)})}
    updated = rules.model_copy(update={"sources": sources})
    updated._base_dir = rules.base_dir
    return updated


def ensure_demo_users(ctx: Context) -> None:
    """Create the three demo accounts if they do not exist."""
    from web.auth import hash_password

    with transaction(ctx.sessions) as session:
        for username, role, password in DEMO_USERS:
            if session.scalars(select(User).where(User.username == username)).first() is None:
                session.add(User(username=username, role=role, password_hash=hash_password(password)))


def run_demo(host: str, port: int) -> int:
    """Start everything and serve until interrupted."""
    from waitress import serve

    from web import create_app
    from web.warmup import warm_checks

    home = home_dir()
    home.mkdir(parents=True, exist_ok=True)
    rules = with_fresh_demo_data(load_rules(os.environ.get("REPGUARD_RULES")), home)
    slack = capture_server(home / "demo-slack.jsonl")
    for name, channel in rules.slack.channels.items():
        os.environ.setdefault(channel.webhook_env, f"http://127.0.0.1:{slack.server_address[1]}/{name}")
    os.environ.setdefault("REPGUARD_BASE_URL", f"http://{host}:{port}")
    engine = make_engine()
    upgrade(engine)
    ctx = Context(rules=rules, sessions=make_sessionmaker(engine))
    ensure_demo_users(ctx)
    pipeline = Pipeline(ctx)
    print("running the pipeline on the demo mentions…", flush=True)
    print(f"  {pipeline.run_once()}", flush=True)
    threading.Thread(target=pipeline.run_forever, kwargs={"interval": 10, "signals": False},
                     daemon=True).start()
    app = create_app()
    warm_checks(app)  # the checks load now, not on the first live check
    print(f"\nrepguard demo: open http://{host}:{port}/", flush=True)
    print("  sign in as agent / agent-demo, approver / approver-demo or admin / admin-demo", flush=True)
    print(f"  Slack alerts go to a local capture file: {home / 'demo-slack.jsonl'}", flush=True)
    serve(app, host=host, port=port, threads=8)
    return 0
