"""Stage 1: poll every enabled source and store new mentions exactly once."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from monitor.context import Context
from monitor.mention import Mention
from monitor.models import Mention as MentionRow
from monitor.models import SourceState
from monitor.rules import Rules
from monitor.sources import SOURCES, Source, SourceError

log = logging.getLogger(__name__)


def detect_brand(mention: Mention, rules: Rules) -> str:
    """Return the brand a mention is about: given by the source, or the first keyword/handle match."""
    if mention.brand:
        return mention.brand
    text = mention.text.lower()
    for brand in rules.brands:
        needles = [k.lower() for k in brand.keywords] + [h.lower().lstrip("@") for h in brand.handles.values()]
        if any(n and n in text for n in needles):
            return brand.name
    return rules.brands[0].name


def _values(m: Mention, source: str, rules: Rules) -> dict[str, Any]:
    return {
        "source": source, "platform": m.platform, "external_id": m.external_id,
        "brand": detect_brand(m, rules), "author_id": m.author_id, "author_handle": m.author_handle,
        "author_name": m.author_name, "author_followers": m.author_followers, "text": m.text,
        "language": m.language, "url": m.url, "created_at": m.created_at, "in_reply_to": m.in_reply_to,
        "thread_id": m.thread_id, "raw": m.raw, "stage": "collected",
    }


def store_mentions(session: Session, mentions: list[Mention], source: str, rules: Rules) -> int:
    """Insert mentions, ignoring ones already stored (same platform + external id); return how many were new."""
    if not mentions:
        return 0
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    new = 0
    for m in mentions:
        stmt = insert(MentionRow).values(**_values(m, source, rules))
        stmt = stmt.on_conflict_do_nothing(index_elements=["platform", "external_id"])
        new += len(session.execute(stmt.returning(MentionRow.id)).all())
    return new


def source_state(session: Session, name: str, *, lock: bool = True) -> SourceState:
    """Return (creating if needed) the state row of a source, locked for this transaction."""
    stmt = select(SourceState).where(SourceState.name == name)
    state = session.scalars(stmt.with_for_update() if lock else stmt).first()
    if state is None:
        state = SourceState(name=name, checkpoint={})
        session.add(state)
        session.flush()
    return state


def build_sources(ctx: Context) -> dict[str, Source]:
    """Instantiate every enabled source whose credentials are present."""
    built: dict[str, Source] = {}
    for name, cfg in ctx.rules.sources.items():
        if not cfg.enabled:
            continue
        cls = SOURCES[name]
        missing = [c for c in cls.credentials if not ctx.env.get(c)]
        if missing:
            log.warning("source %s disabled: set %s in the environment", name, ", ".join(missing))
            continue
        built[name] = cls(cfg, ctx.rules, ctx.env)
    return built


def _due(state: SourceState, source: Source, now: datetime, force: bool) -> bool:
    """Whether a source may be polled now: never while paused; otherwise when forced or its interval passed."""
    if state.paused_until and state.paused_until > now:
        return False
    last = state.last_success_at
    return force or last is None or now - last >= timedelta(seconds=source.config.poll_interval)


def collect_one(ctx: Context, name: str, source: Source, *, force: bool = False) -> int:
    """Poll one source; mentions and the new checkpoint commit together, so a crash re-reads, never skips."""
    now = ctx.now()
    with ctx.sessions() as session, session.begin():
        state = source_state(session, name)
        if not _due(state, source, now, force):
            return 0
        try:
            batch = source.collect(dict(state.checkpoint or {}))
        except SourceError as exc:
            state.last_error, state.last_error_at = str(exc), now
            if exc.retry_after:
                state.paused_until = now + timedelta(seconds=exc.retry_after)
            log.warning("source %s: %s", name, exc)
            return 0
        new = store_mentions(session, batch.mentions, name, ctx.rules)
        state.checkpoint = batch.checkpoint
        state.items_read += batch.reads
        if batch.budget_used is not None:
            state.budget_used, state.budget_day = batch.budget_used, batch.budget_day
        state.last_success_at = now
        state.last_error = "; ".join(batch.warnings)[-2000:]
        state.last_error_at = now if batch.warnings else state.last_error_at
        return new


def collect(ctx: Context, sources: dict[str, Source], *, force: bool = True) -> int:
    """Run one collection pass over all due sources (all when forced); one failing source never stops the others."""
    total = 0
    for name, source in sources.items():
        try:
            total += collect_one(ctx, name, source, force=force)
        except Exception:  # a bug in one source must not stop the others
            log.exception("source %s crashed during collect", name)
    return total
