"""The `repguard` command line."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence

from moderation import cli as moderation_cli
from monitor.rules import Rules, RulesError, load_rules

log = logging.getLogger("repguard")


def read_rules(path: str | None) -> Rules:
    """The rules file given, else the one REPGUARD_RULES names, else the bundled rules.yaml."""
    return load_rules(path or os.environ.get("REPGUARD_RULES"))


def cmd_rules_check(args: argparse.Namespace) -> int:
    """Validate a rules file; print located errors."""
    try:
        rules = read_rules(args.path)
    except RulesError as exc:
        for err in exc.errors:
            print(err, file=sys.stderr)
        return 2
    print(f"{args.path or 'rules.yaml'}: OK ({len(rules.brands)} brands, {len(rules.sources)} sources, "
          f"{len(rules.routing)} routing rules)")
    return 0


def _database(name: str, doc: str) -> Callable[[argparse.Namespace], int]:
    """A command of `web.commands`, imported when it runs: `check` and `score` never load the database layer."""

    def run(args: argparse.Namespace) -> int:
        from web import commands

        return int(getattr(commands, name)(args))

    run.__doc__ = doc
    return run


cmd_run = _database("cmd_run", "Run the pipeline once or until stopped.")
cmd_users_add = _database("cmd_users_add", "Create a user, or reset the password and role of an existing one.")
cmd_users_disable = _database("cmd_users_disable", "Deactivate a user and end their sessions.")
cmd_erase = _database("cmd_erase", "Erase one person's data everywhere.")
cmd_status = _database("cmd_status", "Print each source's health and the queue sizes.")
cmd_db_upgrade = _database("cmd_db_upgrade", "Migrate the database to the newest schema.")


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


def cmd_check(args: argparse.Namespace) -> int:
    """Check a reply draft."""
    return moderation_cli.run_check(args, read_rules(args.rules).moderation)


def cmd_score(args: argparse.Namespace) -> int:
    """Score JSON lines."""
    return moderation_cli.run_score(args, read_rules(args.rules).moderation)


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
