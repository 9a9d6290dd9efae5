"""Holding statements: checked, approved once by a second person, posted once per mention, paced, cancellable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from moderation import Policy
from monitor import poster
from monitor.context import Context
from monitor.holding import approve, cancel, posts_of, submit, write
from monitor.models import Case, Incident, IncidentMention, Mention, Post, User
from monitor.replies import WorkflowError
from monitor.rules import SourceConfig
from tests.test_posting_exactly_once import FakeSource, Platform

T0 = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
POLICY = Policy(checks=["pii", "policy", "tone"])


def seed(ctx: Context) -> tuple[int, int, int]:
    """An incident with 4 English and 2 French mentions on the `fake` platform, an agent and an approver."""
    with ctx.sessions() as s, s.begin():
        agent = User(username="agent", password_hash="x", role="agent")
        boss = User(username="boss", password_hash="x", role="approver")
        incident = Incident(brand="Acme", title="network down", started_at=T0, last_at=T0, size=6, centroid=b"")
        s.add_all([agent, boss, incident])
        s.flush()
        for i, lang in enumerate(["en", "en", "fr", "en", "fr", "en"]):
            m = Mention(source="fake", platform="fake", external_id=f"m{i}", brand="Acme", text="network down",
                        author_handle=f"u{i}", language=lang, created_at=T0 + timedelta(minutes=i))
            s.add(m)
            s.flush()
            s.add(IncidentMention(incident_id=incident.id, mention_id=m.id))
            if i == 0:
                s.add(Case(mention_id=m.id, sla_due_at=T0))
        return incident.id, agent.id, boss.id


def test_statement_is_checked_approved_by_someone_else_and_posted_once_per_mention(ctx: Context) -> None:
    incident_id, agent_id, boss_id = seed(ctx)
    ctx.now = lambda: T0  # type: ignore[method-assign]
    with ctx.sessions() as s, s.begin():
        incident, agent, boss = s.get(Incident, incident_id), s.get(User, agent_id), s.get(User, boss_id)
        assert incident and agent and boss
        bad = write(s, incident, "en", "We know. Send us your card 4111 1111 1111 1111, we promise it will "
                    "never happen again.", agent, private=False, policy=POLICY)
        assert bad.action == "block"
        with pytest.raises(WorkflowError, match="blocking finding"):
            submit(s, bad, agent)
        ok = write(s, incident, "en", "We know about the network problem and are fixing it. Updates on our status "
                   "page.", agent, private=False, policy=POLICY)
        assert ok.id == bad.id and ok.action in ("pass", "warn")  # one statement per language, edited
        submit(s, ok, agent)
        with pytest.raises(WorkflowError, match="own statement"):
            approve(s, ok, agent, T0, 30)
        assert approve(s, ok, boss, T0, 30) == 4  # the four English mentions
        with pytest.raises(WorkflowError):
            approve(s, ok, boss, T0, 30)  # approved once only
        posts = posts_of(s, ok)
        assert [p.next_attempt_at - T0 for p in posts] == [timedelta(seconds=30 * i) for i in range(4)]
        assert len({p.case_id for p in posts}) == 4  # the one existing case reused, three opened
        statement_id = ok.id
    source = FakeSource(SourceConfig(), ctx.rules)
    source.platform = Platform()
    for minute in range(5):  # the poster runs every minute; pacing lets one reply through per 30 s
        ctx.now = lambda minute=minute: T0 + timedelta(minutes=minute)  # type: ignore[misc]
        poster.post_pending(ctx, {"fake": source})
        poster.post_pending(ctx, {"fake": source})
    assert source.platform.calls == 4 and len(source.platform.accepted) == 4
    with ctx.sessions() as s:
        assert {p.status for p in s.scalars(select(Post))} == {"posted"}
        assert all(k.startswith(f"hs-{statement_id}-") for k in source.platform.accepted)


def test_cancel_stops_the_replies_not_yet_sent(ctx: Context) -> None:
    incident_id, agent_id, boss_id = seed(ctx)
    with ctx.sessions() as s, s.begin():
        incident, agent, boss = s.get(Incident, incident_id), s.get(User, agent_id), s.get(User, boss_id)
        assert incident and agent and boss
        fr = write(s, incident, "fr", "Nous connaissons le problème de réseau et le réparons.", agent, private=False,
                   policy=POLICY)
        submit(s, fr, agent)
        assert approve(s, fr, boss, T0, 60) == 2
        statement_id = fr.id
    source = FakeSource(SourceConfig(), ctx.rules)
    source.platform = Platform()
    ctx.now = lambda: T0 + timedelta(seconds=10)  # type: ignore[method-assign]
    poster.post_pending(ctx, {"fake": source})  # the first goes out, the second waits its turn
    with ctx.sessions() as s, s.begin():
        from monitor.models import HoldingStatement

        statement = s.get(HoldingStatement, statement_id)
        assert statement and cancel(s, statement, s.get(User, agent_id)) == 1  # type: ignore[arg-type]
    ctx.now = lambda: T0 + timedelta(minutes=10)  # type: ignore[method-assign]
    poster.post_pending(ctx, {"fake": source})
    assert source.platform.calls == 1
    with ctx.sessions() as s:
        assert sorted(p.status for p in s.scalars(select(Post))) == ["cancelled", "posted"]
