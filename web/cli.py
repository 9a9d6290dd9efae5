"""The `repguard` command line."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from collections.abc import Callable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from moderation import cli as moderation_cli
from monitor.context import Context
from monitor.db import make_engine, make_sessionmaker, transaction, upgrade
from monitor.health import quarantined, read_budget, stalled
from monitor.models import AlertDelivery, Case, IncidentMessage, Mention, Post, SourceState, User, utcnow
from monitor.pipeline import Pipeline
from monitor.quarantine import quarantined_count
from monitor.rules import Rules, RulesError, SourceConfig, load_rules
from monitor.sources import SOURCES
from monitor.webhooks import paused_webhooks

log = logging.getLogger("repguard")


def _rules(path: str | None) -> Rules:
    return load_rules(path or os.environ.get("REPGUARD_RULES"))


def _context(args: argparse.Namespace) -> Context:
    engine = make_engine()
    upgrade(engine)
    return Context(rules=_rules(args.rules), sessions=make_sessionmaker(engine))


def cmd_rules_check(args: argparse.Namespace) -> int:
    """Validate a rules file; print located errors."""
    try:
        rules = _rules(args.path)
    except RulesError as exc:
        for err in exc.errors:
            print(err, file=sys.stderr)
        return 2
    print(f"{args.path or 'rules.yaml'}: OK ({len(rules.brands)} brands, {len(rules.sources)} sources, "
          f"{len(rules.routing)} routing rules)")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """Run the pipeline once or until stopped."""
    pipeline = Pipeline(_context(args))
    if args.once:
        print(pipeline.run_once(max_seconds=args.max_seconds))
    else:
        pipeline.run_forever()
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the web UI with waitress."""
    from waitress import serve

    from web import create_app
    from web.warmup import warm_checks

    app = create_app({"RULES_PATH": args.rules} if args.rules else None)
    warm_checks(app)
    print(f"repguard web UI on http://{args.host}:{args.port}/", flush=True)
    serve(app, host=args.host, port=args.port, threads=8)
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
    from monitor.sources import SOURCES

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


def cmd_check(args: argparse.Namespace) -> int:
    """Check a reply draft."""
    return moderation_cli.run_check(args, _rules(args.rules).moderation)


def cmd_score(args: argparse.Namespace) -> int:
    """Score JSON lines."""
    return moderation_cli.run_score(args, _rules(args.rules).moderation)


def cmd_demo(args: argparse.Namespace) -> int:
    """Run the pipeline on the demo data and serve the web UI."""
    from web.demo import run_demo

    return run_demo(host=args.host, port=args.port)


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser for every subcommand."""
    p = argparse.ArgumentParser(prog="repguard", description="Brand-reputation guard for social media.")
    p.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = p.add_subparsers(dest="command", required=True)

    def add(name: str, func: Callable[[argparse.Namespace], int], help_: str,
            parent: argparse._SubParsersAction[argparse.ArgumentParser] = sub) -> argparse.ArgumentParser:
        sp = parent.add_parser(name, help=help_, description=help_)
        sp.set_defaults(func=func)
        return sp

    rules_p = sub.add_parser("rules", help="work with rules.yaml")
    rules = rules_p.add_subparsers(dest="rules_cmd", required=True)
    add("check", cmd_rules_check, "validate a rules file", rules).add_argument("path", nargs="?")
    users = sub.add_parser("users", help="manage users").add_subparsers(dest="users_cmd", required=True)
    ua = add("add", cmd_users_add, "add a user or reset their password", users)
    ua.add_argument("username")
    ua.add_argument("--role", default="agent", help="agent, approver or admin")
    ua.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    add("disable", cmd_users_disable, "deactivate a user and end their sessions", users).add_argument("username")
    erase = add("erase", cmd_erase, "erase one person's data everywhere (GDPR/CCPA request)")
    erase.add_argument("--author", required=True, help="the author's handle (or platform user id)")
    erase.add_argument("--platform", required=True, help="x, reddit, mastodon, bluesky or replay")
    db = sub.add_parser("db", help="database").add_subparsers(dest="db_cmd", required=True)
    add("upgrade", cmd_db_upgrade, "migrate to the newest schema", db)
    run = add("run", cmd_run, "run the pipeline (collect, score, route, notify, post)")
    run.add_argument("--once", action="store_true", help="run every stage until its queue is empty, then exit")
    run.add_argument("--max-seconds", type=float, default=None, metavar="S",
                     help="with --once: stop starting new work after S seconds")
    st = add("status", cmd_status, "show source health and queue sizes")
    for sp in (run, st):
        sp.add_argument("--rules", help="rules file (default: REPGUARD_RULES or the bundled rules.yaml)")
    serve = add("serve", cmd_serve, "serve the web UI")
    demo = add("demo", cmd_demo, "demo: pipeline on demo data plus the web UI")
    for sp in (serve, demo):
        sp.add_argument("--host", default="127.0.0.1")
        sp.add_argument("--port", type=int, default=8000)
    serve.add_argument("--rules")
    _add_text_commands(add)
    return p


def _add_text_commands(add: Callable[..., argparse.ArgumentParser]) -> None:
    """Add the `check` and `score` subcommands of the text library."""
    chk = add("check", cmd_check, "check a reply draft before posting")
    chk.add_argument("text", nargs="?", help="the reply text, or - for stdin")
    chk.add_argument("--platform", default="x")
    chk.add_argument("--json", action="store_true", help="print the verdict as JSON")
    chk.add_argument("--jsonl", action="store_true", help="read {id, text, platform} JSON lines on stdin")
    sc = add("score", cmd_score, "score texts: sentiment, toxicity, language")
    sc.add_argument("--jsonl", action="store_true", required=True, help="read {id, text} JSON lines on stdin")
    sc.add_argument("--backend", help="scoring backend name")
    for sp in (chk, sc):
        sp.add_argument("--rules")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `repguard` console script."""
    args = build_parser().parse_args(argv)
    os.umask(0o077)  # everything repguard writes (database, capture files, posted replies) is private
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return int(args.func(args))
    except RulesError as exc:
        for err in exc.errors:
            print(err, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
