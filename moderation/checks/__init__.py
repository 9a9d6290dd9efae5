"""Registry of moderation checks: the short name used in rules.yaml -> class."""

from __future__ import annotations

from moderation.checks.base import Check, CheckContext
from moderation.checks.integrity import IntegrityCheck
from moderation.checks.pii import PiiCheck
from moderation.checks.policy import PolicyCheck
from moderation.checks.spelling import SpellingCheck
from moderation.checks.tone import ToneCheck
from moderation.checks.toxicity import ToxicityCheck

CHECKS: dict[str, type[Check]] = {
    "toxicity": ToxicityCheck,
    "spelling": SpellingCheck,
    "pii": PiiCheck,
    "policy": PolicyCheck,
    "tone": ToneCheck,
    "integrity": IntegrityCheck,
}

__all__ = ["CHECKS", "Check", "CheckContext"]
