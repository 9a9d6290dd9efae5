"""What needs a person's attention: stalled sources, quarantined records, paused webhooks, unconfirmed alerts."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.models import DeadLetter, SourceState
from monitor.rules import SourceConfig

STALL_POLLS = 3  # a source is stalled when this many poll intervals (at least STALL_MIN) passed without success
STALL_MIN = timedelta(minutes=5)


def read_budget(cfg: SourceConfig) -> int:
    """A source's daily read budget (0 = none): only sources whose platform bills reads have the option."""
    return int(getattr(cfg, "daily_read_budget", 0))


def stalled(cfg: SourceConfig, st: SourceState | None, now: datetime) -> str:
    """Why an enabled source counts as stalled (no successful poll for a while), or ''."""
    if not cfg.enabled or st is None:
        return ""
    if st.last_success_at is None:
        return "stalled: never polled successfully" if st.last_error else ""
    limit = max(STALL_MIN, timedelta(seconds=STALL_POLLS * cfg.poll_interval))
    if now - st.last_success_at > limit:
        return f"stalled: no successful poll for {int((now - st.last_success_at).total_seconds() // 60)} min"
    return ""


def quarantined(session: Session, limit: int = 200) -> list[DeadLetter]:
    """Records waiting in quarantine, newest first."""
    stmt = select(DeadLetter).where(DeadLetter.status == "quarantined").order_by(DeadLetter.id.desc()).limit(limit)
    return list(session.scalars(stmt))
