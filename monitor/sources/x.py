"""X (Twitter) source: recent search and the brand's mentions timeline via tweepy's API v2 Client."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import requests
import tweepy

from monitor.mention import Mention, time_or_now
from monitor.sources.base import Batch, Posted, Reply, Source, SourceError, maybe_sent
from monitor.sources.options import XOptions
from monitor.textlength import x_length

log = logging.getLogger(__name__)
TWEET_FIELDS = [
    "author_id",
    "created_at",
    "lang",
    "conversation_id",
    "in_reply_to_user_id",
    "referenced_tweets",
    "public_metrics",
    "entities",
]
USER_FIELDS = ["name", "username", "public_metrics"]
PAGE_SIZE = 100
MAX_PAGES = 5  # per stream and poll; the rest waits for the next poll via the stored next_token


def tweet_to_mention(tweet: dict[str, Any], users: dict[str, dict[str, Any]], via: str) -> Mention:
    """Normalise one API v2 tweet (plus its expanded author) into a Mention."""
    author = users.get(str(tweet.get("author_id", "")), {})
    handle = str(author.get("username", ""))
    created = tweet.get("created_at")
    return Mention(
        platform="x",
        external_id=str(tweet["id"]),
        text=str(tweet.get("text", "")),
        author_handle=handle,
        author_id=str(tweet.get("author_id", "")),
        author_name=str(author.get("name", "")),
        author_followers=int((author.get("public_metrics") or {}).get("followers_count", 0)),
        created_at=time_or_now(created),
        url=f"https://x.com/{handle or 'i'}/status/{tweet['id']}",
        language=str(tweet.get("lang", "")),
        in_reply_to=next(
            (r["id"] for r in tweet.get("referenced_tweets") or [] if r.get("type") == "replied_to"), ""
        ),
        thread_id=str(tweet.get("conversation_id", "")),
        raw={**tweet, "via": via},
    )


def source_error(exc: Exception, now: datetime | None = None) -> SourceError:
    """Translate a tweepy/requests failure into a SourceError with the right retry advice."""
    if isinstance(exc, tweepy.TooManyRequests):
        reset = exc.response.headers.get("x-rate-limit-reset")
        now_ts = (now or datetime.now(UTC)).timestamp()
        wait = max(1.0, float(reset) - now_ts) if reset else 900.0
        return SourceError(f"X rate limit reached; paused for {wait:.0f} s", retry_after=wait)
    if isinstance(exc, tweepy.Unauthorized):
        return SourceError(
            "X rejected the credentials (HTTP 401): renew X_BEARER_TOKEN / access tokens", permanent=True
        )
    if isinstance(exc, tweepy.Forbidden):
        return SourceError(f"X refused the request (HTTP 403): {exc}", permanent=True)
    if isinstance(exc, tweepy.BadRequest):
        return SourceError(f"X rejected the request (HTTP 400): {exc}", permanent=True)
    if isinstance(exc, tweepy.TwitterServerError):
        return SourceError(f"X server error (HTTP {exc.response.status_code}); will retry")
    return SourceError(f"X unreachable: {type(exc).__name__}")


class XSource(Source):
    """Collect brand mentions from X and post replies or direct messages."""

    name = "x"
    options = XOptions
    config: XOptions
    supports_private_reply = True
    credentials = ("X_BEARER_TOKEN", "X_API_KEY", "X_API_SECRET", "X_ACCESS_TOKEN", "X_ACCESS_TOKEN_SECRET")
    clock: Callable[[], datetime] = staticmethod(lambda: datetime.now(UTC))
    trusted_hosts = ("x.com", "twitter.com")
    max_length = 280
    count_length = staticmethod(x_length)  # type: ignore[assignment]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._client: tweepy.Client | None = None
        self._user_id = ""

    @property
    def client(self) -> tweepy.Client:
        """The tweepy client, built on first use (never at import or construction)."""
        if self._client is None:
            e = self.env
            self._client = tweepy.Client(
                bearer_token=e.get("X_BEARER_TOKEN"),
                consumer_key=e.get("X_API_KEY"),
                consumer_secret=e.get("X_API_SECRET"),
                access_token=e.get("X_ACCESS_TOKEN"),
                access_token_secret=e.get("X_ACCESS_TOKEN_SECRET"),
                wait_on_rate_limit=False,
            )
        return self._client

    def handle(self) -> str:
        """The brand's own X handle from rules.yaml (without @)."""
        return next((b.handles["x"].lstrip("@") for b in self.rules.brands if "x" in b.handles), "")

    def user_id(self, checkpoint: dict[str, Any]) -> str:
        """The brand account's user id, looked up once and kept in the checkpoint."""
        self._user_id = self._user_id or str(checkpoint.get("user_id", ""))
        if not self._user_id and self.handle():
            user = self.client.get_user(username=self.handle())
            self._user_id = str(user.data.id) if user.data else ""
        checkpoint["user_id"] = self._user_id
        return self._user_id

    def collect(self, checkpoint: dict[str, Any]) -> Batch:
        """Read every query and the mentions timeline, newest-first pages, within today's budget."""
        cp = dict(checkpoint)
        day = self.clock().date().isoformat()
        if cp.get("budget_day") != day:
            cp["budget_day"], cp["budget_used"] = day, 0
        batch = Batch([], cp)
        try:
            for query in self.queries():
                self._stream(batch, f"search:{query}", self.client.search_recent_tweets, query=query)
            uid = self.user_id(cp) if not self._spent(batch) else ""
            if uid:
                self._stream(batch, "mentions", self.client.get_users_mentions, id=uid)
        except (tweepy.TweepyException, requests.RequestException) as exc:
            if not batch.mentions:
                raise source_error(exc, self.clock()) from None
            # Keep what was read: the checkpoint only covers finished pages.
            batch.warnings.append(str(source_error(exc, self.clock())))
        batch.budget_used, batch.budget_day = int(cp["budget_used"]), day
        return batch

    def _budget_left(self, cp: dict[str, Any]) -> int | None:
        limit = self.config.daily_read_budget
        return None if not limit else max(0, limit - int(cp.get("budget_used", 0)))

    def _spent(self, batch: Batch) -> bool:
        """Whether today's read budget is spent (the API's smallest page is 10 posts); warn once if so."""
        left = self._budget_left(batch.checkpoint)
        if left is None or left >= 10:
            return False
        msg = f"X daily read budget of {self.config.daily_read_budget} posts spent; reading resumes tomorrow"
        if msg not in batch.warnings:
            batch.warnings.append(msg)
            log.warning("x: %s", msg)
        return True

    def _stream(self, batch: Batch, key: str, call: Callable[..., Any], **kwargs: Any) -> None:
        """Page through one stream newer than its since_id; remember where a cut-short run stopped."""
        state = dict(batch.checkpoint.get(key) or {})
        for _ in range(MAX_PAGES):
            if self._spent(batch):
                break
            left = self._budget_left(batch.checkpoint)
            page = self._page(call, state, kwargs, min(PAGE_SIZE, left or PAGE_SIZE))
            users = {str(u["id"]): dict(u.data) for u in (page.includes or {}).get("users", [])}
            tweets = [dict(t.data) for t in page.data or []]
            batch.mentions += [tweet_to_mention(t, users, key) for t in tweets]
            batch.reads += len(tweets)
            batch.checkpoint["budget_used"] = int(batch.checkpoint.get("budget_used", 0)) + len(tweets)
            meta = page.meta or {}
            state.setdefault("newest_id", meta.get("newest_id"))
            state["next_token"] = meta.get("next_token")
            batch.checkpoint[key] = self._resolved(state)
            if not state["next_token"]:
                break

    @staticmethod
    def _resolved(state: dict[str, Any]) -> dict[str, Any]:
        """Once the last page is read, the newest id seen becomes the new since_id."""
        if state.get("next_token"):
            return dict(state)
        return {"since_id": state.get("newest_id") or state.get("since_id")}

    @staticmethod
    def _page(call: Callable[..., Any], state: dict[str, Any], kwargs: dict[str, Any], size: int) -> Any:
        params: dict[str, Any] = {
            **kwargs,
            "max_results": max(10, size),
            "tweet_fields": TWEET_FIELDS,
            "expansions": ["author_id"],
            "user_fields": USER_FIELDS,
        }
        if state.get("since_id"):
            params["since_id"] = state["since_id"]
        if state.get("next_token"):
            token_name = "next_token" if call.__name__ == "search_recent_tweets" else "pagination_token"
            params[token_name] = state["next_token"]
        return call(**params)

    def can_reply_publicly(self, mention: dict[str, Any]) -> bool:
        """X (since Feb 2026) only allows replies to posts whose author mentioned or quoted the brand."""
        raw = mention.get("raw", mention)
        if raw.get("via") == "mentions":
            return True
        handle = self.handle().lower()
        names = {str(m.get("username", "")).lower() for m in (raw.get("entities") or {}).get("mentions", [])}
        if handle and (
            handle in names or re.search(rf"@{re.escape(handle)}\b", str(raw.get("text", "")).lower())
        ):
            return True
        return any(r.get("type") == "quoted" for r in raw.get("referenced_tweets") or [])

    def post(self, reply: Reply) -> Posted:
        """Reply in the thread, or send a direct message for a private reply."""
        try:
            if reply.private:
                if not reply.author_id:
                    raise SourceError("X direct message needs the author's user id", permanent=True)
                resp = self.client.create_direct_message(participant_id=reply.author_id, text=reply.text)
                return Posted(external_id=str(resp.data["dm_event_id"]))
            resp = self.client.create_tweet(text=reply.text, in_reply_to_tweet_id=reply.in_reply_to)
        except tweepy.Forbidden as exc:
            raise SourceError(
                f"X refused the reply (HTTP 403): {exc}. If the author did not mention or quote "
                "the brand, send a private reply instead",
                permanent=True,
            ) from None
        except (tweepy.TweepyException, requests.RequestException) as exc:
            err = source_error(exc, self.clock())
            err.unknown = maybe_sent(exc)  # a timeout after sending: X may have the reply; look before retrying
            raise err from None
        tweet_id = str(resp.data["id"])
        return Posted(external_id=tweet_id, url=f"https://x.com/{self.handle() or 'i'}/status/{tweet_id}")

    def find_posted(self, reply: Reply) -> Posted | None:
        """X has no idempotency key: look for our own reply (or DM) with the same text."""
        try:
            if reply.private:
                events = self.client.get_direct_message_events(
                    participant_id=reply.author_id, dm_event_fields=["text", "sender_id"]
                )
                found = [e for e in events.data or [] if same_text(e.text, reply.text)]
                return Posted(external_id=str(found[0].id)) if found else None
            uid = self.user_id({})
            tweets = self.client.get_users_tweets(
                id=uid, since_id=reply.in_reply_to, max_results=100, tweet_fields=["referenced_tweets"]
            )
        except (tweepy.TweepyException, requests.RequestException) as exc:
            raise source_error(exc, self.clock()) from None
        for tweet in tweets.data or []:
            refs = {
                str(r["id"]) for r in tweet.data.get("referenced_tweets") or [] if r["type"] == "replied_to"
            }
            if reply.in_reply_to in refs and same_text(tweet.text, reply.text):
                return Posted(
                    external_id=str(tweet.id), url=f"https://x.com/{self.handle() or 'i'}/status/{tweet.id}"
                )
        return None


def same_text(posted: str, ours: str) -> bool:
    """Compare texts the way X stores them: links become t.co links, whitespace may change."""

    def norm(s: str) -> str:
        return " ".join(re.sub(r"https?://\S+", "", s).split())

    return norm(posted) == norm(ours)
