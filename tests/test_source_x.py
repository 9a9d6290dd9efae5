"""X source against recorded API v2 traffic (tests/fixtures/x, tweepy's own cassettes)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor.collector import build_sources, collect, collect_one
from monitor.context import Context
from monitor.db import make_engine, make_sessionmaker, upgrade
from monitor.models import SourceState
from monitor.rules import load_rules, parse_rules
from monitor.sources import SOURCES, Reply, SourceError
from monitor.sources.x import XSource, tweet_to_mention
from tests.recorded import answer, pick, query, replay, with_status
from web import cli

RULES = """
brands:
  - name: Tweepy
    handles: {x: Twitter}
    keywords: [tweepy]
sources:
  x: {queries: [Tweepy], daily_read_budget: %d}
"""
ENV = {
    "X_BEARER_TOKEN": "bearer",
    "X_API_KEY": "key",
    "X_API_SECRET": "secret",
    "X_ACCESS_TOKEN": "token",
    "X_ACCESS_TOKEN_SECRET": "token-secret",
}
RECORDED_AT = datetime(2022, 10, 7, 22, 45, tzinfo=UTC)  # when the search cassette was recorded
SEARCH = "https://api.twitter.com/2/tweets/search/recent"
MENTIONS = "https://api.twitter.com/2/users/783214/mentions"


def make_source(budget: int = 0, now: datetime = RECORDED_AT) -> XSource:
    rules = parse_rules(RULES % budget)
    source = XSource(rules.sources["x"], rules, ENV)
    source.clock = lambda: now  # type: ignore[method-assign]
    return source


def user() -> dict:
    return pick("x/test_client_get_user.yaml", "GET", "/users/by/username/Twitter")


def search() -> dict:
    return pick("x/test_client_search_recent_tweets.yaml", "GET", "/search/recent")


def mentions() -> dict:
    return pick("x/test_client_get_users_mentions.yaml", "GET", "/mentions")


def test_registered() -> None:
    assert SOURCES["x"] is XSource


def test_search_and_mentions_timeline_with_fields_and_checkpoint(tmp_path: Path) -> None:
    """One poll reads the query and the brand's mentions; the checkpoint keeps where pagination stopped."""
    source = make_source(budget=0)
    # Second pages: the other recorded list of tweets, served to the same endpoint (same v2 shape).
    pages = [
        search(),
        answer(mentions(), "GET", SEARCH),
        user(),
        mentions(),
        answer(search(), "GET", MENTIONS),
    ]
    with replay(tmp_path, pages) as played:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr("monitor.sources.x.MAX_PAGES", 2)
            batch = source.collect({})
    assert len(batch.mentions) == 40 and batch.reads == 40 and not batch.warnings
    first = batch.mentions[0]
    assert first.platform == "x" and first.external_id == "1578516068309794817"
    assert first.text == "2022-10-07 22:42:12.637103 tweepy"
    sent = query(played.requests[0])
    assert sent["query"] == ["Tweepy"] and sent["expansions"] == ["author_id"]
    assert set(sent["tweet.fields"][0].split(",")) >= {
        "author_id",
        "created_at",
        "lang",
        "conversation_id",
        "in_reply_to_user_id",
        "referenced_tweets",
        "public_metrics",
    }
    assert query(played.requests[1])["next_token"] == ["b26v89c19zqg8o3fpzbn1e0ffhxjiofzw6po136rvbnul"]
    assert query(played.requests[3])["max_results"] == ["100"]
    assert query(played.requests[4])["pagination_token"] == ["7140dibdnow9c7btw423i3sy3u5zupmkcpofxcsmxj48j"]
    assert batch.checkpoint["user_id"] == "783214"
    # Pagination was cut short: the next poll continues from next_token, not from the top.
    assert batch.checkpoint["search:Tweepy"]["next_token"] == "7140dibdnow9c7btw423i3sy3u5zupmkcpofxcsmxj48j"
    assert batch.checkpoint["mentions"]["newest_id"] == "1578516295611748353"
    assert "since_id" not in batch.checkpoint["mentions"]  # first run: nothing older is skipped later
    json.dumps(batch.checkpoint)  # it is stored as JSON


def test_restart_resumes_from_stored_since_id(tmp_path: Path) -> None:
    """A restarted source sends the stored since_id, so it neither re-reads nor skips."""
    checkpoint = {
        "user_id": "783214",
        "search:Tweepy": {"since_id": "1578511538419212287"},
        "mentions": {"since_id": "1578516107798884352"},
    }
    source = make_source()
    with pytest.MonkeyPatch.context() as mp, replay(tmp_path, [search(), mentions()]) as played:
        mp.setattr("monitor.sources.x.MAX_PAGES", 1)
        batch = source.collect(checkpoint)
    assert query(played.requests[0])["since_id"] == ["1578511538419212287"]
    assert query(played.requests[1])["since_id"] == ["1578516107798884352"]
    assert "pagination_token" not in query(played.requests[1])
    assert batch.checkpoint["search:Tweepy"]["since_id"] == "1578511538419212287"


def test_last_page_moves_since_id_to_newest() -> None:
    """When no next_token is left, the newest id seen becomes the since_id."""
    assert XSource._resolved({"newest_id": "9", "next_token": None, "since_id": "1"}) == {"since_id": "9"}
    assert XSource._resolved({"newest_id": None, "next_token": None, "since_id": "1"}) == {"since_id": "1"}


def test_daily_read_budget_stops_reading_with_warning(tmp_path: Path) -> None:
    source = make_source(budget=10)
    with replay(tmp_path, [search()]) as played:
        batch = source.collect({"user_id": "783214"})
    assert len(played.requests) == 1 and batch.reads == 10
    assert batch.budget_used == 10 and batch.budget_day == "2022-10-07"
    assert any("budget of 10 posts spent" in w for w in batch.warnings)
    with replay(tmp_path, []) as played:  # same day: no request at all
        again = source.collect(batch.checkpoint)
    assert again.reads == 0 and again.warnings and len(played.requests) == 0
    next_day = make_source(budget=10, now=datetime(2022, 10, 8, 1, tzinfo=UTC))
    with replay(tmp_path, [answer(mentions(), "GET", SEARCH)]) as played:
        resumed = next_day.collect(batch.checkpoint)
    assert resumed.budget_used == 10 and resumed.budget_day == "2022-10-08"
    assert query(played.requests[0])["next_token"] == ["b26v89c19zqg8o3fpzbn1e0ffhxjiofzw6po136rvbnul"]


def test_rate_limit_pauses_the_source_until_reset(tmp_path: Path) -> None:
    """A 429 becomes retry_after from the recorded x-rate-limit-reset header."""
    limited = with_status(search(), 429, "Too Many Requests")
    with replay(tmp_path, [limited]), pytest.raises(SourceError) as err:
        make_source().collect({"user_id": "783214"})
    assert err.value.retry_after == pytest.approx(1665183229 - RECORDED_AT.timestamp())
    assert not err.value.permanent


def test_server_error_mid_run_keeps_what_was_read(tmp_path: Path) -> None:
    """A 503 after the search page keeps the search results and reports the error."""
    failing = with_status(mentions(), 503, "Service Unavailable")
    with pytest.MonkeyPatch.context() as mp, replay(tmp_path, [search(), failing]):
        mp.setattr("monitor.sources.x.MAX_PAGES", 1)
        batch = make_source().collect({"user_id": "783214"})
    assert len(batch.mentions) == 10
    assert "server error (HTTP 503)" in batch.warnings[0]
    assert "mentions" not in batch.checkpoint  # the failed stream is re-read next time


def test_expired_token_is_permanent(tmp_path: Path) -> None:
    with replay(tmp_path, [with_status(search(), 401, "Unauthorized")]), pytest.raises(SourceError) as err:
        make_source().collect({"user_id": "783214"})
    assert err.value.permanent and "X_BEARER_TOKEN" in str(err.value)


def reply(private: bool = False) -> Reply:
    return Reply(
        idempotency_key="k1",
        text="Test Tweet",
        in_reply_to="1578516295611748353",
        thread_id="1578516295611748353",
        author_handle="someone",
        private=private,
    )


def test_reply_accepted(tmp_path: Path) -> None:
    created = pick("x/test_client_create_and_delete_tweet.yaml", "POST", "/2/tweets")
    with replay(tmp_path, [created]) as played:
        posted = make_source().post(reply())
    assert posted.external_id == "1456012973835788293"
    body = json.loads(played.requests[0].body)
    assert body == {"text": "Test Tweet", "reply": {"in_reply_to_tweet_id": "1578516295611748353"}}


def test_reply_rejected_suggests_private_route(tmp_path: Path) -> None:
    created = pick("x/test_client_create_and_delete_tweet.yaml", "POST", "/2/tweets")
    with replay(tmp_path, [with_status(created, 403, "Forbidden")]), pytest.raises(SourceError) as err:
        make_source().post(reply())
    assert err.value.permanent and "private reply" in str(err.value)


def test_find_posted_checks_our_timeline(tmp_path: Path) -> None:
    """Crash recovery: our recorded timeline holds no reply to that post, so it was not posted."""
    timeline = pick("x/test_client_get_users_tweets.yaml", "GET", "/users/783214/tweets")
    with replay(tmp_path, [user(), timeline]) as played:
        assert make_source().find_posted(reply()) is None
    assert query(played.requests[1])["since_id"] == ["1578516295611748353"]


def test_private_reply_needs_author_id() -> None:
    with pytest.raises(SourceError) as err:
        make_source().post(reply(private=True))
    assert err.value.permanent


def test_public_reply_eligibility() -> None:
    """Since February 2026 X only accepts replies to posts that mention or quote the brand."""
    recorded = search()
    source = make_source()
    assert source.can_reply_publicly({"raw": {"text": "@Twitter my order is late", "via": "search:x"}})
    assert source.can_reply_publicly({"raw": {"text": "late again", "via": "mentions"}})
    assert source.can_reply_publicly({"text": "x", "referenced_tweets": [{"type": "quoted", "id": "1"}]})
    assert not source.can_reply_publicly({"raw": {"text": "2022-10-07 tweepy", "via": "search:Tweepy"}})
    assert recorded  # the search results above are such posts: private route only


def test_author_expansion_maps_name_handle_followers() -> None:
    """The recordings carry no expansions; the user object here is the recorded get_user one."""
    recorded_user = json.loads(user()["response"]["body"]["string"])["data"]
    users = {"783214": {**recorded_user, "public_metrics": {"followers_count": 5}}}
    tweet = {
        "id": "1",
        "text": "hi @Twitter",
        "author_id": "783214",
        "created_at": "2022-10-07T22:42:12.000Z",
        "lang": "en",
        "conversation_id": "1",
        "referenced_tweets": [{"type": "replied_to", "id": "7"}],
    }
    m = tweet_to_mention(tweet, users, "mentions")
    assert (m.author_handle, m.author_name, m.author_followers) == ("Twitter", "Twitter", 5)
    assert m.in_reply_to == "7" and m.language == "en" and m.created_at.year == 2022


def test_status_lists_each_source_with_health(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Collect through the real collector into SQLite, then `repguard status` shows health and budget."""
    rules_path = tmp_path / "rules.yaml"
    rules_path.write_text(RULES % 10 + "  reddit: {subreddits: [kakapo]}\n", encoding="utf-8")
    monkeypatch.setenv("REPGUARD_DATABASE_URL", "sqlite:///" + str(tmp_path / "repguard.db"))
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    for name in ("REDDIT_CLIENT_ID", "REDDIT_CLIENT_SECRET", "REDDIT_USERNAME", "REDDIT_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    engine = make_engine()
    upgrade(engine)
    ctx = Context(rules=load_rules(rules_path), sessions=make_sessionmaker(engine))
    sources = build_sources(ctx)
    assert list(sources) == ["x"]
    assert "source reddit disabled: set REDDIT_CLIENT_ID" in caplog.text
    with replay(tmp_path, [search()]):
        assert collect_one(ctx, "x", sources["x"]) == 10
    engine.dispose()
    assert cli.main(["status", "--rules", str(rules_path)]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    assert " yes " in lines["x"] and "   10  10/10" in lines["x"] and "budget of 10 posts spent" in lines["x"]
    assert "no creds" in lines["reddit"] and "set REDDIT_CLIENT_ID" in lines["reddit"]
    assert "never" in lines["reddit"]


def test_rate_limited_source_pauses_while_the_others_go_on(tmp_path: Path) -> None:
    """One collection pass on SQLite: X answers 429 and is paused; Mastodon's mentions are stored."""
    from tests.test_source_mastodon import make_source as make_mastodon
    from tests.test_source_mastodon import mentions as mastodon_mentions
    from tests.test_source_mastodon import search as mastodon_search
    from tests.test_source_mastodon import tag_timeline

    engine = make_engine("sqlite:///" + str(tmp_path / "repguard.db"))
    upgrade(engine)
    now = datetime.now(UTC)
    ctx = Context(rules=parse_rules(RULES % 0), sessions=make_sessionmaker(engine), env=ENV, now=lambda: now)
    sources = {"x": make_source(now=now), "mastodon": make_mastodon()}
    limited = with_status(search(), 429, "Too Many Requests")
    with replay(tmp_path, [limited, tag_timeline(), mastodon_search(), mastodon_mentions()]):
        assert collect(ctx, sources) == 9
    with ctx.sessions() as s:
        x, mastodon = s.get(SourceState, "x"), s.get(SourceState, "mastodon")
        assert x is not None and mastodon is not None
        assert x.paused_until is not None and x.paused_until > now and "rate limit" in x.last_error
        assert mastodon.items_read == 9 and mastodon.last_success_at == now and not mastodon.last_error
    with replay(tmp_path, [tag_timeline(), mastodon_search(), mastodon_mentions()]) as played:
        collect(ctx, sources)  # X stays paused: no request to X at all
    assert all("twitter.com" not in r.uri for r in played.requests)
    engine.dispose()
