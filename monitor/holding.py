"""Holding statements: one checked, approved text per language, posted once to each mention of an incident."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation import Policy, check
from monitor.models import Case, Draft, HoldingStatement, Incident, IncidentMention, Mention, Post, Review, User
from monitor.replies import WorkflowError, audit

MAX_TEXT = 2000


def write(session: Session, incident: Incident, language: str, text: str, user: User, *, private: bool,
          policy: Policy) -> HoldingStatement:
    """Create or edit the incident's statement for a language; the moderation checks run on every save."""
    if not text.strip():
        raise WorkflowError("The statement is empty.")
    if len(text) > MAX_TEXT:
        raise WorkflowError(f"The statement is too long ({len(text):,} characters; at most {MAX_TEXT:,}).")
    if incident.state == "merged":
        raise WorkflowError("This incident was merged into another one; write the statement there.")
    found = session.scalars(select(HoldingStatement).where(HoldingStatement.incident_id == incident.id,
                                                           HoldingStatement.language == language)).first()
    if found is not None and found.state not in ("draft", "rejected", "submitted"):
        raise WorkflowError(f"The {language} statement is already {found.state}.")
    statement = found or HoldingStatement(incident_id=incident.id, language=language, author_id=user.id)
    verdict = check(text, policy=policy)
    statement.text, statement.private, statement.state = text, private, "draft"
    statement.verdict, statement.action, statement.author_id = verdict.to_dict(), verdict.action, user.id
    session.add(statement)
    session.flush()
    audit(session, user, "statement_draft", statement, verdict=verdict.action)
    return statement


def submit(session: Session, statement: HoldingStatement, user: User) -> None:
    """Send a statement for approval; one with a blocking finding must be fixed first."""
    if statement.state not in ("draft", "rejected"):
        raise WorkflowError(f"Only a draft statement can be submitted; this one is {statement.state}.")
    if statement.action == "block":
        raise WorkflowError("The statement has a blocking finding; fix it before submitting.")
    statement.state = "submitted"
    audit(session, user, "statement_submit", statement)


def reject(session: Session, statement: HoldingStatement, approver: User, comment: str) -> None:
    """Send a statement back with a reason."""
    if statement.state != "submitted":
        raise WorkflowError(f"Only a submitted statement can be rejected; this one is {statement.state}.")
    if not comment.strip():
        raise WorkflowError("Say why the statement is rejected.")
    statement.state = "rejected"
    audit(session, approver, "statement_reject", statement, comment=comment.strip())


def targets(session: Session, statement: HoldingStatement) -> list[Mention]:
    """The incident's mentions in the statement's language, oldest first."""
    stmt = (select(Mention).join(IncidentMention, IncidentMention.mention_id == Mention.id)
            .where(IncidentMention.incident_id == statement.incident_id, Mention.language == statement.language)
            .order_by(Mention.created_at, Mention.id))
    return list(session.scalars(stmt))


def _case_for(session: Session, mention: Mention, now: datetime) -> Case:
    case = session.scalars(select(Case).where(Case.mention_id == mention.id)).first()
    if case is None:
        case = Case(mention_id=mention.id, rule="incident", queue="inbox", priority="low", state="assigned",
                    created_at=now, sla_due_at=now)
        session.add(case)
        session.flush()
    return case


def approve(session: Session, statement: HoldingStatement, approver: User, now: datetime,
            pace_seconds: float) -> int:
    """Approve once (four eyes) and queue one reply per mention, paced per platform; return how many."""
    if statement.state != "submitted":
        raise WorkflowError(f"Only a submitted statement can be approved; this one is {statement.state}.")
    if statement.author_id == approver.id:
        raise WorkflowError("Nobody approves their own statement; ask another approver.")
    statement.state, statement.approver_id, statement.approved_at = "approved", approver.id, now
    per_platform: Counter[str] = Counter()
    queued = 0
    for mention in targets(session, statement):
        key = f"hs-{statement.id}-{mention.id}"  # unique per statement and mention: posted exactly once
        if session.scalar(select(Post.id).where(Post.idempotency_key == key)) is not None:
            continue
        case = _case_for(session, mention, now)
        draft = Draft(case_id=case.id, author_id=statement.author_id, text=statement.text, private=statement.private,
                      state="approved", verdict=statement.verdict, action=statement.action)
        session.add(draft)
        session.flush()
        session.add(Review(draft_id=draft.id, reviewer_id=approver.id, decision="approve",
                           comment=f"holding statement {statement.id}"))
        due = now + timedelta(seconds=pace_seconds * per_platform[mention.platform])
        per_platform[mention.platform] += 1
        session.add(Post(draft_id=draft.id, case_id=case.id, source=mention.source, idempotency_key=key,
                         status="queued", next_attempt_at=due))
        queued += 1
    session.flush()
    audit(session, approver, "statement_approve", statement, queued=queued)
    return queued


def posts_of(session: Session, statement: HoldingStatement) -> list[Post]:
    """The replies queued for a statement."""
    return list(session.scalars(select(Post).where(Post.idempotency_key.like(f"hs-{statement.id}-%"))
                                .order_by(Post.id)))


def cancel(session: Session, statement: HoldingStatement, user: User) -> int:
    """Stop a statement: replies not yet sent are cancelled (one being sent right now still completes)."""
    if statement.state not in ("approved", "submitted", "draft", "rejected"):
        raise WorkflowError(f"This statement is already {statement.state}.")
    stopped = 0
    for post in posts_of(session, statement):
        if post.status == "queued":
            post.status, post.last_error = "cancelled", "holding statement cancelled"
            post.draft.state = "cancelled"
            stopped += 1
    statement.state = "cancelled"
    audit(session, user, "statement_cancel", statement, cancelled=stopped)
    return stopped
