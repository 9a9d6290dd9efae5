"""What every pipeline stage needs: rules, the session factory, environment and clock."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from monitor.models import utcnow
from monitor.rules import Rules

T = TypeVar("T")


@dataclass
class Context:
    """Shared state of one pipeline process."""

    rules: Rules
    sessions: sessionmaker[Session]
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    now: Callable[[], datetime] = utcnow
    sleep: Callable[[float], None] = time.sleep
    batch_size: int = 64

    @property
    def base_url(self) -> str:
        """Public URL of the web UI, for links in alerts."""
        return self.env.get("REPGUARD_BASE_URL", "http://127.0.0.1:8000").rstrip("/")


def claimable(stmt: Select[Any], limit: int) -> Select[Any]:
    """Limit a selection and lock its rows so concurrent workers skip them (PostgreSQL)."""
    return stmt.limit(limit).with_for_update(skip_locked=True)


def retry_locked(work: Callable[[], T], tries: int = 5) -> T:
    """Run a short transaction again when SQLite reports a lock (a write racing a newer snapshot).

    Only for work that is safe to repeat: nothing it did was committed when the error came.
    """
    for attempt in range(tries):
        try:
            return work()
        except OperationalError as exc:
            if "locked" not in str(exc.orig) or attempt == tries - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")
