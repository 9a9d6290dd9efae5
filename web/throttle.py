"""Failed sign-ins counted in the database (shared by every web process), keyed by hash, pruned as it goes."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from monitor.models import LoginThrottle, utcnow

MAX_BLOCK = timedelta(hours=24)


def key_of(kind: str, value: str) -> str:
    """Return the fixed-size key of an account or address: 64 hex characters however long the input."""
    return hashlib.sha256(f"{kind}\0{value}".encode("utf-8", "surrogatepass")).hexdigest()


def blocked_until(session: Session, keys: list[str], now: datetime | None = None) -> datetime | None:
    """Return when the latest block among `keys` ends, or None when none is blocked now."""
    now = now or utcnow()
    ends = [row.blocked_until for key in keys if (row := session.get(LoginThrottle, key)) is not None
            and row.blocked_until is not None and row.blocked_until > now]
    return max(ends, default=None)


def _expired(row: LoginThrottle, now: datetime, window: timedelta) -> bool:
    """Quiet for a whole window after the last failure and after the last block: start counting afresh."""
    return row.last_failure_at < now - window and (row.blocked_until is None or row.blocked_until < now - window)


def _row(session: Session, key: str, now: datetime) -> LoginThrottle:
    """Return the locked row of a key, creating it (another process may create it at the same moment)."""
    dialect = session.get_bind().dialect.name
    insert: Any = {"postgresql": pg_insert, "sqlite": sqlite_insert}[dialect](LoginThrottle)
    session.execute(insert.values(key=key, failures=0, last_failure_at=now).on_conflict_do_nothing())
    row = session.get(LoginThrottle, key, with_for_update=True, populate_existing=True)
    assert row is not None
    return row


def record_failure(session: Session, key: str, limit: int, window: timedelta, now: datetime | None = None) -> None:
    """Count a failure; from the `limit`-th on, block for a window that doubles with each further failure."""
    now = now or utcnow()
    row = _row(session, key, now)
    if _expired(row, now, window):
        row.failures, row.blocked_until = 0, None
    row.failures += 1
    row.last_failure_at = now
    if row.failures >= limit:
        row.blocked_until = now + min(MAX_BLOCK, window * 2 ** min(row.failures - limit, 16))
    prune(session, window, now)


def reset(session: Session, key: str) -> None:
    """Forget an account's failures after a successful sign-in."""
    session.execute(delete(LoginThrottle).where(LoginThrottle.key == key))


def prune(session: Session, window: timedelta, now: datetime | None = None) -> int:
    """Delete rows that no longer block or count; return how many went."""
    now = now or utcnow()
    stale = now - window
    result = session.execute(delete(LoginThrottle).where(
        LoginThrottle.last_failure_at < stale,
        or_(LoginThrottle.blocked_until.is_(None), LoginThrottle.blocked_until < stale)))
    return int(getattr(result, "rowcount", 0) or 0)
