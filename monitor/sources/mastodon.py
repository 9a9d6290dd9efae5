"""Mastodon source: hashtag and search timelines plus mention notifications via Mastodon.py."""

from __future__ import annotations

import html
import logging
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from mastodon import Mastodon, MastodonError
from mastodon.errors import (
    MastodonAPIError,
    MastodonNotFoundError,
    MastodonRatelimitError,
    MastodonServerError,
    MastodonUnauthorizedError,
)

from monitor.mention import Mention
from monitor.rules import SourceConfig
from monitor.sources.base import Batch, Posted, Reply, Source, SourceError, maybe_sent
from monitor.sources.options import MastodonOptions
from monitor.textlength import mastodon_length

log = logging.getLogger(__name__)
PAGE = 40  # the API's largest page
MAX_PAGES = 5  # per stream and poll; the rest waits for the next poll
# Every endpoint used here exists since Mastodon 4.0; naming the version spares a lookup of the
# instance on each call (and Mastodon.py's endless retry of that lookup when the instance is down).
ASSUMED_VERSION = "4.0.0"


def html_to_text(content: str) -> str:
    """Turn a status's HTML into plain text (paragraphs and line breaks kept)."""
    text = re.sub(r"<br\s*/?>", "\n", content)
    text = re.sub(r"</p>\s*<p>", "\n\n", text)
    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()


def status_to_mention(status: dict[str, Any], via: str) -> Mention:
    """Normalise a Mastodon status into a Mention."""
    account = status.get("account") or {}
    created = status.get("created_at")
    return Mention(
        platform="mastodon",
        external_id=str(status["id"]),
        text=html_to_text(str(status.get("content") or "")),
        author_handle=str(account.get("acct", "")),
        author_id=str(account.get("id", "")),
        author_name=str(account.get("display_name", "")),
        author_followers=int(account.get("followers_count") or 0),
        created_at=created if isinstance(created, datetime) else datetime.now(UTC),
        url=str(status.get("url") or status.get("uri") or ""),
        language=str(status.get("language") or ""),
        in_reply_to=str(status.get("in_reply_to_id") or ""),
        thread_id=str(status.get("in_reply_to_id") or status["id"]),
        raw={"via": via, "visibility": status.get("visibility", ""), "uri": status.get("uri", "")},
    )


def comparable(text: str) -> str:
    """Text without @mentions, links and spacing differences, to recognise our own earlier reply."""
    return " ".join(re.sub(r"(@[\w.@-]+|https?://\S+)", "", text).split())


class MastodonSource(Source):
    """Collect hashtag, search and mention statuses; reply publicly or with a direct message."""

    name = "mastodon"
    options = MastodonOptions
    config: MastodonOptions
    supports_private_reply = True
    credentials = ("MASTODON_ACCESS_TOKEN",)
    max_length = 500
    count_length = staticmethod(mastodon_length)  # type: ignore[assignment]

    @classmethod
    def link_hosts(cls, config: SourceConfig | None) -> tuple[str, ...]:
        """Mastodon lives on many instances: trust the configured one."""
        url = config.instance_url if isinstance(config, MastodonOptions) else ""
        host = urlsplit(url).hostname if url else None
        return (host,) if host else ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._api: Mastodon | None = None

    @property
    def api(self) -> Mastodon:
        """The Mastodon.py client, built on first use; rate limits raise instead of sleeping."""
        if self._api is None:
            base = self.config.instance_url or self.env.get("MASTODON_API_BASE_URL", "")
            if not base:
                raise SourceError("set sources.mastodon.instance_url in rules.yaml", permanent=True)
            self._api = Mastodon(
                access_token=self.env.get("MASTODON_ACCESS_TOKEN"),
                api_base_url=base,
                ratelimit_method="throw",
                version_check_mode="none",
                request_timeout=30,
                mastodon_version=ASSUMED_VERSION,
            )
        return self._api

    def error(self, exc: Exception) -> SourceError:
        """Translate a Mastodon.py failure into a SourceError with the right retry advice."""
        if isinstance(exc, SourceError):
            return exc
        if isinstance(exc, MastodonRatelimitError):
            reset = self.api.ratelimit_reset  # Mastodon.py has moved it onto our clock (server Date header)
            wait = max(1.0, float(reset) - time.time()) if reset else 300.0
            return SourceError(f"Mastodon rate limit reached; paused for {wait:.0f} s", retry_after=wait)
        if isinstance(exc, MastodonUnauthorizedError):
            return SourceError(
                "Mastodon rejected the token (HTTP 401): renew MASTODON_ACCESS_TOKEN", permanent=True
            )
        if isinstance(exc, MastodonServerError):
            return SourceError(
                f"Mastodon server error ({exc.args[1] if len(exc.args) > 1 else ''}); will retry"
            )
        if isinstance(exc, MastodonNotFoundError):
            return SourceError("Mastodon: not found (deleted post or account?)", permanent=True)
        if isinstance(exc, MastodonAPIError):
            return SourceError(f"Mastodon refused the request: {exc}", permanent=True)
        return SourceError(f"Mastodon unreachable: {type(exc).__name__}")

    def streams(self) -> dict[str, Callable[[str | None], list[tuple[str, Any]]]]:
        """Every timeline this source follows, by checkpoint key; each takes a min_id, returns (cursor id, status)."""
        funcs: dict[str, Callable[[str | None], list[tuple[str, Any]]]] = {}
        for tag in (t.lstrip("#") for t in self.config.hashtags):
            funcs[f"tag:{tag}"] = partial(self._hashtag, tag)
        for q in self.queries():
            funcs[f"search:{q}"] = partial(self._search, q)
        funcs["mentions"] = self._mentions
        return funcs

    def _hashtag(self, tag: str, min_id: str | None) -> list[tuple[str, Any]]:
        return [(str(s["id"]), s) for s in self.api.timeline_hashtag(tag, min_id=min_id, limit=PAGE)]

    def _search(self, query: str, min_id: str | None) -> list[tuple[str, Any]]:
        found = self.api.search_v2(query, result_type="statuses", resolve=False, min_id=min_id, limit=PAGE)
        return [(str(s["id"]), s) for s in found["statuses"]]

    def _mentions(self, min_id: str | None) -> list[tuple[str, Any]]:
        # /api/v1/notifications pages by notification id, not status id: the cursor must be the former.
        notes = self.api.notifications(types=["mention"], min_id=min_id, limit=PAGE)
        return [(str(n["id"]), n.get("status")) for n in notes]

    def collect(self, checkpoint: dict[str, Any]) -> Batch:
        """Read each timeline forward from its stored min_id, oldest page first, so nothing is skipped."""
        batch = Batch([], dict(checkpoint))
        for key, fetch in self.streams().items():
            try:
                self._read(batch, key, fetch)
            except (MastodonError, SourceError) as exc:
                err = self.error(exc)
                if err.permanent or err.retry_after or not batch.mentions:
                    raise err from None
                batch.warnings.append(f"{key}: {err}")  # keep the rest; this stream retries next poll
        return batch

    def _read(self, batch: Batch, key: str, fetch: Callable[[str | None], list[tuple[str, Any]]]) -> None:
        since = batch.checkpoint.get(key)
        for _ in range(MAX_PAGES):
            page = [(i, s) for i, s in fetch(since) if since is None or int(i) > int(since)]
            if not page:
                return
            batch.mentions += [status_to_mention(s, key) for _, s in page if s]  # a deleted status is gone
            batch.reads += len(page)
            since = str(max(int(i) for i, _ in page))
            batch.checkpoint[key] = since
            if len(page) < PAGE:
                return

    def post(self, reply: Reply) -> Posted:
        """Reply in the thread (public) or as a direct message, with an Idempotency-Key header."""
        handle = reply.author_handle.lstrip("@")
        text = reply.text if not handle or f"@{handle}" in reply.text else f"@{handle} {reply.text}"
        try:
            status = self.api.status_post(
                text,
                in_reply_to_id=reply.in_reply_to,
                visibility="direct" if reply.private else None,
                idempotency_key=reply.idempotency_key,
            )
        except MastodonError as exc:
            err = self.error(exc)
            err.unknown = maybe_sent(exc)  # a timeout after sending: look our status up before retrying
            raise err from None
        return Posted(external_id=str(status["id"]), url=str(status.get("url") or ""))

    def find_posted(self, reply: Reply) -> Posted | None:
        """Look through our own recent statuses for a reply to that post with the same text."""
        try:
            me = self.api.account_verify_credentials()
            mine = self.api.account_statuses(me["id"], since_id=reply.in_reply_to, limit=PAGE)
        except MastodonError as exc:
            raise self.error(exc) from None
        for status in mine:
            if str(status.get("in_reply_to_id")) == reply.in_reply_to and comparable(
                html_to_text(str(status.get("content") or ""))
            ) == comparable(reply.text):
                return Posted(external_id=str(status["id"]), url=str(status.get("url") or ""))
        return None
