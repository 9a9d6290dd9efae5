"""Reply workflow and the posts outbox with the replay source: four eyes, exactly once."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from monitor.context import Context
from monitor.models import Case, Draft, Post, User
from monitor.pipeline import Pipeline
from monitor.poster import _claim, post_pending
from monitor.replies import WorkflowError, approve, reject, retry_post, save_draft, submit
from monitor.sources import SOURCES, Posted, Reply
from tests.conftest import Recorder, record, write_jsonl


@pytest.fixture
def world(ctx: Context, tmp_path: Path, recorder: Recorder) -> Context:
    write_jsonl(tmp_path / "mentions.jsonl", [record(1, "Acme terrible awful service, furious")])
    c = replace(ctx, env={**ctx.env, "REPGUARD_REPLAY_POST_URL": recorder.url("/replies")})
    Pipeline(c).run_once()
    with c.sessions() as s, s.begin():
        s.add_all([User(username="ann", role="agent", password_hash="x"),
                   User(username="abe", role="approver", password_hash="x")])
    return c


def users(s) -> tuple[User, User]:  # type: ignore[no-untyped-def]
    return (s.scalars(select(User).where(User.username == "ann")).one(),
            s.scalars(select(User).where(User.username == "abe")).one())


def approved_post(ctx: Context, text: str = "Sorry about that, please DM us.") -> int:
    with ctx.sessions() as s, s.begin():
        ann, abe = users(s)
        case = s.scalars(select(Case)).one()
        draft = save_draft(s, case, ann, text, private=False, policy=ctx.rules.moderation)
        submit(s, draft, ann, policy=ctx.rules.moderation)
        return approve(s, draft, abe, version_hash=draft.content_hash, policy=ctx.rules.moderation,
                       undo_seconds=0).id


def test_nobody_approves_their_own_draft_and_blocks_need_a_reason(world: Context) -> None:
    with world.sessions() as s, s.begin():
        ann, abe = users(s)
        case = s.scalars(select(Case)).one()
        draft = save_draft(s, case, abe, "You are idiots and morons.", private=False, policy=world.rules.moderation)
        assert draft.action == "block"
        with pytest.raises(WorkflowError, match="Submit anyway"):
            submit(s, draft, abe, policy=world.rules.moderation)
        submit(s, draft, abe, policy=world.rules.moderation, confirm_block=True)
        with pytest.raises(WorkflowError, match="own draft"):
            approve(s, draft, abe, version_hash=draft.content_hash, policy=world.rules.moderation)
        abe.role = "approver"
        ann.role = "approver"
        with pytest.raises(WorkflowError, match="override reason"):
            approve(s, draft, ann, version_hash=draft.content_hash, policy=world.rules.moderation)
        reject(s, draft, ann, "Too harsh")
        assert draft.state == "rejected"
        with pytest.raises(WorkflowError):
            save_draft(s, case, abe, "   ", private=False, policy=world.rules.moderation)


def test_approved_reply_is_posted_once(world: Context, recorder: Recorder) -> None:
    approved_post(world)
    Pipeline(world).run_once()
    Pipeline(world).run_once()
    posts = [r for r in recorder.requests if r["method"] == "POST"]
    assert len(posts) == 1
    assert json.loads(posts[0]["body"])["text"] == "Sorry about that, please DM us."
    with world.sessions() as s:
        post = s.scalars(select(Post)).one()
        case = s.scalars(select(Case)).one()
    assert post.status == "posted" and case.state == "replied" and case.first_response_at is not None
    assert posts[0]["headers"]["Idempotency-Key"] == post.idempotency_key


def test_crash_after_platform_accepted_does_not_post_twice(world: Context, recorder: Recorder) -> None:
    post_id = approved_post(world)
    assert _claim(world) == post_id
    with world.sessions() as s:
        post = s.get(Post, post_id)
        assert post is not None
        reply = Reply(post.idempotency_key, "Sorry about that, please DM us.", "1", "1", "user1")
    SOURCES["replay"](world.rules.sources["replay"], world.rules, world.env).post(reply)
    # ... and the process dies before recording it. Later, the platform knows our reply:
    recorder.default = (200, {"Content-Type": "application/json"}, b'{"id": "r-1", "url": ""}')
    later = replace(world, now=lambda: world.now() + timedelta(minutes=10))
    post_pending(later, {"replay": SOURCES["replay"](world.rules.sources["replay"], world.rules, world.env)})
    assert [r["method"] for r in recorder.requests] == ["POST", "GET"]
    with world.sessions() as s:
        assert s.get(Post, post_id).status == "posted"  # type: ignore[union-attr]


def test_crash_before_platform_call_retries_after_checking(world: Context, recorder: Recorder) -> None:
    post_id = approved_post(world)
    assert _claim(world) == post_id  # claimed, then the worker dies before calling the platform
    recorder.script = [(404, {}, b"")]  # the platform has no reply with our key
    later = replace(world, now=lambda: world.now() + timedelta(minutes=10))
    Pipeline(later).run_once()
    assert [r["method"] for r in recorder.requests] == ["GET", "POST"]


def test_failed_post_is_recorded_and_can_be_retried(world: Context, recorder: Recorder) -> None:
    post_id = approved_post(world)
    recorder.script = [(403, {}, b"forbidden")]
    Pipeline(world).run_once()
    with world.sessions() as s, s.begin():
        post = s.get(Post, post_id)
        assert post is not None and post.status == "failed" and "403" in post.last_error
        retry_post(s, post, users(s)[1])
    Pipeline(world).run_once()
    with world.sessions() as s:
        assert s.get(Post, post_id).status == "posted"  # type: ignore[union-attr]
        assert s.scalars(select(Draft)).one().state == "posted"


def test_unverifiable_post_waits_for_a_person(world: Context, recorder: Recorder) -> None:
    post_id = approved_post(world)
    _claim(world)
    recorder.script = [(500, {}, b"")]
    later = replace(world, now=lambda: world.now() + timedelta(minutes=10))
    Pipeline(later).run_once()
    with world.sessions() as s:
        post = s.get(Post, post_id)
        assert post is not None and post.status == "unknown"
    assert [r["method"] for r in recorder.requests] == ["GET"]
    assert Posted("x").external_id == "x"
