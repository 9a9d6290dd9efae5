"""Posting exactly once: crashes around the platform call, on a real SQLite database.

The poster commits a post as `sending` before calling the platform. A crash after the platform
accepted the reply but before the database recorded it leaves that row behind; on restart the
poster asks the source (`find_posted`) and must never post a second time.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from monitor import poster
from monitor.context import Context
from monitor.db import make_engine, make_sessionmaker, upgrade
from monitor.models import Case, Draft, Mention, Post, User
from monitor.rules import SourceConfig, parse_rules
from monitor.sources import Posted, Reply, Source, SourceError
from tests.recorded import answer, pick, replay
from tests.test_source_bluesky import Xrpc, recorded, thread
from tests.test_source_bluesky import make_source as make_bluesky
from tests.test_source_bluesky import xrpc as xrpc
from tests.test_source_mastodon import make_source as make_mastodon
from tests.test_source_x import make_source as make_x

RULES = "brands:\n  - name: Acme\n    keywords: [acme]\n"


class Crash(BaseException):
    """The process dies (not an error the poster could handle)."""


@dataclass
class Platform:
    """A platform that keeps what it accepted, keyed by idempotency key."""

    accepted: dict[str, str] = field(default_factory=dict)
    lookup_fails: bool = False
    calls: int = 0


class FakeSource(Source):
    """A source over `Platform`: used to drive each crash point through the real poster and database."""

    name = "fake"
    platform: Platform

    def post(self, reply: Reply) -> Posted:
        self.platform.calls += 1
        self.platform.accepted[reply.idempotency_key] = reply.text
        return Posted(external_id=f"id-{len(self.platform.accepted)}")

    def find_posted(self, reply: Reply) -> Posted | None:
        if self.platform.lookup_fails:
            raise SourceError("platform unreachable")
        return Posted(external_id="id-1") if reply.idempotency_key in self.platform.accepted else None


@dataclass
class World:
    ctx: Context
    clock: list[datetime]

    def restart_after_lease(self) -> None:
        self.clock[0] += poster.LEASE + timedelta(seconds=1)

    def post_row(self) -> Post:
        with self.ctx.sessions() as s:
            row = s.scalars(select(Post)).one()
            s.expunge(row)
            return row


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    engine = make_engine("sqlite:///" + str(tmp_path / "repguard.db"))
    upgrade(engine)
    clock = [datetime.now(UTC)]
    ctx = Context(rules=parse_rules(RULES), sessions=make_sessionmaker(engine), env={}, now=lambda: clock[0])
    yield World(ctx, clock)
    engine.dispose()


def queue_reply(
    world: World,
    source: str,
    *,
    external_id: str,
    text: str,
    author: str,
    thread_id: str = "",
    private: bool = False,
) -> None:
    """Store a mention, its case, an approved draft and its queued post (as an approval would)."""
    with world.ctx.sessions() as s, s.begin():
        user = User(username="approver", password_hash="x", role="approver")
        mention = Mention(
            source=source,
            platform=source,
            external_id=external_id,
            text="help",
            author_handle=author,
            created_at=world.clock[0],
            thread_id=thread_id,
        )
        s.add_all([user, mention])
        s.flush()
        case = Case(mention_id=mention.id, sla_due_at=world.clock[0] + timedelta(hours=1))
        s.add(case)
        s.flush()
        draft = Draft(case_id=case.id, author_id=user.id, text=text, private=private, state="approved")
        s.add(draft)
        s.flush()
        s.add(
            Post(
                draft_id=draft.id,
                case_id=case.id,
                source=source,
                idempotency_key="key-1",
                next_attempt_at=world.clock[0],
            )
        )


def crash_before_recording(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the process die right after the platform accepted, before the database records it."""

    def die(*args: Any) -> None:
        raise Crash

    monkeypatch.setattr(poster, "mark_posted", die)


def fake(world: World, platform: Platform) -> dict[str, Source]:
    source = FakeSource(SourceConfig(), world.ctx.rules)
    source.platform = platform
    return {"fake": source}


def test_crash_after_accept_is_recovered_without_second_post(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    platform = Platform()
    queue_reply(world, "fake", external_id="m1", text="Sorry!", author="bob")
    with monkeypatch.context() as m:
        crash_before_recording(m)
        with pytest.raises(Crash):
            poster.post_pending(world.ctx, fake(world, platform))
    assert world.post_row().status == "sending" and platform.calls == 1
    poster.post_pending(world.ctx, fake(world, platform))  # restarted too early: the lease still holds
    assert world.post_row().status == "sending" and platform.calls == 1
    world.restart_after_lease()
    poster.post_pending(world.ctx, fake(world, platform))
    row = world.post_row()
    assert row.status == "posted" and row.external_id == "id-1" and platform.calls == 1


def test_crash_before_the_platform_call_posts_once_on_restart(world: World) -> None:
    """Claimed, then died before calling the platform: nothing there, so it is sent once."""
    platform = Platform()
    queue_reply(world, "fake", external_id="m1", text="Sorry!", author="bob")
    assert poster._claim(world.ctx) is not None  # ... and the process dies here
    world.restart_after_lease()
    poster.post_pending(world.ctx, fake(world, platform))
    assert world.post_row().status == "posted" and platform.calls == 1


def test_cannot_tell_leaves_it_to_a_person(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    platform = Platform()
    queue_reply(world, "fake", external_id="m1", text="Sorry!", author="bob")
    with monkeypatch.context() as m:
        crash_before_recording(m)
        with pytest.raises(Crash):
            poster.post_pending(world.ctx, fake(world, platform))
    platform.lookup_fails = True
    world.restart_after_lease()
    poster.post_pending(world.ctx, fake(world, platform))
    row = world.post_row()
    assert row.status == "unknown" and "could not verify" in row.last_error and platform.calls == 1


def test_mastodon_crash_after_accept_finds_our_reply(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Real client, recorded traffic: one POST accepted, crash, restart finds it in our statuses."""
    queue_reply(world, "mastodon", external_id="117020583245459824", text="same!", author="mastodonpy_test_2")
    accepted = pick("mastodon/test_status_reply.yaml", "POST", "/api/v1/statuses", 1)
    with replay(tmp_path, [accepted]) as first, monkeypatch.context() as m:
        crash_before_recording(m)
        with pytest.raises(Crash):
            poster.post_pending(world.ctx, {"mastodon": make_mastodon()})
    assert first.requests[0].headers["Idempotency-Key"] == "key-1"
    me = pick("mastodon/test_status_reply.yaml", "GET", "/verify_credentials")
    ours = pick("mastodon/test_public_tl.yaml", "GET", "/timelines/public")
    ours["response"]["body"]["string"] = json.dumps([json.loads(accepted["response"]["body"]["string"])])
    ours = answer(ours, "GET", "http://localhost:3000/api/v1/accounts/117020565693913441/statuses")
    world.restart_after_lease()
    with replay(tmp_path, [me, ours]) as second:  # a second POST would fail: none is recorded
        poster.post_pending(world.ctx, {"mastodon": make_mastodon()})
    assert [r.method for r in second.requests] == ["GET", "GET"]
    row = world.post_row()
    assert row.status == "posted" and row.external_id == "117020583258292382"


def test_mastodon_not_found_after_crash_is_sent_again_with_same_key(world: World, tmp_path: Path) -> None:
    """Died before the platform call: our statuses hold no such reply, so it is sent (same key)."""
    queue_reply(world, "mastodon", external_id="117020583245459824", text="same!", author="mastodonpy_test_2")
    poster._claim(world.ctx)
    world.restart_after_lease()
    me = pick("mastodon/test_status_reply.yaml", "GET", "/verify_credentials")
    nothing = answer(
        pick("mastodon/test_public_tl.yaml", "GET", "/timelines/public"),
        "GET",
        "http://localhost:3000/api/v1/accounts/117020565693913441/statuses",
    )
    accepted = pick("mastodon/test_status_reply.yaml", "POST", "/api/v1/statuses", 1)
    with replay(tmp_path, [me, nothing, accepted]) as played:
        poster.post_pending(world.ctx, {"mastodon": make_mastodon()})
    assert played.requests[-1].headers["Idempotency-Key"] == "key-1"
    assert world.post_row().status == "posted"


def test_bluesky_crash_after_accept_finds_the_record_by_key(
    world: World, xrpc: Xrpc, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The record key comes from the idempotency key, so the restarted poster finds the record."""
    post = thread()["thread"]["post"]
    queue_reply(world, "bluesky", external_id=post["uri"], text="Thanks!", author="test.marshal.dev")
    xrpc.queue("app.bsky.feed.getPostThread", thread())
    made = recorded("post_record.json")
    xrpc.queue("com.atproto.repo.createRecord", {"uri": made["uri"], "cid": made["cid"]})
    with monkeypatch.context() as m:
        crash_before_recording(m)
        with pytest.raises(Crash):
            poster.post_pending(world.ctx, {"bluesky": make_bluesky(xrpc)})
    xrpc.queue("com.atproto.repo.getRecord", made)
    world.restart_after_lease()
    poster.post_pending(world.ctx, {"bluesky": make_bluesky(xrpc)})
    assert len(xrpc.calls("com.atproto.repo.createRecord")) == 1
    lookup = xrpc.calls("com.atproto.repo.getRecord")[0][1]["rkey"]
    assert lookup == [xrpc.calls("com.atproto.repo.createRecord")[0][2]["rkey"]]
    assert world.post_row().status == "posted"


def test_rate_limited_post_waits_the_named_time(world: World) -> None:
    """A RATELIMIT answer re-queues the post after the wait the platform named, not before."""

    class Limited(FakeSource):
        def post(self, reply: Reply) -> Posted:
            raise SourceError("Reddit RATELIMIT", retry_after=420)

    queue_reply(world, "fake", external_id="m1", text="Sorry!", author="bob")
    poster.post_pending(world.ctx, {"fake": Limited(SourceConfig(), world.ctx.rules)})
    row = world.post_row()
    assert row.status == "queued"
    assert row.next_attempt_at == world.clock[0] + timedelta(seconds=420)


def test_x_public_reply_to_an_ineligible_post_is_not_attempted(world: World) -> None:
    """X accepts public replies only to posts that mention or quote the brand: the private route is offered."""
    queue_reply(world, "x", external_id="1578516068309794817", text="Hi!", author="someone")
    x = make_x()
    assert x.supports_private_reply
    poster.post_pending(world.ctx, {"x": x})  # no cassette: any platform call would fail the test
    row = world.post_row()
    assert row.status == "failed" and "send a private reply instead" in row.last_error


def test_private_reply_where_the_platform_has_none_is_refused(world: World, xrpc: Xrpc) -> None:
    queue_reply(world, "bluesky", external_id="at://did:plc:x/app.bsky.feed.post/1", text="Hi", author="a",
                private=True)
    poster.post_pending(world.ctx, {"bluesky": make_bluesky(xrpc)})
    row = world.post_row()
    assert row.status == "failed" and "no private replies" in row.last_error
    assert xrpc.seen == []
