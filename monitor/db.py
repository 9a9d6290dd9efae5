"""Database engine, sessions and migrations (SQLite by default, PostgreSQL by URL)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_HOME = Path("instance")
# Any fixed 64-bit number: every repguard process migrating one PostgreSQL database takes this lock.
MIGRATION_LOCK = 0x7265_7067_7561_7264  # "repguard"


def home_dir() -> Path:
    """Return the data directory (REPGUARD_HOME, default ./instance)."""
    return Path(os.environ.get("REPGUARD_HOME") or DEFAULT_HOME)


def private_home() -> Path:
    """Create the data directory readable by its owner only (0700): it holds strangers' personal data."""
    home = home_dir()
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    home.chmod(0o700)
    return home


def private_file(path: Path) -> Path:
    """Create a file as 0600 (or tighten an existing one) before anything is written to it."""
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    path.chmod(0o600)
    return path


def database_url() -> str:
    """Return REPGUARD_DATABASE_URL, or the SQLite file (0600) in the data directory (0700)."""
    url = os.environ.get("REPGUARD_DATABASE_URL")
    if url:
        return url
    path = private_file(private_home() / "repguard.db")  # SQLite gives its -wal/-shm files the same mode
    return f"sqlite:///{path.resolve()}"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    """WAL lets the web server read while the pipeline writes; wait instead of failing on a lock."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=15000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def make_engine(url: str | None = None) -> Engine:
    """Create an engine for the URL (default: database_url())."""
    url = url or database_url()
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    # hide_parameters: a failed INSERT must not copy a mention's text into logs or a stored error message.
    engine = create_engine(url, pool_pre_ping=True, hide_parameters=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Return a session factory that keeps objects usable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """Yield a session inside one transaction: commit on success, roll back on error."""
    with factory() as session, session.begin():
        yield session


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Workers started together queue here; the later ones then find the schema at head.
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
