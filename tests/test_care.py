"""Care team in the pipeline: why routed, SLA from the post's time, round-robin teams, notifications once."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, inspect, select

from monitor.alerts import RateLimiter, notify_pending
from monitor.assign import reassign_from
from monitor.collector import collect
from monitor.context import Context
from monitor.models import AlertDelivery, Case, Draft, Notification, Review, User, VolumeDay
from monitor.notifications import case_events, notify_team
from monitor.pipeline import Pipeline, drain
from monitor.rollup import roll_up, volume
from monitor.rules import RulesError, parse_rules
from monitor.scorer import score_pending
from tests.conftest import RULES_YAML, Recorder, record, write_jsonl

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
CARE_YAML = RULES_YAML + """
teams:
  - name: care
    members: [ana, ben, cleo]
    assignment: round-robin
care:
  near_breach_minutes: 30
  notify:
    sla_breach: [support]
    draft_rejected: [support]
"""
NEGATIVE = "Acme lost my parcel again, terrible awful service, I am furious"


def care_ctx(ctx: Context, tmp_path: Path, clock: list[datetime]) -> Context:
    rules = parse_rules(CARE_YAML, str(tmp_path / "rules.yaml"), tmp_path)
    with ctx.sessions() as s, s.begin():
        for name in ("ana", "ben", "cleo", "boss"):
            s.add(User(username=name, role="approver" if name == "boss" else "agent", password_hash="x"))
    return replace(ctx, rules=rules, now=lambda: clock[0])


def feed(tmp_path: Path, n: int, posted: datetime) -> None:
    write_jsonl(tmp_path / "mentions.jsonl",
                [record(i, f"{NEGATIVE} #{i}", created_at=posted.isoformat()) for i in range(1, n + 1)])


def test_cases_say_why_and_are_due_from_the_post_time(ctx: Context, tmp_path: Path) -> None:
    clock = [NOW]
    ctx = care_ctx(ctx, tmp_path, clock)
    feed(tmp_path, 1, NOW - timedelta(days=10))
    Pipeline(ctx, sources=None).run_once()
    with ctx.sessions() as s:
        case = s.scalars(select(Case)).one()
    assert case.why["rule"] == "negative"
    assert case.why["conditions"] == ["sentiment negative is one of negative"]
    assert case.why["scores"]["negative"] > 0.5
    # A ten-day-old post is long overdue, not "due in 4 hours".
    assert case.sla_due_at == NOW - timedelta(days=10) + timedelta(minutes=240)


def test_round_robin_skips_away_members_and_reassigns(ctx: Context, tmp_path: Path) -> None:
    clock = [NOW]
    ctx = care_ctx(ctx, tmp_path, clock)
    with ctx.sessions() as s, s.begin():
        s.scalars(select(User).where(User.username == "cleo")).one().away = True
    feed(tmp_path, 4, NOW - timedelta(minutes=5))
    Pipeline(ctx).run_once()
    with ctx.sessions() as s:
        rows = s.execute(select(Case.id, User.username).join(User, User.id == Case.assignee_id)
                         .order_by(Case.id)).all()
    assert [name for _, name in rows] == ["ana", "ben", "ana", "ben"]  # cleo is away
    with ctx.sessions() as s, s.begin():
        assert s.scalars(select(Case.team)).first() == "care"
        ana = s.scalars(select(User).where(User.username == "ana")).one()
        ana.away = True
        assert reassign_from(s, ctx.rules, ana, NOW) == 2
    with ctx.sessions() as s:
        names = s.scalars(select(User.username).join(Case, Case.assignee_id == User.id)).all()
    assert sorted(names) == ["ben"] * 4  # nobody else is in


def test_breach_and_rejection_notify_once_in_app_and_on_slack(ctx: Context, tmp_path: Path,
                                                              recorder: Recorder) -> None:
    clock = [NOW]
    ctx = care_ctx(ctx, tmp_path, clock)
    feed(tmp_path, 1, NOW - timedelta(minutes=200))  # due in 40 min (normal: 240)
    Pipeline(ctx).run_once()
    with ctx.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Notification)) == 0
    clock[0] = NOW + timedelta(minutes=15)  # 25 min left: near breach for the assignee
    notify_team(ctx)
    clock[0] = NOW + timedelta(minutes=45)  # breached
    notify_team(ctx)
    notify_team(ctx)  # a second pass adds nothing
    with ctx.sessions() as s, s.begin():
        kinds = sorted(s.scalars(select(Notification.kind)))
        case = s.scalars(select(Case)).one()
        draft = Draft(case_id=case.id, author_id=case.assignee_id, text="Sorry!", state="rejected")
        s.add(draft)
        s.flush()
        boss = s.scalars(select(User).where(User.username == "boss")).one()
        s.add(Review(draft_id=draft.id, reviewer_id=boss.id, decision="reject", comment="Say which parcel.",
                     created_at=clock[0]))
    assert kinds == ["sla_breach", "sla_near"]
    with ctx.sessions() as s:  # were it unassigned, its team would hear, not every agent (rolled back)
        s.execute(Case.__table__.update().where(Case.id == case.id).values(assignee_id=None))
        breach = [e for e in case_events(s, ctx.rules, clock[0]) if e.kind == "sla_breach"]
        members = set(s.scalars(select(User.id).where(User.username.in_(["ana", "ben", "cleo"]))))
        s.rollback()
    assert len(breach) == 1 and set(breach[0].to) == members
    notify_team(ctx)
    notify_team(ctx)
    with ctx.sessions() as s:
        rejected = s.scalars(select(Notification).where(Notification.kind == "draft_rejected")).one()
        assert rejected.user_id == case.assignee_id and "Say which parcel." in rejected.text
        events = sorted(s.scalars(select(AlertDelivery.event).where(AlertDelivery.event != "")))
    assert [e.split(":")[0] for e in events] == ["breach", "rejected"]
    env = {**ctx.env, "TEST_SLACK_SUPPORT": recorder.url("/support")}
    for _ in range(3):  # the shared limiter spaces sends to one webhook; let the test clock move between passes
        notify_pending(replace(ctx, env=env), RateLimiter(1000, ctx))
        clock[0] += timedelta(seconds=1)
    bodies = [r["body"].decode() for r in recorder.requests]
    assert any(f"Case {case.id} (normal, inbox) breached its SLA." in b for b in bodies)
    assert any("was rejected by boss" in b for b in bodies)


def test_rules_reject_unknown_notify_channel(tmp_path: Path) -> None:
    bad = RULES_YAML + "care:\n  notify:\n    sla_breach: [nowhere]\n"
    with pytest.raises(RulesError, match=r"care\.notify\.sla_breach: unknown Slack channel 'nowhere'"):
        parse_rules(bad, "rules.yaml", tmp_path)


def test_daily_volume_rolls_up_once_and_reads_exactly(ctx: Context, tmp_path: Path) -> None:
    clock = [NOW]
    ctx = care_ctx(ctx, tmp_path, clock)
    write_jsonl(tmp_path / "mentions.jsonl", [record(1, NEGATIVE, created_at=(NOW - timedelta(days=1)).isoformat()),
                                              record(2, "Thanks Acme, great help, love it",
                                                     created_at=NOW.isoformat())])
    Pipeline(ctx).run_once()  # the pipeline rolls up what it scored
    day = (NOW - timedelta(days=1)).strftime("%Y-%m-%d")
    with ctx.sessions() as s, s.begin():
        assert roll_up(s) == 0  # nothing new: counted once
        rows = {(r.day, r.sentiment): r.count for r in s.scalars(select(VolumeDay))}
        assert rows == {(day, "negative"): 1, (NOW.strftime("%Y-%m-%d"), "positive"): 1}
    write_jsonl(tmp_path / "mentions.jsonl", [record(3, NEGATIVE + " again", created_at=NOW.isoformat())])
    pipeline = Pipeline(ctx)
    collect(ctx, pipeline.sources, force=True)
    drain(score_pending, ctx)  # scored, not yet rolled up: readers still see it
    with ctx.sessions() as s:
        seen = volume(s, NOW - timedelta(days=2), day)
    assert seen[(NOW.strftime("%Y-%m-%d"), "negative")] == 1 and seen[(day, "negative")] == 1


def test_migration_0002_care_goes_down_and_up(engine: Engine) -> None:
    from alembic import command
    from alembic.config import Config

    from monitor.db import upgrade

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).resolve().parent.parent / "monitor" / "migrations"))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    assert "case_notes" not in inspect(engine).get_table_names()
    upgrade(engine)
    tables = inspect(engine).get_table_names()
    assert {"case_notes", "case_tags", "saved_views", "notifications", "volume_days", "rollup_marks"} <= set(tables)
    uniques = {u["name"] for u in inspect(engine).get_unique_constraints("alert_deliveries")}
    assert "uq_alert_mention_channel_event" in uniques and "uq_alert_mention_channel" not in uniques


def test_dashboard_figures_agree_on_both_databases(db_url: str, ctx: Context, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from web import create_app
    from web.dashboard import open_by_state, response_by, response_times

    monkeypatch.setenv("REPGUARD_HOME", str(tmp_path / "instance"))
    feed(tmp_path, 5, NOW - timedelta(hours=8))
    Pipeline(ctx).run_once()
    with ctx.sessions() as s, s.begin():
        for minutes, case in zip((10, 20, 30, 40, 300), s.scalars(select(Case).order_by(Case.id)), strict=True):
            case.created_at = NOW - timedelta(hours=6)
            case.first_response_at, case.state = case.created_at + timedelta(minutes=minutes), "replied"
            case.sla_due_at = case.created_at + timedelta(minutes=240)
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": db_url, "RULES_PATH": None})
    with app.test_request_context():
        times = response_times(NOW - timedelta(days=1), ctx.rules)
        queues = response_by(Case.queue, NOW - timedelta(days=1))
        states = open_by_state(NOW - timedelta(days=1))
    app.extensions["repguard.engine"].dispose()
    assert (times["count"], times["median"], times["p90"], times["within"]) == (5, 30.0, 300.0, 80)
    assert queues == [{"name": "inbox", "count": 5, "mean": 80.0, "within": 80}]
    assert states == [("replied", 5.0)]
