"""Bluesky source against recorded XRPC bodies (tests/fixtures/bluesky) served by a local HTTP server."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from monitor.rules import parse_rules
from monitor.sources import SOURCES, Reply, SourceError
from monitor.sources.bluesky import BlueskySource, record_key

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "bluesky"
RULES = """
brands:
  - name: Python SDK
    keywords: [atproto]
sources:
  bluesky: {}
"""


def recorded(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def thread() -> dict[str, Any]:
    return recorded("thread_view_post_with_embed_media.json")


def search_page(cursor: str | None) -> dict[str, Any]:
    """searchPosts was never recorded: its `posts` are postViews, so the recorded postView fills it."""
    page: dict[str, Any] = {"posts": [thread()["thread"]["post"]]}
    return {**page, "cursor": cursor} if cursor else page


def session() -> dict[str, Any]:
    """createSession was never recorded either: the smallest valid answer (did and handle recorded)."""
    profile = recorded("get_follows.json")["subject"]

    def jwt(scope: str) -> str:
        part = (
            base64.urlsafe_b64encode(
                json.dumps({"scope": scope, "sub": profile["did"], "exp": 4102444800}).encode()
            )
            .decode()
            .rstrip("=")
        )
        return f"eyJhbGciOiJIUzI1NiJ9.{part}.c2ln"

    return {
        "did": profile["did"],
        "handle": profile["handle"],
        "accessJwt": jwt("com.atproto.access"),
        "refreshJwt": jwt("com.atproto.refresh"),
    }


class Xrpc(ThreadingHTTPServer):
    """A local XRPC endpoint: answers queued per method name, in order; every request is kept."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.answers: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        self.seen: list[tuple[str, dict[str, list[str]], Any]] = []

    def queue(self, method: str, body: dict[str, Any], status: int = 200) -> None:
        self.answers.setdefault(method, []).append((status, body))

    def calls(self, method: str) -> list[tuple[str, dict[str, list[str]], Any]]:
        return [s for s in self.seen if s[0] == method]


class Handler(BaseHTTPRequestHandler):
    server: Xrpc

    def _answer(self) -> None:
        url = urlsplit(self.path)
        method = url.path.removeprefix("/xrpc/")
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length)) if length else None
        self.server.seen.append((method, parse_qs(url.query), body))
        queued = self.server.answers.get(method) or [(501, {"error": "MethodNotImplemented"})]
        status, payload = queued.pop(0) if len(queued) > 1 or method not in self.server.answers else queued[0]
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        if status == 429:
            self.send_header("ratelimit-reset", "4102444800")
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = _answer

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def xrpc() -> Iterator[Xrpc]:
    server = Xrpc()
    thread_ = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread_.start()
    server.queue("com.atproto.server.createSession", session())
    server.queue("app.bsky.actor.getProfile", recorded("get_follows.json")["subject"])
    yield server
    server.shutdown()
    server.server_close()


def make_source(xrpc: Xrpc) -> BlueskySource:
    rules = parse_rules(RULES)
    env = {
        "BLUESKY_HANDLE": "test.marshal.dev",
        "BLUESKY_APP_PASSWORD": "app-password",
        "BLUESKY_SERVICE": f"http://127.0.0.1:{xrpc.server_address[1]}/xrpc",
    }
    return BlueskySource(rules.sources["bluesky"], rules, env)


def test_registered() -> None:
    assert SOURCES["bluesky"] is BlueskySource and not BlueskySource.supports_private_reply


def test_search_pages_with_cursor_then_resumes_since_newest(xrpc: Xrpc) -> None:
    xrpc.queue("app.bsky.feed.searchPosts", search_page("page-2"))
    xrpc.queue("app.bsky.feed.searchPosts", {"posts": []})
    source = make_source(xrpc)
    batch = source.collect({})
    post = thread()["thread"]["post"]
    assert batch.reads == 1 and batch.mentions[0].external_id == post["uri"]
    m = batch.mentions[0]
    assert m.author_handle == "test.marshal.dev" and m.author_name == "Python SDK" and m.language == "en"
    assert m.url == "https://bsky.app/profile/test.marshal.dev/post/3kaheyt6vpc22"
    assert m.text == post["record"]["text"]  # a media post: the recording's text is empty
    searches = xrpc.calls("app.bsky.feed.searchPosts")
    assert searches[0][1]["q"] == ["atproto"] and searches[0][1]["sort"] == ["latest"]
    assert searches[1][1]["cursor"] == ["page-2"]
    assert batch.checkpoint == {"search:atproto": {"since": post["indexedAt"]}}
    # A restarted source asks only for posts since the newest one it stored.
    make_source(xrpc).collect(batch.checkpoint)
    assert xrpc.calls("app.bsky.feed.searchPosts")[2][1]["since"] == [post["indexedAt"]]


def test_page_cap_keeps_the_cursor_for_next_poll(xrpc: Xrpc, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("monitor.sources.bluesky.MAX_PAGES", 1)
    xrpc.queue("app.bsky.feed.searchPosts", search_page("page-2"))
    batch = make_source(xrpc).collect({})
    assert batch.checkpoint["search:atproto"]["cursor"] == "page-2"


def test_rate_limit_pauses(xrpc: Xrpc) -> None:
    xrpc.queue(
        "app.bsky.feed.searchPosts", {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"}, 429
    )
    with pytest.raises(SourceError) as err:
        make_source(xrpc).collect({})
    assert err.value.retry_after and err.value.retry_after > 1000


def test_server_error_is_retried_later(xrpc: Xrpc) -> None:
    xrpc.queue(
        "app.bsky.feed.searchPosts", {"error": "InternalServerError", "message": "Internal Server Error"}, 500
    )
    with pytest.raises(SourceError) as err:
        make_source(xrpc).collect({})
    assert not err.value.permanent and "500" in str(err.value)


def test_expired_token_logs_in_again(xrpc: Xrpc) -> None:
    xrpc.queue("app.bsky.feed.searchPosts", {"error": "ExpiredToken", "message": "Token has expired"}, 400)
    xrpc.queue("app.bsky.feed.searchPosts", {"posts": []})
    source = make_source(xrpc)
    with pytest.raises(SourceError) as err:
        source.collect({})
    assert not err.value.permanent
    source.collect({})
    assert len(xrpc.calls("com.atproto.server.createSession")) == 2


def test_wrong_app_password_is_permanent(xrpc: Xrpc) -> None:
    xrpc.answers["com.atproto.server.createSession"] = [
        (401, {"error": "AuthenticationRequired", "message": "Invalid identifier or password"})
    ]
    with pytest.raises(SourceError) as err:
        make_source(xrpc).collect({})
    assert err.value.permanent and "BLUESKY_APP_PASSWORD" in str(err.value)


def reply(**kw: Any) -> Reply:
    uri = thread()["thread"]["post"]["uri"]
    fields = {
        "idempotency_key": "key-1",
        "text": "Thanks!",
        "in_reply_to": uri,
        "thread_id": uri,
        "author_handle": "test.marshal.dev",
        **kw,
    }
    return Reply(**fields)


def test_reply_carries_root_and_parent_and_a_stable_record_key(xrpc: Xrpc) -> None:
    xrpc.queue("app.bsky.feed.getPostThread", thread())
    made = recorded("post_record.json")
    xrpc.queue("com.atproto.repo.createRecord", {"uri": made["uri"], "cid": made["cid"]})
    posted = make_source(xrpc).post(reply())
    assert posted.external_id == made["uri"]
    body = xrpc.calls("com.atproto.repo.createRecord")[0][2]
    post = thread()["thread"]["post"]
    ref = {"uri": post["uri"], "cid": post["cid"], "$type": "com.atproto.repo.strongRef"}
    assert body["record"]["reply"]["root"] == ref and body["record"]["reply"]["parent"] == ref
    assert body["rkey"] == record_key("key-1") and body["collection"] == "app.bsky.feed.post"
    assert body["repo"] == post["author"]["did"]


def test_reply_rejected(xrpc: Xrpc) -> None:
    xrpc.queue("app.bsky.feed.getPostThread", thread())
    xrpc.queue(
        "com.atproto.repo.createRecord",
        {"error": "InvalidRequest", "message": "Invalid app.bsky.feed.post record"},
        400,
    )
    with pytest.raises(SourceError) as err:
        make_source(xrpc).post(reply())
    assert err.value.permanent


def test_private_reply_is_refused(xrpc: Xrpc) -> None:
    with pytest.raises(SourceError) as err:
        make_source(xrpc).post(reply(private=True))
    assert err.value.permanent


def test_find_posted_by_record_key(xrpc: Xrpc) -> None:
    xrpc.queue("com.atproto.repo.getRecord", recorded("post_record.json"))
    found = make_source(xrpc).find_posted(reply())
    assert found is not None and found.external_id == recorded("post_record.json")["uri"]
    assert xrpc.calls("com.atproto.repo.getRecord")[0][1]["rkey"] == [record_key("key-1")]


def test_find_posted_says_not_posted(xrpc: Xrpc) -> None:
    xrpc.queue(
        "com.atproto.repo.getRecord", {"error": "RecordNotFound", "message": "Could not locate record"}, 400
    )
    assert make_source(xrpc).find_posted(reply()) is None


def test_record_key_is_valid_tid_syntax() -> None:
    import re

    key = record_key("any key")
    assert re.fullmatch(r"[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}", key)
    assert key == record_key("any key") != record_key("another key")
