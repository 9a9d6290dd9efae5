"""Incidents: near-duplicate complaints grouped (across languages), alerts folded into digests, merge/split/close."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from monitor.context import Context
from monitor.incident_alerts import queue_incident_messages
from monitor.incidents import IncidentError, close, group_pending, members, merge, split
from monitor.models import AlertDelivery, Incident, IncidentMention, IncidentMessage, Mention, Score
from monitor.router import route_pending
from monitor.rules import Rules

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
OUTAGE = {
    "en": ["acme network down again, no signal since this morning", "no signal at all, is the acme network down?",
           "acme outage? my phone has had no service for an hour", "the acme network is down, no signal anywhere"],
    "fr": ["réseau acme en panne, pas de signal depuis ce matin", "pas de réseau depuis ce matin, acme en panne",
           "acme en panne ? aucun signal depuis une heure"],
    "es": ["la red de acme está caída, sin señal desde esta mañana", "sin señal de acme desde esta mañana, red caída"],
}
OTHER = ["my parcel never arrived and tracking shows nothing", "charged twice on my bill this month, acme",
         "the app keeps logging me out, login loop again", "roaming charges in spain were outrageous",
         "waited 40 minutes on hold with acme support", "my new phone screen cracked after a week",
         "acme store staff were rude to my mother", "the website checkout crashes every time"]


def add(session: Session, text: str, at: datetime, lang: str = "en", sentiment: str = "negative",
        stage: str = "routed", followers: int = 100) -> Mention:
    """Store one scored mention."""
    n = (session.scalar(select(func.max(Mention.id))) or 0) + 1
    m = Mention(source="replay", platform="x", external_id=f"i{n}", brand="Acme", text=text, author_handle=f"u{n}",
                language=lang, created_at=at, stage=stage, author_followers=followers)
    session.add(m)
    session.flush()
    session.add(Score(mention_id=m.id, sentiment=sentiment, negative=0.9 if sentiment == "negative" else 0.1,
                      neutral=0.05, positive=0.05, toxicity=0.0, language=lang, language_score=0.99))
    session.flush()
    return m


def outage(session: Session, n: int, start: datetime, seed: int = 1) -> list[int]:
    """Store n outage complaints in three languages over 20 minutes, with typing variations."""
    rnd, ids = random.Random(seed), []
    for i in range(n):
        lang = rnd.choice(["en", "en", "fr", "es"])
        text = rnd.choice(OUTAGE[lang]) + rnd.choice(["", "!", " !!", " ugh", " #acme", " 😡"])
        ids.append(add(session, text, start + timedelta(seconds=i * 1200 // n), lang).id)
    return ids


@pytest.fixture
def inc_ctx(ctx: Context, rules: Rules) -> Context:
    """Context whose rules send incident messages to the support channel."""
    ctx.rules = rules.model_copy(update={"incidents": rules.incidents.model_copy(update={"slack": ["support"]})})
    ctx.now = lambda: T0 + timedelta(minutes=25)  # type: ignore[method-assign]
    return ctx


def test_outage_complaints_in_three_languages_become_one_incident(inc_ctx: Context) -> None:
    with inc_ctx.sessions() as session, session.begin():
        ids = outage(session, 40, T0)
        unrelated = [add(session, t, T0 + timedelta(minutes=i * 2)).id for i, t in enumerate(OTHER)]
        add(session, "acme network is great today", T0, sentiment="positive")
        opened = group_pending(session, inc_ctx)
        assert len(opened) == 1
        inside = set(session.scalars(select(IncidentMention.mention_id)))
    assert len(inside & set(ids)) >= 0.9 * len(ids)
    assert not inside & set(unrelated)
    with inc_ctx.sessions() as session:
        langs = Counter(m.language for m in members(session, opened[0].id))
    assert set(langs) == {"en", "fr", "es"}


def test_mentions_joining_an_open_incident_get_no_alert_of_their_own(inc_ctx: Context) -> None:
    with inc_ctx.sessions() as session, session.begin():
        outage(session, 12, T0)
        assert len(group_pending(session, inc_ctx)) == 1
        late = add(session, "acme network down, still no signal!", T0 + timedelta(minutes=22), stage="scored")
        other = add(session, "charged twice on my acme bill, fix it", T0 + timedelta(minutes=22), stage="scored")
    route_pending(inc_ctx)
    with inc_ctx.sessions() as session:
        alerted = set(session.scalars(select(AlertDelivery.mention_id)))
        joined = session.scalar(select(IncidentMention.incident_id).where(IncidentMention.mention_id == late.id))
    assert joined is not None and late.id not in alerted
    assert other.id in alerted


def test_one_message_per_incident_per_digest_interval(inc_ctx: Context) -> None:
    def tick(minute: int) -> None:
        inc_ctx.now = lambda: T0 + timedelta(minutes=minute)  # type: ignore[method-assign]
        with inc_ctx.sessions() as session, session.begin():
            add(session, random.choice(OUTAGE["en"]) + f" {minute}", T0 + timedelta(minutes=minute))
            queue_incident_messages(session, inc_ctx, group_pending(session, inc_ctx), [])

    for minute in range(0, 120, 2):
        tick(minute)
    with inc_ctx.sessions() as session:
        sent = list(session.scalars(select(IncidentMessage).order_by(IncidentMessage.id)))
    assert [m.kind for m in sent][:1] == ["incident"] and len(sent) >= 3
    slots = Counter((m.key.split(":")[1], (m.created_at - T0) // timedelta(minutes=30)) for m in sent)
    assert max(slots.values()) == 1  # never two messages for one incident in one 30-minute interval
    assert len(sent) < 60 / 4  # 60 mentions, far fewer messages


def test_merge_split_and_close(inc_ctx: Context) -> None:
    with inc_ctx.sessions() as session, session.begin():
        outage(session, 10, T0)
        a = group_pending(session, inc_ctx)[0]
        for i in range(10):
            add(session, "the acme app login loop logs me out every time " + "!" * i, T0 + timedelta(minutes=i))
        b = group_pending(session, inc_ctx)[0]
        size_a, size_b = a.size, b.size
        merge(session, b, a, inc_ctx.now())
        assert (a.size, b.state, b.merged_into_id) == (size_a + size_b, "merged", a.id)
        with pytest.raises(IncidentError):
            merge(session, b, a, inc_ctx.now())
        login = [m.id for m in members(session, a.id) if "login" in m.text]
        new = split(session, a, login, inc_ctx.rules, inc_ctx.now())
        assert new.size == len(login) and a.size == size_a
        with pytest.raises(IncidentError):
            split(session, new, [m.id for m in members(session, new.id)], inc_ctx.rules, inc_ctx.now())
        close(new, inc_ctx.now())
        assert new.state == "closed"
        with pytest.raises(IncidentError):
            close(new, inc_ctx.now())
        assert session.scalar(select(func.count()).select_from(Incident)) == 3


def test_weekly_recurring_digest_is_queued_once_on_monday_morning(inc_ctx: Context) -> None:
    from monitor.recurring import queue_weekly_digest

    monday = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)
    with inc_ctx.sessions() as session, session.begin():
        for i in range(6):
            add(session, f"roaming charges in spain were outrageous {'!' * i}", monday - timedelta(days=i))
            add(session, f"my parcel never arrived, tracking shows nothing {'?' * i}", monday - timedelta(days=i))
        for now in (monday - timedelta(hours=2), monday, monday + timedelta(hours=3)):
            inc_ctx.now = lambda now=now: now  # type: ignore[misc]
            queue_weekly_digest(session, inc_ctx)
    with inc_ctx.sessions() as session:
        digests = list(session.scalars(select(IncidentMessage).where(IncidentMessage.kind == "recurring")))
    assert len(digests) == 1  # not before 09:00, and once per week
    text = str(digests[0].blocks)
    assert "roaming" in text and "parcel" in text and "6 mentions" in text and "/recurring" in text
