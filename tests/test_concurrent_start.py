"""Workers started together on a fresh PostgreSQL database: one migrates, the others wait; nobody crashes."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import func, select, text

from monitor.collector import source_state
from monitor.db import make_engine, make_sessionmaker, upgrade
from monitor.models import SourceState
from tests.conftest import PG_URL, _drop_pg_database, _fresh_pg_database

WORKERS = 4


@pytest.fixture
def fresh_pg() -> Iterator[str]:
    """An empty (not migrated) PostgreSQL database."""
    if not PG_URL:
        if os.environ.get("CI"):
            pytest.fail("CI must set REPGUARD_TEST_DATABASE_URL")
        pytest.skip("set REPGUARD_TEST_DATABASE_URL to run on PostgreSQL")
    url = _fresh_pg_database()
    yield url
    _drop_pg_database(url)


def together(job: Callable[[], None]) -> list[BaseException]:
    """Run `job` in WORKERS threads released at the same instant; return what they raised."""
    barrier = threading.Barrier(WORKERS)
    errors: list[BaseException] = []

    def run() -> None:
        barrier.wait()
        try:
            job()
        except BaseException as exc:  # collected for the assertion, with its type
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return errors


def test_simultaneous_migrations_and_state_rows(fresh_pg: str) -> None:
    engines = [make_engine(fresh_pg) for _ in range(WORKERS)]
    pool = iter(engines)
    lock = threading.Lock()

    def start_worker() -> None:
        with lock:
            engine = next(pool)
        upgrade(engine)
        with make_sessionmaker(engine)() as session, session.begin():
            source_state(session, "replay")

    assert together(start_worker) == []
    with make_sessionmaker(engines[0])() as s:
        assert s.scalar(select(func.count()).select_from(SourceState)) == 1
        assert s.scalar(text("SELECT count(*) FROM alembic_version")) == 1
    for e in engines:
        e.dispose()
