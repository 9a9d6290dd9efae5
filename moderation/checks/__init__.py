"""Registry of moderation checks: the short name used in rules.yaml -> class."""

from __future__ import annotations

from moderation.checks.base import Check, CheckContext
from moderation.checks.policy import PolicyCheck
from moderation.checks.toxicity import ToxicityCheck

CHECKS: dict[str, type[Check]] = {
    "toxicity": ToxicityCheck,
    "policy": PolicyCheck,
}

__all__ = ["CHECKS", "Check", "CheckContext"]
