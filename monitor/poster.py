"""Stage 5: post approved replies from the outbox exactly once, verified rather than blind."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from monitor.alerts import backoff
from monitor.context import Context, claimable
from monitor.models import AuditEvent, Case, Post
from monitor.reply_gates import final_gate
from monitor.sources import Posted, Reply, Source, SourceError

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 6
# A 'sending' row whose lease ran out belonged to a dead worker; a live one renews it every HEARTBEAT.
LEASE = timedelta(seconds=30)
HEARTBEAT = 10.0
ABSENT = "checked: our reply is not on the platform"  # a retry after this needs no second look-up


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


def verify(session: Session, ctx: Context, source: Source | None, post: Post, why: str) -> bool:
    """Ask the platform whether our reply exists; True when it settled the post (posted or left to a person)."""
    try:
        if source is None:
            raise SourceError(f"source {post.source!r} is not enabled")
        found = source.find_posted(reply_for(post))
    except (SourceError, NotImplementedError) as exc:
        # Cannot tell: a person decides, because a blind retry could post twice.
        post.status = "unknown"
        post.last_error = f"could not verify earlier attempt ({why}): {exc or type(exc).__name__}"
        return True
    if found is not None:
        mark_posted(session, ctx, post, found)
        return True
    return False


@contextmanager
def heartbeat(ctx: Context, post_id: int) -> Iterator[None]:
    """Renew the post's lease while the platform call runs, so only a dead worker's post is re-examined."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(HEARTBEAT):
            with ctx.sessions() as session, session.begin():
                session.execute(update(Post).where(Post.id == post_id, Post.status == "sending")
                                .values(next_attempt_at=ctx.now() + LEASE))

    thread = threading.Thread(target=beat, name=f"post-{post_id}-lease", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _prepare(ctx: Context, sources: dict[str, Source], post_id: int) -> tuple[Source, Reply] | None:
    """Run the last gate before the platform call: route, wording, moderation with the rules in force."""
    with ctx.sessions() as session, session.begin():
        post = session.get(Post, post_id)
        assert post is not None
        source = sources.get(post.source)
        if source is None:
            post.status, post.last_error = "failed", f"source {post.source!r} is not enabled or lacks credentials"
            return None
        if post.attempts > 1 and post.last_error != ABSENT and verify(session, ctx, source, post, "before retrying"):
            return None  # a retry is only sent once the platform says the earlier attempt is not there
        refusal = route_refusal(source, post) or final_gate(post, ctx.rules.moderation)
        if refusal:
            post.status, post.last_error = "failed", refusal
            return None
        return source, reply_for(post)


def _record_error(session: Session, ctx: Context, source: Source, post: Post, exc: SourceError) -> None:
    """A failed call: verify an unknown outcome, give up on a permanent one, else back off and retry."""
    post.last_error = str(exc)
    if exc.unknown and verify(session, ctx, source, post, f"no answer after sending: {exc}"):
        return
    if exc.permanent or post.attempts >= MAX_ATTEMPTS:
        post.status = "failed"
        return
    post.status = "queued"
    delay = exc.retry_after if exc.retry_after is not None else backoff(post.attempts)
    post.next_attempt_at = ctx.now() + timedelta(seconds=delay)


def _send(ctx: Context, sources: dict[str, Source], post_id: int) -> None:
    """Call the platform for a claimed post (outside any transaction) and record the outcome."""
    prepared = _prepare(ctx, sources, post_id)
    if prepared is None:
        return
    source, reply = prepared
    try:
        with heartbeat(ctx, post_id):
            posted = source.post(reply)
    except SourceError as exc:
        with ctx.sessions() as session, session.begin():
            post = session.get(Post, post_id)
            assert post is not None
            _record_error(session, ctx, source, post, exc)
        return
    with ctx.sessions() as session, session.begin():
        post = session.get(Post, post_id)
        assert post is not None
        mark_posted(session, ctx, post, posted)


def recover_stale(ctx: Context, sources: dict[str, Source]) -> int:
    """Resolve posts whose lease ran out (a dead worker): ask the platform whether our reply exists."""
    fixed = 0
    with ctx.sessions() as session, session.begin():
        stmt = select(Post).where(Post.status == "sending", Post.next_attempt_at <= ctx.now())
        for post in session.scalars(claimable(stmt, 20)):
            if not verify(session, ctx, sources.get(post.source), post, "the worker stopped"):
                post.status, post.next_attempt_at, post.last_error = "queued", ctx.now(), ABSENT
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
