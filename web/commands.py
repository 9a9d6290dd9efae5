"""The `repguard` commands that work on the database: pipeline, users, erasure, status, migrations.

Kept apart from `web.cli` so that the text commands (`check`, `score`) and `rules check` start without
importing the database layer and the pipeline.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from monitor.context import Context
from monitor.db import make_engine, make_sessionmaker, transaction, upgrade
from monitor.health import quarantined, read_budget, stalled
from monitor.models import AlertDelivery, Case, IncidentMessage, Mention, Post, SourceState, User, utcnow
from monitor.pipeline import Pipeline
from monitor.quarantine import quarantined_count
from monitor.rules import SourceConfig
from monitor.sources import SOURCES
from monitor.webhooks import paused_webhooks
from web.cli import read_rules


def _context(args: argparse.Namespace) -> Context:
    """The rules and a session factory on the migrated database."""
    engine = make_engine()
    upgrade(engine)
    return Context(rules=read_rules(args.rules), sessions=make_sessionmaker(engine))


def cmd_run(args: argparse.Namespace) -> int:
    """Run the pipeline once or until stopped."""
    pipeline = Pipeline(_context(args))
    if args.once:
        print(pipeline.run_once(max_seconds=args.max_seconds))
    else:
        pipeline.run_forever()
    return 0


def cmd_users_add(args: argparse.Namespace) -> int:
    """Create a user, or reset the password and role of an existing one."""
    from web.auth import ROLES, hash_password, revoke_sessions

    if args.role not in ROLES:
        print(f"error: unknown role {args.role!r}; choose one of {', '.join(ROLES)}", file=sys.stderr)
        return 2
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("Password: ")
    if len(password) < 8:
        print("error: the password needs at least 8 characters", file=sys.stderr)
        return 2
    engine = make_engine()
    upgrade(engine)
    with transaction(make_sessionmaker(engine)) as session:
        user = session.scalars(select(User).where(User.username == args.username)).first()
        if user is None:
            user = User(username=args.username, password_hash="")
            session.add(user)
        user.password_hash, user.role, user.active = hash_password(password), args.role, True
        revoke_sessions(user)  # a new password signs out every old session
    print(f"user {args.username} ({args.role}) saved")
    return 0


def cmd_users_disable(args: argparse.Namespace) -> int:
    """Deactivate a user: they cannot sign in, and every session of theirs ends now."""
    from monitor.replies import audit
    from web.auth import revoke_sessions

    engine = make_engine()
    upgrade(engine)
    with transaction(make_sessionmaker(engine)) as session:
        user = session.scalars(select(User).where(User.username == args.username)).first()
        if user is None:
            print(f"error: no user named {args.username!r}", file=sys.stderr)
            return 2
        user.active = False
        revoke_sessions(user)
        audit(session, None, "user_disabled", user, username=user.username)
    print(f"user {args.username} disabled; their sessions are ended")
    return 0


def cmd_erase(args: argparse.Namespace) -> int:
    """Erase one person's data: their mentions' text, links and author data, and their handle in drafts."""
    from monitor.retention import erase_author

    if args.platform not in SOURCES:
        print(f"error: unknown platform {args.platform!r} (available: {', '.join(sorted(SOURCES))})",
              file=sys.stderr)
        return 2
    if not args.author.strip().removeprefix("@"):
        print("error: give the author's handle or id", file=sys.stderr)
        return 2
    engine = make_engine()
    upgrade(engine)
    with transaction(make_sessionmaker(engine)) as session:
        count = erase_author(session, args.platform, args.author, utcnow())
    print(f"erased {count} mention(s) by that author on {args.platform}; the audit log records the erasure")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    """Print each source's health and the queue sizes."""
    ctx = _context(args)
    with ctx.sessions() as s:
        states = {st.name: st for st in s.scalars(select(SourceState))}
        print("SOURCE      ENABLED  LAST SUCCESS               ITEMS  BUDGET      HEALTH")
        for name, cfg in ctx.rules.sources.items():
            print(_source_line(name, cfg, states.get(name), ctx))
        count = lambda model, *where: s.scalar(select(func.count()).select_from(model).where(*where))  # noqa: E731
        print(f"mentions {count(Mention)} · open cases {count(Case, Case.state.in_(('new', 'assigned')))} · "
              f"alerts pending {count(AlertDelivery, AlertDelivery.status == 'pending')} · "
              f"alerts failed {count(AlertDelivery, AlertDelivery.status == 'failed')} · "
              f"posts queued {count(Post, Post.status == 'queued')}")
        _attention(s, ctx)
    return 0


def _attention(s: Session, ctx: Context) -> None:
    """Print quarantined records, paused webhooks and unconfirmed alerts (nothing when all is well)."""
    unconfirmed = s.scalar(select(func.count()).select_from(AlertDelivery)
                           .where(AlertDelivery.status == "unconfirmed"))
    if unconfirmed:
        print(f"alerts maybe delivered (no answer after sending; check Slack, then retry on /health): {unconfirmed}")
    messages = s.scalar(select(func.count()).select_from(IncidentMessage)
                        .where(IncidentMessage.status == "unconfirmed"))
    if messages:
        print(f"spike and incident messages maybe delivered (no answer after sending; check Slack): {messages}")
    for hook in paused_webhooks(s, ctx.now()):
        print(f"webhook {hook.key} paused until {hook.paused_until:%Y-%m-%dT%H:%M:%S}: {hook.last_error}")
    rows = quarantined(s)
    if rows:
        print(f"quarantined records {quarantined_count(s)} (retry on /health after a fix):")
    for row in rows[:20]:
        print(f"  {row.source} {row.origin}: {row.error[:100]}")


def _source_line(name: str, cfg: SourceConfig, st: SourceState | None, ctx: Context) -> str:
    """One `status` row: enabled, last success, items read, today's read budget, health."""
    missing = [c for c in SOURCES[name].credentials if not ctx.env.get(c)]
    enabled = "no" if not cfg.enabled else ("no creds" if missing else "yes")
    last = st.last_success_at.isoformat(timespec="seconds") if st and st.last_success_at else "never"
    today = ctx.now().date().isoformat()
    used = st.budget_used if st and st.budget_day == today else 0
    budget = f"{used}/{read_budget(cfg)}" if read_budget(cfg) else str(used)
    health = []
    if missing:
        health.append("set " + ", ".join(missing))
    if st and st.paused_until and st.paused_until > ctx.now():
        health.append(f"paused until {st.paused_until.isoformat(timespec='seconds')}")
    if st and (why := stalled(cfg, st, ctx.now())):
        health.append(why)
    if st and st.last_error:
        health.append(st.last_error)
    return (f"{name:<11} {enabled:<8} {last:<26} {st.items_read if st else 0:>5}  {budget:<10}  "
            f"{'; '.join(health)[:120] or 'ok'}")


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    """Migrate the database to the newest schema."""
    upgrade(make_engine())
    print("database is up to date")
    return 0
