"""Bluesky source: app.bsky.feed.searchPosts polling with a cursor, replies with root + parent refs."""

from __future__ import annotations

import hashlib
import logging
import time
from typing import Any

from atproto import Client, models
from atproto_client import exceptions as at_errors

from monitor.mention import Mention, time_or_now
from monitor.sources.base import Batch, Posted, Reply, Source, SourceError, maybe_sent
from monitor.sources.options import BlueskyOptions
from monitor.textlength import grapheme_length

log = logging.getLogger(__name__)
PAGE = 100  # the API's largest page
MAX_PAGES = 5  # per query and poll; the rest waits for the next poll via the stored cursor
TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
POST = "app.bsky.feed.post"


def record_key(idempotency_key: str) -> str:
    """A record key (TID syntax) derived from the idempotency key, so a retry names the same record."""
    number = int.from_bytes(hashlib.sha256(idempotency_key.encode()).digest()[:8], "big") >> 1
    return "".join(TID_ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(13)))


def post_to_mention(post: dict[str, Any], via: str) -> Mention:
    """Normalise an app.bsky.feed.defs#postView into a Mention."""
    record, author = post.get("record") or {}, post.get("author") or {}
    reply = record.get("reply") or {}
    handle, rkey = str(author.get("handle", "")), str(post["uri"]).rsplit("/", 1)[-1]
    created = str(record.get("createdAt") or post.get("indexedAt") or "")
    return Mention(
        platform="bluesky",
        external_id=str(post["uri"]),
        text=str(record.get("text", "")),
        author_handle=handle,
        author_id=str(author.get("did", "")),
        author_name=str(author.get("displayName") or ""),
        created_at=time_or_now(created),
        url=f"https://bsky.app/profile/{handle}/post/{rkey}",
        language=str((record.get("langs") or [""])[0]),
        in_reply_to=str((reply.get("parent") or {}).get("uri", "")),
        thread_id=str((reply.get("root") or {}).get("uri", "") or post["uri"]),
        raw={"via": via, "cid": post.get("cid", ""), "indexedAt": post.get("indexedAt", "")},
    )


def source_error(exc: Exception) -> SourceError:
    """Translate an atproto failure into a SourceError with the right retry advice."""
    response = getattr(exc, "response", None)
    headers = {k.lower(): v for k, v in (getattr(response, "headers", None) or {}).items()}
    if isinstance(exc, at_errors.RateLimitExceededError):
        reset = headers.get("ratelimit-reset")
        wait = max(1.0, float(reset) - time.time()) if reset else 300.0
        return SourceError(f"Bluesky rate limit reached; paused for {wait:.0f} s", retry_after=wait)
    if isinstance(exc, at_errors.UnauthorizedError):
        return SourceError(f"Bluesky refused the session ({exc}); will log in again")
    if isinstance(exc, at_errors.BadRequestError):
        if "ExpiredToken" in str(exc) or "AuthenticationRequired" in str(exc):
            return SourceError(f"Bluesky session expired ({exc}); will log in again")
        return SourceError(f"Bluesky rejected the request: {exc}", permanent=True)
    status = getattr(response, "status_code", None)
    return SourceError(f"Bluesky unavailable ({status or type(exc).__name__}); will retry")


class BlueskySource(Source):
    """Collect posts matching the brand queries; reply in the thread."""

    name = "bluesky"
    options = BlueskyOptions
    config: BlueskyOptions
    supports_private_reply = False  # Bluesky DMs live in a separate chat service; not offered
    credentials = ("BLUESKY_HANDLE", "BLUESKY_APP_PASSWORD")
    trusted_hosts = ("bsky.app",)
    max_length = 300
    count_length = staticmethod(grapheme_length)  # type: ignore[assignment]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._client: Client | None = None

    @property
    def client(self) -> Client:
        """A logged-in client, created on first use and again after the session was refused."""
        if self._client is None:
            client = Client(base_url=self.env.get("BLUESKY_SERVICE") or None)
            try:
                client.login(self.env.get("BLUESKY_HANDLE"), self.env.get("BLUESKY_APP_PASSWORD"))
            except at_errors.UnauthorizedError as exc:
                raise SourceError(
                    f"Bluesky login failed ({exc}): check BLUESKY_HANDLE and "
                    "BLUESKY_APP_PASSWORD (an app password, not the account password)",
                    permanent=True,
                ) from None
            self._client = client
        return self._client

    def _call(self, func: Any, *args: Any, **kwargs: Any) -> Any:
        """Run one API call; a refused session makes the next call log in again."""
        try:
            return func(*args, **kwargs)
        except at_errors.AtProtocolError as exc:
            err = source_error(exc)
            if "log in again" in str(err):
                self._client = None
            raise err from None

    def collect(self, checkpoint: dict[str, Any]) -> Batch:
        """Search each query, newest first, paging with the cursor down to the last post already read."""
        batch = Batch([], dict(checkpoint))
        for query in self.queries():
            try:
                self._search(batch, query)
            except SourceError as exc:
                if exc.permanent or exc.retry_after or not batch.mentions:
                    raise
                batch.warnings.append(f"search {query!r}: {exc}")
        return batch

    def _search(self, batch: Batch, query: str) -> None:
        key = f"search:{query}"
        state = dict(batch.checkpoint.get(key) or {})
        for _ in range(MAX_PAGES):
            params = {
                "q": query,
                "sort": "latest",
                "limit": PAGE,
                "since": state.get("since"),
                "cursor": state.get("cursor"),
            }
            page = self._call(
                self.client.app.bsky.feed.search_posts, params={k: v for k, v in params.items() if v}
            )
            posts = [p.model_dump(by_alias=True, exclude_none=True) for p in page.posts]
            batch.mentions += [post_to_mention(p, key) for p in posts]
            batch.reads += len(posts)
            newest = max([str(p.get("indexedAt", "")) for p in posts] + [state.get("newest") or ""])
            state.update(newest=newest or None, cursor=page.cursor if posts else None)
            if not state["cursor"]:  # reached what we had: the newest post read is the next `since`
                state = {"since": state.get("newest") or state.get("since")}
            batch.checkpoint[key] = state
            if "cursor" not in state:
                return

    def _strong_refs(self, parent_uri: str) -> models.AppBskyFeedPost.ReplyRef:
        """Root and parent references (uri + cid) of the post we answer, from its thread view."""
        thread = self._call(
            self.client.app.bsky.feed.get_post_thread,
            params={"uri": parent_uri, "depth": 0, "parentHeight": 0},
        )
        post = thread.thread.post
        parent = models.ComAtprotoRepoStrongRef.Main(uri=post.uri, cid=post.cid)
        root = getattr(post.record, "reply", None)
        return models.AppBskyFeedPost.ReplyRef(parent=parent, root=root.root if root else parent)

    def post(self, reply: Reply) -> Posted:
        """Create the reply under a record key derived from the idempotency key (a retry cannot duplicate)."""
        if reply.private:
            raise SourceError("Bluesky: private replies are not supported; reply publicly", permanent=True)
        record = models.AppBskyFeedPost.Record(
            text=reply.text,
            created_at=self.client.get_current_time_iso(),
            reply=self._strong_refs(reply.in_reply_to),
        )
        data = models.ComAtprotoRepoCreateRecord.Data(
            repo=self.did(), collection=POST, rkey=record_key(reply.idempotency_key), record=record
        )
        try:
            created = self._call(self.client.com.atproto.repo.create_record, data)
        except SourceError as err:
            err.unknown = maybe_sent(err.__context__)  # a timeout after sending: ask for our record first
            raise
        return self._posted(created.uri)

    def did(self) -> str:
        """The account's DID, known after login."""
        me = self.client.me
        if me is None:
            raise SourceError("Bluesky: logged in, but the profile lookup returned nothing")
        return str(me.did)

    def _posted(self, uri: str) -> Posted:
        handle = self.env.get("BLUESKY_HANDLE", "")
        return Posted(external_id=uri, url=f"https://bsky.app/profile/{handle}/post/{uri.rsplit('/', 1)[-1]}")

    def find_posted(self, reply: Reply) -> Posted | None:
        """Ask for the record under our derived key: present means the earlier attempt was posted."""
        params = {"repo": self.did(), "collection": POST, "rkey": record_key(reply.idempotency_key)}
        try:
            found = self.client.com.atproto.repo.get_record(params=params)
        except at_errors.BadRequestError as exc:
            if "RecordNotFound" in str(exc):
                return None
            raise source_error(exc) from None
        except at_errors.AtProtocolError as exc:
            raise source_error(exc) from None
        return self._posted(found.uri)
