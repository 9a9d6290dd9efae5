"""Replay source: reads mentions from a JSONL file; posts to a local endpoint or file."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests

from monitor.mention import Mention, parse_time
from monitor.sources.base import Batch, Posted, Reply, Source, SourceError, maybe_sent
from monitor.sources.options import ReplayOptions

log = logging.getLogger(__name__)
MAX_TEXT = 50_000  # longer texts are cut, not rejected: the mention is still worth a case
MAX_BATCH = 500
POST_TIMEOUT = 10.0  # seconds to wait for the endpoint's answer; no answer in time is an unknown outcome


def mention_from_record(obj: Any, default_platform: str = "replay") -> Mention:
    """Validate one JSONL record and turn it into a Mention (ValueError names the field)."""
    if not isinstance(obj, dict):
        raise ValueError("expected a JSON object")
    for key in ("id", "text"):
        if not isinstance(obj.get(key), str | int) or str(obj.get(key)) == "":
            raise ValueError(f"field {key!r} is required (string)")
    author = obj.get("author") or {}
    if not isinstance(author, dict):
        raise ValueError("field 'author' must be an object")
    followers = author.get("followers", 0)
    if not isinstance(followers, int) or followers < 0:
        raise ValueError("field 'author.followers' must be a non-negative integer")
    created = parse_time(obj["created_at"]) if "created_at" in obj else datetime.now(UTC)
    return Mention(
        platform=str(obj.get("platform") or default_platform),
        external_id=str(obj["id"]),
        text=str(obj["text"])[:MAX_TEXT],
        author_handle=str(author.get("handle", "")),
        author_id=str(author.get("id", "")),
        author_name=str(author.get("name", "")),
        author_followers=followers,
        created_at=created,
        url=str(obj.get("url", "")),
        language=str(obj.get("lang", "")),
        in_reply_to=str(obj.get("in_reply_to", "")),
        thread_id=str(obj.get("thread_id", "")),
        brand=str(obj.get("brand", "")),
        raw=obj,
    )


def _posted(resp: requests.Response, reply: Reply) -> Posted:
    """Read the id and URL the endpoint returned; a bare 2xx still means accepted."""
    try:
        body = resp.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    return Posted(external_id=str(body.get("id") or f"replay-{reply.idempotency_key}"), url=str(body.get("url", "")))


class ReplaySource(Source):
    """Read a JSONL file from a byte offset; the offset is the checkpoint."""

    name = "replay"
    options = ReplayOptions
    config: ReplayOptions
    supports_private_reply = True

    def _path(self) -> Path:
        path = Path(self.config.path or "demo/mentions.jsonl")
        return path if path.is_absolute() else self.rules.base_dir / path

    def collect(self, checkpoint: dict[str, Any]) -> Batch:
        """Read complete lines after the stored offset; report bad lines, skip them, keep going."""
        path = self._path()
        offset = int(checkpoint.get("offset", 0))
        lineno = int(checkpoint.get("line", 0))
        mentions: list[Mention] = []
        warnings: list[str] = []
        try:
            fh = path.open("rb")
        except OSError as exc:  # missing or unreadable: a health error, retried next poll
            raise SourceError(f"cannot read replay file {path}: {exc.strerror or type(exc).__name__}") from None
        with fh:
            fh.seek(offset)
            while len(mentions) < MAX_BATCH:
                line = fh.readline()
                if not line.endswith(b"\n") and line:
                    break  # a line still being written: read it next time
                if not line:
                    break
                offset += len(line)
                lineno += 1
                if not line.strip():
                    continue
                try:
                    m = mention_from_record(json.loads(line.decode("utf-8")))
                    mentions.append(replace(m, origin=f"{path}:{lineno}"))
                except UnicodeDecodeError:
                    warnings.append(f"{path}:{lineno}: not valid UTF-8; line skipped")
                except json.JSONDecodeError as exc:
                    warnings.append(f"{path}:{lineno}: invalid JSON ({exc.msg}); line skipped")
                except ValueError as exc:
                    warnings.append(f"{path}:{lineno}: {exc}; line skipped")
        for w in warnings:
            log.warning("replay: %s", w)
        return Batch(mentions, {"offset": offset, "line": lineno}, warnings, reads=len(mentions))

    def _endpoint(self) -> str:
        return self.env.get("REPGUARD_REPLAY_POST_URL", "")

    def _outbox(self) -> Path:
        home = Path(self.env.get("REPGUARD_HOME", "instance"))
        return home / "replay-posted.jsonl"

    def post(self, reply: Reply) -> Posted:
        """Send the reply to the local endpoint (or append it to a file when none is set)."""
        record = {"idempotency_key": reply.idempotency_key, "in_reply_to": reply.in_reply_to,
                  "text": reply.text, "private": reply.private}
        url = self._endpoint()
        if not url:
            self._outbox().parent.mkdir(parents=True, exist_ok=True)
            with self._outbox().open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            return Posted(external_id=f"replay-{reply.idempotency_key}")
        try:
            resp = requests.post(url, json=record, timeout=POST_TIMEOUT,
                                 headers={"Idempotency-Key": reply.idempotency_key})
        except requests.RequestException as exc:
            raise SourceError(f"replay endpoint did not answer: {type(exc).__name__}",
                              unknown=maybe_sent(exc)) from None
        if resp.status_code >= 400:
            raise SourceError(f"replay endpoint answered HTTP {resp.status_code}",
                              permanent=400 <= resp.status_code < 500 and resp.status_code != 429)
        return _posted(resp, reply)

    def find_posted(self, reply: Reply) -> Posted | None:
        """Look our reply up by idempotency key at the endpoint or in the file."""
        url = self._endpoint()
        if not url:
            if not self._outbox().exists():
                return None
            for line in self._outbox().read_text(encoding="utf-8").splitlines():
                if json.loads(line).get("idempotency_key") == reply.idempotency_key:
                    return Posted(external_id=f"replay-{reply.idempotency_key}")
            return None
        try:
            resp = requests.get(url, params={"idempotency_key": reply.idempotency_key}, timeout=10)
        except requests.RequestException as exc:
            raise SourceError(f"replay endpoint unreachable: {type(exc).__name__}") from None
        if resp.status_code == 404:
            return None
        if resp.status_code >= 400:
            raise SourceError(f"replay endpoint answered HTTP {resp.status_code}")
        return _posted(resp, reply)
