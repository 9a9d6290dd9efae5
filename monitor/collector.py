"""Stage 1: poll every enabled source and store new mentions exactly once."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from monitor.context import Context
from monitor.mention import Mention, normalise
from monitor.models import DeadLetter, SourceState
from monitor.models import Mention as MentionRow
from monitor.quarantine import decode, describe, is_record_error, mark_retried, quarantine
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


def _insert(session: Session) -> Any:
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def try_store(session: Session, m: Mention, source: str, rules: Rules) -> int | str:
    """Insert one mention in its own savepoint: 1 stored, 0 already there, or why it was refused.

    Connection and lock errors propagate: they are no fault of the record, and the whole poll is retried.
    """
    try:
        values = _values(normalise(m), source, rules)
    except ValueError as exc:
        return f"invalid record: {exc}"
    stmt = _insert(session)(MentionRow).values(**values)
    stmt = stmt.on_conflict_do_nothing(index_elements=["platform", "external_id"])
    try:
        with session.begin_nested():
            return len(session.execute(stmt.returning(MentionRow.id)).all())
    except SQLAlchemyError as exc:
        if not is_record_error(exc):
            raise
        return describe(exc)


def store_one(session: Session, m: Mention, source: str, rules: Rules) -> int:
    """Store one mention, or put it in quarantine; return 1 when it is new."""
    result = try_store(session, m, source, rules)
    if isinstance(result, str):
        quarantine(session, source, m, result)
        return 0
    return result


def store_mentions(session: Session, mentions: list[Mention], source: str, rules: Rules) -> int:
    """Insert mentions, ignoring ones already stored (same platform + external id); return how many were new."""
    return sum(store_one(session, m, source, rules) for m in mentions)


def source_state(session: Session, name: str, *, lock: bool = True) -> SourceState:
    """Return (creating if needed) the state row of a source, locked for this transaction.

    The row is created by an upsert, so workers starting together never race on its primary key.
    """
    stmt = _insert(session)(SourceState).values(name=name, checkpoint={}, last_error="", items_read=0,
                                                budget_used=0, budget_day="")
    session.execute(stmt.on_conflict_do_nothing(index_elements=["name"]))
    query = select(SourceState).where(SourceState.name == name)
    return session.scalars(query.with_for_update() if lock else query).one()


def retry_dead_letter(session: Session, row: DeadLetter, rules: Rules, now: datetime) -> bool:
    """Store a quarantined record again (after a fix); return whether it is now stored."""
    if row.status != "quarantined":
        raise ValueError(f"only a quarantined record can be retried; this one is {row.status}")
    if row.truncated:
        raise ValueError("the stored record was cut to fit; it cannot be retried from here")
    result = try_store(session, decode(row.payload), row.source, rules)
    mark_retried(row, now, not isinstance(result, str), result if isinstance(result, str) else "")
    return not isinstance(result, str)


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


def poll(ctx: Context, name: str, source: Source, *, force: bool = False) -> tuple[int, bool]:
    """Poll one source; return (new mentions, whether its checkpoint moved, i.e. there may be more).

    Mentions, quarantined records and the new checkpoint commit together, so a crash re-reads, never skips.
    """
    now = ctx.now()
    with ctx.sessions() as session, session.begin():
        state = source_state(session, name)
        if not _due(state, source, now, force):
            return 0, False
        try:
            batch = source.collect(dict(state.checkpoint or {}))
        except SourceError as exc:
            state.last_error, state.last_error_at = str(exc), now
            if exc.retry_after:
                state.paused_until = now + timedelta(seconds=exc.retry_after)
            log.warning("source %s: %s", name, exc)
            return 0, False
        new = store_mentions(session, batch.mentions, name, ctx.rules)
        moved = batch.checkpoint != (state.checkpoint or {})
        state.checkpoint = batch.checkpoint
        state.items_read += batch.reads
        if batch.budget_used is not None:
            state.budget_used, state.budget_day = batch.budget_used, batch.budget_day
        # An empty poll right after a successful one keeps that poll's warnings; anything else replaces them.
        failed_before = state.last_error_at is not None and (state.last_success_at is None
                                                             or state.last_error_at > state.last_success_at)
        if moved or batch.warnings or failed_before:
            state.last_error = "; ".join(batch.warnings)[-2000:]
            state.last_error_at = now if batch.warnings else state.last_error_at
        state.last_success_at = now
        return new, moved


def collect_one(ctx: Context, name: str, source: Source, *, force: bool = False) -> int:
    """Poll one source; return how many new mentions it stored."""
    return poll(ctx, name, source, force=force)[0]


def _record_crash(ctx: Context, name: str, exc: Exception) -> None:
    """Put an unexpected failure on the source's health row, so status never says "ok" over it."""
    try:
        with ctx.sessions() as session, session.begin():
            state = source_state(session, name)
            state.last_error, state.last_error_at = f"crashed: {type(exc).__name__}: {exc}"[:2000], ctx.now()
    except Exception:  # the database itself may be what failed; the log still has it
        log.exception("could not record the failure of source %s", name)


def collect(ctx: Context, sources: dict[str, Source], *, force: bool = True,
            more: set[str] | None = None) -> int:
    """Run one collection pass over all due sources (all when forced); one failing source never stops the others.

    Names of sources whose checkpoint moved (so another poll may find more) are added to `more`.
    """
    total = 0
    for name, source in sources.items():
        try:
            new, moved = poll(ctx, name, source, force=force)
        except Exception as exc:  # a bug in one source must not stop the others
            log.exception("source %s crashed during collect", name)
            _record_crash(ctx, name, exc)
            continue
        total += new
        if moved and more is not None:
            more.add(name)
    return total
