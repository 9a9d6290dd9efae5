"""The extension seam for alert channels: one base class, one error type."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar


class TransportError(Exception):
    """Delivery failed; `permanent` failures are not retried, others wait `retry_after` or back off.

    `maybe_sent` says the request went out and no answer came back: it may have been delivered.
    `rate_limited` pauses the whole webhook, not only this alert.
    """

    def __init__(self, message: str, *, permanent: bool = False, retry_after: float | None = None,
                 maybe_sent: bool = False, rate_limited: bool = False):
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.retry_after = retry_after
        self.maybe_sent = maybe_sent
        self.rate_limited = rate_limited


@dataclass(frozen=True)
class Alert:
    """What an alert says; built from stored rows, never containing secrets."""

    case_id: int | None
    mention_text: str
    author_handle: str
    author_name: str
    author_followers: int
    platform: str
    post_url: str
    sentiment: str
    negative: float
    toxicity: float
    rule: str
    priority: str
    case_url: str
    headline: str = ""  # set for team notifications ("Case 7 breached its SLA"); empty for routing alerts


class Notifier:
    """Base class: set `kind`, implement `send`; raise TransportError on failure.

    Example::

        class TeamsNotifier(Notifier):
            kind = "teams"

            def send(self, alert):
                status = post_json(self.target, {"text": alert.mention_text})
                if status >= 400:
                    raise TransportError(f"HTTP {status}", permanent=status == 404)
    """

    kind: ClassVar[str] = ""

    def __init__(self, target: str, **options: Any):
        self.target = target
        self.options = options

    def send(self, alert: Alert) -> None:
        """Deliver one alert."""
        raise NotImplementedError
