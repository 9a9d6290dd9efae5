"""Dead letters: records the database refused, kept with the error so collection never stalls on one."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, fields
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError, InterfaceError, InternalError, OperationalError, StatementError
from sqlalchemy.orm import Session

from monitor.mention import Mention, parse_time
from monitor.models import DeadLetter

log = logging.getLogger(__name__)
MAX_PAYLOAD = 20_000  # characters of the record kept for a retry; longer ones are cut (and cannot be retried)
MAX_ERROR = 2_000


def is_record_error(exc: Exception) -> bool:
    """Whether the database refused this record (quarantine it), not the connection or lock (retry the pass)."""
    if isinstance(exc, OperationalError | InterfaceError | InternalError):
        return False
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return False
    return isinstance(exc, StatementError)


def describe(exc: Exception) -> str:
    """The database's own message, without the SQL statement and parameters SQLAlchemy appends."""
    orig = getattr(exc, "orig", None) or exc
    return f"{type(orig).__name__}: {str(orig).splitlines()[0] if str(orig) else ''}"[:MAX_ERROR]


def encode(m: Mention) -> tuple[str, bool]:
    """Serialise a mention for the dead-letter row; return the text and whether it was cut."""
    data = asdict(m)
    data["created_at"] = m.created_at.isoformat()
    text = json.dumps(data, ensure_ascii=False, default=str)
    return text[:MAX_PAYLOAD], len(text) > MAX_PAYLOAD


def decode(payload: str) -> Mention:
    """Rebuild the mention from a dead-letter payload (ValueError when it was cut or is not one)."""
    try:
        data: dict[str, Any] = json.loads(payload)
    except json.JSONDecodeError as exc:
        raise ValueError(f"the stored record is not complete JSON ({exc.msg})") from None
    known = {f.name for f in fields(Mention)}
    data = {k: v for k, v in data.items() if k in known}
    data["created_at"] = parse_time(data.get("created_at"))
    return Mention(**data)


def quarantine(session: Session, source: str, m: Mention, error: str) -> DeadLetter:
    """Store a refused record in the dead-letter table (same transaction as the batch's checkpoint)."""
    payload, cut = encode(m)
    row = DeadLetter(source=source, platform=m.platform, external_id=m.external_id,
                     origin=m.origin or f"{m.platform} id {m.external_id[:200]}", error=error[:MAX_ERROR],
                     payload=payload, truncated=cut)
    session.add(row)
    session.flush()
    log.warning("source %s: record %s quarantined: %s", source, row.origin, row.error)
    return row


def quarantined_count(session: Session) -> int:
    """How many records wait in quarantine."""
    return int(session.scalar(select(func.count()).select_from(DeadLetter)
                              .where(DeadLetter.status == "quarantined")) or 0)


def mark_retried(row: DeadLetter, now: datetime, stored: bool, error: str = "") -> None:
    """Record the outcome of a retry: stored (or already there), or still refused with the new error."""
    row.retried_at = now
    if stored:
        row.status = "retried"
    else:
        row.error = error[:MAX_ERROR]
