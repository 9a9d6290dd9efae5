"""The reply path's defects as scenarios (issue: nothing unapproved, nothing twice), on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from monitor import poster
from monitor.context import Context
from monitor.models import Case, Draft, DraftVersion, Post, User
from monitor.pipeline import Pipeline
from monitor.replies import ConflictError, WorkflowError, approve, cancel_post, save_draft, submit
from monitor.sources import SOURCES, Source
from monitor.sources import replay as replay_module
from scripts.fake_platform import FakePlatform
from tests.conftest import record, write_jsonl

SORRY = "Sorry about that, please DM us."


@pytest.fixture
def platform() -> Iterator[FakePlatform]:
    server = FakePlatform().start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def world(ctx: Context, tmp_path: Path, platform: FakePlatform) -> Context:
    write_jsonl(tmp_path / "mentions.jsonl", [record(1, "Acme terrible awful service, furious @acmehelp")])
    c = replace(ctx, env={**ctx.env, "REPGUARD_REPLAY_POST_URL": platform.url})
    Pipeline(c).run_once()
    with c.sessions() as s, s.begin():
        s.add_all([User(username=n, role=r, password_hash="x")
                   for n, r in (("ann", "agent"), ("bob", "agent"), ("abe", "approver"), ("amy", "approver"))])
    return c


def who(s, name: str) -> User:  # type: ignore[no-untyped-def]
    return s.scalars(select(User).where(User.username == name)).one()


def submitted(ctx: Context, text: str = SORRY, author: str = "ann", **kw: str) -> int:
    with ctx.sessions() as s, s.begin():
        case = s.scalars(select(Case)).one()
        draft = save_draft(s, case, who(s, author), text, private=False, policy=ctx.rules.moderation)
        submit(s, draft, who(s, author), policy=ctx.rules.moderation, **kw)  # type: ignore[arg-type]
        return draft.id


def approve_as(ctx: Context, draft_id: int, name: str, seen: str | None = None, **kw: object) -> Post:
    with ctx.sessions() as s, s.begin():
        draft = s.get(Draft, draft_id)
        assert draft is not None
        return approve(s, draft, who(s, name), version_hash=draft.content_hash if seen is None else seen,
                       policy=ctx.rules.moderation, **kw)  # type: ignore[arg-type]


def sources(ctx: Context) -> dict[str, Source]:
    return {"replay": SOURCES["replay"](ctx.rules.sources["replay"], ctx.rules, ctx.env)}


def test_every_edit_is_a_new_version_by_its_editor_and_editors_do_not_approve(world: Context) -> None:
    """Defect 1: an approver (or a second agent) rewriting a submitted draft becomes one of its authors."""
    draft_id = submitted(world)
    with world.sessions() as s, s.begin():
        draft = s.get(Draft, draft_id)
        assert draft is not None
        first = draft.content_hash
        save_draft(s, draft.case, who(s, "bob"), "Sorry! DM us please.", private=False,
                   policy=world.rules.moderation, draft=draft)
        save_draft(s, draft.case, who(s, "abe"), "Sorry! Please DM us.", private=False,
                   policy=world.rules.moderation, draft=draft)
        submit(s, draft, who(s, "abe"), policy=world.rules.moderation)
    with world.sessions() as s:
        versions = s.scalars(select(DraftVersion).where(DraftVersion.draft_id == draft_id)
                             .order_by(DraftVersion.number)).all()
        assert [(v.number, v.author.username) for v in versions] == [(1, "ann"), (2, "bob"), (3, "abe")]
        assert versions[0].text == SORRY and versions[0].content_hash == first  # old versions never change
    with pytest.raises(WorkflowError, match="nor one they edited"):
        approve_as(world, draft_id, "abe")
    assert approve_as(world, draft_id, "amy", undo_seconds=0).status == "queued"


def test_approval_of_a_text_nobody_saw_is_refused(world: Context, platform: FakePlatform) -> None:
    """Defect 2: the approver saw T1; the agent re-saved T2; approving names T1's hash and is refused."""
    draft_id = submitted(world)
    with world.sessions() as s, s.begin():
        draft = s.get(Draft, draft_id)
        assert draft is not None
        seen = draft.content_hash
        save_draft(s, draft.case, who(s, "ann"), "Claim here: https://evil.example/login", private=False,
                   policy=world.rules.moderation, draft=draft)
    with pytest.raises(ConflictError, match="changed after you opened it"):
        approve_as(world, draft_id, "abe", seen=seen)
    Pipeline(world).run_once()
    assert platform.posts == []


def test_second_public_reply_needs_supersede_with_a_reason(world: Context) -> None:
    """Defect 3: two drafts on one post; the second is refused until it supersedes the first, with a reason."""
    one, two = submitted(world), submitted(world, "We are looking into it now.", author="bob")
    approve_as(world, one, "abe")
    with pytest.raises(WorkflowError, match="already has a public reply from us"):
        approve_as(world, two, "amy")
    with pytest.raises(WorkflowError, match="already has a public reply"):
        submitted(world, "A third reply.", author="bob")
    post = approve_as(world, two, "amy", supersede_reason="First reply named the wrong plan")
    with world.sessions() as s:
        draft = s.get(Draft, two)
        assert draft is not None and draft.supersedes_post_id is not None and post.status == "queued"


@pytest.mark.parametrize("text, label", [
    ("Your card [CREDIT_CARD] was refunded.", "placeholder"),
    ("Hi @acmehe1p, please DM us.", "handle_changed"),
    ("Reset it at https://evil.example/reset", "link_domain"),
])
def test_integrity_blocks_at_submit_and_cannot_be_overridden(world: Context, text: str, label: str) -> None:
    """Defect 4: placeholders, a changed handle and unlisted links are blocks no override passes."""
    with world.sessions() as s, s.begin():
        case = s.scalars(select(Case)).one()
        draft = save_draft(s, case, who(s, "ann"), text, private=False, policy=world.rules.moderation)
        assert draft.action == "block" and label in {f["label"] for f in draft.verdict["findings"]}
        with pytest.raises(WorkflowError, match="no override can pass it"):
            submit(s, draft, who(s, "ann"), policy=world.rules.moderation, confirm_block=True)


def test_block_added_after_approval_stops_the_post(world: Context, platform: FakePlatform) -> None:
    """The gate right before the platform call re-checks with the rules in force."""
    draft_id = submitted(world, "Sorry, please DM us about the refund.")
    approve_as(world, draft_id, "abe", undo_seconds=0)
    stricter = world.rules.model_copy(update={"moderation": world.rules.moderation.model_copy(
        update={"banned_phrases": ["refund"]})})
    Pipeline(replace(world, rules=stricter)).run_once()
    with world.sessions() as s:
        post = s.scalars(select(Post)).one()
    assert post.status == "failed" and "banned_phrase" in post.last_error and platform.posts == []


def test_timeout_after_sending_is_looked_up_not_posted_again(
    world: Context, platform: FakePlatform, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defect 6: the platform stores the reply but answers after the client's timeout: posted once."""
    monkeypatch.setattr(replay_module, "POST_TIMEOUT", 0.3)
    platform.delay = 1.0
    approve_as(world, submitted(world), "abe", undo_seconds=0)
    for _ in range(3):
        Pipeline(replace(world, now=lambda: world.now() + timedelta(minutes=5))).run_once()
    with world.sessions() as s:
        post = s.scalars(select(Post)).one()
    assert len(platform.posts) == 1 and post.status == "posted" and post.external_id == "fake-1"


def test_unverifiable_timeout_waits_for_a_person(
    world: Context, platform: FakePlatform, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No answer, and the look-up fails too: the post waits for a person with the evidence."""
    monkeypatch.setattr(replay_module, "POST_TIMEOUT", 0.3)
    platform.delay = 1.0
    approve_as(world, submitted(world), "abe", undo_seconds=0)

    def lookup_down(self: object, reply: object) -> None:
        raise NotImplementedError("look-up endpoint down")

    monkeypatch.setattr(SOURCES["replay"], "find_posted", lookup_down)
    Pipeline(world).run_once()
    Pipeline(replace(world, now=lambda: world.now() + timedelta(minutes=5))).run_once()
    with world.sessions() as s:
        post = s.scalars(select(Post)).one()
    assert post.status == "unknown" and "no answer after sending" in post.last_error
    assert "ReadTimeout" in post.last_error and len(platform.posts) == 1


def test_dead_workers_post_is_re_examined_within_a_minute(world: Context, platform: FakePlatform) -> None:
    """Crash: a claimed post's lease is seconds long, so another worker looks it up within a minute."""
    approve_as(world, submitted(world), "abe", undo_seconds=0)
    assert poster._claim(world) is not None  # ... the worker dies here, before calling the platform
    assert poster.LEASE <= timedelta(seconds=30)
    Pipeline(replace(world, now=lambda: world.now() + timedelta(seconds=20))).run_once()
    assert platform.posts == []  # the lease still holds
    Pipeline(replace(world, now=lambda: world.now() + timedelta(seconds=45))).run_once()
    assert len(platform.posts) == 1


def test_heartbeat_keeps_a_live_workers_lease(world: Context, platform: FakePlatform,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A slow platform call renews the lease, so nobody else re-examines a post that is still in flight."""
    monkeypatch.setattr(poster, "HEARTBEAT", 0.1)
    platform.delay = 0.6
    approve_as(world, submitted(world), "abe", undo_seconds=0)
    beats: list[object] = []
    with world.sessions() as s:
        before = s.scalars(select(Post)).one().next_attempt_at
    clock = [world.now()]
    live = replace(world, now=lambda: clock[0])
    thread = threading.Thread(target=poster.post_pending, args=(live, sources(live)))
    thread.start()
    threading.Event().wait(0.3)
    clock[0] += timedelta(seconds=5)
    threading.Event().wait(0.2)
    with world.sessions() as s:
        beats.append(s.scalars(select(Post)).one().next_attempt_at)
    thread.join()
    assert beats[0] > before + timedelta(seconds=4)  # type: ignore[operator]
    assert len(platform.posts) == 1


def test_concurrent_approvals_first_wins_others_conflict(world: Context, platform: FakePlatform) -> None:
    """Defect 7: twenty approvers at once: one approval, nineteen clear conflicts, no crash."""
    draft_id = submitted(world)
    outcomes: list[str] = []
    start = threading.Barrier(20)

    def one(name: str) -> None:
        start.wait()
        try:
            approve_as(world, draft_id, name, undo_seconds=0)
            outcomes.append("approved")
        except ConflictError:
            outcomes.append("conflict")
        except Exception as exc:
            outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=one, args=("abe" if i % 2 else "amy",)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("approved") == 1, outcomes
    assert set(outcomes) <= {"approved", "conflict", "OperationalError", "IntegrityError"}
    Pipeline(world).run_once()
    assert len(platform.posts) == 1


def test_undo_window_cancel_stops_the_post(world: Context, platform: FakePlatform) -> None:
    """Cancelled inside the undo window: nothing is posted; the draft is back in the queue; late cancel refused."""
    draft_id = submitted(world)
    post = approve_as(world, draft_id, "abe", undo_seconds=30)
    Pipeline(world).run_once()
    assert platform.posts == []  # still inside the window
    with world.sessions() as s, s.begin():
        row = s.get(Post, post.id)
        assert row is not None
        cancel_post(s, row, who(s, "ann"))
    Pipeline(replace(world, now=lambda: world.now() + timedelta(minutes=1))).run_once()
    with world.sessions() as s, s.begin():
        row = s.get(Post, post.id)
        assert row is not None and row.status == "cancelled" and row.draft.state == "submitted"
    assert platform.posts == []
    again = approve_as(world, draft_id, "amy", undo_seconds=0)
    assert again.id == post.id and again.status == "queued"
    Pipeline(world).run_once()
    with world.sessions() as s, s.begin():
        row = s.get(Post, post.id)
        assert row is not None
        with pytest.raises(ConflictError, match="Too late"):
            cancel_post(s, row, who(s, "ann"))
    assert len(platform.posts) == 1
