"""The extension seam for platforms: a source collects mentions and posts replies."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from monitor.mention import Mention
from monitor.rules import Rules, SourceConfig


class SourceError(Exception):
    """A platform call failed; `permanent` says whether retrying can help.

    `unknown` says the request may have reached the platform (a timeout or a dropped connection after
    sending): the poster then looks the reply up instead of sending it again.
    """

    def __init__(self, message: str, *, permanent: bool = False, retry_after: float | None = None,
                 unknown: bool = False):
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after
        self.unknown = unknown


NETWORK = re.compile(r"Timeout|Connection|Network|Disconnected|ProtocolError|ReadError|WriteError")
NOT_SENT = re.compile(r"ConnectTimeout|ConnectError|NewConnectionError|ConnectionRefused|NameResolution|gaierror")


def maybe_sent(exc: BaseException | None) -> bool:
    """Whether a failure is a network one that may have happened after the platform got the request.

    A timeout or a dropped connection after sending is "unknown"; only a failure to connect at all
    (refused, DNS, connect timeout) proves nothing was sent. Looks through wrapped exceptions.
    """
    chain: list[BaseException] = []
    while exc is not None and exc not in chain:
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__ or getattr(exc, "original_exception", None)
    names = [" ".join(c.__name__ for c in type(e).__mro__) + " " + repr(e)[:500] for e in chain]
    return any(NETWORK.search(n) for n in names) and not any(NOT_SENT.search(n) for n in names)


@dataclass
class Batch:
    """Mentions read in one poll, and the checkpoint to store with them in one transaction."""

    mentions: list[Mention]
    checkpoint: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    reads: int = 0
    budget_used: int | None = None  # reads counted against a daily budget, when the platform bills reads
    budget_day: str = ""


@dataclass(frozen=True)
class Reply:
    """An approved reply to post: the idempotency key is stable across retries."""

    idempotency_key: str
    text: str
    in_reply_to: str
    thread_id: str
    author_handle: str
    private: bool = False
    author_id: str = ""


@dataclass(frozen=True)
class Posted:
    """What the platform returned for an accepted reply."""

    external_id: str
    url: str = ""


class Source:
    """Base class: set `name`, implement `collect` and `post`, register in `SOURCES`.

    Platform keys go in an options model named as `options`; `self.config` is an instance of it.

    Example::

        class ForumOptions(SourceConfig):
            board: str = Field("general", description="Board to read.")

        class ForumSource(Source):
            name = "forum"
            options = ForumOptions

            def collect(self, checkpoint):
                items = fetch_newer_than(checkpoint.get("since"))
                return Batch([to_mention(i) for i in items], {"since": items[-1].id})

            def post(self, reply):
                return Posted(external_id=forum_reply(reply.in_reply_to, reply.text))
    """

    name: ClassVar[str] = ""
    supports_private_reply: ClassVar[bool] = False
    credentials: ClassVar[tuple[str, ...]] = ()
    trusted_hosts: ClassVar[tuple[str, ...]] = ()  # links to posts are shown only on these hosts (and subdomains)
    max_length: ClassVar[int] = 10_000  # a reply's limit, counted by `count_length`
    options: ClassVar[type[SourceConfig]] = SourceConfig  # the model of its entry under `sources:`

    def __init__(self, config: SourceConfig, rules: Rules, env: dict[str, str] | None = None):
        if not isinstance(config, self.options):
            # a plain SourceConfig (built in code) takes this source's defaults for its own keys
            config = self.options.model_validate(config.model_dump(exclude_unset=True))
        self.config = config
        self.rules = rules
        self.env = env or {}

    def collect(self, checkpoint: dict[str, Any]) -> Batch:
        """Return mentions newer than `checkpoint` and the checkpoint after them."""
        raise NotImplementedError

    def post(self, reply: Reply) -> Posted:
        """Publish a reply; raise SourceError on failure."""
        raise NotImplementedError

    def find_posted(self, reply: Reply) -> Posted | None:
        """Return our earlier reply with this idempotency key if the platform has it, None if it has not.

        A source that cannot look replies up raises NotImplementedError: the poster then leaves an
        uncertain post to a person rather than guess "not there" and post twice.
        """
        raise NotImplementedError(f"{self.name or type(self).__name__} cannot look up its earlier replies")

    def can_reply_publicly(self, mention: dict[str, Any]) -> bool:
        """Whether the platform lets the brand reply in public to this mention."""
        return True

    def can_reply_privately(self, mention: dict[str, Any]) -> bool:
        """Whether the brand can answer this mention's author privately."""
        return self.supports_private_reply

    @classmethod
    def count_length(cls, text: str) -> int:
        """A reply's length as the platform counts it (plain characters unless a source knows better)."""
        return len(text)

    @classmethod
    def link_hosts(cls, config: SourceConfig | None) -> tuple[str, ...]:
        """Hosts whose links to posts are trusted: the class's own plus any the configuration names."""
        return cls.trusted_hosts

    def queries(self) -> Iterable[str]:
        """Queries from the source config, or every brand keyword."""
        if self.config.queries:
            return list(self.config.queries)
        return [k for b in self.rules.brands for k in b.keywords]
