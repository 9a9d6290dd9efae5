"""Reddit source: subreddit streams, search across Reddit and inbox mentions via PRAW's streams."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import praw
import prawcore
from praw.exceptions import PRAWException, RedditAPIException
from praw.models.util import stream_generator

from monitor.mention import Mention
from monitor.sources.base import Batch, Posted, Reply, Source, SourceError, maybe_sent
from monitor.sources.options import RedditOptions

log = logging.getLogger(__name__)
MAX_ITEMS = 500  # per stream and poll; the rest comes next poll, after the checkpoint
TRANSIENT_ERRORS_PER_POLL = 2  # server errors a stream retries (with PRAW's back-off) before giving up
UNITS = {"millisecond": 0.001, "second": 1, "minute": 60, "hour": 3600}


def item_to_mention(item: Any, via: str) -> Mention:
    """Normalise a PRAW Comment or Submission into a Mention without triggering lazy fetches."""
    data = vars(item)  # attribute access on a PRAW object may fetch it over the network
    is_comment = item.fullname.startswith("t1_")
    text = (
        data.get("body", "")
        if is_comment
        else "\n\n".join(p for p in (data.get("title", ""), data.get("selftext", "")) if p)
    )
    return Mention(
        platform="reddit",
        external_id=item.fullname,
        text=str(text),
        author_handle=str(data.get("author") or "[deleted]"),
        author_id=str(data.get("author_fullname", "")),
        created_at=datetime.fromtimestamp(float(data.get("created_utc", 0)), UTC),
        url=permalink(item),
        in_reply_to=str(data.get("parent_id", "")) if is_comment else "",
        thread_id=thread_of(data) if is_comment else item.fullname,
        raw={
            "via": via,
            "subreddit": str(data.get("subreddit", "")),
            **{
                k: v
                for k, v in data.items()
                if isinstance(v, str | int | float | bool) and not k.startswith("_")
            },
        },
    )


def thread_of(data: dict[str, Any]) -> str:
    """The submission a comment belongs to: `link_id`, or (inbox items carry only `context`) from its path."""
    if data.get("link_id"):
        return str(data["link_id"])
    found = re.match(r"/r/[^/]+/comments/([a-z0-9]+)/", str(data.get("context") or ""))
    return f"t3_{found.group(1)}" if found else ""


def permalink(item: Any) -> str:
    """The web address of a comment or submission, from listing data only (PRAW's property may fetch)."""
    data = vars(item)
    if data.get("permalink"):
        return "https://www.reddit.com" + str(data["permalink"])
    if data.get("context"):  # inbox items: "/r/sub/comments/<link>/<slug>/<id>/?context=3"
        return "https://www.reddit.com" + str(data["context"]).partition("?")[0]
    link = str(data.get("link_id", "")).partition("_")[2]
    return f"https://www.reddit.com/r/{data.get('subreddit', '')}/comments/{link}/_/{data.get('id', '')}/"


def id_number(fullname: str | None) -> int:
    """Reddit ids are base-36 counters: a larger id is a newer thing of the same kind."""
    return int(fullname.partition("_")[2], 36) if fullname else -1


def ratelimit_seconds(message: str) -> float:
    """Parse the wait Reddit names in a RATELIMIT error ("try again in 7 minutes")."""
    found = re.search(r"(\d+)\s*(millisecond|second|minute|hour)", message)
    return float(found.group(1)) * UNITS[found.group(2)] if found else 600.0


def source_error(exc: Exception) -> SourceError:
    """Translate a PRAW/prawcore failure into a SourceError with the right retry advice."""
    if isinstance(exc, SourceError):
        return exc
    if isinstance(exc, RedditAPIException):
        limited = [i for i in exc.items if i.error_type == "RATELIMIT"]
        if limited:
            wait = ratelimit_seconds(limited[0].message or "")
            return SourceError(f"Reddit RATELIMIT: wait {wait:.0f} s", retry_after=wait)
        return SourceError(f"Reddit refused: {exc}", permanent=True)
    if isinstance(exc, prawcore.TooManyRequests):
        return SourceError("Reddit rate limit (HTTP 429)", retry_after=float(exc.retry_after or 60))
    if isinstance(exc, prawcore.ResponseException) and exc.response.status_code == 429:
        # The token endpoint answers 429 as a plain ResponseException: pause, do not hammer it.
        retry = exc.response.headers.get("retry-after") or ""
        wait = float(retry) if retry.replace(".", "", 1).isdigit() else 60.0
        return SourceError("Reddit rate limit on the login endpoint (HTTP 429)", retry_after=wait)
    if isinstance(exc, prawcore.ServerError):
        return SourceError(f"Reddit server error (HTTP {exc.response.status_code}); will retry")
    if isinstance(exc, prawcore.OAuthException | prawcore.InvalidToken):
        return SourceError(
            f"Reddit rejected the login ({exc}): check REDDIT_USERNAME, REDDIT_PASSWORD "
            "and the app's REDDIT_CLIENT_ID/REDDIT_CLIENT_SECRET",
            permanent=True,
        )
    if isinstance(exc, prawcore.Forbidden | prawcore.NotFound):
        return SourceError(f"Reddit refused the request ({exc})", permanent=True)
    return SourceError(f"Reddit unreachable: {type(exc).__name__}: {exc}")


class RedditSource(Source):
    """Collect Reddit comments, submissions and mentions; reply in the thread or by private message."""

    name = "reddit"
    options = RedditOptions
    config: RedditOptions
    supports_private_reply = True
    credentials = ("REDDIT_CLIENT_ID", "REDDIT_CLIENT_SECRET", "REDDIT_USERNAME", "REDDIT_PASSWORD")
    trusted_hosts = ("reddit.com", "redd.it")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._reddit: praw.Reddit | None = None
        self._streams: dict[str, Iterator[Any]] = {}
        self._transient: list[str] = []

    @property
    def reddit(self) -> praw.Reddit:
        """The PRAW client, built on first use; PRAW never sleeps on RATELIMIT itself (we pause)."""
        if self._reddit is None:
            e = self.env
            agent = e.get("REDDIT_USER_AGENT") or f"repguard/0.1 (by u/{e.get('REDDIT_USERNAME')})"
            self._reddit = praw.Reddit(
                client_id=e.get("REDDIT_CLIENT_ID"),
                client_secret=e.get("REDDIT_CLIENT_SECRET"),
                username=e.get("REDDIT_USERNAME"),
                password=e.get("REDDIT_PASSWORD"),
                user_agent=agent,
                ratelimit_seconds=0,
                check_for_updates=False,
            )
        return self._reddit

    def stream_functions(self) -> dict[str, tuple[Callable[..., Any], dict[str, Any]]]:
        """Every listing this source follows, by checkpoint key."""
        r = self.reddit
        funcs: dict[str, tuple[Callable[..., Any], dict[str, Any]]] = {}
        for sub in self.config.subreddits:
            funcs[f"comments:{sub}"] = (r.subreddit(sub).comments, {})
            funcs[f"submissions:{sub}"] = (r.subreddit(sub).new, {})
        for q in self.queries():
            funcs[f"search:{q}"] = (
                r.subreddit("all").search,
                {"query": q, "sort": "new", "time_filter": "week"},
            )
        funcs["mentions"] = (r.inbox.mentions, {})
        return funcs

    def _stream(self, key: str, checkpoint: dict[str, Any]) -> Iterator[Any]:
        """The live stream for a key, resumed after the checkpointed item when we (re)start."""
        if key not in self._streams:
            func, kwargs = self.stream_functions()[key]
            # skip_existing stays off: after a restart, continue_after_id picks up right after the
            # last stored item, so what arrived while we were down is read, and nothing twice.
            self._streams[key] = stream_generator(
                func,
                pause_after=0,
                skip_existing=False,
                continue_after_id=checkpoint.get(key),
                exception_handler=self._on_stream_error,
                **kwargs,
            )
        return self._streams[key]

    def _on_stream_error(self, exc: Exception) -> None:
        """Let a stream retry a few server errors with PRAW's back-off; stop it on anything else."""
        err = source_error(exc)
        if err.permanent or err.retry_after or len(self._transient) >= TRANSIENT_ERRORS_PER_POLL:
            raise err
        self._transient.append(str(err))
        log.warning("reddit: %s", err)

    def collect(self, checkpoint: dict[str, Any]) -> Batch:
        """Drain every stream until it pauses; the checkpoint holds the newest fullname per stream."""
        batch = Batch([], dict(checkpoint))
        self._transient = []
        try:
            for key in self.stream_functions():
                self._drain(key, batch)
        except (PRAWException, prawcore.PrawcoreException, SourceError) as exc:
            self._streams.clear()  # a stream that raised is finished; rebuild from the stored checkpoint
            raise source_error(exc) from None
        batch.warnings += [f"{w} (recovered)" for w in self._transient]
        return batch

    def _drain(self, key: str, batch: Batch) -> None:
        """Read one stream until it pauses; items at or before the checkpoint are not read twice."""
        stream = self._stream(key, batch.checkpoint)
        after = id_number(batch.checkpoint.get(key))
        for _ in range(MAX_ITEMS):
            item = next(stream)
            if item is None:  # pause_after: nothing new right now
                return
            if id_number(item.fullname) <= after:
                continue
            batch.mentions.append(item_to_mention(item, key))
            batch.checkpoint[key] = item.fullname
            batch.reads += 1

    def _thing(self, fullname: str) -> Any:
        kind, _, ident = fullname.partition("_")
        return self.reddit.comment(id=ident) if kind == "t1" else self.reddit.submission(id=ident)

    def post(self, reply: Reply) -> Posted:
        """Reply under the comment or submission, or send the author a private message."""
        try:
            if reply.private:
                self.reddit.redditor(reply.author_handle).message(subject=self.subject(), message=reply.text)
                return Posted(external_id=f"pm:{reply.idempotency_key}")
            comment = self._thing(reply.in_reply_to).reply(reply.text)
        except (PRAWException, prawcore.PrawcoreException) as exc:
            err = source_error(exc)
            err.unknown = maybe_sent(exc)  # a timeout after sending: look for our comment before retrying
            raise err from None
        if comment is None:
            raise SourceError("Reddit created no comment (thread locked or archived?)", permanent=True)
        return Posted(external_id=comment.fullname, url=permalink(comment))

    def subject(self) -> str:
        """Subject line of a private message."""
        return f"{self.rules.brands[0].name} support"

    def find_posted(self, reply: Reply) -> Posted | None:
        """Reddit has no idempotency key: look for our own reply in the thread (or our sent messages)."""
        me = str(self.env.get("REDDIT_USERNAME", "")).lower()
        try:
            if reply.private:
                sent = self.reddit.inbox.sent(limit=100)
                hit = any(
                    str(m.dest).lower() == reply.author_handle.lower() and m.body == reply.text for m in sent
                )
                return Posted(external_id=f"pm:{reply.idempotency_key}") if hit else None
            for c in self._replies(reply.in_reply_to):
                if str(vars(c).get("author") or "").lower() == me and c.body.strip() == reply.text.strip():
                    return Posted(external_id=c.fullname, url=permalink(c))
        except (PRAWException, prawcore.PrawcoreException) as exc:
            raise source_error(exc) from None
        return None

    def _replies(self, fullname: str) -> list[Any]:
        """Direct replies under a comment or submission."""
        thing = self._thing(fullname)
        if fullname.startswith("t1_"):
            thing.refresh()
            return list(thing.replies)
        thing.comments.replace_more(limit=0)
        return list(thing.comments)
