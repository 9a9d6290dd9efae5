"""Shared fixtures: a real database (SQLite, and PostgreSQL when configured), rules, a pipeline context."""

from __future__ import annotations

import json
import os
import socketserver
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text

from monitor.context import Context
from monitor.db import make_engine, make_sessionmaker, upgrade
from monitor.rules import Rules, parse_rules

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("REPGUARD_TEST_DATABASE_URL", "")

RULES_YAML = """
brands:
  - name: Acme
    handles: {x: AcmeHelp}
    keywords: [acme]
sources:
  replay: {path: mentions.jsonl}
routing:
  - name: abusive
    when: {toxicity_min: 0.7}
    then: {slack: [escalations], priority: high}
  - name: negative
    when: {sentiment: [negative]}
    then: {slack: [support], priority: normal}
slack:
  channels:
    support: {webhook_env: TEST_SLACK_SUPPORT}
    escalations: {webhook_env: TEST_SLACK_ESCALATIONS}
moderation:
  checks: [toxicity, policy]
  scorer: lexicon  # pipeline tests are about the pipeline: a deterministic scorer keeps them so
"""


@pytest.fixture(autouse=True)
def _no_real_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Make time.sleep a no-op that records what was asked."""
    slept: list[float] = []
    monkeypatch.setattr("time.sleep", slept.append)
    return slept


def _fresh_pg_database() -> str:
    """Create an empty PostgreSQL database for one test and return its URL."""
    admin = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1),
                          isolation_level="AUTOCOMMIT")
    name = f"rgtest_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return PG_URL.rsplit("/", 1)[0] + "/" + name


def _drop_pg_database(url: str) -> None:
    admin = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
    admin.dispose()


def _migrate(url: str) -> None:
    eng = make_engine(url)
    upgrade(eng)
    eng.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database URL: SQLite always, PostgreSQL when REPGUARD_TEST_DATABASE_URL is set."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.db'}"
        _migrate(url)
        yield url
        return
    if not PG_URL:
        if os.environ.get("CI"):
            pytest.fail("CI must set REPGUARD_TEST_DATABASE_URL so the suite also runs on PostgreSQL")
        pytest.skip("set REPGUARD_TEST_DATABASE_URL to run on PostgreSQL")
    url = _fresh_pg_database()
    _migrate(url)
    yield url
    _drop_pg_database(url)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on the test database."""
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> None:
    """Append mention records to a JSONL file."""
    with path.open("a", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


def record(n: int, text: str, **extra: Any) -> dict[str, Any]:
    """A replay record with sensible defaults."""
    return {"id": str(n), "platform": "x", "text": text,
            "author": {"id": f"u{n}", "handle": f"user{n}", "name": f"User {n}", "followers": 10 * n},
            "created_at": datetime(2026, 11, 1, 12, 0, tzinfo=UTC).isoformat(), "lang": "en", **extra}


@pytest.fixture
def rules(tmp_path: Path) -> Rules:
    """Test rules whose replay source reads tmp_path/mentions.jsonl."""
    (tmp_path / "mentions.jsonl").touch()
    return parse_rules(RULES_YAML, str(tmp_path / "rules.yaml"), tmp_path)


@pytest.fixture
def ctx(engine: Engine, rules: Rules, tmp_path: Path) -> Context:
    """A pipeline context on the test database, with no webhook URLs set."""
    return Context(rules=rules, sessions=make_sessionmaker(engine),
                   env={"REPGUARD_HOME": str(tmp_path), "REPGUARD_BASE_URL": "http://rg.test"},
                   sleep=lambda s: None)


class Recorder:
    """A local HTTP server that records requests and answers from a script of responses."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.script: list[tuple[int, dict[str, str], bytes]] = []
        self.default: tuple[int, dict[str, str], bytes] = (200, {}, b"ok")
        self.lock = threading.Lock()
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with recorder.lock:
                    recorder.requests.append({"method": self.command, "path": self.path,
                                              "headers": dict(self.headers), "body": body})
                    status, headers, payload = recorder.script.pop(0) if recorder.script else recorder.default
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_POST = do_GET = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "/") -> str:
        """Return the URL of a path on this server."""
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def close(self) -> None:
        """Stop the server."""
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    """A recording local HTTP server."""
    rec = Recorder()
    yield rec
    rec.close()


class Hang(socketserver.ThreadingTCPServer):
    """A webhook that reads the request and never answers."""

    daemon_threads = True

    def __init__(self) -> None:
        self.got = 0
        self.release = threading.Event()
        server = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                self.request.recv(65536)
                server.got += 1
                server.release.wait(30)

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()


@pytest.fixture
def hang() -> Iterator[Hang]:
    """A webhook that never answers; released and closed after the test."""
    server = Hang()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()
