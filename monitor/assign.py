"""Teams and assignment rules: which team a case belongs to, round-robin among members who are in."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from monitor.care import Team
from monitor.models import AuditEvent, Case, Score, User
from monitor.rules import Rules

OPEN_STATES = ("new", "assigned")


def case_language(session: Session, case: Case) -> str:
    """The language the scorer found, else the platform's."""
    found = session.scalars(select(Score.language).where(Score.mention_id == case.mention_id)).first()
    return found or case.mention.language


def team_for(rules: Rules, queue: str, language: str) -> Team | None:
    """Return the first team that works this queue and language, or None."""
    return next((t for t in rules.teams if (not t.queues or queue in t.queues)
                 and (not t.languages or language in t.languages)), None)


def pick_member(session: Session, team: Team, exclude: int | None = None) -> User | None:
    """Round-robin: the active, present member who was given a case longest ago (never-given first)."""
    stmt = select(User).where(User.username.in_(team.members), User.active.is_(True), User.away.is_(False))
    members = [u for u in session.scalars(stmt) if u.id != exclude]
    oldest = datetime.min.replace(tzinfo=None)
    return min(members, key=lambda u: (u.last_assigned_at.replace(tzinfo=None) if u.last_assigned_at else oldest,
                                       u.username), default=None)


def _give(session: Session, case: Case, user: User, team: Team, now: datetime, why: str) -> None:
    case.assignee_id = user.id
    case.state = "assigned" if case.state == "new" else case.state
    # Strictly later than any member's mark, so a batch routed at one instant still takes turns.
    latest = session.scalar(select(func.max(User.last_assigned_at)).where(User.username.in_(team.members)))
    user.last_assigned_at = max(now, latest + timedelta(microseconds=1)) if latest else now
    session.add(AuditEvent(action="auto-assign", object_type="case", object_id=str(case.id),
                           detail={"assignee": user.username, "team": case.team, "why": why}))


def assign_new(session: Session, rules: Rules, case: Case, language: str, now: datetime) -> User | None:
    """Put a new case in its team and, for round-robin teams, give it to the next member."""
    team = team_for(rules, case.queue, language)
    if team is None:
        return None
    case.team = team.name
    user = pick_member(session, team) if team.assignment == "round-robin" else None
    if user is not None:
        _give(session, case, user, team, now, "round-robin")
    return user


def reassign_from(session: Session, rules: Rules, away: User, now: datetime | None = None) -> int:
    """Move an away member's open cases to the next member of each case's team (or back to unassigned)."""
    from monitor.models import utcnow

    now = now or utcnow()
    stmt = select(Case).where(Case.assignee_id == away.id, Case.state.in_(OPEN_STATES)).order_by(Case.sla_due_at)
    moved = 0
    for case in session.scalars(stmt).all():
        team = team_for(rules, case.queue, case_language(session, case))
        user = pick_member(session, team, exclude=away.id) if team and team.assignment == "round-robin" else None
        if user is not None and team is not None:
            _give(session, case, user, team, now, f"{away.username} is away")
        else:
            case.assignee_id, case.state = None, "new"
        session.flush()
        moved += 1
    return moved
