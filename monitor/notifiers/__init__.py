"""Registry of notifiers: kind name -> class."""

from __future__ import annotations

from monitor.notifiers.base import Alert, Notifier, TransportError
from monitor.notifiers.slack import SlackNotifier

NOTIFIERS: dict[str, type[Notifier]] = {"slack": SlackNotifier}

__all__ = ["NOTIFIERS", "Alert", "Notifier", "TransportError"]
