"""Team notifications: in-app notices and Slack messages (through the alerts outbox), each event once.

Events: a draft waits for approval, a draft was rejected or approved, a case nears or breaches its SLA,
a case was escalated. Every pass looks at recent rows only, and a unique key per event and user (and per
event and Slack channel) makes a second pass, or a second process, a no-op.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from monitor.context import Context
from monitor.models import AlertDelivery, Case, Draft, Notification, Review, User
from monitor.rules import Rules

OPEN_STATES = ("new", "assigned")
LOOKBACK = timedelta(days=2)  # older events were announced by earlier passes (or are not news any more)
ROLE_RANK = {"agent": 1, "approver": 2, "admin": 3}


@dataclass(frozen=True)
class Event:
    """One thing worth telling people about."""

    kind: str  # draft_waiting, draft_rejected, draft_approved, sla_near, sla_breach, escalation
    key: str
    case: Case
    text: str
    to: tuple[int, ...]


def users_with(session: Session, role: str) -> tuple[int, ...]:
    """Active users whose role includes `role`."""
    rows = session.execute(select(User.id, User.role).where(User.active.is_(True))).all()
    return tuple(i for i, r in rows if ROLE_RANK.get(r, 0) >= ROLE_RANK[role])


def team_of(session: Session, rules: Rules, name: str) -> tuple[int, ...]:
    """Active members of a team from rules.yaml (empty when the case has no team)."""
    team = next((t for t in rules.teams if t.name == name), None) if name else None
    if team is None:
        return ()
    return tuple(session.scalars(select(User.id).where(User.username.in_(team.members), User.active.is_(True))))


def draft_events(session: Session, since: datetime) -> Iterable[Event]:
    """Drafts waiting for approval; reviews to tell the draft's author about."""
    approvers = users_with(session, "approver")
    waiting = session.scalars(select(Draft).where(Draft.state == "submitted", Draft.updated_at >= since))
    for d in waiting:
        rounds = session.scalar(select(func.count()).select_from(Review).where(Review.draft_id == d.id)) or 0
        yield Event("draft_waiting", f"waiting:draft:{d.id}:{rounds}", d.case,
                    f"Draft {d.id} on case {d.case_id} by {d.author.username} waits for approval.",
                    tuple(u for u in approvers if u != d.author_id))
    reviews = session.execute(select(Review, Draft, User.username).join(Draft, Draft.id == Review.draft_id)
                              .join(User, User.id == Review.reviewer_id).where(Review.created_at >= since))
    for review, d, reviewer in reviews:
        verb = "approved" if review.decision == "approve" else "rejected"
        why = f": {review.comment}" if review.comment and verb == "rejected" else ""
        yield Event(f"draft_{verb}", f"{verb}:review:{review.id}", d.case,
                    f"Your draft on case {d.case_id} was {verb} by {reviewer}{why}", (d.author_id,))


def case_events(session: Session, rules: Rules, now: datetime) -> Iterable[Event]:
    """Open cases near or past their SLA, and new escalations."""
    care = rules.care
    everyone = users_with(session, "agent")
    near = now + timedelta(minutes=care.near_breach_minutes)
    stmt = select(Case).where(Case.state.in_(OPEN_STATES), Case.sla_due_at <= near,
                              Case.sla_due_at >= now - LOOKBACK).order_by(Case.sla_due_at)
    for case in session.scalars(stmt):
        to = (case.assignee_id,) if case.assignee_id else team_of(session, rules, case.team) or everyone
        if case.sla_due_at <= now:
            yield Event("sla_breach", f"breach:case:{case.id}", case,
                        f"Case {case.id} ({case.priority}, {case.queue}) breached its SLA.", to)
        else:
            yield Event("sla_near", f"near:case:{case.id}", case,
                        f"Case {case.id} ({case.priority}, {case.queue}) breaches its SLA in under "
                        f"{care.near_breach_minutes} min.", to)
    escalated = select(Case).where(Case.state.in_(OPEN_STATES), Case.created_at >= now - LOOKBACK,
                                   Case.queue.in_(care.escalation_queues))
    approvers = users_with(session, "approver")
    for case in session.scalars(escalated):
        yield Event("escalation", f"escalation:case:{case.id}", case,
                    f"Case {case.id} was escalated to {case.queue} by the rule {case.rule}.", approvers)


def record(session: Session, rules: Rules, events: Iterable[Event], now: datetime) -> int:
    """Store each event's notices and Slack outbox rows that do not exist yet; return how many were new."""
    new = 0
    for event in events:
        have = set(session.scalars(select(Notification.user_id).where(Notification.key == event.key)))
        for user_id in sorted(set(event.to) - have):
            session.add(Notification(user_id=user_id, kind=event.kind, key=event.key, case_id=event.case.id,
                                     text=event.text, created_at=now))
            new += 1
        channels = getattr(rules.care.notify, event.kind, [])
        sent = set(session.scalars(select(AlertDelivery.channel).where(
            AlertDelivery.mention_id == event.case.mention_id, AlertDelivery.event == event.key)))
        for channel in channels:
            if channel not in sent:
                session.add(AlertDelivery(mention_id=event.case.mention_id, case_id=event.case.id,
                                          channel=channel, event=event.key, message=event.text,
                                          next_attempt_at=now, created_at=now))
                new += 1
        session.flush()
    return new


def notify_events(session: Session, rules: Rules, now: datetime) -> int:
    """Find recent events and record the notices not yet given; the caller commits."""
    since = now - LOOKBACK
    return record(session, rules, [*draft_events(session, since), *case_events(session, rules, now)], now)


def notify_team(ctx: Context) -> int:
    """Pipeline stage: record the notices of one pass in one transaction."""
    try:
        with ctx.sessions() as session, session.begin():
            return notify_events(session, ctx.rules, ctx.now())
    except IntegrityError:
        return 0  # another process recorded the same events a moment earlier
