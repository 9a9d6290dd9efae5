"""Slack incoming-webhook notifier: Block Kit message, errors classified for the outbox."""

from __future__ import annotations

import http.client
import logging
import urllib.error
from typing import Any

from slack_sdk.webhook import WebhookClient, WebhookResponse

from monitor.notifiers.base import Alert, Notifier, TransportError

# Slack answers these bodies when the webhook itself is gone: retrying cannot help.
PERMANENT_BODIES = ("invalid_token", "channel_is_archived", "no_service", "no_team", "team_disabled",
                    "action_prohibited", "posting_to_general_channel_denied", "channel_not_found")
MAX_SECTION = 2900  # Slack rejects section text over 3000 characters

# slack_sdk logs the request URL at DEBUG, and a webhook URL is a secret: give it a logger that never does.
_quiet = logging.getLogger("repguard.slack_sdk")
_quiet.setLevel(logging.WARNING)


def escape_mrkdwn(text: str) -> str:
    """Escape &, < and > so mention text cannot form links or @channel pings."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def build_blocks(alert: Alert) -> list[dict[str, Any]]:
    """Build the Block Kit message for an alert."""
    text = escape_mrkdwn(alert.mention_text)
    if len(text) > MAX_SECTION:
        text = text[:MAX_SECTION] + "…"
    who = escape_mrkdwn(f"@{alert.author_handle}" + (f" ({alert.author_name})" if alert.author_name else ""))
    buttons: list[dict[str, Any]] = [{"type": "button", "text": {"type": "plain_text", "text": "Open case"},
                                      "url": alert.case_url, "style": "primary"}]
    if alert.post_url:
        buttons.append({"type": "button", "text": {"type": "plain_text", "text": "View post"},
                        "url": alert.post_url})
    return [
        {"type": "header", "text": {"type": "plain_text", "text": alert.headline[:150] or
                                    f"{alert.priority.title()} {alert.sentiment} mention on {alert.platform}"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": text}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text":
            f"{who} · {alert.author_followers:,} followers · negative {alert.negative:.0%} · "
            f"toxicity {alert.toxicity:.0%} · rule {escape_mrkdwn(alert.rule)}"}]},
        {"type": "actions", "elements": buttons},
    ]


def classify(resp: WebhookResponse) -> None:
    """Raise TransportError for a failed response; return for success."""
    status, body = resp.status_code, (resp.body or "").strip()
    if 200 <= status < 300:
        return
    if status == 429:
        retry = resp.headers.get("Retry-After") or resp.headers.get("retry-after")
        raise TransportError("Slack rate limit (HTTP 429)", retry_after=float(retry) if retry else None,
                             rate_limited=True)
    if status >= 500:
        raise TransportError(f"Slack server error (HTTP {status})")
    permanent = status in (403, 404, 410) or any(b in body for b in PERMANENT_BODIES)
    raise TransportError(f"Slack rejected the message (HTTP {status}: {body[:80]})", permanent=permanent)


def post(url: str, text: str, blocks: list[dict[str, Any]], timeout: float) -> None:
    """Post one message to an incoming webhook; raise TransportError (maybe_sent when it may have gone out)."""
    client = WebhookClient(url, timeout=int(max(1, timeout)), retry_handlers=[], logger=_quiet)
    try:
        resp = client.send(text=text, blocks=blocks, unfurl_links=False, unfurl_media=False)
    except urllib.error.HTTPError as exc:  # some slack_sdk versions raise instead of returning
        raise TransportError(f"Slack answered HTTP {exc.code}", permanent=exc.code in (403, 404, 410)) from None
    except (urllib.error.URLError, ValueError) as exc:
        # urllib wraps failures while connecting and sending: the message did not go out.
        # Never include the URL: it is the secret.
        raise TransportError(f"network error talking to Slack ({type(exc).__name__})") from None
    except (OSError, http.client.HTTPException) as exc:
        # Sent, but no answer (timeout, reset): Slack webhooks have no idempotency key, so a resend
        # could post it twice. The outbox records it as "maybe delivered" instead.
        raise TransportError(f"no answer from Slack after sending ({type(exc).__name__}); maybe delivered",
                             maybe_sent=True) from None
    classify(resp)


class SlackNotifier(Notifier):
    """Post alerts to a Slack incoming webhook."""

    kind = "slack"

    def send(self, alert: Alert) -> None:
        """Send one message; no retries here, the outbox schedules them."""
        summary = alert.headline or f"{alert.sentiment} mention by @{alert.author_handle} on {alert.platform}"
        post(self.target, escape_mrkdwn(summary), build_blocks(alert), float(self.options.get("timeout", 10)))
