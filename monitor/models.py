"""SQLAlchemy 2.0 models: mentions, scores, cases, outboxes, users and audit events."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """Return the current time, timezone-aware UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Store aware datetimes; SQLite drops the zone, so put UTC back on the way out."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime; use timezone-aware UTC")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    """Declarative base for every table."""

    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime, dict[str, Any]: JSON}


class User(Base):
    """A team member; role is agent, approver or admin."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="agent")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Bumped on sign-out, password change and disable: every cookie carrying an older value is refused.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    away: Mapped[bool] = mapped_column(Boolean, default=False)
    last_assigned_at: Mapped[datetime | None]


class Mention(Base):
    """A collected post; `stage` says how far the pipeline has taken it."""

    __tablename__ = "mentions"
    __table_args__ = (UniqueConstraint("platform", "external_id", name="uq_mention_platform_external"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(32))
    platform: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(128))
    brand: Mapped[str] = mapped_column(String(128), default="")
    author_id: Mapped[str] = mapped_column(String(128), default="")
    author_handle: Mapped[str] = mapped_column(String(255), default="")
    author_name: Mapped[str] = mapped_column(String(255), default="")
    author_followers: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(16), default="")
    url: Mapped[str] = mapped_column(String(2048), default="")
    created_at: Mapped[datetime]
    in_reply_to: Mapped[str] = mapped_column(String(128), default="")
    thread_id: Mapped[str] = mapped_column(String(128), default="")
    raw: Mapped[dict[str, Any]] = mapped_column(default=dict)
    collected_at: Mapped[datetime] = mapped_column(default=utcnow)
    stage: Mapped[str] = mapped_column(String(16), default="collected", index=True)
    score: Mapped[Score | None] = relationship(back_populates="mention", uselist=False)
    # Personal-data spans found once at scoring ({start, end, label, severity}); None until scanned.
    pii_spans: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON(none_as_null=True), nullable=True,
                                                                   default=None)
    purged_at: Mapped[datetime | None]


class Score(Base):
    """What the scorer said about a mention."""

    __tablename__ = "scores"
    id: Mapped[int] = mapped_column(primary_key=True)
    mention_id: Mapped[int] = mapped_column(ForeignKey("mentions.id"), unique=True)
    sentiment: Mapped[str] = mapped_column(String(16))
    negative: Mapped[float] = mapped_column(Float)
    neutral: Mapped[float] = mapped_column(Float)
    positive: Mapped[float] = mapped_column(Float)
    toxicity: Mapped[float] = mapped_column(Float)
    toxicity_labels: Mapped[dict[str, Any]] = mapped_column(default=dict)
    language: Mapped[str] = mapped_column(String(16))
    language_score: Mapped[float] = mapped_column(Float)
    backend: Mapped[str] = mapped_column(String(32), default="")
    scored_at: Mapped[datetime] = mapped_column(default=utcnow)
    mention: Mapped[Mention] = relationship(back_populates="score")


class Case(Base):
    """A routed mention the team must answer: new -> assigned -> replied -> closed."""

    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(primary_key=True)
    mention_id: Mapped[int] = mapped_column(ForeignKey("mentions.id"), unique=True)
    rule: Mapped[str] = mapped_column(String(128), default="")
    queue: Mapped[str] = mapped_column(String(64), default="inbox")
    priority: Mapped[str] = mapped_column(String(16), default="normal")
    state: Mapped[str] = mapped_column(String(16), default="new", index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sla_due_at: Mapped[datetime]
    first_response_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    mention: Mapped[Mention] = relationship()
    assignee: Mapped[User | None] = relationship()
    case_type: Mapped[str] = mapped_column(String(32), default="")
    close_reason: Mapped[str] = mapped_column(String(64), default="")
    why: Mapped[dict[str, Any]] = mapped_column(default=dict)
    team: Mapped[str] = mapped_column(String(64), default="")


class AlertDelivery(Base):
    """Outbox row: one alert to one Slack channel for one mention."""

    __tablename__ = "alert_deliveries"
    # `event` is empty for routing alerts and names the notification (e.g. "breach:case:7") otherwise.
    __table_args__ = (UniqueConstraint("mention_id", "channel", "event", name="uq_alert_mention_channel_event"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    mention_id: Mapped[int] = mapped_column(ForeignKey("mentions.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    channel: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32), default="slack")
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    mention: Mapped[Mention] = relationship()
    event: Mapped[str] = mapped_column(String(96), default="")
    message: Mapped[str] = mapped_column(Text, default="")


class Draft(Base):
    """A reply an agent wrote: draft -> submitted -> approved/rejected -> posted."""

    __tablename__ = "drafts"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(16), default="draft")
    verdict: Mapped[dict[str, Any]] = mapped_column(default=dict)
    action: Mapped[str] = mapped_column(String(8), default="pass")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    case: Mapped[Case] = relationship()
    author: Mapped[User] = relationship()
    version: Mapped[int] = mapped_column(Integer, default=0)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    supersedes_post_id: Mapped[int | None] = mapped_column(Integer)  # the public reply this one replaces
    supersede_reason: Mapped[str] = mapped_column(Text, default="")


class Review(Base):
    """An approver's decision on a draft."""

    __tablename__ = "reviews"
    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decision: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str] = mapped_column(Text, default="")
    override: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Post(Base):
    """Outbox row for an approved reply; the idempotency key guards against double posting."""

    __tablename__ = "posts"
    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    source: Mapped[str] = mapped_column(String(32))
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    external_id: Mapped[str] = mapped_column(String(128), default="")
    url: Mapped[str] = mapped_column(String(2048), default="")
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    posted_at: Mapped[datetime | None]
    draft: Mapped[Draft] = relationship()
    version_hash: Mapped[str] = mapped_column(String(64), default="")
    overridden: Mapped[list[Any]] = mapped_column(JSON, default=list)
    cancelled_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class SourceState(Base):
    """A source's checkpoint and health, written in the same transaction as its mentions."""

    __tablename__ = "source_state"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    checkpoint: Mapped[dict[str, Any]] = mapped_column(default=dict)
    last_success_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    last_error_at: Mapped[datetime | None]
    items_read: Mapped[int] = mapped_column(Integer, default=0)
    budget_used: Mapped[int] = mapped_column(Integer, default=0)
    budget_day: Mapped[str] = mapped_column(String(10), default="")
    paused_until: Mapped[datetime | None]


class AuditEvent(Base):
    """Who did what, when."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(32))
    object_type: Mapped[str] = mapped_column(String(32), default="")
    object_id: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class DraftVersion(Base):
    """One immutable wording of a draft: every edit adds a row, authored by whoever edited."""

    __tablename__ = "draft_versions"
    __table_args__ = (UniqueConstraint("draft_id", "number", name="uq_draft_version_number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    content_hash: Mapped[str] = mapped_column(String(64))
    verdict: Mapped[dict[str, Any]] = mapped_column(default=dict)
    action: Mapped[str] = mapped_column(String(8), default="pass")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    author: Mapped[User] = relationship()


class CaseNote(Base):
    """An internal note on a case, never sent to the customer."""

    __tablename__ = "case_notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    author: Mapped[User] = relationship()


class LoginThrottle(Base):
    """Failed sign-ins per hashed key (an account or an address), shared by every web process."""

    __tablename__ = "login_throttle"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    blocked_until: Mapped[datetime | None]


class DeadLetter(Base):
    """A collected record the database refused: kept aside with the error, so collection goes on."""

    __tablename__ = "dead_letters"
    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(32))
    platform: Mapped[str] = mapped_column(Text, default="")
    external_id: Mapped[str] = mapped_column(Text, default="")  # Text: an over-long id is a reason to be here
    origin: Mapped[str] = mapped_column(Text, default="")
    error: Mapped[str] = mapped_column(Text, default="")
    payload: Mapped[str] = mapped_column(Text, default="")
    truncated: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default="quarantined", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    retried_at: Mapped[datetime | None]


class WebhookState(Base):
    """Shared by every worker: when a webhook may next be called, and until when Slack paused it."""

    __tablename__ = "webhook_state"
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    next_send_at: Mapped[datetime | None]
    paused_until: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    last_error_at: Mapped[datetime | None]


class CasePresence(Base):
    """When a team member last had a case open: the "someone else is on this case" warning."""

    __tablename__ = "case_presence"
    __table_args__ = (UniqueConstraint("case_id", "user_id", name="uq_case_presence"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    user: Mapped[User] = relationship()


class CaseTag(Base):
    """A free-form label on a case ("billing", "outage-0412")."""

    __tablename__ = "case_tags"
    __table_args__ = (UniqueConstraint("case_id", "tag", name="uq_case_tag"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    tag: Mapped[str] = mapped_column(String(48), index=True)


class SavedView(Base):
    """A user's named inbox filter (the query string of the inbox)."""

    __tablename__ = "saved_views"
    __table_args__ = (UniqueConstraint("user_id", "name", name="uq_saved_view_name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    query: Mapped[str] = mapped_column(String(1000))


class Notification(Base):
    """An in-app notice for one user; `key` makes each event arrive once per user."""

    __tablename__ = "notifications"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_notification_user_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(96))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]


class VolumeDay(Base):
    """Scored mentions per UTC day and sentiment, kept by the pipeline so the dashboard does not count them."""

    __tablename__ = "volume_days"
    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    sentiment: Mapped[str] = mapped_column(String(16), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class RollupMark(Base):
    """How far a roll-up has read (the highest row id it has counted)."""

    __tablename__ = "rollup_marks"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    upto: Mapped[int] = mapped_column(Integer, default=0)


class MentionVector(Base):
    """A mention's sentence embedding (float32 bytes), computed once for incident grouping."""

    __tablename__ = "mention_vectors"
    mention_id: Mapped[int] = mapped_column(ForeignKey("mentions.id"), primary_key=True)
    vector: Mapped[bytes] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Incident(Base):
    """Mentions that arrived close together and say the same thing: open -> closed (or merged)."""

    __tablename__ = "incidents"
    id: Mapped[int] = mapped_column(primary_key=True)
    brand: Mapped[str] = mapped_column(String(128), default="")
    title: Mapped[str] = mapped_column(String(255), default="")
    state: Mapped[str] = mapped_column(String(16), default="open", index=True)
    started_at: Mapped[datetime]
    last_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    size: Mapped[int] = mapped_column(Integer, default=0)
    centroid: Mapped[bytes] = mapped_column()
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"))
    last_digest_at: Mapped[datetime | None]
    digested_size: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class IncidentMention(Base):
    """Membership: a mention belongs to at most one incident."""

    __tablename__ = "incident_mentions"
    mention_id: Mapped[int] = mapped_column(ForeignKey("mentions.id"), primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    similarity: Mapped[float] = mapped_column(Float, default=1.0)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    mention: Mapped[Mention] = relationship()


class Spike(Base):
    """A run of buckets whose volume or negative count rose above the learned baseline."""

    __tablename__ = "spikes"
    id: Mapped[int] = mapped_column(primary_key=True)
    brand: Mapped[str] = mapped_column(String(128), default="")
    scope: Mapped[str] = mapped_column(String(64), default="all")
    metric: Mapped[str] = mapped_column(String(16), default="volume")
    state: Mapped[str] = mapped_column(String(16), default="open", index=True)
    started_at: Mapped[datetime]
    last_bucket_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    count: Mapped[int] = mapped_column(Integer, default=0)
    baseline: Mapped[float] = mapped_column(Float, default=0.0)
    peak: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    quiet_buckets: Mapped[int] = mapped_column(Integer, default=0)


class IncidentMessage(Base):
    """Outbox row for a spike alert, incident message or digest; `key` makes each one unique."""

    __tablename__ = "incident_messages"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(160), unique=True)
    channel: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text, default="")
    blocks: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


class HoldingStatement(Base):
    """One statement per language for an incident: draft -> submitted -> approved (posted) | rejected | cancelled."""

    __tablename__ = "holding_statements"
    __table_args__ = (UniqueConstraint("incident_id", "language", name="uq_statement_incident_language"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    language: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(16), default="draft")
    verdict: Mapped[dict[str, Any]] = mapped_column(default=dict)
    action: Mapped[str] = mapped_column(String(8), default="pass")
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    approved_at: Mapped[datetime | None]
