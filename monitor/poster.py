"""Stage 5: post approved replies from the outbox exactly once."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.alerts import backoff
from monitor.context import Context, claimable
from monitor.models import AuditEvent, Case, Post
from monitor.sources import Posted, Reply, Source, SourceError

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 6
LEASE = timedelta(minutes=5)  # a 'sending' row older than this belonged to a crashed worker


def reply_for(post: Post) -> Reply:
    """Build the platform-neutral reply for an outbox row."""
    mention = post.draft.case.mention
    return Reply(idempotency_key=post.idempotency_key, text=post.draft.text,
                 in_reply_to=mention.external_id, thread_id=mention.thread_id or mention.external_id,
                 author_handle=mention.author_handle, private=post.draft.private, author_id=mention.author_id)


def mark_posted(session: Session, ctx: Context, post: Post, posted: Posted) -> None:
    """Record an accepted reply and move its case to `replied`."""
    now = ctx.now()
    post.status, post.external_id, post.url, post.posted_at = "posted", posted.external_id, posted.url, now
    post.last_error = ""
    post.draft.state = "posted"
    case = session.get(Case, post.case_id)
    if case is not None:
        case.state = "replied"
        case.first_response_at = case.first_response_at or now
    session.add(AuditEvent(action="post", object_type="post", object_id=str(post.id),
                           detail={"external_id": posted.external_id, "case_id": post.case_id}))


def _claim(ctx: Context) -> int | None:
    """Move one due post to 'sending' under a lease and commit, before any platform call."""
    with ctx.sessions() as session, session.begin():
        stmt = (select(Post).where(Post.status == "queued", Post.next_attempt_at <= ctx.now())
                .order_by(Post.id))
        post = session.scalars(claimable(stmt, 1)).first()
        if post is None:
            return None
        post.status, post.attempts = "sending", post.attempts + 1
        post.next_attempt_at = ctx.now() + LEASE
        return post.id


def route_refusal(source: Source, post: Post) -> str:
    """Why this reply cannot go out the way it was written (public vs private), or "" if it can."""
    mention = post.draft.case.mention
    if post.draft.private and not source.supports_private_reply:
        return f"{source.name} has no private replies; reply publicly instead"
    details = {"raw": mention.raw, "text": mention.text, "author_handle": mention.author_handle}
    if not post.draft.private and not source.can_reply_publicly(details):
        return (f"{source.name} does not allow a public reply to this post (the author did not mention "
                "or quote the brand); send a private reply instead")
    return ""


def _send(ctx: Context, sources: dict[str, Source], post_id: int) -> None:
    """Call the platform for a claimed post and record the outcome."""
    with ctx.sessions() as session, session.begin():
        post = session.get(Post, post_id)
        assert post is not None
        source = sources.get(post.source)
        if source is None:
            post.status, post.last_error = "failed", f"source {post.source!r} is not enabled or lacks credentials"
            return
        refusal = route_refusal(source, post)
        if refusal:
            post.status, post.last_error = "failed", refusal
            return
        try:
            posted = source.post(reply_for(post))
        except SourceError as exc:
            post.last_error = str(exc)
            if exc.permanent or post.attempts >= MAX_ATTEMPTS:
                post.status = "failed"
            else:
                post.status = "queued"
                delay = exc.retry_after if exc.retry_after is not None else backoff(post.attempts)
                post.next_attempt_at = ctx.now() + timedelta(seconds=delay)
            return
        mark_posted(session, ctx, post, posted)


def recover_stale(ctx: Context, sources: dict[str, Source]) -> int:
    """Resolve posts left 'sending' by a crash: ask the platform whether our reply exists."""
    fixed = 0
    with ctx.sessions() as session, session.begin():
        stmt = select(Post).where(Post.status == "sending", Post.next_attempt_at <= ctx.now())
        for post in session.scalars(claimable(stmt, 20)):
            source = sources.get(post.source)
            try:
                found = source.find_posted(reply_for(post)) if source else None
            except (SourceError, NotImplementedError) as exc:
                # Cannot tell: a person decides, because a blind retry could post twice.
                post.status, post.last_error = "unknown", f"could not verify earlier attempt: {exc}"
                continue
            if found is not None:
                mark_posted(session, ctx, post, found)
            else:
                post.status, post.next_attempt_at = "queued", ctx.now()
            fixed += 1
    return fixed


def post_pending(ctx: Context, sources: dict[str, Source], limit: int = 20) -> int:
    """Recover stale posts, then send up to `limit` queued ones."""
    recover_stale(ctx, sources)
    done = 0
    while done < limit:
        post_id = _claim(ctx)
        if post_id is None:
            break
        _send(ctx, sources, post_id)
        done += 1
    return done
