"""Reddit source against recorded PRAW/prawcore traffic (tests/fixtures/reddit)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest

from monitor.rules import parse_rules
from monitor.sources import SOURCES, Reply, SourceError
from monitor.sources.reddit import RedditSource, ratelimit_seconds
from tests.recorded import answer, load, pick, query, replay, with_status

RULES = """
brands:
  - name: PRAW
    keywords: [praw oauth search]
sources:
  reddit: {subreddits: [kakapo]}
"""
ENV = {
    "REDDIT_CLIENT_ID": "id",
    "REDDIT_CLIENT_SECRET": "secret",
    "REDDIT_USERNAME": "<USERNAME>",
    "REDDIT_PASSWORD": "pw",
}
OAUTH = "https://oauth.reddit.com"
STREAM = "reddit/TestSubredditStreams.test_comments__with_pause.json"
COMMENTS = f"{OAUTH}/r/kakapo/comments/"


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """PRAW's stream back-off and prawcore's retry waits must not really sleep."""
    slept: list[float] = []
    monkeypatch.setattr("time.sleep", slept.append)
    return slept


def make_source() -> RedditSource:
    rules = parse_rules(RULES)
    return RedditSource(rules.sources["reddit"], rules, ENV)


def token() -> dict[str, Any]:
    return pick(STREAM, "POST", "/api/v1/access_token")


def comments(nth: int) -> dict[str, Any]:
    """The recorded r/kakapo polls: 0 = 16 comments, 1 = nothing new, 2 = 17 (one new)."""
    return pick(STREAM, "GET", "/r/kakapo/comments/", nth)


def empty(uri: str) -> dict[str, Any]:
    return answer(comments(1), "GET", uri)


def other_streams() -> list[dict[str, Any]]:
    """Submissions (nothing), search across Reddit (6 results), inbox mentions (16); each then pauses."""
    return [
        empty(f"{OAUTH}/r/kakapo/new"),
        pick("reddit/TestSubreddit.test_search.json", "GET", "/r/all/search/"),
        empty(f"{OAUTH}/r/all/search/"),
        pick("reddit/TestInbox.test_mentions.json", "GET", "/message/mentions"),
        empty(f"{OAUTH}/message/mentions"),  # the recorded page names a next page (`after`)
        empty(f"{OAUTH}/message/mentions"),
    ]


def test_registered() -> None:
    assert SOURCES["reddit"] is RedditSource


def test_streams_search_and_mentions_then_pause(tmp_path: Path) -> None:
    source = make_source()
    with replay(tmp_path, [token(), comments(0), comments(1), *other_streams()]) as played:
        batch = source.collect({})
    kinds = [m.raw["via"] for m in batch.mentions]
    assert kinds.count("comments:kakapo") == 16 and kinds.count("search:praw oauth search") == 6
    assert kinds.count("mentions") == 16 and batch.reads == 38
    assert batch.checkpoint["comments:kakapo"] == "t1_dgauydy"  # the newest comment read
    first = next(m for m in batch.mentions if m.raw["via"] == "comments:kakapo")
    assert (
        first.platform == "reddit"
        and first.external_id.startswith("t1_")
        and first.thread_id.startswith("t3_")
    )
    assert first.url.startswith("https://www.reddit.com/r/kakapo/comments/") and first.text
    search = next(r for r in played.requests if "/search/" in r.uri)
    assert query(search)["q"] == ["praw oauth search"] and query(search)["sort"] == ["new"]


def test_next_poll_reads_only_new_items(tmp_path: Path) -> None:
    source = make_source()
    with replay(tmp_path, [token(), comments(0), comments(1), *other_streams()]):
        first = source.collect({})
    second_round = [
        comments(2),
        empty(COMMENTS),
        empty(f"{OAUTH}/r/kakapo/new"),
        empty(f"{OAUTH}/r/all/search/"),
        empty(f"{OAUTH}/message/mentions"),
    ]
    with replay(tmp_path, second_round):
        batch = source.collect(first.checkpoint)
    assert [m.external_id for m in batch.mentions] == ["t1_dgd9bcm"]  # PRAW's seen-set drops the rest


def test_restart_in_the_middle_of_a_stream_continues_after_checkpoint(tmp_path: Path) -> None:
    """A new process resumes each stream after the stored fullname: nothing skipped, nothing twice."""
    with replay(tmp_path, [token(), comments(0), comments(1), *other_streams()]):
        checkpoint = make_source().collect({}).checkpoint
    restarted = make_source()
    with replay(
        tmp_path,
        [
            token(),
            comments(2),
            empty(COMMENTS),
            empty(f"{OAUTH}/r/kakapo/new"),
            empty(f"{OAUTH}/r/all/search/"),
            empty(f"{OAUTH}/message/mentions"),
        ],
    ) as played:
        batch = restarted.collect(checkpoint)
    assert [m.external_id for m in batch.mentions] == ["t1_dgd9bcm"]
    assert query(played.requests[1])["before"] == ["t1_dgauydy"]
    assert batch.checkpoint["comments:kakapo"] == "t1_dgd9bcm"


def test_rate_limited_429_pauses_with_retry_after(tmp_path: Path) -> None:
    limited = pick(
        "reddit/TestSession.test_request__too__many_requests__with_retry_headers.json", "GET", "/me"
    )
    source = make_source()
    with replay(tmp_path, [token(), answer(limited, "GET", COMMENTS)]), pytest.raises(SourceError) as err:
        source.collect({})
    assert err.value.retry_after == 4 and not err.value.permanent


def test_server_errors_mid_stream_are_retried_then_recorded(tmp_path: Path, no_sleep: list[float]) -> None:
    """Three recorded 503s (prawcore's own retries), then the stream's back-off, then a good poll."""
    unavailable = [
        answer(i, "GET", COMMENTS)
        for i in load("reddit/TestSession.test_request__service_unavailable.json")[1:]
    ]
    with replay(tmp_path, [token(), *unavailable, comments(0), comments(1), *other_streams()]):
        batch = make_source().collect({})
    assert batch.reads == 38 and batch.warnings == ["Reddit server error (HTTP 503); will retry (recovered)"]
    assert no_sleep  # back-off happened, without really sleeping


def test_server_errors_that_persist_fail_the_poll(tmp_path: Path) -> None:
    unavailable = [
        answer(i, "GET", COMMENTS)
        for i in load("reddit/TestSession.test_request__service_unavailable.json")[1:]
    ] * 3
    source = make_source()
    with replay(tmp_path, [token(), *unavailable]), pytest.raises(SourceError) as err:
        source.collect({})
    assert "503" in str(err.value) and not err.value.permanent
    assert source._streams == {}  # rebuilt from the stored checkpoint next time


def test_expired_token_is_renewed_and_the_poll_goes_on(tmp_path: Path) -> None:
    """A 401 on a poll makes prawcore fetch a new token and retry the request once."""
    expired = pick(
        "reddit/TestSession.test_request__with_invalid_access_token.json", "GET", "oauth.reddit.com/"
    )
    with replay(
        tmp_path,
        [token(), answer(expired, "GET", COMMENTS), token(), comments(0), comments(1), *other_streams()],
    ) as played:
        batch = make_source().collect({})
    assert batch.reads == 38
    assert sum("access_token" in r.uri for r in played.requests) == 2


def test_wrong_password_disables_with_clear_message(tmp_path: Path) -> None:
    bad = load("reddit/TestScriptAuthorizer.test_refresh__with_invalid_username_or_password.json")
    with replay(tmp_path, bad), pytest.raises(SourceError) as err:
        make_source().collect({})
    assert err.value.permanent and "REDDIT_PASSWORD" in str(err.value)


def reply(**kw: Any) -> Reply:
    fields = {
        "idempotency_key": "k1",
        "text": "Comment reply",
        "in_reply_to": "t1_d1616q2",
        "thread_id": "t3_4b1tfm",
        "author_handle": "someone",
        **kw,
    }
    return Reply(**fields)


def test_reply_accepted(tmp_path: Path) -> None:
    with replay(tmp_path, load("reddit/TestComment.test_reply.json")) as played:
        posted = make_source().post(reply())
    assert posted.external_id == "t1_d1680wu" and posted.url.startswith("https://www.reddit.com/")
    sent = parse_qs(played.requests[1].body.decode())
    assert sent["thing_id"] == ["t1_d1616q2"] and sent["text"] == ["Comment reply"]


def test_reply_that_creates_nothing_is_a_permanent_failure(tmp_path: Path) -> None:
    with (
        replay(tmp_path, load("reddit/TestSubmission.test_reply__none.json")),
        pytest.raises(SourceError) as err,
    ):
        make_source().post(reply(in_reply_to="t3_4b1tfm"))
    assert err.value.permanent


def test_reply_rejected_by_api_error(tmp_path: Path) -> None:
    """Reddit's error envelope (here USER_REQUIRED) is a refusal, not something to retry."""
    refused = pick("reddit/TestObjector.test_raise_api_exception.json", "POST", "/api/approve/")
    with (
        replay(tmp_path, [token(), answer(refused, "POST", f"{OAUTH}/api/comment/")]),
        pytest.raises(SourceError) as err,
    ):
        make_source().post(reply())
    assert err.value.permanent and "USER_REQUIRED" in str(err.value)


def test_reply_rate_limited_waits_the_named_time() -> None:
    assert ratelimit_seconds("Looks like you've been doing that a lot. Take a break for 7 minutes") == 420
    assert ratelimit_seconds("you are doing that too much. try again in 45 seconds.") == 45
    assert ratelimit_seconds("Take a break for 500 milliseconds before trying again.") == 0.5


def test_find_posted_looks_in_the_thread(tmp_path: Path) -> None:
    """Crash recovery: the recorded thread has no comment by our account, so the reply was not posted."""
    thread = pick("reddit/TestSubreddit.test_submit__selftext.json", "GET", "/comments/4bbe4b/")
    with replay(tmp_path, [token(), thread]):
        assert make_source().find_posted(reply(in_reply_to="t3_4bbe4b")) is None


def test_inbox_mentions_get_url_and_thread_from_context(tmp_path: Path) -> None:
    with replay(tmp_path, [token(), comments(0), comments(1), *other_streams()]):
        batch = make_source().collect({})
    inbox = [m for m in batch.mentions if m.raw["via"] == "mentions"]
    first = next(m for m in inbox if m.external_id == "t1_ekftbox")
    assert first.url == ("https://www.reddit.com/r/RemovedByBotter/comments/bb24k7/"
                         "just_a_normal_girl_going_for_her_10th_class_exam/ekftbox/")
    assert first.thread_id == "t3_bb24k7" and first.in_reply_to == "t3_bb24k7"
    assert all(m.thread_id.startswith("t3_") and "/comments//" not in m.url for m in inbox)


def test_429_on_the_token_endpoint_pauses_the_source(tmp_path: Path) -> None:
    limited = with_status(token(), 429, "Too Many Requests")
    limited["response"]["headers"]["retry-after"] = ["30"]
    with replay(tmp_path, [limited]) as played, pytest.raises(SourceError) as err:
        make_source().collect({})
    assert err.value.retry_after == 30 and not err.value.permanent and "login endpoint" in str(err.value)
    assert len(played.requests) == 1  # asked once, not retried within the poll
