"""Mastodon source against recorded Mastodon.py traffic (tests/fixtures/mastodon)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest

from monitor.rules import parse_rules
from monitor.sources import SOURCES, Reply, SourceError
from monitor.sources.mastodon import MastodonSource, html_to_text
from tests.recorded import answer, pick, query, replay, with_status

RULES = """
brands:
  - name: Mastodon.py
    keywords: [mastodonpy_test]
sources:
  mastodon: {instance_url: "http://localhost:3000", hashtags: ["#mastodonpy"]}
"""
ENV = {"MASTODON_ACCESS_TOKEN": "__MASTODON_PY_TEST_ACCESS_TOKEN"}
BASE = "http://localhost:3000"
TAG = f"{BASE}/api/v1/timelines/tag/mastodonpy"


def make_source() -> MastodonSource:
    rules = parse_rules(RULES)
    return MastodonSource(rules.sources["mastodon"], rules, ENV)


def tag_timeline() -> dict[str, Any]:
    """The recorded public timeline (8 statuses) served as the hashtag timeline: same status list shape."""
    return answer(pick("mastodon/test_public_tl.yaml", "GET", "/timelines/public"), "GET", TAG)


def search() -> dict[str, Any]:
    return pick("mastodon/test_search.yaml", "GET", "/api/v2/search", 2)  # type=statuses


def mentions() -> dict[str, Any]:
    return pick("mastodon/test_notifications_mentions_only.yaml", "GET", "/api/v1/notifications")


def test_registered() -> None:
    assert SOURCES["mastodon"] is MastodonSource


def test_hashtag_search_and_mentions_with_checkpoint(tmp_path: Path) -> None:
    with replay(tmp_path, [tag_timeline(), search(), mentions()]) as played:
        batch = make_source().collect({})
    assert batch.reads == 9 and len(batch.mentions) == 9
    # The mentions cursor is the notification id (21), which /api/v1/notifications pages by.
    assert batch.checkpoint == {"tag:mastodonpy": "117020593378945190", "mentions": "21"}
    mention = next(m for m in batch.mentions if m.raw["via"] == "mentions")
    assert mention.text == "@mastodonpy_test hello!" and mention.author_handle == "admin"
    assert mention.platform == "mastodon" and mention.created_at.tzinfo is not None
    assert query(played.requests[1])["type"] == ["statuses"]
    assert query(played.requests[2])["types[]"] == ["mention"]


def test_restart_resumes_after_checkpoint(tmp_path: Path) -> None:
    """A restarted source asks for statuses after the stored id and never re-reads older ones."""
    checkpoint = {"tag:mastodonpy": "117020593378945190", "mentions": "21"}
    with replay(tmp_path, [tag_timeline(), search(), mentions()]) as played:
        batch = make_source().collect(checkpoint)
    assert batch.mentions == [] and batch.checkpoint == checkpoint
    assert query(played.requests[0])["min_id"] == ["117020593378945190"]
    assert query(played.requests[2])["min_id"] == ["21"]


def test_a_later_mention_is_collected_after_the_first(tmp_path: Path) -> None:
    """A status id as the cursor would be far above every notification id and hide later mentions."""
    first = mentions()
    with replay(tmp_path, [tag_timeline(), search(), first]):
        checkpoint = make_source().collect({}).checkpoint
    later = json.loads(first["response"]["body"]["string"])
    later[0]["id"] = "22"
    later[0]["status"]["id"] = "117020577157693550"
    first["response"]["body"]["string"] = json.dumps(later)
    with replay(tmp_path, [tag_timeline(), search(), first]) as played:
        batch = make_source().collect(checkpoint)
    assert query(played.requests[2])["min_id"] == ["21"]
    assert [m.external_id for m in batch.mentions if m.raw["via"] == "mentions"] == ["117020577157693550"]
    assert batch.checkpoint["mentions"] == "22"


def test_rate_limit_pauses_until_the_recorded_reset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The recorded x-ratelimit-reset (14:00:00) is honoured; the clock is set to 13:58 of that day."""
    monkeypatch.setattr("time.time", lambda: datetime(2026, 8, 1, 13, 58, tzinfo=UTC).timestamp())
    with (
        replay(tmp_path, [with_status(tag_timeline(), 429, "Too Many Requests")]),
        pytest.raises(SourceError) as err,
    ):
        make_source().collect({})
    assert err.value.retry_after == pytest.approx(120, abs=1)


def test_server_error_mid_run_keeps_other_timelines(tmp_path: Path) -> None:
    failing = with_status(search(), 503, "Service Unavailable")
    with replay(tmp_path, [tag_timeline(), failing, mentions()]):
        batch = make_source().collect({})
    assert batch.reads == 9 and "server error" in batch.warnings[0]


def test_expired_token_is_permanent(tmp_path: Path) -> None:
    with (
        replay(tmp_path, [with_status(tag_timeline(), 401, "Unauthorized")]),
        pytest.raises(SourceError) as err,
    ):
        make_source().collect({})
    assert err.value.permanent and "MASTODON_ACCESS_TOKEN" in str(err.value)


def reply(**kw: Any) -> Reply:
    fields = {
        "idempotency_key": "key-1",
        "text": "same!",
        "in_reply_to": "117020583245459824",
        "thread_id": "117020583245459824",
        "author_handle": "mastodonpy_test_2",
        **kw,
    }
    return Reply(**fields)


def test_public_reply_accepted_with_idempotency_key(tmp_path: Path) -> None:
    created = pick("mastodon/test_status_reply.yaml", "POST", "/api/v1/statuses", 1)
    with replay(tmp_path, [created]) as played:
        posted = make_source().post(reply())
    assert posted.external_id == "117020583258292382"
    sent = played.requests[0]
    assert sent.headers["Idempotency-Key"] == "key-1"
    body = parse_qs(sent.body.decode())
    assert body["status"] == ["@mastodonpy_test_2 same!"] and body["in_reply_to_id"] == ["117020583245459824"]


def test_private_reply_is_a_direct_message(tmp_path: Path) -> None:
    created = pick("mastodon/test_conversations.yaml", "POST", "/api/v1/statuses")
    with replay(tmp_path, [created]) as played:
        make_source().post(reply(private=True, author_handle="admin", text="ilu bby ;3"))
    body = parse_qs(played.requests[0].body.decode())
    assert body["visibility"] == ["direct"] and body["status"] == ["@admin ilu bby ;3"]


def test_reply_rejected(tmp_path: Path) -> None:
    missing = answer(
        pick("mastodon/test_status_missing.yaml", "GET", "/statuses/0"), "POST", f"{BASE}/api/v1/statuses"
    )
    with replay(tmp_path, [missing]), pytest.raises(SourceError) as err:
        make_source().post(reply())
    assert err.value.permanent


def our_statuses(*interactions: dict[str, Any]) -> dict[str, Any]:
    """A status list made of recorded statuses (the recordings hold no account-statuses call)."""
    listing = pick("mastodon/test_public_tl.yaml", "GET", "/timelines/public")
    listing["response"]["body"]["string"] = json.dumps(
        [json.loads(i["response"]["body"]["string"]) for i in interactions]
    )
    return answer(listing, "GET", f"{BASE}/api/v1/accounts/117020565693913441/statuses")


def test_find_posted_recognises_our_earlier_reply(tmp_path: Path) -> None:
    me = pick("mastodon/test_status_reply.yaml", "GET", "/verify_credentials")
    ours = our_statuses(pick("mastodon/test_status_reply.yaml", "POST", "/api/v1/statuses", 1))
    with replay(tmp_path, [me, ours]) as played:
        found = make_source().find_posted(reply())
    assert found is not None and found.external_id == "117020583258292382"
    assert query(played.requests[1])["since_id"] == ["117020583245459824"]


def test_find_posted_says_not_posted(tmp_path: Path) -> None:
    me = pick("mastodon/test_status_reply.yaml", "GET", "/verify_credentials")
    other = our_statuses(pick("mastodon/test_status_reply.yaml", "POST", "/api/v1/statuses", 0))
    with replay(tmp_path, [me, other]):
        assert make_source().find_posted(reply()) is None


def test_html_to_text() -> None:
    assert html_to_text("<p>it&#39;s<br>cool</p><p>too</p>") == "it's\ncool\n\ntoo"
